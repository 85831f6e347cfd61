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
from collections.abc import Sequence
from typing import TYPE_CHECKING

from telegram import (
    Bot,
    Update,
)
from telegram.error import (
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from ...runtime import Runtime
from ...services.jobs import Services
from .transport import TelegramTransport
from .transport import seconds as as_seconds
from .updates import ALLOWED_UPDATES, setup_bot, update_to_event

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)


#: More updates of one user in one batch than anyone types between two replies: a
#: flood (a script, a stuck key), not read (Kernel.handle_flood).
PER_USER_BATCH = 10


#: A flooding user is read again once a batch holds no more than this many of theirs.
CALM = 2

#: Of a batch that floods, the first few are read (as many as the chat's burst answers
#: at once); the rest waits for nobody.
FLOOD_READ = 3


def fair_order(updates: Sequence[Update],
               flooders: set[int] | None = None) -> list[tuple[Update, bool]]:
    """The batch round robin between users, in order per user, each with whether it is
    part of a flood: beyond :data:`PER_USER_BATCH` of its user in this batch, or of a user
    who flooded the batch before and still sends more than :data:`CALM` (``flooders``,
    kept by the caller); of a batch that floods only the first :data:`FLOOD_READ` are read.
    So a user who sent three hundred messages makes nobody wait for them: the others'
    come first, and the flood costs little, batch after batch. Someone who waits for the
    answers never has more than one or two in a batch, and ten lines pasted at once are
    all read."""
    flooders = set() if flooders is None else flooders
    queues: dict[int, list[Update]] = {}
    for update in updates:
        user = update.effective_user.id if update.effective_user else 0
        queues.setdefault(user, []).append(update)
    still = {user for user, queue in queues.items() if user in flooders and len(queue) > CALM}
    for user, queue in queues.items():
        if len(queue) > PER_USER_BATCH:
            flooders.add(user)
        elif len(queue) <= CALM:
            flooders.discard(user)
    read = {user: FLOOD_READ if len(queue) > PER_USER_BATCH else len(queue)
            for user, queue in queues.items()}
    turn: list[tuple[Update, bool]] = []
    for rank in range(max((len(q) for q in queues.values()), default=0)):
        turn += [(queue[rank], rank >= read[user] or user in still)
                 for user, queue in queues.items() if rank < len(queue)]
    return turn


class Poller:
    """Our polling loop: fetch, handle (inbox + effects in one transaction), confirm."""

    def __init__(self, runtime: Runtime, bot: Bot) -> None:
        self.runtime = runtime
        self.bot = bot
        self.stop = asyncio.Event()
        self.handled = 0
        self.done: set[int] = set()  # handled, but not confirmed to Telegram yet
        self.flooders: set[int] = set()  # users whose updates come as a flood

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
                turn = [(u, f) for u, f in fair_order(updates, self.flooders)
                        if u.update_id not in self.done]  # not those handled before a
                # failure cut the batch short. The others first, one by one; then a flood,
                # read and ignored in one go.
                flood = [u for u, flooding in turn if flooding]
                units = [([u], False) for u, flooding in turn if not flooding]
                await self._prepare([unit[0] for unit, _ in units])
                units += [(flood, True)] if flood else []
                for unit, flooding in units:
                    if self.stop.is_set():
                        break
                    try:
                        if flooding:
                            await self._handle_flood(unit)
                        else:
                            await self._handle(unit[0])
                    except Exception as exc:  # database down: fetch this update again later
                        log.error("update %s not handled: %s; retrying in %.0fs",
                                  unit[0].update_id, type(exc).__name__, backoff)
                        await self._sleep(backoff)
                        backoff = min(backoff * 2, 60)
                        break
                    self.done.update(u.update_id for u in unit)
                # Confirm up to the first update not handled yet (the order above is not
                # the ids'): from there on they come again, and the inbox skips the
                # handled ones.
                waiting = [u.update_id for u in updates if u.update_id not in self.done]
                if updates:
                    offset = min(waiting) if waiting else updates[-1].update_id + 1
                    self.done = {d for d in self.done if d >= offset}
        finally:
            await self._shutdown()

    async def _start(self) -> None:
        """What polling and the webhook share: the outbox worker (under the lease) and the
        background jobs, started once (:class:`~kks_bot.services.jobs.Services`)."""
        await self._reach_bot_api()
        await setup_bot(self.bot, self.runtime.settings.admins)
        # The worker recovers what was interrupted mid-send when it takes the outbox
        # lease (at once when the previous holder on this host is gone).
        self.services: Services = self.runtime.services(TelegramTransport(self.bot))
        await self.services.start(background=True)
        self.web: web.AppRunner | None = None

    async def _reach_bot_api(self) -> None:
        """``getMe`` until the Bot API answers: a clear line and a back-off while it does
        not (network, server down); a refused token ends the start with what to do."""
        delay = 1.0
        while True:
            try:
                await self.bot.initialize()
                return
            except InvalidToken:
                raise SystemExit("The Bot API refused TELEGRAM_BOT_TOKEN: check the token "
                                 "with @BotFather.") from None
            except (NetworkError, TimedOut) as exc:
                log.error("the Bot API at %s does not answer (%s); trying again in %.0f s",
                          self.runtime.settings.telegram_api_base_url, type(exc).__name__,
                          delay)
                await self._sleep(delay)
                if self.stop.is_set():
                    raise SystemExit("stopped before the Bot API answered") from None
                delay = min(delay * 2, 60)

    async def _serve_mini_app(self) -> None:
        """Polling with ``KKS_WEB_URL`` or ``KKS_HEALTH_LISTEN``: a web listener of its own."""
        settings = self.runtime.settings
        if not settings.web_url and not settings.health_listen:
            return
        # Lazy: aiohttp and Jinja (about 10 MB) only when there is a web listener.
        from ..web.app import serve

        self.web = await serve(self.runtime, self.bot.token)

    async def _shutdown(self) -> None:
        self.stop.set()
        if self.web is not None:
            await self.web.cleanup()
        await self.services.stop()
        with contextlib.suppress(Exception):
            await self.bot.shutdown()

    async def _prepare(self, updates: Sequence[Update]) -> None:
        """Several typed messages in a batch: their slow part (the sentence model) together
        before any is handled (:meth:`Kernel.prepare`); each is handled as before (also if
        this fails)."""
        typed = [e for e in map(update_to_event, updates) if e is not None and e.text]
        if len(typed) > 1:
            try:
                await self.runtime.kernel.prepare(typed)
            except Exception as exc:  # the database, say: each update tries again alone
                log.warning("preparing a batch failed: %s", type(exc).__name__)

    async def _handle(self, update: Update) -> None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        event = update_to_event(update)
        if event is not None:
            await self.runtime.kernel.handle(event)
            self.handled += 1
            self.services.wake()

    async def _handle_flood(self, updates: Sequence[Update]) -> None:
        """Updates of a flood (:func:`fair_order`): not read, one transaction for all
        (their buttons are not answered either: a flood of taps is not worth a call each)."""
        events = [e for e in map(update_to_event, updates) if e is not None]
        if await self.runtime.kernel.handle_flood(events):
            self.handled += len(events)
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

