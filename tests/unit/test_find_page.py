"""find_page on the embedded engine: the same page, order and total as skip/limit would give."""

from __future__ import annotations

import pytest

from chassis.config import load_settings
from chassis.storage import close_all, find_page, open_database


@pytest.fixture
def files(tmp_path):
    database = open_database(load_settings({"GASPOL_DATA_DIR": str(tmp_path)}), "paging")
    collection = database["files"]
    collection.create_index([("queue", 1), ("due", 1)])
    collection.insert_many(
        [
            {"_id": f"f{n:02d}", "queue": "frontdesk" if n % 3 else "head", "due": (n * 7) % 30}
            for n in range(30)
        ]
    )
    yield collection
    close_all()


def test_a_page_is_the_slice_of_the_sorted_matches(files):
    everything = sorted(
        (f for f in files.find({"queue": "frontdesk"})), key=lambda f: (f["due"], f["_id"])
    )
    page, total = find_page(files, {"queue": "frontdesk"}, [("due", 1)], skip=5, limit=4)
    assert total == len(everything) == 20
    assert [f["due"] for f in page] == [f["due"] for f in everything[5:9]]
    assert all(f["queue"] == "frontdesk" and "queue" in f for f in page)  # whole documents


def test_past_the_last_page_is_empty_with_the_total(files):
    page, total = find_page(files, {"queue": "head"}, [("due", -1)], skip=20, limit=10)
    assert (page, total) == ([], 10)
