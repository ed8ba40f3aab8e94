"""`python -m devstack demo`: with the platform running, walk one billboard permit through every
stage over the public API (the bank simulator pays), so a visitor can look at a finished file."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import requests

from chassis.config import load_settings
from devstack.launcher import Platform
from services.payments.bank_simulator import BankSimulator, load_partner

OFFICER_PASSWORD = "demo-petugas-2026"
OFFICERS = {
    "frontdesk": "Rina Verifikator",
    "surveyor": "Agus Surveyor",
    "technical": "Dewi Tim Teknis",
    "head": "Drs. Ahmad Kepala Dinas",
    "treasurer": "Yanti Bendahara",
}
# A one-page PDF: what a scanned requirement looks like to the inspector.
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n"
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n"
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


# The demo applicant's satisfaction survey: satisfied, with one element to improve.
SURVEY_ANSWER = {
    "scores": {
        "requirements": 4,
        "procedure": 4,
        "time": 3,
        "cost": 4,
        "product": 4,
        "competence": 4,
        "behaviour": 4,
        "complaints": 3,
        "facilities": 3,
    },
    "comment": "Cepat dan jelas; ruang tunggu loket bisa lebih nyaman.",
}


class Gateway:
    def __init__(self, base: str, email: str | None = None, password: str | None = None):
        self.base, self.headers = base, {}
        if email:
            tokens = self.post("/auth/login", {"email": email, "password": password})
            self.headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    def get(self, path: str):
        return self._check(requests.get(self.base + path, headers=self.headers, timeout=30))

    def post(self, path: str, body: dict | None = None, files=None, data=None, ok=(200, 201)):
        answer = requests.post(
            self.base + path, json=body, files=files, data=data, headers=self.headers, timeout=60
        )
        return self._check(answer, ok)

    @staticmethod
    def _check(answer, ok=(200, 201, 202, 204)):
        if answer.status_code not in ok:
            raise RuntimeError(
                f"{answer.request.method} {answer.url}: {answer.status_code} {answer.text[:300]}"
            )
        return answer.json() if answer.content else None


def wait(check, what: str, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.3)
    raise RuntimeError(f"waited {timeout:.0f} s for {what}")


def ensure_officers(admin: Gateway) -> dict[str, str]:
    emails = {}
    for role, name in OFFICERS.items():
        email = f"{role}@demo.gaspol.id"
        answer = requests.post(
            admin.base + "/users",
            headers=admin.headers,
            timeout=30,
            json={"email": email, "name": name, "roles": [role], "password": OFFICER_PASSWORD},
        )
        if answer.status_code not in (201, 409):
            raise RuntimeError(f"creating {email}: {answer.text[:200]}")
        emails[role] = email
    return emails


def register_applicant(base: str) -> tuple[str, str]:
    n = random.randrange(1000, 9999)
    email = f"siti.{n}@contoh.id"
    password = "pemohon-demo-2026"
    Gateway(base).post(
        "/auth/register",
        {
            # Bandung regency; 55 = a woman's birth day 15 (+40), May 1990; then a serial.
            "nik": f"320401550590{n:04d}",
            "name": "Siti Rahayu",
            "email": email,
            "phone": f"0812{random.randrange(10**7, 10**8)}",
            "password": password,
        },
    )
    return email, password


def upload_billboard(siti: Gateway) -> str:
    """A new Izin Reklame draft with every required document uploaded; returns its path."""
    draft = siti.post(
        "/applications",
        {
            "permit_type": "REKLAME",
            "data": {"naskah_reklame": "Warung Kopi Sari Rasa", "lokasi": "Jl. Merdeka No. 10"},
        },
    )
    file = f"/applications/{draft['id']}"
    for requirement in draft["requirements"]:
        if requirement["required"]:
            siti.post(
                f"{file}/documents",
                data={"requirement": requirement["code"]},
                files={"file": (f"{requirement['code']}.pdf", SAMPLE_PDF, "application/pdf")},
            )
    return file


def submit(siti: Gateway, file: str) -> None:
    """Send an uploaded draft (once the uploads' events have reached the file)."""
    wait(
        lambda: requests.post(siti.base + f"{file}/submit", headers=siti.headers, timeout=30).ok,
        "the uploads to reach the file",
    )


def verify(frontdesk: Gateway, file: str) -> None:
    """The front desk accepts every document, then verifies the file."""
    for document in frontdesk.get(f"{file}/documents")["items"]:
        frontdesk.post(
            f"{file}/actions",
            {"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
    wait(
        lambda: (
            requests.post(
                frontdesk.base + f"{file}/actions",
                json={"action": "verify"},
                headers=frontdesk.headers,
                timeout=30,
            ).ok
        ),
        "the reviews to reach the file",
    )


def take_to_payment(siti: Gateway, officers: dict[str, Gateway], file: str) -> dict:
    """Submit an uploaded draft and take it through review, survey and assessment, every step
    by the role that takes it; returns the invoice the applicant then pays at the bank."""
    submit(siti, file)
    verify(officers["frontdesk"], file)
    officers["surveyor"].post(
        f"{file}/actions",
        {
            "action": "schedule_survey",
            "scheduled_for": "2026-12-09T09:00:00+07:00",
            "location": "Jl. Merdeka No. 10",
        },
    )
    officers["surveyor"].post(
        f"{file}/actions",
        {"action": "report_survey", "report": "Lokasi dan konstruksi papan reklame sesuai."},
    )
    officers["technical"].post(
        f"{file}/actions",
        {
            "action": "assess_fee",
            "fee_inputs": {"area_m2": "12", "months": 6, "location_class": "B"},
        },
    )
    return wait(lambda: _get_or_none(siti, f"{file}/invoice"), "the invoice")


def virtual_account(partner: dict, invoice: dict) -> str:
    """The invoice's VA at this partner bank, as the bank keys it in (prefix padded)."""
    digits = invoice["virtual_accounts"][0]["virtual_account_no"]
    prefix = partner["partner_service_id"]
    return prefix + digits[len(prefix.strip()) :]


def sign_in_officers(base: str) -> dict[str, Gateway]:
    return {role: Gateway(base, f"{role}@demo.gaspol.id", OFFICER_PASSWORD) for role in OFFICERS}


def walk(base: str, bank: BankSimulator, partner: dict) -> dict:
    """One Izin Reklame from draft to issued, every step by the role that takes it."""
    officers = sign_in_officers(base)
    email, password = register_applicant(base)
    siti = Gateway(base, email, password)
    file = upload_billboard(siti)
    invoice = take_to_payment(siti, officers, file)
    _, paid = bank.pay(virtual_account(partner, invoice))
    if paid.get("responseCode") != "2002500":
        raise RuntimeError(f"the bank's payment was refused: {paid}")
    wait(lambda: siti.get(file)["state"] == "approval", "the payment to reach the file")
    issued = officers["head"].post(f"{file}/actions", {"action": "approve"})
    wait(
        lambda: (
            _get_or_none(siti, f"{file}/permit")
            and requests.get(
                base + f"{file}/permit/certificate", headers=siti.headers, timeout=30
            ).ok
        ),
        "the signed certificate",
    )
    siti.post(f"{file}/survey-response", SURVEY_ANSWER)
    return {"applicant": (email, password), "application": issued, "invoice": invoice}


def _get_or_none(gateway: Gateway, path: str):
    answer = requests.get(gateway.base + path, headers=gateway.headers, timeout=30)
    return answer.json() if answer.ok else None


def bank_of(platform: Platform, session=None) -> tuple[BankSimulator, dict]:
    """The bank simulator, signed in as the platform's (demo) partner bank, and that partner;
    `session` lets a caller watch the bank's HTTP calls."""
    partner = load_partner(str(platform.partners_file), None)
    bank = BankSimulator(
        f"http://127.0.0.1:{platform.bank_port}",
        partner["client_id"],
        partner["client_secret"],
        Path(partner["private_key_file"]).read_text(),
        partner["partner_service_id"],
        str(partner["channel_id"]),
        session=session,
    )
    return bank, partner


def main() -> int:
    platform = Platform()  # the same settings `make up` uses: ports, data dir, demo admin
    settings = load_settings(os.environ)
    site = f"http://127.0.0.1:{settings['GATEWAY_PORT']}"
    base = site + "/api/v1"
    admin = Gateway(base, *platform.admin)
    ensure_officers(admin)
    bank, partner = bank_of(platform)
    result = walk(base, bank, partner)
    application = result["application"]
    print("Demo berhasil: satu Izin Reklame dari pengajuan sampai terbit.")
    print(f"  nomor tanda terima   {application['receipt_number']}")
    print(f"  lacak berkas         {site}/track/{application['receipt_number']}")
    print(f"  cek keaslian izin    {site}/verify/{application['permit']['verification_code']}")
    print(f"  nomor izin           {application['permit']['number']}")
    print(f"  transparansi         {site}/transparansi")
    print(f"  laporan (kepala)     {site}/reports")
    print(f"  pemohon              {result['applicant'][0]} / {result['applicant'][1]}")
    print(
        f"  petugas              <peran>@demo.gaspol.id / {OFFICER_PASSWORD}  "
        f"(peran: {', '.join(OFFICERS)})"
    )
    print(f"  admin                {platform.admin[0]} / {platform.admin[1]}")
    return 0
