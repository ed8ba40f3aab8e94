"""Log lines: JSON with the call's context, and never a NIK in clear."""

from __future__ import annotations

import json
import logging

import pytest

from chassis.logs import bound_context, configure_logging, redact


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level


def test_lines_carry_the_context_and_mask_nik_like_numbers(capsys):
    configure_logging("identity")
    with bound_context(correlation_id="c-1", user_id="u-1"):
        logging.getLogger("t").info("looked up %s", "3204014507900001")
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["service"] == "identity"
    assert (line["correlation_id"], line["user_id"]) == ("c-1", "u-1")
    assert line["message"] == "looked up 3204********0001"


def test_only_16_digit_runs_are_masked():
    assert redact("invoice 123456789012 and phone +6281234567890") == (
        "invoice 123456789012 and phone +6281234567890"
    )
    assert redact("nik=3204014507900001;") == "nik=3204********0001;"
    assert redact("12345678901234567") == "12345678901234567"
