"""The fake Bot API's vocabulary: Telegram's limits, the small types a test sees
(:class:`FakeMessage`, :class:`FakeCall`, ...), errors as Telegram words them, and how
parameters arrive on the wire."""


from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456:TEST-TOKEN"

#: Telegram limits.
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
DELETE_WINDOW_SECONDS = 48 * 3600.0
CALLBACK_ANSWER_WINDOW_SECONDS = 15.0 * 60  # generous: real Telegram is stricter

METHODS = (
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
_CANONICAL: dict[str, str] = {name.lower(): name for name in METHODS}

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

CHAT_ACTIONS = frozenset(
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

INT_PARAMS = frozenset(
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
FLOAT_PARAMS = frozenset({"timeout"})
BOOL_PARAMS = frozenset(
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
JSON_PARAMS = frozenset(
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

COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")
BOT_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")
URL_RE = re.compile(r"/bot([^/]*)/([^/?#]*)$")
FILE_URL_RE = re.compile(r"/file/bot([^/]*)/(.+)$")

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


def utf16_length(text: str) -> int:
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
                app = button.get("web_app")
                data = ("webapp:" + str(app.get("url", ""))) if isinstance(app, Mapping) \
                    else str(button.get("callback_data", ""))
                result.append((str(button.get("text", "")), data))
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
class User:
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
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass
class CallbackQuery:
    query_id: str
    user_id: int
    created: float
    answered: bool = False
    answer: JSONDict | None = None


@dataclass
class Fault:
    status: int
    description: str
    remaining: int | None
    retry_after: int | None


@dataclass
class Outcome:
    status: int
    body: JSONDict
    hang: bool = False


@dataclass
class PendingPoll:
    call: FakeCall
    limit: int
    deadline: float
    generation: int
    wake_epoch: int
    hang: bool


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def error_body(status: int, description: str, retry_after: int | None = None) -> JSONDict:
    body: JSONDict = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body



def scope_key(scope: Any) -> str:
    if not isinstance(scope, Mapping) or not scope:
        scope = {"type": "default"}
    return json.dumps(dict(scope), sort_keys=True)


def inline_keyboard(markup: JSONDict | None) -> Any:
    return markup.get("inline_keyboard") if markup else None


def check_reply_markup(markup: Any) -> JSONDict | None:
    """Validates reply_markup like Telegram; returns it (dict) or None."""
    if markup is None or markup == "":
        return None
    if not isinstance(markup, Mapping):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
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
                    raise bad_request(
                        "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
                    )
                if not str(button.get("text", "")):
                    raise bad_request("BUTTON_TEXT_INVALID")
                if not any(key in button for key in actions):
                    raise bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed "
                        "in the inline keyboard"
                    )
                app = button.get("web_app")
                if app is not None:
                    url = str(app.get("url", "")) if isinstance(app, Mapping) else ""
                    if not url.startswith("https://"):
                        raise bad_request(f"inline keyboard button Web App URL '{url}' is "
                                          "invalid: Only HTTPS links are allowed")
                data = button.get("callback_data")
                if data is not None:
                    size = len(str(data).encode())
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise bad_request("BUTTON_DATA_INVALID")
    return dict(markup)


def coerce_params(params: Mapping[str, Any]) -> JSONDict:
    """Decodes wire strings to Telegram's parameter types (see module docstring)."""
    result: JSONDict = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, str):
            if name in INT_PARAMS:
                stripped = value.strip()
                if re.fullmatch(r"-?\d+", stripped):
                    value = int(stripped)
                elif name != "chat_id":
                    raise bad_request(f"invalid {name} specified")
            elif name in FLOAT_PARAMS:
                try:
                    value = float(value)
                except ValueError:
                    raise bad_request(f"invalid {name} specified") from None
            elif name in BOOL_PARAMS:
                value = value.strip().lower() in ("true", "1")
            elif name in JSON_PARAMS and value != "":
                try:
                    value = json.loads(value)
                except ValueError:
                    if name == "reply_markup":
                        raise bad_request("can't parse reply keyboard markup JSON object") from None
                    raise bad_request(f"can't parse {name} JSON object") from None
        result[name] = value
    return result


