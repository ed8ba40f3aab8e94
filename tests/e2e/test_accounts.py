"""A person's account over HTTP against the running platform: register, verify, sign in, me,
refresh, sign out."""

from __future__ import annotations

import json
import re
import time

import requests

PERSON = {
    "nik": "3578016203990003",
    "name": "Dewi Lestari",
    "email": "dewi@example.id",
    "phone": "+62 857 1234 5678",
    "password": "sate-ayam-madura",
}


def _gateway(platform) -> str:
    return f"http://127.0.0.1:{platform.gateway_port}"


def _code_from_log(platform, user_id: str, channel: str) -> str:
    """Development mode writes one-time codes to identity's log (until notifications exist)."""
    pattern = re.compile(rf"development: {channel} verification code for {user_id} is (\d{{6}})")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for line in (platform.log_dir / "identity.log").read_text().splitlines():
            if line.startswith("{") and (found := pattern.search(json.loads(line)["message"])):
                return found.group(1)
        time.sleep(0.1)
    raise AssertionError("no code in the identity log")


def test_a_person_registers_verifies_signs_in_refreshes_and_signs_out(platform):
    api = f"{_gateway(platform)}/api/v1"
    registered = requests.post(f"{api}/auth/register", json=PERSON, timeout=10)
    assert registered.status_code == 201, registered.text
    user_id = registered.json()["id"]

    tokens = requests.post(
        f"{api}/auth/login",
        json={"email": PERSON["email"], "password": PERSON["password"]},
        timeout=10,
    )
    assert tokens.status_code == 200
    tokens = tokens.json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert tokens["token_type"] == "Bearer"

    for channel in ("email", "phone"):
        code = _code_from_log(platform, user_id, channel)
        verified = requests.post(
            f"{api}/auth/verify", json={"code": code}, headers=bearer, timeout=10
        )
        assert verified.status_code == 200, verified.text
    me = requests.get(f"{api}/me", headers=bearer, timeout=10).json()
    assert me["email_verified"] and me["phone_verified"]
    assert me["nik"] == "3578********0003"
    assert me["phone"] == "+6285712345678"

    renewed = requests.post(
        f"{api}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}, timeout=10
    )
    assert renewed.status_code == 200
    bearer = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
    assert requests.get(f"{api}/me", headers=bearer, timeout=10).status_code == 200

    assert requests.post(f"{api}/auth/logout", headers=bearer, timeout=10).status_code == 204
    after = requests.get(f"{api}/me", headers=bearer, timeout=10)
    assert after.status_code == 401
    assert after.headers["Content-Type"] == "application/problem+json"
