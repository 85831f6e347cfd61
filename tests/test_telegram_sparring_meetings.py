"""Sparring and the family's reminders through the real Telegram adapter (python-telegram-bot
against the fake Bot API): what a professional and a family see on their phones."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from kks_bot.clock import FrozenClock
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeClock

from .conftest import START
from .telegram_driver import TelegramChat, running_poller
from .test_meetings import _case, _plan


@pytest.fixture
def api() -> FakeBotApi:
    # Update ids above those the in-memory chats of the same database used (the poller
    # starts after the highest update id it has processed, as after a restart).
    return FakeBotApi(clock=FakeClock(START.timestamp()), first_update_id=1_000_000_000)


@pytest.mark.parametrize(("locale", "advice", "safety"), [
    ("nl", "Knooppunt Kansrijke Start", "Veilig Thuis"),
    ("en", "Knooppunt Kansrijke Start", "Veilig Thuis"),
    ("ar", "Knooppunt Kansrijke Start", "Veilig Thuis")])
async def test_guided_check_over_telegram(runtime: Runtime, api: FakeBotApi, locale: str,
                                          advice: str, safety: str) -> None:
    async with running_poller(runtime, api):
        phone = TelegramChat(api, runtime.sessions, user_id=4242, language=locale)
        await phone.send("/sparren")
        await phone.press("sp:check")
        await phone.press("o:nee")
        question = phone.last_text()
        await phone.press("safety")
        said = phone.last_text()
        assert "112" in said and "0800-2000" in said and safety in said
        assert question.splitlines()[-1] in said  # the same question, nothing lost
        await phone.press("o:ja")
        await phone.press("done")
        for tick in ("relatie", "financien", "stress"):
            await phone.press(f"t:{tick}")
        await phone.press("done")
        await phone.press("done")
        result = await phone.press("o:ja")
        assert advice in result
        labels = [label for label, _ in phone.keyboard().buttons]
        assert any(label.startswith("📝") for label in labels)
        # A question in their own words, answered in their language.
        await phone.send("/sparren")
        await phone.press("sp:faq")
        answer = await phone.send({"nl": "mag het gezin iemand meenemen naar het overleg",
                                   "en": "can the family bring someone to the meeting",
                                   "ar": "هل يمكن للعائلة أن تحضر شخصا معها إلى الاجتماع"}[
                                      locale])
        assert "Nog een vraag" not in answer or locale == "nl"
        assert len(answer) > 80


async def test_family_opts_in_and_gets_the_reminder_over_telegram(
        runtime: Runtime, api: FakeBotApi, chat_factory, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    token = link.rsplit("/start ", 1)[1].strip()
    runtime.settings = runtime.settings.model_copy(update={"dispatch_seconds": 0.1})
    async with running_poller(runtime, api):
        family = TelegramChat(api, runtime.sessions, user_id=3003, language="ar")
        await family.send(f"/start {token}")
        await family.press("fam:lang:ar")
        invitation = await family.press("fam:yes")
        assert "ديسمبر" in invitation or any("ديسمبر" in t for t in family.texts())
        before = len(family.texts())
        clock.set(datetime(2026, 12, 13, 13, 31, tzinfo=UTC))  # two days before
        deadline = time.monotonic() + 10
        while len(family.texts()) == before and time.monotonic() < deadline:
            await api.wait_for_async(lambda a: len(a.bot_messages(3003)) > before, timeout=1)
        reminder = family.texts()[-1]
        assert "14:30" in reminder and "ديسمبر" in reminder
        message = family.keyboard()
        family.push_data(message.buttons[0][1], message.message_id)  # "I'll come"
        await family.settle()
        assert "ستحضرون" in family.last_text()  # "Fijn dat je komt!"
    async with runtime.sessions() as session:
        from sqlalchemy import select

        from kks_bot.db.models import AuditEvent
        actions = [a.action for a in (await session.execute(select(AuditEvent))).scalars()]
    assert "family_yes" in actions
