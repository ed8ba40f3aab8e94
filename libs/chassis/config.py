"""Configuration from the environment: one declared table of settings, read into a frozen object."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default, parser and what it is for (the README table)."""

    env: str
    default: str
    parse: Callable[[str], Any]
    doc: str


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _optional(text: str) -> str | None:
    return text or None


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise ValueError(f"must be positive, got {text!r}")
    return value


def parse_delays(text: str) -> tuple[float, ...]:
    delays = tuple(_positive_float(part) for part in text.split(",") if part.strip())
    if not delays:
        raise ValueError("EVENT_RETRY_DELAYS needs at least one delay")
    return delays


# Every setting of every process. The README's configuration table is checked against this list
# by tests/unit/test_config.py, so adding a setting here without documenting it fails the suite.
SETTINGS: tuple[Setting, ...] = (
    Setting(
        "GASPOL_DATA_DIR",
        "./var",
        Path,
        "where the embedded database, the filesystem object store and generated keys live",
    ),
    Setting("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/", str, "RabbitMQ connection"),
    Setting(
        "MONGO_URI",
        "",
        _optional,
        "a `mongodb://` URI selects MongoDB; empty selects the embedded engine under the data dir",
    ),
    Setting(
        "S3_ENDPOINT",
        "",
        _optional,
        "`host:port` of MinIO/S3; empty selects the filesystem object store under the data dir",
    ),
    Setting("S3_ACCESS_KEY", "", str, "S3 access key"),
    Setting("S3_SECRET_KEY", "", str, "S3 secret key"),
    Setting("S3_BUCKET", "gaspol", str, "S3 bucket for documents"),
    Setting("S3_SECURE", "false", _bool, "use HTTPS to reach S3"),
    Setting(
        "METRICS_PORT",
        "9100",
        int,
        "a service's own HTTP port for `/metrics`, `/healthz`, `/readyz` (0 picks a free port)",
    ),
    Setting(
        "GASPOL_METRICS_BASE_PORT",
        "9100",
        int,
        "`make up` gives the five services the metrics ports base+1 … base+5",
    ),
    Setting("GATEWAY_PORT", "8080", int, "the gateway's HTTP port"),
    Setting("GATEWAY_THREADS", "16", int, "request threads of the gateway process"),
    Setting("PAYMENTS_BANK_PORT", "8090", int, "the payments service's bank-facing (SNAP) port"),
    Setting("RPC_TIMEOUT", "5", _positive_float, "deadline in seconds of every RPC call"),
    Setting("RPC_POOL_SIZE", "16", int, "pooled RPC clients in the gateway"),
    Setting("MAX_WORKERS", "10", int, "concurrent workers per service process"),
    Setting(
        "OUTBOX_SWEEP_SECONDS",
        "2",
        _positive_float,
        "how often the outbox relay re-tries "
        "events that could not be published right after their write",
    ),
    Setting(
        "EVENT_RETRY_DELAYS",
        "1,5,30,120",
        parse_delays,
        "seconds a failing event handler waits "
        "before each retry (growing); after the last, the message is parked",
    ),
    Setting(
        "GASPOL_ENV",
        "development",
        str,
        "`development` creates missing keys under the data dir and logs one-time codes; "
        "`production` refuses to start without configured keys",
    ),
    Setting("TOKEN_ISSUER", "gaspol-identity", str, "`iss` of access tokens"),
    Setting("TOKEN_AUDIENCE", "gaspol-api", str, "`aud` of access tokens"),
    Setting("ACCESS_TOKEN_TTL", "900", int, "seconds an access token is valid"),
    Setting("REFRESH_TOKEN_TTL", "2592000", int, "seconds a refresh token is valid (30 days)"),
    Setting(
        "IDENTITY_SIGNING_KEY_FILE",
        "",
        str,
        "Ed25519 private key (PEM) that signs access tokens; development default "
        "`<data dir>/keys/token-signing.pem`",
    ),
    Setting(
        "IDENTITY_PREVIOUS_KEY_FILES",
        "",
        str,
        "comma-separated older signing keys, still published so their tokens verify during a "
        "rotation",
    ),
    Setting(
        "IDENTITY_NIK_KEY",
        "",
        str,
        "base64 of the 32-byte AES key that encrypts NIKs; development default under the data dir",
    ),
    Setting(
        "IDENTITY_NIK_LOOKUP_KEY",
        "",
        str,
        "base64 of the 32-byte HMAC key of the NIK lookup hash; development default under the "
        "data dir",
    ),
    Setting("GASPOL_ADMIN_EMAIL", "", str, "the first admin account, created at identity's start"),
    Setting("GASPOL_ADMIN_PASSWORD", "", str, "its password (`make up` prints demo values)"),
    Setting("LOGIN_MAX_FAILURES", "5", int, "failed sign-ins per account per window before 429"),
    Setting(
        "LOGIN_MAX_FAILURES_PER_ADDRESS",
        "20",
        int,
        "failed sign-ins per client address per window before 429",
    ),
    Setting("LOGIN_WINDOW_SECONDS", "900", int, "the sign-in throttling window"),
    Setting("VERIFICATION_CODE_TTL", "600", int, "seconds an email/phone verification code lives"),
    Setting("PASSWORD_RESET_TTL", "1800", int, "seconds a password reset link lives"),
    Setting(
        "SESSION_REVOCATION_POLL_SECONDS",
        "2",
        _positive_float,
        "how often the gateway fetches revoked sessions (sign-outs, disabled accounts)",
    ),
    Setting(
        "GATEWAY_TRUSTED_PROXIES",
        "0",
        int,
        "reverse proxies in front of the gateway whose X-Forwarded-For is believed",
    ),
    Setting(
        "HOLIDAYS",
        "",
        str,
        "comma-separated national holidays and cuti bersama (YYYY-MM-DD) the SLA clock skips; "
        "empty uses the built-in 2026 list",
    ),
    Setting("OFFICE_CODE", "DPMPTSP", str, "the office's code in permit numbers"),
    Setting(
        "ARCHIVE_AFTER_DAYS",
        "30",
        _positive_float,
        "days after it ends that a file leaves the working set for the archive",
    ),
    Setting("SLA_MONITOR_SECONDS", "60", _positive_float, "how often SLA warnings are checked"),
    Setting("ARCHIVE_SWEEP_SECONDS", "3600", _positive_float, "how often finished files move"),
    Setting(
        "TARGET_PROCESSING_DAYS",
        "5",
        _positive_float,
        "the office's target for the median processing time, in working days (reports, /stats)",
    ),
    Setting(
        "BASELINE_PROCESSING_DAYS",
        "10",
        _positive_float,
        "the processing time before the platform, in working days, shown beside the target",
    ),
    Setting(
        "TARGET_SATISFIED_PERCENT",
        "90",
        _positive_float,
        "the office's target share of satisfied survey respondents (mean score of 3 or more)",
    ),
    Setting(
        "DOCUMENTS_HOST",
        "127.0.0.1",
        str,
        "where the gateway reaches the documents service's internal HTTP port",
    ),
    Setting(
        "DOCUMENTS_PORT",
        "8091",
        int,
        "the documents service's internal HTTP port: uploads and downloads stream through it, "
        "never through RabbitMQ",
    ),
    Setting(
        "INTERNAL_TOKEN",
        "",
        str,
        "shared secret the gateway shows on internal HTTP calls; development default under the "
        "data dir",
    ),
    Setting("MAX_UPLOAD_MB", "100", int, "the largest upload the gateway lets through"),
    Setting(
        "PUBLIC_BASE_URL",
        "http://localhost:8080",
        str,
        "the public address of the web client; certificates' QR codes point here",
    ),
    Setting("REGENCY_NAME", "Kabupaten Contoh", str, "the regency, as printed on permits"),
    Setting(
        "OFFICE_NAME",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        str,
        "the issuing office, as printed on permits",
    ),
    Setting("SIGNER_TITLE", "Kepala Dinas", str, "who signs permits, as printed"),
    Setting("SIGNER_NAME", "", str, "the signer's name, as printed (empty: title only)"),
    Setting(
        "CERTIFICATE_KEY_FILE",
        "",
        str,
        "Ed25519 private key (PEM) that signs permit certificates; development default "
        "`<data dir>/keys/certificate-signing.pem`",
    ),
    Setting(
        "CERTIFICATE_PREVIOUS_KEY_FILES",
        "",
        str,
        "comma-separated earlier certificate keys (PEM, private or public) rotated out; permits "
        "they signed still verify as genuine",
    ),
    Setting(
        "PAYMENTS_PARTNERS_FILE",
        "",
        str,
        "partner banks (YAML or JSON, see BANK_API.md); development default: a demo bank with "
        "fresh keys under `<data dir>/bank-partners/`",
    ),
    Setting("INVOICE_EXPIRY_DAYS", "7", int, "days an invoice (SKRD) stays payable"),
    Setting("INVOICE_SWEEP_SECONDS", "60", _positive_float, "how often unpaid invoices expire"),
    Setting("SMTP_HOST", "", str, "mail server; empty writes email to a local log instead"),
    Setting("SMTP_PORT", "25", int, "mail server port"),
    Setting("SMTP_SENDER", "noreply@dpmptsp.example.go.id", str, "the address email comes from"),
    Setting("SMTP_USERNAME", "", str, "mail server login (empty: none)"),
    Setting("SMTP_PASSWORD", "", str, "mail server password"),
    Setting("SMTP_STARTTLS", "false", _bool, "upgrade the mail connection with STARTTLS"),
    Setting("SMS_PROVIDER_URL", "", str, "SMS gateway endpoint; empty writes SMS to a local log"),
    Setting("SMS_PROVIDER_TOKEN", "", str, "SMS gateway bearer token"),
    Setting(
        "WHATSAPP_PROVIDER_URL", "", str, "WhatsApp gateway endpoint; empty writes to a local log"
    ),
    Setting("WHATSAPP_PROVIDER_TOKEN", "", str, "WhatsApp gateway bearer token"),
    Setting(
        "NOTIFY_RETRY_DELAYS",
        "30,120,600,1800,3600",
        parse_delays,
        "seconds between delivery attempts when a provider fails (growing); then failed",
    ),
    Setting("DELIVERY_SWEEP_SECONDS", "2", _positive_float, "how often pending messages are sent"),
    Setting(
        "OSS_BASE_URL",
        "",
        str,
        "the OSS RBA integration endpoint; empty: `make up` starts the local stand-in and sets it",
    ),
    Setting("OSS_USER_KEY", "", str, "the `user_key` OSS issued to the office"),
    Setting("OSS_USERNAME", "", str, "the office's OSS login (HTTP Basic; empty: none)"),
    Setting("OSS_PASSWORD", "", str, "its password"),
    Setting("OSS_AGENCY_CODE", "", str, "the office's `kd_instansi` in status reports to OSS"),
    Setting("OSS_TIMEOUT", "1.5", _positive_float, "seconds to connect to and to hear from OSS"),
    Setting(
        "OSS_RETRIES", "1", int, "retries of a failed OSS call: the first at once, then 1 s, 2 s, …"
    ),
    Setting(
        "OSS_BREAKER_FAILURES",
        "5",
        int,
        "failed OSS calls in a row that open the circuit (OSS is then not called)",
    ),
    Setting(
        "OSS_BREAKER_RESET_SECONDS",
        "30",
        _positive_float,
        "how long the circuit stays open before one trial call; also the longest wait between "
        "retries of one status report",
    ),
    Setting("OSS_SYNC_SECONDS", "2", _positive_float, "how often pending status reports are sent"),
    Setting("LOG_LEVEL", "INFO", str, "Python log level"),
    Setting("LOG_FORMAT", "json", str, "`json` (one object per line) or `text`"),
)


@dataclass(frozen=True)
class Settings:
    """The parsed settings of one process; read once at start."""

    values: Mapping[str, Any]

    def __getitem__(self, env: str) -> Any:
        return self.values[env]

    @property
    def data_dir(self) -> Path:
        return Path(self.values["GASPOL_DATA_DIR"]).absolute()

    @property
    def retry_delays(self) -> tuple[float, ...]:
        return self.values["EVENT_RETRY_DELAYS"]

    def nameko_config(self) -> dict[str, Any]:
        """The config dict nameko 2.x expects, passed explicitly to its runner."""
        return {
            "AMQP_URI": self.values["AMQP_URI"],
            "max_workers": self.values["MAX_WORKERS"],
            "serializer": "json",
            "ACCEPT": ["json"],
            "GASPOL": dict(self.values),
        }


class ConfigError(ValueError):
    """A setting's value could not be parsed; names the variable."""


def load_settings(environ: Mapping[str, str] | None = None, **overrides: str) -> Settings:
    """Read every declared setting from the environment (or a given mapping), then overrides."""
    source = dict(os.environ if environ is None else environ)
    source.update(overrides)
    values = {}
    for setting in SETTINGS:
        raw = source.get(setting.env, setting.default)
        try:
            values[setting.env] = setting.parse(raw)
        except ValueError as error:
            raise ConfigError(f"{setting.env}={raw!r}: {error}") from error
    return Settings(values)


def settings_from_nameko(config: Mapping[str, Any]) -> Settings:
    """The Settings a service was started with, recovered from its nameko config dict."""
    return Settings(config["GASPOL"])
