"""What Telegram's servers get to keep, tried over the fake Bot API: with a web address,
no coordinator's chat ever holds a family detail (the case opens in the Mini App), and
what the two sides write to each other leaves the chats after the configured time.
Without one, the chat shows the registration only after the PIN, and a typed PIN is
deleted at once."""

from __future__ import annotations

import pytest

from kks_bot.clock import FrozenClock
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeClock
from tests.support.transcript import unisolated

from .cases import SOPHIE
from .conftest import START
from .telegram_driver import TelegramChat, bot_settings, running_poller
from .test_handoff import _invite
from .walking import approve_requests, registrations

REGISTRANT, COORDINATORS = 4242, (501, 502)
WEB_URL = "https://kks.example/app"
#: Sophie's family, as typed or as the bot would show it.
FAMILY = ["Sophie", "Jansen", "12-3-2001", "12 maart 2001", "Akerstraat", "06 12345678",
          "+31612345678", "zwanger", "Zwanger", "februari 2027", "15 februari", "Mark Peters",
          "overweldigd", "Nederlandse"]


@pytest.fixture
def api() -> FakeBotApi:
    return FakeBotApi(clock=FakeClock(START.timestamp()))


async def _join(runtime: Runtime, api: FakeBotApi, user: int) -> TelegramChat:
    coordinator = TelegramChat(api, runtime.sessions, user_id=user)
    await coordinator.send(f"/start {await _invite(runtime, 'GM0917')}")
    await coordinator.run([("type", "Gemeente Heerlen"), ("type", f"Coördinator {user}"),
                           ("press", "o:gemeente"), ("type", f"c{user}@heerlen.nl"),
                           ("type", "045 560 4000")])
    await approve_requests(runtime)
    return coordinator


def _notification(api: FakeBotApi, user: int):  # type: ignore[no-untyped-def]
    return next(m for m in api.bot_messages(user)
                if "Nieuwe aanmelding KKS" in unisolated(m.text or ""))


def _leaks(api: FakeBotApi, user: int) -> list[str]:
    """Family details in any message the bot ever sent to ``user`` (deleted ones too)."""
    return [f"{detail!r} in {m.text!r}" for m in api.all_bot_messages(user)
            for detail in FAMILY if detail in unisolated(m.text or "")]


async def test_with_a_web_address_no_family_detail_reaches_a_coordinator(
        runtime: Runtime, api: FakeBotApi, clock: FrozenClock) -> None:
    runtime.settings = bot_settings(runtime.settings, api, web_url=WEB_URL,
                                    webhook_listen="127.0.0.1:0")
    async with running_poller(runtime, api):
        coordinators = [await _join(runtime, api, user) for user in COORDINATORS]
        anna = TelegramChat(api, runtime.sessions, user_id=REGISTRANT)
        await anna.send("/start")
        await anna.run(SOPHIE.profile)
        await anna.send("/aanmelden")
        await anna.run(SOPHIE.form)
        await anna.press("submit")
        (stored,) = await registrations(runtime)
        rid = stored["id"]
        ilse = coordinators[0]
        await ilse.settle()
        note = _notification(api, 501)
        # "Bekijken" opens the Mini App (Telegram accepted the web_app button).
        assert (note.reply_markup or {})["inline_keyboard"][0][0]["web_app"]["url"] == \
            f"{WEB_URL}/?to=case/{rid}"
        # Pressed the old way (r.view), it still only offers the Mini App.
        ilse.push_data(f"r.view.{rid}", note.message_id)
        await ilse.settle()
        ilse.push_data(f"r.pdf.{rid}", note.message_id)
        await ilse.settle()
        assert not api.calls_to("sendDocument")
        ilse.push_data(f"r.take.{rid}", note.message_id)
        await ilse.settle()
        # The two sides write to each other: delivered, and gone again after a day.
        ilse.push_data(f"r.ask.{rid}", note.message_id)
        await ilse.settle()
        await ilse.send("Is de kraamzorg al geregeld?")
        question = next(m for m in api.bot_messages(REGISTRANT)
                        if "kraamzorg al geregeld" in unisolated(m.text or ""))
        anna.push_data(f"r.answer.{rid}", question.message_id)
        await anna.settle()
        await anna.send("Ja, vanaf week 37.")
        assert any("vanaf week 37" in unisolated(m.text or "") for m in api.bot_messages(501))
        for user in COORDINATORS:
            assert _leaks(api, user) == [], user
        clock.advance(hours=24, minutes=1)
        api.advance(24 * 3600 + 60)
        assert await api.wait_for_async(lambda a: not any(
            "kraamzorg al geregeld" in unisolated(m.text or "") for m in a.bot_messages(REGISTRANT))
            and not any("vanaf week 37" in unisolated(m.text or "") for m in a.bot_messages(501)),
            timeout=10)
    # The whole exchange stays with the case (the Mini App shows it).
    assert _notification(api, 501)


async def test_without_a_web_address_the_chat_view_needs_the_pin(
        runtime: Runtime, api: FakeBotApi) -> None:
    runtime.settings = bot_settings(runtime.settings, api, admin_ids="900")
    api.add_user(900)
    async with running_poller(runtime, api):
        ilse = await _join(runtime, api, 501)
        anna = TelegramChat(api, runtime.sessions, user_id=REGISTRANT)
        await anna.send("/start")
        await anna.run(SOPHIE.profile)
        await anna.send("/aanmelden")
        await anna.run(SOPHIE.form)
        await anna.press("submit")
        (stored,) = await registrations(runtime)
        await ilse.settle()
        note = _notification(api, 501)
        ilse.push_data(f"r.view.{stored['id']}", note.message_id)
        await ilse.settle()
        assert "persoonlijke PIN" in ilse.last_text() and _leaks(api, 501) == []
        await ilse.send("40917")
        await ilse.send("40917")
        assert any("Sophie Jansen" in t for t in ilse.texts())
        # Every PIN typed is gone from the chat.
        assert not [m for m in api.user_messages(501) if m.text == "40917"]
        # Later, in a new session: five wrong PINs lock it, and the administrator hears.
        ilse.push_data(f"r.view.{stored['id']}", note.message_id)
        await ilse.settle()  # (still unlocked: the view again, no PIN asked)
        assert "PIN" not in ilse.last_text()
    async with runtime.sessions() as session, session.begin():
        from kks_bot import pins

        await pins.end_sessions(session, 501)
    async with running_poller(runtime, api):
        for _ in range(5):
            ilse.push_data(f"r.view.{stored['id']}", note.message_id)
            await ilse.settle()
            await ilse.send("99999")
        assert "geblokkeerd" in ilse.last_text()
        assert not [m for m in api.user_messages(501) if m.text == "99999"]
        assert await api.wait_for_async(lambda a: any(
            "geblokkeerd" in unisolated(m.text or "") and "501" in unisolated(m.text or "")
            for m in a.bot_messages(900)), timeout=10)
