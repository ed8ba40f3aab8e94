"""Event contracts: every schema is valid, every published and handled event has one, and the
README's event catalogue lists exactly those."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

REPO = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.parent.name for p in (REPO / "services").glob("*/service.py"))


def _contracts() -> dict[tuple[str, str], Path]:
    return {
        (path.parent.parent.name, path.stem): path
        for path in (REPO / "services").glob("*/contracts/*.json")
    }


def _string_calls(service: str, attribute: str) -> set[str]:
    """First string arguments of `<anything>.<attribute>("…")` calls in a service's code."""
    found = set()
    for source in (REPO / "services" / service).glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == attribute
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def _handled_events(service: str) -> set[tuple[str, str]]:
    found = set()
    source = (REPO / "services" / service / "service.py").read_text()
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "event_handler"
            and len(node.args) == 2
        ):
            found.add((node.args[0].value, node.args[1].value))
    return found


@pytest.mark.parametrize("path", sorted(_contracts().values()), ids=lambda p: p.stem)
def test_each_contract_is_a_valid_schema_named_after_its_event(path):
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["title"] == path.stem
    assert schema.get("description"), "say what the event means"


@pytest.mark.parametrize("service", SERVICES)
def test_every_event_a_service_publishes_has_a_contract(service):
    published = _string_calls(service, "new")
    missing = {event for event in published if (service, event) not in _contracts()}
    assert not missing


@pytest.mark.parametrize("service", SERVICES)
def test_every_handled_event_exists_at_its_producer(service):
    missing = {pair for pair in _handled_events(service) if pair not in _contracts()}
    assert not missing


def test_the_readme_catalogue_lists_exactly_the_contracts():
    readme = (REPO / "README.md").read_text()
    rows = set(re.findall(r"^\| `([a-z_]+)` \| (\w+) \|", readme, flags=re.MULTILINE))
    assert rows == {(event, producer) for producer, event in _contracts()}
