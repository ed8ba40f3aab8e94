"""Documents over HTTP against the running platform: uploads (good, hostile, huge), review,
downloads, and the signed certificate of an issued permit."""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from datetime import datetime

import pytest
import requests

from devstack.demo import bank_of
from tests.support.large_pdf import pdf_chunks

PASSWORD = "kopi-tubruk-pagi"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"


class Api:
    """A signed-in person's view of the gateway."""

    def __init__(self, base: str, tokens: dict | None = None):
        self.base = base
        self.headers = {"Authorization": f"Bearer {tokens['access_token']}"} if tokens else {}

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return requests.request(
            method, f"{self.base}/api/v1{path}", headers=headers, timeout=120, **kwargs
        )

    def upload(self, application_id: str, requirement: str, content, filename="berkas.pdf"):
        return self(
            "POST",
            f"/applications/{application_id}/documents",
            data={"requirement": requirement},
            files={"file": (filename, content, "application/octet-stream")},
        )


def _nik(n: int) -> str:
    return f"3578011505{90 + n % 10:02d}{1000 + n:04d}"


@pytest.fixture(scope="module")
def people(platform):
    base = f"http://127.0.0.1:{platform.gateway_port}"
    admin = Api(
        base,
        requests.post(
            f"{base}/api/v1/auth/login",
            timeout=10,
            json={"email": platform.admin[0], "password": platform.admin[1]},
        ).json(),
    )
    officers = {
        "frontdesk": "loket",
        "head": "kadis",
        "surveyor": "survei",
        "technical": "teknis",
        "treasurer": "bendahara",
    }
    for role, name in officers.items():
        email, roles = f"{name}@dpmptsp.example.go.id", [role]
        created = admin(
            "POST",
            "/users",
            json={
                "email": email,
                "name": email.split("@")[0],
                "roles": roles,
                "password": PASSWORD,
            },
        )
        assert created.status_code in (201, 409), created.text

    def sign_in(email):
        return Api(
            base,
            requests.post(
                f"{base}/api/v1/auth/login", timeout=10, json={"email": email, "password": PASSWORD}
            ).json(),
        )

    def applicant(n):
        email = f"pemohon{n}-{uuid.uuid4().hex[:6]}@example.id"
        registered = requests.post(
            f"{base}/api/v1/auth/register",
            timeout=10,
            json={
                "nik": _nik(n),
                "name": f"Pemohon {n}",
                "email": email,
                "phone": f"0812{n:04d}{uuid.uuid4().int % 10000:04d}",
                "password": PASSWORD,
            },
        )
        assert registered.status_code == 201, registered.text
        return sign_in(email)

    return {
        "frontdesk": sign_in("loket@dpmptsp.example.go.id"),
        "head": sign_in("kadis@dpmptsp.example.go.id"),
        "officer": lambda role: sign_in(f"{officers[role]}@dpmptsp.example.go.id"),
        "applicant": applicant,
        "base": base,
    }


def _wait(condition, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def _objects(platform) -> set[str]:
    root = platform.data_dir / "objects"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_permit_from_uploads_to_a_verified_certificate(platform, people):
    siti = people["applicant"](1)
    draft = siti("POST", "/applications", json={"permit_type": "PENELITIAN", "data": {}}).json()
    required = [r["code"] for r in draft["requirements"] if r["required"]]
    uploaded = {}
    for code in required:
        answer = siti.upload(draft["id"], code, PDF, filename=f"../../{code}.pdf")
        assert answer.status_code == 201, answer.text
        uploaded[code] = answer.json()
        assert uploaded[code]["sha256"] == hashlib.sha256(PDF).hexdigest()
        assert "/" not in uploaded[code]["filename"]
    again = siti.upload(draft["id"], required[0], PDF + b"\n")
    assert again.json()["version"] == 2
    uploaded[required[0]] = again.json()

    _wait(lambda: siti("POST", f"/applications/{draft['id']}/submit").status_code == 200)
    frontdesk = people["frontdesk"]
    for document in uploaded.values():
        verdict = frontdesk(
            "POST",
            f"/applications/{draft['id']}/actions",
            json={"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
        assert verdict.status_code == 200, verdict.text
    _wait(
        lambda: (
            frontdesk(
                "POST", f"/applications/{draft['id']}/actions", json={"action": "verify"}
            ).status_code
            == 200
        )
    )
    issued = people["head"](
        "POST", f"/applications/{draft['id']}/actions", json={"action": "approve"}
    ).json()
    assert issued["state"] == "issued"

    certificate = _wait(
        lambda: (lambda r: r.status_code == 200 and r)(
            siti("GET", f"/applications/{draft['id']}/permit/certificate")
        )
    )
    assert certificate.content.startswith(b"%PDF-")
    assert "attachment" in certificate.headers["Content-Disposition"]
    code = issued["permit"]["verification_code"]
    public = requests.get(f"{people['base']}/api/v1/verify/{code}", timeout=10).json()
    assert public["genuine"] is True
    assert public["status"] == "valid"
    assert public["holder_name"] == "Pemohon 1"

    download = siti("GET", f"/documents/{uploaded[required[1]]['id']}/content")
    assert download.content == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    stranger = people["applicant"](2)
    assert stranger("GET", f"/documents/{uploaded[required[1]]['id']}/content").status_code == 404


ATTACKS = {
    "renamed executable": (b"MZ\x90\x00\x03" + b"\x00" * 200, "upload_executable"),
    "ELF binary": (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "upload_executable"),
    "SVG with script": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        None,
    ),
    "HTML page": (b"<!DOCTYPE html><html><script>alert(1)</script></html>", None),
    "empty file": (b"", "upload_empty"),
    "PDF with JavaScript": (
        PDF.replace(b"/Type /Catalog", b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        "upload_active_content",
    ),
    "truncated PDF": (PDF[:-7], "upload_truncated"),
    "JPEG and ZIP polyglot": (
        b"\xff\xd8\xff\xe0"
        + b"\x00" * 100
        + b"\xff\xd9"
        + b"PK\x03\x04"
        + b"\x00" * 30
        + b"PK\x05\x06"
        + b"\x00" * 18,
        "upload_polyglot",
    ),
}


@pytest.mark.parametrize("attack", list(ATTACKS), ids=list(ATTACKS))
def test_hostile_uploads_are_refused_and_nothing_is_kept(platform, people, attack):
    content, code = ATTACKS[attack]
    applicant = people["applicant"](10 + list(ATTACKS).index(attack))
    draft = applicant("POST", "/applications", json={"permit_type": "PENELITIAN"}).json()
    before = _objects(platform)
    answer = applicant.upload(draft["id"], "ktp", content, filename="ktp.pdf")
    assert answer.status_code == 422, answer.text
    assert answer.headers["Content-Type"] == "application/problem+json"
    if code:
        assert answer.json()["code"] == code
    assert _objects(platform) == before
    listed = applicant("GET", f"/applications/{draft['id']}/documents").json()["items"]
    assert listed == []


def test_a_100_mb_upload_streams_in_bounded_memory(platform, people):
    applicant = people["applicant"](40)
    draft = applicant("POST", "/applications", json={"permit_type": "PBG"}).json()
    gateway, documents = (_reset_peak_rss(platform, name) for name in ("gateway", "documents"))
    size = 100 * 1024 * 1024
    boundary = uuid.uuid4().hex
    digest = hashlib.sha256()

    def body():
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="requirement"\r\n\r\n'
            f"gambar_arsitektur\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f'name="file"; filename="denah.pdf"\r\n\r\n'
        ).encode()
        yield from pdf_chunks(size, digest)
        yield f"\r\n--{boundary}--\r\n".encode()

    started = time.monotonic()
    answer = applicant(
        "POST",
        f"/applications/{draft['id']}/documents",
        data=body(),
        headers={**applicant.headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    elapsed = time.monotonic() - started
    assert answer.status_code == 201, answer.text
    assert answer.json()["size"] == size
    assert answer.json()["sha256"] == digest.hexdigest()
    growth = {
        "gateway": _peak_rss(platform, "gateway") - gateway,
        "documents": _peak_rss(platform, "documents") - documents,
    }
    print(f"100 MB upload in {elapsed:.1f} s; peak RSS growth {growth}")
    assert all(mb < 30 for mb in growth.values()), growth


def _pids(platform, name: str) -> list[int]:
    """A process of the platform and its children (gunicorn's worker)."""
    child = next(c for c in platform.children if c.name == name)
    return [child.pid, *_children(child.pid)]


def _reset_peak_rss(platform, name: str) -> float:
    """Reset the kernel's peak-RSS mark of the processes; return their RSS now, in MB."""
    for pid in _pids(platform, name):
        with open(f"/proc/{pid}/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    return max(_status_mb(pid, "VmRSS") for pid in _pids(platform, name))


def _peak_rss(platform, name: str) -> float:
    return max(_status_mb(pid, "VmHWM") for pid in _pids(platform, name))


def _children(pid: int) -> list[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    return [int(p) for p in open(path).read().split()] if os.path.exists(path) else []


def _status_mb(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_a_clinic_licence_walks_every_stage_over_http(platform, people):
    """draft → submit → revision → resubmit → verify → survey → technical → approval → issued,
    then tracked and verified by anyone; the clinic licence costs nothing, so no fee step."""
    owner = people["applicant"](60)
    base = people["base"]
    draft = owner(
        "POST",
        "/applications",
        json={"permit_type": "IOK", "data": {"clinic_name": "Klinik Sehat"}},
    ).json()
    required = [r["code"] for r in draft["requirements"] if r["required"]]
    documents = {code: owner.upload(draft["id"], code, PDF).json() for code in required}
    _wait(lambda: owner("POST", f"/applications/{draft['id']}/submit").status_code == 200)

    frontdesk = people["frontdesk"]
    sent_back = frontdesk(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={
            "action": "request_revision",
            "note": "Denah bangunan tidak terbaca",
            "requirements": {"denah_bangunan": "resolusi terlalu rendah"},
        },
    )
    assert sent_back.json()["state"] == "revision_requested", sent_back.text
    documents["denah_bangunan"] = owner.upload(draft["id"], "denah_bangunan", PDF + b" ").json()
    assert documents["denah_bangunan"]["version"] == 2
    _wait(lambda: owner("POST", f"/applications/{draft['id']}/submit").status_code == 200)
    for document in documents.values():
        frontdesk(
            "POST",
            f"/applications/{draft['id']}/actions",
            json={"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
    verified = _wait(
        lambda: (lambda r: r.status_code == 200 and r.json())(
            frontdesk("POST", f"/applications/{draft['id']}/actions", json={"action": "verify"})
        )
    )
    assert verified["state"] == "survey"

    surveyor, technical = people["officer"]("surveyor"), people["officer"]("technical")
    surveyor(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={
            "action": "schedule_survey",
            "scheduled_for": "2026-12-09T09:00:00+07:00",
            "location": "Jl. Merdeka 10",
        },
    )
    reported = surveyor(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={"action": "report_survey", "report": "Sarana dan prasarana sesuai standar."},
    ).json()
    assert reported["state"] == "technical_review"
    recommended = technical(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={"action": "recommend", "note": "Layak diberikan izin operasional"},
    ).json()
    assert recommended["state"] == "approval"
    issued = people["head"](
        "POST", f"/applications/{draft['id']}/actions", json={"action": "approve"}
    ).json()
    assert issued["state"] == "issued"

    tracked = requests.get(f"{base}/api/v1/track/{draft['receipt_number']}", timeout=10).json()
    assert [stage["state"] for stage in tracked["stages"]] == [
        "draft",
        "submitted",
        "revision_requested",
        "submitted",
        "verified",
        "survey",
        "technical_review",
        "recommended",
        "approval",
        "issued",
    ]
    code = issued["permit"]["verification_code"]
    verdict = _wait(
        lambda: (lambda v: v["genuine"] and v)(
            requests.get(f"{base}/api/v1/verify/{code}", timeout=10).json()
        )
    )
    assert verdict["status"] == "valid"
    assert verdict["permit_number"].endswith("/IOK/DPMPTSP/" + issued["finished_at"][:4])


def test_a_billboard_permit_is_paid_at_the_bank_and_issued(platform, people):
    """The fee path: assess → invoice with VAs → the bank simulator pays → approval → issued."""
    from services.payments.bank_simulator import WIB

    owner = people["applicant"](70)
    draft = owner("POST", "/applications", json={"permit_type": "REKLAME"}).json()
    documents = [
        owner.upload(draft["id"], r["code"], PDF).json()
        for r in draft["requirements"]
        if r["required"]
    ]
    _wait(lambda: owner("POST", f"/applications/{draft['id']}/submit").status_code == 200)
    frontdesk = people["frontdesk"]
    for document in documents:
        frontdesk(
            "POST",
            f"/applications/{draft['id']}/actions",
            json={"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
    _wait(
        lambda: (
            frontdesk(
                "POST", f"/applications/{draft['id']}/actions", json={"action": "verify"}
            ).status_code
            == 200
        )
    )
    surveyor, technical = people["officer"]("surveyor"), people["officer"]("technical")
    surveyor(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={"action": "schedule_survey", "scheduled_for": "2026-12-09T10:00:00+07:00"},
    )
    surveyor(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={"action": "report_survey", "report": "Lokasi sesuai; konstruksi aman."},
    )
    bad = technical(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={"action": "assess_fee", "fee_inputs": {"area_m2": "12", "months": 6}},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"].startswith("fee_inputs")
    assessed = technical(
        "POST",
        f"/applications/{draft['id']}/actions",
        json={
            "action": "assess_fee",
            "fee_inputs": {"area_m2": "12", "months": 6, "location_class": "A"},
        },
    ).json()
    assert assessed["state"] == "awaiting_payment"

    invoice = _wait(
        lambda: (lambda r: r.status_code == 200 and r.json())(
            owner("GET", f"/applications/{draft['id']}/invoice")
        )
    )
    assert invoice["amount"] == 1_800_000
    bank, partner = bank_of(platform)
    digits = invoice["virtual_accounts"][0]["virtual_account_no"]
    va = partner["partner_service_id"] + digits[len(partner["partner_service_id"].strip()) :]
    _, paid = bank.pay(va)
    assert paid["responseCode"] == "2002500", paid

    paid_file = _wait(
        lambda: (lambda a: a["state"] == "approval" and a)(
            owner("GET", f"/applications/{draft['id']}").json()
        )
    )
    assert paid_file["invoice"]["status"] == "paid"
    issued = people["head"](
        "POST", f"/applications/{draft['id']}/actions", json={"action": "approve"}
    ).json()
    assert issued["state"] == "issued"

    treasurer = people["officer"]("treasurer")
    # The office's day is in WIB (UTC+7): near midnight the UTC date is another day.
    day = datetime.fromisoformat(invoice["issued_at"]).astimezone(WIB).date().isoformat()
    report = treasurer("GET", f"/reports/reconciliation?date={day}").json()
    assert report["totals"]["collected"] >= 1_800_000
    csv_report = treasurer("GET", f"/reports/reconciliation?date={day}&format=csv")
    assert csv_report.headers["Content-Type"].startswith("text/csv")
    assert "JUMLAH" in csv_report.text
    assert owner("GET", f"/reports/reconciliation?date={day}").status_code == 403

    # Every step reached the applicant's inbox (the inbox always works, verified or not).
    def told():
        items = owner("GET", "/notifications?per_page=50").json()["items"]
        kinds = {item["event_type"] for item in items if draft["receipt_number"] in item["body"]}
        wanted = {"application_submitted", "invoice_issued", "payment_received", "permit_issued"}
        return wanted <= kinds and kinds

    assert _wait(told)
