"""Notification channels against a real local SMTP server and a local HTTP provider stand-in."""

from __future__ import annotations

import itertools
import json
import re
import socket
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from services.notifications.channels import (
    Channel,
    HttpSmsChannel,
    LogChannel,
    PermanentFailure,
    SmtpChannel,
    TemporaryFailure,
    backoff_delays,
    channels_from_settings,
)
from tests.support.processes import free_port

SENDER = "noreply@dpmptsp.example.go.id"
SUBJECT = "Tagihan retribusi izin reklame"
BODY = "Retribusi Rp 1.800.000 — pembayaran melalui VA 8808123456 sebelum 31 Mei. Terima kasih."


# --- a real SMTP server ------------------------------------------------------------------


class KeepingHandler:
    """Keeps every accepted message; refuses recipients by their local part."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 No such user"
        if address.startswith("busy@"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"envelope": envelope, "message": parsed})
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    handler = KeepingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def smtp_channel(controller, timeout=5.0) -> SmtpChannel:
    return SmtpChannel(controller.hostname, controller.port, SENDER, timeout=timeout)


def test_email_is_delivered_in_utf8_with_a_stable_message_id(smtp_server):
    controller, handler = smtp_server
    channel = smtp_channel(controller)

    channel.send("pemohon@example.com", SUBJECT, BODY, message_id="notif-42")
    channel.send("pemohon@example.com", SUBJECT, BODY, message_id="notif-42")  # a retry
    channel.send("pemohon@example.com", SUBJECT, BODY, message_id="notif-43")

    assert len(handler.messages) == 3
    first, again, other = (kept["message"] for kept in handler.messages)
    assert handler.messages[0]["envelope"].mail_from == SENDER
    assert handler.messages[0]["envelope"].rcpt_tos == ["pemohon@example.com"]
    assert first["Subject"] == SUBJECT
    assert first.get_content().splitlines() == [BODY]  # lines end in CRLF on the wire
    assert first.get_content_type() == "text/plain"
    assert first.get_content_charset() == "utf-8"
    assert first["From"].addresses[0].display_name == "DPMPTSP"
    assert first["From"].addresses[0].addr_spec == SENDER
    assert first["To"] == "pemohon@example.com"
    assert first["Date"].datetime is not None
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"] == "<notif-42@dpmptsp.example.go.id>"


def test_an_unsafe_message_id_still_gives_a_stable_valid_header(smtp_server):
    controller, handler = smtp_server
    channel = smtp_channel(controller)
    for _ in range(2):
        channel.send("a@example.com", "s", "b", message_id="user 7/pesan <1>")
    headers = [kept["message"]["Message-ID"] for kept in handler.messages]
    assert headers[0] == headers[1]
    assert re.fullmatch(r"<[0-9a-f]{32}@dpmptsp\.example\.go\.id>", headers[0])


def test_a_recipient_refused_with_550_is_a_permanent_failure(smtp_server):
    controller, handler = smtp_server
    with pytest.raises(PermanentFailure, match="550"):
        smtp_channel(controller).send("unknown@example.com", SUBJECT, BODY, message_id="m1")
    assert handler.messages == []


def test_a_recipient_deferred_with_451_is_a_temporary_failure(smtp_server):
    controller, handler = smtp_server
    with pytest.raises(TemporaryFailure, match="451"):
        smtp_channel(controller).send("busy@example.com", SUBJECT, BODY, message_id="m1")
    assert handler.messages == []


def test_smtp_server_down_is_a_temporary_failure_within_the_timeout():
    channel = SmtpChannel("127.0.0.1", free_port(), SENDER, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(TemporaryFailure, match="unreachable"):
        channel.send("a@example.com", SUBJECT, BODY, message_id="m1")
    assert time.monotonic() - started < 1.5


def test_a_silent_smtp_server_is_a_temporary_failure_in_about_the_timeout():
    # Accepts the connection but never greets: the send must give up, not hang.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        channel = SmtpChannel("127.0.0.1", silent.getsockname()[1], SENDER, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(TemporaryFailure):
            channel.send("a@example.com", SUBJECT, BODY, message_id="m1")
        assert 0.4 < time.monotonic() - started < 2.0


@pytest.mark.parametrize("address", ["not-an-address", "a@b\r\nRCPT TO:<x@y>", "a@b, c@d"])
def test_a_malformed_email_address_is_a_permanent_failure(address):
    # Refused before any connection: the port is closed, so reaching it would be temporary.
    channel = SmtpChannel("127.0.0.1", free_port(), SENDER, timeout=1.0)
    with pytest.raises(PermanentFailure, match="malformed"):
        channel.send(address, SUBJECT, BODY, message_id="m1")


def test_a_subject_with_a_line_break_is_a_permanent_failure():
    channel = SmtpChannel("127.0.0.1", free_port(), SENDER, timeout=1.0)
    with pytest.raises(PermanentFailure):
        channel.send("a@example.com", "Hi\r\nBcc: x@y.z", BODY, message_id="m1")


# --- an HTTP SMS / WhatsApp provider ---------------------------------------------------


class ProviderHandler(BaseHTTPRequestHandler):
    """Answers by path: /ok, /status/<code>, /slow; records what it was sent."""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        self.server.requests.append({"path": self.path, "headers": self.headers, "body": body})
        if self.path == "/slow":
            time.sleep(2)
        status = int(self.path.rsplit("/", 1)[1]) if self.path.startswith("/status/") else 200
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "30")
        payload = json.dumps({"status": status}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):  # keep test output quiet
        pass


@pytest.fixture
def provider():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderHandler)
    server.requests = []
    # A short poll interval makes shutdown() quick (the default waits up to 0.5 s).
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def provider_url(server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


@pytest.mark.parametrize("kind", ["sms", "whatsapp"])
def test_sms_and_whatsapp_are_posted_with_token_and_idempotency_key(provider, kind):
    channel = HttpSmsChannel(provider_url(provider, "/ok"), "s3cret", channel_name=kind)
    assert channel.name == kind

    channel.send("+6281234567890", "ignored subject", BODY, message_id="notif-42")

    [sent] = provider.requests
    assert sent["headers"]["Authorization"] == "Bearer s3cret"
    assert sent["headers"]["Idempotency-Key"] == "notif-42"
    assert sent["headers"]["Content-Type"] == "application/json"
    assert json.loads(sent["body"]) == {
        "to": "+6281234567890",
        "message": BODY,
        "channel": kind,
        "reference": "notif-42",
    }


@pytest.mark.parametrize("status", [500, 502, 503, 408])
def test_provider_server_errors_are_temporary_failures(provider, status):
    channel = HttpSmsChannel(provider_url(provider, f"/status/{status}"), "t", timeout=2)
    with pytest.raises(TemporaryFailure, match=str(status)):
        channel.send("+6281234567890", "", BODY, message_id="m1")


def test_provider_rate_limit_is_a_temporary_failure_with_its_retry_after(provider):
    channel = HttpSmsChannel(provider_url(provider, "/status/429"), "t", timeout=2)
    with pytest.raises(TemporaryFailure, match="429") as failure:
        channel.send("+6281234567890", "", BODY, message_id="m1")
    assert failure.value.retry_after == 30


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_provider_client_errors_are_permanent_failures(provider, status):
    channel = HttpSmsChannel(provider_url(provider, f"/status/{status}"), "t", timeout=2)
    with pytest.raises(PermanentFailure, match=str(status)):
        channel.send("+6281234567890", "", BODY, message_id="m1")


def test_provider_down_is_a_temporary_failure():
    channel = HttpSmsChannel(f"http://127.0.0.1:{free_port()}/send", "t", timeout=1.0)
    started = time.monotonic()
    with pytest.raises(TemporaryFailure, match="unreachable"):
        channel.send("+6281234567890", "", BODY, message_id="m1")
    assert time.monotonic() - started < 1.5


def test_a_slow_provider_is_a_temporary_failure_in_about_the_timeout(provider):
    channel = HttpSmsChannel(provider_url(provider, "/slow"), "t", timeout=0.5)
    started = time.monotonic()
    with pytest.raises(TemporaryFailure, match="Timeout"):
        channel.send("+6281234567890", "", BODY, message_id="m1")
    assert 0.4 < time.monotonic() - started < 1.5


@pytest.mark.parametrize("number", ["081234567890", "+62 812 3456 7890", "", "+0812345678"])
def test_a_malformed_phone_number_is_a_permanent_failure(provider, number):
    channel = HttpSmsChannel(provider_url(provider, "/ok"), "t", timeout=1.0)
    with pytest.raises(PermanentFailure, match="malformed"):
        channel.send(number, "", BODY, message_id="m1")
    assert provider.requests == []


# --- the development log, settings, backoff ----------------------------------------------


def test_log_channel_appends_one_parseable_json_line_per_message(tmp_path):
    path = tmp_path / "outbox-messages" / "sms.jsonl"
    channel = LogChannel("sms", path)

    def send_many(worker: int):
        for index in range(25):
            channel.send("+6281234567890", "", BODY, message_id=f"m-{worker}-{index}")

    threads = [threading.Thread(target=send_many, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 200
    assert {record["message_id"] for record in records} == {
        f"m-{worker}-{index}" for worker in range(8) for index in range(25)
    }
    assert set(records[0]) == {"sent_at", "channel", "message_id", "to", "subject", "body"}
    assert records[0]["channel"] == "sms" and records[0]["body"] == BODY


def test_without_hosts_or_urls_every_channel_writes_to_the_local_log(tmp_path):
    channels = channels_from_settings({"SMTP_HOST": ""}, tmp_path)

    assert set(channels) == {"email", "sms", "whatsapp"}
    for name, channel in channels.items():
        assert isinstance(channel, LogChannel) and isinstance(channel, Channel)
        assert channel.name == name
        assert channel.path == tmp_path / "outbox-messages" / f"{name}.jsonl"


def test_configured_hosts_and_urls_pick_the_real_channels(tmp_path):
    channels = channels_from_settings(
        {
            "SMTP_HOST": "smtp.example.go.id",
            "SMTP_PORT": "587",
            "SMTP_USERNAME": "gaspol",
            "SMTP_PASSWORD": "pw",
            "SMTP_STARTTLS": "true",
            "SMS_PROVIDER_URL": "https://sms.example/send",
            "SMS_PROVIDER_TOKEN": "sms-token",
            "WHATSAPP_PROVIDER_URL": "https://wa.example/send",
            "WHATSAPP_PROVIDER_TOKEN": "wa-token",
        },
        tmp_path,
    )

    email, sms, whatsapp = channels["email"], channels["sms"], channels["whatsapp"]
    assert isinstance(email, SmtpChannel) and isinstance(email, Channel)
    assert (email.host, email.port, email.sender) == ("smtp.example.go.id", 587, SENDER)
    assert (email.username, email.password, email.starttls) == ("gaspol", "pw", True)
    assert isinstance(sms, HttpSmsChannel) and isinstance(whatsapp, HttpSmsChannel)
    assert (sms.name, sms.url, sms.token) == ("sms", "https://sms.example/send", "sms-token")
    assert (whatsapp.name, whatsapp.token) == ("whatsapp", "wa-token")


def test_smtp_defaults_and_a_mixed_configuration(tmp_path):
    channels = channels_from_settings(
        {
            "SMTP_HOST": "mail.local",
            "WHATSAPP_PROVIDER_URL": "https://wa",
            "WHATSAPP_PROVIDER_TOKEN": "t",
        },
        tmp_path,
    )
    email = channels["email"]
    assert (email.port, email.sender, email.username, email.starttls) == (25, SENDER, None, False)
    assert isinstance(channels["sms"], LogChannel)
    assert isinstance(channels["whatsapp"], HttpSmsChannel)


def test_a_provider_url_without_its_token_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="SMS_PROVIDER_TOKEN"):
        channels_from_settings({"SMS_PROVIDER_URL": "https://sms.example/send"}, tmp_path)


def test_backoff_delays_grow_then_cap():
    assert backoff_delays(0, 60) == []
    assert backoff_delays(6, 60) == [60, 180, 540, 1620, 3600, 3600]
    assert backoff_delays(4, 1, factor=2, cap=5) == [1, 2, 4, 5]
    delays = backoff_delays(10, 5)
    assert all(a <= b for a, b in itertools.pairwise(delays))
    with pytest.raises(ValueError):
        backoff_delays(3, 0)
