"""The web client as the gateway serves it: the whole shell, compressed, small enough for a
cheap phone on a slow link, and every module of it cached by the service worker."""

from __future__ import annotations

import re

import pytest

from chassis.config import load_settings
from gateway.app import create_app
from gateway.web import WEB_DIR

SHELL_BUDGET_BYTES = 200 * 1024


def shell_paths() -> list[str]:
    """The files the service worker keeps for offline use."""
    listed = re.search(r"const SHELL = \[(.*?)\];", (WEB_DIR / "sw.js").read_text(), re.S)
    return re.findall(r'"([^"]+)"', listed.group(1))


@pytest.fixture
def client():
    return create_app(load_settings({})).test_client()


def test_the_service_worker_keeps_every_module_of_the_shell():
    modules = {f"/{path.relative_to(WEB_DIR)}" for path in (WEB_DIR / "js").rglob("*.js")}
    assert modules <= set(shell_paths())


def test_the_shell_loads_compressed_under_its_budget(client):
    total = 0
    for path in shell_paths():
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        body = response.get_data()
        if len(body) > 1024:
            assert response.headers.get("Content-Encoding") == "gzip", path
        total += len(body)
    assert total < SHELL_BUDGET_BYTES, f"{total} bytes compressed"


def test_a_client_that_asks_for_nothing_gets_plain_text(client):
    response = client.get("/js/app.js")
    assert "Content-Encoding" not in response.headers
    assert b"import" in response.get_data()
