"""The schema: migrations match the models, and apply to an empty database at start."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from kks_bot.db.models import Base
from kks_bot.runtime import Runtime


async def test_migrations_match_the_models(runtime: Runtime) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, Base.metadata)

    async with runtime.engine.connect() as conn:
        assert await conn.run_sync(diff) == []
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"draft", "registration", "outbox", "processed_update"} <= tables


#: Text in the clear that is public content, not personal data: the FAQ entries an
#: administrator writes in the bot are shown to every user (kks_bot/db/faq_tables.py).
PUBLIC_TEXT = {f"faq_entry.{kind}_{language}" for kind in ("question", "answer")
               for language in ("nl", "en", "ar")}


async def test_sealed_columns_hold_no_plaintext(runtime: Runtime) -> None:
    sealed = [c.name for t in Base.metadata.sorted_tables for c in t.columns
              if c.name.endswith("_sealed")]
    assert sealed  # every free-form user value lives in one of these
    text_columns = [f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables
                    for c in t.columns if str(c.type) == "TEXT" and not c.name.endswith("_sealed")]
    assert sorted(text_columns) == sorted(PUBLIC_TEXT)


def test_the_head_read_from_the_file_names_is_alembics() -> None:
    """The bot starts without loading Alembic when the database is at the newest
    revision, which it reads from the migrations' file names."""
    from alembic.script import ScriptDirectory

    from kks_bot.db.session import alembic_config, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_restart_on_a_current_database_does_not_load_alembic(tmp_path) -> None:
    import subprocess
    import sys

    code = ("import asyncio, sys\n"
            "from kks_bot.db.session import make_engine, migrate\n"
            f"engine = make_engine('sqlite+aiosqlite:///{tmp_path}/kks.db')\n"
            "asyncio.run(migrate(engine))\n"
            "print('alembic' in sys.modules)\n")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True)
    assert (first.stdout.strip(), again.stdout.strip()) == ("True", "False")
