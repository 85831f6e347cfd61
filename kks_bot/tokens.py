"""One-time tokens and the links that carry them (an invitation for a coordinator, a
professional or a family): random, shown once, only their SHA-256 stored."""

from __future__ import annotations

import hashlib
import secrets

from .config import Settings

INVITATION_BYTES = 24  # 192 bits: a coordinator's invitation
LINK_BYTES = 18  # 144 bits; a prefix and 24 characters fit Telegram's start parameter


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(size: int = LINK_BYTES) -> str:
    return secrets.token_urlsafe(size)


def start_link(settings: Settings, start: str) -> str:
    """The link that opens the bot with ``/start <start>`` (``t.me/<bot>?start=...``), or
    the command itself when the bot's username is not configured."""
    username = settings.bot_username
    return f"https://t.me/{username}?start={start}" if username else f"/start {start}"


def one_time_link(settings: Settings, prefix: str) -> tuple[str, str]:
    """A fresh token (store only its hash) and the link that starts the bot with it."""
    token = new_token()
    return token, start_link(settings, prefix + token)
