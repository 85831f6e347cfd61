"""Wiring, for every entry point: settings -> database, keys, the environment with every
feature registered, the kernel, and the outbox worker and jobs for a channel."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from conversations import AANMELDFORMULIER

from .audit import chain
from .clock import Clock, SystemClock
from .config import Settings
from .crypto import Cipher, KeyRing, load_or_create_key_file
from .db.models import ScheduledMessage
from .db.session import make_engine, migrate, sessionmaker
from .delivery.mail import mail_settings
from .delivery.outbox import Limits, Transport
from .delivery.scheduler import dispatch_due
from .delivery.worker import OutboxWorker
from .directory import load_directory
from .families import move_legacy_ids
from .flows import registry
from .i18n import translator
from .kernel.context import Env, JobRun
from .kernel.engine import Kernel
from .services.jobs import Job, Services
from .services.retention import purge

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    env: Env
    engine: AsyncEngine
    kernel: Kernel
    key_file_created: bool = False

    @property
    def settings(self) -> Settings:
        return self.env.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.env.settings = value

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        return self.env.sessions

    @property
    def cipher(self) -> Cipher:
        return self.env.cipher

    @property
    def clock(self) -> Clock:
        return self.env.clock

    def worker(self, transport: Transport, limits: Limits | None = None) -> OutboxWorker:
        limits = limits or Limits(chat_rate=self.settings.outbox_chat_rate)
        return OutboxWorker(self.sessions, self.cipher, transport, self.env.clock,
                            self.env.tr, limits, mail_settings(self.settings),
                            admin_ids=sorted(self.settings.admins),
                            default_locale=self.settings.default_locale)

    def jobs(self, wake: Callable[[], None] | None = None) -> list[Job]:
        """The background jobs: the features' (the draft sweep), the inbox pruning and
        the dispatcher of scheduled messages (``wake``: tell the outbox worker after each
        batch it queued). Their state is in the database."""
        env = self.env

        def bound(run: JobRun) -> Callable[[], Awaitable[object]]:
            return lambda: run(env)

        jobs = [Job(job.name, job.every, bound(job.run), job.at_start)
                for job in env.registry.jobs]
        return [
            *jobs,
            Job("inbox", timedelta(hours=6), self.kernel.prune_inbox, at_start=False),
            Job("retention", timedelta(hours=24), lambda: purge(env)),
            Job("audit-chain", timedelta(minutes=1), self.chain_audit),
            Job("keys", timedelta(minutes=1), self.refresh_keys, at_start=False),
            # Only a wake-up: what is due is in the database (scheduled_message).
            Job("scheduled", timedelta(seconds=self.settings.dispatch_seconds),
                lambda: self.dispatch(wake)),
        ]

    async def refresh_keys(self) -> bool:
        """Key file mode: take a rotated key as the active one (``kks-bot keys rotate``)."""
        changed = self.env.cipher.refresh()
        if changed:
            log.info("encryption: new values are sealed with key %s now",
                     self.env.cipher.active_key_id)
        return changed

    async def chain_audit(self) -> int:
        """Link the new audit entries into the hash chain (audit.py)."""
        async with self.sessions() as session, session.begin():
            return await chain(session)

    async def dispatch(self, wake: Callable[[], None] | None = None) -> int:
        """Send what is due of the scheduled messages (reminders, nudges); rows handled.
        ``wake`` is called after each batch is queued, so that sending starts while the
        rest is still being prepared."""
        env = self.env

        async def render(session: AsyncSession, row: ScheduledMessage, now: datetime) -> bool:
            renderer = env.registry.renderers.get(row.kind)
            return renderer is not None and await renderer(env, session, row, now)

        return await dispatch_due(self.sessions, env.clock, render, wake=wake)

    def services(self, transport: Transport, *, lease: bool = True) -> Services:
        """The outbox worker and the jobs, for the channel that runs in this process."""
        worker = self.worker(transport)
        return Services(worker, self.jobs(worker.wakeup.set), timezone=self.settings.timezone,
                        lease=lease)

    async def close(self) -> None:
        await self.engine.dispose()


def load_keys(settings: Settings) -> tuple[KeyRing, bool]:
    spec = settings.encryption_keys.get_secret_value()
    if not spec and settings.encryption_keys_file:
        # The file may hold what `kks-bot keys generate` prints, the name included.
        spec = settings.encryption_keys_file.read_text(encoding="utf-8").strip()
        spec = spec.removeprefix("KKS_ENCRYPTION_KEYS=")
    if spec:
        return KeyRing.parse(spec, settings.encryption_key_id), False
    legacy = settings.legacy_key_file
    if legacy.exists():
        if settings.key_file.exists():
            raise SystemExit(f"two key files: {legacy} (old place) and {settings.key_file}. "
                             "Keep the one the data was sealed with, outside the data folder.")
        settings.key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.move(legacy, settings.key_file)
        log.warning("moved the encryption key file out of the data folder, to %s",
                    settings.key_file)
    return load_or_create_key_file(settings.key_file)


async def build(settings: Settings, clock: Clock | None = None) -> Runtime:
    """Open the database (migrating it), load the keys, register the features."""
    ring, created = load_keys(settings)
    if created:
        log.warning("created a new encryption key file at %s (owner-only). Keep it safe and "
                    "back it up: without it the stored data cannot be read.", settings.key_file)
    engine = make_engine(settings.database_url)
    await migrate(engine)
    sessions = sessionmaker(engine)
    async with sessions() as session:
        directory = await load_directory(session)
    file_mode = not (settings.encryption_keys.get_secret_value() or settings.encryption_keys_file)
    reload = (lambda: load_or_create_key_file(settings.key_file)[0]) if file_mode else None
    cipher = Cipher(ring, reload)
    async with sessions() as session, session.begin():
        if moved := await move_legacy_ids(session, cipher):
            log.info("families: %s Telegram id(s) moved to a keyed hash", moved)
    env = Env(settings=settings, sessions=sessions, cipher=cipher,
              clock=clock or SystemClock(), tr=translator(), directory=directory,
              form=AANMELDFORMULIER, registry=registry())
    return Runtime(env, engine, Kernel(env), created)
