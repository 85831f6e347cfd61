"""Transcript testing: talk to the core as a user would, read what the bot shows.

The messages go the whole way through the outbox worker into a
:class:`MemoryTransport`, which keeps a chat the way a phone shows it: sent,
edited and deleted messages, and the buttons of each. It is as strict as Telegram:
HTML that Telegram would refuse, a text over 4,096 characters, an empty text or
button data over 64 bytes fails the call exactly as the Bot API would.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kks_bot.delivery.outbox import BadMarkup, ButtonRows, Rejected
from kks_bot.delivery.worker import OutboxWorker
from kks_bot.kernel.buttons import web_app_url
from kks_bot.kernel.engine import Kernel
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.text import plain_text

from .bidi import turned_runs
from .telegram_html import HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
# What a reader sees when text was escaped twice ("&amp;lt;" shows as "&lt;"), or when
# the bot's own tags were escaped ("<b>" shows as "<b>").
_DOUBLE_ESCAPED = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);|</?[bi]>")


def visible(text: str, *, html: bool = True, limit: int = MAX_TEXT) -> str:
    """The text a Telegram user would see, or the Bot API's refusal (as PTB raises it)."""
    if html:
        try:
            shown, _ = parse_html(text)
        except HtmlError as exc:
            raise BadMarkup(f"Can't parse entities: {str(exc)[:1].lower()}{str(exc)[1:]}") \
                from None
    else:
        shown = text
    if not shown.strip():
        raise Rejected("Message text is empty")
    if utf16_len(shown) > limit:
        raise Rejected("Message is too long" if limit == MAX_TEXT
                       else "Message caption is too long")
    return shown


ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def unisolated(text: str) -> str:
    return text.translate(ISOLATES)


def check_buttons(buttons: ButtonRows) -> None:
    for row in buttons:
        for label, data in row:
            if not label.strip():
                raise Rejected("Button_text_invalid")
            url = web_app_url(data)
            if url is not None:  # a Mini App button: Telegram wants an HTTPS address
                if not url.startswith("https://"):
                    raise Rejected("inline keyboard button Web App URL is invalid: Only "
                                   "HTTPS links are allowed")
                continue
            if not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA:
                raise Rejected("Button_data_invalid")


@dataclass
class ShownMessage:
    message_id: int
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    deleted: bool = False
    from_bot: bool = True
    document: tuple[str, bytes] | None = None  # (file name, content) of a sent file
    shown: str | None = None  # what the user sees (set for the bot's messages)

    @property
    def plain(self) -> str:
        """What the user reads: the text as shown, without the invisible directional
        isolates around inserted values (tests about those read ``shown``)."""
        return unisolated(self.shown if self.shown is not None else plain_text(self.text))

    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


class MemoryTransport:
    """A fake chat client that remembers everything shown, as strict as Telegram.

    ``catch_double_escapes``: also fail when a message or button shows an escaped
    character ("&amp;", "&lt;"): text escaped twice. Off for tests that type such
    sequences themselves.
    """

    def __init__(self, *, catch_double_escapes: bool = True) -> None:
        self.messages: dict[int, ShownMessage] = {}
        self.next_id = 1
        self.fail_delete: set[int] = set()
        self.catch_double_escapes = catch_double_escapes
        # Every refusal, as Telegram worded it: a test fixture fails on any (a refused
        # message is a bug, even when the outbox then sends it as plain text).
        self.refusals: list[str] = []

    def _check(self, text: str, buttons: ButtonRows, *, html: bool,
               limit: int = MAX_TEXT) -> str:
        try:
            shown = visible(text, html=html, limit=limit)
            check_buttons(buttons)
        except Rejected as exc:
            self.refusals.append(str(exc))
            raise
        if self.catch_double_escapes:
            for seen in (shown, *(label for row in buttons for label, _ in row)):
                found = _DOUBLE_ESCAPED.search(seen)
                assert found is None, f"escaped twice: {found.group()!r} shows in {seen!r}"
        return shown

    def new_id(self) -> int:
        message_id = self.next_id
        self.next_id += 1
        return message_id

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        shown = self._check(text, buttons, html=html)
        message_id = self.new_id()
        self.messages[message_id] = ShownMessage(message_id, chat_id, text,
                                                 [list(r) for r in buttons], shown=shown)
        return message_id

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str, *, html: bool = True) -> int:
        shown = self._check(caption, [], html=html, limit=MAX_CAPTION) if caption else ""
        message_id = self.new_id()
        self.messages[message_id] = ShownMessage(message_id, chat_id, caption, [],
                                                 document=(filename, data), shown=shown)
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        shown = self._check(text, buttons, html=html)
        message = self.messages[message_id]
        message.text, message.buttons, message.shown = text, [list(r) for r in buttons], shown

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        ok = True
        for message_id in message_ids:
            if message_id in self.fail_delete or message_id not in self.messages:
                ok = False
                continue
            self.messages[message_id].deleted = True
        return ok

    def visible(self, chat_id: int) -> list[ShownMessage]:
        return [m for m in self.messages.values() if m.chat_id == chat_id and not m.deleted]


@dataclass
class Chat:
    """One user's chat with the bot."""

    kernel: Kernel
    worker: OutboxWorker
    transport: MemoryTransport
    user_id: int = 1001
    language_code: str | None = "nl"
    update_id: int = 0
    seen: int = 0
    log: list[ShownMessage] = field(default_factory=list)

    async def _do(self, event: Inbound) -> list[ShownMessage]:
        before = {m.message_id: m.text for m in self.transport.messages.values()}
        await self.kernel.handle(event)
        return await self.deliver(before)

    async def deliver(self, before: dict[int, str] | None = None) -> list[ShownMessage]:
        """Run the outbox; what it changed in this chat (since ``before``) is logged."""
        if before is None:
            before = {m.message_id: m.text for m in self.transport.messages.values()}
        await self.worker.deliver()
        new = [m for m in self.transport.messages.values()
               if m.chat_id == self.user_id and (m.message_id not in before
                                                  or before[m.message_id] != m.text)]
        if self.language_code == "ar":  # every Arabic screen keeps its numbers in order
            for message in new:
                turned = turned_runs(message.shown if message.shown is not None
                                     else plain_text(message.text))
                assert turned == [], f"shown the wrong way round: {turned} in {message.text!r}"
        self.log.extend(new)
        return new

    def _next_update(self) -> int:
        self.update_id += 1
        return self.user_id * 100_000 + self.update_id

    async def send(self, text: str) -> list[ShownMessage]:
        """Type a message (a command when it starts with "/")."""
        message_id = self.transport.new_id()
        self.transport.messages[message_id] = ShownMessage(message_id, self.user_id, text, [],
                                                           from_bot=False, shown=text)
        base = {"user_id": self.user_id, "chat_id": self.user_id,
                "update_id": self._next_update(), "language_code": self.language_code,
                "message_id": message_id, "sender_name": f"Tester {self.user_id}",
                "sender_username": f"tester{self.user_id}"}
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            event = Inbound(kind=InKind.COMMAND, command=name.lower(), text=args, **base)  # type: ignore[arg-type]
        else:
            event = Inbound(kind=InKind.TEXT, text=text, **base)  # type: ignore[arg-type]
        return await self._do(event)

    async def send_media(self, media: str = "photo") -> list[ShownMessage]:
        message_id = self.transport.new_id()
        self.transport.messages[message_id] = ShownMessage(message_id, self.user_id,
                                                           f"[{media}]", [], from_bot=False)
        return await self._do(Inbound(
            user_id=self.user_id, chat_id=self.user_id, kind=InKind.UNSUPPORTED, media=media,
            update_id=self._next_update(), language_code=self.language_code,
            message_id=message_id))

    def last_with_buttons(self) -> ShownMessage:
        for message in reversed(list(self.transport.messages.values())):
            if message.chat_id == self.user_id and message.buttons and not message.deleted:
                return message
        raise AssertionError("no message with buttons")

    async def press(self, label: str, *, message: ShownMessage | None = None,
                    exact: bool = False) -> list[ShownMessage]:
        """Press the button whose label contains ``label`` (on the newest keyboard)."""
        target = message or self.last_with_buttons()
        for row in target.buttons:
            for text, data in row:
                if (text == label) if exact else (label.casefold() in text.casefold()):
                    return await self.press_data(data, target.message_id)
        raise AssertionError(f"no button {label!r} in {target.labels()}")

    async def press_data(self, data: str, message_id: int) -> list[ShownMessage]:
        return await self._do(Inbound(
            user_id=self.user_id, chat_id=self.user_id, kind=InKind.BUTTON, data=data,
            button_message_id=message_id, update_id=self._next_update(),
            language_code=self.language_code))

    @property
    def last(self) -> ShownMessage:
        return [m for m in self.transport.messages.values()
                if m.chat_id == self.user_id and m.from_bot][-1]

    def text(self) -> str:
        """Everything the bot showed since the last call, as plain text."""
        shown = self.log[self.seen:]
        self.seen = len(self.log)
        return "\n".join(m.plain for m in shown)

    def shown(self) -> str:
        """Like :meth:`text`, with the directional isolates kept (tests about them)."""
        shown = self.log[self.seen:]
        self.seen = len(self.log)
        return "\n".join(m.shown if m.shown is not None else m.text for m in shown)


def find_action(message: ShownMessage, action: str) -> str | None:
    """The callback data of the button for ``action`` (e.g. "o:ja", "done")."""
    for row in message.buttons:
        for _label, data in row:
            if data.partition(".")[2] == action:
                return data
    return None


async def press_action(chat: Chat, action: str) -> list[ShownMessage]:
    """Press the button for ``action`` on the newest keyboard (language-independent)."""
    message = chat.last_with_buttons()
    data = find_action(message, action)
    if data is None:
        raise AssertionError(f"no button for {action!r}; buttons: "
                             f"{[d for row in message.buttons for _, d in row]}\n{message.plain}")
    return await chat.press_data(data, message.message_id)
