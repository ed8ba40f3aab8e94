"""OSS RBA end to end on the platform as `make up` starts it (with the OSS stand-in): a NIB is
looked up and kept on the file, and the file's steps reach OSS, late but whole, when OSS was
away while they happened."""

from __future__ import annotations

import requests

from devstack.demo import (
    Gateway,
    ensure_officers,
    register_applicant,
    sign_in_officers,
    submit,
    upload_billboard,
    verify,
    wait,
)

KNOWN_NIB = "9120001234567"  # CV Reklame Nusantara in the stand-in


def test_a_nib_lookup_and_the_status_reports_reach_oss_end_to_end(platform):
    base = f"http://127.0.0.1:{platform.gateway_port}/api/v1"
    admin = Gateway(base, *platform.admin)
    ensure_officers(admin)
    officers = sign_in_officers(base)
    siti = Gateway(base, *register_applicant(base))
    file = upload_billboard(siti)

    unknown = requests.put(
        f"{base}{file}/business", json={"nib": "1111111111111"}, headers=siti.headers, timeout=30
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0] == {
        "field": "nib",
        "code": "nib_unknown",
        "message": "OSS knows no business with this NIB",
    }
    found = requests.put(
        f"{base}{file}/business", json={"nib": KNOWN_NIB}, headers=siti.headers, timeout=30
    )
    assert found.status_code == 200, found.text
    assert found.json()["business"]["name"] == "CV Reklame Nusantara"
    assert found.json()["business"]["kbli"] == ["73100"]

    oss = platform.oss_standin.standin
    oss.set_mode("down")  # OSS goes away while the office works on the file
    receipt = siti.get(file)["receipt_number"]
    submit(siti, file)
    wait(lambda: _unsent_with_error(admin, receipt), "a failed attempt to reach OSS")
    assert _reports_for(oss, receipt) == []

    oss.set_mode("ok")
    verify(officers["frontdesk"], file)
    wait(lambda: len(_reports_for(oss, receipt)) == 2, "both reports at OSS", timeout=60)
    reports = _reports_for(oss, receipt)
    assert [report["kd_status"] for report in reports] == ["09", "10"]
    assert {report["nib"] for report in reports} == {KNOWN_NIB}
    integration = admin.get("/integrations/oss")
    assert integration["last_sync_at"] is not None
    assert integration["endpoint"] == platform.oss_standin.url


def _reports_for(oss, receipt: str) -> list[dict]:
    return [report for report in oss.received() if report["id_izin"] == receipt]


def _unsent_with_error(admin: Gateway, receipt: str) -> bool:
    integration = admin.get("/integrations/oss")
    return any(
        report["receipt_number"] == receipt and report["last_error"]
        for report in integration["failures"]
    )
