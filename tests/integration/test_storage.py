"""The storage provider on the embedded engine: per-service databases that survive a restart."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chassis import storage
from chassis.config import load_settings
from tests.support import storage_contract


@pytest.fixture
def settings(tmp_path):
    yield load_settings({"GASPOL_DATA_DIR": str(tmp_path)})
    storage.close_all()


def test_embedded_engine_keeps_what_mongodb_guarantees(settings):
    storage_contract.check_all(storage.open_database(settings, "contract"))


def test_each_service_gets_its_own_database(settings):
    storage.open_database(settings, "identity")["users"].insert_one({"_id": "u1"})
    assert storage.open_database(settings, "payments")["users"].count_documents({}) == 0


def test_data_survives_a_process_restart(settings, tmp_path):
    write = (
        "from chassis import storage; from chassis.config import load_settings;"
        f"db = storage.open_database(load_settings({{'GASPOL_DATA_DIR': {str(tmp_path)!r}}}), 'a');"
        "db['files'].insert_one({'_id': 'f1', 'state': 'submitted'})"
    )
    subprocess.run([sys.executable, "-c", write], check=True, timeout=60)
    found = storage.open_database(settings, "a")["files"].find_one({"_id": "f1"})
    assert found == {"_id": "f1", "state": "submitted"}


def test_mongodb_uri_must_be_plain_mongodb(tmp_path):
    bad = load_settings({"GASPOL_DATA_DIR": str(tmp_path), "MONGO_URI": "mongodb+srv://x/y"})
    with pytest.raises(ValueError, match="mongodb://"):
        storage.open_database(bad, "identity")
