"""One set of command names per language: a message tells a user to type only commands
that user's command menu shows (/aanmelden in Dutch, /register in English and Arabic)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from kks_bot.channels.console import CONSOLE_COMMANDS
from kks_bot.channels.telegram.updates import ADMIN_COMMANDS, COMMANDS
from kks_bot.i18n import LOCALES_DIR

# A command as a reader sees it: "/" and a name, not inside a tag ("</b>") or a path.
COMMAND = re.compile(r"(?<![\w/<])/([a-z_]+)\b")
NEUTRAL = {"start", "help"}


def told(locale: str) -> list[tuple[str, str, list[str]]]:
    """(command, message id, where it is used) for every command in every message."""
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    out = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else message.string
        for text in strings:
            for name in COMMAND.findall(text or ""):
                out.append((name, key, [path for path, _ in message.locations]))
    return out


@pytest.mark.parametrize("locale", ["nl", "en", "ar"])
def test_every_command_a_message_names_is_in_that_languages_menu(locale: str) -> None:
    menu = {name for name, _ in COMMANDS[locale]} | NEUTRAL
    admin = {name for name, _ in ADMIN_COMMANDS[locale]}
    wrong = []
    for name, key, where in told(locale):
        allowed = set(menu)
        if all("admin" in path for path in where):
            allowed |= admin
        if all(path.endswith("channels/console.py") for path in where):
            allowed |= CONSOLE_COMMANDS
        if name not in allowed:
            wrong.append(f"/{name} in {key[:60]!r}")
    assert wrong == []
    assert told(locale), "the messages name commands"


def test_menus_differ_only_in_names() -> None:
    assert [d for _, d in COMMANDS["nl"]] == [d for _, d in COMMANDS["en"]]
    assert {n for n, _ in COMMANDS["en"]}.isdisjoint({n for n, _ in COMMANDS["nl"]} - NEUTRAL)
