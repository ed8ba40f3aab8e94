"""Notification delivery channels: email (SMTP), SMS/WhatsApp (HTTP provider), a local log."""

from __future__ import annotations

import fcntl
import hashlib
import json
import re
import smtplib
import ssl
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

import requests

DEFAULT_TIMEOUT = 10.0
DEFAULT_SENDER = "noreply@dpmptsp.example.go.id"
SENDER_NAME = "DPMPTSP"

# One address, no whitespace or angle brackets: anything else is refused before it reaches a
# server (and CR/LF can never smuggle extra headers or SMTP commands).
_EMAIL_ADDRESS = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")
# E.164: the caller normalises numbers (e.g. with `phonenumbers`) before they reach a channel.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
# Ids a Message-ID can carry as they are; others are hashed. 40 characters keep the header
# within 78 (no folding) for a typical sender domain.
_MSGID_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,39}")
_TRUE = {"1", "true", "yes", "on"}


class DeliveryFailure(Exception):
    """A message was not delivered; `reason` says why (no secrets, fit for admins)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class TemporaryFailure(DeliveryFailure):
    """Worth retrying later: the server or provider was unreachable, slow or busy."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        # Seconds the provider asked us to wait (HTTP Retry-After), if it said so.
        self.retry_after = retry_after


class PermanentFailure(DeliveryFailure):
    """Not worth retrying: the address is malformed or the server refused this message."""


@runtime_checkable
class Channel(Protocol):
    """One way of delivering a message; a new provider is one class with this shape."""

    name: str

    def send(self, to: str, subject: str, body: str, *, message_id: str) -> None:
        """Deliver, or raise TemporaryFailure / PermanentFailure; each network wait is bounded."""
        ...


def backoff_delays(
    attempts: int, base: float, factor: float = 3.0, cap: float = 3600
) -> list[float]:
    """Seconds to wait before each of `attempts` retries: base, base*factor, ... capped at `cap`.

    With base=60 the service waits 1 min, 3 min, 9 min, 27 min, then an hour per retry; after
    the last one the notification is marked failed (metrics and the admin view show it).
    """
    if attempts < 0 or base <= 0 or factor < 1 or cap <= 0:
        raise ValueError("attempts >= 0, base > 0, factor >= 1 and cap > 0 are required")
    return [min(cap, base * factor**retry) for retry in range(attempts)]


# --- email -------------------------------------------------------------------------------


class SmtpChannel:
    """Plain-text UTF-8 email through an SMTP server (STARTTLS and login when configured)."""

    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str, *, message_id: str) -> None:
        if not _EMAIL_ADDRESS.fullmatch(to):
            raise PermanentFailure("malformed email address")
        message = self.build_message(to, subject, body, message_id=message_id)
        try:
            self._deliver(message, to)
        except (smtplib.SMTPException, OSError) as error:
            raise _smtp_failure(error) from error

    def build_message(self, to: str, subject: str, body: str, *, message_id: str) -> EmailMessage:
        try:
            message = EmailMessage()
            message["From"] = Address(SENDER_NAME, addr_spec=self.sender)
            message["To"] = to
            message["Subject"] = subject
            message["Date"] = format_datetime(datetime.now(UTC))
            message["Message-ID"] = email_message_id(message_id, self.sender)
            message.set_content(body, charset="utf-8")
        except ValueError as error:  # e.g. a line break inside the subject
            raise PermanentFailure(f"message cannot be built: {error}") from error
        return message

    def _deliver(self, message: EmailMessage, to: str) -> None:
        # The timeout bounds every network wait (connect, each reply), so a dead or silent
        # server becomes a TemporaryFailure instead of a hung worker.
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message, from_addr=self.sender, to_addrs=[to])


def email_message_id(message_id: str, sender: str) -> str:
    """The Message-ID header for a notification: the same for every re-send of it.

    Retries are at least once, so a message can reach the recipient's server twice; because
    both copies carry this same Message-ID, a receiving system (or mail client) can drop the
    duplicate. Short plain ids (a UUID, an ObjectId) are used as they are, others hashed, so
    the header stays valid and on one line.
    """
    local = message_id if _MSGID_SAFE.fullmatch(message_id) else _digest(message_id)
    domain = sender.rpartition("@")[2] or "gaspol.invalid"
    return f"<{local}@{domain}>"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _smtp_failure(error: smtplib.SMTPException | OSError) -> DeliveryFailure:
    """Map smtplib's errors: 4xx and network trouble are temporary, 5xx permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return _by_smtp_code(code, f"recipient refused: {code} {_text(text)}")
    if isinstance(error, smtplib.SMTPResponseException):
        code = error.smtp_code
        return _by_smtp_code(code, f"SMTP {code} {_text(error.smtp_error)}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return PermanentFailure(f"SMTP server lacks a needed extension: {error}")
    # SMTPServerDisconnected, refused/reset connections, timeouts: the server may be back soon.
    return TemporaryFailure(f"SMTP server unreachable: {type(error).__name__}: {error}")


def _by_smtp_code(code: int, reason: str) -> DeliveryFailure:
    return PermanentFailure(reason) if 500 <= code < 600 else TemporaryFailure(reason)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


# --- SMS / WhatsApp ----------------------------------------------------------------------


class HttpSmsChannel:
    """SMS or WhatsApp through an HTTP provider that takes one JSON POST per message."""

    # Statuses worth retrying besides 5xx: request timeout and rate limiting.
    RETRYABLE = {408, 429}

    def __init__(
        self, url: str, token: str, channel_name: str = "sms", timeout: float = DEFAULT_TIMEOUT
    ):
        if channel_name not in ("sms", "whatsapp"):
            raise ValueError(f"channel_name must be 'sms' or 'whatsapp', not {channel_name!r}")
        self.url = url
        self.token = token
        self.name = channel_name
        self.timeout = timeout

    def send(self, to: str, subject: str, body: str, *, message_id: str) -> None:
        # SMS and WhatsApp have no subject: the body carries the whole message.
        if not _E164.fullmatch(to):
            raise PermanentFailure("malformed phone number (E.164 expected, e.g. +62812...)")
        try:
            response = requests.post(
                self.url,
                json={"to": to, "message": body, "channel": self.name, "reference": message_id},
                headers={
                    "Authorization": f"Bearer {self.token}",
                    # A re-send of the same message carries the same key: the provider drops it.
                    "Idempotency-Key": message_id,
                },
                timeout=self.timeout,
                # A redirect would send the token elsewhere; a moved provider is a config error.
                allow_redirects=False,
            )
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
            requests.exceptions.InvalidHeader,
        ) as error:
            raise PermanentFailure(f"provider request is invalid: {error}") from error
        except requests.RequestException as error:
            raise TemporaryFailure(f"provider unreachable: {type(error).__name__}") from error
        _check_response(response)


def _check_response(response: requests.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"provider answered HTTP {status}: {response.text[:200]}"
    if status >= 500 or status in HttpSmsChannel.RETRYABLE:
        raise TemporaryFailure(reason, retry_after=_retry_after(response))
    raise PermanentFailure(reason)


def _retry_after(response: requests.Response) -> float | None:
    # Only the seconds form; the rarely used HTTP-date form falls back to our own backoff.
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None


# --- development log ---------------------------------------------------------------------


class LogChannel:
    """The development default: one JSON line per message appended to a local file."""

    def __init__(self, name: str, path: Path):
        self.name = name
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, to: str, subject: str, body: str, *, message_id: str) -> None:
        # Only what the message itself holds, so the log carries no extra personal data.
        record = {
            "sent_at": datetime.now(UTC).isoformat(),
            "channel": self.name,
            "message_id": message_id,
            "to": to,
            "subject": subject,
            "body": body,
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
        try:
            self._append(line)
        except OSError as error:  # e.g. a full disk: may pass
            raise TemporaryFailure(f"log write failed: {error}") from error

    def _append(self, line: bytes) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The thread lock orders writers in this process, flock those of other processes; one
        # write() on an O_APPEND file then lands as one whole line.
        with self._lock, open(self.path, "ab") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            try:
                file.write(line)
                file.flush()
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)


# --- settings ----------------------------------------------------------------------------


def channels_from_settings(
    values: Mapping[str, str], data_dir: Path, *, timeout: float = DEFAULT_TIMEOUT
) -> dict[str, Channel]:
    """The "email", "sms" and "whatsapp" channels the settings ask for.

    A channel without its SMTP host / provider URL writes to
    `<data_dir>/outbox-messages/<name>.jsonl` instead (ARCHITECTURE §4).
    """
    outbox = Path(data_dir) / "outbox-messages"
    return {
        "email": _email_channel(values, outbox, timeout),
        "sms": _http_channel(values, "sms", "SMS", outbox, timeout),
        "whatsapp": _http_channel(values, "whatsapp", "WHATSAPP", outbox, timeout),
    }


def _email_channel(values: Mapping[str, str], outbox: Path, timeout: float) -> Channel:
    host = _setting(values, "SMTP_HOST")
    if not host:
        return LogChannel("email", outbox / "email.jsonl")
    return SmtpChannel(
        host=host,
        port=int(_setting(values, "SMTP_PORT") or 25),
        sender=_setting(values, "SMTP_SENDER") or DEFAULT_SENDER,
        username=_setting(values, "SMTP_USERNAME"),
        password=_setting(values, "SMTP_PASSWORD"),
        starttls=(_setting(values, "SMTP_STARTTLS") or "").lower() in _TRUE,
        timeout=timeout,
    )


def _http_channel(
    values: Mapping[str, str], name: str, prefix: str, outbox: Path, timeout: float
) -> Channel:
    url = _setting(values, f"{prefix}_PROVIDER_URL")
    if not url:
        return LogChannel(name, outbox / f"{name}.jsonl")
    token = _setting(values, f"{prefix}_PROVIDER_TOKEN")
    if not token:
        # Fail at start rather than have every message refused with 401 later.
        raise ValueError(f"{prefix}_PROVIDER_URL is set but {prefix}_PROVIDER_TOKEN is not")
    return HttpSmsChannel(url, token, channel_name=name, timeout=timeout)


def _setting(values: Mapping[str, str], key: str) -> str | None:
    # An empty value counts as unset, as it does in an env file with `KEY=`.
    value = (values.get(key) or "").strip()
    return value or None
