"""The storage provider against a real MongoDB (testcontainers), with the same contract."""

from __future__ import annotations

import pytest

from chassis import storage
from chassis.config import load_settings
from tests.support import storage_contract


@pytest.fixture(scope="module")
def mongo_uri():
    from testcontainers.mongodb import MongoDbContainer

    with MongoDbContainer("mongo:7") as mongo:
        yield mongo.get_connection_url()


def test_mongodb_keeps_the_storage_contract(mongo_uri, tmp_path):
    settings = load_settings({"GASPOL_DATA_DIR": str(tmp_path), "MONGO_URI": mongo_uri})
    try:
        storage_contract.check_all(storage.open_database(settings, "contract"))
    finally:
        storage.close_all()
