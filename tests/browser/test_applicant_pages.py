"""The applicant's pages in Chromium, against the running platform: register, apply, upload,
submit, follow the file, read the inbox, switch language; and the same pages on a slow link."""

from __future__ import annotations

import random
import re
import time
import uuid

import pytest
import requests

from devstack.demo import bank_of
from tests.browser.conftest import PHONE, snap

pytestmark = pytest.mark.slow

PASSWORD = "kopi-tubruk-pagi-2026"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
RECEIPT = re.compile(r"GSP-\d{4}-[0-9A-Z]{6}")
SIGN_IN_PAGE = re.compile(r".*/login\?next=.+")
SLOW_LINK = {  # a cheap phone far from town: ~400 kbit/s both ways, 150 ms round trips
    "offline": False,
    "latency": 150,
    "downloadThroughput": 400 * 1000 / 8,
    "uploadThroughput": 400 * 1000 / 8,
}
SLOW_PAGE_BUDGET_S = 20.0
# What the page load carried over the wire (document and every resource), in kB.
TRANSFERRED_KB = """() => Math.round(performance.getEntries()
    .filter((e) => e.entryType === "navigation" || e.entryType === "resource")
    .reduce((sum, e) => sum + (e.transferSize || 0), 0) / 1000)"""

# Straight to 127.0.0.1, never through a proxy from the environment.
http = requests.Session()
http.trust_env = False


def unique_person() -> dict:
    """A woman born 15-05-1990 in Surabaya (day 55 = 15 + 40), with a fresh serial and contacts."""
    return {
        "nik": f"357801550590{random.randint(1000, 9999)}",
        "name": "Siti Rahayu",
        "email": f"siti.{uuid.uuid4().hex[:10]}@example.id",
        "phone": "0812" + "".join(random.choices("0123456789", k=8)),
        "password": PASSWORD,
    }


def fits_a_small_phone(page, width: int = 360) -> None:
    """At the narrowest common phone width nothing sticks out sideways."""
    page.set_viewport_size({"width": width, "height": 780})
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide} px wide at a {width} px window"


def field_error(page, name: str):
    """The error box that belongs to a form field (the shell's `field` helper)."""
    return page.locator(f'[data-field="{name}"] .field-error')


def test_applicant_registers_applies_submits_and_follows_the_file(page, base_url, tmp_path):
    from playwright.sync_api import expect

    person = unique_person()
    pdf = tmp_path / "dokumen.pdf"
    pdf.write_bytes(PDF)
    fake = tmp_path / "bukan-pdf.pdf"
    fake.write_bytes(b"ini hanya teks biasa, bukan dokumen PDF\n" * 4)

    # Register: a NIK whose birth date cannot exist is refused, next to the NIK field.
    page.goto(f"{base_url}/register")
    expect(page.get_by_role("heading", name="Daftar akun pemohon")).to_be_visible()
    page.get_by_label("NIK (Nomor Induk Kependudukan)").fill("3578019905901234")
    page.get_by_label("Nama lengkap").fill(person["name"])
    page.get_by_label("Email", exact=True).fill(person["email"])
    page.get_by_label("Nomor HP").fill(person["phone"])
    page.get_by_label("Kata sandi").fill(person["password"])
    page.get_by_role("button", name="Daftar").click()
    expect(field_error(page, "nik")).to_contain_text("bukan tanggal lahir yang benar")
    expect(page.locator('[data-field="nik"] input')).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("alert").first).to_contain_text("perlu diperbaiki")
    snap(page, "01-register-bad-nik")

    page.get_by_label("NIK (Nomor Induk Kependudukan)").fill(person["nik"])
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/verify-contact")
    expect(page.get_by_role("heading", name="Verifikasi email dan nomor HP")).to_be_visible()
    expect(page.get_by_text(person["email"])).to_be_visible()
    expect(page.get_by_label("Kode verifikasi (6 angka)")).to_be_visible()
    expect(page.get_by_role("button", name="Kirim ulang kode ke email")).to_be_visible()
    snap(page, "02-verify-contact")

    # The catalogue, then the research permit's wizard: a draft at its own address.
    page.locator("#nav").get_by_role("link", name="Jenis Izin").click()
    expect(page.get_by_role("heading", name="Izin Penelitian")).to_be_visible()
    snap(page, "03-catalogue")
    page.locator('a[href="/apply/PENELITIAN"]').first.click()
    page.wait_for_url(re.compile(r".*/applications/[0-9a-f]+$"))
    expect(page.get_by_role("heading", name="Izin Penelitian", exact=True)).to_be_visible()
    expect(page.get_by_text("Draf", exact=True)).to_be_visible()
    draft_url = page.url
    snap(page, "04-draft")

    cards = page.locator("article.requirement")
    required = [
        cards.nth(i)
        for i in range(cards.count())
        if cards.nth(i).locator("h3 .badge").inner_text().strip() == "wajib"
    ]
    assert len(required) >= 2, "the research permit has several required documents"

    # A file that only pretends to be a PDF is refused in plain words, next to its input.
    first = required[0]
    first.locator('input[type="file"]').set_input_files(str(fake))
    first.get_by_role("button", name="Unggah").click()
    expect(first.locator('[data-field="file"] .field-error')).to_contain_text("Gunakan berkas PDF")
    expect(first.get_by_role("alert")).to_contain_text("tidak dapat diterima")

    # Every required document but the last, each with its progress bar and result.
    for card in required[:-1]:
        card.locator('input[type="file"]').set_input_files(str(pdf))
        card.get_by_role("button", name="Unggah").click()
        expect(card.locator(".upload-result")).to_contain_text("Berhasil diunggah: dokumen.pdf")
        expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
        expect(card.locator(".upload-result")).to_contain_text("versi 1")
    snap(page, "05-uploads-one-missing")

    # Sending with a required document missing says which one, and marks its card.
    page.get_by_role("button", name="Kirim permohonan").click()
    missing = required[-1]
    expect(page.locator(".submit").get_by_role("alert")).to_contain_text("belum diunggah")
    expect(missing.locator(".missing")).to_contain_text("belum diunggah")
    snap(page, "06-missing-document")

    missing.locator('input[type="file"]').set_input_files(str(pdf))
    missing.get_by_role("button", name="Unggah").click()
    expect(missing.locator(".upload-result")).to_contain_text("Berhasil diunggah")
    expect(page.locator(".submit")).to_contain_text(f"{len(required)} dari {len(required)}")
    page.get_by_role("button", name="Kirim permohonan").click()

    expect(page.get_by_text("Diterima, menunggu verifikasi").first).to_be_visible()
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    assert RECEIPT.fullmatch(receipt), receipt
    expect(page.locator(".sla")).to_contain_text("hari kerja")
    snap(page, "07-submitted")

    # A reload shows the same file, loaded from its address.
    page.reload()
    assert page.url == draft_url
    expect(page.get_by_text("Diterima, menunggu verifikasi").first).to_be_visible()
    expect(page.get_by_test_id("receipt")).to_have_text(receipt)
    expect(page.locator(".timeline")).to_contain_text("Diterima, menunggu verifikasi")
    fits_a_small_phone(page)
    snap(page, "08-submitted-reloaded")

    # The dashboard lists it with its SLA countdown.
    page.locator("#nav").get_by_role("link", name="Berkas Saya").click()
    card = page.locator(f'[data-receipt="{receipt}"]')
    expect(card).to_contain_text("Izin Penelitian")
    expect(card).to_contain_text(re.compile(r"sisa [\d,]+ hari kerja"))
    snap(page, "09-dashboard")

    # The inbox has the receipt message (notifications arrive by event: give it a moment).
    page.locator("#nav").get_by_role("link", name="Kotak Masuk").click()
    message = page.locator("details.message", has_text=receipt)
    for _ in range(15):
        if message.count():
            break
        time.sleep(1)
        page.reload()
    expect(message.first).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("belum dibaca")
    snap(page, "10-inbox")
    message.first.locator("summary").click()
    expect(message.first).to_contain_text("Simpan nomor tanda terima ini")
    expect(message.first.locator("summary strong")).to_have_count(0)
    snap(page, "11-inbox-opened")

    # English on request: the same pages, English words.
    page.locator("#lang").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    page.goto(draft_url)
    expect(page.get_by_text("Received, awaiting verification").first).to_be_visible()
    expect(page.get_by_text("Receipt number")).to_be_visible()
    expect(page.get_by_role("heading", name="Required documents")).to_be_visible()
    expect(page.get_by_role("heading", name="File history")).to_be_visible()
    snap(page, "12-english")


def test_catalogue_and_dashboard_load_on_a_slow_phone_link(browser, base_url, record_property):
    from playwright.sync_api import expect

    # A first visit: no service worker yet (its own fetches would escape the page's throttle).
    context = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", service_workers="block"
    )
    try:
        slow_link_visit(context.new_page(), base_url, record_property, expect)
    finally:
        context.close()


def slow_link_visit(page, base_url, record_property, expect):

    person = unique_person()
    registered = http.post(f"{base_url}/api/v1/auth/register", json=person, timeout=30)
    assert registered.status_code == 201, registered.text
    tokens = http.post(
        f"{base_url}/api/v1/auth/login",
        json={"email": person["email"], "password": person["password"]},
        timeout=30,
    ).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    me = http.get(f"{base_url}/api/v1/me", headers=auth, timeout=30).json()
    draft = http.post(
        f"{base_url}/api/v1/applications", json={"permit_type": "SIP-DOK"}, headers=auth, timeout=30
    )
    assert draft.status_code == 201, draft.text

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})  # both loads cold

    started = time.monotonic()
    page.goto(f"{base_url}/", wait_until="commit")
    expect(page.get_by_role("heading", name="Jenis Izin", level=1)).to_be_visible(timeout=60_000)
    expect(page.locator('a[href="/apply/PENELITIAN"]')).to_be_visible(timeout=60_000)
    catalogue_s = time.monotonic() - started
    catalogue_kb = page.evaluate(TRANSFERRED_KB)
    snap(page, "01-catalogue-slow")

    page.evaluate(
        """([access, refresh, user]) => {
            localStorage.setItem("gaspol.access", access);
            localStorage.setItem("gaspol.refresh", refresh);
            localStorage.setItem("gaspol.user", JSON.stringify(user));
        }""",
        [tokens["access_token"], tokens["refresh_token"], me],
    )
    started = time.monotonic()
    page.goto(f"{base_url}/applications", wait_until="commit")
    expect(page.get_by_role("heading", name="Berkas Saya", level=1)).to_be_visible(timeout=60_000)
    expect(page.locator(f'[data-receipt="{draft.json()["receipt_number"]}"]')).to_be_visible(
        timeout=60_000
    )
    dashboard_s = time.monotonic() - started
    dashboard_kb = page.evaluate(TRANSFERRED_KB)
    snap(page, "02-dashboard-slow")

    record_property("slow_link_catalogue_seconds", round(catalogue_s, 2))
    record_property("slow_link_dashboard_seconds", round(dashboard_s, 2))
    record_property("slow_link_catalogue_kb", catalogue_kb)
    record_property("slow_link_dashboard_kb", dashboard_kb)
    print(
        f"slow link: catalogue {catalogue_s:.2f} s ({catalogue_kb} kB), "
        f"dashboard {dashboard_s:.2f} s ({dashboard_kb} kB)"
    )
    assert catalogue_s < SLOW_PAGE_BUDGET_S, f"the catalogue took {catalogue_s:.1f} s"
    assert dashboard_s < SLOW_PAGE_BUDGET_S, f"the dashboard took {dashboard_s:.1f} s"


def test_sign_in_by_nik_withdraw_a_draft_and_sign_out(page, base_url):
    from playwright.sync_api import expect

    person = unique_person()
    assert http.post(f"{base_url}/api/v1/auth/register", json=person, timeout=30).status_code == 201

    # A page that needs an account sends to the sign-in page, and back after signing in.
    page.goto(f"{base_url}/apply/SIP-BID")
    page.wait_for_url(SIGN_IN_PAGE)
    page.get_by_label("Email atau NIK").fill(person["nik"])
    page.get_by_label("Kata sandi").fill("salah-sandi-sekali")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("Email/NIK atau kata sandi salah")
    snap(page, "01-login-wrong-password")
    page.get_by_label("Kata sandi").fill(person["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/applications/[0-9a-f]+$"))
    expect(page.get_by_text("Draf", exact=True)).to_be_visible()
    file_url = page.url

    # Withdrawing asks first; "no" changes nothing, "yes" withdraws.
    page.get_by_role("button", name="Batalkan permohonan").click()
    expect(page.get_by_text("Yakin membatalkan permohonan ini?")).to_be_visible()
    page.get_by_role("button", name="Tidak, kembali").click()
    expect(page.get_by_role("button", name="Batalkan permohonan")).to_be_visible()
    page.get_by_role("button", name="Batalkan permohonan").click()
    page.get_by_label("Alasan pembatalan (tidak wajib)").fill("Salah memilih jenis izin")
    snap(page, "02-withdraw-confirm")
    page.get_by_role("button", name="Ya, batalkan permohonan").click()
    expect(page.get_by_text("Dibatalkan pemohon").first).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Salah memilih jenis izin")
    expect(page.get_by_role("button", name="Batalkan permohonan")).to_have_count(0)
    assert page.url == file_url
    snap(page, "03-withdrawn")

    # Back at the wizard, the withdrawn file is no draft to resume: a new draft starts.
    page.goto(f"{base_url}/apply/SIP-BID")
    page.wait_for_url(re.compile(r".*/applications/[0-9a-f]+$"))
    assert page.url != file_url
    page.goto(f"{base_url}/apply/SIP-BID")
    expect(page.get_by_text("Anda sudah memiliki draf permohonan izin ini")).to_be_visible()
    snap(page, "04-existing-draft")

    page.locator("#nav").get_by_role("link", name="Keluar").click()
    expect(page.locator("#nav").get_by_role("link", name="Masuk")).to_be_visible()
    page.goto(f"{base_url}/inbox")
    page.wait_for_url(SIGN_IN_PAGE)


class Person:
    """Someone signed in to the gateway's API (the officers' side of a file is not this page's)."""

    def __init__(self, base_url: str, email: str, password: str):
        self.base = f"{base_url}/api/v1"
        login = http.post(
            f"{self.base}/auth/login", json={"email": email, "password": password}, timeout=30
        )
        assert login.status_code == 200, login.text
        self.headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        return http.request(
            method, f"{self.base}{path}", headers=self.headers, timeout=60, **kwargs
        )

    def act(self, application_id: str, **body) -> dict:
        answer = self("POST", f"/applications/{application_id}/actions", json=body)
        assert answer.status_code == 200, answer.text
        return answer.json()


def wait_for(condition, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.3)
    raise AssertionError("not reached in time")


def officers(platform, base_url) -> dict[str, Person]:
    """One officer per role, with addresses of their own (other tests make theirs)."""
    admin = Person(base_url, *platform.admin)
    made = {}
    for role in ("frontdesk", "surveyor", "technical", "head"):
        email = f"{role}-{uuid.uuid4().hex[:8]}@dpmptsp.example.go.id"
        created = admin(
            "POST",
            "/users",
            json={"email": email, "name": f"Petugas {role}", "roles": [role], "password": PASSWORD},
        )
        assert created.status_code == 201, created.text
        made[role] = Person(base_url, email, PASSWORD)
    return made


def test_revision_invoice_and_permit_as_the_applicant_sees_them(page, platform, base_url, tmp_path):
    from playwright.sync_api import expect

    office = officers(platform, base_url)
    person = unique_person()
    assert http.post(f"{base_url}/api/v1/auth/register", json=person, timeout=30).status_code == 201
    owner = Person(base_url, person["email"], person["password"])
    draft = owner("POST", "/applications", json={"permit_type": "REKLAME"}).json()
    file_id = draft["id"]
    required = [r["code"] for r in draft["requirements"] if r["required"]]
    for code in required:
        stored = owner(
            "POST",
            f"/applications/{file_id}/documents",
            data={"requirement": code},
            files={"file": (f"{code}.pdf", PDF, "application/pdf")},
        )
        assert stored.status_code == 201, stored.text
    wait_for(lambda: owner("POST", f"/applications/{file_id}/submit").status_code == 200)
    office["frontdesk"].act(
        file_id,
        action="request_revision",
        note="Mohon lengkapi dokumen yang kurang jelas.",
        requirements={required[0]: "Pindaian buram, nomor tidak terbaca"},
    )

    # Sent back: the note, the reason on the document, a new version, then resend.
    pdf = tmp_path / "perbaikan.pdf"
    pdf.write_bytes(PDF)
    page.goto(f"{base_url}/login?next=/applications/{file_id}")
    page.get_by_label("Email atau NIK").fill(person["email"])
    page.get_by_label("Kata sandi").fill(person["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/applications/{file_id}")
    expect(page.locator(".badge", has_text="Perlu perbaikan").first).to_be_visible()
    expect(page.get_by_text("Mohon lengkapi dokumen yang kurang jelas.").first).to_be_visible()
    card = page.locator(f'article[data-requirement="{required[0]}"]')
    expect(card).to_contain_text("Pindaian buram, nomor tidak terbaca")
    expect(page.locator(".sla")).to_contain_text("berhenti sementara")
    snap(page, "01-revision-requested")
    card.locator('input[type="file"]').set_input_files(str(pdf))
    card.get_by_role("button", name="Unggah versi baru").click()
    expect(card.locator(".upload-result")).to_contain_text("versi 2")
    page.get_by_role("button", name="Kirim perbaikan").click()
    expect(page.get_by_text("Diterima, menunggu verifikasi").first).to_be_visible()
    snap(page, "02-resubmitted")

    # The office verifies, surveys and assesses the fee: the invoice with its accounts.
    current = owner("GET", f"/applications/{file_id}").json()
    for requirement in current["requirements"]:
        if requirement["document"]:
            office["frontdesk"].act(
                file_id,
                action="review_document",
                document_id=requirement["document"]["document_id"],
                decision="accept",
            )
    wait_for(
        lambda: (
            office["frontdesk"](
                "POST", f"/applications/{file_id}/actions", json={"action": "verify"}
            ).status_code
            == 200
        )
    )
    office["surveyor"].act(
        file_id, action="schedule_survey", scheduled_for="2026-12-09T10:00:00+07:00"
    )
    office["surveyor"].act(file_id, action="report_survey", report="Lokasi sesuai; aman.")
    office["technical"].act(
        file_id,
        action="assess_fee",
        fee_inputs={"area_m2": "12", "months": 6, "location_class": "A"},
    )
    invoice = wait_for(
        lambda: (lambda r: r.status_code == 200 and r.json())(
            owner("GET", f"/applications/{file_id}/invoice")
        )
    )
    page.reload()
    expect(page.locator(".badge", has_text="Menunggu pembayaran").first).to_be_visible()
    block = page.locator(".invoice")
    expect(block).to_contain_text(invoice["number"])
    expect(block).to_contain_text("Rp 1.800.000")
    account = invoice["virtual_accounts"][0]
    expect(block.locator(".va .big.mono").first).to_have_text(account["virtual_account_no"])
    block.get_by_text("ATM", exact=True).click()
    expect(block).to_contain_text("Masukkan kartu ATM dan PIN Anda.")
    for channel in ("Mobile banking", "Internet banking", "Teller bank"):
        expect(block.get_by_text(channel, exact=True)).to_be_visible()
    fits_a_small_phone(page)
    snap(page, "03-awaiting-payment")

    # Paid at the bank, approved by the head: the permit, its check page and its PDF.
    bank, partner = bank_of(platform)
    digits = account["virtual_account_no"]
    _, paid = bank.pay(
        partner["partner_service_id"] + digits[len(partner["partner_service_id"].strip()) :]
    )
    assert paid["responseCode"] == "2002500", paid
    wait_for(lambda: owner("GET", f"/applications/{file_id}").json()["state"] == "approval")
    permit = office["head"].act(file_id, action="approve")["permit"]
    wait_for(lambda: owner("GET", f"/applications/{file_id}/permit/certificate").status_code == 200)
    page.reload()
    expect(page.locator(".badge", has_text="Izin terbit").first).to_be_visible()
    block = page.locator(".permit")
    expect(block).to_contain_text(permit["number"])
    fits_a_small_phone(page)
    snap(page, "04-issued")
    with page.expect_download() as downloading:
        block.get_by_role("button", name="Unduh surat izin (PDF)").click()
    saved = tmp_path / "izin.pdf"
    downloading.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    block.get_by_role("link", name="Halaman cek keaslian izin").click()
    page.wait_for_url(f"**/verify/{permit['verification_code']}")
    expect(page.get_by_text(permit["number"])).to_be_visible()
    snap(page, "05-verify-page")
