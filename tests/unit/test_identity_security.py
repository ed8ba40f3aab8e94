"""The identity service's cryptography: argon2id, the NIK cipher, secrets and codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import statistics
import time

import argon2
import pytest

from services.identity import security
from services.identity.security import (
    DUMMY_HASH,
    DecryptionFailed,
    PasswordHasher,
    PersonalDataCipher,
    hash_secret,
    new_code,
    new_secret,
)


@pytest.fixture(scope="module")
def hasher():
    return PasswordHasher()


@pytest.fixture(scope="module")
def stored(hasher):
    return hasher.hash("kopi-tubruk-2024")


# --- passwords ------------------------------------------------------------------------------


def test_a_hash_is_argon2id_at_owasp_parameters(stored):
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    parameters = argon2.extract_parameters(stored)
    assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
        security.ARGON2_MEMORY_KIB,
        security.ARGON2_TIME_COST,
        security.ARGON2_PARALLELISM,
    )


def test_the_right_password_verifies_and_a_wrong_one_does_not(hasher, stored):
    assert hasher.verify(stored, "kopi-tubruk-2024") is True
    assert hasher.verify(stored, "kopi-tubruk-2025") is False
    assert hasher.verify(stored, "") is False


def test_a_corrupt_stored_hash_verifies_nothing(hasher):
    assert hasher.verify("not a hash", "kopi-tubruk-2024") is False
    assert hasher.verify("", "") is False


def test_each_hash_has_its_own_salt(hasher, stored):
    assert hasher.hash("kopi-tubruk-2024") != stored


def test_a_hash_with_weaker_parameters_needs_rehash(hasher, stored):
    weak = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    old_hash = weak.hash("kopi-tubruk-2024")
    assert hasher.verify(old_hash, "kopi-tubruk-2024") is True
    assert hasher.needs_rehash(old_hash) is True
    assert hasher.needs_rehash(stored) is False
    assert hasher.needs_rehash("not a hash") is True


def test_the_dummy_hash_follows_the_current_parameters(hasher):
    assert hasher.needs_rehash(DUMMY_HASH) is False


def test_a_dummy_verification_is_always_false(hasher):
    assert hasher.verify_dummy("kopi-tubruk-2024") is False
    assert hasher.verify_dummy("gaspol-dummy-password-never-used") is False


def _median_seconds(call, runs: int = 5) -> float:
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


def test_an_unknown_account_costs_as_much_time_as_a_known_one(hasher, stored):
    real = _median_seconds(lambda: hasher.verify(stored, "wrong password"))
    dummy = _median_seconds(lambda: hasher.verify_dummy("wrong password"))
    assert real / 2 <= dummy <= real * 2, (real, dummy)


def test_the_slow_calls_run_through_off_hub(hasher, stored, monkeypatch):
    offloaded = []

    def recording_off_hub(fn, *args, **kwargs):
        offloaded.append(fn)
        return fn(*args, **kwargs)

    monkeypatch.setattr(security, "off_hub", recording_off_hub)
    hasher.hash("kopi-tubruk-2024")
    hasher.verify(stored, "kopi-tubruk-2024")
    hasher.verify_dummy("kopi-tubruk-2024")
    assert len(offloaded) == 3


# --- personal data --------------------------------------------------------------------------

NIK = "3214011708900001"


@pytest.fixture
def keys():
    return PersonalDataCipher.generate_keys()


@pytest.fixture
def cipher(keys):
    return PersonalDataCipher(*keys)


def _raw(token: str) -> bytes:
    return base64.urlsafe_b64decode(token.removeprefix("v1:"))


@pytest.mark.parametrize("text", [NIK, "", "Siti Nurhaliza — Jl. Merdeka 17 ✓"])
def test_encryption_round_trips(cipher, text):
    token = cipher.encrypt(text)
    assert token.startswith("v1:")
    assert cipher.decrypt(token) == text


def test_the_ciphertext_shows_nothing_of_the_text(cipher):
    token = cipher.encrypt(NIK)
    assert NIK not in token
    assert NIK.encode() not in _raw(token)
    # nonce (12) + ciphertext (as long as the text) + GCM tag (16)
    assert len(_raw(token)) == 12 + len(NIK) + 16


def test_every_encryption_has_a_fresh_nonce(cipher):
    first, second = cipher.encrypt(NIK), cipher.encrypt(NIK)
    assert first != second
    assert _raw(first)[:12] != _raw(second)[:12]


def test_a_tampered_ciphertext_fails(cipher):
    raw = bytearray(_raw(cipher.encrypt(NIK)))
    raw[15] ^= 0x01  # one bit of the encrypted text
    tampered = "v1:" + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(tampered)


def test_another_encryption_key_fails(cipher, keys):
    token = cipher.encrypt(NIK)
    other = PersonalDataCipher(PersonalDataCipher.generate_keys()[0], keys[1])
    with pytest.raises(DecryptionFailed):
        other.decrypt(token)


@pytest.mark.parametrize("token", ["", NIK, "v2:AAAA", "v1:", "v1:AAAA", "v1:!!!!", "v1:é"])
def test_what_is_not_our_ciphertext_fails(cipher, token):
    with pytest.raises(DecryptionFailed):
        cipher.decrypt(token)


def test_a_decryption_failure_is_a_value_error():
    assert issubclass(DecryptionFailed, ValueError)


@pytest.mark.parametrize(
    ("encryption_key", "lookup_key"),
    [
        (b"k" * 31, b"l" * 32),
        (b"k" * 32, b"l" * 33),
        (b"", b"l" * 32),
        ("k" * 32, b"l" * 32),  # text, not bytes
        (b"k" * 32, b"k" * 32),  # one key for both jobs
    ],
)
def test_keys_must_be_32_distinct_bytes(encryption_key, lookup_key):
    with pytest.raises(ValueError):
        PersonalDataCipher(encryption_key, lookup_key)


def test_generated_keys_are_32_random_bytes():
    first, second = PersonalDataCipher.generate_keys(), PersonalDataCipher.generate_keys()
    assert all(len(key) == 32 for key in (*first, *second))
    assert len({*first, *second}) == 4


def test_the_lookup_hash_is_stable_across_instances_with_the_same_key(keys):
    one = PersonalDataCipher(*keys)
    other = PersonalDataCipher(PersonalDataCipher.generate_keys()[0], keys[1])
    assert one.lookup_hash(NIK) == one.lookup_hash(NIK) == other.lookup_hash(NIK)
    assert re.fullmatch(r"[0-9a-f]{64}", one.lookup_hash(NIK))


def test_the_lookup_hash_is_the_keyed_hmac_and_depends_on_the_key(keys):
    cipher = PersonalDataCipher(*keys)
    assert cipher.lookup_hash(NIK) == hmac.new(keys[1], NIK.encode(), hashlib.sha256).hexdigest()
    assert cipher.lookup_hash(NIK) != hashlib.sha256(NIK.encode()).hexdigest()
    other = PersonalDataCipher(keys[0], PersonalDataCipher.generate_keys()[1])
    assert other.lookup_hash(NIK) != cipher.lookup_hash(NIK)
    assert cipher.lookup_hash(NIK) != cipher.lookup_hash("3214011708900002")


# --- secrets and codes ----------------------------------------------------------------------


def test_a_secret_is_a_url_safe_token_with_its_sha256():
    token, digest = new_secret()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 32 bytes, unpadded base64url
    assert digest == hash_secret(token) == hashlib.sha256(token.encode()).hexdigest()
    assert new_secret()[0] != token


def test_codes_have_the_asked_number_of_digits():
    assert all(re.fullmatch(r"\d{6}", new_code()) for _ in range(200))
    assert re.fullmatch(r"\d{4}", new_code(digits=4))
    assert len({new_code() for _ in range(50)}) > 40


def test_codes_are_zero_padded(monkeypatch):
    monkeypatch.setattr(security.secrets, "randbelow", lambda bound: 42)
    assert new_code() == "000042"


def test_a_code_has_at_least_one_digit():
    with pytest.raises(ValueError):
        new_code(digits=0)
