"""Ids in the documents routes reach the documents service's internal port as one path
segment, whatever they hold: never another internal route."""

from __future__ import annotations

import pytest
import requests

from chassis.config import load_settings
from chassis.tokens import SigningKey, TokenIssuer
from gateway.app import create_app
from tests.unit.test_gateway_upload_limit import Identity


@pytest.fixture
def sent(monkeypatch):
    """The internal URLs the gateway asked for; each answers 404 as the service would."""
    urls = []

    def internal(method, url, **_):
        urls.append(url)
        answer = requests.Response()
        answer.status_code, answer._content = 404, b'{"code": "not_found"}'
        answer.headers["Content-Type"] = "application/problem+json"
        return answer

    monkeypatch.setattr("gateway.documents.requests.request", internal)
    return urls


@pytest.fixture
def client():
    issuer = TokenIssuer([SigningKey.generate()], "gaspol-identity", "gaspol-api", 900)
    token, _ = issuer.issue("u1", ["applicant"], "s1")
    app = create_app(load_settings({"DOCUMENTS_PORT": "9"}), rpc=Identity(issuer))
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client


@pytest.mark.parametrize(
    ("asked", "reached"),
    [
        ("/api/v1/documents/%2E%2E/content", "/internal/documents/%2E%2E/content"),
        ("/api/v1/documents/x%3Fy/content", "/internal/documents/x%3Fy/content"),
        ("/api/v1/documents/a%23b/content", "/internal/documents/a%23b/content"),
        (
            "/api/v1/applications/%E2%9C%93/permit/certificate",
            "/internal/applications/%E2%9C%93/certificate",
        ),
    ],
)
def test_an_id_stays_one_segment_of_the_internal_path(client, sent, asked, reached):
    assert client.get(asked).status_code == 404
    assert sent[0].endswith(reached), sent
