"""Wiring: settings -> database, keys, core and outbox, for every entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .clock import Clock, SystemClock
from .config import Settings
from .core import meetings
from .core.app import Core
from .crypto import Cipher, KeyRing, load_or_create_key_file
from .db.models import ScheduledMessage
from .db.session import make_engine, migrate, sessionmaker
from .delivery.outbox import Limits, Transport
from .delivery.scheduler import dispatch_due
from .delivery.worker import OutboxWorker
from .directory import load_directory
from .i18n import translator
from .services.jobs import Job, Services

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    cipher: Cipher
    core: Core
    key_file_created: bool = False

    def worker(self, transport: Transport, limits: Limits | None = None) -> OutboxWorker:
        return OutboxWorker(self.sessions, self.cipher, transport, self.core.clock,
                            self.core.tr, limits, self.settings.mail_settings(),
                            admin_ids=sorted(self.settings.admins),
                            default_locale=self.settings.default_locale)

    def jobs(self) -> list[Job]:
        """The background jobs; their state is in the database."""
        core = self.core

        async def sweep() -> bool:
            await core.sweep_drafts()
            return True  # warnings may have been queued, not only deletions

        return [
            Job("drafts", timedelta(minutes=10), sweep),
            Job("inbox", timedelta(hours=6), core.prune_inbox, at_start=False),
            # Only a wake-up: what is due is in the database (scheduled_message).
            Job("scheduled", timedelta(seconds=self.settings.dispatch_seconds), self.dispatch),
        ]

    async def dispatch(self) -> int:
        """Send what is due of the scheduled messages (reminders, nudges); rows handled."""
        core = self.core

        async def render(session: AsyncSession, row: ScheduledMessage, now: datetime) -> bool:
            return await meetings.render_scheduled(core, session, row, now)

        return await dispatch_due(self.sessions, core.clock, render)

    def services(self, transport: Transport, *, lease: bool = True) -> Services:
        """The outbox worker and the jobs, for the channel that runs in this process."""
        return Services(self.worker(transport), self.jobs(), timezone=self.settings.timezone,
                        lease=lease)

    async def close(self) -> None:
        await self.engine.dispose()


def load_keys(settings: Settings) -> tuple[KeyRing, bool]:
    spec = settings.encryption_keys.get_secret_value()
    if spec:
        return KeyRing.parse(spec, settings.encryption_key_id), False
    return load_or_create_key_file(settings.key_file)


async def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Open the database (migrating it), load the keys and make the core."""
    ring, created = load_keys(settings)
    if created:
        log.warning("created a new encryption key file at %s (owner-only). Keep it safe and "
                    "back it up: without it the stored data cannot be read.", settings.key_file)
    engine = make_engine(settings.database_url)
    await migrate(engine)
    sessions = sessionmaker(engine)
    cipher = Cipher(ring)
    async with sessions() as session:
        directory = await load_directory(session)
    core = Core(settings=settings, sessions=sessions, cipher=cipher,
                clock=clock or SystemClock(), tr=translator(), directory=directory)
    return Runtime(settings, engine, sessions, cipher, core, created)
