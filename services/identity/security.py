"""The identity service's cryptography: password hashes, personal data encryption, secrets."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

import argon2
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from chassis.offload import off_hub

# --- passwords ------------------------------------------------------------------------------

# OWASP Password Storage Cheat Sheet, argon2id: 19 MiB of memory, 2 iterations, 1 lane.
ARGON2_MEMORY_KIB = 19456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
ARGON2_HASH_LENGTH = 32
ARGON2_SALT_LENGTH = 16

# A hash made with the parameters above from a password nobody uses; verifying against it costs
# what a real verification costs. Make a new one whenever the parameters change (a test checks).
DUMMY_HASH = (
    "$argon2id$v=19$m=19456,t=2,p=1$2ApXFwxcxAYoR6tN/MPCow"
    "$NAWlJ+xdz4DLQY9g8+IIdF6yzrnW7iJYG0GA3eYiPV4"
)


class PasswordHasher:
    """argon2id hashing; the slow calls run off the eventlet hub."""

    def __init__(self):
        self._argon2 = argon2.PasswordHasher(
            time_cost=ARGON2_TIME_COST,
            memory_cost=ARGON2_MEMORY_KIB,
            parallelism=ARGON2_PARALLELISM,
            hash_len=ARGON2_HASH_LENGTH,
            salt_len=ARGON2_SALT_LENGTH,
            type=argon2.Type.ID,
        )

    def hash(self, password: str) -> str:
        return off_hub(self._argon2.hash, password)

    def verify(self, stored_hash: str, password: str) -> bool:
        """True when the password matches; False otherwise, also for a corrupt stored hash."""
        return off_hub(self._matches, stored_hash, password)

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters (or cannot be read)."""
        try:
            return self._argon2.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def verify_dummy(self, password: str) -> bool:
        """Spend a verification's time and answer False: unknown accounts cost as much as known."""
        off_hub(self._matches, DUMMY_HASH, password)
        return False

    def _matches(self, stored_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False


# --- personal data (the NIK) ----------------------------------------------------------------

KEY_LENGTH = 32  # AES-256 and HMAC-SHA256
NONCE_LENGTH = 12  # what AES-GCM is specified for
CIPHERTEXT_PREFIX = "v1:"  # names the scheme, so a later one can be told apart


class DecryptionFailed(ValueError):
    """The token is not ours: malformed, tampered with, or encrypted under another key."""


class PersonalDataCipher:
    """Encrypts personal data at rest and makes keyed hashes to find it without decrypting."""

    def __init__(self, encryption_key: bytes, lookup_key: bytes):
        for name, key in (("encryption_key", encryption_key), ("lookup_key", lookup_key)):
            if not isinstance(key, bytes) or len(key) != KEY_LENGTH:
                raise ValueError(f"{name} must be exactly {KEY_LENGTH} bytes")
        # One key for both jobs would tie the lookup hashes to the encryption key's fate.
        if encryption_key == lookup_key:
            raise ValueError("encryption_key and lookup_key must differ")
        self._aead = AESGCM(encryption_key)
        self._lookup_key = lookup_key

    @staticmethod
    def generate_keys() -> tuple[bytes, bytes]:
        """A fresh (encryption_key, lookup_key) pair."""
        return secrets.token_bytes(KEY_LENGTH), secrets.token_bytes(KEY_LENGTH)

    def encrypt(self, text: str) -> str:
        nonce = secrets.token_bytes(NONCE_LENGTH)  # random per message: never reuse with a key
        ciphertext = self._aead.encrypt(nonce, text.encode(), None)
        return CIPHERTEXT_PREFIX + base64.urlsafe_b64encode(nonce + ciphertext).decode("ascii")

    def decrypt(self, token: str) -> str:
        if not token.startswith(CIPHERTEXT_PREFIX):
            raise DecryptionFailed("unknown ciphertext version")
        try:
            raw = base64.urlsafe_b64decode(token[len(CIPHERTEXT_PREFIX) :])
        except (binascii.Error, ValueError):
            raise DecryptionFailed("ciphertext is not base64") from None
        nonce, ciphertext = raw[:NONCE_LENGTH], raw[NONCE_LENGTH:]
        if len(nonce) != NONCE_LENGTH:
            raise DecryptionFailed("ciphertext too short")
        try:
            return self._aead.decrypt(nonce, ciphertext, None).decode()
        except InvalidTag:
            raise DecryptionFailed("ciphertext was altered or uses another key") from None

    def lookup_hash(self, text: str) -> str:
        """HMAC-SHA256 hex: equal texts give equal hashes; without the key it reveals nothing.

        Normalise the text first (validate_nik strips it): the hash sees every byte.
        """
        return hmac.new(self._lookup_key, text.encode(), hashlib.sha256).hexdigest()


# --- secrets and one-time codes -------------------------------------------------------------

SECRET_BYTES = 32


def new_secret() -> tuple[str, str]:
    """A url-safe random token for the client and its SHA-256 hex to store (refresh, reset)."""
    token = secrets.token_urlsafe(SECRET_BYTES)
    return token, hash_secret(token)


def hash_secret(token: str) -> str:
    # A 256-bit random token needs no salt or slow hash: guessing it is already hopeless.
    return hashlib.sha256(token.encode()).hexdigest()


def new_code(digits: int = 6) -> str:
    """A uniformly random numeric code, zero-padded: '004217'."""
    if digits < 1:
        raise ValueError("a code has at least one digit")
    return f"{secrets.randbelow(10**digits):0{digits}d}"
