"""A fake Telegram Bot API for tests and for running the real bot without Telegram.

Three layers share one in-memory state (:class:`FakeBotApi`):

* :class:`FakeBotApi` - the state and logic of a Bot API server. Tests push updates from
  simulated users (``push_text``, ``push_callback``, ...) and inspect what the bot did
  (``calls``, ``bot_messages``, ...). Faults (429/500/timeouts, failing methods) can be injected.
* :class:`FakeRequest` - an in-process :class:`telegram.request.BaseRequest`, so that a real
  :class:`telegram.Bot` talks to the fake without sockets while python-telegram-bot's own
  response parsing and error mapping (``RetryAfter``, ``BadRequest``, ...) still runs.
* :class:`FakeBotApiServer` - the same API over real HTTP on 127.0.0.1, for running the bot
  in another process (``base_url=server_url + "/bot"``).

``python -m kks_bot.testing.fake_bot_api --port 8081`` starts the server together with an
interactive terminal "phone" for a developer.

Parameters are interpreted the way Telegram does it: python-telegram-bot sends every value as a
*string* (form fields; JSON for objects/arrays, but plain text unquoted), so the fake decodes
each parameter according to its declared type (``chat_id`` int, ``reply_markup`` JSON, ``text``
never). A message text such as ``[1, 2]`` therefore stays text.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import random
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import IO, Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from .telegram_html import HtmlError, parse_html

__all__ = [
    "FakeBotApi",
    "FakeBotApiServer",
    "FakeCall",
    "FakeClock",
    "FakeMessage",
    "FakeRequest",
    "FakeUpload",
    "buttons",
]

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"  # noqa: S105 - a fake token for the fake server

#: Telegram limits.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
DELETE_WINDOW_SECONDS = 48 * 3600.0
CALLBACK_ANSWER_WINDOW_SECONDS = 15.0 * 60  # generous: real Telegram is stricter

_METHODS = (
    "getMe",
    "getUpdates",
    "deleteWebhook",
    "setWebhook",
    "getWebhookInfo",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyDescription",
    "getMyDescription",
    "setMyShortDescription",
    "getMyShortDescription",
    "setMyName",
    "getMyName",
    "setChatMenuButton",
    "getChatMenuButton",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "deleteMessages",
    "answerCallbackQuery",
    "sendChatAction",
    "getFile",
)
_CANONICAL: dict[str, str] = {name.lower(): name for name in _METHODS}

#: Methods whose calls count for :meth:`FakeBotApi.max_rate_per_second`.
SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendSticker",
        "sendVoice",
        "sendAudio",
        "sendVideo",
        "sendAnimation",
        "sendVideoNote",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
    }
)

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_INT_PARAMS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "user_id",
    }
)
_FLOAT_PARAMS = frozenset({"timeout"})
_BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "for_channels",
        "disable_content_type_detection",
        "has_spoiler",
        "show_caption_above_media",
    }
)
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "message_ids",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "menu_button",
        "media",
    }
)

_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")
_BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
_URL_RE = re.compile(r"/bot([^/]*)/([^/?#]*)$")
_FILE_URL_RE = re.compile(r"/file/bot([^/]*)/(.+)$")

_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------------------------------------
# Public small types
# ---------------------------------------------------------------------------------------------


class FakeClock:
    """A controllable clock: ``clock()`` returns :attr:`now`; :meth:`advance` moves it."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        with self._lock:
            self.now += seconds
            return self.now


@dataclass
class FakeMessage:
    """A message as the fake server knows it (bot or user message in a private chat).

    ``text`` is the *visible* text (after parse-mode processing), as Telegram returns it;
    ``raw_text`` is what the bot sent, with ``parse_mode``.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    text: str | None
    reply_markup: JSONDict | None
    date: int
    deleted: bool = False
    edited_count: int = 0
    kind: str = "text"
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    edit_date: int | None = None
    media: JSONDict = field(default_factory=dict)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return buttons(self)


def buttons(message: FakeMessage | None) -> list[tuple[str, str]]:
    """(text, callback_data) of the message's inline keyboard, row by row.

    Buttons without callback_data (URL buttons, ...) give an empty string as data.
    """
    if message is None or not message.reply_markup:
        return []
    rows = message.reply_markup.get("inline_keyboard") or []
    result: list[tuple[str, str]] = []
    for row in rows:
        for button in row:
            if isinstance(button, Mapping):
                result.append((str(button.get("text", "")), str(button.get("callback_data", ""))))
    return result


@dataclass(frozen=True)
class FakeUpload:
    """A file uploaded by the bot (multipart/form-data part)."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class FakeCall:
    """One recorded API call (``params`` are decoded to their Telegram types)."""

    method: str
    params: JSONDict
    time: float
    monotonic: float
    status: int | None = None


@dataclass
class _User:
    user_id: int
    first_name: str
    language_code: str | None
    blocked: bool = False

    def as_json(self) -> JSONDict:
        user: JSONDict = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> JSONDict:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass
class _CallbackQuery:
    query_id: str
    user_id: int
    created: float
    answered: bool = False
    answer: JSONDict | None = None


@dataclass
class _Fault:
    status: int
    description: str
    remaining: int | None
    retry_after: int | None


@dataclass
class _Outcome:
    status: int
    body: JSONDict
    hang: bool = False


@dataclass
class _PendingPoll:
    call: FakeCall
    limit: int
    deadline: float
    generation: int
    wake_epoch: int
    hang: bool


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def _bad(description: str) -> _ApiError:
    return _ApiError(400, f"Bad Request: {description}")


def _error_body(status: int, description: str, retry_after: int | None = None) -> JSONDict:
    body: JSONDict = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


# ---------------------------------------------------------------------------------------------
# Parse modes (HTML, MarkdownV2, Markdown) -> visible text + entities, with Telegram's errors
# ---------------------------------------------------------------------------------------------


class _ParseError(Exception):
    pass


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "[": "TextUrl",
}
_MDV2_TYPES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


def _parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    out: list[str] = []
    length = 0
    entities: list[JSONDict] = []
    open_marks: list[tuple[str, int, int]] = []  # mark, utf16 start, byte offset
    quote_start: int | None = None
    i = 0
    n = len(text)

    def byte_offset(index: int) -> int:
        return len(text[:index].encode())

    def emit(chunk: str) -> None:
        nonlocal length
        out.append(chunk)
        length += _utf16_len(chunk)

    def reserved(char: str) -> _ParseError:
        return _ParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def toggle(mark: str, index: int) -> None:
        for pos in range(len(open_marks) - 1, -1, -1):
            if open_marks[pos][0] == mark:
                _, start, _ = open_marks.pop(pos)
                if length > start:
                    entities.append(
                        {"type": _MDV2_TYPES[mark], "offset": start, "length": length - start}
                    )
                return
        open_marks.append((mark, length, byte_offset(index)))

    def read_until(index: int, closer: str, escapable: str) -> tuple[str, int]:
        """Reads literal text up to an unescaped ``closer``; returns (text, index after)."""
        buf: list[str] = []
        while index < n:
            if text[index] == "\\" and index + 1 < n and text[index + 1] in escapable:
                buf.append(text[index + 1])
                index += 2
                continue
            if text.startswith(closer, index):
                return "".join(buf), index + len(closer)
            buf.append(text[index])
            index += 1
        raise _ParseError("")

    while i < n:
        char = text[i]
        line_start = i == 0 or text[i - 1] == "\n"
        if line_start and quote_start is not None and char != ">":
            # a quote ends (before the newline) at the first line not starting with '>'
            end = length - 1 if out and out[-1].endswith("\n") else length
            if end > quote_start:
                entities.append(
                    {"type": "blockquote", "offset": quote_start, "length": end - quote_start}
                )
            quote_start = None
        if char == "\\":
            if i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                emit(text[i + 1])
                i += 2
                continue
            raise reserved("\\")
        if char == "`":
            start = length
            if text.startswith("```", i):
                try:
                    body, i_after = read_until(i + 3, "```", "`\\")
                except _ParseError:
                    raise _ParseError(
                        f"Can't find end of Pre entity at byte offset {byte_offset(i)}"
                    ) from None
                language = ""
                first, sep, rest = body.partition("\n")
                if sep and first and " " not in first:
                    language, body = first, rest
                emit(body)
                entity: JSONDict = {"type": "pre", "offset": start, "length": length - start}
                if language:
                    entity["language"] = language
                if length > start:
                    entities.append(entity)
                i = i_after
                continue
            try:
                body, i_after = read_until(i + 1, "`", "`\\")
            except _ParseError:
                raise _ParseError(
                    f"Can't find end of Code entity at byte offset {byte_offset(i)}"
                ) from None
            emit(body)
            if length > start:
                entities.append({"type": "code", "offset": start, "length": length - start})
            i = i_after
            continue
        if char == ">" and line_start:
            if quote_start is None:
                quote_start = length
            i += 1
            continue
        if char == "*" and line_start and text.startswith("**>", i):
            if quote_start is None:
                quote_start = length
            i += 3
            continue
        if char == "*" or char == "~":
            toggle(char, i)
            i += 1
            continue
        if char == "_":
            if text.startswith("__", i):
                toggle("__", i)
                i += 2
            else:
                toggle("_", i)
                i += 1
            continue
        if char == "|":
            if text.startswith("||", i):
                toggle("||", i)
                i += 2
                continue
            if quote_start is not None and i == n - 2 and text.startswith("||", i):
                i += 2
                continue
            raise reserved(char)
        if char == "[" or (char == "!" and text.startswith("![", i)):
            is_emoji = char == "!"
            i += 2 if is_emoji else 1
            open_marks.append(("![" if is_emoji else "[", length, byte_offset(i)))
            continue
        if char == "]":
            pos = next(
                (k for k in range(len(open_marks) - 1, -1, -1) if open_marks[k][0] in ("[", "![")),
                None,
            )
            if pos is None or not text.startswith("(", i + 1):
                raise reserved(char)
            mark, start, offset = open_marks.pop(pos)
            try:
                url, i_after = read_until(i + 2, ")", ")\\")
            except _ParseError:
                raise _ParseError(
                    f"Can't find end of a TextUrl entity at byte offset {offset}"
                ) from None
            if mark == "![":
                match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                if not match:
                    raise _ParseError("Custom emoji entity must have a valid custom emoji URL")
                entities.append(
                    {
                        "type": "custom_emoji",
                        "offset": start,
                        "length": length - start,
                        "custom_emoji_id": match.group(1),
                    }
                )
            elif length > start:
                entities.append(
                    {"type": "text_link", "offset": start, "length": length - start, "url": url}
                )
            i = i_after
            continue
        if char in _MDV2_RESERVED:
            raise reserved(char)
        emit(char)
        i += 1
    if quote_start is not None and length > quote_start:
        entities.append(
            {"type": "blockquote", "offset": quote_start, "length": length - quote_start}
        )
    if open_marks:
        mark, _, offset = open_marks[-1]
        name = _MDV2_NAMES.get(mark, "TextUrl") if mark != "![" else "CustomEmoji"
        raise _ParseError(f"Can't find end of {name} entity at byte offset {offset}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _parse_markdown_legacy(text: str) -> tuple[str, list[JSONDict]]:
    out: list[str] = []
    length = 0
    entities: list[JSONDict] = []
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal length
        out.append(chunk)
        length += _utf16_len(chunk)

    def missing_end(index: int) -> _ParseError:
        return _ParseError(
            f"Can't find end of the entity starting at byte offset {len(text[:index].encode())}"
        )

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            emit(text[i + 1])
            i += 2
            continue
        if char in "*_`":
            closer = "```" if text.startswith("```", i) else char
            end = text.find(closer, i + len(closer))
            if end < 0:
                raise missing_end(i)
            start = length
            emit(text[i + len(closer) : end])
            kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[closer]
            if length > start:
                entities.append({"type": kind, "offset": start, "length": length - start})
            i = end + len(closer)
            continue
        if char == "[":
            match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(text, i)
            if match:
                start = length
                emit(match.group(1))
                if length > start:
                    entities.append(
                        {
                            "type": "text_link",
                            "offset": start,
                            "length": length - start,
                            "url": match.group(2),
                        }
                    )
                i = match.end()
                continue
        emit(char)
        i += 1
    return "".join(out), entities


def _render(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
    """Visible text and entities for ``text`` sent with ``parse_mode``; raises _ApiError."""
    mode = (parse_mode or "").lower()
    try:
        if mode == "":
            plain, found = text, [dict(e) for e in entities or [] if isinstance(e, Mapping)]
        elif mode == "html":
            try:
                parsed, html_entities = parse_html(text)
            except HtmlError as exc:
                raise _ParseError(str(exc)) from None
            plain = parsed
            found = [{"type": e.type, "offset": e.offset, "length": e.length,
                      **({"url": e.argument} if e.type == "text_link" else {}),
                      **({"custom_emoji_id": e.argument} if e.type == "custom_emoji" else {}),
                      **({"language": e.argument} if e.type == "pre" and e.argument else {})}
                     for e in html_entities]
        elif mode == "markdownv2":
            plain, found = _parse_markdown_v2(text)
        elif mode == "markdown":
            plain, found = _parse_markdown_legacy(text)
        else:
            raise _bad("unsupported parse_mode")
    except _ParseError as exc:
        raise _bad(f"can't parse entities: {exc}") from None
    return plain, found


# ---------------------------------------------------------------------------------------------
# The API state and logic
# ---------------------------------------------------------------------------------------------


class FakeBotApi:
    """In-memory state and logic of a Telegram Bot API server (private chats only).

    Thread-safe: every public method takes the internal lock; waiting happens on a condition.
    """

    #: Upper bound (real seconds) of one long poll, whatever ``timeout`` the client asks.
    max_poll_seconds: float = 10.0

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "kks_test_bot",
        clock: Callable[[], float] = time.time,
        seed: int = 0,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.clock = clock
        self.seed = seed
        bot_id_text = token.split(":", 1)[0]
        self.bot_id = int(bot_id_text) if bot_id_text.isdigit() else 123456
        self.bot_first_name = "KKS Test Bot"

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._async_waiters: list[Callable[[], None]] = []
        self._version = 0

        self._rng = random.Random(seed)  # noqa: S311 - fault injection, not crypto
        self._next_update_id = first_update_id
        self._updates: list[tuple[int, JSONDict]] = []
        self.webhook: JSONDict | None = None
        self._poll_generation = 0
        self._wake_epoch = 0

        self._users: dict[int, _User] = {}
        self._messages: dict[int, dict[int, FakeMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._files: dict[str, _StoredFile] = {}
        self._file_counter = 0
        self._callbacks: dict[str, _CallbackQuery] = {}
        self._callback_counter = 0
        self._chat_actions: dict[int, list[str]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}

        self._faults: dict[str, _Fault] = {}
        self._fault_rate = 0.0
        self._fault_kinds: tuple[str, ...] = ()
        self._fault_methods: frozenset[str] | None = None
        self._fault_get_updates = False

        self.calls: list[tuple[str, JSONDict]] = []
        self.call_log: list[FakeCall] = []

    # -- helpers -------------------------------------------------------------------------------

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _now(self) -> float:
        return float(self.clock())

    def _changed(self) -> None:
        """Wakes every waiter (threads and asyncio). Caller holds the lock."""
        self._version += 1
        self._cond.notify_all()
        for waiter in list(self._async_waiters):
            with contextlib.suppress(RuntimeError):  # the waiter's loop is already closed
                waiter()

    def _add_async_waiter(self, callback: Callable[[], None]) -> None:
        with self._lock:
            self._async_waiters.append(callback)

    def _remove_async_waiter(self, callback: Callable[[], None]) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._async_waiters.remove(callback)

    def _new_file(self, kind: str, data: bytes, extension: str) -> _StoredFile:
        self._file_counter += 1
        digest = hashlib.sha256(f"{self.seed}:{kind}:{self._file_counter}".encode()).digest()
        prefix = {"photo": b"AgAC", "sticker": b"CAAC", "voice": b"AwAC", "document": b"BQAC"}
        file_id = (
            (prefix.get(kind, b"BQAC") + base64.urlsafe_b64encode(digest + digest[:12]))
            .decode()
            .rstrip("=")
        )
        unique = ("AQAD" + base64.urlsafe_b64encode(digest[:9]).decode()).rstrip("=")
        stored = _StoredFile(
            file_id=file_id,
            file_unique_id=unique,
            file_path=f"{kind}s/file_{self._file_counter}.{extension}",
            data=data,
        )
        self._files[file_id] = stored
        return stored

    def _user(self, user_id: int, first_name: str, language_code: str | None) -> _User:
        user = self._users.get(user_id)
        if user is None:
            user = _User(user_id, first_name, language_code)
            self._users[user_id] = user
        else:
            user.first_name = first_name
            user.language_code = language_code
        user.blocked = False  # writing to the bot means the user (un)blocked / restarted it
        return user

    def _new_message(self, chat_id: int, **kwargs: Any) -> FakeMessage:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message = FakeMessage(
            message_id=message_id, chat_id=chat_id, date=int(self._now()), **kwargs
        )
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def _message_json(self, message: FakeMessage) -> JSONDict:
        user = self._users.get(message.chat_id)
        chat = (
            user.chat_json()
            if user
            else {"id": message.chat_id, "type": "private", "first_name": "?"}
        )
        sender = self.bot_user if message.from_bot else (user.as_json() if user else chat)
        data: JSONDict = {
            "message_id": message.message_id,
            "from": sender,
            "chat": chat,
            "date": message.date,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        data.update(message.media)
        if message.caption is not None:
            data["caption"] = message.caption
            if message.entities:
                data["caption_entities"] = message.entities
        markup = message.reply_markup
        if markup and "inline_keyboard" in markup:
            data["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
        return data

    def _enqueue(self, payload: JSONDict) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append((update_id, {"update_id": update_id, **payload}))
        self._changed()
        return update_id

    async def deliver_webhook(self, url: str) -> list[int]:
        """As Telegram does once a webhook is set: post each pending update, in order, to
        ``url`` with the secret token; an update is done only when answered 200, and
        delivery stops at the first other answer (it is posted again next time). Returns
        the HTTP statuses."""
        import httpx

        statuses: list[int] = []
        secret = (self.webhook or {}).get("secret_token") or ""
        async with httpx.AsyncClient(timeout=10) as client:
            while True:
                with self._lock:
                    if not self._updates:
                        break
                    update_id, update = self._updates[0]
                response = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
                statuses.append(response.status_code)
                if response.status_code != 200:
                    break
                with self._lock:
                    if self._updates and self._updates[0][0] == update_id:
                        self._updates.pop(0)
        return statuses

    def _push_user_message(
        self,
        user_id: int,
        language_code: str | None,
        first_name: str,
        *,
        kind: str,
        text: str | None = None,
        entities: list[JSONDict] | None = None,
        caption: str | None = None,
        media: JSONDict | None = None,
    ) -> int:
        with self._lock:
            self._user(user_id, first_name, language_code)
            message = self._new_message(
                user_id,
                from_bot=False,
                text=text,
                reply_markup=None,
                kind=kind,
                raw_text=text,
                entities=entities or [],
                caption=caption,
                media=media or {},
            )
            return self._enqueue({"message": self._message_json(message)})

    # -- pushing updates from simulated users --------------------------------------------------

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        """A text message from ``user_id``; "/cmd ..." gets a bot_command entity. -> update_id."""
        entities: list[JSONDict] = []
        match = _COMMAND_RE.match(text)
        if match:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": _utf16_len(match.group())}
            )
        return self._push_user_message(
            user_id, language_code, first_name, kind="text", text=text, entities=entities
        )

    def push_photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        width: int = 1280,
        height: int = 960,
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        """A photo (three sizes, like Telegram sends them) from ``user_id``. -> update_id."""
        with self._lock:
            sizes: list[JSONDict] = []
            for scale in (320, 800, max(width, height)):
                factor = min(1.0, scale / max(width, height))
                w, h = max(1, int(width * factor)), max(1, int(height * factor))
                stored = self._new_file("photo", b"\xff\xd8\xff\xe0fake-jpeg" + bytes(w % 9), "jpg")
                sizes.append(
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": w,
                        "height": h,
                        "file_size": len(stored.data) * 1000 + w,
                    }
                )
            return self._push_user_message(
                user_id,
                language_code,
                first_name,
                kind="photo",
                caption=caption,
                media={"photo": sizes},
            )

    def push_sticker(
        self,
        user_id: int,
        *,
        emoji: str = "👍",
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        with self._lock:
            stored = self._new_file("sticker", b"RIFF fake webp", "webp")
            sticker: JSONDict = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": emoji,
                "set_name": "KksTestStickers",
                "file_size": 23_456,
            }
            return self._push_user_message(
                user_id, language_code, first_name, kind="sticker", media={"sticker": sticker}
            )

    def push_voice(
        self,
        user_id: int,
        *,
        duration: int = 3,
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        with self._lock:
            stored = self._new_file("voice", b"OggS fake opus", "oga")
            voice: JSONDict = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "duration": duration,
                "mime_type": "audio/ogg",
                "file_size": 4_000 * duration,
            }
            return self._push_user_message(
                user_id, language_code, first_name, kind="voice", media={"voice": voice}
            )

    def push_location(
        self,
        user_id: int,
        *,
        latitude: float = 52.0907,
        longitude: float = 5.1214,
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        location = {"latitude": latitude, "longitude": longitude}
        return self._push_user_message(
            user_id, language_code, first_name, kind="location", media={"location": location}
        )

    def push_document(
        self,
        user_id: int,
        *,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
        content: bytes = b"%PDF-1.4\n% fake\n",
        caption: str | None = None,
        language_code: str | None = "nl",
        first_name: str = "Test",
    ) -> int:
        with self._lock:
            extension = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
            stored = self._new_file("document", content, extension)
            document: JSONDict = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": file_name,
                "mime_type": mime_type,
                "file_size": len(content),
            }
            return self._push_user_message(
                user_id,
                language_code,
                first_name,
                kind="document",
                caption=caption,
                media={"document": document},
            )

    def push_callback(
        self,
        user_id: int,
        data: str,
        message_id: int,
        *,
        language_code: str | None = "nl",
        first_name: str = "Test",
        require_button: bool = False,
    ) -> int:
        """The user presses an inline button with ``data`` on bot message ``message_id``.

        The update carries the message as it is now (text, reply_markup). Raises ValueError if
        the message does not exist / is deleted, or (``require_button``) has no such button.
        """
        with self._lock:
            message = self._messages.get(user_id, {}).get(message_id)
            if message is None or message.deleted:
                raise ValueError(f"no visible message {message_id} in chat {user_id}")
            if not message.from_bot:
                raise ValueError(f"message {message_id} in chat {user_id} is not a bot message")
            if require_button and data not in [d for _, d in buttons(message)]:
                raise ValueError(f"message {message_id} has no button with data {data!r}")
            user = self._user(user_id, first_name, language_code)
            self._callback_counter += 1
            query_id = str(4_000_000_000_000_000 + self.seed * 1_000_000 + self._callback_counter)
            self._callbacks[query_id] = _CallbackQuery(query_id, user_id, self._now())
            instance = str(self.bot_id * 1_000_003 + user_id)
            return self._enqueue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user.as_json(),
                        "message": self._message_json(message),
                        "chat_instance": instance,
                        "data": data,
                    }
                }
            )

    def push_raw(self, update: Mapping[str, Any]) -> int:
        """Enqueues an arbitrary update (without update_id); returns the update_id."""
        with self._lock:
            return self._enqueue(dict(update))

    def block_bot(self, user_id: int) -> int:
        """The user blocks the bot: a my_chat_member update, and sends now give 403."""
        return self._member_update(user_id, blocked=True)

    def unblock_bot(self, user_id: int) -> int:
        return self._member_update(user_id, blocked=False)

    def _member_update(self, user_id: int, *, blocked: bool) -> int:
        with self._lock:
            user = self._users.get(user_id) or _User(user_id, "Test", "nl")
            self._users[user_id] = user
            user.blocked = blocked
            kicked: JSONDict = {"user": self.bot_user, "status": "kicked", "until_date": 0}
            member: JSONDict = {"user": self.bot_user, "status": "member"}
            return self._enqueue(
                {
                    "my_chat_member": {
                        "chat": user.chat_json(),
                        "from": user.as_json(),
                        "date": int(self._now()),
                        "old_chat_member": member if blocked else kicked,
                        "new_chat_member": kicked if blocked else member,
                    }
                }
            )

    def add_user(
        self, user_id: int, *, first_name: str = "Test", language_code: str | None = "nl"
    ) -> None:
        """Registers a user who talked to the bot before (so the bot may message them)."""
        with self._lock:
            self._user(user_id, first_name, language_code)

    # -- inspection ----------------------------------------------------------------------------

    def bot_messages(self, chat_id: int) -> list[FakeMessage]:
        """Bot messages currently visible in the chat (edited state, deleted ones left out)."""
        with self._lock:
            return [
                m for m in self._messages.get(chat_id, {}).values() if m.from_bot and not m.deleted
            ]

    def all_bot_messages(self, chat_id: int) -> list[FakeMessage]:
        with self._lock:
            return [m for m in self._messages.get(chat_id, {}).values() if m.from_bot]

    def user_messages(self, chat_id: int) -> list[FakeMessage]:
        with self._lock:
            return [
                m
                for m in self._messages.get(chat_id, {}).values()
                if not m.from_bot and not m.deleted
            ]

    def last_bot_message(self, chat_id: int) -> FakeMessage | None:
        visible = self.bot_messages(chat_id)
        return visible[-1] if visible else None

    def message(self, chat_id: int, message_id: int) -> FakeMessage | None:
        with self._lock:
            return self._messages.get(chat_id, {}).get(message_id)

    buttons = staticmethod(buttons)

    def calls_to(self, method: str) -> list[JSONDict]:
        """Parameters of every call to ``method`` (any spelling), in order."""
        name = _CANONICAL.get(method.lower(), method)
        with self._lock:
            return [params for called, params in self.calls if called == name]

    def chat_actions(self, chat_id: int) -> list[str]:
        with self._lock:
            return list(self._chat_actions.get(chat_id, []))

    def commands(
        self, language_code: str = "", scope: Mapping[str, Any] | None = None
    ) -> list[JSONDict]:
        """Commands stored with setMyCommands for exactly this scope and language."""
        with self._lock:
            return list(self._commands.get((_scope_key(scope), language_code), []))

    def commands_for_user(self, user_id: int) -> list[JSONDict]:
        """The command menu the user would see (Telegram's scope/language resolution)."""
        with self._lock:
            user = self._users.get(user_id)
            lang = (user.language_code or "") if user else ""
            scopes: list[JSONDict] = [
                {"type": "chat", "chat_id": user_id},
                {"type": "all_private_chats"},
                {"type": "default"},
            ]
            for scope in scopes:
                for code in dict.fromkeys((lang, "")):
                    found = self._commands.get((_scope_key(scope), code))
                    if found is not None:
                        return list(found)
            return []

    def unanswered_callback_queries(self) -> list[str]:
        with self._lock:
            return [q.query_id for q in self._callbacks.values() if not q.answered]

    def callback_answers(self) -> list[JSONDict]:
        with self._lock:
            return [dict(q.answer) for q in self._callbacks.values() if q.answer is not None]

    def pending_update_count(self) -> int:
        with self._lock:
            return len(self._updates)

    def file_bytes(self, file_id: str) -> bytes | None:
        with self._lock:
            stored = self._files.get(file_id)
            return stored.data if stored else None

    @property
    def version(self) -> int:
        """Increases on every change of state; handy for change-watching loops."""
        return self._version

    def wait_for(self, predicate: Callable[[FakeBotApi], bool], timeout: float = 5.0) -> bool:
        """Blocks (this thread) until ``predicate(api)`` is true; False on timeout.

        Do not call this from the event loop that runs the bot in-process: use
        :meth:`wait_for_async` there.
        """
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    async def wait_for_async(
        self,
        predicate: Callable[[FakeBotApi], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - same signature as wait_for
    ) -> bool:
        """Like :meth:`wait_for` but awaits, so a bot in the same event loop keeps running."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(event.set)

        deadline = loop.time() + timeout
        self._add_async_waiter(wake)
        try:
            while True:
                with self._lock:
                    if predicate(self):
                        return True
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
                event.clear()
        finally:
            self._remove_async_waiter(wake)

    def advance(self, seconds: float) -> None:
        """Moves a :class:`FakeClock` forward (TypeError for other clocks)."""
        if not isinstance(self.clock, FakeClock):
            raise TypeError("advance() needs FakeBotApi(clock=FakeClock())")
        self.clock.advance(seconds)
        with self._lock:
            self._changed()

    def clear_calls(self) -> None:
        with self._lock:
            self.calls.clear()
            self.call_log.clear()

    def wake_pollers(self) -> None:
        """Makes every waiting getUpdates return now (used when the HTTP server stops)."""
        with self._lock:
            self._wake_epoch += 1
            self._changed()

    # -- rates ---------------------------------------------------------------------------------

    def _send_times(self) -> list[tuple[float, int | None]]:
        with self._lock:
            result: list[tuple[float, int | None]] = []
            for call in self.call_log:
                if call.method in SENDING_METHODS:
                    chat = call.params.get("chat_id")
                    result.append((call.monotonic, chat if isinstance(chat, int) else None))
            return result

    @staticmethod
    def _max_in_window(times: list[float], window: float) -> int:
        times = sorted(times)
        best = 0
        start = 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def max_rate_per_second(self, window: float = 1.0) -> int:
        """Most sending calls (attempts, any chat) within any ``window`` of real time."""
        return self._max_in_window([t for t, _ in self._send_times()], window)

    def max_rate_per_chat_per_second(self, window: float = 1.0) -> int:
        """Most sending calls to one chat within any ``window`` of real time."""
        per_chat: dict[int | None, list[float]] = {}
        for moment, chat in self._send_times():
            per_chat.setdefault(chat, []).append(moment)
        return max((self._max_in_window(t, window) for t in per_chat.values()), default=0)

    # -- fault injection -----------------------------------------------------------------------

    def fail_method(
        self,
        method: str,
        status: int,
        description: str,
        times: int | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` calls (None: all) of ``method`` answer ``status``/``description``.

        A 429 carries ``parameters.retry_after`` (default 1). The call has no effect.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._faults[_CANONICAL.get(method.lower(), method)] = _Fault(
                status, description, times, retry_after
            )

    def set_fault_rate(
        self,
        rate: float,
        kinds: Iterable[str] = ("429", "500", "timeout"),
        *,
        methods: Iterable[str] | None = None,
        include_get_updates: bool = False,
    ) -> None:
        """Makes a fraction ``rate`` of calls fail with one of ``kinds`` (seeded RNG).

        "429": Too Many Requests, retry_after=1; "500": Internal Server Error (both without
        effect); "timeout": the effect happens but the client times out. getUpdates is only
        affected with ``include_get_updates``.
        """
        chosen = tuple(kinds)
        unknown = set(chosen) - {"429", "500", "timeout"}
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        with self._lock:
            self._fault_rate = rate
            self._fault_kinds = chosen
            self._fault_methods = (
                None
                if methods is None
                else frozenset(_CANONICAL.get(m.lower(), m) for m in methods)
            )
            self._fault_get_updates = include_get_updates

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._fault_rate = 0.0

    def _pick_fault(self, method: str) -> _Outcome | str | None:
        """A forced outcome, "timeout", or None. Caller holds the lock."""
        fault = self._faults.get(method)
        if fault is not None:
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._faults[method]
            return _Outcome(
                fault.status, _error_body(fault.status, fault.description, fault.retry_after)
            )
        if self._fault_rate <= 0 or not self._fault_kinds:
            return None
        if method == "getUpdates" and not self._fault_get_updates:
            return None
        if self._fault_methods is not None and method not in self._fault_methods:
            return None
        if self._rng.random() >= self._fault_rate:
            return None
        kind = self._rng.choice(self._fault_kinds)
        if kind == "429":
            return _Outcome(429, _error_body(429, "Too Many Requests: retry after 1", 1))
        if kind == "500":
            return _Outcome(500, _error_body(500, "Internal Server Error"))
        return "timeout"

    # -- request handling ----------------------------------------------------------------------

    def handle(self, method: str, params: Mapping[str, Any]) -> tuple[int, JSONDict]:
        """Executes one Bot API call; returns (HTTP status, JSON body).

        Blocks for a long-polling getUpdates. An injected "timeout" fault is only visible
        through the transports (FakeRequest raises TimedOut, the HTTP server stalls).
        """
        outcome = self._handle_blocking(method, params)
        return outcome.status, outcome.body

    def _handle_blocking(self, method: str, params: Mapping[str, Any]) -> _Outcome:
        with self._cond:
            started = self._start(method, params)
            if isinstance(started, _Outcome):
                return started
            while True:
                outcome = self._poll(started)
                if outcome is not None:
                    return outcome
                self._cond.wait(max(0.0, started.deadline - time.monotonic()))

    async def _handle_async(self, method: str, params: Mapping[str, Any]) -> _Outcome:
        started = self._start(method, params)
        if isinstance(started, _Outcome):
            return started
        loop = asyncio.get_running_loop()
        event = asyncio.Event()

        def wake() -> None:
            loop.call_soon_threadsafe(event.set)

        self._add_async_waiter(wake)
        try:
            while True:
                outcome = self._poll(started)
                if outcome is not None:
                    return outcome
                remaining = max(0.0, started.deadline - time.monotonic())
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), remaining)
                event.clear()
        finally:
            self._remove_async_waiter(wake)

    def _start(self, method: str, params: Mapping[str, Any]) -> _Outcome | _PendingPoll:
        """Records the call and runs it, or returns a pending long poll."""
        with self._lock:
            name = _CANONICAL.get(method.lower(), method)
            call = FakeCall(name, {}, self._now(), time.monotonic())
            self.call_log.append(call)
            self.calls.append((name, call.params))
            try:
                call.params.update(_coerce_params(params))
            except _ApiError as exc:
                error = _error_body(exc.status, exc.description)
                return self._finish(call, _Outcome(exc.status, error))
            if name not in _CANONICAL.values():
                return self._finish(call, _Outcome(404, _error_body(404, "Not Found")))
            fault = self._pick_fault(name)
            if isinstance(fault, _Outcome):
                return self._finish(call, fault)
            hang = fault == "timeout"
            if name == "getUpdates":
                return self._start_get_updates(call, hang)
            try:
                result = getattr(self, f"_api_{name}")(call.params)
                outcome = _Outcome(200, {"ok": True, "result": result}, hang)
            except _ApiError as exc:
                outcome = _Outcome(
                    exc.status, _error_body(exc.status, exc.description, exc.retry_after)
                )
            self._changed()
            return self._finish(call, outcome)

    def _finish(self, call: FakeCall, outcome: _Outcome) -> _Outcome:
        call.status = outcome.status
        return outcome

    def _start_get_updates(self, call: FakeCall, hang: bool) -> _Outcome | _PendingPoll:
        params = call.params
        offset = params.get("offset") or 0
        limit = min(100, max(1, int(params.get("limit") or 100)))
        timeout = max(0.0, min(float(params.get("timeout") or 0), self.max_poll_seconds))
        if offset > 0:
            self._updates = [(uid, u) for uid, u in self._updates if uid >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        self._changed()  # a waiting older getUpdates is now terminated (409)
        pending = _PendingPoll(
            call=call,
            limit=limit,
            deadline=time.monotonic() + timeout,
            generation=self._poll_generation,
            wake_epoch=self._wake_epoch,
            hang=hang,
        )
        outcome = self._poll(pending, first=True)
        return pending if outcome is None else outcome

    def _poll(self, pending: _PendingPoll, *, first: bool = False) -> _Outcome | None:
        with self._lock:
            if not first and pending.generation != self._poll_generation:
                return self._finish(pending.call, _Outcome(409, _error_body(409, _CONFLICT)))
            batch = [u for _, u in self._updates[: pending.limit]]
            if (
                batch
                or time.monotonic() >= pending.deadline
                or pending.wake_epoch != self._wake_epoch
            ):
                outcome = _Outcome(200, {"ok": True, "result": batch}, pending.hang)
                return self._finish(pending.call, outcome)
            return None

    # -- methods (called with the lock held; params already decoded) -------------------------

    def _api_getMe(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_deleteWebhook(self, params: JSONDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _api_setWebhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": params.get("allowed_updates")} if url else None
        return True

    def _api_getWebhookInfo(self, params: JSONDict) -> JSONDict:
        pending = len(self._updates)
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}

    def _api_setMyCommands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        if len(commands) > 100:
            raise _bad("too many commands specified")
        cleaned: list[JSONDict] = []
        for command in commands:
            if not isinstance(command, Mapping):
                raise _bad("can't parse BotCommand")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _BOT_COMMAND_NAME_RE.fullmatch(name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self._commands[key] = cleaned
        return True

    def _api_getMyCommands(self, params: JSONDict) -> list[JSONDict]:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self._commands.get(key, []))

    def _api_deleteMyCommands(self, params: JSONDict) -> bool:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _set_bot_text(self, kind: str, params: JSONDict, limit: int) -> bool:
        value = str(params.get(kind) or "")
        if len(value) > limit:
            raise _bad(f"{kind} is too long")
        self._bot_texts[(kind, str(params.get("language_code") or ""))] = value
        return True

    def _get_bot_text(self, kind: str, params: JSONDict) -> JSONDict:
        lang = str(params.get("language_code") or "")
        value = self._bot_texts.get((kind, lang), self._bot_texts.get((kind, ""), ""))
        if kind == "name" and not value:
            value = self.bot_first_name
        return {kind: value}

    def _api_setMyDescription(self, params: JSONDict) -> bool:
        return self._set_bot_text("description", params, 512)

    def _api_getMyDescription(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("description", params)

    def _api_setMyShortDescription(self, params: JSONDict) -> bool:
        return self._set_bot_text("short_description", params, 120)

    def _api_getMyShortDescription(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("short_description", params)

    def _api_setMyName(self, params: JSONDict) -> bool:
        return self._set_bot_text("name", params, 64)

    def _api_getMyName(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("name", params)

    def _api_setChatMenuButton(self, params: JSONDict) -> bool:
        chat = params.get("chat_id")
        button = params.get("menu_button") or {"type": "default"}
        self._menu_buttons[chat if isinstance(chat, int) else None] = dict(button)
        return True

    def _api_getChatMenuButton(self, params: JSONDict) -> JSONDict:
        chat = params.get("chat_id")
        key = chat if isinstance(chat, int) else None
        return dict(self._menu_buttons.get(key, self._menu_buttons.get(None, {"type": "commands"})))

    def _target_chat(self, params: JSONDict) -> _User:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        user = self._users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None:
            raise _bad("chat not found")
        return user

    def _check_can_send(self, user: _User) -> None:
        if user.blocked:
            raise _ApiError(403, "Forbidden: bot was blocked by the user")

    def _reply_to(self, params: JSONDict, chat_id: int) -> FakeMessage | None:
        reply = params.get("reply_parameters")
        target: Any = params.get("reply_to_message_id")
        allow = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, Mapping):
            target = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", allow))
        if target is None:
            return None
        found = self._messages.get(chat_id, {}).get(int(target))
        if (found is None or found.deleted) and not allow:
            raise _bad("message to be replied not found")
        return found if found is not None and not found.deleted else None

    def _api_sendMessage(self, params: JSONDict) -> JSONDict:
        user = self._target_chat(params)
        text = params.get("text")
        if text is None or not str(text).strip():
            raise _bad("message text is empty")
        text = str(text)
        parse_mode = params.get("parse_mode") or None
        plain, entities = _render(text, parse_mode, params.get("entities"))
        if not plain.strip():
            raise _bad("message text is empty")
        if _utf16_len(plain) > MAX_TEXT_LENGTH:
            raise _bad("message is too long")
        markup = _check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(params, user.user_id)
        self._check_can_send(user)
        message = self._new_message(
            user.user_id,
            from_bot=True,
            text=plain,
            reply_markup=markup,
            raw_text=text,
            parse_mode=parse_mode,
            entities=entities,
        )
        data = self._message_json(message)
        if reply_to is not None:
            data["reply_to_message"] = self._message_json(reply_to)
        return data

    def _media_file(self, value: Any, kind: str) -> _StoredFile:
        if isinstance(value, FakeUpload):
            extension = value.filename.rsplit(".", 1)[-1] if "." in value.filename else "bin"
            return self._new_file(kind, value.data, extension)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._new_file(kind, value.encode(), "bin")
        if isinstance(value, str) and value.startswith("attach://"):
            raise _bad(f"file for {value} not found in the request")
        raise _bad("wrong file identifier/HTTP URL specified")

    def _send_media(self, params: JSONDict, kind: str) -> JSONDict:
        user = self._target_chat(params)
        value = params.get(kind)
        if value is None:
            raise _bad(f"there is no {kind} in the request")
        caption_raw = params.get("caption")
        caption: str | None = None
        entities: list[JSONDict] = []
        parse_mode = params.get("parse_mode") or None
        if caption_raw is not None:
            caption, entities = _render(
                str(caption_raw), parse_mode, params.get("caption_entities")
            )
            if _utf16_len(caption) > MAX_CAPTION_LENGTH:
                raise _bad("message caption is too long")
        markup = _check_reply_markup(params.get("reply_markup"))
        stored = self._media_file(value, kind)
        self._check_can_send(user)
        if kind == "photo":
            media: JSONDict = {
                "photo": [
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": 800,
                        "height": 600,
                        "file_size": len(stored.data),
                    }
                ]
            }
        else:
            name = value.filename if isinstance(value, FakeUpload) else stored.file_path
            mime = value.content_type if isinstance(value, FakeUpload) else None
            document: JSONDict = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": name.rsplit("/", 1)[-1],
                "file_size": len(stored.data),
            }
            if mime:
                document["mime_type"] = mime
            media = {"document": document}
        message = self._new_message(
            user.user_id,
            from_bot=True,
            text=None,
            reply_markup=markup,
            kind=kind,
            raw_text=None if caption_raw is None else str(caption_raw),
            parse_mode=parse_mode,
            entities=entities,
            caption=caption,
            media=media,
        )
        return self._message_json(message)

    def _api_sendPhoto(self, params: JSONDict) -> JSONDict:
        return self._send_media(params, "photo")

    def _api_sendDocument(self, params: JSONDict) -> JSONDict:
        return self._send_media(params, "document")

    def _message_to_edit(self, params: JSONDict) -> FakeMessage:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        user = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        message = self._messages.get(user.user_id, {}).get(message_id)
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        self._check_can_send(user)
        return message

    def _api_editMessageText(self, params: JSONDict) -> JSONDict:
        message = self._message_to_edit(params)
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        text = params.get("text")
        if text is None or not str(text).strip():
            raise _bad("message text is empty")
        parse_mode = params.get("parse_mode") or None
        plain, entities = _render(str(text), parse_mode, params.get("entities"))
        if not plain.strip():
            raise _bad("message text is empty")
        if _utf16_len(plain) > MAX_TEXT_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        # Telegram removes the inline keyboard when reply_markup is not passed.
        markup = _check_reply_markup(params.get("reply_markup"))
        if (
            plain == message.text
            and entities == message.entities
            and _inline(markup) == _inline(message.reply_markup)
        ):
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        message.text = plain
        message.entities = entities
        message.raw_text = str(text)
        message.parse_mode = parse_mode
        message.reply_markup = markup
        message.edited_count += 1
        message.edit_date = int(self._now())
        return self._message_json(message)

    def _api_editMessageReplyMarkup(self, params: JSONDict) -> JSONDict:
        message = self._message_to_edit(params)
        markup = _check_reply_markup(params.get("reply_markup"))
        if _inline(markup) == _inline(message.reply_markup):
            raise _bad(_NOT_MODIFIED.removeprefix("Bad Request: "))
        message.reply_markup = markup
        message.edited_count += 1
        message.edit_date = int(self._now())
        return self._message_json(message)

    def _delete_one(self, chat_id: Any, message_id: Any) -> None:
        message = (
            self._messages.get(chat_id, {}).get(message_id) if isinstance(chat_id, int) else None
        )
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        if self._now() - message.date >= DELETE_WINDOW_SECONDS:
            raise _bad("message can't be deleted")
        message.deleted = True

    def _api_deleteMessage(self, params: JSONDict) -> bool:
        self._target_chat(params)
        if params.get("message_id") is None:
            raise _bad("message identifier is not specified")
        self._delete_one(params.get("chat_id"), params.get("message_id"))
        return True

    def _api_deleteMessages(self, params: JSONDict) -> bool:
        self._target_chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise _bad("message_ids must be a list of 1-100 message identifiers")
        for message_id in ids:
            with contextlib.suppress(_ApiError):
                self._delete_one(params.get("chat_id"), int(message_id))
        return True

    def _api_answerCallbackQuery(self, params: JSONDict) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id") or ""))
        too_old = query is not None and (
            self._now() - query.created > CALLBACK_ANSWER_WINDOW_SECONDS
        )
        if query is None or query.answered or too_old:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {"callback_query_id": query.query_id, "user_id": query.user_id, **params}
        return True

    def _api_sendChatAction(self, params: JSONDict) -> bool:
        user = self._target_chat(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._check_can_send(user)
        self._chat_actions.setdefault(user.user_id, []).append(str(action))
        return True

    def _api_getFile(self, params: JSONDict) -> JSONDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def _file_by_path(self, path: str) -> bytes | None:
        with self._lock:
            for stored in self._files.values():
                if stored.file_path == path:
                    return stored.data
            return None


def _scope_key(scope: Any) -> str:
    if not isinstance(scope, Mapping) or not scope:
        scope = {"type": "default"}
    return json.dumps(dict(scope), sort_keys=True)


def _inline(markup: JSONDict | None) -> Any:
    return markup.get("inline_keyboard") if markup else None


def _check_reply_markup(markup: Any) -> JSONDict | None:
    """Validates reply_markup like Telegram; returns it (dict) or None."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, Mapping):
        raise _bad("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
        actions = (
            "callback_data",
            "url",
            "login_url",
            "switch_inline_query",
            "switch_inline_query_current_chat",
            "switch_inline_query_chosen_chat",
            "copy_text",
            "web_app",
            "callback_game",
            "pay",
        )
        for row in rows:
            for button in row:
                if not isinstance(button, Mapping):
                    raise _bad(
                        "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                    )
                if not str(button.get("text", "")):
                    raise _bad("BUTTON_TEXT_INVALID")
                if not any(key in button for key in actions):
                    raise _bad(
                        "can't parse inline keyboard button: Text buttons are unallowed "
                        "in the inline keyboard"
                    )
                data = button.get("callback_data")
                if data is not None:
                    size = len(str(data).encode())
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise _bad("BUTTON_DATA_INVALID")
    return dict(markup)


def _coerce_params(params: Mapping[str, Any]) -> JSONDict:
    """Decodes wire strings to Telegram's parameter types (see module docstring)."""
    result: JSONDict = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, str):
            if name in _INT_PARAMS:
                stripped = value.strip()
                if re.fullmatch(r"-?\d+", stripped):
                    value = int(stripped)
                elif name != "chat_id":
                    raise _bad(f"invalid {name} specified")
            elif name in _FLOAT_PARAMS:
                try:
                    value = float(value)
                except ValueError:
                    raise _bad(f"invalid {name} specified") from None
            elif name in _BOOL_PARAMS:
                value = value.strip().lower() in ("true", "1")
            elif name in _JSON_PARAMS and value != "":
                try:
                    value = json.loads(value)
                except ValueError:
                    if name == "reply_markup":
                        raise _bad("can't parse reply keyboard markup JSON object") from None
                    raise _bad(f"can't parse {name} JSON object") from None
        result[name] = value
    return result


# ---------------------------------------------------------------------------------------------
# In-process transport for python-telegram-bot
# ---------------------------------------------------------------------------------------------


def _upload_from_field(name: str, field_tuple: Any) -> FakeUpload:
    filename, content, mime = field_tuple
    if not isinstance(content, bytes):
        handle = cast(IO[bytes], content)
        content = handle.read()
    return FakeUpload(str(filename or name), str(mime or "application/octet-stream"), content)


class FakeRequest(BaseRequest):
    """A python-telegram-bot request object that calls :class:`FakeBotApi` in-process.

    Parameters arrive exactly as python-telegram-bot would put them on the wire
    (``RequestData.json_parameters`` strings plus multipart files), and the response goes
    through python-telegram-bot's own status/error handling.
    """

    __slots__ = ("_read_timeout", "api")

    def __init__(self, api: FakeBotApi, *, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        # File URLs arrive percent-encoded (python-telegram-bot quotes the path, token
        # included: ":" -> "%3A"), so decode before matching.
        path = unquote(urlsplit(url).path)
        file_match = _FILE_URL_RE.search(path)
        if file_match:
            if file_match.group(1) != self.api.token:
                return 401, json.dumps(_error_body(401, "Unauthorized")).encode()
            data = self.api._file_by_path(file_match.group(2))
            if data is None:
                return 404, json.dumps(_error_body(404, "Not Found")).encode()
            return 200, data
        match = _URL_RE.search(path)
        if match is None:
            return 404, json.dumps(_error_body(404, "Not Found")).encode()
        if match.group(1) != self.api.token:
            return 401, json.dumps(_error_body(401, "Unauthorized")).encode()
        params: dict[str, Any] = {}
        if request_data is not None:
            params.update(request_data.json_parameters)
            for name, field_tuple in request_data.multipart_data.items():
                params[name] = _upload_from_field(name, field_tuple)
        outcome = await self.api._handle_async(match.group(2), params)
        if outcome.hang:
            raise TimedOut("Timed out (injected by FakeBotApi; the call took effect)")
        return outcome.status, json.dumps(outcome.body).encode()


# ---------------------------------------------------------------------------------------------
# HTTP server
# ---------------------------------------------------------------------------------------------


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP_POLICY).parsebytes(head + body)
    params: dict[str, Any] = {}
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return params
    for part in message.iter_parts():
        if not isinstance(part, EmailMessage):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            charset = part.get_content_charset() or "utf-8"
            params[name] = data.decode(charset, "replace")
        else:
            params[name] = FakeUpload(filename, part.get_content_type(), data)
    return params


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # never log: the request line contains the bot token

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, body: JSONDict) -> None:
        self._send(status, json.dumps(body).encode())

    def _serve(self) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        path = unquote(parts.path)  # file URLs arrive percent-encoded, token included
        file_match = _FILE_URL_RE.fullmatch(path)
        if file_match:
            if file_match.group(1) != api.token:
                self._send_json(401, _error_body(401, "Unauthorized"))
                return
            data = api._file_by_path(file_match.group(2))
            if data is None:
                self._send_json(404, _error_body(404, "Not Found"))
            else:
                self._send(200, data, "application/octet-stream")
            return
        match = _URL_RE.fullmatch(path)
        if match is None:
            self._send_json(404, _error_body(404, "Not Found"))
            return
        if match.group(1) != api.token:
            self._send_json(401, _error_body(401, "Unauthorized"))
            return
        params: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
        body = self._read_body()
        content_type = self.headers.get("Content-Type") or ""
        media_type = content_type.split(";", 1)[0].strip().lower()
        try:
            if media_type == "application/json" and body:
                decoded = json.loads(body)
                if not isinstance(decoded, dict):
                    raise ValueError("JSON body must be an object")
                # JSON bodies carry typed values; objects stay objects.
                params.update(decoded)
            elif media_type == "multipart/form-data":
                params.update(_parse_multipart(content_type, body))
            elif body:
                params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError):
            self._send_json(400, _error_body(400, "Bad Request: can't parse request body"))
            return
        self.server.content_types.append(media_type)
        outcome = api._handle_blocking(match.group(2), params)
        if outcome.hang:
            time.sleep(self.server.timeout_delay)
        self._send_json(outcome.status, outcome.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: FakeBotApi, timeout_delay: float) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self.timeout_delay = timeout_delay
        self.content_types: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that went away (timeouts, closed long polls) are normal here; stay quiet.
        return None


class FakeBotApiServer:
    """Serves a :class:`FakeBotApi` over HTTP on 127.0.0.1 (port 0 = a free port).

    ``start()`` returns the base URL; python-telegram-bot uses ``base_url=url + "/bot"``.
    """

    def __init__(
        self,
        api: FakeBotApi | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_delay: float = 3.0,
    ) -> None:
        self.api = api if api is not None else FakeBotApi()
        self.host = host
        self.port = port
        self.timeout_delay = timeout_delay
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def content_types(self) -> list[str]:
        """Content types of the request bodies received so far (for tests)."""
        return list(self._server.content_types) if self._server else []

    def start(self) -> str:
        if self._server is None:
            self._server = _Server((self.host, self.port), self.api, self.timeout_delay)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="fake-bot-api",
                daemon=True,
            )
            self._thread.start()
        return self.url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self.api.wake_pollers()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeBotApiServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# Interactive terminal "phone"
# ---------------------------------------------------------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _describe(message: FakeMessage) -> str:
    if message.text is not None:
        body = message.text
    else:
        body = f"[{message.kind}]" + (f" {message.caption}" if message.caption else "")
    lines = [f"bot #{message.message_id}: {body}"]
    row_texts: list[str] = []
    number = 0
    for row in (message.reply_markup or {}).get("inline_keyboard") or []:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.get('text', '')}")
        row_texts.append("   " + "  ".join(labels))
    lines.extend(row_texts)
    keyboard = (message.reply_markup or {}).get("keyboard")
    if keyboard:
        labels = [b if isinstance(b, str) else str(b.get("text", "")) for r in keyboard for b in r]
        lines.append("   keyboard: " + " | ".join(labels))
    return "\n".join(lines)


def _watch(api: FakeBotApi, user_id: int, stop: threading.Event) -> None:
    seen: dict[int, tuple[int, bool]] = {}
    answers_seen = 0
    version = -1

    def changed(current: FakeBotApi) -> bool:
        return current.version != version

    while not stop.is_set():
        api.wait_for(changed, timeout=0.5)
        version = api.version
        for message in api.all_bot_messages(user_id):
            state = (message.edited_count, message.deleted)
            before = seen.get(message.message_id)
            if before == state:
                continue
            seen[message.message_id] = state
            if message.deleted:
                if before is not None:
                    _out(f"(bot deleted #{message.message_id})")
            elif before is None:
                _out(_describe(message))
            else:
                _out("(edited) " + _describe(message))
        answers = api.callback_answers()
        for answer in answers[answers_seen:]:
            if answer.get("text"):
                kind = "alert" if answer.get("show_alert") else "toast"
                _out(f"({kind}) {answer['text']}")
        answers_seen = len(answers)


_PHONE_HELP = """Type a line to send it as a text message.
  /press N     press button N of the last bot message with buttons
  /photo [caption]  /sticker  /voice  /location  /document
  /block  /unblock  /quit (or Ctrl-D)"""


def _phone_command(api: FakeBotApi, user_id: int, lang: str | None, line: str) -> bool:
    """Handles a local phone command; False when the line is not one."""
    word, _, rest = line.partition(" ")
    if word == "/press":
        with_buttons = [m for m in api.bot_messages(user_id) if buttons(m)]
        if not with_buttons:
            _out("(no bot message with buttons)")
            return True
        target = with_buttons[-1]
        options = buttons(target)
        try:
            index = int(rest.strip()) - 1
            if not 0 <= index < len(options):
                raise ValueError
        except ValueError:
            _out(f"(choose a button 1-{len(options)})")
            return True
        if not options[index][1]:
            _out("(that is not a callback button)")
            return True
        api.push_callback(user_id, options[index][1], target.message_id, language_code=lang)
        return True
    actions: dict[str, Callable[[], int]] = {
        "/photo": lambda: api.push_photo(user_id, caption=rest or None, language_code=lang),
        "/sticker": lambda: api.push_sticker(user_id, language_code=lang),
        "/voice": lambda: api.push_voice(user_id, language_code=lang),
        "/location": lambda: api.push_location(user_id, language_code=lang),
        "/document": lambda: api.push_document(user_id, language_code=lang),
        "/block": lambda: api.block_bot(user_id),
        "/unblock": lambda: api.unblock_bot(user_id),
    }
    action = actions.get(word)
    if action is None:
        return False
    action()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API with a terminal phone")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="kks_test_bot")
    parser.add_argument("--user-id", type=int, default=1000)
    parser.add_argument("--lang", default="nl", help='language_code of the user ("" for none)')
    parser.add_argument("--first-name", default="Test")
    args = parser.parse_args(argv)

    api = FakeBotApi(token=args.token, bot_username=args.bot_username)
    lang: str | None = args.lang or None
    api.add_user(args.user_id, first_name=args.first_name, language_code=lang)
    server = FakeBotApiServer(api, host=args.host, port=args.port)
    url = server.start()
    _out(f"Fake Bot API at {url}  (python-telegram-bot: base_url={url}/bot)")
    _out(f"Bot token: {args.token}")
    _out(f"You are user {args.user_id} ({args.first_name}, language {lang}).")
    _out(_PHONE_HELP)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(api, args.user_id, stop), daemon=True)
    watcher.start()
    try:
        while True:
            try:
                line = input()
            except EOFError:
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.strip() == "/quit":
                break
            if not _phone_command(api, args.user_id, lang, line.strip()):
                api.push_text(args.user_id, line, language_code=lang, first_name=args.first_name)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
