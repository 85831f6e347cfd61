"""The Mini App over HTTP: launch data checked as the Bot API specifies, a session and a
PIN, the same access rules as the chat's buttons, and headers that keep the pages out of
caches, referrers and foreign frames. Every refusal is audited and reveals nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from kks_bot.channels.web.app import mount
from kks_bot.clock import FrozenClock
from kks_bot.db.models import AuditEvent, Coordinator
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, unisolated

from .cases import SOPHIE
from .test_handoff import _coordinator, _notification, _submit
from .walking import open_faq, registrations
from .webapp import ORIGIN, TOKEN, WEB_URL, Browser, launch_data, location


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    runtime.settings = runtime.settings.model_copy(update={
        "web_url": WEB_URL, "admin_ids": "900"})
    app = web.Application()
    assert mount(app, runtime, TOKEN)
    async with TestClient(TestServer(app)) as found:
        yield found


async def _refusals(runtime: Runtime, user: int) -> list[str]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(AuditEvent).where(
            AuditEvent.actor_id == user, AuditEvent.action == "refused"))).scalars()
        return [str(r.detail) for r in rows]


async def _case(runtime: Runtime, chat_factory) -> tuple[Chat, Chat, str]:  # type: ignore[no-untyped-def]
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    (stored,) = await registrations(runtime)
    return ilse, anna, stored["id"]


async def _in(browser: Browser, runtime: Runtime, user: int, pin: str = "40917") -> None:
    """Launched from the bot, PIN chosen (first use) or given."""
    launched = await browser.launch(launch_data(user, runtime.clock.now()))
    assert launched.status == 303 and "/app/pin" in location(launched)
    page = await (await browser.get("/pin")).text()
    answered = await browser.pin(pin, pin if 'name="repeat"' in page else None)
    assert answered.status == 303, await answered.text()


async def test_a_coordinator_sees_the_case_after_launch_and_pin(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    browser = Browser(client)
    launched = await browser.launch(launch_data(501, runtime.clock.now()), to=f"case/{rid}")
    cookie = launched.headers["Set-Cookie"]
    for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    # Before the PIN, nothing: the case sends to the PIN page.
    early = await browser.get(f"/case/{rid}")
    assert early.status == 303 and "/app/pin" in location(early)
    # First use: choose a PIN (a weak one is refused).
    assert (await browser.pin("11111", "11111")).status == 400
    assert (await browser.pin("40917", "40918")).status == 400
    chosen = await browser.pin("40917", "40917", to=f"case/{rid}")
    assert chosen.status == 303 and location(chosen).endswith(f"/app/case/{rid}")
    page = await (await browser.get(f"/case/{rid}")).text()
    assert "KKS-2026-0001" in page and "Sophie Jansen" in page
    assert "Gezinsgegevens" in page or "Gezin" in page
    assert "Officiële kopie (PDF)" in page
    pdf = await browser.get(f"/case/{rid}/pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert (await pdf.read()).startswith(b"%PDF")
    home = await (await browser.get("/home")).text()
    assert "Open zaken" in home and "KKS-2026-0001" in home


async def test_every_page_carries_the_protective_headers(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    browser = Browser(client)
    for response in (await browser.get("/"), await browser.get("/home"),
                     await browser.launch("forged")):
        policy = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'self' https://web.telegram.org" in policy
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    launch = await browser.get("/")
    nonce = re.search(r"script-src 'nonce-([^']+)'", launch.headers["Content-Security-Policy"])
    assert nonce and f'nonce="{nonce.group(1)}"' in await launch.text()
    assert "<script>" not in await launch.text()  # no inline script
    again = await browser.get("/")
    assert again.headers["Content-Security-Policy"] != launch.headers["Content-Security-Policy"]


@pytest.mark.parametrize("how", ["forged", "altered", "expired", "other_bot", "no_account",
                                 "other_origin"])
async def test_bad_launch_data_is_refused_and_audited(
        runtime: Runtime, chat_factory, client: TestClient, how: str) -> None:  # type: ignore[type-arg]
    await chat_factory(user_id=501).send("/start")  # an account: only the data is wrong
    now = runtime.clock.now()
    data = {
        "forged": launch_data(501, now, hash="0" * 64),
        "altered": launch_data(501, now, user='{"id":900,"first_name":"Admin"}'),
        "expired": launch_data(501, now - timedelta(minutes=6)),
        "other_bot": launch_data(501, now, token="999:another-bot"),
        "no_account": launch_data(777, now),
        "other_origin": launch_data(501, now),
    }[how]
    browser = Browser(client)
    response = await browser.post("/session", {"init_data": data, "to": "home"},
                                  origin="https://evil.example" if how == "other_origin"
                                  else ORIGIN)
    assert response.status == 403 and browser.cookie == ""
    assert "Open deze pagina met de knop in de bot" in await response.text()
    async with runtime.sessions() as session:
        audited = (await session.execute(select(AuditEvent).where(
            AuditEvent.action == "refused", AuditEvent.detail == "web:launch"))).scalars().all()
    assert len(audited) == 1


async def test_five_wrong_pins_lock_until_an_administrator_unlocks(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/start")
    browser = Browser(client)
    await _in(browser, runtime, 501)
    await (browser.post("/logout", {"csrf": await browser.csrf()}))
    await browser.launch(launch_data(501, runtime.clock.now()))
    for left in (4, 3, 2, 1):
        wrong = await browser.pin("99999")
        tries = f"Nog {left} poging." if left == 1 else f"Nog {left} pogingen."
        assert wrong.status == 403 and tries in unisolated(await wrong.text())
    locked = await browser.pin("99999")
    assert "geblokkeerd" in await locked.text()
    # The right PIN does not help now, and the session is gone.
    assert "Sophie" not in await (await browser.get(f"/case/{rid}")).text()
    await browser.launch(launch_data(501, runtime.clock.now()))
    assert "geblokkeerd" in await (await browser.pin("40917")).text()
    await admin.deliver()
    assert any("501" in m.plain and "geblokkeerd" in m.plain
               for m in admin.transport.visible(900))
    # An administrator unlocks it; a new PIN is chosen.
    from kks_bot import pins

    async with runtime.sessions() as session, session.begin():
        assert await pins.unlock(session, 501, runtime.clock.now())
    await _in(browser, runtime, 501, pin="52841")
    assert "Sophie Jansen" in await (await browser.get(f"/case/{rid}")).text()


#: The web's share of the bot's access matrix: who may open which page of a case.
PAGES = {"case": {"registrant", "coordinator"}, "pdf": {"coordinator"}, "admin": set()}
WHO = {"registrant": 1001, "coordinator": 501, "other_municipality": 503, "stranger": 777,
       "deactivated": 502}


async def test_each_page_only_for_whom_the_bot_allows_it(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    await _coordinator(runtime, chat_factory(user_id=503), "GM0928")
    await _coordinator(runtime, chat_factory(user_id=502), "GM0917")
    await chat_factory(user_id=777).send("/start")
    browsers = {}
    for who, user in WHO.items():
        browsers[who] = Browser(client)
        await _in(browsers[who], runtime, user)
    async with runtime.sessions() as session, session.begin():  # deactivated after launch
        from kks_bot.flows.casework import onboarding

        await onboarding.deactivate(runtime.env, session, 502, 900, runtime.clock.now())
    for page, allowed_for in PAGES.items():
        path = {"case": f"/case/{rid}", "pdf": f"/case/{rid}/pdf", "admin": "/admin"}[page]
        for who, browser in browsers.items():
            response = await browser.get(path)
            body = await response.read()
            if who in allowed_for:
                assert response.status == 200, (page, who)
                continue
            assert response.status in (303, 403, 404), (page, who, response.status)
            assert b"Sophie" not in body and b"KKS-2026-0001" not in body, (page, who)
    # The deactivated coordinator's session ended; the others' refusals were audited.
    assert location(await browsers["deactivated"].get("/home")).endswith("/app/?expired=1")
    assert "web:case" in await _refusals(runtime, 503)
    assert "web:pdf" in await _refusals(runtime, 1001)
    assert "web:admin" in await _refusals(runtime, 501)


async def test_a_post_without_a_session_or_from_elsewhere_is_refused(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    stranger = Browser(client)
    no_session = await stranger.post("/pin", {"pin": "40917", "to": "home"})
    assert no_session.status == 303 and location(no_session).endswith("/app/?expired=1")
    browser = Browser(client)
    await browser.launch(launch_data(501, runtime.clock.now()))
    csrf = await browser.csrf()
    elsewhere = await browser.post("/pin", {"csrf": csrf, "pin": "40917", "repeat": "40917",
                                           "to": "home"}, origin="https://evil.example")
    assert elsewhere.status == 403
    forged = await browser.post("/pin", {"csrf": "0" * 64, "pin": "40917", "repeat": "40917"})
    assert forged.status == 403
    assert (await _refusals(runtime, 501)).count("web:pin") == 2
    # Still not past the PIN.
    assert (await browser.get(f"/case/{rid}")).status == 303


async def test_a_session_ends_when_idle(
        runtime: Runtime, chat_factory, client: TestClient, clock: FrozenClock) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    browser = Browser(client)
    await _in(browser, runtime, 501)
    assert (await browser.get(f"/case/{rid}")).status == 200
    clock.advance(minutes=16)
    ended = await browser.get(f"/case/{rid}")
    assert ended.status == 303 and "expired" in location(ended)


async def test_a_registrant_sees_what_they_submitted_in_arabic_right_to_left(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    async with runtime.sessions() as session, session.begin():
        from kks_bot.db.models import Account

        account = await session.get(Account, 1001)
        assert account is not None
        account.locale = "ar"
    browser = Browser(client)
    await _in(browser, runtime, 1001)
    page = await (await browser.get(f"/case/{rid}")).text()
    assert '<html lang="ar" dir="rtl">' in page
    assert "Sophie Jansen" in page and "KKS-2026-0001" in page
    assert "PDF" not in page  # the official copy is the coordinator's
    home = await (await browser.get("/home")).text()
    assert "KKS-2026-0001" in home


async def test_deactivation_ends_an_open_web_session_at_once(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    _ilse, _anna, rid = await _case(runtime, chat_factory)
    browser = Browser(client)
    await _in(browser, runtime, 501)
    assert (await browser.get(f"/case/{rid}")).status == 200
    async with runtime.sessions() as session, session.begin():
        coordinator = await session.get(Coordinator, 501)
        assert coordinator is not None
        from kks_bot.flows.casework import onboarding

        await onboarding.deactivate(runtime.env, session, 501, 900, runtime.clock.now())
    gone = await browser.get(f"/case/{rid}")
    assert gone.status == 303 and b"Sophie" not in await gone.read()


async def test_the_figures_page_shows_a_coordinator_only_their_own(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    await _case(runtime, chat_factory)  # one registration in Heerlen (GM0917)
    browser = Browser(client)
    await _in(browser, runtime, 501)
    home = await (await browser.get("/home")).text()
    assert "/app/figures" in home and ">Cijfers<" in home
    page = await browser.get("/figures?p=year&g=GM0917")
    shown = unisolated(await page.text())
    assert page.status == 200 and "Heerlen" in shown
    assert "&lt;5" in shown and "Te weinig gezinnen" in shown  # one family: nothing more
    assert "data:image/png" not in shown and "Sophie" not in shown
    # With the threshold at 1 (a test of the drawing, not a setting to publish with):
    runtime.settings = runtime.settings.model_copy(update={"figures_threshold": 1})
    shown = unisolated(await (await browser.get("/figures?p=year&g=GM0917")).text())
    assert "data:image/png;base64,iVBOR" in shown  # the chart, drawn for this page
    # Another municipality's figures are not theirs; the registrant has none.
    refused = await browser.get("/figures?p=year&g=GM0928")
    assert refused.status == 403
    registrant = Browser(client)
    await _in(registrant, runtime, 1001)
    assert (await registrant.get("/figures")).status == 403


async def test_the_figures_page_shows_the_faq_figures_to_administrators_only(
        runtime: Runtime, chat_factory, client: TestClient) -> None:  # type: ignore[type-arg]
    """Counts only: per language answered / unknown, per entry; a coordinator's page has
    none of it, and no question's text is kept or shown."""
    await _case(runtime, chat_factory)
    asker: Chat = chat_factory(user_id=1002)
    await open_faq(asker)
    await asker.send("Voor wie is het Knooppunt?")
    assert "geen goed antwoord" not in asker.text()
    await asker.send("Hoe laat gaat de bakker open op zondag in Maastricht?")
    assert "geen goed antwoord" in asker.text()
    await chat_factory(user_id=900).send("/start")  # the administrator uses the bot
    admin = Browser(client)
    await _in(admin, runtime, 900)
    shown = unisolated(await (await admin.get("/figures?p=year&g=all")).text())
    assert "alleen voor beheerders" in shown
    assert "Nederlands: 1 beantwoord, 1 zonder antwoord" in shown
    assert "Voor wie is het Knooppunt?: 1 / 0 / 0" in shown
    assert "bakker" not in shown  # the unknown question itself is nowhere
    coordinator = Browser(client)
    await _in(coordinator, runtime, 501)
    theirs = unisolated(await (await coordinator.get("/figures?p=year&g=GM0917")).text())
    assert "Heerlen" in theirs and "alleen voor beheerders" not in theirs
