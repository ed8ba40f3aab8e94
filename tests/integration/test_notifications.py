"""The notifications service through its real entrypoints: events in; inbox, a real SMTP server
and an SMS provider out; exactly once per channel; retries; failures kept visible."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from chassis.events import new_event
from gateway.rpc import RpcPool
from tests.support import rabbit
from tests.support.amqp import publish_event
from tests.support.processes import ServiceProcess, free_port

SITI = "5171abcd5171abcd5171abcd5171abcd"
BUDI = "b0d1b0d1b0d1b0d1b0d1b0d1b0d1b0d1"
ADMIN = {"user_id": "admin-1", "roles": ["admin"]}


class Mailbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"to": envelope.rcpt_tos, "data": envelope.content.decode()})
        return "250 OK"


class Provider(BaseHTTPRequestHandler):
    """An SMS gateway that fails as told: `plan` is a list of statuses to answer in turn."""

    plan: list[int] = []
    received: list[dict] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        status = self.plan.pop(0) if self.plan else 200
        if status == 200:
            Provider.received.append({**body, "key": self.headers.get("Idempotency-Key")})
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    vhost = rabbit.create_vhost()
    amqp_uri = rabbit.amqp_uri(vhost)
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    provider = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    tmp = tmp_path_factory.mktemp("notifications")
    process = ServiceProcess(
        "services.notifications.service:NotificationsService",
        {
            "GASPOL_DATA_DIR": str(tmp / "data"),
            "AMQP_URI": amqp_uri,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp.port),
            "SMS_PROVIDER_URL": f"http://127.0.0.1:{provider.server_port}/send",
            "SMS_PROVIDER_TOKEN": "secret-token",
            "NOTIFY_RETRY_DELAYS": "0.3,0.6,1.2",
            "DELIVERY_SWEEP_SECONDS": "0.2",
        },
        tmp / "notifications.log",
    ).start()
    send = lambda producer, kind, data: publish_event(amqp_uri, producer, kind, data)  # noqa: E731
    send(
        "identity",
        "user_registered",
        {
            "user_id": SITI,
            "name": "Siti Rahayu",
            "email": "siti@example.id",
            "phone": "+6281234567890",
            "roles": ["applicant"],
            "language": "id",
        },
    )
    send(
        "identity",
        "user_registered",
        {
            "user_id": BUDI,
            "name": "Budi",
            "phone": None,
            "email": "budi@dpmptsp.example.go.id",
            "roles": ["frontdesk"],
            "language": "id",
        },
    )
    for channel in ("email", "phone"):
        send("identity", "contact_verified", {"user_id": SITI, "channel": channel})
    send(
        "identity",
        "user_preferences_changed",
        {
            "user_id": SITI,
            "language": "id",
            "channels": {"email": True, "sms": True, "whatsapp": False},
        },
    )
    time.sleep(1)
    yield {
        "amqp": amqp_uri,
        "mail": mailbox,
        "process": process,
        "rpc": RpcPool(amqp_uri, size=2, timeout=10),
        "send": send,
    }
    process.stop()
    provider.shutdown()
    smtp.stop()
    rabbit.delete_vhost(vhost)


def submitted(receipt: str) -> dict:
    return new_event(
        "application_submitted",
        {
            "application_id": f"app-{receipt}",
            "receipt_number": receipt,
            "owner_id": SITI,
            "permit_type": "SIP-DOK",
            "permit_name": "Surat Izin Praktik Dokter",
            "action": "submit",
            "from_state": "draft",
            "to_state": "submitted",
            "path": ["submitted"],
            "actor_id": SITI,
            "note": None,
            "queue_role": "frontdesk",
            "sla_due_at": "2026-12-11T09:00:00+07:00",
        },
        producer="applications",
    )


def inbox(world, user_id: str) -> dict:
    return world["rpc"].call(
        "notifications", "inbox", {}, context={"user_id": user_id, "roles": ["applicant"]}
    )


def wait_until(condition, timeout: float = 10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_a_step_reaches_the_inbox_email_and_sms_exactly_once(world):
    event = submitted("GSP-2612-AAAAAA")
    for _ in range(2):  # the same event delivered twice
        publish_event(world["amqp"], "applications", "application_submitted", {}, envelope=event)
    wait_until(lambda: len(world["mail"].messages) >= 1 and len(Provider.received) >= 1)
    time.sleep(1)

    messages = [m for m in inbox(world, SITI)["items"] if "GSP-2612-AAAAAA" in m["body"]]
    assert len(messages) == 1
    assert "diterima" in messages[0]["body"].lower() or "terima" in messages[0]["body"].lower()
    mails = [m for m in world["mail"].messages if "GSP-2612-AAAAAA" in m["data"]]
    assert len(mails) == 1 and mails[0]["to"] == ["siti@example.id"]
    texts = [r for r in Provider.received if "GSP-2612-AAAAAA" in r["message"]]
    assert len(texts) == 1 and texts[0]["to"] == "+6281234567890"
    officer = [m for m in inbox(world, BUDI)["items"] if "GSP-2612-AAAAAA" in m["body"]]
    assert len(officer) == 1  # the front desk learns of new work in its queue


def test_a_provider_down_for_a_while_is_retried_then_delivers_once(world):
    Provider.plan[:] = [503, 503]
    world["send"]("applications", "application_submitted", submitted("GSP-2612-BBBBBB")["data"])
    wait_until(
        lambda: [r for r in Provider.received if "GSP-2612-BBBBBB" in r["message"]], timeout=15
    )
    time.sleep(1.5)
    assert len([r for r in Provider.received if "GSP-2612-BBBBBB" in r["message"]]) == 1


def test_a_permanently_failing_provider_is_marked_failed_and_the_inbox_keeps_it(world):
    Provider.plan[:] = [400]
    world["send"]("applications", "application_submitted", submitted("GSP-2612-CCCCCC")["data"])

    def failed():
        log = world["rpc"].call("notifications", "deliveries", {"status": "failed"}, context=ADMIN)[
            "items"
        ]
        return [d for d in log if d["channel"] == "sms"]

    assert wait_until(failed)[0]["attempts"] == 1
    assert [m for m in inbox(world, SITI)["items"] if "GSP-2612-CCCCCC" in m["body"]]


def test_a_verification_code_goes_only_to_its_address(world):
    world["send"](
        "identity",
        "verification_code_issued",
        {
            "user_id": SITI,
            "channel": "email",
            "destination": "siti.baru@example.id",
            "code": "482913",
            "expires_at": "2026-12-04T10:10:00+00:00",
            "language": "id",
        },
    )
    mail = wait_until(lambda: [m for m in world["mail"].messages if "482913" in m["data"]])
    assert mail[0]["to"] == ["siti.baru@example.id"]
    assert not [m for m in inbox(world, SITI)["items"] if "482913" in m["body"]]


def test_the_inbox_marks_read(world):
    before = inbox(world, SITI)
    first = before["items"][0]
    world["rpc"].call(
        "notifications",
        "mark_read",
        {"message_id": first["id"]},
        context={"user_id": SITI, "roles": ["applicant"]},
    )
    after = inbox(world, SITI)
    assert after["unread"] == before["unread"] - 1
