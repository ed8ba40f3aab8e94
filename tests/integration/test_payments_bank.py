"""The SNAP bank API of a real payments process, called by the bank simulator: tokens,
inquiries, payments applied exactly once, refusals by code, reconciliation."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chassis.errors import Forbidden
from gateway.rpc import RpcPool
from services.payments.bank_simulator import WIB, BankSimulator, load_partner
from tests.support import rabbit
from tests.support.amqp import EventCollector, publish_event
from tests.support.processes import ServiceProcess, free_port

TREASURER = {"user_id": "treasurer-1", "roles": ["treasurer"]}
BILLBOARD = {
    "kind": "billboard",
    "rates": {"A": 25000, "B": 15000, "C": 10000},
    "inputs": ["area_m2", "months", "location_class"],
}


@pytest.fixture(scope="module")
def bank(tmp_path_factory):
    vhost = rabbit.create_vhost()
    amqp_uri = rabbit.amqp_uri(vhost)
    tmp = tmp_path_factory.mktemp("payments")
    port = free_port()
    process = ServiceProcess(
        "services.payments.service:PaymentsService",
        {
            "GASPOL_DATA_DIR": str(tmp / "data"),
            "AMQP_URI": amqp_uri,
            "PAYMENTS_BANK_PORT": str(port),
            "MAX_WORKERS": "20",
        },
        tmp / "payments.log",
    )
    events = EventCollector(amqp_uri, "payments")
    process.start()
    partner = load_partner(str(tmp / "data" / "bank-partners" / "partners.yaml"), None)

    def simulator(**changes):
        settings = {
            "client_id": partner["client_id"],
            "client_secret": partner["client_secret"],
            "private_key_pem": Path(partner["private_key_file"]).read_text(),
            "partner_service_id": partner["partner_service_id"],
            "channel_id": str(partner["channel_id"]),
            **changes,
        }
        return BankSimulator(f"http://127.0.0.1:{port}", **settings)

    yield {
        "amqp": amqp_uri,
        "rpc": RpcPool(amqp_uri, size=2, timeout=10),
        "events": events,
        "simulator": simulator,
        "process": process,
    }
    events.close()
    process.stop()
    rabbit.delete_vhost(vhost)


def open_invoice(bank, area="12", months=6) -> dict:
    """What applications asks for when the technical team assesses a billboard's fee."""
    application_id = f"app-{time.monotonic_ns()}"
    publish_event(
        bank["amqp"],
        "applications",
        "fee_assessment_requested",
        {
            "application_id": application_id,
            "receipt_number": "GSP-2612-TEST01",
            "owner_id": "owner-1",
            "permit_type": "REKLAME",
            "permit_name": "Izin Reklame",
            "action": "assess_fee",
            "from_state": "recommended",
            "to_state": "awaiting_payment",
            "path": ["awaiting_payment"],
            "fee_rule": BILLBOARD,
            "fee_inputs": {"area_m2": area, "months": months, "location_class": "A"},
        },
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            return bank["rpc"].call(
                "payments", "invoice_for", {"application_id": application_id}, context=TREASURER
            ) | {"application_id": application_id}
        except Exception:
            time.sleep(0.1)
    raise AssertionError("no invoice was issued")


def va_of(invoice: dict) -> str:
    return "   88899" + invoice["virtual_accounts"][0]["virtual_account_no"].strip()[5:]


def test_a_bank_inquires_and_pays_once_whatever_it_resends(bank):
    invoice = open_invoice(bank)
    assert invoice["amount"] == 12 * 6 * 25000
    simulator = bank["simulator"]()
    status, token = simulator.token()
    assert (status, token["responseCode"], token["tokenType"]) == (200, "2007300", "Bearer")

    status, inquiry = simulator.inquiry(va_of(invoice))
    assert inquiry["responseCode"] == "2002400", inquiry
    assert inquiry["virtualAccountData"]["totalAmount"] == {
        "value": "1800000.00",
        "currency": "IDR",
    }

    status, paid = simulator.pay(va_of(invoice), pretty=True)  # signature over the minified body
    assert paid["responseCode"] == "2002500", paid
    assert paid["virtualAccountData"]["paymentFlagStatus"] == "00"
    status, again = simulator.pay(va_of(invoice), resend=True)
    assert again == paid
    status, other = simulator.pay(va_of(invoice), amount=1800000, payment_request_id="another-1")
    assert other["responseCode"] == "4042514"
    assert other["virtualAccountData"]["paymentFlagStatus"] == "01"

    received = [
        e
        for e in bank["events"].wait_for(2, timeout=5)
        if e["event_type"] == "payment_received"
        and e["data"]["application_id"] == invoice["application_id"]
    ]
    assert len(received) == 1
    assert (
        bank["rpc"].call(
            "payments",
            "invoice_for",
            {"application_id": invoice["application_id"]},
            context=TREASURER,
        )["status"]
        == "paid"
    )


def test_refusals_carry_their_snap_codes(bank):
    invoice = open_invoice(bank, area="2")
    va = va_of(invoice)
    simulator = bank["simulator"]()
    simulator.token()
    _, wrong_amount = simulator.pay(va, amount=1, payment_request_id="short-1")
    assert wrong_amount["responseCode"] == "4042513"
    assert (
        bank["rpc"].call(
            "payments",
            "invoice_for",
            {"application_id": invoice["application_id"]},
            context=TREASURER,
        )["status"]
        == "open"
    )

    _, first = simulator.send(
        "/v1.0/transfer-va/inquiry",
        _inquiry_body(va),
        pretty=False,
        external_id="12345",
        timestamp=None,
    )
    assert first["responseCode"] == "2002400"
    _, again = simulator.send(
        "/v1.0/transfer-va/inquiry",
        _inquiry_body(va),
        pretty=False,
        external_id="12345",
        timestamp=None,
    )
    assert again["responseCode"] == "4092400"

    stale = (datetime.now(WIB) - timedelta(minutes=6)).isoformat(timespec="seconds")
    _, old = simulator.send(
        "/v1.0/transfer-va/inquiry",
        _inquiry_body(va),
        pretty=False,
        external_id=None,
        timestamp=stale,
    )
    assert old["responseCode"] == "4012400"

    forged = bank["simulator"](client_secret="not-the-secret")
    forged.token()
    _, refused = forged.inquiry(va)
    assert refused["responseCode"] == "4012400"
    stranger = bank["simulator"](client_id="BANKLAIN01")
    assert stranger.token()[1]["responseCode"] == "4017300"
    simulator.access_token = "expired-or-made-up"
    simulator.token_expires_at = float("inf")
    assert simulator.inquiry(va)[1]["responseCode"] == "4012401"
    _, unknown = bank["simulator"]().inquiry("   88899999999999999")
    assert unknown["responseCode"] == "4042412"


def test_fifty_identical_payments_at_once_change_the_invoice_once(bank):
    invoice = open_invoice(bank, area="3")
    va = va_of(invoice)
    simulator = bank["simulator"]()
    simulator.token()
    barrier = threading.Barrier(50)

    def pay(_):
        barrier.wait()
        return bank["simulator"](**{}).pay(
            va, amount=invoice["amount"], payment_request_id="same-payment-1"
        )

    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(pay, range(50)))
    codes = {answer["responseCode"] for _, answer in answers}
    assert codes == {"2002500"}, codes
    received = [
        e
        for e in bank["events"].wait_for(1, timeout=5)
        if e["event_type"] == "payment_received"
        and e["data"]["application_id"] == invoice["application_id"]
    ]
    assert len(received) == 1


def test_reconciliation_shows_the_day(bank):
    today = datetime.now(WIB).date().isoformat()
    report = bank["rpc"].call("payments", "reconciliation", {"day": today}, context=TREASURER)
    totals = report["totals"]
    assert totals["issued"] >= 3
    assert totals["paid"] >= 2
    assert any(a["kind"] == "amount_mismatch" for a in report["anomalies"])
    assert report["csv"][0][0]
    with pytest.raises(Forbidden):
        bank["rpc"].call(
            "payments",
            "reconciliation",
            {"day": today},
            context={"user_id": "u", "roles": ["applicant"]},
        )


def _inquiry_body(va: str) -> dict:
    return {
        "partnerServiceId": va[:8],
        "customerNo": va[8:],
        "virtualAccountNo": va,
        "inquiryRequestId": f"inq-{time.monotonic_ns()}",
        "channelCode": 6011,
        "trxDateInit": datetime.now(WIB).isoformat(timespec="seconds"),
        "amount": {"value": "0.00", "currency": "IDR"},
        "additionalInfo": {},
    }


def test_the_office_reads_its_partner_banks_without_their_secrets(bank):
    partner = load_partner(
        str(Path(bank["process"].env["GASPOL_DATA_DIR"]) / "bank-partners" / "partners.yaml"), None
    )
    listed = bank["rpc"].call(
        "payments", "partner_banks", {}, context={"user_id": "a", "roles": ["admin"]}
    )

    assert [p["client_id"] for p in listed] == [partner["client_id"]]
    demo = listed[0]
    assert demo["partner_service_id"] == partner["partner_service_id"]
    assert demo["public_key"]["bits"] == 2048
    assert len(demo["public_key"]["sha256"]) == 64
    assert demo["last_call"]["service"]  # the tests above called the bank API
    assert partner["client_secret"] not in str(listed)
    with pytest.raises(Forbidden):
        bank["rpc"].call(
            "payments", "partner_banks", {}, context={"user_id": "u", "roles": ["applicant"]}
        )
