"""The OSS RBA integration in a browser: an applicant attaches a business by its NIB on the
file's page (an unknown NIB is named next to the field), and the admin watches a status report
wait out an OSS outage on /work/integration and sends it again with the replay button."""

from __future__ import annotations

import pytest

from tests.browser.conftest import snap
from tests.browser.test_officer_pages import PDF, Api, _register_applicant, _wait, sign_in

KNOWN_NIB = "8120102345678"  # PT Klinik Sehat Sentosa in the OSS stand-in


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def _draft_with_documents(applicant: Api) -> dict:
    draft = applicant("POST", "/applications", json={"permit_type": "IOK", "data": {}}).json()
    for requirement in draft["requirements"]:
        if requirement["required"]:
            uploaded = applicant(
                "POST",
                f"/applications/{draft['id']}/documents",
                data={"requirement": requirement["code"]},
                files={"file": (f"{requirement['code']}.pdf", PDF, "application/pdf")},
            )
            assert uploaded.status_code == 201, uploaded.text
    return draft


def test_the_applicant_attaches_a_nib_and_sees_the_business(context, base_url):
    email, applicant = _register_applicant(base_url)
    draft = _draft_with_documents(applicant)
    page = sign_in(context, base_url, email)
    page.goto(f"{base_url}/applications/{draft['id']}")
    business = page.locator("section", has=page.get_by_role("heading", name="Usaha (NIB)"))
    nib = business.get_by_label("NIB (13 digit)")
    nib.fill("1111111111111")
    business.get_by_role("button", name="Periksa NIB").click()
    business.get_by_text("NIB ini tidak terdaftar di OSS. Periksa kembali nomornya.").wait_for()
    assert nib.get_attribute("aria-invalid") == "true"
    snap(page, "unknown-nib")

    business.get_by_label("NIB (13 digit)").fill(KNOWN_NIB)
    business.get_by_role("button", name="Periksa NIB").click()
    page.get_by_test_id("business").get_by_text("PT Klinik Sehat Sentosa").wait_for()
    assert "86105, 47722" in page.get_by_test_id("business").inner_text()
    snap(page, "business")


def test_the_admin_sees_a_report_held_back_by_an_outage_and_replays_it(context, base_url, platform):
    _, applicant = _register_applicant(base_url)
    draft = _draft_with_documents(applicant)
    attached = applicant("PUT", f"/applications/{draft['id']}/business", json={"nib": KNOWN_NIB})
    assert attached.status_code == 200, attached.text
    oss = platform.oss_standin.standin
    admin = Api(base_url, *platform.admin)
    oss.set_mode("error")
    try:
        _wait(
            lambda: applicant("POST", f"/applications/{draft['id']}/submit").status_code == 200,
            what="submission",
        )
        _wait(
            lambda: any(
                report["receipt_number"] == draft["receipt_number"] and report["last_error"]
                for report in admin("GET", "/integrations/oss").json()["failures"]
            ),
            what="a failed report",
        )
        page = sign_in(context, base_url, platform.admin[0], platform.admin[1])
        page.goto(f"{base_url}/work/integration")
        page.get_by_role("heading", name="Integrasi OSS RBA", level=1).wait_for()
        page.get_by_text(draft["receipt_number"]).first.wait_for()
        snap(page, "outage")
    finally:
        oss.set_mode("ok")
    page.get_by_role("button", name="Kirim ulang sekarang").click()
    _wait(
        lambda: any(r["id_izin"] == draft["receipt_number"] for r in oss.received()),
        what="the report at OSS",
    )
    page.goto(f"{base_url}/work/integration")
    page.get_by_role("heading", name="Integrasi OSS RBA", level=1).wait_for()
    assert page.get_by_text("Sinkron terakhir").is_visible()
    snap(page, "after-replay")
