"""The people and files the benchmarks need, made over the public API as `make demo` makes them."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from kombu.utils.url import parse_url

from devstack.demo import (
    OFFICER_PASSWORD,
    SAMPLE_PDF,
    Gateway,
    bank_of,
    ensure_officers,
    verify,
    wait,
)
from devstack.launcher import Platform
from services.payments.bank_simulator import PAYMENT_PATH, BankSimulator
from tests.perf.load import Servers, expect, listening_pids

BILLBOARD = {
    "permit_type": "REKLAME",
    "data": {"naskah_reklame": "Warung Kopi Sari Rasa", "lokasi": "Jl. Merdeka No. 10"},
}
APPLICANT_PASSWORD = "kopi-susu-pagi-2026"


class Office:
    """The admin, one officer per role and one applicant, signed in on one platform."""

    def __init__(self, platform: Platform):
        self.site = f"http://127.0.0.1:{platform.gateway_port}"
        self.base = self.site + "/api/v1"
        self.platform = platform
        admin = Gateway(self.base, *platform.admin)
        emails = ensure_officers(admin)
        self.officers = {
            role: Gateway(self.base, email, OFFICER_PASSWORD) for role, email in emails.items()
        }
        self.applicant = self._register_applicant()

    def _register_applicant(self) -> Gateway:
        email = "siti.bench@contoh.id"
        Gateway(self.base).post(
            "/auth/register",
            {
                "nik": "3204015505900001",
                "name": "Siti Rahayu",
                "email": email,
                "phone": "081234567890",
                "password": APPLICANT_PASSWORD,
            },
        )
        return Gateway(self.base, email, APPLICANT_PASSWORD)

    def token(self, gateway: Gateway) -> str:
        return gateway.headers["Authorization"].removeprefix("Bearer ")

    def servers(self, *names: str) -> Servers:
        """The named children's processes, and the broker's, for CPU accounting (the broker
        serves every vhost on this machine: its share is an upper bound)."""
        broker = parse_url(self.platform.environ["AMQP_URI"])["port"] or 5672
        shared_broker = {"broker (shared)": listening_pids(broker)}
        return {name: self.pids(name) for name in names} | shared_broker

    def pids(self, *names: str) -> list[int]:
        """The processes of the named children, with their own children (gunicorn's worker)."""
        pids = []
        for child in self.platform.children:
            if child.name in names:
                pids += [child.pid, *children_of(child.pid)]
        return pids

    # --- files

    def draft(self, application: dict | None = None) -> dict:
        return self.applicant.post("/applications", application or BILLBOARD)

    def upload_required(self, draft: dict) -> list[dict]:
        return [
            self.applicant.post(
                f"/applications/{draft['id']}/documents",
                data={"requirement": requirement["code"]},
                files={"file": (f"{requirement['code']}.pdf", SAMPLE_PDF, "application/pdf")},
            )
            for requirement in draft["requirements"]
            if requirement["required"]
        ]

    def wait_uploads_known(self, draft: dict) -> None:
        """Until the file shows every required document (they arrive by event)."""
        required = {r["code"] for r in draft["requirements"] if r["required"]}

        def known():
            shown = self.applicant.get(f"/applications/{draft['id']}")["requirements"]
            return all(r["document"] for r in shown if r["code"] in required)

        wait(known, "the uploads to reach the file")

    def to_awaiting_payment(self, _index: int = 0) -> dict:
        """A billboard permit walked to its invoice, every step by the role that takes it."""
        draft = self.draft()
        self.upload_required(draft)
        self.wait_uploads_known(draft)
        file = f"/applications/{draft['id']}"
        self.applicant.post(f"{file}/submit")
        verify(self.officers["frontdesk"], file)
        surveyor = self.officers["surveyor"]
        surveyor.post(
            f"{file}/actions",
            {"action": "schedule_survey", "scheduled_for": "2026-12-09T09:00:00+07:00"},
        )
        surveyor.post(f"{file}/actions", {"action": "report_survey", "report": "Sesuai."})
        self.officers["technical"].post(
            f"{file}/actions",
            {
                "action": "assess_fee",
                "fee_inputs": {"area_m2": "12", "months": 6, "location_class": "B"},
            },
        )
        invoice = wait(lambda: self._invoice(file), "the invoice")
        return {"id": draft["id"], "invoice": invoice}

    def many_awaiting_payment(self, count: int, workers: int = 3) -> list[dict]:
        with ThreadPoolExecutor(workers) as pool:
            return list(pool.map(self.to_awaiting_payment, range(count)))

    def _invoice(self, file: str) -> dict | None:
        answer = requests.get(
            self.base + f"{file}/invoice", headers=self.applicant.headers, timeout=30
        )
        return answer.json() if answer.ok else None

    # --- the bank

    def bank(self) -> tuple[BankSimulator, dict, StampedSession]:
        session = StampedSession()
        bank, partner = bank_of(self.platform, session=session)
        return bank, partner, session

    def view(self, session: requests.Session, application_id: str) -> dict:
        answer = session.get(
            f"{self.base}/applications/{application_id}",
            headers=self.applicant.headers,
            timeout=30,
        )
        return expect(answer, 200).json()


class StampedSession(requests.Session):
    """Notes the moment each SNAP payment request leaves, where the bank's clock starts."""

    payment_sent_at = 0.0  # time.perf_counter()
    sent_at_wall = 0.0  # time.time(), to compare with the services' own timestamps

    def request(self, method, url, *args, **kwargs):
        if url.endswith(PAYMENT_PATH):
            self.payment_sent_at, self.sent_at_wall = time.perf_counter(), time.time()
        return super().request(method, url, *args, **kwargs)


def full_va(partner: dict, invoice: dict) -> str:
    """The VA number a bank customer types: the partner's prefix, then the customer number."""
    prefix = partner["partner_service_id"]
    digits = invoice["virtual_accounts"][0]["virtual_account_no"]
    return prefix + digits[len(prefix.strip()) :]


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []
