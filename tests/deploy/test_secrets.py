"""make-secrets.sh: every key it makes is one the platform loads, and a second run keeps them."""

from __future__ import annotations

import base64

from chassis.tokens import SigningKey
from services.documents.certificate import OfficeKey
from services.payments.partners import load_partners
from tests.deploy.support import make_secrets


def _env_file(path) -> dict[str, str]:
    lines = path.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_made_secrets_are_the_keys_the_platform_loads(made_secrets):
    secrets = made_secrets
    SigningKey.from_pem((secrets / "token-signing.pem").read_bytes())
    OfficeKey.from_pem((secrets / "certificate-signing.pem").read_bytes())
    partners = load_partners(secrets / "bank-partners" / "partners.yaml")
    assert list(partners) == ["BANKDEMO01"]
    values = _env_file(secrets / "secrets.env")
    for name in ("IDENTITY_NIK_KEY", "IDENTITY_NIK_LOOKUP_KEY"):
        assert len(base64.b64decode(values[name])) == 32, name
    # Passwords go inside URIs (amqps://gaspol:PASSWORD@…): nothing that would need escaping.
    for name in ("RABBITMQ_PASSWORD", "MONGO_PASSWORD", "MINIO_ROOT_PASSWORD"):
        assert values[name].isalnum() and len(values[name]) >= 32, name
    for name in ("ca.crt", "rabbitmq.crt", "mongodb.pem", "minio.key"):
        assert (secrets / "tls" / name).stat().st_size > 0, name
    # The CA's key is for the operator alone; the rest is read by containers' own users.
    assert (secrets / "tls" / "ca.key").stat().st_mode & 0o077 == 0
    assert secrets.stat().st_mode & 0o077 == 0


def test_a_second_run_keeps_every_secret(made_secrets):
    secrets = made_secrets
    before = {path: path.read_bytes() for path in secrets.rglob("*") if path.is_file()}

    assert make_secrets(secrets).returncode == 0

    after = {path: path.read_bytes() for path in secrets.rglob("*") if path.is_file()}
    assert after == before
