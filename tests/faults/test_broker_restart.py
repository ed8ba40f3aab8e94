"""The whole platform while its RabbitMQ node is restarted under a steady stream of submissions
(over the gateway) and payments (the bank simulator over SNAP): nothing lost, nothing applied
twice, 503 and never 500 while the broker is away, and the stream healthy soon after."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests

from devstack.demo import (
    Gateway,
    bank_of,
    ensure_officers,
    register_applicant,
    sign_in_officers,
    take_to_payment,
    upload_billboard,
    virtual_account,
    wait,
)
from devstack.launcher import Platform
from tests.e2e.conftest import platform_environ

pytestmark = pytest.mark.slow

APPLICANTS = 3
PAYABLE_FILES = 12
DRAFTS = 45
BEFORE_SECONDS, DOWN_SECONDS, AFTER_SECONDS = 5, 8, 25
# Spreads the payments over the time before, during and after the outage.
PAYMENT_INTERVAL = 3
# The yardstick: from this long after the broker is back, >= 99.5 % of requests succeed.
SETTLE_SECONDS = 10


@pytest.fixture(scope="module")
def office(rabbit_node, tmp_path_factory):
    """A platform on the test-owned node, with officers, applicants, uploaded drafts ready to
    submit and files waiting for their fee to be paid."""
    environ = platform_environ(
        tmp_path_factory.mktemp("platform-broker"), rabbit_node.uri(rabbit_node.add_vhost())
    )
    platform = Platform(environ)
    platform.start()
    try:
        platform.wait_ready(timeout=90)
        base = f"http://127.0.0.1:{platform.gateway_port}/api/v1"
        ensure_officers(Gateway(base, *platform.admin))
        officers = sign_in_officers(base)
        applicants = [Gateway(base, *register_applicant(base)) for _ in range(APPLICANTS)]
        owner_of = {}
        for n in range(PAYABLE_FILES + DRAFTS):
            siti = applicants[n % APPLICANTS]
            owner_of[upload_billboard(siti)] = siti
        files = list(owner_of)
        invoices = {
            file: take_to_payment(owner_of[file], officers, file) for file in files[:PAYABLE_FILES]
        }
        yield {
            "platform": platform,
            "owner_of": owner_of,
            "officers": officers,
            "drafts": files[PAYABLE_FILES:],
            "invoices": invoices,
        }
    finally:
        platform.stop()


@dataclass
class Outcome:
    at: float
    what: str
    status: int


@dataclass
class Stream:
    """Submits drafts through the gateway and pays invoices at the bank at a steady pace,
    retrying a refused request later as a person (or a bank) would, and notes every answer."""

    office: dict
    outcomes: list[Outcome] = field(default_factory=list)
    submitted: set[str] = field(default_factory=set)
    paid: set[str] = field(default_factory=set)
    running: threading.Event = field(default_factory=threading.Event)

    def start(self) -> list[threading.Thread]:
        self.running.set()
        threads = [
            threading.Thread(target=self._submissions, daemon=True),
            threading.Thread(target=self._payments, daemon=True),
        ]
        for thread in threads:
            thread.start()
        return threads

    def _note(self, what: str, status: int) -> None:
        self.outcomes.append(Outcome(time.monotonic(), what, status))

    def _submissions(self) -> None:
        pending = list(self.office["drafts"])
        turn = 0
        while self.running.is_set():
            turn += 1
            if pending and turn % 2:
                file = pending[0]
                status = self._call("POST", file + "/submit", file)
                self._note("submit", status)
                if status in (200, 409):  # 409: an earlier try went through, its answer did not
                    self.submitted.add(pending.pop(0))
            else:  # between submissions, the applicant looks at the file
                file = self.office["drafts"][turn % len(self.office["drafts"])]
                self._note("read", self._call("GET", file, file))
            time.sleep(0.1)

    def _call(self, method: str, path: str, file: str) -> int:
        siti = self.office["owner_of"][file]
        try:
            return requests.request(
                method, siti.base + path, headers=siti.headers, timeout=15
            ).status_code
        except requests.RequestException:
            return 0  # no answer at all counts as a failure

    def _payments(self) -> None:
        bank, partner = bank_of(self.office["platform"])
        pending = list(self.office["invoices"].items())
        while self.running.is_set() and pending:
            invoice = pending[0][1]
            try:
                status, answer = bank.pay(virtual_account(partner, invoice))
            except requests.RequestException:
                status, answer = 0, {}
            self._note("pay", status)
            if answer.get("responseCode") == "2002500":
                self.paid.add(pending.pop(0)[0])
            time.sleep(PAYMENT_INTERVAL)


def test_a_broker_restart_loses_nothing_doubles_nothing_and_answers_503(rabbit_node, office):
    stream = Stream(office)
    threads = stream.start()
    time.sleep(BEFORE_SECONDS)
    down_at = time.monotonic()
    rabbit_node.stop()
    time.sleep(DOWN_SECONDS)
    rabbit_node.start()
    back_at = time.monotonic()
    time.sleep(AFTER_SECONDS)
    stream.running.clear()
    for thread in threads:
        thread.join(30)

    gateway = [o for o in stream.outcomes if o.what != "pay"]
    while_down = Counter(o.status for o in gateway if down_at <= o.at < back_at)
    settled = [o for o in gateway if o.at >= back_at + SETTLE_SECONDS]
    success = sum(200 <= o.status < 300 or o.status == 409 for o in settled) / len(settled)
    payments = Counter(o.status for o in stream.outcomes if o.what == "pay")
    lost, doubled = settle(office, stream)
    print(
        f"broker restart: down {back_at - down_at:.1f} s; gateway while down {dict(while_down)}; "
        f"all gateway answers {dict(Counter(o.status for o in gateway))}; "
        f"from +{SETTLE_SECONDS} s {success:.2%} of {len(settled)} succeeded; "
        f"bank {dict(payments)}; "
        f"{len(stream.submitted)} submitted, {len(stream.paid)} paid; "
        f"events lost {len(lost)}, applied twice {len(doubled)}"
    )
    assert 500 not in Counter(o.status for o in stream.outcomes)
    assert while_down and set(while_down) <= {200, 503}, while_down
    assert success >= 0.995
    assert stream.submitted and stream.paid
    assert (lost, doubled) == ([], []), (lost, doubled)


def settle(office: dict, stream: Stream) -> tuple[list[str], list[str]]:
    """Wait for every submission and payment to reach its file and the inbox of whom it concerns
    (the applicant; the head for a paid file's approval); return what never arrived and what
    arrived twice, as "file event_type" strings."""
    readers = {
        (file, "application_submitted"): office["owner_of"][file] for file in stream.submitted
    }
    for file in stream.paid:
        readers[file, "payment_received"] = office["owner_of"][file]
        readers[file, "application_paid"] = office["officers"]["head"]
    receipts = {
        file: patient_get(office["owner_of"][file], file)["receipt_number"] for file, _ in readers
    }

    def counts() -> Counter:
        found = Counter()
        for reader in set(readers.values()):
            for item in inbox(reader):
                for file, receipt in receipts.items():
                    if receipt in item["body"]:
                        found[file, item["event_type"]] += 1
        return found

    def complete():
        found = counts()
        states = all(
            patient_get(office["owner_of"][file], file)["state"] == "approval"
            for file in stream.paid
        )
        return all(found[key] for key in readers) and states and found

    try:
        found = wait(complete, "every event to reach its file and inbox", timeout=90)
    except RuntimeError:
        found = counts()
    lost = [f"{file} {kind}" for file, kind in readers if not found[file, kind]]
    doubled = [f"{file} {kind}" for (file, kind), count in found.items() if count > 1]
    return lost, doubled


def patient_get(gateway: Gateway, path: str) -> dict:
    """A read after the restart: the services catch up on what the outage held back, and a
    read may meet a deadline meanwhile (504); what is counted is what finally arrives."""
    return wait(lambda: _get_or_none(gateway, path), f"GET {path}", timeout=60)


def _get_or_none(gateway: Gateway, path: str) -> dict | None:
    try:
        return gateway.get(path)
    except RuntimeError:
        return None


def inbox(siti: Gateway) -> list[dict]:
    items, page = [], 1
    while True:
        answer = patient_get(siti, f"/notifications?per_page=100&page={page}")
        items += answer["items"]
        if len(items) >= answer["total"] or not answer["items"]:
            return items
        page += 1
