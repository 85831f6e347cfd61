"""From Telegram to the core and back: an update as an :class:`Inbound` event, and the
command menus the bot sets at start."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    Update,
)
from telegram.error import (
    TelegramError,
)

from ...i18n import N_, translator
from ...kernel.events import Inbound, InKind

log = logging.getLogger(__name__)

MEDIA_KINDS = ("photo", "sticker", "voice", "audio", "video", "video_note", "animation",
               "document", "location", "venue", "contact", "poll", "dice")

#: The command menu per language. Messages name these commands (the Dutch ones in Dutch,
#: the English ones in English and Arabic); tests/test_commands.py checks that every
#: command a message tells a user to type is in that language's menu. The bot answers
#: every name in any language (the flows register them all).
_DESCRIPTIONS = [
    N_("Begin of terug naar het menu"),
    N_("Gezin aanmelden of verder met een concept"),
    N_("Wat je hebt ingediend"),
    N_("Overleggen met de coördinator, zonder gegevens van het gezin"),
    N_("Je sparvragen en de antwoorden"),
    N_("Acuut gevaar of zorgen over veiligheid"),
    N_("Je gegevens als aanmelder"),
    N_("Taal kiezen"),
    N_("Uitleg bij de vraag of de bot"),
    N_("Stop met wat je nu doet"),
]
_NAMES = {
    "nl": ["start", "aanmelden", "mijnaanmeldingen", "sparren", "sparvragen", "acuut",
           "profiel", "taal", "help", "annuleren"],
    "en": ["start", "register", "myregistrations", "sparring", "threads", "safety",
           "profile", "language", "help", "cancel"],
}
_NAMES["ar"] = _NAMES["en"]
COMMANDS: dict[str, list[tuple[str, str]]] = {
    locale: list(zip(names, _DESCRIPTIONS, strict=True)) for locale, names in _NAMES.items()}
#: In an administrator's own menu, after the public commands (never in the public menu).
ADMIN_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nl": [("beheer", N_("Coördinatoren uitnodigen en goedkeuren"))],
    "en": [("admin", N_("Coördinatoren uitnodigen en goedkeuren"))],
    "ar": [("admin", N_("Coördinatoren uitnodigen en goedkeuren"))],
}


def update_to_event(update: Update) -> Inbound | None:
    """An Inbound event for the core, or None for what the bot ignores."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    if chat.type != "private":
        return None  # family data never goes to a group
    base = {"user_id": user.id, "chat_id": chat.id, "update_id": update.update_id,
            "language_code": user.language_code, "sender_name": user.full_name,
            "sender_username": user.username or ""}
    query = update.callback_query
    if query is not None:
        if not query.data:
            return None
        message_id = query.message.message_id if query.message else None
        return Inbound(kind=InKind.BUTTON, data=query.data, button_message_id=message_id,
                       **base)  # type: ignore[arg-type]
    message = update.message
    if message is None:
        return None
    if message.text is not None:
        text = message.text
        entities = message.entities or ()
        if text.startswith("/") and any(e.type == "bot_command" and e.offset == 0
                                        for e in entities):
            head, _, args = text[1:].partition(" ")
            return Inbound(kind=InKind.COMMAND, command=head.split("@")[0].lower(),
                           text=args, message_id=message.message_id,
                           **base)  # type: ignore[arg-type]
        return Inbound(kind=InKind.TEXT, text=text, message_id=message.message_id,
                       **base)  # type: ignore[arg-type]
    media = next((kind for kind in MEDIA_KINDS if getattr(message, kind, None)), "other")
    return Inbound(kind=InKind.UNSUPPORTED, media=media, message_id=message.message_id,
                   **base)  # type: ignore[arg-type]


async def setup_bot(bot: Bot, admin_ids: Iterable[int] = ()) -> None:
    """Optional start-up calls: a server that rejects one is logged, not fatal. Everyone
    gets the command menu in their language; an administrator's own chat gets it with
    the administration command added (``/beheer``, ``/admin``)."""
    tr = translator()
    try:
        await bot.delete_webhook(drop_pending_updates=False)
    except TelegramError as exc:
        log.warning("deleteWebhook failed: %s", type(exc).__name__)
    menus: list[tuple[str, list[tuple[str, str]], int | None]] = [
        (locale, commands, None) for locale, commands in COMMANDS.items()]
    menus += [(locale, [*COMMANDS[locale], *ADMIN_COMMANDS[locale]], admin)
              for admin in sorted(admin_ids) for locale in COMMANDS]
    for locale, commands, admin in menus:
        try:
            await bot.set_my_commands(
                [BotCommand(name, tr.gettext(locale, description))
                 for name, description in commands],
                scope=BotCommandScopeChat(admin) if admin is not None else None,
                language_code=None if locale == "nl" else locale)
        except TelegramError as exc:
            log.warning("setMyCommands (%s) failed: %s", locale, type(exc).__name__)


ALLOWED_UPDATES = ("message", "callback_query")
