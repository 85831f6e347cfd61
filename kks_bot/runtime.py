"""Wiring: settings -> database, keys, core and outbox, for every entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .config import Settings
from .core.app import Core
from .core.clock import Clock, SystemClock
from .core.directory import load_directory
from .core.outbox import Limits, OutboxWorker, Transport
from .crypto import Cipher, KeyRing, load_or_create_key_file
from .db.session import make_engine, migrate, sessionmaker
from .i18n import translator

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
