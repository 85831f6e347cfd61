"""Logging that never shows the bot token or what users typed.

The HTTP client (httpx) logs every request URL at INFO, and the Bot API puts
the token in the URL: httpx is kept at WARNING, and a filter on every handler
replaces the token wherever it still appears. The code itself never logs
message texts or answers, only ids, kinds and counts.
"""

from __future__ import annotations

import logging
import re
import sys

_TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactingFilter(logging.Filter):
    """Replaces secrets in a record's rendered message."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def _clean(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        return _TOKEN_PATTERN.sub("<redacted-token>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._clean(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    root = logging.getLogger()
    root.handlers.clear()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets or []))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "asyncio",
                  "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
