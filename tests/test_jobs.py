"""The background jobs (:class:`kks_bot.services.jobs.Services`): each runs once at start,
beside the channel, and then at its interval from APScheduler, which starts after that
first run - or after a grace period when a job of the first run does not end."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from kks_bot.runtime import Runtime
from kks_bot.services import jobs
from kks_bot.services.jobs import Job, Services
from tests.support.transcript import MemoryTransport


async def test_a_job_that_hangs_at_start_does_not_stop_the_others(
        runtime: Runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(jobs, "FIRST_RUN_GRACE", 0.2)
    quick_runs = 0
    release = asyncio.Event()

    async def quick() -> bool:
        nonlocal quick_runs
        quick_runs += 1
        return False

    async def hangs() -> bool:
        await release.wait()  # e.g. a database that does not answer
        return False

    services = Services(runtime.worker(MemoryTransport()),
                        [Job("quick", timedelta(seconds=0.1), quick),
                         Job("hangs", timedelta(hours=1), hangs)],
                        timezone="Europe/Amsterdam", lease=False)
    await services.start(background=True)
    try:
        await asyncio.sleep(1.0)
        assert quick_runs >= 3, quick_runs  # once at start, then from the scheduler
    finally:
        release.set()
        await services.stop()
    stopped_at = quick_runs
    await asyncio.sleep(0.3)
    assert quick_runs == stopped_at  # stopped means stopped


async def test_stopped_before_the_first_run_ends_nothing_is_scheduled(
        runtime: Runtime) -> None:
    release = asyncio.Event()
    runs = 0

    async def slow() -> bool:
        nonlocal runs
        runs += 1
        await release.wait()
        return False

    services = Services(runtime.worker(MemoryTransport()),
                        [Job("slow", timedelta(seconds=0.1), slow)],
                        timezone="Europe/Amsterdam", lease=False)
    await services.start(background=True)
    await asyncio.sleep(0.05)
    stopping = asyncio.create_task(services.stop())
    await asyncio.sleep(0.05)
    release.set()
    await stopping
    await asyncio.sleep(0.3)
    assert runs == 1
