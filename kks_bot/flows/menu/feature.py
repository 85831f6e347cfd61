"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

from ...kernel.context import Registry
from . import home, profile


def register(registry: Registry) -> None:
    registry.flow(home.MenuFlow())
    registry.flow(home.LanguageFlow())
    registry.flow(profile.PROFILE)
    registry.set_home(home.to_menu, home.menu_buttons)
    registry.command(("start",), home.start_command)
    registry.command(("menu",), home.menu_command)
    registry.command(("taal", "language", "lang", "لغة"), home.language_command)
    registry.command(("help", "uitleg"), home.help_command)
    registry.command(("annuleren", "cancel", "stop"), home.cancel_command)
    registry.command(("profiel", "profile"), profile.show)
    registry.action("menu", home.menu_action)
    registry.action("lang", home.set_language)
