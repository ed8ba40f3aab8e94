"""Query strings are checked against the parameters the OpenAPI document gives each operation."""

from __future__ import annotations

import pytest

from chassis.config import load_settings
from gateway.app import create_app


class RecordingServices:
    """An RPC pool that answers the public stats call and records what reached it."""

    def __init__(self):
        self.calls = []

    def call(self, service, method, kwargs=None, **_):
        self.calls.append((service, method, kwargs))
        return {}


@pytest.fixture
def services():
    return RecordingServices()


@pytest.fixture
def client(services):
    return create_app(load_settings({}), rpc=services).test_client()


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("year=abc", "type"),
        ("year=1999", "minimum"),
        ("year=2101", "maximum"),
        ("year=1.5", "type"),
    ],
)
def test_a_value_outside_its_documented_schema_is_a_422_naming_it(client, services, query, code):
    answer = client.get(f"/api/v1/stats?{query}")
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.json["errors"]] == [("year", code)]
    assert services.calls == []


def test_a_documented_value_passes_as_its_type(client, services):
    assert client.get("/api/v1/stats?year=2026").status_code == 200
    assert services.calls[0][2]["year"] == 2026


def test_an_undocumented_parameter_is_not_checked(client):
    assert client.get("/api/v1/stats?colour=blue").status_code == 200


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/applications?per_page=101", "per_page"),
        ("/api/v1/applications?page=0", "page"),
        ("/api/v1/applications?page=x", "page"),
        ("/api/v1/applications?role_queue=janitor", "role_queue"),  # a reference to Role
        ("/api/v1/notifications?unread=maybe", "unread"),
        ("/api/v1/reports/reconciliation?date=2026-13-01", "date"),
        ("/api/v1/audit/identity?limit=501", "limit"),
    ],
)
def test_integers_booleans_enums_and_dates_are_checked(client, path, field):
    answer = client.get(path)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json["errors"]] == [field]


def test_booleans_read_as_the_web_client_sends_them(client):
    # Not signed in: past the query check, the view asks for a token.
    assert client.get("/api/v1/notifications?unread=1").status_code == 401
    assert client.get("/api/v1/notifications?unread=false").status_code == 401
