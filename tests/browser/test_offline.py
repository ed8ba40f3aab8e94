"""The web client as an installable app that keeps working without a connection.

After one visit the service worker has cached the shell: offline, a reload and another in-app
address still draw the header, the menu and the page, and a banner says the phone is offline
until the connection is back. The manifest that makes the app installable is linked and sound.
"""

from __future__ import annotations

from tests.browser.conftest import PHONE, snap

OFFLINE_MESSAGE = "Anda sedang luring."
# A file the shell never cached: offline, neither the network nor the cache can answer it.
FETCH_UNCACHED = """() => fetch("/never-cached-" + Date.now() + ".txt")
    .then((response) => response.status, () => "failed")"""


def test_manifest_is_linked_and_describes_an_installable_app(page, base_url):
    page.goto(f"{base_url}/")
    href = page.locator('head link[rel="manifest"]').get_attribute("href")
    answer = page.request.get(f"{base_url}{href}")
    assert answer.ok, answer.status
    manifest = answer.json()

    assert manifest["name"].startswith("GASPOL")
    assert manifest["short_name"] == "GASPOL"
    assert manifest["start_url"] == "/"
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui")
    assert manifest["icons"], "an installable app needs an icon"
    for icon in manifest["icons"]:
        assert {"src", "sizes", "type"} <= icon.keys(), icon
        served = page.request.get(f"{base_url}{icon['src']}")
        assert served.ok, (icon["src"], served.status)
        assert served.headers["content-type"].startswith(icon["type"])


def test_the_shell_works_offline_after_one_visit(browser, base_url):
    from playwright.sync_api import expect

    # Service workers are allowed here (the page fixture's context does not say otherwise, but
    # say it plainly: this test is about them).
    context = browser.new_context(
        viewport=PHONE, locale="id-ID", timezone_id="Asia/Jakarta", service_workers="allow"
    )
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/")
        expect(page.get_by_role("heading", name="Jenis Izin", level=1)).to_be_visible()
        # Installed (the shell cached before activation), active, and in control of this page.
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        assert page.evaluate("() => caches.match('/js/app.js').then((found) => !!found)")
        banner = page.locator("#offline")
        expect(banner).to_be_hidden()

        context.set_offline(True)
        expect(banner).to_be_visible()
        expect(banner).to_have_attribute("role", "status")
        expect(banner).to_contain_text(OFFLINE_MESSAGE)

        # A reload: the shell comes from the cache; the catalogue's data cannot, and says so.
        page.reload()
        expect(page.locator("header .brand")).to_have_text("GASPOL")
        expect(page.locator("#nav").get_by_role("link", name="Lacak Berkas")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("Tidak dapat terhubung ke server")
        expect(banner).to_contain_text(OFFLINE_MESSAGE)
        snap(page, "01-catalogue-offline")

        # Another address of the app, never opened before, is drawn by the cached shell.
        page.goto(f"{base_url}/track")
        expect(page.get_by_role("heading", name="Lacak Berkas", level=1)).to_be_visible()
        expect(page.get_by_label("Nomor tanda terima")).to_be_editable()
        expect(page.locator("#nav").get_by_role("link", name="Jenis Izin")).to_be_visible()
        expect(banner).to_be_visible()
        expect(banner).to_contain_text(OFFLINE_MESSAGE)
        # The service worker's own requests are offline too: the page came from its cache.
        assert page.evaluate(FETCH_UNCACHED) == "failed"
        snap(page, "02-track-offline")

        context.set_offline(False)
        expect(banner).to_be_hidden()
        page.get_by_label("Nomor tanda terima").fill("GSP-0000-AAAAAA")
        page.get_by_role("button", name="Lacak").click()
        expect(page.get_by_role("alert")).to_contain_text("Nomor tanda terima tidak ditemukan")
        snap(page, "03-back-online")
    finally:
        context.close()
