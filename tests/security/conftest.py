"""Security tests against the running platform (the e2e session's platform, on free ports and its
own vhost): officers of every role, two applicants, and objects owned by the first of them."""

from __future__ import annotations

import random
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


@pytest.fixture(scope="session", autouse=True)
def known_niks(platform, base) -> list[str]:  # noqa: F811
    """People registered with known NIKs before any other security test runs, each using their
    NIK where it might leak: a repeated registration, signing in with it (right, and wrong with
    the digits spaced out), and URLs that carry it. test_nik.py, run last, looks for them."""
    niks = []
    for serial in random.sample(range(1, 10_000), 3):
        nik = f"320401450691{serial:04d}"  # a woman born 5 June 1991 in Bandung regency
        person = {
            "nik": nik,
            "name": "Nur Aisyah",
            "email": f"nur.{serial}@contoh.id",
            "phone": f"0813{random.randrange(10**7, 10**8)}",
            "password": "pemohon-nik-2026",
        }
        assert requests.post(f"{base}/auth/register", json=person, timeout=30).status_code == 201
        again = requests.post(f"{base}/auth/register", json=person, timeout=30)
        assert again.status_code == 409
        who = Gateway(base, nik, person["password"])
        spaced = " ".join(nik[i : i + 4] for i in range(0, 16, 4))
        wrong = {"email": spaced, "password": "not-the-password"}
        assert requests.post(f"{base}/auth/login", json=wrong, timeout=30).status_code == 401
        for path in (f"/track/{nik}", f"/verify/{nik}", f"/applications?state={nik}", f"/{nik}"):
            call(who, "GET", path)
        requests.get(f"{base.removesuffix('/api/v1')}/{nik}", timeout=30)
        niks.append(nik)
    return niks


def pytest_collection_modifyitems(items):
    """The NIK sweep reads what every other security test left behind: it runs after them."""
    sweep = [item for item in items if item.path.name == "test_nik.py"]
    if not sweep:
        return
    rest = [item for item in items if item not in sweep]
    security = [i for i, item in enumerate(rest) if "security" in item.path.parts]
    after = security[-1] + 1 if security else len(rest)
    items[:] = rest[:after] + sweep + rest[after:]


def call(who: Gateway, method: str, path: str, **kwargs) -> requests.Response:
    """A request as that person, whatever the answer (the demo's Gateway raises on errors)."""
    return requests.request(method, who.base + path, headers=who.headers, timeout=30, **kwargs)
