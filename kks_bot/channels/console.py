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

from ..clock import OffsetClock
from ..db.models import Account
from ..delivery.outbox import ButtonRows
from ..delivery.worker import OutboxWorker
from ..i18n import N_
from ..kernel.events import Inbound, InKind
from ..runtime import Runtime
from ..text import plain_text

CONSOLE_USER_ID = 1
#: The console's own commands (the bot's are in each language's menu).
CONSOLE_COMMANDS = frozenset({"quit", "exit", "klok", "clock", "als", "as"})
# Personas for trying every role in one terminal: /als coordinator, /als gezin, ...
PERSONAS = {"aanmelder": 1, "coordinator": 2, "gezin": 3, "beheerder": 4, "professional": 5}
_CLOCK = re.compile(r"^\+(\d+)\s*([wdhm])$")
_TAG = re.compile(r"</?(b|i)>")


def button_key(index: int) -> str:
    """a, b, ... z, aa, ab, ... for the button at ``index`` (0-based)."""
    key = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        key = chr(ord("a") + rest) + key
    return key


_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


class ConsoleTransport:
    """Prints messages; remembers the buttons so a number can press one."""

    def __init__(self, out: TextIO, *, color: bool = False) -> None:
        self.out = out
        self.color = color
        self.next_id = 1
        self.buttons: list[tuple[str, str]] = []
        self.button_message_id = 0
        self.messages: dict[int, str] = {}
        self.current = CONSOLE_USER_ID
        self.keyboards: dict[int, tuple[list[tuple[str, str]], int]] = {}

    def switch(self, user_id: int) -> None:
        """Type as another persona: their last buttons become pressable."""
        self.keyboards[self.current] = (self.buttons, self.button_message_id)
        self.current = user_id
        self.buttons, self.button_message_id = self.keyboards.get(user_id, ([], 0))

    def _render(self, text: str) -> str:
        if self.color:
            text = text.replace("<b>", "\033[1m").replace("</b>", "\033[0m")
            text = text.replace("<i>", "\033[2m").replace("</i>", "\033[0m")
        # A terminal shows text in logical order, without the bidi algorithm: the
        # isolates that order values in a chat would only show up as stray marks here.
        return html.unescape(_TAG.sub("", text)).translate(_ISOLATES)

    def _show(self, message_id: int, text: str, buttons: ButtonRows,
              chat_id: int | None = None) -> None:
        if chat_id is not None and chat_id != self.current:
            # A message for another persona: shown with who gets it; its buttons are kept
            # for when you switch to them with /als.
            name = next((n for n, i in PERSONAS.items() if i == chat_id), str(chat_id))
            self.out.write(f"\n── → {name} ──\n" + self._render(text) + "\n")
            flat_other = [(label, data) for row in buttons for label, data in row]
            if flat_other:
                self.keyboards[chat_id] = (flat_other, message_id)
                self.out.write("   ".join(f"[{label}]" for label, _ in flat_other) + "\n")
            self.out.flush()
            return
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

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        message_id = self.next_id
        self.next_id += 1
        self.messages[message_id] = text
        self._show(message_id, text, buttons, chat_id)
        return message_id

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str, *, html: bool = True) -> int:
        """A file is not written anywhere (it holds family data): only announced."""
        message_id = self.next_id
        self.next_id += 1
        self.messages[message_id] = caption
        self._show(message_id, f"📎 {filename} ({len(data) // 1024 + 1} kB)\n{caption}", [],
                   chat_id)
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        self.messages[message_id] = text
        self._show(message_id, text, buttons, chat_id)

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        for message_id in message_ids:
            self.messages.pop(message_id, None)
        return True


def to_event(line: str, transport: ConsoleTransport, user_id: int,
             language_code: str | None) -> Inbound | None:
    text = line.strip()
    if not text:
        return None
    persona = next((n for n, i in PERSONAS.items() if i == user_id), str(user_id))
    base = {"user_id": user_id, "chat_id": user_id, "language_code": language_code,
            "sender_name": f"Console ({persona})", "sender_username": f"console_{persona}"}
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


async def _locale(runtime: Runtime, user_id: int, fallback: str) -> str:
    """The language the console's current user chose (/taal), for the console's own lines."""
    async with runtime.sessions() as session:
        account = await session.get(Account, user_id)
    return account.locale if account is not None and account.locale else fallback


async def _move_clock(runtime: Runtime, spec: str, out: TextIO, locale: str) -> None:
    """/klok +2d: move time forward (w, d, h, m) and send what fell due."""
    tr = runtime.env.tr
    match = _CLOCK.match(spec.replace(" ", ""))
    clock = runtime.env.clock
    if match is None or not isinstance(clock, OffsetClock):
        out.write("(" + tr.gettext(locale, N_("/klok +6w, +2d, +3h of +30m")) + ")\n")
        return
    unit = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}[match.group(2)]
    clock.advance(**{unit: float(match.group(1))})
    now = tr.format_datetime(locale, clock.now(), runtime.env.settings.timezone)
    out.write("(" + plain_text(tr.t(locale, N_("Klok: {now}"), now=now)) + ")\n")
    await runtime.dispatch()


async def _converse(runtime: Runtime, worker: OutboxWorker, transport: ConsoleTransport,
                    out: TextIO, reader: Callable[[], str], user_id: int,
                    language: str | None) -> int:
    """Read lines until /quit or the end of input; each one is an event for the core.
    Returns the user the console speaks as at the end (/als switches)."""
    loop = asyncio.get_running_loop()
    first = Inbound(user_id=user_id, chat_id=user_id, kind=InKind.COMMAND, command="start",
                    language_code=language)
    await runtime.kernel.handle(first)
    await worker.drain()
    while True:
        out.write("\n> ")
        out.flush()
        line = await loop.run_in_executor(None, reader)
        if not line or line.strip() in {f"/{name}" for name in ("quit", "exit")}:
            return user_id
        command = line.strip()
        if command.startswith(("/als ", "/as ")):
            who = command.split(" ", 1)[1].strip().lower()
            user_id = PERSONAS.get(who, int(who) if who.isdigit() else user_id)
            transport.switch(user_id)
            here = await _locale(runtime, user_id, language or runtime.settings.default_locale)
            out.write("(" + plain_text(runtime.env.tr.t(here, N_("→ {who}, gebruiker {id}"),
                                                        who=who, id=user_id)) + ")\n")
            continue
        if command.startswith(("/klok ", "/clock ")):
            await _move_clock(runtime, command.split(" ", 1)[1].strip(), out, await _locale(
                runtime, user_id, language or runtime.settings.default_locale))
            await worker.drain()
            continue
        event = to_event(line, transport, user_id, language)
        if event is None:
            continue
        await runtime.kernel.handle(event)
        await worker.drain()


async def run_console(runtime: Runtime, *, language: str | None = None,
                      user_id: int = CONSOLE_USER_ID, stdin: TextIO | None = None,
                      stdout: TextIO | None = None,
                      read_line: Callable[[], str] | None = None) -> None:
    """Run the conversation loop until /quit or end of input."""
    out = stdout or sys.stdout
    source = stdin or sys.stdin
    transport = ConsoleTransport(out, color=out.isatty())
    transport.switch(user_id)  # --user: the one who types is the one whose buttons count
    if not isinstance(runtime.env.clock, OffsetClock):
        runtime.env.clock = OffsetClock(runtime.env.clock)
    if not runtime.env.settings.admin_ids:  # the "beheerder" persona administers
        runtime.env.settings = runtime.env.settings.model_copy(
            update={"admin_ids": str(PERSONAS["beheerder"])})
    tr = runtime.env.tr
    locale = language or runtime.settings.default_locale
    if runtime.key_file_created:
        out.write("(" + plain_text(tr.t(locale, N_(
            "Sleutelbestand aangemaakt: {path}, alleen door jou te lezen."),
            path=str(runtime.settings.key_file))) + ")\n")
    out.write(tr.gettext(locale, N_("KKS-bot in de terminal. Typ je antwoord, of de letter van een "
                              "knop om erop te drukken ([a], [b], ...). /taal: taal kiezen, "
                              "/quit: stoppen.")) + "\n")
    out.flush()
    # The worker and the jobs (draft sweep, reminders) run as they do beside Telegram;
    # after each line the console also delivers at once, so the answer shows before the
    # next prompt. No lease: the console is a terminal, not a second bot process.
    services = runtime.services(transport, lease=False)
    await services.worker.recover()
    await services.start()
    try:
        user_id = await _converse(runtime, services.worker, transport, out,
                                  read_line or source.readline, user_id, language)
    finally:
        await services.stop()
    # Goodbye in the language the user chose on the way (/taal), not the one at the start.
    out.write("\n" + tr.gettext(await _locale(runtime, user_id, locale), N_("Tot ziens.")) + "\n")
