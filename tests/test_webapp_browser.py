"""The Mini App in a real browser: Debian's Chromium, headless, driven by Playwright.

The page is opened the way Telegram opens it: the Mini App's address with the launch data
in the URL fragment (signed here with the test bot token), over HTTPS (a certificate of
the test's own; ``kks.example`` resolves to 127.0.0.1). A coordinator chooses a PIN, reads
Sophie's registration by section in Dutch; an Arabic-speaking coordinator reads Tim &
Esmee's right to left; the official PDF opens. Screenshots go to ``KKS_SCREENSHOTS``
(default: the test's temporary folder) to be looked at.

Chromium comes from Debian (``.ci/run`` installs it, and sets KKS_REQUIRE_BROWSER so a
missing browser fails there instead of skipping)."""

from __future__ import annotations

import json
import os
import shutil
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web

from kks_bot.channels.web.app import mount
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat

from .cases import SOPHIE, TIM_ESMEE
from .test_handoff import _coordinator, _submit
from .test_mail import _free_port, make_certificate
from .walking import registrations
from .webapp import TOKEN, launch_data

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
THEME = {"bg_color": "#ffffff", "text_color": "#222222", "hint_color": "#707579",
         "link_color": "#2481cc", "button_color": "#2481cc", "button_text_color": "#ffffff",
         "secondary_bg_color": "#f4f4f5"}

pytestmark = pytest.mark.once  # one browser run proves it; the database is not the point


@pytest.fixture
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("KKS_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
async def site(runtime: Runtime, tmp_path: Path) -> AsyncIterator[str]:
    """The Mini App over HTTPS on 127.0.0.1; its address as Telegram would open it."""
    port = _free_port()
    web_url = f"https://kks.example:{port}/app"
    runtime.settings = runtime.settings.model_copy(update={"web_url": web_url})
    certificate = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.cert_file, certificate.key_file)
    app = web.Application()
    assert mount(app, runtime, TOKEN)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port, ssl_context=context).start()
    try:
        yield web_url
    finally:
        await runner.cleanup()


def _screenshots(tmp_path: Path) -> Path:
    shots = Path(os.environ.get("KKS_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    return shots


def _telegram_url(web_url: str, to: str, init_data: str) -> str:
    """What Telegram opens for a Mini App button: the address, the launch data after '#'."""
    return (f"{web_url}/?to={to}#tgWebAppData={quote(init_data, safe='')}"
            f"&tgWebAppVersion=8.0&tgWebAppPlatform=android"
            f"&tgWebAppThemeParams={quote(json.dumps(THEME), safe='')}")


async def test_coordinators_read_registrations_in_dutch_and_arabic(
        runtime: Runtime, chat_factory, site: str, chromium: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    shots = _screenshots(tmp_path)
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    karim: Chat = chat_factory(user_id=508, language_code="ar")
    await _coordinator(runtime, karim, "GM0882")
    await _submit(chat_factory(user_id=1001), SOPHIE)
    await _submit(chat_factory(user_id=1003, language_code="ar"), TIM_ESMEE)
    ids = {r["reference"]: r["id"] for r in await registrations(runtime)}
    sophie, tim = ids["KKS-2026-0001"], ids["KKS-2026-0002"]

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--host-resolver-rules=MAP kks.example 127.0.0.1"])
        try:
            # A phone-sized web view, as Telegram's app opens it.
            phone = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                     "is_mobile": True, "has_touch": True, "ignore_https_errors": True}
            dutch = await browser.new_context(**phone)  # type: ignore[arg-type]
            page = await dutch.new_page()
            await page.goto(_telegram_url(site, f"case/{sophie}",
                                          launch_data(501, runtime.clock.now())))
            await page.wait_for_url("**/app/pin**")
            assert "#tgWebAppData" not in page.url  # the launch data left the address bar
            await page.screenshot(path=shots / "1-pin-choose-nl.png")
            await page.fill("#pin", "40917")
            await page.fill("#repeat", "40917")
            await page.click("form.pin button")
            await page.wait_for_url(f"**/app/case/{sophie}")
            assert await page.locator("html").get_attribute("dir") == "ltr"
            assert await page.locator("h2").first.inner_text() == "Aanmelding"
            sections = await page.locator("details summary").all_inner_texts()
            assert len(sections) >= 5 and sections[0].startswith("1.")
            body = await page.locator("main").text_content() or ""
            assert "Sophie Jansen" in body and "Akerstraat 12" in body
            await page.locator("details summary").nth(2).click()  # the mother, opened
            assert "Sophie Jansen" in await page.locator("main").inner_text()
            # Telegram's theme colours reached the page.
            background = await page.evaluate(
                "getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(255, 255, 255)"
            await page.screenshot(path=shots / "2-case-nl.png", full_page=True)
            # The official PDF, in the same session.
            pdf = await page.evaluate("""async (url) => {
                const r = await fetch(url);
                const head = new Uint8Array(await r.arrayBuffer()).slice(0, 5);
                return [r.status, r.headers.get("content-type"),
                        String.fromCharCode(...head)];
            }""", f"{site}/case/{sophie}/pdf")
            assert pdf == [200, "application/pdf", "%PDF-"]
            await page.goto(f"{site}/home")
            assert "KKS-2026-0001" in await page.locator("main").inner_text()
            await page.screenshot(path=shots / "3-home-nl.png", full_page=True)
            # Ilse may not open Landgraaf's case: nothing shows.
            await page.goto(f"{site}/case/{tim}")
            refused = await page.locator("main").inner_text()
            assert "Esmee" not in refused and "Dit kan ik je niet tonen" in refused

            arabic = await browser.new_context(**phone, locale="ar")  # type: ignore[arg-type]
            page = await arabic.new_page()
            await page.goto(_telegram_url(site, f"case/{tim}",
                                          launch_data(508, runtime.clock.now(), language="ar")))
            await page.wait_for_url("**/app/pin**")
            await page.fill("#pin", "52841")
            await page.fill("#repeat", "52841")
            await page.click("form.pin button")
            await page.wait_for_url(f"**/app/case/{tim}")
            assert await page.locator("html").get_attribute("dir") == "rtl"
            assert await page.evaluate("getComputedStyle(document.body).direction") == "rtl"
            assert await page.locator("h2").first.inner_text() == "التسجيل"
            body = await page.locator("main").text_content() or ""
            assert "Esmee Claessen" in body and "Kloosterstraat 3" in body
            await page.locator("details summary").nth(2).click()
            await page.screenshot(path=shots / "4-case-ar.png", full_page=True)
            # The figures of her own municipality: the chart drawn for the page, in Arabic
            # (the threshold at 1: one family is too few to show anything otherwise).
            runtime.settings = runtime.settings.model_copy(update={"figures_threshold": 1})
            await page.goto(f"{site}/figures?p=year&g=all")
            assert await page.locator("img.chart").evaluate("i => i.naturalWidth") > 500
            assert "الأرقام" in (await page.locator("header .title").inner_text())
            await page.screenshot(path=shots / "5-figures-ar.png", full_page=True)
        finally:
            await browser.close()
