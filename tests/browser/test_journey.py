"""A billboard permit from registration to a stranger checking it, every step in the web client.

The applicant works on a phone (390x844) over a slow, throttled link: registers, verifies the
email with the code, applies, uploads each document watching its progress, submits, pays at the
bank the VA the invoice shows and downloads the permit. The office works at desks: the front desk
accepts each document shown in the page and verifies, the surveyor schedules and reports the
survey, the technical team assesses the fee, the head approves. A stranger verifies the permit by
its code. The API is used only to make the officers, to read the one-time code from identity's
log, and by the bank simulator to pay.
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, snap
from tests.browser.people import bank_pays
from tests.browser.test_applicant_pages import SLOW_LINK, fits_a_small_phone, unique_person
from tests.browser.test_officer_pages import (
    DESK,
    _open_from_queue,
    _state,
    _wait,
    office,  # noqa: F401 - a fixture: officers of every role, made by the platform's admin
    sign_in,
)
from tests.e2e.test_accounts import _code_from_log

pytestmark = pytest.mark.slow

BILLBOARD = "Izin Penyelenggaraan Reklame"
SCAN_PIXELS = 250 * 250  # a ~35 kB scan: most of a second per upload on the slow link
APPLICANT_BUDGET_S = 90.0  # the applicant's pages on the slow link, all steps together
SLOW_TIMEOUT_MS = 60_000
SURVEY_TIME = "9 Desember 2026 pukul 09.30 WIB"
SURVEY_PLACE = "Jl. Ahmad Yani km 3, depan pasar"
RELOAD_AFTER_MS = 6_000  # how long the applicant looks at a page before checking again


class Stopwatch:
    """Seconds spent per named step; only the applicant's steps are timed."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def step(self, name: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] += time.monotonic() - started

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def scanned_pdf(path: Path) -> Path:
    """A PDF as a phone's scanner app makes it: one JPEG page, here grey noise seeded by name."""
    from PIL import Image

    side = int(SCAN_PIXELS**0.5)
    noise = random.Random(path.name).randbytes(side * side)
    Image.frombytes("L", (side, side), noise).save(path, "PDF", resolution=72)
    return path


@contextmanager
def applicant_phone(browser):
    """A phone on a slow link: the page's traffic throttled, no service worker to bypass it."""
    context = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", service_workers="block"
    )
    context.set_default_timeout(SLOW_TIMEOUT_MS)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_LINK)
        yield page
    finally:
        context.close()


@contextmanager
def officer_desk(browser, base_url: str, email: str):
    """An officer signed in at a desk-sized window."""
    context = browser.new_context(viewport=DESK, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    try:
        yield sign_in(context, base_url, email)
    finally:
        context.close()


def register_and_verify_email(page, base_url: str, platform, person: dict) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/register")
    expect(page.get_by_role("heading", name="Daftar akun pemohon")).to_be_visible()
    page.get_by_label("NIK (Nomor Induk Kependudukan)").fill(person["nik"])
    page.get_by_label("Nama lengkap").fill(person["name"])
    page.get_by_label("Email", exact=True).fill(person["email"])
    page.get_by_label("Nomor HP").fill(person["phone"])
    page.get_by_label("Kata sandi").fill(person["password"])
    snap(page, "01-register")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_url("**/verify-contact")
    expect(page.get_by_role("heading", name="Verifikasi email dan nomor HP")).to_be_visible()
    email_line = page.locator("main li", has_text=person["email"])
    expect(email_line).to_contain_text("belum terverifikasi")
    snap(page, "02-verify-contact")

    # A mistyped code is refused in plain words; the code from the email is accepted.
    user_id = page.evaluate("() => JSON.parse(localStorage.getItem('gaspol.user')).id")
    code = _code_from_log(platform, user_id, "email")
    code_field = page.get_by_label("Kode verifikasi (6 angka)")
    code_field.fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.locator("main form")).to_contain_text("Kode salah atau sudah kedaluwarsa")
    code_field.fill(code)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    expect(page.get_by_text("Email Anda sudah terverifikasi.")).to_be_visible()
    expect(email_line).to_contain_text("sudah terverifikasi")
    snap(page, "03-email-verified")


def watch_upload_progress(page) -> None:
    """Keeps every value the upload bars show, as a person watching them would see them."""
    page.evaluate(
        """() => {
            window.progressSeen = [];
            new MutationObserver((changes) => {
                for (const change of changes) {
                    if (change.target.closest("form[data-upload]")) {
                        window.progressSeen.push(Number(change.target.getAttribute("aria-valuenow")));
                    }
                }
            }).observe(document.getElementById("main"),
                {subtree: true, attributes: true, attributeFilter: ["aria-valuenow"]});
        }"""
    )


def apply_for_a_billboard(page, scans: Path) -> tuple[str, int, list[int]]:
    """From the catalogue to a submitted file: its receipt, its documents, the progress seen."""
    from playwright.sync_api import expect

    page.locator("#nav").get_by_role("link", name="Jenis Izin").click()
    expect(page.get_by_role("heading", name=BILLBOARD)).to_be_visible()
    page.locator('a[href="/apply/REKLAME"]').first.click()
    page.wait_for_url(re.compile(r".*/applications/[0-9a-f]+$"))
    expect(page.get_by_text("Draf", exact=True)).to_be_visible()
    snap(page, "04-draft")

    watch_upload_progress(page)
    cards = page.locator(
        "article.requirement", has=page.locator("h3 .badge", has_text=re.compile("^wajib$"))
    )
    required = cards.count()
    assert required >= 5, "a billboard needs several documents"
    for index in range(required):
        card = cards.nth(index)
        code = card.get_attribute("data-requirement")
        card.locator('input[type="file"]').set_input_files(str(scanned_pdf(scans / f"{code}.pdf")))
        card.get_by_role("button", name="Unggah").click()
        expect(card.get_by_role("progressbar")).to_be_visible()
        expect(card.locator(".upload-result")).to_contain_text(f"Berhasil diunggah: {code}.pdf")
        expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
        if index == 0:
            snap(page, "05-first-upload")
    progress = page.evaluate("() => window.progressSeen")
    expect(page.locator(".submit")).to_contain_text(f"{required} dari {required}")
    snap(page, "06-all-uploaded")

    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.get_by_text("Diterima, menunggu verifikasi").first).to_be_visible()
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    snap(page, "07-submitted")
    return receipt, required, progress


def offered_actions(page) -> list[str]:
    """The action forms the file page offers this officer, by their headings."""
    actions = page.locator('section[aria-labelledby="actions-title"]')
    actions.wait_for()
    return actions.locator("form h3").all_inner_texts()


def frontdesk_accepts_and_verifies(page, base_url: str, receipt: str, documents: int) -> None:
    _open_from_queue(page, base_url, "Verifikator", receipt)
    # Each document is shown in the page (a blob of its bytes) next to its verdict buttons.
    viewers = page.locator('iframe[src^="blob:"]')
    _wait(lambda: viewers.count() == documents, what="every document shown in the page")
    snap(page, "08-frontdesk-file")
    accept = page.get_by_role("button", name=re.compile(r"^Terima "))
    assert accept.count() == documents
    for remaining in range(documents, 0, -1):
        accept.first.click()
        _wait(lambda n=remaining: accept.count() == n - 1, what="a document accepted")

    # The verdicts reach the file by event: reload until the file knows them all.
    def file_knows() -> bool:
        page.get_by_role("button", name="Muat ulang").click()
        page.get_by_role("heading", name=BILLBOARD, level=1).wait_for()
        return page.get_by_text("Belum diperiksa", exact=True).count() == 0

    _wait(file_knows, what="every verdict on the file")
    assert offered_actions(page)[0] == "Verifikasi berkas"
    page.get_by_role("button", name="Verifikasi berkas").click()
    # A billboard needs a survey: verified, the file goes on to the surveyors at once.
    _state(page, "Survei lapangan")
    snap(page, "09-frontdesk-verified")


def surveyor_schedules(page, base_url: str, receipt: str) -> None:
    _open_from_queue(page, base_url, "Tim survei", receipt)
    # The survey can be scheduled (the applicant is told when) or reported; the fee is not yet.
    actions = offered_actions(page)
    assert actions[:2] == ["Jadwalkan survei", "Laporkan hasil survei"], actions
    assert "Tetapkan retribusi" not in actions
    schedule = page.locator("form", has=page.get_by_role("heading", name="Jadwalkan survei"))
    schedule.get_by_label("Tanggal dan jam survei (WIB)").fill("2026-12-09T09:30")
    schedule.get_by_label("Lokasi survei").fill(SURVEY_PLACE)
    schedule.get_by_role("button", name="Jadwalkan survei").click()
    page.get_by_text(SURVEY_TIME).first.wait_for()
    _state(page, "Survei lapangan")
    snap(page, "10-survey-scheduled")


def surveyor_reports(page) -> None:
    report = page.locator("form", has=page.get_by_role("heading", name="Laporkan hasil survei"))
    report.get_by_label("Berita acara survei").fill(
        "Bidang reklame 3 x 4 m, konstruksi baja, jarak aman dari tepi jalan."
    )
    report.get_by_role("button", name="Laporkan hasil survei").click()
    # A billboard has no technical review: the report recommends it straight away.
    _state(page, "Direkomendasikan")
    snap(page, "12-surveyed")


def technical_assesses_the_fee(page, base_url: str, receipt: str) -> None:
    _open_from_queue(page, base_url, "Tim teknis", receipt)
    actions = offered_actions(page)
    assert "Tetapkan retribusi" in actions
    assert "Beri rekomendasi" not in actions, "recommending is done: the fee is what is left"
    assess = page.locator("form", has=page.get_by_role("heading", name="Tetapkan retribusi"))
    assess.get_by_label("Luas bidang reklame (m²)").fill("12")
    assess.get_by_label("Lama pemasangan (bulan)").fill("6")
    assess.get_by_label("Kelas lokasi").select_option("A")
    assess.get_by_role("button", name="Tetapkan retribusi").click()
    _state(page, "Menunggu pembayaran")
    assert page.get_by_text("Rp 1.800.000").first.is_visible()
    snap(page, "13-fee-assessed")


def head_approves(page, base_url: str, receipt: str) -> None:
    # The payment reaches the file by event: the head's queue shows it a moment later.
    def in_queue() -> bool:
        page.goto(f"{base_url}/work")
        page.get_by_role("heading", name="Antrean Kerja", level=1).wait_for()
        return page.get_by_role("link", name=f"Buka berkas {receipt}").count() > 0

    _wait(in_queue, what="the paid file in the head's queue")
    _open_from_queue(page, base_url, "Kepala dinas", receipt)
    assert offered_actions(page)[0] == "Setujui dan terbitkan izin"
    page.get_by_role("button", name="Setujui dan terbitkan izin").click()
    _state(page, "Izin terbit")
    snap(page, "16-head-issued")


def reload_until_visible(page, locator, what: str, tries: int = 10) -> None:
    """The applicant's page learns of the office's steps on reload, as a person checks again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(tries):
        page.reload()
        try:
            locator.first.wait_for(timeout=RELOAD_AFTER_MS)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"{what} never showed")


def survey_notice(page) -> None:
    """The applicant, checking the file again, is told when and where the survey is."""
    from playwright.sync_api import expect

    reload_until_visible(page, page.get_by_text(SURVEY_TIME), "the survey's date")
    notice = page.locator(".notice", has_text="Survei lapangan dijadwalkan")
    expect(notice).to_contain_text(SURVEY_PLACE)
    snap(page, "11-survey-notice")


def invoice_virtual_account(page) -> str:
    from playwright.sync_api import expect

    page.locator("#nav").get_by_role("link", name="Berkas Saya").click()
    page.locator("main article.card").first.get_by_role("link").first.click()
    expect(page.locator(".badge", has_text="Menunggu pembayaran").first).to_be_visible()
    reload_until_visible(page, page.locator(".invoice .va"), "the invoice's virtual account")
    invoice = page.locator(".invoice")
    expect(invoice).to_contain_text("Rp 1.800.000")
    invoice.get_by_text("Mobile banking", exact=True).click()
    expect(invoice).to_contain_text("Virtual Account")
    snap(page, "14-invoice")
    return invoice.locator(".va .big.mono").first.inner_text().replace(" ", "")


def download_the_permit(page, saved: Path) -> str:
    """The permit's PDF from the file page; its verification code as the page prints it."""
    from playwright.sync_api import expect

    reload_until_visible(page, page.locator(".badge", has_text="Izin terbit"), "the permit")
    block = page.locator(".permit")
    expect(block).to_contain_text("Berlaku")
    snap(page, "17-permit")
    button = block.get_by_role("button", name="Unduh surat izin (PDF)")
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    for _ in range(15):  # the signed PDF is made by event, a moment after the approval
        button.click()
        expect(button).to_be_enabled()
        with suppress(AssertionError):
            _wait(lambda: downloads, timeout=2.0, what="the download")
        if downloads:
            break
    assert downloads, "the permit never downloaded"
    downloads[0].save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    link = block.get_by_role("link", name="Halaman cek keaslian izin")
    return link.get_attribute("href").rsplit("/", 1)[-1]


def stranger_verifies(browser, base_url: str, code: str, permit_number: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/verify")
        page.get_by_label("Kode verifikasi").fill(code.lower())
        page.get_by_role("button", name="Periksa").click()
        page.wait_for_url(f"**/verify/{code}")
        expect(page.get_by_text("Asli — tanda tangan elektronik kantor sah.")).to_be_visible()
        expect(page.get_by_text("Izin berlaku")).to_be_visible()
        expect(page.get_by_text(permit_number)).to_be_visible()
        expect(page.get_by_text(BILLBOARD)).to_be_visible()
        snap(page, "18-stranger-verifies")
        fits_a_small_phone(page)
    finally:
        context.close()


def test_billboard_permit_from_registration_to_a_strangers_check(
    browser,
    base_url,
    platform,
    office,  # noqa: F811 - the fixture imported above
    tmp_path,
    record_property,
):
    from playwright.sync_api import expect

    person = unique_person()
    clock = Stopwatch()
    with applicant_phone(browser) as phone:
        with clock.step("register_and_verify"):
            register_and_verify_email(phone, base_url, platform, person)
        with clock.step("apply_upload_submit"):
            receipt, documents, progress = apply_for_a_billboard(phone, tmp_path)

        with officer_desk(browser, base_url, office["frontdesk"]) as desk:
            frontdesk_accepts_and_verifies(desk, base_url, receipt, documents)
        with officer_desk(browser, base_url, office["surveyor"]) as desk:
            surveyor_schedules(desk, base_url, receipt)
            with clock.step("survey_notice"):
                survey_notice(phone)
            surveyor_reports(desk)
        with officer_desk(browser, base_url, office["technical"]) as desk:
            technical_assesses_the_fee(desk, base_url, receipt)

        with clock.step("invoice"):
            virtual_account = invoice_virtual_account(phone)
        bank_pays(platform, virtual_account)
        with clock.step("paid"):
            reload_until_visible(
                phone, phone.get_by_text("Menunggu persetujuan"), "the payment on the file"
            )
            snap(phone, "15-paid")

        with officer_desk(browser, base_url, office["head"]) as desk:
            head_approves(desk, base_url, receipt)

        with clock.step("permit"):
            code = download_the_permit(phone, tmp_path / "izin.pdf")
        permit_number = phone.locator(".permit .big.mono").inner_text().strip()
        expect(phone.locator(".timeline")).to_contain_text("Izin terbit")
        fits_a_small_phone(phone)

    stranger_verifies(browser, base_url, code, permit_number)

    for step, seconds in clock.seconds.items():
        record_property(f"journey_applicant_{step}_seconds", round(seconds, 2))
    record_property("journey_applicant_seconds", round(clock.total, 2))
    record_property("journey_upload_progress_values", len(set(progress)))
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in clock.seconds.items())
    print(f"journey: the applicant's pages on the slow link took {clock.total:.1f} s ({steps})")
    assert any(0 < value < 100 for value in progress), f"no upload showed progress: {progress}"
    assert clock.total < APPLICANT_BUDGET_S, f"the applicant's pages took {clock.total:.1f} s"
