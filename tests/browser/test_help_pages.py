"""Help pages on a phone: the "?" beside a step opens its guide, which reads in English on request
and, once read, without a connection."""

from __future__ import annotations

import re
import time

from tests.browser.conftest import PHONE, snap


def kept(page, path: str, seconds: float = 5) -> None:
    """Waits until the service worker's cache holds `path`."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(f"() => caches.match('{path}').then(Boolean)"):
        assert time.monotonic() < deadline, f"{path} never reached the cache"
        time.sleep(0.1)


def test_a_question_mark_opens_its_guide_in_either_language_and_offline(browser, base_url):
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", service_workers="allow"
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/register")
        expect(page.get_by_role("heading", name="Daftar akun pemohon", level=1)).to_be_visible()
        # The service worker controls the page, so the guide it fetches is kept for offline use.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")

        page.get_by_role("link", name="Bantuan: Daftar akun pemohon").click()
        expect(page).to_have_url(re.compile(r"/bantuan/daftar$"))
        indonesian = page.get_by_role("heading", name="Daftar akun dan verifikasi kontak", level=1)
        expect(indonesian).to_be_visible()
        expect(page.get_by_role("heading", name="Verifikasi email dan nomor HP")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
        snap(page, "1-guide")

        page.locator("#lang").click()
        english = page.get_by_role("heading", name="Register and verify your contacts", level=1)
        expect(english).to_be_visible()
        snap(page, "2-english")
        # The worker stores what it fetched a moment after the page has it.
        for lang in ("id", "en"):
            kept(page, f"/help/{lang}/daftar")

        context.set_offline(True)
        page.reload()
        expect(english).to_be_visible()
        page.locator("#lang").click()
        expect(indonesian).to_be_visible()
        snap(page, "3-offline")

        # Offline, a guide never opened says so instead of failing silently.
        page.get_by_role("link", name="Semua panduan").first.click()
        expect(page.get_by_role("alert")).to_contain_text("belum pernah dibuka")

        context.set_offline(False)
        page.reload()
        # Online again: the list of every guide, and a link between guides that stays in the app.
        expect(page.get_by_role("heading", name="Bantuan", level=1)).to_be_visible()
        page.get_by_role("link", name="Membayar retribusi dengan virtual account").click()
        expect(page.get_by_role("heading", name="ATM", level=2)).to_be_visible()
    finally:
        context.close()
