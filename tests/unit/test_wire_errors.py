"""Wire errors cross nameko's serialisation and come back as the same error, by name alone."""

from __future__ import annotations

import pytest
from nameko.exceptions import serialize

from chassis.errors import WIRE_ERRORS, Conflict, ValidationFailed, from_wire


@pytest.mark.parametrize("cls", list(WIRE_ERRORS.values()))
def test_every_wire_error_survives_the_round_trip(cls):
    sent = cls(
        "something precise",
        code="a_code",
        errors=[{"field": "f", "message": "m"}],
        meta={"retry_after": 3},
    )
    received = from_wire(
        **{k: v for k, v in serialize(sent).items() if k in ("exc_type", "exc_args")}
    )
    assert type(received) is cls
    assert received.to_dict() == sent.to_dict()
    assert received.status == cls.status


def test_the_default_code_follows_the_class():
    assert Conflict("taken").code == "conflict"
    assert ValidationFailed("bad").status == 422


def test_foreign_exceptions_are_not_mistaken_for_ours():
    assert from_wire("KeyError", ["x"]) is None
    assert from_wire("Conflict", ["only one arg"]) is None
    assert from_wire("Conflict", ["code", "detail", "not json"]) is None
