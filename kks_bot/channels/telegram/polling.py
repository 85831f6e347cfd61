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
import logging
import signal

from aiohttp import web
from telegram import (
    Bot,
    Update,
)
from telegram.error import (
    RetryAfter,
    TelegramError,
    TimedOut,
)

from ...runtime import Runtime
from ...services.jobs import Services
from ..web.app import serve
from .transport import TelegramTransport
from .transport import seconds as as_seconds
from .updates import ALLOWED_UPDATES, setup_bot, update_to_event

log = logging.getLogger(__name__)


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
        await self._serve_mini_app()
        runtime, bot = self.runtime, self.bot
        last = await runtime.kernel.last_update_id()
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
                    await self._sleep(as_seconds(exc.retry_after))
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
        """What polling and the webhook share: the outbox worker (under the lease) and the
        background jobs, started once (:class:`~kks_bot.services.jobs.Services`)."""
        await self.bot.initialize()
        await setup_bot(self.bot)
        # The worker recovers what was interrupted mid-send when it takes the outbox
        # lease (at once when the previous holder on this host is gone).
        self.services: Services = self.runtime.services(TelegramTransport(self.bot))
        await self.services.start()
        self.web: web.AppRunner | None = None

    async def _serve_mini_app(self) -> None:
        """Polling with ``KKS_WEB_URL``: the Mini App gets a server of its own."""
        self.web = await serve(self.runtime, self.bot.token)

    async def _shutdown(self) -> None:
        self.stop.set()
        if self.web is not None:
            await self.web.cleanup()
        await self.services.stop()
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _handle(self, update: Update) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        event = update_to_event(update)
        if event is not None:
            await self.runtime.kernel.handle(event)
            self.handled += 1
            self.services.wake()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)



async def run_until_signal(receiver: Poller) -> None:
    """Run polling or the webhook until SIGINT/SIGTERM asks for a clean stop."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        # Platforms without Unix signals: Ctrl+C still ends the process.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, receiver.stop.set)
    await receiver.run()



async def run_polling(runtime: Runtime, bot: Bot) -> None:
    await run_until_signal(Poller(runtime, bot))

