"""The office's pages in a browser: a front desk officer reviews the documents of a research
permit shown in the page and verifies the file, the head approves it, the treasurer reads the
day's reconciliation and the admin manages accounts. Data is set up over the HTTP API; every
officer step goes through the UI, with a screenshot of each."""

from __future__ import annotations

import random
import re
import time
import uuid
from pathlib import Path

import pytest
import requests

from devstack.demo import bank_of
from tests.browser.conftest import snap

PASSWORD = "kopi-tubruk-pagi"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
DESK = {"width": 1280, "height": 800}
NARROW = {"width": 360, "height": 740}


class Api:
    """A signed-in person's view of the gateway, for setting up data."""

    def __init__(self, base: str, email: str | None = None, password: str | None = None):
        self.base = base
        self.headers = {}
        if email:
            answer = requests.post(
                f"{base}/api/v1/auth/login",
                json={"email": email, "password": password},
                timeout=10,
            )
            assert answer.status_code == 200, answer.text
            self.headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(
            method, f"{self.base}/api/v1{path}", headers=self.headers, timeout=60, **kwargs
        )


def _wait(condition, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.25)
    raise AssertionError(f"{what} not met within {timeout} s")


@pytest.fixture(scope="module")
def office(platform, base_url):
    """Officers made by the platform's admin (unique emails, so other modules cannot clash)."""
    admin = Api(base_url, *platform.admin)
    tag = uuid.uuid4().hex[:6]
    people = {}
    officers = {
        "frontdesk": "loket",
        "surveyor": "survei",
        "technical": "teknis",
        "head": "kadis",
        "treasurer": "bendahara",
        "auditor": "auditor",
    }
    for role, name in officers.items():
        email = f"{name}-{tag}@dpmptsp.example.go.id"
        created = admin(
            "POST",
            "/users",
            json={
                "email": email,
                "name": f"Petugas {name.title()}",
                "roles": [role],
                "password": PASSWORD,
            },
        )
        assert created.status_code == 201, created.text
        people[role] = email
    return people


def _register_applicant(base_url: str) -> tuple[str, Api]:
    for _ in range(5):
        email = f"peneliti-{uuid.uuid4().hex[:8]}@example.id"
        nik = f"3578011505{random.randint(80, 99)}{random.randint(1, 9999):04d}"
        answer = requests.post(
            f"{base_url}/api/v1/auth/register",
            json={
                "nik": nik,
                "name": "Rina Peneliti",
                "email": email,
                "phone": f"0812{random.randint(10_000_000, 99_999_999)}",
                "password": PASSWORD,
            },
            timeout=10,
        )
        if answer.status_code == 201:
            return email, Api(base_url, email, PASSWORD)
        assert answer.status_code == 409, answer.text  # NIK or phone taken: draw again
    raise AssertionError("could not register an applicant")


def _submit(base_url: str, permit_type: str, data: dict) -> tuple[dict, Api]:
    """An application with a PDF for each required document, submitted by a new applicant."""
    _, applicant = _register_applicant(base_url)
    draft = applicant("POST", "/applications", json={"permit_type": permit_type, "data": data})
    assert draft.status_code == 201, draft.text
    draft = draft.json()
    required = [r["code"] for r in draft["requirements"] if r["required"]]
    for code in required:
        uploaded = applicant(
            "POST",
            f"/applications/{draft['id']}/documents",
            data={"requirement": code},
            files={"file": (f"{code}.pdf", PDF, "application/pdf")},
        )
        assert uploaded.status_code == 201, uploaded.text
    # The file learns of its uploads by event: submitting works once they have arrived.
    _wait(
        lambda: applicant("POST", f"/applications/{draft['id']}/submit").status_code == 200,
        what="submission",
    )
    return {**draft, "required": required}, applicant


@pytest.fixture(scope="module")
def submitted_file(office, base_url):
    """A research permit: free, no survey, no technical step."""
    draft, _ = _submit(base_url, "PENELITIAN", {"judul": "Pola tanam padi di lahan tadah hujan"})
    return draft


@pytest.fixture
def desk(browser):
    """A new context per test at a desktop's size, as officers work at the office."""
    context = browser.new_context(viewport=DESK, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    yield context
    context.close()


def sign_in(context, base_url: str, email: str, password: str = PASSWORD):
    """A fresh page signed in through the login page."""
    page = context.new_page()
    page.goto(f"{base_url}/login")
    form = page.locator("main form").first
    form.locator(
        'input[name="email"], input[type="email"], input[autocomplete="username"]'
    ).first.fill(email)
    form.locator('input[type="password"]').first.fill(password)
    form.locator('button[type="submit"], button:not([type])').first.click()
    # Signed in once the profile is kept; the login page then moves on by itself.
    page.wait_for_function("() => localStorage.getItem('gaspol.user')")
    page.wait_for_url(re.compile(r"/(work|applications)"))
    return page


def open_work(page, base_url: str):
    page.goto(f"{base_url}/work")
    page.get_by_role("heading", name="Antrean Kerja", level=1).wait_for()


def assert_fits(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"the page is {width} px wide on a 360 px screen"


def test_the_queue_and_a_file_fit_a_360px_phone(browser, base_url, office, submitted_file):
    context = browser.new_context(viewport=NARROW, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    try:
        page = sign_in(context, base_url, office["frontdesk"])
        open_work(page, base_url)
        page.get_by_role("link", name=f"Buka berkas {submitted_file['receipt_number']}").wait_for()
        snap(page, "queue-360px")
        assert_fits(page)
        page.get_by_role("link", name=f"Buka berkas {submitted_file['receipt_number']}").click()
        page.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()
        page.locator('iframe[src^="blob:"]').first.wait_for()
        snap(page, "file-360px")
        assert_fits(page)
    finally:
        context.close()


def test_frontdesk_reviews_and_verifies_then_head_approves(
    browser, desk, base_url, office, submitted_file
):
    receipt = submitted_file["receipt_number"]
    page = sign_in(desk, base_url, office["frontdesk"])
    open_work(page, base_url)
    queue = page.get_by_role("region", name=re.compile("^Tabel Antrean Verifikator"))
    link = queue.get_by_role("link", name=f"Buka berkas {receipt}")
    link.wait_for()
    snap(page, "1-frontdesk-queue")

    link.click()
    page.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()
    assert page.get_by_text(receipt, exact=True).is_visible()
    # The newest version of each document is shown in the page, from a blob of its bytes.
    viewers = page.locator('iframe[src^="blob:"]')
    _wait(lambda: viewers.count() == len(submitted_file["required"]), what="documents shown")
    assert (
        page.get_by_role("link", name=re.compile(r"^Unduh "))
        .first.get_attribute("href")
        .startswith("blob:")
    )
    snap(page, "2-frontdesk-file")

    # Reload keeps the page (the path is the state).
    page.reload()
    page.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()

    # A rejection needs its reason: pressing Tolak opens the field; sending it empty is refused.
    first_reject = page.get_by_role("button", name=re.compile(r"^Tolak ")).first
    first_reject.click()
    reason = page.get_by_role("textbox", name="Alasan penolakan")
    assert reason.is_visible()
    assert reason.evaluate("(element) => element === document.activeElement")
    page.get_by_role("button", name=re.compile("^Kirim penolakan")).click()
    page.locator("form.review .problem[role=alert]").wait_for()
    snap(page, "3-reject-needs-reason")
    page.get_by_role("button", name="Batal").click()

    accept = page.get_by_role("button", name=re.compile(r"^Terima "))
    for remaining in range(len(submitted_file["required"]), 0, -1):
        assert accept.count() == remaining
        accept.first.click()
        _wait(lambda n=remaining: accept.count() == n - 1, what="a document accepted")
    snap(page, "4-documents-accepted")

    # Verdicts reach the file by event: reload until the file shows every one accepted.
    def file_knows():
        page.get_by_role("button", name="Muat ulang").click()
        page.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()
        time.sleep(0.3)
        return page.get_by_text("Belum diperiksa", exact=True).count() == 0

    _wait(file_knows, what="accepted statuses on the file")
    page.get_by_role("button", name="Verifikasi berkas").click()
    page.locator("p[role=status] .badge", has_text="Menunggu persetujuan").wait_for()
    assert page.get_by_text("Tidak ada tindakan untuk peran Anda pada tahap ini.").is_visible()
    snap(page, "5-frontdesk-verified")

    head_context = browser.new_context(viewport=DESK, locale="id-ID", timezone_id="Asia/Jakarta")
    head_context.set_default_timeout(20_000)
    try:
        head = sign_in(head_context, base_url, office["head"])
        open_work(head, base_url)
        head_queue = head.get_by_role("region", name=re.compile("^Tabel Antrean Kepala dinas"))
        head_queue.get_by_role("link", name=f"Buka berkas {receipt}").click()
        head.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()
        snap(head, "6-head-file")
        assert head.get_by_role("button", name=re.compile("^(Terima|Tolak) ")).count() == 0
        head.get_by_role("button", name="Setujui dan terbitkan izin").click()
        head.locator("p[role=status] .badge", has_text="Izin terbit").wait_for()
        assert head.get_by_role("heading", name="Izin", exact=True).is_visible()
        snap(head, "7-head-issued")
    finally:
        head_context.close()


def _officer_page(browser, base_url, email):
    context = browser.new_context(viewport=DESK, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    return context, sign_in(context, base_url, email)


def _open_from_queue(page, base_url, queue: str, receipt: str):
    open_work(page, base_url)
    region = page.get_by_role("region", name=re.compile(f"^Tabel Antrean {queue}"))
    region.get_by_role("link", name=f"Buka berkas {receipt}").click()
    page.get_by_role("heading", name="Izin Penyelenggaraan Reklame", level=1).wait_for()


def _state(page, text: str):
    page.locator("p[role=status] .badge", has_text=text).wait_for()


def test_survey_fee_payment_and_the_treasurers_day(browser, base_url, platform, office):
    """A billboard: surveyor and fee through the UI, paid at the bank, seen by the treasurer."""
    draft, applicant = _submit(base_url, "REKLAME", {"lokasi": "Jl. Ahmad Yani km 3"})
    frontdesk = Api(base_url, office["frontdesk"], PASSWORD)
    documents = applicant("GET", f"/applications/{draft['id']}/documents").json()["items"]
    for document in documents:
        reviewed = frontdesk(
            "POST",
            f"/applications/{draft['id']}/actions",
            json={"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
        assert reviewed.status_code == 200, reviewed.text
    _wait(
        lambda: (
            frontdesk(
                "POST", f"/applications/{draft['id']}/actions", json={"action": "verify"}
            ).status_code
            == 200
        ),
        what="verification",
    )
    receipt = draft["receipt_number"]

    context, page = _officer_page(browser, base_url, office["surveyor"])
    try:
        _open_from_queue(page, base_url, "Tim survei", receipt)
        schedule = page.locator("form", has=page.get_by_role("heading", name="Jadwalkan survei"))
        schedule.get_by_role("button", name="Jadwalkan survei").click()
        schedule.get_by_text("Isi tanggal dan jam survei.").first.wait_for()
        snap(page, "1-schedule-needs-a-date")
        schedule.get_by_label("Tanggal dan jam survei (WIB)").fill("2026-12-09T09:30")
        schedule.get_by_label("Lokasi survei").fill("Jl. Ahmad Yani km 3, depan pasar")
        schedule.get_by_role("button", name="Jadwalkan survei").click()
        page.get_by_role("heading", name="Survei lapangan", exact=True).wait_for()
        assert page.get_by_text("9 Desember 2026 pukul 09.30 WIB").first.is_visible()
        report = page.locator("form", has=page.get_by_role("heading", name="Laporkan hasil survei"))
        report.get_by_label("Berita acara survei").fill(
            "Bidang reklame 3 x 4 m, konstruksi baja, jarak aman dari jalan."
        )
        report.get_by_role("button", name="Laporkan hasil survei").click()
        _state(page, "Direkomendasikan")
        snap(page, "2-surveyed")
    finally:
        context.close()

    context, page = _officer_page(browser, base_url, office["technical"])
    try:
        _open_from_queue(page, base_url, "Tim teknis", receipt)
        assess = page.locator("form", has=page.get_by_role("heading", name="Tetapkan retribusi"))
        assess.get_by_role("button", name="Tetapkan retribusi").click()
        area = assess.get_by_label("Luas bidang reklame (m²)")
        expect_error = assess.locator('[data-field="fee_inputs.area_m2"] .field-error')
        _wait(lambda: expect_error.inner_text().strip() != "", what="an error next to the area")
        assert area.get_attribute("aria-invalid") == "true"
        snap(page, "3-fee-needs-inputs")
        area.fill("12")
        assess.get_by_label("Lama pemasangan (bulan)").fill("6")
        assess.get_by_label("Kelas lokasi").select_option("A")
        assess.get_by_role("button", name="Tetapkan retribusi").click()
        _state(page, "Menunggu pembayaran")
        assert page.get_by_text("Rp 1.800.000").first.is_visible()
        snap(page, "4-fee-assessed")
    finally:
        context.close()

    invoice = _wait(
        lambda: (lambda r: r.status_code == 200 and r.json())(
            applicant("GET", f"/applications/{draft['id']}/invoice")
        ),
        what="the invoice",
    )
    bank, partner = bank_of(platform)
    digits = invoice["virtual_accounts"][0]["virtual_account_no"]
    _, paid = bank.pay(
        partner["partner_service_id"] + digits[len(partner["partner_service_id"].strip()) :]
    )
    assert paid["responseCode"] == "2002500", paid

    context, page = _officer_page(browser, base_url, office["treasurer"])
    try:
        open_work(page, base_url)
        page.get_by_role("link", name="Rekonsiliasi Harian").click()
        page.get_by_role("heading", name="Rekonsiliasi Harian", level=1).wait_for()
        today = page.evaluate(
            "() => new Intl.DateTimeFormat('en-CA', {timeZone: 'Asia/Jakarta'}).format(new Date())"
        )
        assert page.get_by_label("Tanggal (WIB)").input_value() == today
        banks = page.get_by_role("region", name="Tabel Per bank")
        total = banks.locator("tfoot tr")
        total.get_by_role("rowheader", name="Jumlah").wait_for()

        def collected() -> int:
            page.reload()
            cells = page.get_by_role("region", name="Tabel Per bank").locator("tfoot td")
            return int(re.sub(r"\D", "", cells.nth(1).inner_text()))

        assert _wait(lambda: collected() >= 1_800_000, what="the payment in the day's totals")
        snap(page, "5-reconciliation")

        with page.expect_download() as download:
            page.get_by_role("button", name="Unduh CSV").click()
        assert download.value.suggested_filename == f"rekonsiliasi-{today}.csv"
        assert "JUMLAH" in Path(download.value.path()).read_text()
    finally:
        context.close()


def test_admin_lists_and_creates_officers(desk, base_url, platform, office):
    page = sign_in(desk, base_url, *platform.admin)
    open_work(page, base_url)
    page.get_by_role("link", name="Akun Petugas").click()
    page.get_by_role("heading", name="Akun Petugas", level=1).wait_for()
    accounts = page.get_by_role("region", name="Tabel Daftar akun")
    accounts.get_by_text(office["frontdesk"]).wait_for()
    snap(page, "users")

    email = f"surveyor-{uuid.uuid4().hex[:6]}@dpmptsp.example.go.id"
    create = page.locator("form", has=page.get_by_role("heading", name="Buat akun petugas"))
    create.get_by_role("button", name="Buat akun petugas").click()
    create.locator(".problem[role=alert]").wait_for()
    snap(page, "users-create-problems")
    create.get_by_label("Email").fill(email)
    create.get_by_label("Nama lengkap").fill("Sari Survei")
    create.get_by_label("Tim survei").check()
    create.get_by_label("Kata sandi awal (tidak wajib)").fill(PASSWORD)
    create.get_by_role("button", name="Buat akun petugas").click()
    page.get_by_role("region", name="Tabel Daftar akun").get_by_text(email).wait_for()

    page.get_by_role("button", name="Ubah akun Sari Survei").click()
    editor = page.locator("form", has=page.get_by_role("heading", name="Ubah akun Sari Survei"))
    editor.get_by_label("Tim teknis").check()
    editor.get_by_role("button", name="Simpan perubahan").click()
    row = page.get_by_role("row", name=re.compile(re.escape(email)))
    row.get_by_text("Tim teknis").wait_for()
    snap(page, "users-after-edit")

    page.goto(f"{base_url}/work/permit-types")
    page.get_by_role("heading", name="Katalog Jenis Izin").wait_for()
    page.get_by_role("link", name="Rincian Izin Penelitian").click()
    page.get_by_role("heading", name="Izin Penelitian", level=1).wait_for()
    assert page.get_by_role("link", name="Ubah jenis izin").is_visible()
    snap(page, "permit-type")


def test_auditor_reads_files_by_state_and_changes_nothing(desk, base_url, office):
    draft, _ = _submit(base_url, "PENELITIAN", {"judul": "Sejarah pasar tradisional"})
    page = sign_in(desk, base_url, office["auditor"])
    open_work(page, base_url)
    page.get_by_role("heading", name="Daftar berkas menurut status").wait_for()
    page.get_by_label("Status berkas").select_option("submitted")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(re.compile(r"/work\?state=submitted"))
    files = page.get_by_role("region", name=re.compile("^Tabel Diterima, menunggu verifikasi"))
    files.get_by_role("link", name=f"Buka berkas {draft['receipt_number']}").click()
    page.get_by_role("heading", name="Tindakan").wait_for()
    assert page.get_by_text("Tidak ada tindakan untuk peran Anda pada tahap ini.").is_visible()
    assert page.get_by_role("button", name=re.compile("^(Terima|Tolak) ")).count() == 0
    snap(page, "auditor-file")

    page.get_by_role("button", name="Ganti bahasa / Switch language").click()
    page.get_by_role("heading", name="Actions").wait_for()
    assert page.get_by_text("Your roles have no action on the file at this stage.").is_visible()
    page.goto(f"{base_url}/work?state=submitted")
    page.get_by_role("heading", name="Files by status").wait_for()
    snap(page, "auditor-queue-english")

    page.goto(f"{base_url}/work/applications/{'0' * 32}")
    page.get_by_role("alert").filter(has_text="Not found").wait_for()
