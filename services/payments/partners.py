"""Partner banks: read from PAYMENTS_PARTNERS_FILE, or a demo bank made for development."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.payments import snap

DEMO_CLIENT_ID = "BANKDEMO01"


@dataclass(frozen=True)
class Partner:
    client_id: str
    name: str
    client_secret: str
    public_key_pem: bytes
    partner_service_id: str
    channel_id: str


def partner_view(partner: Partner) -> dict:
    """What the office may read of a partner: never its secret, only its key's fingerprint."""
    key = serialization.load_pem_public_key(partner.public_key_pem)
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {
        "client_id": partner.client_id,
        "name": partner.name,
        "partner_service_id": partner.partner_service_id,
        "channel_id": partner.channel_id,
        "public_key": {
            "bits": key.key_size,
            "sha256": hashlib.sha256(der).hexdigest(),
        },
    }


def load_partners(path: Path) -> dict[str, Partner]:
    """Every partner of the file (YAML or JSON), public keys read relative to it."""
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    partners = {}
    for entry in config.get("partners") or []:
        key_path = path.parent / entry["public_key_file"]
        partners[entry["client_id"]] = Partner(
            client_id=entry["client_id"],
            name=entry.get("name", entry["client_id"]),
            client_secret=entry["client_secret"],
            public_key_pem=key_path.read_bytes(),
            partner_service_id=snap.check_partner_service_id(entry["partner_service_id"]),
            channel_id=str(entry.get("channel_id", "")),
        )
    if not partners:
        raise ValueError(f"{path} names no partner bank")
    return partners


def demo_partners_file(directory: Path) -> Path:
    """A demo bank with fresh keys (once): its private key stays beside the file for the bank
    simulator, as a real bank would keep its own."""
    path = directory / "partners.yaml"
    if path.exists():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    _write(
        directory / "bank-demo-private.pem",
        private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write(
        directory / "bank-demo.pem",
        private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    config = {
        "partners": [
            {
                "client_id": DEMO_CLIENT_ID,
                "name": "Bank Demo",
                "client_secret": secrets.token_urlsafe(32),
                "public_key_file": "bank-demo.pem",
                "private_key_file": "bank-demo-private.pem",
                "partner_service_id": "   88899",
                "channel_id": "95221",
            }
        ]
    }
    _write(path, yaml.safe_dump(config, sort_keys=False).encode())
    return path


def _write(path: Path, content: bytes) -> None:
    """Create the file atomically: another process starting at the same time keeps its own
    temporary file, and whoever links first wins."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(content)
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
