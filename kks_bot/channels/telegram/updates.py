"""From Telegram to the core and back: an update as an :class:`Inbound` event, and the
command menus the bot sets at start."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
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

COMMANDS: dict[str, list[tuple[str, str]]] = {
    "nl": [
        ("start", N_("Begin of terug naar het menu")),
        ("aanmelden", N_("Gezin aanmelden of verder met een concept")),
        ("mijnaanmeldingen", N_("Wat je hebt ingediend")),
        ("profiel", N_("Je gegevens als aanmelder")),
        ("taal", N_("Taal kiezen")),
        ("help", N_("Uitleg bij de vraag of de bot")),
        ("annuleren", N_("Stop met wat je nu doet")),
    ],
}
COMMANDS["en"] = [("start", COMMANDS["nl"][0][1]), ("register", COMMANDS["nl"][1][1]),
                  ("myregistrations", COMMANDS["nl"][2][1]), ("profile", COMMANDS["nl"][3][1]),
                  ("language", COMMANDS["nl"][4][1]), ("help", COMMANDS["nl"][5][1]),
                  ("cancel", COMMANDS["nl"][6][1])]
COMMANDS["ar"] = COMMANDS["en"]


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


async def setup_bot(bot: Bot) -> None:
    """Optional start-up calls: a server that rejects one is logged, not fatal."""
    tr = translator()
    try:
        await bot.delete_webhook(drop_pending_updates=False)
    except TelegramError as exc:
        log.warning("deleteWebhook failed: %s", type(exc).__name__)
    for locale, commands in COMMANDS.items():
        try:
            await bot.set_my_commands(
                [BotCommand(name, tr.gettext(locale, description))
                 for name, description in commands],
                language_code=None if locale == "nl" else locale)
        except TelegramError as exc:
            log.warning("setMyCommands (%s) failed: %s", locale, type(exc).__name__)


ALLOWED_UPDATES = ("message", "callback_query")
