"""The dispatcher of scheduled messages: the database is the source of truth.

APScheduler (or the console's clock command, or a test) only *wakes* :func:`dispatch_due`;
nothing is kept in a job store. Due rows are claimed with one conditional UPDATE
(``pending`` -> ``sent`` ... RETURNING), in the same transaction as the outbox rows they
produce: on PostgreSQL a second process blocks on the row locks, re-checks the condition
and claims nothing, so two bot processes never send one reminder twice. A row that was
due while the bot was down goes out once when it is back - if it still makes sense
(the renderer the runtime passes in drops a reminder for a meeting that has
passed, moved or been cancelled, and logs it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..clock import Clock
from ..db.models import ScheduledMessage

log = logging.getLogger(__name__)

BATCH = 50
YIELD = 0.05  # seconds between two batches, when the worker is sending meanwhile


class _TakenMeanwhile(Exception):
    """Some rows of a batch were dispatched by another process while we rendered them."""


#: Writes a due row's messages into the outbox (in the session); False drops the row.
Renderer = Callable[[AsyncSession, ScheduledMessage, datetime], Awaitable[bool]]


async def dispatch_due(sessions: async_sessionmaker[AsyncSession], clock: Clock,
                       render: Renderer, *, limit: int = 5000,
                       wake: Callable[[], None] | None = None) -> int:
    """Turn every due row into outbox rows (or drop it), a batch a transaction, calling
    ``wake`` after each (the outbox worker sends the first batch while the next is made).
    Returns rows handled."""
    handled = looked = 0
    while looked < limit:
        now = clock.now()
        try:
            async with sessions() as session, session.begin():
                # What the dispatcher queues is bulk: a reply someone waits for goes first.
                session.info["outbox_bulk"] = True
                due = list((await session.execute(
                    select(ScheduledMessage)
                    .where(ScheduledMessage.status == "pending",
                           ScheduledMessage.due_at <= now)
                    .order_by(ScheduledMessage.due_at, ScheduledMessage.id)
                    .limit(BATCH))).scalars())
                if not due:
                    break
                # Render first, write last: SQLite has one writer at a time (its
                # transaction begins with the first write), and the worker must not wait
                # while fifty messages are made to send the ones made before.
                with session.no_autoflush:
                    dropped = [row for row in due if not await render(session, row, now)]
                    claimed = (await session.execute(
                        update(ScheduledMessage)
                        .where(ScheduledMessage.id.in_([row.id for row in due]),
                               ScheduledMessage.status == "pending")
                        .values(status="sent", processed_at=now)
                        .returning(ScheduledMessage.id)
                        .execution_options(synchronize_session=False))).scalars().all()
                if len(claimed) != len(due):
                    raise _TakenMeanwhile
                for row in dropped:
                    row.status = "dropped"
        except _TakenMeanwhile:
            # Another process took some of these meanwhile: ours are undone; look again
            # (what it took is no longer pending, and is its to count and log).
            continue
        looked += len(due)
        handled += len(claimed)
        if wake is not None:  # committed: the worker may send it now
            wake()
            # Let the worker take its rows: with SQLite one writer at a time, and a
            # writer that waits for the lock retries only after a pause of its own.
            await asyncio.sleep(YIELD)
    if handled:
        log.info("dispatched %s scheduled message(s)", handled)
    return handled


async def next_due(sessions: async_sessionmaker[AsyncSession]) -> object:
    """When the next pending row is due (None: nothing scheduled)."""
    async with sessions() as session:
        return (await session.execute(
            select(ScheduledMessage.due_at).where(ScheduledMessage.status == "pending")
            .order_by(ScheduledMessage.due_at).limit(1))).scalar_one_or_none()
