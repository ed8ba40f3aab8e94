"""The figures the office is judged by, in a browser: the owner of an issued permit answers the
satisfaction survey with low scores and a complaint (a second answer is refused), the front desk
answers the complaint, the owner reads the answer; the head reads the IKM report and downloads it
as CSV; a stranger reads the public transparency page, which names nobody."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import PHONE, snap
from tests.browser.test_officer_pages import (  # noqa: F401 - `desk` and `office` are fixtures
    PASSWORD,
    Api,
    _submit,
    _wait,
    desk,
    office,
    sign_in,
)

# The nine elements of PermenPANRB 14/2017, as the API names them.
ELEMENTS = ["requirements", "procedure", "time", "cost", "product"]
ELEMENTS += ["competence", "behaviour", "complaints", "facilities"]
COMMENT = "Balasan pesan dari loket lama sekali, saya harus datang dua kali."
ANSWER = "Mohon maaf. Mulai bulan ini pesan di loket dibalas paling lambat satu hari kerja."


def _issued(base_url: str, officers: dict, title: str) -> tuple[dict, Api]:
    """A research permit issued over the API (the front desk verifies, the head approves)."""
    draft, applicant = _submit(base_url, "PENELITIAN", {"judul": title})
    path = f"/applications/{draft['id']}/actions"
    frontdesk = Api(base_url, officers["frontdesk"], PASSWORD)
    for document in applicant("GET", f"/applications/{draft['id']}/documents").json()["items"]:
        verdict = {"action": "review_document", "document_id": document["id"], "decision": "accept"}
        assert frontdesk("POST", path, json=verdict).status_code == 200
    # Verdicts reach the file by event: verifying works once they have arrived.
    _wait(
        lambda: frontdesk("POST", path, json={"action": "verify"}).status_code == 200,
        what="verification",
    )
    approved = Api(base_url, officers["head"], PASSWORD)("POST", path, json={"action": "approve"})
    assert approved.json()["state"] == "issued", approved.text
    return draft, applicant


def _context(browser, viewport=PHONE):
    context = browser.new_context(viewport=viewport, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    return context


def _rate(form, first: str, rest: str):
    """The first element gets `first`, the other eight `rest` (labels such as "2 — Kurang baik")."""
    groups = form.locator("fieldset")
    assert groups.count() == len(ELEMENTS)
    for index in range(len(ELEMENTS)):
        groups.nth(index).get_by_label(first if index == 0 else rest).check()


def _id_number(value: float) -> str:
    """A figure as the page writes it in Indonesian: at most two decimals, a decimal comma."""
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def test_the_owner_complains_and_reads_the_answer(browser, desk, base_url, office):  # noqa: F811
    draft, applicant = _issued(base_url, office, "Antrean loket pelayanan terpadu")
    receipt = draft["receipt_number"]
    email = applicant("GET", "/me").json()["email"]
    file_url = f"{base_url}/applications/{draft['id']}"
    owner = _context(browser)
    try:
        page = sign_in(owner, base_url, email)
        page.goto(file_url)
        survey = page.locator("section", has=page.get_by_role("heading", name="Survei Kepuasan"))
        form = survey.locator("form")
        form.wait_for()
        # A second tab keeps the form open, to try a second answer later.
        stale = owner.new_page()
        stale.goto(file_url)
        stale.get_by_role("button", name="Kirim survei").wait_for()

        form.get_by_role("button", name="Kirim survei").click()
        form.get_by_role("alert").filter(
            has_text="Masih ada 9 unsur yang belum dinilai."
        ).wait_for()
        assert form.get_by_text("Pilih salah satu nilai, 1 sampai 4.").count() == len(ELEMENTS)
        first_choice = form.locator("fieldset").first.get_by_label("1 — Tidak baik")
        assert first_choice.evaluate("(element) => element === document.activeElement")
        snap(page, "1-survey-needs-every-element")

        # Keyboard first: arrow keys move through a group's scores.
        first_choice.press("ArrowDown")
        assert form.locator("fieldset").first.get_by_label("2 — Kurang baik").is_checked()
        _rate(form, "1 — Tidak baik", "2 — Kurang baik")
        form.get_by_label("Komentar, saran, atau pengaduan (tidak wajib)").fill(COMMENT)
        form.get_by_label("Ini adalah pengaduan").check()
        snap(page, "2-survey-filled")
        form.get_by_role("button", name="Kirim survei").click()
        survey.get_by_text("Terima kasih, Anda sudah mengisi survei").wait_for()
        survey.get_by_text("Menunggu jawaban kantor").wait_for()
        snap(page, "3-survey-thanks")

        # The second tab's answer is refused, in plain words; so is one over the API.
        _rate(stale.locator("main form"), "4 — Sangat baik", "4 — Sangat baik")
        stale.get_by_role("button", name="Kirim survei").click()
        stale.get_by_role("alert").filter(has_text="Anda sudah mengisi survei").wait_for()
        snap(stale, "4-second-answer-refused")
        again = applicant(
            "POST",
            f"/applications/{draft['id']}/survey-response",
            json={"scores": dict.fromkeys(ELEMENTS, 4)},
        )
        assert again.status_code == 409 and again.json()["code"] == "survey_already_answered"

        officer = sign_in(desk, base_url, office["frontdesk"])
        officer.goto(f"{base_url}/work/complaints")
        officer.get_by_role("heading", name="Pengaduan", level=1).wait_for()
        card = f'article[data-receipt="{receipt}"]'
        waiting = officer.locator(f'section[aria-labelledby="cp-open"] {card}')
        waiting.get_by_text(COMMENT).wait_for()
        assert waiting.get_by_text("Ditandai pemohon sebagai pengaduan").is_visible()
        waiting.get_by_role("button", name="Kirim jawaban").click()
        waiting.get_by_text("Tuliskan jawabannya.").wait_for()
        snap(officer, "5-answer-needs-text")
        waiting.get_by_label("Jawaban untuk pemohon").fill(ANSWER)
        waiting.get_by_role("button", name="Kirim jawaban").click()
        answered = officer.locator(f'section[aria-labelledby="cp-answered"] {card}')
        answered.get_by_text(ANSWER).wait_for()
        assert waiting.count() == 0
        snap(officer, "6-complaint-answered")

        page.reload()
        survey.get_by_text("Sudah dijawab").wait_for()
        assert survey.get_by_text(ANSWER).is_visible()
        assert form.count() == 0
        snap(page, "7-owner-reads-the-answer")
    finally:
        owner.close()


@pytest.fixture(scope="module")
def surveyed(base_url, office):  # noqa: F811
    """An issued permit whose owner answered the survey over the API, and who the owner is."""
    draft, applicant = _issued(base_url, office, "Layanan informasi perizinan daerah")
    answered = applicant(
        "POST",
        f"/applications/{draft['id']}/survey-response",
        json={"scores": {key: 4 if index % 2 else 3 for index, key in enumerate(ELEMENTS)}},
    )
    assert answered.status_code == 201, answered.text
    return {"file": draft, "owner": applicant("GET", "/me").json()}


def test_the_head_reads_the_ikm_and_downloads_it(desk, base_url, office, surveyed):  # noqa: F811
    page = sign_in(desk, base_url, office["head"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Laporan").click()
    page.get_by_role("heading", name="Laporan Kinerja Layanan", level=1).wait_for()
    head = Api(base_url, office["head"], PASSWORD)
    figures = head("GET", "/reports/ikm").json()
    total = figures["total"]
    assert total["respondents"] >= 1

    section = page.locator("#rep-ikm")
    summary = section.locator("table").first
    summary.get_by_role("row", name=re.compile(f"^Responden {total['respondents']}$")).wait_for()
    assert _id_number(total["ikm"]) in summary.inner_text()
    assert f"{_id_number(total['satisfied_percent'])}%" in summary.inner_text()
    research = section.get_by_role("region", name="Tabel IKM").get_by_role(
        "row", name=re.compile("^Izin Penelitian")
    )
    assert research.count() == 1
    assert section.get_by_role("img", name=re.compile("Nilai per unsur")).is_visible()
    section.scroll_into_view_if_needed()
    snap(page, "1-reports")

    with page.expect_download() as download:
        section.get_by_role("button", name="Unduh CSV IKM").click()
    assert download.value.suggested_filename == f"laporan-ikm-{figures['from']}-{figures['to']}.csv"
    assert "PENELITIAN" in Path(download.value.path()).read_text()

    # The period lives in the URL; one that ends before it starts is refused next to its field.
    page.goto(f"{base_url}/reports?from=2026-06-30&to=2026-06-01")
    to_field = page.locator('[data-field="to"]')
    to_field.get_by_text("Tanggal akhir tidak boleh sebelum tanggal awal.").wait_for()
    assert page.get_by_label("Sampai tanggal").input_value() == "2026-06-01"
    snap(page, "2-period-refused")


def test_a_stranger_reads_the_public_figures_and_no_one_is_named(browser, base_url, surveyed):
    stats = Api(base_url)("GET", "/stats").json()
    context = _context(browser)
    try:
        page = context.new_page()
        page.goto(base_url)
        menu = page.get_by_role("navigation", name="Menu utama")
        menu.get_by_role("link", name="Transparansi").click()
        page.get_by_role("heading", name="Transparansi Kinerja Layanan", level=1).wait_for()
        satisfaction = page.locator('section[aria-labelledby="tr-satisfaction"]')
        respondents = stats["satisfaction"]["respondents"]
        satisfaction.get_by_text(f"{respondents} responden").wait_for()
        assert f"{_id_number(stats['satisfaction']['satisfied_percent'])}% puas" in (
            satisfaction.inner_text()
        )
        met = "Tercapai" if stats["satisfaction"]["meets_target"] else "Belum tercapai"
        assert met in satisfaction.inner_text()
        page.get_by_role("region", name="Tabel Per jenis izin").get_by_text(
            "Izin Penelitian"
        ).wait_for()
        snap(page, "1-transparency")

        text = page.locator("body").inner_text()
        owner = surveyed["owner"]
        for personal in (owner["name"], owner["email"], owner["phone"], owner["nik"]):
            assert personal and personal not in text
        assert surveyed["file"]["receipt_number"] not in text
        assert not re.search(r"\b\d{16}\b", text), "a NIK-like number on the public page"
        assert not re.search(r"(\+62|\b0)8\d{7,}", text), "a phone number on the public page"
        assert "@" not in text, "an email address on the public page"

        page.get_by_role("button", name="Ganti bahasa / Switch language").click()
        page.get_by_role("heading", name="Service transparency", level=1).wait_for()
        snap(page, "2-transparency-english")
    finally:
        context.close()
