"""Tests for the fake Telegram Bot API (tests.support.fakebot).

A real telegram.Bot drives the fake, in-process (FakeRequest) and over HTTP
(FakeBotApiServer + python-telegram-bot's own HTTPXRequest), so that python-telegram-bot's
real encoding, parsing and error mapping run.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.support.fakebot import (
    FakeBotApi,
    FakeBotApiServer,
    FakeClock,
    FakeRequest,
    buttons,
)

USER = 1000
TOKEN = "123456:TEST-TOKEN"


def ci(text: str) -> str:
    """Case-insensitive literal pattern: python-telegram-bot str.capitalize()s messages."""
    return "(?i)" + re.escape(text)


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


def inproc_bot_for(api: FakeBotApi, token: str = TOKEN) -> telegram.Bot:
    return telegram.Bot(token, request=FakeRequest(api), get_updates_request=FakeRequest(api))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def api(clock: FakeClock) -> FakeBotApi:
    return FakeBotApi(clock=clock)


@pytest.fixture
def server(api: FakeBotApi) -> Iterator[FakeBotApiServer]:
    with FakeBotApiServer(api, timeout_delay=0.6) as srv:
        yield srv


def http_bot_for(server: FakeBotApiServer, token: str = TOKEN, **request: float) -> telegram.Bot:
    return telegram.Bot(
        token,
        base_url=server.url + "/bot",
        base_file_url=server.url + "/file/bot",
        request=HTTPXRequest(**request),  # type: ignore[arg-type]
        get_updates_request=HTTPXRequest(**request),  # type: ignore[arg-type]
    )


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        TOKEN, request=FakeRequest(api), get_updates_request=FakeRequest(api)
    ) as b:
        yield b


@pytest.fixture
async def http_bot(server: FakeBotApiServer) -> AsyncIterator[telegram.Bot]:
    async with http_bot_for(server) as b:
        yield b


@pytest.fixture(params=["in-process", "http"])
async def any_bot(request: pytest.FixtureRequest, api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    """The same tests through both transports."""
    if request.param == "in-process":
        async with telegram.Bot(
            TOKEN, request=FakeRequest(api), get_updates_request=FakeRequest(api)
        ) as b:
            yield b
    else:
        with FakeBotApiServer(api) as srv:
            async with http_bot_for(srv) as b:
                yield b


# --- basics ------------------------------------------------------------------------------------


async def test_get_me(any_bot: telegram.Bot) -> None:
    me = await any_bot.get_me()
    assert me.id == 123456
    assert me.is_bot
    assert me.username == "kks_test_bot"


async def test_pushed_text_arrives_as_real_update(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    update_id = api.push_text(USER, "/start abc", language_code="nl", first_name="Ans")
    updates = await any_bot.get_updates(timeout=1)
    assert [u.update_id for u in updates] == [update_id] == [1]
    update = updates[0]
    assert isinstance(update, telegram.Update)
    assert update.message is not None
    assert update.message.text == "/start abc"
    assert update.effective_user is not None
    assert update.effective_user.language_code == "nl"
    assert update.effective_user.first_name == "Ans"
    assert update.effective_chat is not None and update.effective_chat.id == USER
    assert update.message.entities[0].type == "bot_command"
    assert update.message.parse_entities(["bot_command"]) == {update.message.entities[0]: "/start"}
    # python-telegram-bot's own command parsing works on it
    assert update.message.text.split()[0] == "/start"


async def test_text_that_looks_like_json_stays_text(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    for text in ("[1, 2]", '{"a": 1}', "123", "true", "null"):
        sent = await any_bot.send_message(USER, text)
        assert sent.text == text
        assert api.last_bot_message(USER) is not None
        assert api.last_bot_message(USER).text == text  # type: ignore[union-attr]
    assert api.calls_to("sendMessage")[-1]["chat_id"] == USER  # decoded to int


async def test_offset_confirmation(api: FakeBotApi) -> None:
    first = api.push_text(USER, "one")
    second = api.push_text(USER, "two")
    async with inproc_bot_for(api) as b:
        got = await b.get_updates()
        assert [u.update_id for u in got] == [first, second]
        # unconfirmed updates are delivered again
        assert [u.update_id for u in await b.get_updates()] == [first, second]
        # offset confirms `first` (and everything before) for good
        got = await b.get_updates(offset=first + 1)
        assert [u.update_id for u in got] == [second]
    # "crash": a new process polls without offset; the unconfirmed update comes back ...
    async with inproc_bot_for(api) as restarted:
        assert [u.update_id for u in await restarted.get_updates()] == [second]
        # ... the confirmed one never does
        assert [u.update_id for u in await restarted.get_updates(offset=second + 1)] == []
        third = api.push_text(USER, "three")
        assert [u.update_id for u in await restarted.get_updates(offset=1)] == [third]
    assert api.pending_update_count() == 1


async def test_limit_and_negative_offset(bot: telegram.Bot, api: FakeBotApi) -> None:
    ids = [api.push_text(USER, str(i)) for i in range(5)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[-2:]
    assert api.pending_update_count() == 2  # the others were forgotten


async def test_long_poll_returns_early_on_push(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    threading.Timer(0.2, lambda: api.push_text(USER, "late")).start()
    started = time.monotonic()
    updates = await any_bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    assert [u.message.text for u in updates if u.message] == ["late"]
    assert 0.1 < elapsed < 2.0


async def test_long_poll_times_out_empty(bot: telegram.Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0.3) == ()  # type: ignore[arg-type]
    assert 0.25 < time.monotonic() - started < 2.0


async def test_second_poller_terminates_first_with_conflict(bot: telegram.Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert await bot.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match=ci("terminated by other getUpdates")):
        await first


# --- sending, editing, deleting ----------------------------------------------------------------


async def test_send_edit_delete_bookkeeping(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    api.push_text(USER, "hallo")  # message_id 1 (ids are shared with the bot per chat)
    first = await any_bot.send_message(
        USER,
        "<b>Kies</b> iets",
        parse_mode="HTML",
        reply_markup=keyboard(("Ja", "y"), ("Nee", "n")),
    )
    second = await any_bot.send_message(USER, "tweede")
    assert (first.message_id, second.message_id) == (2, 3)
    assert first.text == "Kies iets"
    assert first.entities[0].type == "bold"
    assert first.text_html == "<b>Kies</b> iets"
    assert first.reply_markup == keyboard(("Ja", "y"), ("Nee", "n"))

    stored = api.bot_messages(USER)[0]
    assert stored.raw_text == "<b>Kies</b> iets" and stored.parse_mode == "HTML"
    assert buttons(stored) == [("Ja", "y"), ("Nee", "n")] == api.buttons(stored)

    edited = await any_bot.edit_message_text("Gekozen: ja", chat_id=USER, message_id=2)
    assert isinstance(edited, telegram.Message)
    assert edited.edit_date is not None
    assert edited.reply_markup is None  # Telegram drops the keyboard if not passed again
    assert await any_bot.delete_message(USER, 3) is True

    visible = api.bot_messages(USER)
    assert [(m.message_id, m.text, m.edited_count) for m in visible] == [(2, "Gekozen: ja", 1)]
    assert visible[0].reply_markup is None
    every = api.all_bot_messages(USER)
    assert [(m.message_id, m.deleted) for m in every] == [(2, False), (3, True)]
    assert [m.text for m in api.user_messages(USER)] == ["hallo"]
    assert api.last_bot_message(USER) is visible[0]

    # the keyboard can be put back, then removed again
    await any_bot.edit_message_reply_markup(USER, 2, reply_markup=keyboard(("OK", "ok")))
    assert buttons(api.last_bot_message(USER)) == [("OK", "ok")]
    await any_bot.edit_message_reply_markup(USER, 2)
    assert buttons(api.last_bot_message(USER)) == []

    with pytest.raises(BadRequest, match=ci("message is not modified")):
        await any_bot.edit_message_text("Gekozen: ja", chat_id=USER, message_id=2)
    with pytest.raises(BadRequest, match=ci("message to edit not found")):
        await any_bot.edit_message_text("x", chat_id=USER, message_id=3)
    with pytest.raises(BadRequest, match=ci("message can't be edited")):
        await any_bot.edit_message_text("x", chat_id=USER, message_id=1)
    with pytest.raises(BadRequest, match=ci("message to delete not found")):
        await any_bot.delete_message(USER, 3)


async def test_delete_after_48_hours_fails(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    old = await bot.send_message(USER, "oud")
    api.advance(48 * 3600 - 1)
    young = await bot.send_message(USER, "jong")
    api.advance(2)
    with pytest.raises(BadRequest, match=ci("message can't be deleted")):
        await bot.delete_message(USER, old.message_id)
    assert await bot.delete_message(USER, young.message_id)
    assert [m.message_id for m in api.bot_messages(USER)] == [old.message_id]


async def test_delete_messages_skips_what_it_cannot(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    ids = [(await bot.send_message(USER, f"m{i}")).message_id for i in range(3)]
    assert await bot.delete_messages(USER, [ids[0], 99, ids[2]]) is True
    assert api.calls_to("deleteMessages")[-1]["message_ids"] == [ids[0], 99, ids[2]]
    assert [m.message_id for m in api.bot_messages(USER)] == [ids[1]]


async def test_unknown_chat_and_blocked_user(bot: telegram.Bot, api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match=ci("chat not found")):
        await bot.send_message(777, "hoi")
    api.push_text(USER, "hoi")
    api.block_bot(USER)
    with pytest.raises(Forbidden, match=ci("blocked by the user")):
        await bot.send_message(USER, "hoi")
    updates = await bot.get_updates()
    member = updates[-1].my_chat_member
    assert member is not None and member.new_chat_member.status == "kicked"
    api.push_text(USER, "/start")  # writing again unblocks
    assert await bot.send_message(USER, "welkom terug")


async def test_text_limits(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    assert await any_bot.send_message(USER, "x" * 4096)
    assert await any_bot.send_message(USER, "é" * 4096)  # characters, not bytes
    # the limit applies to the visible text, after entity parsing
    assert await any_bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=ci("message is too long")):
        await any_bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=ci("message text is empty")):
        await any_bot.send_message(USER, "   ")
    with pytest.raises(BadRequest, match=ci("BUTTON_DATA_INVALID")):
        await any_bot.send_message(USER, "te lang", reply_markup=keyboard(("a", "d" * 65)))
    # 64 bytes is fine, counted in UTF-8 bytes
    assert await any_bot.send_message(USER, "ok", reply_markup=keyboard(("a", "d" * 64)))
    with pytest.raises(BadRequest, match=ci("BUTTON_DATA_INVALID")):
        await any_bot.send_message(USER, "é", reply_markup=keyboard(("a", "é" * 33)))
    assert len(api.bot_messages(USER)) == 4


async def test_parse_mode_errors_like_telegram(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    with pytest.raises(BadRequest, match=ci('Unsupported start tag "br"')):
        await bot.send_message(USER, "a<br>b", parse_mode="HTML")
    with pytest.raises(BadRequest, match=ci("Can't find end tag")):
        await bot.send_message(USER, "<b>open", parse_mode="HTML")
    with pytest.raises(BadRequest, match=ci("Character '.' is reserved")):
        await bot.send_message(USER, "Klaar.", parse_mode="MarkdownV2")
    sent = await bot.send_message(USER, "*Klaar*\\. [site](https://x.nl)", parse_mode="MarkdownV2")
    assert sent.text == "Klaar. site"
    assert [e.type for e in sent.entities] == ["bold", "text_link"]
    # Telegram reads every "<" as a tag: an unescaped one is refused (a lenient fake once
    # let a typed "<" block real registrations while every test was green).
    with pytest.raises(BadRequest, match=ci('Unsupported start tag "" at byte offset 2')):
        await bot.send_message(USER, "1 < 2 &amp; <i>zo</i>", parse_mode="HTML")
    sent = await bot.send_message(USER, "1 &lt; 2 &amp; <i>zo</i> &copy;", parse_mode="HTML")
    assert sent.text == "1 < 2 & zo &copy;"
    with pytest.raises(BadRequest, match=ci("message is too long")):
        await bot.send_message(USER, "&amp;" * 4097, parse_mode="HTML")
    assert (await bot.send_message(USER, "&amp;" * 4096, parse_mode="HTML")).text == "&" * 4096


# --- other update types ------------------------------------------------------------------------


async def test_media_updates_parse(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    api.push_photo(USER, caption="foto")
    api.push_sticker(USER, emoji="🎉")
    api.push_voice(USER, duration=7)
    api.push_location(USER, latitude=52.1, longitude=5.2)
    api.push_document(USER, file_name="brief.pdf", content=b"%PDF-1.4 x")
    messages = [u.message for u in await any_bot.get_updates()]
    assert all(m is not None for m in messages)
    photo, sticker, voice, location, document = messages
    assert photo is not None and len(photo.photo) == 3 and photo.caption == "foto"
    assert photo.photo[-1].width == 1280
    assert sticker is not None and sticker.sticker is not None and sticker.sticker.emoji == "🎉"
    assert voice is not None and voice.voice is not None
    assert voice.voice.to_dict()["duration"] == 7
    assert location is not None and location.location is not None
    assert location.location.latitude == 52.1
    assert document is not None and document.document is not None
    assert document.document.file_name == "brief.pdf"
    assert [m.kind for m in api.user_messages(USER)] == [
        "photo",
        "sticker",
        "voice",
        "location",
        "document",
    ]
    # getFile + download through python-telegram-bot
    file = await any_bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 x"


async def test_callback_query_parses_with_its_message(
    any_bot: telegram.Bot, api: FakeBotApi
) -> None:
    api.push_text(USER, "/start")
    sent = await any_bot.send_message(USER, "Vraag?", reply_markup=keyboard(("Ja", "q:yes")))
    api.push_callback(USER, "q:yes", sent.message_id)
    updates = await any_bot.get_updates(offset=2)
    query = updates[0].callback_query
    assert query is not None
    assert query.data == "q:yes"
    assert query.from_user.id == USER and query.from_user.language_code == "nl"
    assert isinstance(query.message, telegram.Message)
    assert query.message.message_id == sent.message_id
    assert query.message.text == "Vraag?"
    assert query.message.reply_markup == keyboard(("Ja", "q:yes"))
    assert api.unanswered_callback_queries() == [query.id]
    assert await any_bot.answer_callback_query(query.id, text="Dank")
    assert api.unanswered_callback_queries() == []
    assert api.callback_answers()[0]["text"] == "Dank"
    with pytest.raises(BadRequest, match=ci("query is too old")):
        await any_bot.answer_callback_query(query.id)
    with pytest.raises(ValueError, match=ci("no visible message")):
        api.push_callback(USER, "q:yes", 99)


# --- commands and misc methods -----------------------------------------------------------------


async def test_my_commands_per_language(bot: telegram.Bot, api: FakeBotApi) -> None:
    await bot.set_my_commands([("start", "Begin")])
    await bot.set_my_commands([("start", "Beginnen")], language_code="nl")
    assert [c.description for c in await bot.get_my_commands()] == ["Begin"]
    assert [c.description for c in await bot.get_my_commands(language_code="nl")] == ["Beginnen"]
    assert await bot.get_my_commands(language_code="en") == ()
    api.push_text(USER, "hoi", language_code="nl")
    assert api.commands_for_user(USER) == [{"command": "start", "description": "Beginnen"}]
    with pytest.raises(BadRequest, match=ci("BOT_COMMAND_INVALID")):
        await bot.set_my_commands([("Start", "hoofdletter")])


async def test_chat_action_webhook_and_unknown_method(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    assert await bot.send_chat_action(USER, "typing")
    assert api.chat_actions(USER) == ["typing"]
    api.push_text(USER, "weg")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert api.handle("noSuchMethod", {}) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )
    # method names are case-insensitive; calls are recorded in camelCase
    status, body = api.handle("SENDMESSAGE", {"chat_id": str(USER), "text": "hoi"})
    assert status == 200 and body["result"]["text"] == "hoi"
    assert api.calls[-1] == ("sendMessage", {"chat_id": USER, "text": "hoi"})


async def test_wrong_token(api: FakeBotApi, server: FakeBotApiServer) -> None:
    with pytest.raises(InvalidToken):
        await inproc_bot_for(api, "999:WRONG").get_me()
    with pytest.raises(InvalidToken):
        await http_bot_for(server, "999:WRONG").get_me()


# --- fault injection ---------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_and_400(any_bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    api.fail_method("sendMessage", 429, "Too Many Requests: retry after 1", times=1)
    with pytest.raises(RetryAfter) as caught:
        await any_bot.send_message(USER, "hoi")
    # retry_after=1 reached the client (shown as "1 seconds" or "0:00:01", depending on
    # whether PTB_TIMEDELTA is set, as the Telegram adapter does)
    assert "Retry in 1 second" in str(caught.value) or "Retry in 0:00:01" in str(caught.value)
    assert api.bot_messages(USER) == []  # a 429 has no effect
    assert await any_bot.send_message(USER, "hoi")  # times=1: the next call passes

    api.fail_method("setMyCommands", 400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    for _ in range(2):
        with pytest.raises(BadRequest, match=ci("BOT_COMMANDS_TOO_MUCH")):
            await any_bot.set_my_commands([("start", "Begin")])
    api.clear_faults()
    assert await any_bot.set_my_commands([("start", "Begin")])


def test_fault_rate_is_seeded_and_spares_get_updates() -> None:
    outcomes = []
    for seed in (7, 7):
        fresh = FakeBotApi(seed=seed)
        fresh.add_user(USER)
        fresh.set_fault_rate(0.5, kinds=("429", "500"))
        statuses = [
            fresh.handle("sendMessage", {"chat_id": USER, "text": "x"})[0] for _ in range(40)
        ]
        assert all(fresh.handle("getUpdates", {})[0] == 200 for _ in range(20))
        outcomes.append(statuses)
    assert outcomes[0] == outcomes[1]
    assert {200, 429, 500} == set(outcomes[0])
    assert len(fresh.bot_messages(USER)) == outcomes[0].count(200)


async def test_injected_500_is_network_error(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    api.set_fault_rate(1.0, kinds=("500",))
    with pytest.raises(NetworkError, match=ci("Internal Server Error")):
        await bot.send_message(USER, "hoi")
    assert await bot.get_updates() == ()


async def test_timeout_fault_in_process_still_delivers(bot: telegram.Bot, api: FakeBotApi) -> None:
    api.add_user(USER)
    api.set_fault_rate(1.0, kinds=("timeout",))
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "misschien")
    assert [m.text for m in api.bot_messages(USER)] == ["misschien"]


async def test_timeout_fault_over_http_still_delivers(
    api: FakeBotApi, server: FakeBotApiServer
) -> None:
    api.add_user(USER)
    api.set_fault_rate(1.0, kinds=("timeout",), methods=["sendMessage"])
    async with http_bot_for(server, read_timeout=0.2) as b:
        with pytest.raises(TimedOut):
            await b.send_message(USER, "misschien")
    assert [m.text for m in api.bot_messages(USER)] == ["misschien"]


async def test_send_rates(bot: telegram.Bot, api: FakeBotApi) -> None:
    for user in (1, 2):
        api.add_user(user)
    for i in range(6):
        await bot.send_message(1 if i % 3 else 2, "x")
    await bot.get_updates()
    assert api.max_rate_per_second() == 6
    assert api.max_rate_per_chat_per_second() == 4
    assert api.max_rate_per_second(window=1e-9) == 1


# --- HTTP specifics ----------------------------------------------------------------------------


async def test_http_encodings(
    http_bot: telegram.Bot, api: FakeBotApi, server: FakeBotApiServer
) -> None:
    api.add_user(USER)
    await http_bot.send_message(USER, "gewoon", reply_markup=keyboard(("a", "b")))
    # python-telegram-bot sends form fields (not JSON): every value a string
    assert server.content_types[-1] == "application/x-www-form-urlencoded"
    assert buttons(api.last_bot_message(USER)) == [("a", "b")]

    # ... and multipart/form-data as soon as a file is uploaded
    sent = await http_bot.send_photo(
        USER, b"\x89PNG fake", caption="<i>foto</i>", parse_mode="HTML"
    )
    assert server.content_types[-1] == "multipart/form-data"
    assert sent.caption == "foto" and sent.photo
    assert api.file_bytes(sent.photo[-1].file_id) == b"\x89PNG fake"
    doc = await http_bot.send_document(USER, b"a;b\n1;2\n", filename="lijst.csv")
    assert doc.document is not None and doc.document.file_name == "lijst.csv"
    assert [m.kind for m in api.bot_messages(USER)] == ["text", "photo", "document"]


def test_http_json_body_and_get(api: FakeBotApi, server: FakeBotApiServer) -> None:
    """Plain JSON bodies (as curl users send them) carry typed values; GET works too."""
    api.add_user(USER)
    request = urllib.request.Request(
        f"{server.url}/bot{TOKEN}/sendMessage",
        data=json.dumps({"chat_id": USER, "text": "json"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert json.loads(response.read())["result"]["text"] == "json"
    with urllib.request.urlopen(f"{server.url}/bot{TOKEN}/getMe?x=1", timeout=5) as response:
        assert json.loads(response.read())["result"]["username"] == "kks_test_bot"
    assert server.content_types == ["application/json", ""]


def test_wait_for_from_another_thread(api: FakeBotApi) -> None:
    threading.Timer(0.1, lambda: api.push_text(USER, "hoi")).start()
    assert api.wait_for(lambda a: len(a.user_messages(USER)) == 1, timeout=3)
    assert not api.wait_for(lambda a: len(a.user_messages(USER)) == 2, timeout=0.05)


def test_fake_clock() -> None:
    clock = FakeClock(100.0)
    assert clock() == 100.0
    clock.advance(5)
    assert clock.now == 105.0
    with pytest.raises(TypeError):
        FakeBotApi().advance(1)


# --- the real thing: a python-telegram-bot Application polling the fake ----------------------


async def test_application_end_to_end(api: FakeBotApi) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        await update.message.reply_text("Welkom!", reply_markup=keyboard(("Verder", "next")))

    async def pressed(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"Gekozen: {query.data}")

    app = (
        Application.builder()
        .token(TOKEN)
        .request(FakeRequest(api))
        .get_updates_request(FakeRequest(api))
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5)
        api.push_text(USER, "/start")
        assert await api.wait_for_async(lambda a: a.last_bot_message(USER) is not None)
        welcome = api.last_bot_message(USER)
        assert welcome is not None and welcome.text == "Welkom!"
        api.push_callback(USER, "next", welcome.message_id, require_button=True)
        assert await api.wait_for_async(lambda a: welcome.edited_count == 1)
        assert welcome.text == "Gekozen: next"
        assert api.unanswered_callback_queries() == []
        await app.updater.stop()
        await app.stop()
    # python-telegram-bot confirmed everything it handled when it stopped
    assert api.pending_update_count() == 0


def test_interactive_phone() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fakebot", "--port", "0", "--user-id", "5"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        first = proc.stdout.readline()
        url = first.split()[4]
        assert url.startswith("http://127.0.0.1:")
        assert TOKEN in proc.stdout.readline()

        async def scenario() -> list[telegram.Update]:
            assert proc.stdin is not None and proc.stdout is not None
            async with telegram.Bot(TOKEN, base_url=url + "/bot") as b:
                proc.stdin.write("hallo\n")
                proc.stdin.flush()
                updates = await b.get_updates(timeout=5)
                await b.send_message(5, "Kies", reply_markup=keyboard(("Ja", "y"), ("Nee", "n")))
                lines: list[str] = []
                while "[2] Nee" not in "".join(lines):
                    lines.append(await asyncio.to_thread(proc.stdout.readline))
                proc.stdin.write("/press 2\n/photo\n")
                proc.stdin.flush()
                more = await b.get_updates(offset=updates[-1].update_id + 1, timeout=5)
                while len(more) < 2:
                    more += await b.get_updates(offset=more[-1].update_id + 1, timeout=5)
                return [*updates, *more]

        updates = asyncio.run(scenario())
        assert updates[0].message is not None and updates[0].message.text == "hallo"
        assert updates[1].callback_query is not None and updates[1].callback_query.data == "n"
        assert updates[2].message is not None and updates[2].message.photo
    finally:
        proc.stdin.write("/quit\n")
        proc.stdin.close()
        assert proc.wait(timeout=5) == 0
        proc.stdout.close()
