"""No plaintext NIK anywhere an operator looks: in no log line of the platform (process logs and
the email/SMS logs), no metric of its six processes, no URL the gateway counted. Run after every
other security test (conftest orders it), so it reads all that the suite made them write."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROUTE_LABEL = re.compile(r'^http_requests_total\{[^}]*route="([^"]*)"', re.MULTILINE)


def spelled_anyhow(nik: str) -> re.Pattern:
    """The NIK's digits in order, also with spaces, dots or dashes between them."""
    return re.compile(r"[ .\-]?".join(nik))


def log_files(data_dir: Path) -> list[Path]:
    """Every log the platform writes: its processes' logs and the local email/SMS logs."""
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".log", ".jsonl") and p.is_file())


def metrics_pages(platform) -> dict[str, str]:
    ports = {"gateway": platform.gateway_port, **platform.metrics_ports}
    return {
        name: requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
        for name, port in ports.items()
    }


def test_no_plaintext_nik_in_logs_metrics_or_urls(platform, known_niks):
    patterns = [spelled_anyhow(nik) for nik in known_niks]
    found = []
    files, lines = log_files(platform.data_dir), 0
    for path in files:
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            lines += 1
            if any(pattern.search(line) for pattern in patterns):
                found.append(f"{path.name}:{number}: {line[:200]}")
    pages = metrics_pages(platform)
    for name, page in pages.items():
        found += [f"/metrics of {name}" for pattern in patterns if pattern.search(page)]
    routes = set(ROUTE_LABEL.findall(pages["gateway"]))
    found += [f"route label {route}" for route in routes for p in patterns if p.search(route)]

    print(
        f"NIK sweep: {len(known_niks)} NIKs, {lines} log lines in {len(files)} files, "
        f"{sum(len(page.splitlines()) for page in pages.values())} metric lines of "
        f"{len(pages)} processes, {len(routes)} gateway routes: {len(found)} found"
    )
    assert found == []
    # The NIKs were in URLs (conftest asked for them): the gateway counted them by route.
    assert {
        "/api/v1/track/<receipt_number>",
        "/api/v1/verify/<verification_code>",
        "/<page:path>",
        "unmatched",
    } <= routes
    assert {f"{name}.log" for name in pages} <= {path.name for path in files}
