"""The event envelope every service publishes, and the check of payloads against contracts."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import jsonschema

EVENT_TYPE = re.compile(r"^[a-z]+(_[a-z]+)+$")

ENVELOPE_SCHEMA = {
    "type": "object",
    "required": ["event_id", "event_type", "version", "occurred_at", "producer", "data"],
    "properties": {
        "event_id": {"type": "string", "minLength": 1},
        "event_type": {"type": "string", "pattern": EVENT_TYPE.pattern},
        "version": {"type": "integer", "minimum": 1},
        "occurred_at": {"type": "string", "format": "date-time"},
        "producer": {"type": "string", "minLength": 1},
        "correlation_id": {"type": ["string", "null"]},
        "user_id": {"type": ["string", "null"]},
        "data": {"type": "object"},
    },
}


def new_event(
    event_type: str,
    data: dict,
    *,
    producer: str,
    correlation_id: str | None = None,
    user_id: str | None = None,
    version: int = 1,
) -> dict:
    """An envelope for a fact that just happened (types are past-tense snake_case)."""
    if not EVENT_TYPE.match(event_type):
        raise ValueError(f"event type must be snake_case, got {event_type!r}")
    return {
        "event_id": uuid.uuid4().hex,
        "event_type": event_type,
        "version": version,
        "occurred_at": datetime.now(UTC).isoformat(),
        "producer": producer,
        "correlation_id": correlation_id,
        "user_id": user_id,
        "data": data,
    }


@cache
def _contract(contracts_dir: str, event_type: str) -> dict:
    return json.loads((Path(contracts_dir) / f"{event_type}.json").read_text())


def validate_event(envelope: dict, contracts_dir: Path) -> None:
    """Raise jsonschema.ValidationError unless the envelope and its data match the contract."""
    jsonschema.validate(envelope, ENVELOPE_SCHEMA)
    jsonschema.validate(envelope["data"], _contract(str(contracts_dir), envelope["event_type"]))
