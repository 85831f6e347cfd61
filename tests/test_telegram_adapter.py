"""Transcript tests through the Telegram adapter, with python-telegram-bot's real serialisation.

A real ``telegram.Bot`` (made by :func:`make_bot`) talks to the fake Bot API in-process
(:class:`FakeRequest`, or over HTTP with :class:`FakeBotApiServer` for the log test); our
:class:`Poller` runs as an asyncio task. The user's side pushes updates into the fake and
reads the chat as a phone would show it (tests/telegram_driver.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import event, func, select
from telegram import Update

from conversations import AANMELDFORMULIER
from kks_bot.channels.telegram.transport import make_bot
from kks_bot.channels.telegram.updates import ADMIN_COMMANDS, COMMANDS, update_to_event
from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.db.models import Account, Draft, Outbox, ProcessedUpdate
from kks_bot.forms import positions as ff
from kks_bot.i18n import N_, translator
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.logging_setup import setup_logging
from kks_bot.runtime import Runtime, build
from tests.support.fakebot import (
    FakeBotApi,
    FakeBotApiServer,
    FakeClock,
    FakeRequest,
)

from .cases import CASES, SOPHIE, Case, Step
from .conftest import START
from .telegram_driver import (
    TelegramChat,
    bot_settings,
    button_data,
    conversation,
    keyboard_message,
    outbox_rows,
    running_poller,
)
from .walking import registrations

USER = 4242
TR = translator()

ONLY_TEXT = N_("Ik kan alleen tekst en de knoppen lezen, geen foto's, spraakberichten, "
               "stickers of locaties. Typ je antwoord of kies een knop.")
EARLIER = N_("Die knop hoort bij een eerder bericht. Hier is waar je nu bent:")
TOO_OLD = N_("Ik kon je bericht niet uit de chat wissen (het is te oud). "
             "Wis het zelf, want het bevat gegevens van het gezin.")


def t(locale: str, message: str) -> str:
    return TR.t(locale, message)


@pytest.fixture
def api() -> FakeBotApi:
    # The fake's clock starts where the core's FrozenClock starts.
    return FakeBotApi(clock=FakeClock(START.timestamp()))


def make_chat(api: FakeBotApi, runtime: Runtime, case: Case = SOPHIE) -> TelegramChat:
    return TelegramChat(api, runtime.sessions, user_id=USER, language=case.language)


def form_index(case: Case, step: Step) -> int:
    return case.form.index(step)


async def start_form(chat: TelegramChat, case: Case) -> tuple[int, int]:
    """/start, the profile, /aanmelden. Returns the message ids of the user's /aanmelden and
    of the bot's consent question (the last message outside the draft)."""
    await chat.send("/start")
    await chat.run(case.profile)
    await chat.send("/aanmelden")
    aanmelden = [m for m in chat.api.user_messages(USER) if m.text == "/aanmelden"][-1]
    consent = chat.keyboard()
    assert consent.message_id > aanmelden.message_id
    return aanmelden.message_id, consent.message_id


def family_typed(chat: TelegramChat) -> tuple[list[str], list[str]]:
    """The texts typed in the form, split into (family data, not family data), by the field
    that was asked when the text was typed."""
    family: list[str] = []
    other: list[str] = []
    for _update_id, before, (kind, value) in chat.history:
        if kind != "type" or before is None or before[0] != "form":
            continue
        field = ff.parse_pos(AANMELDFORMULIER, before[1]).field
        (family if field is None or field.family_data else other).append(value)
    return family, other


async def one_registration(runtime: Runtime) -> dict[str, Any]:
    stored = await registrations(runtime)
    assert len(stored) == 1, stored
    return stored[0]


# ------------------------------------------------------------------------- the three cases


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_case_registered_through_telegram_and_chat_wiped(
        case: Case, runtime: Runtime, api: FakeBotApi) -> None:
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        aanmelden_id, consent_id = await start_form(chat, case)
        for step in case.form:
            await chat.do(step)
        review = chat.keyboard()
        assert "submit" in [d.partition(".")[2] for _, d in review.buttons], review.text
        await chat.press("submit")

    # The stored registration has the case's answers.
    registration = await one_registration(runtime)
    assert registration["reference"] == "KKS-2026-0001"
    assert registration["status"] == "ingediend"
    assert registration["locale"] == case.language
    answers = registration["answers"]
    for key, value in case.expect.items():
        assert answers.get(key) == value, (key, answers.get(key))

    # The confirmation is the bot's newest visible message.
    confirmation = api.last_bot_message(USER)
    assert confirmation is not None and "KKS-2026-0001" in (confirmation.text or "")
    assert keyboard_message(api, USER) is confirmation  # its menu buttons are the live ones

    # Privacy: no typed family answer is visible any more ...
    family, other = family_typed(chat)
    assert family, "the script typed no family data?"
    visible_typed = [m.text for m in api.user_messages(USER) if m.message_id > aanmelden_id]
    assert not set(family) & set(visible_typed), set(family) & set(visible_typed)
    assert sorted(visible_typed, key=str) == sorted(other, key=str)
    assert api.calls_to("deleteMessage"), "answers were not deleted one by one"
    # ... and of the bot's messages since /aanmelden only the consent question (asked
    # before the draft existed) and the confirmation are left: the walk is gone.
    after = [m for m in api.all_bot_messages(USER) if m.message_id > aanmelden_id]
    assert [m.message_id for m in after if not m.deleted] == [consent_id,
                                                             confirmation.message_id]
    # there was a walk to delete: a new message for every step but the toggles (edits)
    assert len(after) - 2 >= len([s for s in case.form if not s[1].startswith("t:")])
    assert api.calls_to("deleteMessages")
    # Everything the bot was asked to deliver was delivered, every button press answered.
    assert {r.status for r in await outbox_rows(runtime.sessions)} == {"sent"}
    assert api.unanswered_callback_queries() == []


# ---------------------------------------------------------------------- 48-hour window


async def test_answer_older_than_48_hours_is_not_deleted_and_the_bot_says_so(
        runtime: Runtime, api: FakeBotApi, clock: FrozenClock) -> None:
    case = SOPHIE
    name_at = form_index(case, ("type", "Sophie Jansen"))
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        await chat.run(case.form[:name_at])
        question = chat.keyboard()
        # The answer reaches the bot only after two days (the phone was offline, the bot
        # was down): Telegram no longer lets the bot delete it.
        chat.push_text("Sophie Jansen")
        api.advance(49 * 3600)
        await chat.settle()
        assert api.calls_to("deleteMessage")[-1]["chat_id"] == USER
        still_there = [m for m in api.user_messages(USER) if m.text == "Sophie Jansen"]
        assert len(still_there) == 1
        texts = chat.texts()
        assert t("nl", TOO_OLD) in texts
        # The answer itself was taken: the walk went on to the next question.
        assert chat.keyboard().message_id != question.message_id
        assert chat.keyboard().text != question.text

        # Finish the form two days later (for the bot as well): the walk's messages are
        # too old to delete, and the bot says how many it left.
        await chat.run(case.form[name_at + 1:])
        clock.advance(hours=49)
        before_submit = {m.message_id for m in api.bot_messages(USER)}
        await chat.press("submit")
    registration = await one_registration(runtime)
    assert registration["answers"]["moeder_naam"] == "Sophie Jansen"
    notes = [m.text or "" for m in api.bot_messages(USER)
             if m.message_id not in before_submit and "48" in (m.text or "")]
    assert len(notes) == 1, notes
    assert "kon ik niet wissen" in notes[0]
    assert any("KKS-2026-0001" in text for text in chat.texts())


async def test_answer_the_user_deleted_first_gets_no_too_old_note(
        runtime: Runtime, api: FakeBotApi) -> None:
    case = SOPHIE
    name_at = form_index(case, ("type", "Sophie Jansen"))
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        await chat.run(case.form[:name_at])
        chat.push_text("Sophie Jansen")
        typed = api.user_messages(USER)[-1]
        assert typed.text == "Sophie Jansen"
        typed.deleted = True  # the user deleted it (for both sides) before the bot could
        await chat.settle()
        assert (await _draft_answers(runtime))["moeder_naam"] == "Sophie Jansen"
        assert t("nl", TOO_OLD) not in chat.texts()


async def test_walk_message_whose_send_timed_out_is_still_wiped(
        runtime: Runtime, api: FakeBotApi) -> None:
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime)
        await chat.send("/aanmelden")  # no profile needed to start a draft
        consent = chat.keyboard()
        api.set_fault_rate(1.0, kinds=("timeout",), methods=["sendMessage"])
        await chat.press("yes")  # both messages reach the chat; the answers do not
        api.clear_faults()
        assert chat.keyboard().message_id > consent.message_id  # the question is there
        await chat.press("cancel")
        await chat.press("yes:")
        assert "gewist" in chat.last_text()
    left = [m.text for m in api.bot_messages(USER) if m.message_id > consent.message_id]
    assert left[:-1] == []


# ------------------------------------------------------------------------- command menu


async def test_command_menu_is_set_per_language(runtime: Runtime, api: FakeBotApi) -> None:
    async with running_poller(runtime, api):
        pass
    calls = api.calls_to("setMyCommands")
    assert sorted(str(c.get("language_code") or "") for c in calls) == ["", "ar", "en"]
    for locale, code in (("nl", ""), ("en", "en"), ("ar", "ar")):
        stored = api.commands(code)
        assert [c["command"] for c in stored] == [name for name, _ in COMMANDS[locale]]
        assert [c["description"] for c in stored] == [
            TR.t(locale, description) for _, description in COMMANDS[locale]]
    assert api.commands("en") != api.commands("")  # translated, not Dutch everywhere
    assert api.commands("ar") != api.commands("en")
    api.add_user(7, language_code="en")
    api.add_user(8, language_code="ar")
    api.add_user(9, language_code="de")  # no menu of its own: the default (Dutch) one
    assert [c["command"] for c in api.commands_for_user(7)][1] == "register"
    assert api.commands_for_user(8) == api.commands("ar")
    assert api.commands_for_user(9) == api.commands("")


async def test_an_administrator_sees_the_administration_command_in_the_menu(
        runtime: Runtime, api: FakeBotApi) -> None:
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900, 901"})
    async with running_poller(runtime, api):
        pass
    api.add_user(900, language_code="nl")
    api.add_user(901, language_code="ar")
    api.add_user(7, language_code="nl")
    assert [c["command"] for c in api.commands_for_user(900)][-1] == "beheer"
    assert [c["command"] for c in api.commands_for_user(901)][-1] == "admin"
    assert [c["description"] for c in api.commands_for_user(901)][-1] == TR.t(
        "ar", ADMIN_COMMANDS["ar"][0][1])
    assert "beheer" not in [c["command"] for c in api.commands_for_user(7)]


async def test_bot_starts_when_set_my_commands_is_rejected(
        runtime: Runtime, api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    api.fail_method("setMyCommands", 400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    api.fail_method("deleteWebhook", 500, "Internal Server Error")
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime)
        await chat.send("/start")
    assert len(api.calls_to("setMyCommands")) == 3
    assert api.commands("") == []
    assert "Knooppunt Kansrijke Start" in " ".join(chat.texts())
    assert chat.keyboard() is not None
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sum("setMyCommands" in w for w in warnings) == 3, warnings


# ---------------------------------------------------------------------- the bot token


async def test_token_never_logged(settings: Settings, caplog: pytest.LogCaptureFixture,
                                  capfd: pytest.CaptureFixture[str]) -> None:
    """Over real HTTP (httpx logs request URLs, and the token is in the URL), with logging
    set up as ``kks-bot run`` does at KKS_LOG_LEVEL=DEBUG, and with failures to log.

    The system clock (as in production): the 429 below is retried a second later."""
    runtime = await build(settings)
    token = "7350123456:AAFk3-Test_Token_zq9XcVb8NmL0pQrStUv"
    api = FakeBotApi(token=token, clock=FakeClock(START.timestamp()))
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    noisy = ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "asyncio")
    saved_levels = {name: logging.getLogger(name).level for name in noisy}
    caplog.set_level(logging.DEBUG)
    try:
        setup_logging("DEBUG", [token])
        root.addHandler(caplog.handler)  # setup_logging replaced the root's handlers
        with FakeBotApiServer(api, timeout_delay=0.2) as server:
            settings = bot_settings(runtime.settings, api, telegram_api_base_url=server.url,
                                    poll_timeout=1)
            bot = make_bot(settings)  # python-telegram-bot's own HTTPXRequest
            api.fail_method("getUpdates", 500, "Internal Server Error", times=1)
            api.fail_method("sendMessage", 429, "Too Many Requests: retry after 1", times=1)
            api.fail_method("setMyCommands", 400, "Bad Request: nope", times=1)
            async with running_poller(runtime, api, bot=bot):
                chat = make_chat(api, runtime)
                await chat.send("/start")
                await chat.run(SOPHIE.profile[:2])
                # The libraries' own debug logging too (it still goes through the filter).
                for name in ("httpx", "httpcore", "telegram"):
                    logging.getLogger(name).setLevel(logging.DEBUG)
                await chat.run(SOPHIE.profile[2:])
                await chat.send("/aanmelden")
        out, err = capfd.readouterr()
    finally:
        await runtime.close()
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
    assert api.calls_to("getMe")  # it really ran over HTTP, with this token
    assert "Dank je" in " ".join(chat.texts())
    logged = [r.getMessage() for r in caplog.records]
    assert any("polling started" in m for m in logged)
    assert any("getUpdates failed" in m for m in logged)
    assert any(r.name.startswith("httpx") for r in caplog.records)  # URLs were logged ...
    for text in (caplog.text, err, out, *logged):
        assert token not in text  # ... but never the token
        assert token.split(":")[1] not in text
    assert "<redacted" in err


# ------------------------------------------------------------------- repeated updates


class RecordingRequest(FakeRequest):
    """Records the raw updates getUpdates returned (to deliver one again)."""

    def __init__(self, api: FakeBotApi) -> None:
        super().__init__(api)
        self.updates: list[dict[str, Any]] = []

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, body = await super().do_request(url, method, request_data, *args, **kwargs)
        if url.endswith("/getUpdates") and status == 200:
            self.updates.extend(json.loads(body)["result"])
        return status, body


async def _effects(runtime: Runtime) -> tuple[int, int]:
    async with runtime.sessions() as session:
        outbox = (await session.execute(select(func.count()).select_from(Outbox))).scalar()
        inbox = (await session.execute(select(func.count()).select_from(ProcessedUpdate))
                 ).scalar()
    return int(outbox or 0), int(inbox or 0)


async def _draft_answers(runtime: Runtime) -> dict[str, Any]:
    async with runtime.sessions() as session:
        draft = (await session.execute(select(Draft))).scalar_one()
        answers: dict[str, Any] = runtime.cipher.open_json(draft.answers_sealed,
                                                           f"draft:{draft.id}")
        return answers


def ticked(chat: TelegramChat, action: str) -> bool:
    return any(label.startswith("☑️") and data.endswith("." + action)
               for label, data in chat.keyboard().buttons)


async def test_repeated_update_takes_effect_once(runtime: Runtime, api: FakeBotApi) -> None:
    case = SOPHIE
    recorder = RecordingRequest(api)
    bot = make_bot(bot_settings(runtime.settings, api), request=FakeRequest(api),
                   get_updates_request=recorder)
    toggle_at = form_index(case, ("press", "t:relatie"))
    add_at = form_index(case, ("press", "g:add"))

    async def again(update_id: int) -> None:
        """Telegram delivers the update with ``update_id`` once more."""
        raw = next(u for u in recorder.updates if u["update_id"] == update_id)
        event = update_to_event(Update.de_json(raw, bot))
        assert event is not None and event.update_id == update_id
        before = await _effects(runtime)
        assert await runtime.kernel.handle(event) is False
        assert await _effects(runtime) == before

    async with running_poller(runtime, api, bot=bot):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        await chat.run(case.form[:add_at])
        # A group's "add" delivered twice must not add a second (empty) item.
        add = await chat.push_step(case.form[add_at])
        await chat.settle()
        await again(add)
        assert len((await _draft_answers(runtime)).get("hulpverleners") or []) == 1
        await chat.run(case.form[add_at + 1:toggle_at])
        # A tick toggled twice would be unticked again.
        toggle = await chat.push_step(case.form[toggle_at])
        await chat.settle()
        calls = len(api.calls)
        await again(toggle)
        await again(toggle)
        assert [m for m, _ in api.calls[calls:] if m != "getUpdates"] == []  # no edit
        assert ticked(chat, "t:relatie")

        # The poller itself gets the next toggle twice: handling it "fails" after the commit
        # (the database connection dropped on the way back, say), so the poller does not
        # confirm it and getUpdates delivers the same update again.
        second = toggle_at + 1
        assert case.form[second] == ("press", "t:financien")
        handle = runtime.kernel.handle
        results: list[bool] = []

        async def lost_on_the_way_back(event: Inbound) -> bool:
            result = await handle(event)
            results.append(result)
            if len(results) == 1:
                raise ConnectionResetError("connection lost after the commit")
            return result

        runtime.kernel.handle = lost_on_the_way_back  # type: ignore[method-assign]
        try:
            edits = len(api.calls_to("editMessageText"))
            await chat.push_step(case.form[second])
            await chat.settle()  # confirmed only after the second delivery
        finally:
            del runtime.kernel.handle  # type: ignore[method-assign]
        assert results == [True, False]
        assert len(api.calls_to("editMessageText")) == edits + 1
        assert ticked(chat, "t:financien") and ticked(chat, "t:relatie")

        # A typed answer handed to the core twice (the same Inbound, the same update id).
        await chat.run(case.form[second + 1:-3])
        kind, text = case.form[-3]
        assert kind == "type"
        state = await conversation(runtime.sessions, USER)
        event = Inbound(user_id=USER, chat_id=USER, kind=InKind.TEXT, text=text,
                        update_id=10_000_000, language_code="nl")
        assert await runtime.kernel.handle(event) is True
        after_first = await _effects(runtime), await conversation(runtime.sessions, USER)
        assert after_first[1] != state
        assert await runtime.kernel.handle(event) is False
        assert (await _effects(runtime), await conversation(runtime.sessions, USER)) \
            == after_first
        await chat.settle()  # its reply is delivered
        await chat.run(case.form[-2:])
        await chat.press("submit")
    answers = (await one_registration(runtime))["answers"]
    assert answers["kwetsbaarheden"] == case.expect["kwetsbaarheden"]
    assert len(answers["hulpverleners"]) == 1
    assert answers["kinderen"] == []


# ------------------------------------------------------- media and old buttons in the form


@pytest.mark.parametrize("media", ["photo", "sticker", "voice", "location"])
async def test_media_in_the_form_gets_the_friendly_answer(
        media: str, runtime: Runtime, api: FakeBotApi) -> None:
    case = SOPHIE
    name_at = form_index(case, ("type", "Sophie Jansen"))
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        await chat.run(case.form[:name_at])
        question = chat.keyboard()
        state = await conversation(runtime.sessions, USER)
        await chat.media(media)
        texts = chat.texts()
        # One message: the friendly answer on top of the question, asked again below the
        # media; nothing moved.
        again = chat.keyboard()
        assert again.message_id > question.message_id
        assert (again.text or "").startswith(t("nl", ONLY_TEXT))
        assert (again.text or "").endswith(question.text or "")
        assert texts[-1] == again.text
        assert (await conversation(runtime.sessions, USER) or ())[:2] == state[:2]
        # What was sent is wiped from the chat (it may show the family).
        assert [m.kind for m in api.user_messages(USER)].count(media) == 0
        await chat.run(case.form[name_at:name_at + 2])
    assert (await _draft_answers(runtime))["moeder_naam"] == "Sophie Jansen"


async def test_media_then_whole_form_and_old_button(runtime: Runtime, api: FakeBotApi) -> None:
    """All four kinds at one step, a press on an old message, and the case still comes out
    exactly as without them."""
    case = SOPHIE
    name_at = form_index(case, ("type", "Sophie Jansen"))
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        await chat.run(case.form[:name_at])
        question = chat.keyboard()
        state = await conversation(runtime.sessions, USER)
        for media in ("photo", "sticker", "voice", "location"):
            reply = await chat.media(media)
            assert reply.endswith(question.text or "")
            assert (await conversation(runtime.sessions, USER) or ())[:2] == state[:2]
        # A button of an older message (the "Ja" of the consent question).
        consent = next(m for m in api.bot_messages(USER) if button_data(m, "yes"))
        chat.push_data(button_data(consent, "yes") or "", consent.message_id, "yes")
        await chat.settle()
        assert (chat.keyboard().text or "").startswith(t("nl", EARLIER))
        assert (chat.keyboard().text or "").endswith(question.text or "")
        assert chat.keyboard().message_id > question.message_id
        assert (await conversation(runtime.sessions, USER) or ())[:2] == state[:2]
        # A button of the question before (same kind of step, older nonce).
        previous = [m for m in api.bot_messages(USER)
                    if m.buttons and m.message_id < question.message_id][-1]
        stale = next(d for _, d in previous.buttons if d.partition(".")[2] != "")
        chat.push_data(stale, previous.message_id)
        await chat.settle()
        assert chat.last_text().endswith(question.text or "")
        assert (await conversation(runtime.sessions, USER) or ())[:2] == state[:2]
        await chat.run(case.form[name_at:])
        await chat.press("submit")
    answers = (await one_registration(runtime))["answers"]
    for key, value in case.expect.items():
        assert answers.get(key) == value, (key, answers.get(key))
    assert api.unanswered_callback_queries() == []


# ---------------------------------------------------------------------------- groups


async def test_group_chat_message_is_ignored(runtime: Runtime, api: FakeBotApi) -> None:
    now = int(api.clock())
    sender = {"id": USER, "is_bot": False, "first_name": "Anna", "language_code": "nl"}
    group = {"id": -1001234567890, "type": "supergroup", "title": "Wijkteam"}
    small = {"id": -4321, "type": "group", "title": "Overleg"}
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime)
        for target in (group, small):
            api.push_raw({"message": {
                "message_id": 11, "from": sender, "chat": target, "date": now,
                "text": "/start", "entities": [{"type": "bot_command", "offset": 0,
                                                "length": 6}]}})
            api.push_raw({"message": {
                "message_id": 12, "from": sender, "chat": target, "date": now,
                "text": "Sophie Jansen, 12-3-2001, Akerstraat 12 Heerlen"}})
        chat.last_update_id = api.push_raw({"message": {
            "message_id": 13, "from": sender, "chat": group, "date": now,
            "photo": [{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}]}})
        await chat.settle()
        assert api.calls_to("sendMessage") == []
        assert await outbox_rows(runtime.sessions) == []
        async with runtime.sessions() as session:
            assert await session.get(Account, USER) is None
        # The same person in a private chat gets an answer.
        await chat.send("/start")
        assert "Knooppunt" in " ".join(chat.texts())
    assert {c["chat_id"] for c in api.calls_to("sendMessage")} == {USER}


async def test_a_flood_is_read_in_one_go_and_the_others_are_answered(
        runtime: Runtime, api: FakeBotApi) -> None:
    """Sixty messages of one user and another user's /start in one batch of updates:
    the other is answered; the flooder's first three are read, then one "slow down";
    the rest is recorded as read in one transaction, not one each, so it delays nobody."""
    flooder, other = 7001, 7002
    for n in range(60):
        api.push_text(flooder, f"hallo {n}", language_code="en")
    last = api.push_text(other, "/start", language_code="en")
    recorded: list[str] = []  # statements that record update ids

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.startswith("INSERT INTO processed_update"):
            recorded.append(statement)

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count)
    try:
        async with running_poller(runtime, api):
            assert await api.wait_for_async(lambda a: bool(a.all_bot_messages(other)), 15)
            assert await api.wait_for_async(
                lambda a: any(c.get("offset", 0) > last for c in a.calls_to("getUpdates")),
                15)
    finally:
        event.remove(runtime.engine.sync_engine, "before_cursor_execute", count)
    async with runtime.sessions() as session:
        read = (await session.execute(select(func.count()).select_from(
            ProcessedUpdate))).scalar_one()
    assert read == 61  # every update recorded: none is fetched again
    told = [m for m in api.all_bot_messages(flooder) if "Slow down" in m.text]
    assert len(told) == 1
    assert "Knooppunt" in " ".join(m.text for m in api.all_bot_messages(other))
    # Four updates read one by one (the other's /start and the flooder's first three),
    # the others together.
    assert len(recorded) <= 6


# ------------------------------------------------------------- a bot token is required


def test_make_bot_needs_a_token(runtime: Runtime) -> None:
    settings = runtime.settings.model_copy(update={"telegram_bot_token": SecretStr("")})
    with pytest.raises(SystemExit, match="TELEGRAM_BOT_TOKEN"):
        make_bot(settings)


# ------------------------------------------------------------------------- typed markup


async def test_typed_markup_reaches_telegram_as_text(runtime: Runtime, api: FakeBotApi) -> None:
    """The fake parses HTML as strictly as Telegram: "<", "&" and tag names typed by the
    professional show as typed in the review, the profile and the confirmation."""
    hulpvraag = "Inkomen < bijstandsnorm & schulden; Sophie <3 baby <b>nu</b> &amp;"
    organisation = "Verloskundigen <Heerlen> & \"Co\""
    profile = [("type", organisation), *SOPHIE.profile[1:]]
    form = [("type", hulpvraag) if value.startswith("Sophie is 28 weken") else (kind, value)
            for kind, value in SOPHIE.form]
    case = Case("Sophie <3", "nl", profile, form)
    async with running_poller(runtime, api):
        chat = make_chat(api, runtime, case)
        await start_form(chat, case)
        for step in case.form:
            await chat.do(step)
        review = "\n".join(m.text or "" for m in api.bot_messages(USER))
        assert hulpvraag in review and organisation in review
        await chat.press("submit")
        await chat.send("/profiel")
        assert organisation in chat.last_text()
    assert (await one_registration(runtime))["answers"]["hulpvraag"] == hulpvraag
    assert {r.status for r in await outbox_rows(runtime.sessions)} == {"sent"}
