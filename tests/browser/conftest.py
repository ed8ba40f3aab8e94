"""The web client as a person uses it: the running platform and Debian's Chromium (Playwright).

The platform fixtures come from tests/e2e (one platform per session, on free ports). Every test
gets a fresh browser context at a phone's size; `snap(page, name)` keeps a full-page screenshot
of each step in test-artifacts/screenshots/<test>-<step>.png for people to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import platform, platform_env  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):
    """A new context per test: a phone-sized window, Indonesian locale, nothing stored."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(20_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


@pytest.fixture(scope="session")
def base_url(platform) -> str:  # noqa: F811 - the fixture imported above
    """Where the gateway of the session's platform answers."""
    return f"http://127.0.0.1:{platform.gateway_port}"


def snap(page, name: str) -> Path:
    """A full-page screenshot named after the running test and the step."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "test").split("::")[-1].split(" ")[0]
    test, step = (re.sub(r"[^\w.-]+", "_", text) for text in (current, name))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{test}-{step}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
