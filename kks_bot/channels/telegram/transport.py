"""Telegram's Bot API as the outbox's transport: python-telegram-bot's ``Bot``, used thinly,
against Telegram or any Bot API-compatible server; its errors mapped for the worker."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from datetime import timedelta

import httpx
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    WebAppInfo,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from ...config import Settings
from ...delivery.outbox import (
    BadMarkup,
    ButtonRows,
    Rejected,
    RetryLater,
    TemporaryFailure,
    Uncertain,
    Unreachable,
)
from ...kernel.buttons import web_app_url

log = logging.getLogger(__name__)
# Durations as timedelta (PTB 22's announced default); _seconds() reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

def make_bot(settings: Settings, request: BaseRequest | None = None,
             get_updates_request: BaseRequest | None = None) -> Bot:
    """A PTB ``Bot`` for the configured Bot API server (Telegram's or any other)."""
    token = settings.telegram_bot_token.get_secret_value()
    if not token:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather "
                         "(see README), or try the bot with: kks-bot console")
    # One TLS context for both connection pools: each one made costs about 50 ms of a start.
    tls = {"verify": httpx.create_ssl_context()} if request is None or \
        get_updates_request is None else {}
    return Bot(
        token,
        base_url=settings.bot_base_url,
        request=request or HTTPXRequest(connection_pool_size=8, read_timeout=15,
                                        write_timeout=15, connect_timeout=10,
                                        httpx_kwargs=tls),
        get_updates_request=get_updates_request or HTTPXRequest(
            read_timeout=settings.poll_timeout + 15, connect_timeout=10, httpx_kwargs=tls),
    )


def _not_sent(exc: TimedOut) -> bool:
    """A timeout before the request left: a full connection pool or no connection."""
    cause = exc.__cause__
    return isinstance(cause, httpx.PoolTimeout | httpx.ConnectTimeout) or \
        "not* sent" in str(exc) or "not sent" in str(exc)


def seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


class TelegramTransport:
    """Delivers outbox rows with the Bot API, mapping its errors for the worker."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @staticmethod
    def _markup(buttons: ButtonRows) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        def button(label: str, data: str) -> InlineKeyboardButton:
            url = web_app_url(data)
            if url is not None:
                return InlineKeyboardButton(label, web_app=WebAppInfo(url))
            return InlineKeyboardButton(label, callback_data=data)

        return InlineKeyboardMarkup([[button(label, data) for label, data in row]
                                     for row in buttons])

    async def _call(self, coro: object) -> object:
        try:
            return await coro  # type: ignore[misc]
        except RetryAfter as exc:
            raise RetryLater(seconds(exc.retry_after)) from None
        except Forbidden:
            raise Unreachable() from None
        except ChatMigrated:
            raise Unreachable() from None
        except TimedOut as exc:
            if _not_sent(exc):
                raise TemporaryFailure("not sent") from None
            raise Uncertain() from None
        except BadRequest as exc:
            if "can't parse entities" in exc.message.lower():
                raise BadMarkup(exc.message) from None
            raise Rejected(exc.message) from None
        except NetworkError as exc:
            raise TemporaryFailure(type(exc).__name__) from None
        except TelegramError as exc:
            raise TemporaryFailure(type(exc).__name__) from None

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        message = await self._call(self.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML if html
            else None, reply_markup=self._markup(buttons), disable_web_page_preview=True))
        assert isinstance(message, Message)
        return message.message_id

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str, *, html: bool = True) -> int:
        message = await self._call(self.bot.send_document(
            chat_id, InputFile(data, filename=filename),
            caption=caption,
            parse_mode=ParseMode.HTML if html else None, disable_content_type_detection=True))
        assert isinstance(message, Message)
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        await self._call(self.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id,
            parse_mode=ParseMode.HTML if html else None,
            reply_markup=self._markup(buttons), disable_web_page_preview=True))

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        try:
            if len(message_ids) == 1:
                return bool(await self._call(self.bot.delete_message(chat_id, message_ids[0])))
            return bool(await self._call(self.bot.delete_messages(chat_id, list(message_ids))))
        except Rejected as exc:
            # Already gone (the user deleted it): that is what we wanted.
            return "not found" in str(exc).lower()

