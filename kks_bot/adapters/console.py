"""The bot in a terminal: the same core, the same conversations, no Telegram.

Type an answer, a command (/start, /aanmelden, /taal ...), or the letter of a
button (letters, so that a typed number is always an answer). ``/foto`` pretends to
send a photo (to see how the bot answers media); ``/quit`` or Ctrl-D leaves. State
lives in the same database as the Telegram bot's, under a console user id.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from ..core.events import Inbound, InKind
from ..core.outbox import ButtonRows
from ..i18n import N_
from ..runtime import Runtime

CONSOLE_USER_ID = 1
_TAG = re.compile(r"</?(b|i)>")


def button_key(index: int) -> str:
    """a, b, ... z, aa, ab, ... for the button at ``index`` (0-based)."""
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


class ConsoleTransport:
    """Prints messages; remembers the buttons so a number can press one."""

    def __init__(self, out: TextIO, *, color: bool = False) -> None:
        self.out = out
        self.color = color
        self.next_id = 1
        self.buttons: list[tuple[str, str]] = []
        self.button_message_id = 0
        self.messages: dict[int, str] = {}

    def _render(self, text: str) -> str:
        if self.color:
            text = text.replace("<b>", "\033[1m").replace("</b>", "\033[0m")
            text = text.replace("<i>", "\033[2m").replace("</i>", "\033[0m")
        return html.unescape(_TAG.sub("", text))

    def _show(self, message_id: int, text: str, buttons: ButtonRows) -> None:
        self.out.write("\n" + self._render(text) + "\n")
        flat = [b for row in buttons for b in row]
        if flat:
            self.buttons = [(label, data) for label, data in flat]
            self.button_message_id = message_id
            number = 0
            for row in buttons:
                cells = []
                for label, _data in row:
                    cells.append(f"[{button_key(number)}] {label}")
                    number += 1
                self.out.write("   ".join(cells) + "\n")
        self.out.flush()

    async def send(self, chat_id: int, text: str, buttons: ButtonRows) -> int:
        message_id = self.next_id
        self.next_id += 1
        self.messages[message_id] = text
        self._show(message_id, text, buttons)
        return message_id

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str) -> int:
        """A file is not written anywhere (it holds family data): only announced."""
        message_id = self.next_id
        self.next_id += 1
        self.messages[message_id] = caption
        self._show(message_id, f"📎 {filename} ({len(data) // 1024 + 1} kB)\n{caption}", [])
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows) -> None:
        self.messages[message_id] = text
        self._show(message_id, text, buttons)

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        for message_id in message_ids:
            self.messages.pop(message_id, None)
        return True


def to_event(line: str, transport: ConsoleTransport, user_id: int,
             language_code: str | None) -> Inbound | None:
    text = line.strip()
    if not text:
        return None
    base = {"user_id": user_id, "chat_id": user_id, "language_code": language_code}
    keys = [button_key(i) for i in range(len(transport.buttons))]
    if text.lower() in keys:
        _label, data = transport.buttons[keys.index(text.lower())]
        return Inbound(kind=InKind.BUTTON, data=data,
                       button_message_id=transport.button_message_id, **base)  # type: ignore[arg-type]
    if text in ("/foto", "/photo"):
        return Inbound(kind=InKind.UNSUPPORTED, media="photo", **base)  # type: ignore[arg-type]
    if text.startswith("/"):
        name, _, args = text[1:].partition(" ")
        return Inbound(kind=InKind.COMMAND, command=name.split("@")[0].lower(), text=args,
                       **base)  # type: ignore[arg-type]
    return Inbound(kind=InKind.TEXT, text=line.rstrip("\n"), **base)  # type: ignore[arg-type]


async def run_console(runtime: Runtime, *, language: str | None = None,
                      user_id: int = CONSOLE_USER_ID, stdin: TextIO | None = None,
                      stdout: TextIO | None = None,
                      read_line: Callable[[], str] | None = None) -> None:
    """Run the conversation loop until /quit or end of input."""
    out = stdout or sys.stdout
    source = stdin or sys.stdin
    transport = ConsoleTransport(out, color=out.isatty())
    worker = runtime.worker(transport)
    await worker.recover()
    if runtime.key_file_created:
        out.write(f"(Created an encryption key file: {runtime.settings.key_file}, "
                  "readable only by you.)\n")
    tr = runtime.core.tr
    locale = language or runtime.settings.default_locale
    out.write(tr.t(locale, N_("KKS-bot in de terminal. Typ je antwoord, of de letter van een "
                              "knop om erop te drukken ([a], [b], ...). /taal: taal kiezen, "
                              "/quit: stoppen.")) + "\n")
    out.flush()
    loop = asyncio.get_running_loop()
    reader = read_line or source.readline
    first = Inbound(user_id=user_id, chat_id=user_id, kind=InKind.COMMAND, command="start",
                    language_code=language)
    await runtime.core.handle(first)
    await worker.deliver()
    while True:
        out.write("\n> ")
        out.flush()
        line = await loop.run_in_executor(None, reader)
        if not line or line.strip() in ("/quit", "/exit"):
            break
        event = to_event(line, transport, user_id, language)
        if event is None:
            continue
        await runtime.core.handle(event)
        await worker.deliver()
    out.write("\n" + tr.t(locale, N_("Tot ziens.")) + "\n")
