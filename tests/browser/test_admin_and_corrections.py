"""Corrections and administration in the browser: the admin adds a permit type and saves a new
version of it, and reads the partner banks; the treasurer cancels a wrong invoice and issues a
new one; the head suspends, reinstates and revokes a permit, which the public check shows."""

from __future__ import annotations

import re
import uuid

from devstack.demo import bank_of, virtual_account
from tests.browser.conftest import snap
from tests.browser.test_officer_pages import (  # noqa: F401 - `desk` and `office` are fixtures
    PASSWORD,
    Api,
    _officer_page,
    _submit,
    _wait,
    desk,
    office,
    sign_in,
)


def field_error(form, name: str):
    return form.locator(f'[data-field="{name}"] .field-error').first


def test_admin_adds_a_permit_type_then_saves_a_new_version(desk, base_url, platform):  # noqa: F811
    from playwright.sync_api import expect

    code = f"UJI-{uuid.uuid4().hex[:4].upper()}"
    page = sign_in(desk, base_url, *platform.admin)
    page.goto(f"{base_url}/work/permit-types")
    page.get_by_role("link", name="Jenis izin baru").click()
    page.get_by_role("heading", name="Jenis izin baru", level=1).wait_for()
    form = page.locator("main form")

    # Sent nearly empty: every problem is named next to its own field.
    form.get_by_label("Kode (huruf besar, angka, tanda hubung)").fill("uji kecil")
    form.get_by_role("button", name="Simpan versi baru").click()
    expect(form.locator(".problem[role=alert]")).to_contain_text("perlu diperbaiki")
    expect(field_error(form, "code")).to_contain_text("Bentuknya belum sesuai")
    expect(field_error(form, "name")).to_contain_text("Wajib diisi")
    expect(field_error(form, "requirements")).not_to_be_empty()
    snap(page, "1-new-type-problems")

    form.get_by_label("Kode (huruf besar, angka, tanda hubung)").fill(code)
    form.get_by_label("Nama (Bahasa Indonesia)").first.fill("Izin Uji Coba Layanan")
    form.get_by_label("Nama (English)").first.fill("Service Trial Permit")
    form.get_by_label("Uraian (Bahasa Indonesia)").first.fill("Izin untuk menguji layanan.")
    form.get_by_label("Uraian (English)").fill("A permit to try the service.")
    form.get_by_label("SLA (hari kerja)").fill("4")
    form.get_by_label("Aturan tarif").select_option("fixed")
    form.get_by_label("Tarif (Rp)").fill("50000")
    form.get_by_label("Ringkasan biaya (Bahasa Indonesia)").fill("Rp 50.000")
    form.get_by_label("Ringkasan biaya (English)").fill("Rp 50,000")
    form.get_by_label("Dasar hukum (satu per baris)").fill("Perda Kabupaten Contoh No. 1/2026")
    form.get_by_role("button", name="Tambah persyaratan").click()
    requirement = form.locator("[data-requirement]").first
    requirement.get_by_label("Kode (huruf kecil dan garis bawah)").fill("surat_permohonan")
    requirement.get_by_label("Nama (Bahasa Indonesia)").fill("Surat permohonan")
    requirement.get_by_label("Nama (English)").fill("Letter of application")
    requirement.get_by_label("Uraian (Bahasa Indonesia)").fill("Ditandatangani pemohon.")
    form.get_by_role("button", name="Simpan versi baru").click()
    page.get_by_role("heading", name="Izin Uji Coba Layanan", level=1).wait_for()
    expect(page.locator("main")).to_contain_text("Versi 1")
    expect(page.get_by_text("4 hari kerja").first).to_be_visible()
    snap(page, "2-new-type-saved")

    # A second version: a longer SLA and a second, optional requirement; a clash is refused.
    page.get_by_role("link", name="Ubah jenis izin").click()
    form = page.locator("main form")
    form.get_by_label("SLA (hari kerja)").fill("6")
    form.get_by_role("button", name="Tambah persyaratan").click()
    second = form.locator("[data-requirement]").nth(1)
    second.get_by_label("Kode (huruf kecil dan garis bawah)").fill("surat_permohonan")
    second.get_by_label("Nama (Bahasa Indonesia)").fill("Denah lokasi")
    second.get_by_label("Nama (English)").fill("Site plan")
    second.get_by_label("Uraian (Bahasa Indonesia)").fill("Sketsa sederhana.")
    second.get_by_label("Wajib", exact=True).uncheck()
    second.get_by_label("PNG").check()
    form.get_by_role("button", name="Simpan versi baru").click()
    expect(field_error(form, "requirements[1].code")).to_contain_text("Sudah dipakai")
    snap(page, "3-duplicate-code")
    second.get_by_label("Kode (huruf kecil dan garis bawah)").fill("denah_lokasi")
    form.get_by_role("button", name="Simpan versi baru").click()
    page.get_by_role("heading", name="Izin Uji Coba Layanan", level=1).wait_for()
    expect(page.locator("main")).to_contain_text("Versi 2")
    expect(page.get_by_text("6 hari kerja").first).to_be_visible()
    expect(page.get_by_text("Denah lokasi")).to_be_visible()
    snap(page, "4-second-version")

    saved = Api(base_url)("GET", f"/permit-types/{code}").json()
    assert saved["version"] == 2
    assert [(r["code"], r["required"]) for r in saved["requirements"]] == [
        ("surat_permohonan", True),
        ("denah_lokasi", False),
    ]
    assert saved["requirements"][1]["file_types"] == ["pdf", "png"]
    assert saved["fee_rule"] == {"kind": "fixed", "amount": 50000}

    # The partner banks, read only: no secret on the page.
    page.goto(f"{base_url}/work")
    page.get_by_role("link", name="Bank Mitra").click()
    page.get_by_role("heading", name="Bank Demo").wait_for()
    expect(page.get_by_text("88899", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"RSA 2048 bit, SHA-256 [0-9a-f]{64}"))).to_be_visible()
    assert page.locator("main input, main textarea").count() == 0
    snap(page, "5-partner-banks")


def _awaiting_payment(base_url, officers):
    """A billboard file at the fee stage, set up over the API."""
    draft, applicant = _submit(base_url, "REKLAME", {"lokasi": "Jl. Merdeka 10"})
    desk_officer = Api(base_url, officers["frontdesk"], PASSWORD)
    for document in applicant("GET", f"/applications/{draft['id']}/documents").json()["items"]:
        desk_officer(
            "POST",
            f"/applications/{draft['id']}/actions",
            json={"action": "review_document", "document_id": document["id"], "decision": "accept"},
        )
    act = f"/applications/{draft['id']}/actions"
    _wait(lambda: desk_officer("POST", act, json={"action": "verify"}).status_code == 200)
    surveyor = Api(base_url, officers["surveyor"], PASSWORD)
    for body in (
        {"action": "schedule_survey", "scheduled_for": "2026-12-10T09:00:00+07:00"},
        {"action": "report_survey", "report": "Sesuai."},
    ):
        assert surveyor("POST", act, json=body).status_code == 200
    technical = Api(base_url, officers["technical"], PASSWORD)
    assessed = technical(
        "POST",
        act,
        json={
            "action": "assess_fee",
            "fee_inputs": {"area_m2": "2", "months": 1, "location_class": "C"},
        },
    )
    assert assessed.status_code == 200, assessed.text
    invoice = _wait(
        lambda: (lambda r: r.status_code == 200 and r.json())(
            applicant("GET", f"/applications/{draft['id']}/invoice")
        ),
        what="the invoice",
    )
    return draft, applicant, invoice


def _pay(platform, invoice):
    bank, partner = bank_of(platform)
    _, paid = bank.pay(virtual_account(partner, invoice))
    assert paid["responseCode"] == "2002500", paid


def test_treasurer_replaces_an_invoice_and_the_head_suspends_and_revokes_the_permit(
    browser,
    base_url,
    platform,
    office,  # noqa: F811
):
    from playwright.sync_api import expect

    draft, applicant, wrong = _awaiting_payment(base_url, office)
    file_url = f"{base_url}/work/applications/{draft['id']}"

    context, page = _officer_page(browser, base_url, office["treasurer"])
    try:
        page.goto(file_url)
        cancel = page.locator("form", has=page.get_by_role("heading", name="Batalkan tagihan"))
        cancel.get_by_role("button", name="Batalkan tagihan").click()
        expect(field_error(cancel, "reason")).to_contain_text("Wajib diisi")
        cancel.get_by_label("Alasan").fill("Kelas lokasi salah; seharusnya kelas B.")
        cancel.get_by_role("button", name="Batalkan tagihan").click()
        expect(page.locator('[data-invoice-status="cancelled"]')).to_have_text("Dibatalkan")
        snap(page, "1-invoice-cancelled")
        page.get_by_role("button", name="Terbitkan tagihan baru").click()
        expect(page.locator('[data-invoice-status="open"]')).to_be_visible()
        expect(page.get_by_text(wrong["number"])).to_have_count(0)
        snap(page, "2-invoice-renewed")
    finally:
        context.close()

    renewed = applicant("GET", f"/applications/{draft['id']}/invoice").json()
    assert renewed["number"] != wrong["number"] and renewed["status"] == "open"
    _pay(platform, renewed)
    head = Api(base_url, office["head"], PASSWORD)
    _wait(
        lambda: (
            head(
                "POST", f"/applications/{draft['id']}/actions", json={"action": "approve"}
            ).status_code
            == 200
        ),
        what="approval after payment",
    )
    code = applicant("GET", f"/applications/{draft['id']}/permit").json()["verification_code"]

    context, page = _officer_page(browser, base_url, office["head"])
    stranger = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    try:
        page.goto(file_url)
        status = page.locator("form", has=page.get_by_role("heading", name="Ubah status izin"))
        status.get_by_label("Status baru").select_option("suspended")
        status.get_by_label("Alasan").fill("Konstruksi reklame miring, menunggu perbaikan.")
        status.get_by_role("button", name="Ubah status izin").click()
        expect(page.locator(".badge", has_text="Dibekukan")).to_be_visible()
        expect(page.get_by_text("Konstruksi reklame miring").first).to_be_visible()
        snap(page, "3-permit-suspended")

        check = stranger.new_page()
        check.goto(f"{base_url}/verify/{code}")
        expect(check.get_by_text("Dibekukan").first).to_be_visible()
        snap(check, "4-public-check-suspended")

        status.get_by_label("Status baru").select_option("valid")
        status.get_by_label("Alasan").fill("Konstruksi sudah diperbaiki.")
        status.get_by_role("button", name="Ubah status izin").click()
        expect(page.locator(".badge.ok", has_text="Berlaku")).to_be_visible()

        status.get_by_label("Status baru").select_option("revoked")
        status.get_by_label("Alasan").fill("Reklame dipindah tanpa izin.")
        status.get_by_role("button", name="Ubah status izin").click()
        expect(page.locator(".badge", has_text="Dicabut")).to_be_visible()
        expect(page.get_by_role("heading", name="Ubah status izin")).to_have_count(0)
        snap(page, "5-permit-revoked")
        check.reload()
        expect(check.get_by_text("Dicabut").first).to_be_visible()
    finally:
        stranger.close()
        context.close()
