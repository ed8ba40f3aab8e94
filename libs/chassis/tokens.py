"""Access tokens: EdDSA-signed JWTs that identity issues and the gateway verifies locally."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

ALGORITHM = "EdDSA"
REQUIRED_CLAIMS = ["exp", "iat", "nbf", "iss", "aud", "sub", "sid", "roles"]
# A token with a kid we do not know makes us ask for the key set again, but no more often than
# this: otherwise anyone could make every request cost an RPC to identity.
JWKS_REFETCH_SECONDS = 30.0


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- keys -----------------------------------------------------------------------------------


class SigningKey:
    """An Ed25519 private key, named by the RFC 7638 thumbprint of its public half."""

    def __init__(self, private_key: Ed25519PrivateKey):
        self.private_key = private_key
        self._public_x = _b64url(
            private_key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
        )
        self.kid = _thumbprint(self._public_x)

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, data: bytes) -> SigningKey:
        key = serialization.load_pem_private_key(data, password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the PEM does not hold an Ed25519 private key")
        return cls(key)

    def to_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    def public_jwk(self) -> dict:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": self._public_x,
            "kid": self.kid,
            "alg": ALGORITHM,
            "use": "sig",
        }


def _thumbprint(public_x: str) -> str:
    # RFC 7638: the required members only, sorted, no whitespace, SHA-256, base64url.
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": public_x}, separators=(",", ":"), sort_keys=True
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def load_or_create_key(path: Path) -> SigningKey:
    """The key in `path`, made (mode 0600) when missing. For development; production mounts one."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        _create_exclusively(path, SigningKey.generate().to_pem())
    return SigningKey.from_pem(path.read_bytes())


def _create_exclusively(path: Path, content: bytes) -> None:
    # Written aside, then linked into place: a reader never sees half a key, and when two
    # processes race, the first link wins and both go on with the same key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- issuing --------------------------------------------------------------------------------


class TokenIssuer:
    """Signs access tokens with the first key; publishes all keys so older tokens still verify."""

    def __init__(self, keys: list[SigningKey], issuer: str, audience: str, ttl_seconds: int):
        if not keys:
            raise ValueError("at least one signing key is needed")
        if ttl_seconds <= 0:
            raise ValueError("ttl_seconds must be positive")
        self.keys = list(keys)
        self.issuer = issuer
        self.audience = audience
        self.ttl_seconds = ttl_seconds

    def issue(
        self, subject: str, roles: list[str], session_id: str, now: int | None = None
    ) -> tuple[str, int]:
        """(token, expires_in seconds)."""
        issued_at = int(time.time()) if now is None else int(now)
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "roles": list(roles),
            "sid": session_id,
            "iat": issued_at,
            "nbf": issued_at,
            "exp": issued_at + self.ttl_seconds,
            "jti": secrets.token_urlsafe(16),
        }
        signer = self.keys[0]
        token = jwt.encode(
            claims, signer.private_key, algorithm=ALGORITHM, headers={"kid": signer.kid}
        )
        return token, self.ttl_seconds

    def jwks(self) -> dict:
        return {"keys": [key.public_jwk() for key in self.keys]}


# --- verifying ------------------------------------------------------------------------------


class InvalidToken(Exception):
    """The token cannot be trusted; `reason` is a short code for logs and metrics."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class AccessClaims:
    subject: str
    roles: tuple[str, ...]
    session_id: str
    issued_at: int
    expires_at: int


# Most specific first: several PyJWT errors derive from DecodeError or from each other.
_REASONS: list[tuple[type[Exception], str]] = [
    (jwt.ExpiredSignatureError, "expired"),
    (jwt.ImmatureSignatureError, "not_yet_valid"),
    (jwt.InvalidAudienceError, "bad_audience"),
    (jwt.InvalidIssuerError, "bad_issuer"),
    (jwt.MissingRequiredClaimError, "missing_claim"),
    (jwt.InvalidSignatureError, "bad_signature"),
    (jwt.InvalidAlgorithmError, "bad_algorithm"),
    (jwt.InvalidTokenError, "malformed"),
]


class TokenVerifier:
    """Verifies access tokens against the issuer's published keys (JWKS), cached."""

    def __init__(
        self,
        fetch_jwks: Callable[[], dict],
        issuer: str,
        audience: str,
        leeway_seconds: int = 5,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._fetch_jwks = fetch_jwks
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, Ed25519PublicKey] | None = None
        self._refetched_at: float | None = None  # of the last fetch for an unknown kid

    def verify(self, token: str) -> AccessClaims:
        """The token's claims, or InvalidToken. Errors of fetch_jwks itself propagate."""
        header = _read_header(token)
        if header.get("alg") != ALGORITHM:
            # Checked before any key is chosen: no "none", no HMAC keyed with a public key.
            raise InvalidToken("bad_algorithm")
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise InvalidToken("malformed")
        key = self._key(kid)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(_reason(error)) from None
        return _access_claims(claims)

    def _key(self, kid: str) -> Ed25519PublicKey:
        keys = self._keys
        if keys is not None and kid in keys:
            return keys[kid]
        with self._lock:
            # Checked again under the lock: another thread may have fetched meanwhile.
            if self._keys is None:
                # Until a first fetch succeeds every token tries; its errors reach the caller.
                self._keys = _parse_jwks(self._fetch_jwks())
            elif kid not in self._keys and self._may_refetch():
                self._refetched_at = self._clock()
                self._keys = _parse_jwks(self._fetch_jwks())
            if kid not in self._keys:
                raise InvalidToken("unknown_key")
            return self._keys[kid]

    def _may_refetch(self) -> bool:
        return (
            self._refetched_at is None or self._clock() - self._refetched_at >= JWKS_REFETCH_SECONDS
        )


def _read_header(token: object) -> dict:
    if not isinstance(token, str) or not token:
        raise InvalidToken("malformed")
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise InvalidToken("malformed") from None


def _reason(error: Exception) -> str:
    return next(reason for kind, reason in _REASONS if isinstance(error, kind))


def _parse_jwks(jwks: dict) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 signing keys of a JWKS by kid; anything else in it is ignored."""
    keys = {}
    for jwk in jwks.get("keys", []):
        if not (
            isinstance(jwk, dict)
            and jwk.get("kty") == "OKP"
            and jwk.get("crv") == "Ed25519"
            and jwk.get("alg", ALGORITHM) == ALGORITHM
            and isinstance(jwk.get("kid"), str)
            and isinstance(jwk.get("x"), str)
        ):
            continue
        try:
            keys[jwk["kid"]] = Ed25519PublicKey.from_public_bytes(_b64url_decode(jwk["x"]))
        except ValueError:
            continue
    return keys


def _access_claims(claims: dict) -> AccessClaims:
    roles = claims["roles"]
    if not (isinstance(roles, list) and all(isinstance(role, str) for role in roles)):
        raise InvalidToken("malformed")
    if not (isinstance(claims["sid"], str) and isinstance(claims["sub"], str)):
        raise InvalidToken("malformed")
    return AccessClaims(
        subject=claims["sub"],
        roles=tuple(roles),
        session_id=claims["sid"],
        issued_at=int(claims["iat"]),
        expires_at=int(claims["exp"]),
    )
