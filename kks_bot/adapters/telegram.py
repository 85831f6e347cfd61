"""The Telegram adapter: python-telegram-bot's ``Bot`` and types, used thinly.

Polling is our own loop, not PTB's ``Application``: an update's offset is only
confirmed to Telegram (by asking for the next offset) after the core has
committed its effects together with its ``update_id``. A bot killed at any
moment gets the unconfirmed updates again after a restart, and the inbox skips
those that already took effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import signal
from collections.abc import Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
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

from ..config import Settings
from ..core.events import Inbound, InKind
from ..core.outbox import (
    BadMarkup,
    ButtonRows,
    Rejected,
    RetryLater,
    TemporaryFailure,
    Uncertain,
    Unreachable,
)
from ..i18n import N_, translator
from ..runtime import Runtime

log = logging.getLogger(__name__)
# Durations as timedelta (PTB 22's announced default); _seconds() reads both forms.
os.environ.setdefault("PTB_TIMEDELTA", "true")

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


def make_bot(settings: Settings, request: BaseRequest | None = None,
             get_updates_request: BaseRequest | None = None) -> Bot:
    """A PTB ``Bot`` for the configured Bot API server (Telegram's or any other)."""
    token = settings.telegram_bot_token.get_secret_value()
    if not token:
        raise SystemExit("TELEGRAM_BOT_TOKEN is not set. Get a token from @BotFather "
                         "(see README), or try the bot with: kks-bot console")
    return Bot(
        token,
        base_url=settings.bot_base_url,
        request=request or HTTPXRequest(connection_pool_size=8, read_timeout=15,
                                        write_timeout=15, connect_timeout=10),
        get_updates_request=get_updates_request or HTTPXRequest(
            read_timeout=settings.poll_timeout + 15, connect_timeout=10),
    )


def _not_sent(exc: TimedOut) -> bool:
    """A timeout before the request left: a full connection pool or no connection."""
    cause = exc.__cause__
    return isinstance(cause, httpx.PoolTimeout | httpx.ConnectTimeout) or \
        "not* sent" in str(exc) or "not sent" in str(exc)


def _seconds(value: object) -> float:
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
        return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)
                                      for label, data in row] for row in buttons])

    async def _call(self, coro: object) -> object:
        try:
            return await coro  # type: ignore[misc]
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after)) from None
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


def update_to_event(update: Update) -> Inbound | None:
    """An Inbound event for the core, or None for what the bot ignores."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    if chat.type != "private":
        return None  # family data never goes to a group
    base = {"user_id": user.id, "chat_id": chat.id, "update_id": update.update_id,
            "language_code": user.language_code}
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


class Poller:
    """Our polling loop: fetch, handle (inbox + effects in one transaction), confirm."""

    def __init__(self, runtime: Runtime, bot: Bot) -> None:
        self.runtime = runtime
        self.bot = bot
        self.stop = asyncio.Event()
        self.handled = 0

    async def run(self) -> None:
        """Poll until stopped: fetch, handle, then confirm (the next offset)."""
        await self._start()
        runtime, bot = self.runtime, self.bot
        last = await runtime.core.last_update_id()
        offset = last + 1 if last is not None else None
        log.info("polling started")
        backoff = 1.0
        try:
            while not self.stop.is_set():
                try:
                    updates = await bot.get_updates(
                        offset=offset, timeout=runtime.settings.poll_timeout,
                        allowed_updates=list(ALLOWED_UPDATES))
                    backoff = 1.0
                except RetryAfter as exc:
                    await self._sleep(_seconds(exc.retry_after))
                    continue
                except TimedOut:
                    continue
                except TelegramError as exc:
                    log.warning("getUpdates failed: %s; retrying in %.0fs",
                                type(exc).__name__, backoff)
                    await self._sleep(backoff)
                    backoff = min(backoff * 2, 60)
                    continue
                for update in updates:
                    if self.stop.is_set():
                        break
                    try:
                        await self._handle(update)
                    except Exception as exc:  # database down: fetch this update again later
                        log.error("update %s not handled: %s; retrying in %.0fs",
                                  update.update_id, type(exc).__name__, backoff)
                        await self._sleep(backoff)
                        backoff = min(backoff * 2, 60)
                        break
                    offset = update.update_id + 1
        finally:
            await self._shutdown()

    async def _start(self) -> None:
        """What polling and the webhook share: the outbox worker (under the lease), the
        scheduler that wakes the dispatcher, and what fell due while the bot was down."""
        runtime, bot = self.runtime, self.bot
        await bot.initialize()
        await setup_bot(bot)
        worker = runtime.worker(TelegramTransport(bot))
        # The worker recovers what was interrupted mid-send when it takes the outbox
        # lease (at once when the previous holder on this host is gone).
        scheduler = AsyncIOScheduler(timezone=runtime.settings.timezone)
        scheduler.add_job(self._sweep, "interval", minutes=10, coalesce=True,
                          misfire_grace_time=None, max_instances=1)
        scheduler.add_job(runtime.core.prune_inbox, "interval", hours=6, coalesce=True,
                          misfire_grace_time=None, max_instances=1)
        # Only a wake-up: what is due is in the database (scheduled_message).
        scheduler.add_job(self._dispatch, "interval", seconds=runtime.settings.dispatch_seconds,
                          coalesce=True, misfire_grace_time=None, max_instances=1)
        scheduler.start()
        self._scheduler = scheduler
        self._worker = worker
        self._worker_task = asyncio.create_task(worker.run(self.stop, lease=True))
        await self._sweep()
        await self._dispatch()  # what fell due while the bot was down

    async def _shutdown(self) -> None:
        self.stop.set()
        self._worker.wakeup.set()
        with contextlib.suppress(Exception):
            await self._worker_task
        self._scheduler.shutdown(wait=False)
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _sweep(self) -> None:
        try:
            await self.runtime.core.sweep_drafts()
        except Exception as exc:
            log.error("draft sweep failed: %s", type(exc).__name__)
        if hasattr(self, "_worker"):
            self._worker.wakeup.set()

    async def _dispatch(self) -> None:
        from ..core.scheduler import dispatch_due

        try:
            if await dispatch_due(self.runtime.core) and hasattr(self, "_worker"):
                self._worker.wakeup.set()
        except Exception as exc:
            log.error("dispatching scheduled messages failed: %s", type(exc).__name__)

    async def _handle(self, update: Update) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        event = update_to_event(update)
        if event is not None:
            await self.runtime.core.handle(event)
            self.handled += 1
            self._worker.wakeup.set()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)


class WebhookReceiver(Poller):
    """Webhook mode: Telegram posts each update; the answer is 200 only after the update
    took effect (inbox and effects committed), so an update that failed or was caught
    by a crash is posted again by Telegram, and a repeat is skipped by the inbox.

    A small aiohttp server listens on ``KKS_WEBHOOK_LISTEN`` (behind a TLS reverse
    proxy) at the path of ``KKS_WEBHOOK_URL``; a request without the right
    ``X-Telegram-Bot-Api-Secret-Token`` is refused (403) and never read.
    """

    def __init__(self, runtime: Runtime, bot: Bot) -> None:
        super().__init__(runtime, bot)
        settings = runtime.settings
        self.url = settings.webhook_url
        self.path = urlsplit(self.url).path or "/"
        host, _, port = settings.webhook_listen.rpartition(":")
        self.host, self.port = host, int(port)
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self.bound_port: int | None = None
        self.ready = asyncio.Event()

    async def run(self) -> None:
        from aiohttp import web

        await self._start()
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self._receive)
        runner = web.AppRunner(app, access_log=None)  # the URL path is not secret, but quiet
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.bound_port = int(runner.addresses[0][1])  # the port, also when 0 was asked
            await self.bot.set_webhook(self.url, secret_token=self._secret.decode(),
                                       allowed_updates=list(ALLOWED_UPDATES),
                                       max_connections=10)
            log.info("webhook listening on %s:%s", self.host, self.bound_port)
            self.ready.set()
            await self.stop.wait()
        finally:
            await runner.cleanup()
            await self._shutdown()

    async def _receive(self, request: Any) -> Any:
        from aiohttp import web

        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request with a wrong secret refused")
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.bot)
        except Exception:  # not an update: nothing Telegram would resend
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            await self._handle(update)
        except Exception as exc:  # Telegram posts it again later
            log.error("update %s not handled: %s", update.update_id, type(exc).__name__)
            return web.Response(status=500)
        return web.Response(status=200)


async def _run_until_signal(receiver: Poller) -> None:
    """Run polling or the webhook until SIGINT/SIGTERM asks for a clean stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Platforms without Unix signals: Ctrl+C still ends the process.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, receiver.stop.set)
    await receiver.run()


async def run_webhook(runtime: Runtime, bot: Bot) -> None:
    await _run_until_signal(WebhookReceiver(runtime, bot))


async def run_polling(runtime: Runtime, bot: Bot) -> None:
    await _run_until_signal(Poller(runtime, bot))
