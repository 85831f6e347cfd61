"""What flows in and out of the core, independent of any chat channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..text import Markup, plain_text


class InKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    UNSUPPORTED = "unsupported"  # photo, sticker, voice note, location, ...


@dataclass(frozen=True)
class Inbound:
    """One thing a user did: typed text, a command, pressed a button, sent media."""

    user_id: int
    chat_id: int
    kind: InKind
    text: str = ""  # the text; for a command, its arguments
    command: str = ""  # for a command: its name without "/" and "@bot", lower case
    data: str = ""  # for a button: its callback data
    update_id: int | None = None  # Telegram's update id: each takes effect once
    message_id: int | None = None  # the user's own message (so it can be deleted)
    button_message_id: int | None = None  # the bot message that carried the button
    language_code: str | None = None
    media: str = ""  # for unsupported content: what it was (photo, sticker, ...)
    # Who the channel says the sender is (Telegram: full name and @username). Only kept
    # where an administrator must see it: a coordinator's invitation waiting for approval.
    sender_name: str = ""
    sender_username: str = ""


@dataclass(frozen=True)
class Button:
    """A button: its label is plain text on every channel (a translation is unescaped)."""

    label: str
    data: str

    def __post_init__(self) -> None:
        if isinstance(self.label, Markup):
            object.__setattr__(self, "label", plain_text(self.label))


@dataclass
class Outbound:
    """A message to show: rendered text (HTML subset: <b>, <i>) and button rows."""

    text: Markup
    buttons: list[list[Button]] = field(default_factory=list)
    # Messages with the same tag are deleted together (a draft's walk, after submit).
    tag: str | None = None
    # Replace the message whose button was pressed (a toggle list), instead of a new one.
    replace_message_id: int | None = None
