"""Identity through the gateway and a real identity process: accounts, tokens, throttling."""

from __future__ import annotations

import statistics
import time

import pytest

from chassis.config import load_settings
from gateway.app import create_app
from tests.support import rabbit
from tests.support.amqp import EventCollector
from tests.support.processes import ServiceProcess

ADMIN = {"email": "admin@dpmptsp.example.go.id", "password": "admin-kuat-sekali-2026"}
SITI = {
    "nik": "3204014507900001",
    "name": "Siti Rahayu",
    "email": "siti@example.id",
    "phone": "0812-3456-7890",
    "password": "kopi-tubruk-pagi",
}
ACCOUNT_LIMIT, ADDRESS_LIMIT = 3, 8


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """One identity process and a gateway app on a private vhost, shared by this module."""
    vhost = rabbit.create_vhost()
    amqp_uri = rabbit.amqp_uri(vhost)
    tmp = tmp_path_factory.mktemp("identity")
    identity = ServiceProcess(
        "services.identity.service:IdentityService",
        {
            "GASPOL_DATA_DIR": str(tmp / "data"),
            "AMQP_URI": amqp_uri,
            "LOGIN_MAX_FAILURES": str(ACCOUNT_LIMIT),
            "LOGIN_MAX_FAILURES_PER_ADDRESS": str(ADDRESS_LIMIT),
            "PASSWORD_RESET_TTL": "3",
            "GASPOL_ADMIN_EMAIL": ADMIN["email"],
            "GASPOL_ADMIN_PASSWORD": ADMIN["password"],
        },
        tmp / "identity.log",
    )
    events = EventCollector(amqp_uri, "identity")
    identity.start()
    settings = load_settings({"AMQP_URI": amqp_uri, "SESSION_REVOCATION_POLL_SECONDS": "0.2"})
    yield {"app": create_app(settings), "events": events, "identity": identity}
    events.close()
    identity.stop()
    rabbit.delete_vhost(vhost)


_addresses = iter(range(1, 250))


@pytest.fixture
def client(platform):
    """A test client with its own client address, so address throttling stays per test."""
    return _client_from(platform, f"10.0.0.{next(_addresses)}")


def _client_from(platform, address: str):
    client = platform["app"].test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _bearer(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def _event(platform, event_type: str, **match) -> dict:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for event in platform["events"].events:
            data = event["data"]
            if event["event_type"] == event_type and all(
                data.get(k) == v for k, v in match.items()
            ):
                return event
        platform["events"].wait_for(len(platform["events"].events) + 1, timeout=0.3)
    raise AssertionError(f"no {event_type} event with {match}")


def _register(client, **overrides) -> dict:
    response = client.post("/api/v1/auth/register", json={**SITI, **overrides})
    assert response.status_code == 201, response.json
    return response.json


def _login(client, identifier, password) -> dict:
    response = client.post("/api/v1/auth/login", json={"email": identifier, "password": password})
    assert response.status_code == 200, response.json
    return response.json


def test_register_verify_and_see_the_masked_profile(platform, client):
    summary = _register(client)
    assert summary["roles"] == ["applicant"]
    assert summary["email"] == "siti@example.id"
    registered = _event(platform, "user_registered", user_id=summary["id"])
    assert registered["data"]["phone"] == "+6281234567890"
    assert "nik" not in str(registered["data"]).lower()

    tokens = _login(client, SITI["nik"], SITI["password"])  # sign in by NIK works too
    profile = client.get("/api/v1/me", headers=_bearer(tokens)).json
    assert profile["nik"] == "3204********0001"
    assert (profile["email_verified"], profile["phone_verified"]) == (False, False)

    wrong = client.post("/api/v1/auth/verify", json={"code": "000000"}, headers=_bearer(tokens))
    assert wrong.status_code == 422
    assert wrong.json["errors"][0]["field"] == "code"
    code = _event(platform, "verification_code_issued", user_id=summary["id"], channel="email")
    verified = client.post(
        "/api/v1/auth/verify", json={"code": code["data"]["code"]}, headers=_bearer(tokens)
    )
    assert verified.status_code == 200
    assert verified.json["email_verified"] is True
    assert verified.json["phone_verified"] is False


def test_registration_refuses_bad_and_duplicate_fields_by_name(client):
    bad = client.post(
        "/api/v1/auth/register",
        json={
            **SITI,
            "nik": "3204013202900001",
            "phone": "12345678",
            "email": "x@y.id",
            "password": "password",
        },
    )
    assert bad.status_code == 422
    fields = {error["field"]: error["code"] for error in bad.json["errors"]}
    assert fields["nik"] == "nik_birth_date"
    assert fields["password"] in {"password_common", "password_too_short"}
    assert "phone" in fields

    unknown_field = client.post("/api/v1/auth/register", json={**SITI, "admin": True})
    assert unknown_field.status_code == 422
    assert unknown_field.json["errors"][0]["field"] == "admin"

    _register(client, nik="3173054101850002", email="dupe@example.id", phone="081298765432")
    again = client.post(
        "/api/v1/auth/register",
        json={
            **SITI,
            "nik": "3173054101850003",
            "email": "DUPE@example.id",
            "phone": "081298765433",
        },
    )
    assert again.status_code == 409
    assert again.json["errors"][0]["field"] == "email"


def test_refresh_rotates_and_a_reused_token_ends_the_session(platform, client):
    _register(client, nik="3171015506880004", email="rotasi@example.id", phone="081311112222")
    first = _login(client, "rotasi@example.id", SITI["password"])
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    assert second.json["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/me", headers=_bearer(second.json)).status_code == 200

    replayed = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replayed.status_code == 401
    # The replay revoked the whole session: the newest refresh token and access token too.
    newest = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": second.json["refresh_token"]}
    )
    assert newest.status_code == 401
    time.sleep(0.5)  # the gateway's revocation list refreshes every 0.2 s here
    assert client.get("/api/v1/me", headers=_bearer(second.json)).json["code"] == "token_revoked"


def test_logout_ends_the_session_at_once(client):
    _register(client, nik="3171016607910005", email="keluar@example.id", phone="081322223333")
    tokens = _login(client, "keluar@example.id", SITI["password"])
    assert client.post("/api/v1/auth/logout", headers=_bearer(tokens)).status_code == 204
    assert client.get("/api/v1/me", headers=_bearer(tokens)).status_code == 401
    again = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 401


def test_failed_sign_ins_are_throttled_per_account_and_look_alike(client):
    _register(client, nik="3171011708920006", email="batas@example.id", phone="081333334444")
    answers = []
    for _ in range(ACCOUNT_LIMIT):
        answers.append(
            client.post(
                "/api/v1/auth/login", json={"email": "batas@example.id", "password": "salah-sekali"}
            )
        )
    for _ in range(ACCOUNT_LIMIT):
        answers.append(
            client.post(
                "/api/v1/auth/login", json={"email": "tidak-ada@example.id", "password": "salah"}
            )
        )
    assert {a.status_code for a in answers} == {401}
    assert len({_without_id(a.json) for a in answers}) == 1

    for identifier in ("batas@example.id", "tidak-ada@example.id"):
        blocked = client.post(
            "/api/v1/auth/login", json={"email": identifier, "password": "kopi-tubruk-pagi"}
        )
        assert blocked.status_code == 429
        assert int(blocked.headers["Retry-After"]) >= 1
        assert blocked.json["code"] == "too_many_attempts"


def test_failed_sign_ins_are_throttled_per_address(client):
    for n in range(ADDRESS_LIMIT):
        client.post("/api/v1/auth/login", json={"email": f"orang{n}@example.id", "password": "x"})
    blocked = client.post("/api/v1/auth/login", json={"email": "baru@example.id", "password": "x"})
    assert blocked.status_code == 429


def test_unknown_and_known_accounts_take_the_same_time(platform):
    client = platform["app"].test_client()
    _register(client, nik="3171011809930007", email="waktu@example.id", phone="081344445555")

    def timed(identifier, n):
        other = _client_from(platform, f"10.1.{n}.1")
        started = time.perf_counter()
        other.post("/api/v1/auth/login", json={"email": identifier, "password": "salah-lagi"})
        return time.perf_counter() - started

    # Fresh addresses, and no more tries per account than the limit: nothing is throttled.
    known = [timed("waktu@example.id", n) for n in range(ACCOUNT_LIMIT)]
    unknown = [timed(f"hantu{n}@example.id", n + 100) for n in range(ACCOUNT_LIMIT)]
    ratio = statistics.median(unknown) / statistics.median(known)
    assert 0.5 < ratio < 2, (known, unknown)


def test_password_reset_is_single_use_and_expires(platform, client):
    accepted = client.post("/api/v1/auth/password-reset", json={"email": "siapa@example.id"})
    assert accepted.status_code == 202  # unknown accounts answer the same

    user = _register(client, nik="3171011910940008", email="lupa@example.id", phone="081355556666")
    old_session = _login(client, "lupa@example.id", SITI["password"])
    assert (
        client.post("/api/v1/auth/password-reset", json={"email": "lupa@example.id"}).status_code
        == 202
    )
    token = _event(platform, "password_reset_requested", user_id=user["id"])["data"]["token"]
    confirm = {"token": token, "password": "teh-manis-hangat"}
    assert client.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 204
    assert client.post("/api/v1/auth/password-reset/confirm", json=confirm).status_code == 422
    _login(client, "lupa@example.id", "teh-manis-hangat")
    stale = client.post(
        "/api/v1/auth/refresh", json={"refresh_token": old_session["refresh_token"]}
    )
    assert stale.status_code == 401

    client.post("/api/v1/auth/password-reset", json={"email": "lupa@example.id"})
    later = [e for e in platform["events"].events if e["event_type"] == "password_reset_requested"]
    _event(platform, "password_reset_requested", user_id=user["id"])
    time.sleep(3.5)  # PASSWORD_RESET_TTL is 3 s in this module
    expired = {"token": later[-1]["data"]["token"], "password": "kopi-susu-dingin"}
    assert client.post("/api/v1/auth/password-reset/confirm", json=expired).status_code == 422


def test_admin_creates_officers_and_role_changes_end_their_sessions(platform, client):
    admin = _login(client, ADMIN["email"], ADMIN["password"])
    created = client.post(
        "/api/v1/users",
        json={
            "email": "budi@dpmptsp.example.go.id",
            "name": "Budi Santoso",
            "roles": ["frontdesk"],
            "password": "verifikasi-berkas-1",
        },
        headers=_bearer(admin),
    )
    assert created.status_code == 201, created.json
    officer = _login(client, "budi@dpmptsp.example.go.id", "verifikasi-berkas-1")
    assert client.get("/api/v1/me", headers=_bearer(officer)).json["roles"] == ["frontdesk"]

    forbidden = client.post(
        "/api/v1/users",
        json={"email": "x@example.id", "name": "X", "roles": ["admin"]},
        headers=_bearer(officer),
    )
    assert forbidden.status_code == 403

    changed = client.patch(
        f"/api/v1/users/{created.json['id']}",
        json={"roles": ["frontdesk", "surveyor"]},
        headers=_bearer(admin),
    )
    assert changed.json["roles"] == ["frontdesk", "surveyor"]
    time.sleep(0.5)
    assert client.get("/api/v1/me", headers=_bearer(officer)).status_code == 401
    listed = client.get("/api/v1/users?role=frontdesk", headers=_bearer(admin)).json
    assert [u["email"] for u in listed["items"]] == ["budi@dpmptsp.example.go.id"]


def test_no_plaintext_nik_in_the_service_log(platform, client):
    _register(client, nik="3171012011950009", email="log@example.id", phone="081366667777")
    _login(client, "3171012011950009", SITI["password"])
    log = platform["identity"].log_path.read_text()
    for nik in (SITI["nik"], "3171012011950009", "3171011910940008"):
        assert nik not in log


def _without_id(problem: dict) -> str:
    return str({k: v for k, v in problem.items() if k != "correlation_id"})


def test_sign_ins_and_role_changes_are_audited_with_actor_and_address(platform):
    admin_client = _client_from(platform, "10.9.9.9")
    admin = _login(admin_client, ADMIN["email"], ADMIN["password"])
    entries = admin_client.get("/api/v1/audit/identity?limit=500", headers=_bearer(admin)).json
    actions = [entry["action"] for entry in entries["items"]]
    assert {"signed_in", "sign_in_failed", "user_updated", "password_reset"} <= set(actions)
    own = next(
        e for e in entries["items"] if e["action"] == "signed_in" and e["address"] == "10.9.9.9"
    )
    assert own["subject"]
    verification = admin_client.get(
        "/api/v1/audit/identity/verification", headers=_bearer(admin)
    ).json
    assert verification["ok"] is True
    assert verification["checked"] >= len(actions)

    applicant = _client_from(platform, "10.9.9.10")
    _register(applicant, nik="3171012212960010", email="intip@example.id", phone="081377778888")
    peeker = _login(applicant, "intip@example.id", SITI["password"])
    assert applicant.get("/api/v1/audit/identity", headers=_bearer(peeker)).status_code == 403
