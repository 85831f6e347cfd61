"""The outbox lease: with several bot processes on one database, only the holder delivers
the outbox, so that the bot as a whole keeps Telegram's pace; the others stand by and take
over when it stops (it releases the lease) or dies (the lease runs out, or at once when its
process on this host is gone)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..clock import Clock
from ..db.models import WorkerLease
from .outbox import LEASE, LEASE_SECONDS, holder_gone, holder_id

log = logging.getLogger(__name__)


class Lease:
    """This process's claim on the outbox lease."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock
        self.holder = holder_id()
        self.until: datetime | None = None  # when the lease we hold runs out

    async def hold(self) -> bool | None:
        """Take or renew the lease: None if another process holds it, else whether it was
        just taken (over). Renewed at most every third of its length: nobody may take a
        lease that has not run out, so a wake-up per update costs no write while two
        thirds of it are left."""
        now = self.clock.now()
        if self.until is not None and (self.until - now).total_seconds() \
                > LEASE_SECONDS * 2 / 3:
            return False
        self.until = None
        until = now + timedelta(seconds=LEASE_SECONDS)
        async with self.sessions() as session, session.begin():
            row = await session.get(WorkerLease, LEASE)
            if row is None:
                session.add(WorkerLease(name=LEASE, holder=self.holder, expires_at=until))
                try:
                    await session.flush()
                except Exception:  # another process inserted it first
                    return None
                previous = None
            elif row.holder == self.holder:
                previous = self.holder
            elif row.expires_at <= now or holder_gone(row.holder, self.holder):
                previous = row.holder
            else:
                return None
            if row is not None:
                # Only if nobody changed it since we read it (two standbys at once).
                result = await session.execute(
                    update(WorkerLease).where(WorkerLease.name == LEASE,
                                              WorkerLease.holder == row.holder,
                                              WorkerLease.expires_at == row.expires_at)
                    .values(holder=self.holder, expires_at=until))
                if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
                    return None
        self.until = until
        if previous == self.holder:
            return False
        log.info("outbox lease taken (from %s)", "nobody" if previous is None
                 else "a stopped process")
        return True

    async def release(self) -> None:
        """On a clean stop: let a standby process take over at once."""
        self.until = None
        try:
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(WorkerLease).where(WorkerLease.name == LEASE,
                                              WorkerLease.holder == self.holder)
                    .values(expires_at=self.clock.now() - timedelta(seconds=1)))
        except Exception as exc:  # the database is gone: the lease runs out by itself
            log.warning("outbox lease not released: %s", type(exc).__name__)
