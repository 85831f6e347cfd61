"""The Mini App's launch data (``initData``), checked exactly as the Bot API specifies:
the data-check-string is every received field but ``hash``, sorted by key, as
``key=value`` joined by line feeds; the secret key is HMAC-SHA256 of the bot token with
the key ``WebAppData``; the hash is the hex HMAC-SHA256 of the data-check-string with
that secret key, compared in constant time. ``auth_date`` may be a few minutes old.

https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

MAX_AGE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(seconds=60)


@dataclass(frozen=True)
class WebUser:
    """Who Telegram says opened the Mini App."""

    user_id: int
    language_code: str | None


def secret_key(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], token: str) -> str:
    """The hash Telegram would put in ``initData`` (the tests sign with it too)."""
    return hmac.new(secret_key(token), data_check_string(fields).encode(),
                    hashlib.sha256).hexdigest()


def validate(init_data: str, token: str, now: datetime,
             max_age: timedelta = MAX_AGE) -> WebUser | None:
    """The user, if ``init_data`` was signed with ``token`` and is fresh; else None."""
    if not init_data or len(init_data) > 4096 or not token:
        return None
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a field given twice: not what Telegram sends
        return None
    given = fields.get("hash", "")
    if not hmac.compare_digest(given.encode(), sign(fields, token).encode()):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = int(user["id"])
    except (KeyError, ValueError, TypeError):
        return None
    if signed_at > now + CLOCK_SKEW or now - signed_at > max_age:
        return None
    language = user.get("language_code")
    return WebUser(user_id, language if isinstance(language, str) else None)
