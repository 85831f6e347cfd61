"""The bot's features, one package each. Each has a ``register(registry)`` that declares
its states, commands, buttons and jobs; this list is the only place that names them all
(adding a feature is its package and one line here; docs/architecture.md shows how).
The order matters where two answer the same thing: a "/start <token>" link is offered
to the hand-off's invitations before the meetings' family and professional links."""

from __future__ import annotations

from collections.abc import Callable

from ..kernel.context import Registry
from .admin.beheer import register as admin
from .casework.feature import register as casework
from .figures.feature import register as figures
from .meetings.feature import register as meetings
from .menu.feature import register as menu
from .registration.feature import register as registration
from .sparring.feature import register as sparring
from .voice.feature import register as voice

FEATURES: tuple[Callable[[Registry], None], ...] = (
    menu,
    registration,
    casework,
    sparring,
    meetings,
    voice,
    admin,
    figures,
)


def registry() -> Registry:
    """A registry with every feature registered."""
    found = Registry()
    for register in FEATURES:
        register(found)
    return found
