"""The outbox's update shapes and the event envelope, without any broker or database."""

from __future__ import annotations

import jsonschema
import pytest

from chassis.events import ENVELOPE_SCHEMA, new_event, validate_event
from chassis.outbox import new_document_with_events, with_events


def test_events_ride_in_the_same_update_as_the_change():
    event = new_event("file_submitted", {"id": "f"}, producer="applications")
    update = with_events({"$set": {"state": "submitted"}, "$inc": {"version": 1}}, [event])
    assert update == {
        "$set": {"state": "submitted", "outbox_pending": True},
        "$inc": {"version": 1},
        "$push": {"outbox": {"$each": [event]}},
    }


def test_an_update_without_events_is_left_alone():
    update = {"$set": {"state": "x"}}
    assert with_events(update, []) is update


def test_the_caller_update_is_not_mutated():
    update = {"$set": {"state": "x"}}
    with_events(update, [new_event("x_happened", {}, producer="p")])
    assert update == {"$set": {"state": "x"}}


def test_a_new_document_carries_its_events():
    event = new_event("file_created", {}, producer="applications")
    assert new_document_with_events({"_id": 1}, [event]) == {
        "_id": 1,
        "outbox": [event],
        "outbox_pending": True,
    }


def test_the_envelope_has_every_field_and_a_fresh_id():
    first = new_event("file_submitted", {"a": 1}, producer="applications", correlation_id="c")
    second = new_event("file_submitted", {"a": 1}, producer="applications")
    jsonschema.validate(first, ENVELOPE_SCHEMA)
    assert first["event_id"] != second["event_id"]
    assert first["correlation_id"] == "c"
    assert first["version"] == 1
    assert first["occurred_at"].endswith("+00:00")


@pytest.mark.parametrize("bad", ["FileSubmitted", "submitted", "file-submitted", "file_submitted2"])
def test_event_types_are_snake_case_phrases(bad):
    with pytest.raises(ValueError):
        new_event(bad, {}, producer="p")


def test_payloads_are_checked_against_the_producer_contract(tmp_path):
    (tmp_path / "file_submitted.json").write_text(
        '{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}'
    )
    validate_event(new_event("file_submitted", {"id": "f"}, producer="p"), tmp_path)
    with pytest.raises(jsonschema.ValidationError):
        validate_event(new_event("file_submitted", {"id": 7}, producer="p"), tmp_path)
