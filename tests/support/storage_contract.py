"""What every service relies on from its database, checked the same way on every backend.

Only behaviour MongoDB itself guarantees is asserted here (ARCHITECTURE §4): single-document
atomic updates, unique indexes, conditional updates, and the outbox's update shapes.
"""

from __future__ import annotations

import pytest
from pymongo.errors import DuplicateKeyError

from chassis.outbox import with_events


def check_unique_index(database) -> None:
    things = database["things"]
    things.create_index("receipt", unique=True)
    things.insert_one({"_id": "a", "receipt": "R-1"})
    with pytest.raises(DuplicateKeyError):
        things.insert_one({"_id": "b", "receipt": "R-1"})
    assert things.count_documents({}) == 1


def check_conditional_update_has_one_winner(database) -> None:
    files = database["files"]
    files.insert_one({"_id": "f", "state": "submitted"})
    first = files.update_one({"_id": "f", "state": "submitted"}, {"$set": {"state": "verified"}})
    second = files.update_one({"_id": "f", "state": "submitted"}, {"$set": {"state": "rejected"}})
    assert (first.modified_count, second.modified_count) == (1, 0)
    assert files.find_one({"_id": "f"})["state"] == "verified"


def check_outbox_update_shapes(database) -> None:
    files = database["outboxed"]
    files.insert_one({"_id": "f", "state": "draft"})
    events = [{"event_id": "e1", "event_type": "file_submitted"}]
    update = with_events({"$set": {"state": "submitted"}}, events)
    assert files.update_one({"_id": "f", "state": "draft"}, update).modified_count == 1
    stored = files.find_one({"outbox_pending": True})
    assert stored["state"] == "submitted"
    assert stored["outbox"] == events

    files.update_one({"_id": "f"}, {"$pull": {"outbox": {"event_id": "e1"}}})
    cleared = files.update_one(
        {"_id": "f", "outbox": {"$size": 0}}, {"$unset": {"outbox_pending": "", "outbox": ""}}
    )
    assert cleared.modified_count == 1
    assert files.count_documents({"outbox_pending": True}) == 0


def check_all(database) -> None:
    check_unique_index(database)
    check_conditional_update_has_one_winner(database)
    check_outbox_update_shapes(database)
