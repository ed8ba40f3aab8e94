"""`make demo` against the running platform: one permit from draft to issued, URLs printed."""

from __future__ import annotations

import subprocess
import sys

import requests

from tests.support.processes import REPO


def test_the_demo_walks_a_billboard_permit_to_issued(platform):
    finished = subprocess.run(
        [sys.executable, "-m", "devstack", "demo"],
        env=platform.environ,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
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
