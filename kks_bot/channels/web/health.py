"""Health and metrics on the bot's web listener: ``/healthz`` (the process answers),
``/readyz`` (the database answers and some process holds the outbox lease) and
``/metrics`` (Prometheus' text format, from the official client library).

Served on ``KKS_HEALTH_LISTEN`` (the Docker image sets it), or beside the webhook and the
Mini App on their listener. None of it shows personal data: counts, ages, kinds.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import REGISTRY
from sqlalchemy import func, select, text

from ...db.models import Outbox, ScheduledMessage, WorkerLease
from ...delivery.outbox import LEASE

if TYPE_CHECKING:
    from ...runtime import Runtime

log = logging.getLogger(__name__)


class Health:
    """The three endpoints for one runtime."""

    def __init__(self, runtime: Runtime, registry: CollectorRegistry = REGISTRY) -> None:
        self.runtime = runtime
        self.registry = registry
        self._gauges = CollectorRegistry(auto_describe=True)
        self.depth = Gauge("kks_outbox_pending", "Outbox rows waiting to go out",
                           registry=self._gauges)
        self.oldest = Gauge("kks_outbox_oldest_pending_seconds",
                            "Age of the oldest outbox row that is due and waiting",
                            registry=self._gauges)
        self.failing = Gauge("kks_outbox_retrying", "Outbox rows waiting after a failure",
                             registry=self._gauges)
        self.due = Gauge("kks_reminders_due", "Scheduled messages due and not yet sent",
                         registry=self._gauges)

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)

    async def healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(self, _request: web.Request) -> web.Response:
        now = self.runtime.clock.now()
        try:
            async with self.runtime.sessions() as session:
                await session.execute(text("SELECT 1"))
                lease = await session.get(WorkerLease, LEASE)
        except Exception as exc:  # the database does not answer
            log.warning("readyz: database: %s", type(exc).__name__)
            return web.Response(status=503, text="database unreachable\n")
        if lease is None or lease.expires_at <= now - timedelta(seconds=5):
            return web.Response(status=503, text="no process delivers the outbox\n")
        return web.Response(text="ready\n")

    async def metrics(self, _request: web.Request) -> web.Response:
        now = self.runtime.clock.now()
        async with self.runtime.sessions() as session:
            pending = Outbox.status == "pending"
            self.depth.set((await session.execute(
                select(func.count()).select_from(Outbox).where(pending))).scalar_one())
            oldest = (await session.execute(select(func.min(Outbox.created_at)).where(
                pending, Outbox.next_attempt_at <= now))).scalar_one()
            self.oldest.set((now - oldest).total_seconds() if oldest else 0)
            self.failing.set((await session.execute(
                select(func.count()).select_from(Outbox).where(
                    pending, Outbox.attempts > 0))).scalar_one())
            self.due.set((await session.execute(
                select(func.count()).select_from(ScheduledMessage).where(
                    ScheduledMessage.status == "pending",
                    ScheduledMessage.due_at <= now))).scalar_one())
        body = generate_latest(self.registry) + generate_latest(self._gauges)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
