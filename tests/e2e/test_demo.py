"""`make demo` against the running platform: one permit from draft to issued, URLs printed."""

from __future__ import annotations

import time

import requests

from tests.e2e.conftest import run_demo


def test_the_demo_walks_a_billboard_permit_to_issued(platform):
    finished = run_demo(platform)
    assert "Demo berhasil" in finished.stdout
    verify_url = next(
        line.split()[-1] for line in finished.stdout.splitlines() if "cek keaslian izin" in line
    )
    code = verify_url.rsplit("/", 1)[1]
    answer = requests.get(
        f"http://127.0.0.1:{platform.gateway_port}/api/v1/verify/{code}", timeout=10
    ).json()
    assert answer["genuine"] is True
    assert answer["status"] == "valid"

    # The reports' read model hears of the file by its events: the figures follow in a moment.
    base = f"http://127.0.0.1:{platform.gateway_port}/api/v1"
    head = requests.post(
        f"{base}/auth/login",
        json={"email": "head@demo.gaspol.id", "password": "demo-petugas-2026"},
        timeout=10,
    ).json()
    bearer = {"Authorization": f"Bearer {head['access_token']}"}
    summary = _eventually(
        lambda: requests.get(f"{base}/reports/summary", headers=bearer, timeout=10).json(),
        lambda figures: (
            figures["ikm"]["total"]["respondents"] >= 1
            and figures["stage-times"]["end_to_end"]["files"] >= 1
        ),
    )
    assert summary["volume"]["total"]["issued"] >= 1
    assert summary["revenue"]["total"]["amount"] > 0
    csv = requests.get(f"{base}/reports/revenue?format=csv", headers=bearer, timeout=10)
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert "by_bank" in csv.text

    # The public page's figures are kept a minute by the gateway: another test may have asked.
    stats = _eventually(
        lambda: requests.get(f"{base}/stats", timeout=10).json(),
        lambda figures: figures["satisfaction"]["respondents"] >= 1,
        timeout=70.0,
    )
    assert stats["volume"]["issued"] >= 1
    assert stats["satisfaction"]["ikm"] is not None
    assert stats["targets"]["satisfied_percent"] == 90


def _eventually(fetch, ready, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if ready(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.5)
