"""The gateway refuses every bad access token with 401, and a revoked session too."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from chassis.config import load_settings
from chassis.tokens import SigningKey, TokenIssuer
from gateway.app import create_app

ISSUER, AUDIENCE = "gaspol-identity", "gaspol-api"


class FakeIdentity:
    """Answers the two calls the gateway makes for authentication, and `me`."""

    def __init__(self, issuer: TokenIssuer):
        self.issuer = issuer
        self.revoked: list[str] = []

    def call(self, service, method, kwargs=None, **_):
        if method == "public_keys":
            return self.issuer.jwks()
        if method == "revoked_sessions":
            return {"now": "2026-12-04T00:00:00+00:00", "sessions": self.revoked}
        return {"id": "u1"}


@pytest.fixture
def key():
    return SigningKey.generate()


@pytest.fixture
def identity(key):
    return FakeIdentity(TokenIssuer([key], ISSUER, AUDIENCE, ttl_seconds=900))


@pytest.fixture
def client(identity):
    settings = load_settings({"SESSION_REVOCATION_POLL_SECONDS": "0.01"})
    return create_app(settings, rpc=identity).test_client()


def _claims(**changes):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "u1",
        "roles": ["applicant"],
        "sid": "s1",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": "j",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(key: SigningKey, kid=None, **changes) -> str:
    return jwt.encode(
        _claims(**changes), key.private_key, algorithm="EdDSA", headers={"kid": kid or key.kid}
    )


def _hs256_by_hand(claims: dict, secret: bytes, kid: str) -> str:
    """The classic key-confusion forgery; PyJWT refuses to make it, so it is built here."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = part(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{part(signature)}"


def _bad_tokens(key: SigningKey) -> dict[str, str]:
    public_pem = key.private_key.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    return {
        "alg none": jwt.encode(_claims(), None, algorithm="none", headers={"kid": key.kid}),
        "HS256 with the public key": _hs256_by_hand(_claims(), public_pem, key.kid),
        "RS256 foreign key": jwt.encode(
            _claims(),
            rsa.generate_private_key(65537, 2048),
            algorithm="RS256",
            headers={"kid": key.kid},
        ),
        "ES256 foreign key": jwt.encode(
            _claims(),
            ec.generate_private_key(ec.SECP256R1()),
            algorithm="ES256",
            headers={"kid": key.kid},
        ),
        "expired": _signed(key, exp=now - 60, iat=now - 1000, nbf=now - 1000),
        "not yet valid": _signed(key, nbf=now + 600),
        "wrong audience": _signed(key, aud="someone-else"),
        "wrong issuer": _signed(key, iss="evil"),
        "unknown kid": _signed(key, kid="no-such-key"),
        "same kid, other key": _signed(SigningKey.generate(), kid=key.kid),
        "no session": _signed(key, sid=None),
        "garbage": "not.a.token",
    }


def test_every_bad_token_is_refused_with_401(client, key):
    for name, token in _bad_tokens(key).items():
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.mimetype == "application/problem+json", name
        assert response.json["code"].startswith("token_"), name


def test_no_token_is_401_and_a_good_token_passes(client, key):
    assert client.get("/api/v1/me").json["code"] == "token_missing"
    good = _signed(key)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {good}"}).status_code == 200


def test_a_revoked_session_is_refused(client, identity, key):
    token = _signed(key, sid="ended")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    identity.revoked.append("ended")
    time.sleep(0.05)
    refused = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert refused.json["code"] == "token_revoked"
