"""What runs beside a channel: the outbox worker and the background jobs.

One :class:`Services` per process, started by whichever channel runs (polling, the
webhook, the console): the worker delivers the outbox (under the lease, so that several
processes together keep Telegram's pace), and APScheduler wakes each job at its interval.
A job's state is in the database, never in APScheduler: a job that was due while the
bot was down simply runs at the next start (``at_start``), and ``misfire_grace_time`` is
off so that a late wake-up still runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from ..delivery.worker import OutboxWorker

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

FIRST_RUN_GRACE = 5.0  # seconds: the scheduler starts then if the jobs' first run has not ended


@dataclass(frozen=True)
class Job:
    """Something to do every ``every``; what it returns is truthy when it queued messages."""

    name: str
    every: timedelta
    run: Callable[[], Awaitable[object]]
    at_start: bool = True


class Services:
    """The outbox worker and the jobs, for one process."""

    def __init__(self, worker: OutboxWorker, jobs: Sequence[Job], *, timezone: str,
                 lease: bool = True) -> None:
        self.worker = worker
        self.jobs = tuple(jobs)
        self.timezone = timezone
        self.lease = lease
        self.stop_event = asyncio.Event()
        self._scheduler: AsyncIOScheduler | None = None
        self._task: asyncio.Task[None] | None = None
        self._first: asyncio.Task[None] | None = None  # the jobs' first run, if beside
        self._later: asyncio.Task[None] | None = None  # then the scheduler

    async def start(self, *, background: bool = False) -> None:
        """Start the worker; run every job once (what fell due while the bot was down goes
        out now), then the scheduler. ``background``: that first run beside the channel,
        which answers its first update meanwhile (a restart is not kept waiting for the
        clean-up of retention, nor for APScheduler's import: its plug-in scan is about
        60 ms, and no job is due again before its interval); the scheduler then starts
        when the first run is done, or after :data:`FIRST_RUN_GRACE` if it is not."""
        self._task = asyncio.create_task(self.worker.run(self.stop_event, lease=self.lease))
        if background:
            self._first = asyncio.create_task(self._at_start())
            self._later = asyncio.create_task(self._schedule_after(self._first))
        else:
            await self._at_start()
            self._schedule()

    async def _at_start(self) -> None:
        for job in self.jobs:
            if job.at_start and not self.stop_event.is_set():
                await self._runner(job)()

    async def _schedule_after(self, first: asyncio.Task[None]) -> None:
        await asyncio.wait({first}, timeout=FIRST_RUN_GRACE)  # a job that hangs: go on
        if not self.stop_event.is_set():
            self._schedule()

    def _schedule(self) -> None:
        try:
            # Lazy: APScheduler after the jobs' first run (see start).
            from apscheduler.schedulers.asyncio import AsyncIOScheduler

            scheduler = AsyncIOScheduler(timezone=self.timezone)
            for job in self.jobs:
                scheduler.add_job(self._runner(job), "interval",
                                  seconds=job.every.total_seconds(), coalesce=True,
                                  misfire_grace_time=None, max_instances=1, id=job.name)
            scheduler.start()
        except Exception as exc:  # no job would run again: say so loudly
            log.error("the job scheduler did not start: %s; no job runs until a restart",
                      type(exc).__name__)
            return
        self._scheduler = scheduler

    def _runner(self, job: Job) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            try:
                if await job.run():
                    self.worker.wakeup.set()
            except Exception as exc:  # the next run tries again; never the details
                log.error("job %s failed: %s", job.name, type(exc).__name__)

        return run

    def wake(self) -> None:
        """Something was queued: let the worker look now."""
        self.worker.wakeup.set()

    async def stop(self) -> None:
        self.stop_event.set()
        self.worker.wakeup.set()
        if self._first is not None:
            with contextlib.suppress(Exception):
                await self._first  # the job running now finishes; the rest is skipped
        if self._later is not None:
            self._later.cancel()  # not scheduled any more (a scheduler made is shut down)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._later
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
