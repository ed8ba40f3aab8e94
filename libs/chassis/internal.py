"""The shared secret of internal HTTP calls (gateway to documents): proof the caller is ours."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from chassis.config import Settings


class MissingSecret(RuntimeError):
    """Production needs INTERNAL_TOKEN set; a generated one would differ between hosts."""


def internal_token(settings: Settings) -> str:
    if settings["INTERNAL_TOKEN"]:
        return settings["INTERNAL_TOKEN"]
    if settings["GASPOL_ENV"] != "development":
        raise MissingSecret("INTERNAL_TOKEN is required in production")
    return _development_token(settings.data_dir / "keys" / "internal-token")


def token_matches(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), expected.encode())


def _development_token(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(secrets.token_urlsafe(32))
        temporary.chmod(0o600)
        try:
            os.link(temporary, path)  # fails if another process made it first: theirs wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()
