"""Fixtures: a fresh database (SQLite, and PostgreSQL when configured), a frozen clock.

The suite runs against every database named in KKS_TEST_DATABASES (comma
separated: "sqlite", and PostgreSQL URLs such as
"postgresql+asyncpg://kks@127.0.0.1:5433/kks_test"); the default is SQLite only.
scripts/test.sh starts a throwaway PostgreSQL server and sets it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.crypto import generate_key
from kks_bot.db.models import Base
from kks_bot.db.session import make_engine, migrate
from kks_bot.delivery.outbox import Limits
from kks_bot.runtime import Runtime, build
from tests.support.transcript import Chat, MemoryTransport

DATABASES = [d.strip() for d in os.environ.get("KKS_TEST_DATABASES", "sqlite").split(",")
             if d.strip()]
TEST_KEY = f"t1:{generate_key()}"
FAST = Limits(global_rate=10_000, chat_rate=10_000, chat_burst=10_000)
START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
# pytest-xdist runs the suite in several processes: each gets a database of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


def _db_id(url: str) -> str:
    return "sqlite" if url == "sqlite" else "postgresql"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "once: a slow test with real processes whose proof does not depend on "
        "the database: run it on one database only (PostgreSQL when configured)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``once`` runs on the production database only (the last configured)."""
    if len(DATABASES) < 2:
        return
    keep = _db_id(DATABASES[-1])
    chosen, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        url = params.params.get("database_url") if params is not None else None
        if item.get_closest_marker("once") and url is not None and _db_id(url) != keep:
            dropped.append(item)
        else:
            chosen.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = chosen


_migrated: set[str] = set()
REFERENCE_TABLES = {"municipality"}


def _worker_url(url: str) -> str:
    """This worker's own PostgreSQL database, next to the configured one."""
    base, _, name = url.rpartition("/")
    return f"{base}/{name}_{WORKER}"


async def _clean_postgres(url: str) -> str:
    own = _worker_url(url)
    if own not in _migrated:
        admin = make_engine(url)
        try:
            async with admin.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                name = own.rpartition("/")[2]
                exists = (await conn.execute(text("SELECT 1 FROM pg_database WHERE datname = "
                                                  ":name"), {"name": name})).scalar()
                if not exists:
                    await conn.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            await admin.dispose()
    engine = make_engine(own)
    try:
        if own not in _migrated:
            await migrate(engine)
            _migrated.add(own)
        async with engine.begin() as conn:
            # Reference data seeded by the migrations stays; everything else goes.
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables
                               if t.name not in REFERENCE_TABLES)
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            await conn.execute(text("UPDATE municipality SET mailbox = NULL, "
                                    "knooppunt_active = TRUE"))
    finally:
        await engine.dispose()
    return own


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite database per session; each test gets a copy (migrating a fresh
    file for every test cost a tenth of a second each)."""
    path = tmp_path_factory.mktemp("template") / "kks.sqlite3"

    async def _make() -> None:
        engine = make_engine(f"sqlite+aiosqlite:///{path}")
        try:
            await migrate(engine)
        finally:
            await engine.dispose()

    asyncio.run(_make())
    return path


@pytest.fixture(params=DATABASES, ids=_db_id)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        shutil.copyfile(template, tmp_path / "kks.sqlite3")
        return f"sqlite+aiosqlite:///{tmp_path / 'kks.sqlite3'}"
    return asyncio.run(_clean_postgres(request.param))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    encryption_keys=TEST_KEY, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def runtime(settings: Settings, clock: FrozenClock) -> AsyncIterator[Runtime]:
    rt = await build(settings, clock=clock)
    yield rt
    await rt.close()


@pytest.fixture
def transport() -> Iterator[MemoryTransport]:
    shown = MemoryTransport()
    yield shown
    # As strict as Telegram: no message of any test may have been refused.
    assert shown.refusals == [], shown.refusals


@pytest.fixture
def chat_factory(runtime: Runtime, transport: MemoryTransport):  # type: ignore[no-untyped-def]
    worker = runtime.worker(transport, FAST)

    def make(user_id: int = 1001, language_code: str | None = "nl") -> Chat:
        return Chat(runtime.kernel, worker, transport, user_id=user_id,
                    language_code=language_code)

    return make


@pytest.fixture
def chat(chat_factory) -> Chat:  # type: ignore[no-untyped-def]
    return chat_factory()  # type: ignore[no-any-return]
