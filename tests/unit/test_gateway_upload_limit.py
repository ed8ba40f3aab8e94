"""The gateway's size check counts the file, not the form around it: a file of exactly
MAX_UPLOAD_MB passes on to the documents service, a larger one is refused at once."""

from __future__ import annotations

import pytest

from chassis.config import load_settings
from chassis.tokens import SigningKey, TokenIssuer
from gateway.app import create_app
from gateway.documents import FORM_ALLOWANCE

MB = 1024 * 1024


class Identity:
    def __init__(self, issuer: TokenIssuer):
        self.issuer = issuer

    def call(self, service, method, kwargs=None, **_):
        if method == "public_keys":
            return self.issuer.jwks()
        return {"now": "2026-12-04T00:00:00+00:00", "sessions": []}


@pytest.fixture
def upload():
    issuer = TokenIssuer([SigningKey.generate()], "gaspol-identity", "gaspol-api", 900)
    token, _ = issuer.issue("u1", ["applicant"], "s1")
    # Port 9 (discard): nothing answers there, so a body that passes the check meets a 503.
    settings = load_settings({"MAX_UPLOAD_MB": "1", "DOCUMENTS_PORT": "9"})
    client = create_app(settings, rpc=Identity(issuer)).test_client()

    def send(length: int):
        return client.post(
            "/api/v1/applications/a1/documents",
            data=b"x" * length,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "multipart/form-data; boundary=b",
            },
        )

    return send


def test_a_file_of_exactly_the_limit_in_its_form_is_let_through(upload):
    answer = upload(1 * MB + 300)  # the file plus a form's boundaries and part headers
    assert answer.json["code"] != "upload_too_large"


def test_a_body_past_the_limit_and_the_form_allowance_is_refused(upload):
    answer = upload(1 * MB + FORM_ALLOWANCE + 1)
    assert answer.status_code == 422
    assert answer.json["code"] == "upload_too_large"
