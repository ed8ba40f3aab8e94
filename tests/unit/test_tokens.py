"""Access tokens: issued by identity, verified by the gateway, and every forgery refused."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
import threading
import time

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from chassis.tokens import (
    JWKS_REFETCH_SECONDS,
    AccessClaims,
    InvalidToken,
    SigningKey,
    TokenIssuer,
    TokenVerifier,
    load_or_create_key,
)

ISSUER = "https://gaspol.test/identity"
AUDIENCE = "gaspol-api"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value).encode())


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeJwks:
    """The identity service's JWKS RPC: a key set that can change, and a count of calls."""

    def __init__(self, *keys: SigningKey):
        self.keys = list(keys)
        self.calls = 0

    def __call__(self) -> dict:
        self.calls += 1
        return {"keys": [key.public_jwk() for key in self.keys]}


@pytest.fixture(scope="module")
def current_key():
    return SigningKey.generate()


@pytest.fixture(scope="module")
def previous_key():
    return SigningKey.generate()


@pytest.fixture
def jwks(current_key, previous_key):
    return FakeJwks(current_key, previous_key)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def verifier(jwks, clock):
    return TokenVerifier(jwks, ISSUER, AUDIENCE, clock=clock)


@pytest.fixture
def issuer(current_key, previous_key):
    return TokenIssuer([current_key, previous_key], ISSUER, AUDIENCE, ttl_seconds=300)


def claims(**changes) -> dict:
    """Valid claims for now, with some changed; a value of None drops the claim."""
    now = int(time.time())
    values = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-1",
        "roles": ["applicant"],
        "sid": "session-1",
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": "jti-1",
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def signed(key: SigningKey, kid: str | None = None, **changes) -> str:
    return jwt.encode(
        claims(**changes), key.private_key, algorithm="EdDSA", headers={"kid": kid or key.kid}
    )


def refused(verifier: TokenVerifier, token) -> str:
    with pytest.raises(InvalidToken) as caught:
        verifier.verify(token)
    return caught.value.reason


# --- keys -----------------------------------------------------------------------------------


def test_the_kid_is_the_rfc7638_thumbprint():
    # RFC 8037 appendix A: the Ed25519 example key and its thumbprint.
    private = base64.urlsafe_b64decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")
    key = SigningKey(Ed25519PrivateKey.from_private_bytes(private))
    assert key.public_jwk()["x"] == "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    assert key.kid == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_a_key_survives_pem(current_key):
    pem = current_key.to_pem()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert SigningKey.from_pem(pem).kid == current_key.kid


def test_a_pem_of_another_kind_of_key_is_refused():
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(ValueError):
        SigningKey.from_pem(pem)


def test_the_public_jwk_has_no_private_part(current_key):
    jwk = current_key.public_jwk()
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": jwk["x"],
        "kid": current_key.kid,
        "alg": "EdDSA",
        "use": "sig",
    }


def test_a_key_file_is_created_private_once_and_then_reused(tmp_path):
    path = tmp_path / "keys" / "access-token.pem"
    created = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path).kid == created.kid
    assert [p.name for p in path.parent.iterdir()] == ["access-token.pem"]


# --- issuing --------------------------------------------------------------------------------


def test_an_issued_token_carries_the_claims_and_the_kid(issuer, current_key):
    token, expires_in = issuer.issue("user-1", ["head", "admin"], "session-1", now=1_700_000_000)
    assert expires_in == 300
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("EdDSA", current_key.kid)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload == {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-1",
        "roles": ["head", "admin"],
        "sid": "session-1",
        "iat": 1_700_000_000,
        "nbf": 1_700_000_000,
        "exp": 1_700_000_300,
        "jti": payload["jti"],
    }


def test_every_token_has_its_own_id(issuer):
    first, _ = issuer.issue("user-1", ["applicant"], "session-1")
    second, _ = issuer.issue("user-1", ["applicant"], "session-1")
    ids = {jwt.decode(t, options={"verify_signature": False})["jti"] for t in (first, second)}
    assert len(ids) == 2


def test_the_jwks_publishes_every_key(issuer, current_key, previous_key):
    assert issuer.jwks() == {"keys": [current_key.public_jwk(), previous_key.public_jwk()]}


def test_an_issuer_needs_a_key_and_a_lifetime(current_key):
    with pytest.raises(ValueError):
        TokenIssuer([], ISSUER, AUDIENCE, ttl_seconds=300)
    with pytest.raises(ValueError):
        TokenIssuer([current_key], ISSUER, AUDIENCE, ttl_seconds=0)


# --- verifying: the good ones ---------------------------------------------------------------


def test_round_trip(issuer, verifier):
    token, _ = issuer.issue("user-1", ["head", "admin"], "session-1")
    found = verifier.verify(token)
    assert found == AccessClaims(
        subject="user-1",
        roles=("head", "admin"),
        session_id="session-1",
        issued_at=found.issued_at,
        expires_at=found.issued_at + 300,
    )
    assert abs(found.issued_at - time.time()) < 5


def test_the_key_set_is_fetched_once_and_cached(issuer, verifier, jwks):
    for _ in range(3):
        verifier.verify(issuer.issue("user-1", ["applicant"], "session-1")[0])
    assert jwks.calls == 1


def test_a_token_of_the_older_published_key_still_verifies(previous_key, verifier):
    assert verifier.verify(signed(previous_key)).subject == "user-1"


def test_a_new_key_is_found_by_fetching_again(current_key, verifier, jwks):
    verifier.verify(signed(current_key))
    rotated = SigningKey.generate()
    jwks.keys.insert(0, rotated)
    assert verifier.verify(signed(rotated)).subject == "user-1"
    assert jwks.calls == 2
    assert verifier.verify(signed(rotated)).subject == "user-1"
    assert jwks.calls == 2


def test_clock_skew_within_the_leeway_is_accepted(current_key, verifier):
    now = int(time.time())
    assert verifier.verify(signed(current_key, exp=now - 2)).subject == "user-1"
    assert verifier.verify(signed(current_key, nbf=now + 2, iat=now + 2)).subject == "user-1"


# --- verifying: the bad ones ----------------------------------------------------------------


def test_an_unsigned_token_is_refused(current_key, verifier):
    header = {"alg": "none", "typ": "JWT", "kid": current_key.kid}
    token = f"{b64url_json(header)}.{b64url_json(claims())}."
    assert refused(verifier, token) == "bad_algorithm"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_every_spelling_of_none_is_refused(current_key, verifier, alg):
    header = {"alg": alg, "kid": current_key.kid}
    token = f"{b64url_json(header)}.{b64url_json(claims())}."
    assert refused(verifier, token) == "bad_algorithm"


def _hs256(secret: bytes, kid: str) -> str:
    signing_input = f"{b64url_json({'alg': 'HS256', 'kid': kid})}.{b64url_json(claims())}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def test_hmac_keyed_with_the_public_key_is_refused(current_key, verifier):
    public = current_key.private_key.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    for secret in (pem, raw, current_key.public_jwk()["x"].encode()):
        assert refused(verifier, _hs256(secret, current_key.kid)) == "bad_algorithm"


@pytest.mark.parametrize(
    ("alg", "make_key"),
    [
        ("RS256", lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)),
        ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
    ],
)
def test_other_asymmetric_algorithms_are_refused(current_key, verifier, alg, make_key):
    token = jwt.encode(claims(), make_key(), algorithm=alg, headers={"kid": current_key.kid})
    assert refused(verifier, token) == "bad_algorithm"


def test_an_expired_token_is_refused(current_key, verifier):
    now = int(time.time())
    token = signed(current_key, iat=now - 600, nbf=now - 600, exp=now - 60)
    assert refused(verifier, token) == "expired"


def test_a_token_issued_long_ago_is_expired_too(issuer, verifier):
    token, _ = issuer.issue("user-1", ["applicant"], "session-1", now=int(time.time()) - 3600)
    assert refused(verifier, token) == "expired"


def test_a_token_not_yet_valid_is_refused(current_key, verifier):
    assert refused(verifier, signed(current_key, nbf=int(time.time()) + 60)) == "not_yet_valid"


def test_a_token_issued_in_the_future_is_refused(current_key, verifier):
    later = int(time.time()) + 60
    assert refused(verifier, signed(current_key, iat=later, nbf=later)) == "not_yet_valid"


def test_a_token_for_another_audience_is_refused(current_key, verifier):
    assert refused(verifier, signed(current_key, aud="another-api")) == "bad_audience"


def test_a_token_of_another_issuer_is_refused(current_key, verifier):
    assert refused(verifier, signed(current_key, iss="https://evil.example")) == "bad_issuer"


@pytest.mark.parametrize("claim", ["sid", "sub", "exp", "iat", "nbf", "iss", "aud", "roles"])
def test_a_token_missing_a_required_claim_is_refused(current_key, verifier, claim):
    assert refused(verifier, signed(current_key, **{claim: None})) == "missing_claim"


def test_a_signature_by_another_key_under_our_kid_is_refused(current_key, verifier):
    impostor = SigningKey.generate()
    assert refused(verifier, signed(impostor, kid=current_key.kid)) == "bad_signature"


def test_claims_changed_after_signing_are_refused(current_key, verifier):
    header, _, signature = signed(current_key).split(".")
    raised = b64url_json(claims(roles=["admin"]))
    assert refused(verifier, f"{header}.{raised}.{signature}") == "bad_signature"


def test_a_changed_signature_is_refused(current_key, verifier):
    header, payload, signature = signed(current_key).split(".")
    changed = ("B" if signature[0] == "A" else "A") + signature[1:]
    assert refused(verifier, f"{header}.{payload}.{changed}") == "bad_signature"


@pytest.mark.parametrize("roles", ["admin", {"admin": True}, [1, 2], ["admin", None], [["admin"]]])
def test_roles_must_be_a_list_of_strings(current_key, verifier, roles):
    assert refused(verifier, signed(current_key, roles=roles)) == "malformed"


@pytest.mark.parametrize(("claim", "value"), [("sid", 7), ("sub", 7), ("exp", "soon")])
def test_claims_of_the_wrong_type_are_refused(current_key, verifier, claim, value):
    assert refused(verifier, signed(current_key, **{claim: value})) == "malformed"


def test_a_token_without_a_kid_is_refused(current_key, verifier):
    token = jwt.encode(claims(), current_key.private_key, algorithm="EdDSA")
    assert refused(verifier, token) == "malformed"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "a.b.c",
        "....",
        "eyJhbGciOiJFZERTQSJ9",  # a header alone
        None,
        b"bytes.are.not.text",
        12345,
    ],
)
def test_garbage_is_refused(verifier, token):
    assert refused(verifier, token) == "malformed"


def test_truncated_tokens_are_refused(current_key, verifier):
    token = signed(current_key)
    assert refused(verifier, token.rsplit(".", 1)[0]) == "malformed"
    assert refused(verifier, token[: len(token) // 3]) == "malformed"
    # Whether the cut signature still decodes as base64 depends on its last bits.
    assert refused(verifier, token[:-4]) in {"malformed", "bad_signature"}


# --- unknown keys and re-fetching -----------------------------------------------------------


def test_an_unknown_kid_fetches_again_at_most_once_per_interval(current_key, verifier, jwks, clock):
    verifier.verify(signed(current_key))
    stranger = SigningKey.generate()
    assert refused(verifier, signed(stranger)) == "unknown_key"
    assert jwks.calls == 2
    for _ in range(5):
        clock.now += 5
        assert refused(verifier, signed(stranger)) == "unknown_key"
    assert jwks.calls == 2, "no new fetch within the interval"
    clock.now += JWKS_REFETCH_SECONDS
    assert refused(verifier, signed(stranger)) == "unknown_key"
    assert jwks.calls == 3


def test_concurrent_unknown_kids_cause_one_fetch(current_key, jwks, clock):
    def slow_jwks():
        time.sleep(0.02)  # lets the other threads pile up on the lock
        return jwks()

    verifier = TokenVerifier(slow_jwks, ISSUER, AUDIENCE, clock=clock)
    verifier.verify(signed(current_key))
    clock.now += JWKS_REFETCH_SECONDS
    stranger_token = signed(SigningKey.generate())
    reasons = []

    def attempt():
        try:
            verifier.verify(stranger_token)
        except InvalidToken as error:
            reasons.append(error.reason)

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reasons == ["unknown_key"] * 8
    assert jwks.calls == 2


def test_a_failing_first_fetch_is_tried_again_on_the_next_token(current_key, clock):
    answers = [ConnectionError("identity is down"), {"keys": [current_key.public_jwk()]}]

    def flaky_jwks():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    verifier = TokenVerifier(flaky_jwks, ISSUER, AUDIENCE, clock=clock)
    with pytest.raises(ConnectionError):
        verifier.verify(signed(current_key))
    assert verifier.verify(signed(current_key)).subject == "user-1"


def test_foreign_and_broken_entries_of_the_key_set_are_ignored(current_key, clock):
    rsa_jwk = {"kty": "RSA", "kid": "rsa-1", "n": "AQAB", "e": "AQAB"}
    broken_jwk = {"kty": "OKP", "crv": "Ed25519", "kid": "broken", "x": "not-32-bytes"}
    keys = {"keys": [rsa_jwk, broken_jwk, "junk", current_key.public_jwk()]}
    verifier = TokenVerifier(lambda: keys, ISSUER, AUDIENCE, clock=clock)
    assert verifier.verify(signed(current_key)).subject == "user-1"
    assert refused(verifier, signed(current_key, kid="rsa-1")) == "unknown_key"
    assert refused(verifier, signed(current_key, kid="broken")) == "unknown_key"
