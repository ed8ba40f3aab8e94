"""Security tests against the running platform (the e2e session's platform, on free ports and its
own vhost): officers of every role, two applicants, and objects owned by the first of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import yaml

from devstack.demo import (
    Gateway,
    ensure_officers,
    register_applicant,
    sign_in_officers,
    take_to_payment,
    upload_billboard,
    wait,
)
from tests.e2e.conftest import platform, platform_env  # noqa: F401

OPENAPI = Path(__file__).resolve().parents[2] / "gateway" / "openapi.yaml"


@pytest.fixture(scope="session")
def openapi() -> dict:
    return yaml.safe_load(OPENAPI.read_text())


@pytest.fixture(scope="session")
def base(platform) -> str:  # noqa: F811 - the fixture imported above
    return f"http://127.0.0.1:{platform.gateway_port}/api/v1"


@pytest.fixture(scope="session")
def people(platform, base) -> dict:  # noqa: F811
    """Signed-in gateways: `admin`, one per officer role, applicants `a` and `b`, with the ids
    of what `a` owns (an application at payment, its document, invoice and notification)."""
    admin = Gateway(base, *platform.admin)
    ensure_officers(admin)
    officers = sign_in_officers(base)
    a, b = (Gateway(base, *register_applicant(base)) for _ in range(2))
    file = upload_billboard(a)
    invoice = take_to_payment(a, officers, file)
    message = wait(lambda: a.get("/notifications")["items"], "a's first notification")[0]
    owned = {
        "application_id": file.rsplit("/", 1)[1],
        "document_id": a.get(f"{file}/documents")["items"][0]["id"],
        "number": invoice["number"],
        "message_id": message["id"],
        "user_id": a.get("/me")["id"],
    }
    return {"admin": admin, **officers, "a": a, "b": b, "owned": owned}


def call(who: Gateway, method: str, path: str, **kwargs) -> requests.Response:
    """A request as that person, whatever the answer (the demo's Gateway raises on errors)."""
    return requests.request(method, who.base + path, headers=who.headers, timeout=30, **kwargs)
