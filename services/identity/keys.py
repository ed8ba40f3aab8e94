"""The identity service's keys, loaded at start from configuration (or made for development)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from nameko.extensions import DependencyProvider

from chassis.config import Settings, settings_from_nameko
from chassis.metrics import record_signing_key
from chassis.tokens import SigningKey, TokenIssuer, load_or_create_key
from services.identity.handlers import Keys
from services.identity.security import PasswordHasher, PersonalDataCipher


class MissingKey(RuntimeError):
    """Production needs every key configured; making one up there would lose data on restart."""


def load_keys(settings: Settings) -> Keys:
    development = settings["GASPOL_ENV"] == "development"
    issuer = TokenIssuer(
        [_signing_key(settings, development), *_previous_keys(settings)],
        issuer=settings["TOKEN_ISSUER"],
        audience=settings["TOKEN_AUDIENCE"],
        ttl_seconds=settings["ACCESS_TOKEN_TTL"],
    )
    return Keys(hasher=PasswordHasher(), cipher=_cipher(settings, development), issuer=issuer)


def _signing_key(settings: Settings, development: bool) -> SigningKey:
    configured = settings["IDENTITY_SIGNING_KEY_FILE"]
    if configured:
        path = Path(configured)
        key = SigningKey.from_pem(path.read_bytes())
    elif development:
        path = settings.data_dir / "keys" / "token-signing.pem"
        key = load_or_create_key(path)
    else:
        raise MissingKey("IDENTITY_SIGNING_KEY_FILE is required in production")
    record_signing_key("token", path)
    return key


def _previous_keys(settings: Settings) -> list[SigningKey]:
    paths = [p.strip() for p in settings["IDENTITY_PREVIOUS_KEY_FILES"].split(",") if p.strip()]
    return [SigningKey.from_pem(Path(path).read_bytes()) for path in paths]


def _cipher(settings: Settings, development: bool) -> PersonalDataCipher:
    encryption, lookup = settings["IDENTITY_NIK_KEY"], settings["IDENTITY_NIK_LOOKUP_KEY"]
    if encryption and lookup:
        return PersonalDataCipher(base64.b64decode(encryption), base64.b64decode(lookup))
    if not development:
        raise MissingKey("IDENTITY_NIK_KEY and IDENTITY_NIK_LOOKUP_KEY are required in production")
    return PersonalDataCipher(*_development_nik_keys(settings.data_dir / "keys" / "nik-keys.json"))


def _development_nik_keys(path: Path) -> tuple[bytes, bytes]:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = PersonalDataCipher.generate_keys()
        content = json.dumps([base64.b64encode(key).decode() for key in keys])
        # O_EXCL: two processes starting together must not each write their own keys.
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _development_nik_keys(path)
        with os.fdopen(descriptor, "w") as file:
            file.write(content)
    encryption, lookup = json.loads(path.read_text())
    return base64.b64decode(encryption), base64.b64decode(lookup)


class IdentityKeys(DependencyProvider):
    """Loads the keys when the service starts, so a missing production key fails at once."""

    def setup(self):
        self.keys = load_keys(settings_from_nameko(self.container.config))

    def get_dependency(self, worker_ctx):
        return self.keys
