"""Transcript testing: talk to the core as a user would, read what the bot shows.

The messages go the whole way through the outbox worker into a
:class:`MemoryTransport`, which keeps a chat the way a phone shows it: sent,
edited and deleted messages, and the buttons of each.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.app import Core
from ..core.events import Inbound, InKind
from ..core.outbox import ButtonRows, OutboxWorker

_TAGS = re.compile(r"</?(b|i)>")


@dataclass
class ShownMessage:
    message_id: int
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    deleted: bool = False
    from_bot: bool = True
    document: tuple[str, bytes] | None = None  # (file name, content) of a sent file

    @property
    def plain(self) -> str:
        return html.unescape(_TAGS.sub("", self.text))

    def labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]


class MemoryTransport:
    """A fake chat client that remembers everything shown."""

    def __init__(self) -> None:
        self.messages: dict[int, ShownMessage] = {}
        self.next_id = 1
        self.fail_delete: set[int] = set()

    def new_id(self) -> int:
        message_id = self.next_id
        self.next_id += 1
        return message_id

    async def send(self, chat_id: int, text: str, buttons: ButtonRows) -> int:
        message_id = self.new_id()
        self.messages[message_id] = ShownMessage(message_id, chat_id, text,
                                                 [list(r) for r in buttons])
        return message_id

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str) -> int:
        message_id = self.new_id()
        self.messages[message_id] = ShownMessage(message_id, chat_id, caption, [],
                                                 document=(filename, data))
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows) -> None:
        message = self.messages[message_id]
        message.text, message.buttons = text, [list(r) for r in buttons]

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

    core: Core
    worker: OutboxWorker
    transport: MemoryTransport
    user_id: int = 1001
    language_code: str | None = "nl"
    update_id: int = 0
    seen: int = 0
    log: list[ShownMessage] = field(default_factory=list)

    async def _do(self, event: Inbound) -> list[ShownMessage]:
        before = {m.message_id: m.text for m in self.transport.messages.values()}
        await self.core.handle(event)
        await self.worker.deliver()
        new = [m for m in self.transport.messages.values()
               if m.chat_id == self.user_id and (m.message_id not in before
                                                  or before[m.message_id] != m.text)]
        self.log.extend(new)
        return new

    def _next_update(self) -> int:
        self.update_id += 1
        return self.user_id * 100_000 + self.update_id

    async def send(self, text: str) -> list[ShownMessage]:
        """Type a message (a command when it starts with "/")."""
        message_id = self.transport.new_id()
        self.transport.messages[message_id] = ShownMessage(message_id, self.user_id, text, [],
                                                           from_bot=False)
        base = {"user_id": self.user_id, "chat_id": self.user_id,
                "update_id": self._next_update(), "language_code": self.language_code,
                "message_id": message_id}
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
