"""The state and logic of the fake Bot API server (private chats only).

Tests push updates from simulated users (``push_text``, ``push_callback``, ...) and
inspect what the bot did (``calls``, ``bot_messages``, ...); faults (429/500/timeouts,
failing methods) can be injected. The Bot API methods themselves are in ``methods.py``.

Parameters are interpreted the way Telegram does it: python-telegram-bot sends every value
as a *string* (form fields; JSON for objects/arrays, but plain text unquoted), so the fake
decodes each parameter according to its declared type (``chat_id`` int, ``reply_markup``
JSON, ``text`` never). A message text such as ``[1, 2]`` therefore stays text.
"""


from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .common import (
    _CANONICAL,
    COMMAND_RE,
    CONFLICT,
    DEFAULT_TOKEN,
    SENDING_METHODS,
    ApiError,
    CallbackQuery,
    FakeCall,
    FakeClock,
    FakeMessage,
    Fault,
    JSONDict,
    Outcome,
    PendingPoll,
    StoredFile,
    User,
    buttons,
    coerce_params,
    error_body,
    scope_key,
    utf16_length,
)
from .methods import BotMethods

# ---------------------------------------------------------------------------------------------
# The API state and logic
# ---------------------------------------------------------------------------------------------


class FakeBotApi(BotMethods):
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

        self._rng = random.Random(seed)
        self._next_update_id = first_update_id
        self._updates: list[tuple[int, JSONDict]] = []
        self.webhook: JSONDict | None = None
        self._poll_generation = 0
        self._wake_epoch = 0

        self._users: dict[int, User] = {}
        self._messages: dict[int, dict[int, FakeMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._files: dict[str, StoredFile] = {}
        self._file_counter = 0
        self._callbacks: dict[str, CallbackQuery] = {}
        self._callback_counter = 0
        self._chat_actions: dict[int, list[str]] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._menu_buttons: dict[int | None, JSONDict] = {}

        self._faults: dict[str, Fault] = {}
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

    def _new_file(self, kind: str, data: bytes, extension: str) -> StoredFile:
        self._file_counter += 1
        digest = hashlib.sha256(f"{self.seed}:{kind}:{self._file_counter}".encode()).digest()
        prefix = {"photo": b"AgAC", "sticker": b"CAAC", "voice": b"AwAC", "document": b"BQAC"}
        file_id = (
            (prefix.get(kind, b"BQAC") + base64.urlsafe_b64encode(digest + digest[:12]))
            .decode()
            .rstrip("=")
        )
        unique = ("AQAD" + base64.urlsafe_b64encode(digest[:9]).decode()).rstrip("=")
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=unique,
            file_path=f"{kind}s/file_{self._file_counter}.{extension}",
            data=data,
        )
        self._files[file_id] = stored
        return stored

    def _user(self, user_id: int, first_name: str, language_code: str | None) -> User:
        user = self._users.get(user_id)
        if user is None:
            user = User(user_id, first_name, language_code)
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
        match = COMMAND_RE.match(text)
        if match:
            entities.append(
                {"type": "bot_command", "offset": 0, "length": utf16_length(match.group())}
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
            self._callbacks[query_id] = CallbackQuery(query_id, user_id, self._now())
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
            user = self._users.get(user_id) or User(user_id, "Test", "nl")
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
            return list(self._commands.get((scope_key(scope), language_code), []))

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
                    found = self._commands.get((scope_key(scope), code))
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
            self._faults[_CANONICAL.get(method.lower(), method)] = Fault(
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

    def _pick_fault(self, method: str) -> Outcome | str | None:
        """A forced outcome, "timeout", or None. Caller holds the lock."""
        fault = self._faults.get(method)
        if fault is not None:
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self._faults[method]
            return Outcome(
                fault.status, error_body(fault.status, fault.description, fault.retry_after)
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
            return Outcome(429, error_body(429, "Too Many Requests: retry after 1", 1))
        if kind == "500":
            return Outcome(500, error_body(500, "Internal Server Error"))
        return "timeout"

    # -- request handling ----------------------------------------------------------------------

    def handle(self, method: str, params: Mapping[str, Any]) -> tuple[int, JSONDict]:
        """Executes one Bot API call; returns (HTTP status, JSON body).

        Blocks for a long-polling getUpdates. An injected "timeout" fault is only visible
        through the transports (FakeRequest raises TimedOut, the HTTP server stalls).
        """
        outcome = self._handle_blocking(method, params)
        return outcome.status, outcome.body

    def _handle_blocking(self, method: str, params: Mapping[str, Any]) -> Outcome:
        with self._cond:
            started = self._start(method, params)
            if isinstance(started, Outcome):
                return started
            while True:
                outcome = self._poll(started)
                if outcome is not None:
                    return outcome
                self._cond.wait(max(0.0, started.deadline - time.monotonic()))

    async def _handle_async(self, method: str, params: Mapping[str, Any]) -> Outcome:
        started = self._start(method, params)
        if isinstance(started, Outcome):
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

    def _start(self, method: str, params: Mapping[str, Any]) -> Outcome | PendingPoll:
        """Records the call and runs it, or returns a pending long poll."""
        with self._lock:
            name = _CANONICAL.get(method.lower(), method)
            call = FakeCall(name, {}, self._now(), time.monotonic())
            self.call_log.append(call)
            self.calls.append((name, call.params))
            try:
                call.params.update(coerce_params(params))
            except ApiError as exc:
                error = error_body(exc.status, exc.description)
                return self._finish(call, Outcome(exc.status, error))
            if name not in _CANONICAL.values():
                return self._finish(call, Outcome(404, error_body(404, "Not Found")))
            fault = self._pick_fault(name)
            if isinstance(fault, Outcome):
                return self._finish(call, fault)
            hang = fault == "timeout"
            if name == "getUpdates":
                return self._start_get_updates(call, hang)
            try:
                result = getattr(self, f"_api_{name}")(call.params)
                outcome = Outcome(200, {"ok": True, "result": result}, hang)
            except ApiError as exc:
                outcome = Outcome(
                    exc.status, error_body(exc.status, exc.description, exc.retry_after)
                )
            self._changed()
            return self._finish(call, outcome)

    def _finish(self, call: FakeCall, outcome: Outcome) -> Outcome:
        call.status = outcome.status
        return outcome

    def _start_get_updates(self, call: FakeCall, hang: bool) -> Outcome | PendingPoll:
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
        pending = PendingPoll(
            call=call,
            limit=limit,
            deadline=time.monotonic() + timeout,
            generation=self._poll_generation,
            wake_epoch=self._wake_epoch,
            hang=hang,
        )
        outcome = self._poll(pending, first=True)
        return pending if outcome is None else outcome

    def _poll(self, pending: PendingPoll, *, first: bool = False) -> Outcome | None:
        with self._lock:
            if not first and pending.generation != self._poll_generation:
                return self._finish(pending.call, Outcome(409, error_body(409, CONFLICT)))
            batch = [u for _, u in self._updates[: pending.limit]]
            if (
                batch
                or time.monotonic() >= pending.deadline
                or pending.wake_epoch != self._wake_epoch
            ):
                outcome = Outcome(200, {"ok": True, "result": batch}, pending.hang)
                return self._finish(pending.call, outcome)
            return None

    # -- methods (called with the lock held; params already decoded) -------------------------
