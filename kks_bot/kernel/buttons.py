"""Button data: what a press brings back (at most 64 bytes, ids only, never personal data).

Two kinds, told apart by their first part:

* a **screen button** - ``"<seq>.<kind>"`` or ``"<seq>.<kind>:<arg>"`` (``"12.o:ja"``,
  ``"12.skip"``): it belongs to the screen shown with nonce ``seq``; a press on an older
  screen only shows the current one again. ``kind`` is handled by the current flow, or by
  a flow that registered it as an action of every screen (``menu``, ``safety``, ``lang``).
* a **routed button** - ``"<prefix>.<action>.<id>"`` (``"r.view.<registration id>"``):
  it stays valid on an old notification; the flow that registered the prefix checks the
  presser against the object first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

MAX_BYTES = 64  # Telegram's limit for callback_data

T = TypeVar("T")


class ButtonDataError(ValueError):
    """Button data that Telegram would refuse (too long, empty, a reserved separator)."""


@dataclass(frozen=True)
class ScreenPress:
    seq: int
    kind: str
    arg: str


@dataclass(frozen=True)
class RoutedPress:
    prefix: str
    action: str
    ident: str


def _checked(data: str) -> str:
    if not 1 <= len(data.encode()) <= MAX_BYTES:
        raise ButtonDataError(f"button data of {len(data.encode())} bytes")
    return data


def screen(seq: int, action: str) -> str:
    """Data for a button of the screen with nonce ``seq``; ``action`` is "kind[:arg]"."""
    return _checked(f"{seq}.{action}")


WEB_APP = "webapp:"  # data of a button that opens the Mini App, not a callback


def web_app(url: str) -> str:
    """A button that opens ``url`` (HTTPS, Telegram's rule) in the Mini App."""
    if not url.startswith("https://") or len(url) > 512:
        raise ButtonDataError("a Mini App opens an HTTPS address")
    return WEB_APP + url


def web_app_url(data: str) -> str | None:
    return data[len(WEB_APP):] if data.startswith(WEB_APP) else None


def routed(prefix: str, action: str, ident: str) -> str:
    """Data for a button that stays valid: ``prefix`` names the flow, ``ident`` the object."""
    if not prefix.isalpha() or "." in action:
        raise ButtonDataError("a prefix is letters, an action has no dot")
    return _checked(f"{prefix}.{action}.{ident}")


def parse(data: str) -> ScreenPress | RoutedPress | None:
    """What a press means; None for data no button of ours carries."""
    head, _, rest = data.partition(".")
    if head.isascii() and head.isdigit():  # "²".isdigit(), but int("²") fails
        kind, _, arg = rest.partition(":")
        return ScreenPress(int(head), kind, arg)
    if head.isalpha():
        action, _, ident = rest.partition(".")
        return RoutedPress(head, action, ident)
    return None


def grid(items: Sequence[T], per_row: int) -> list[list[T]]:
    """Buttons in rows of ``per_row`` (a phone screen is narrow: one to three a row)."""
    return [list(items[i:i + per_row]) for i in range(0, len(items), per_row)]
