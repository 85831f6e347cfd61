"""Alembic environment: runs on the connection the bot hands it at start-up.

``kks-bot`` applies migrations itself (``kks_bot.db.session.migrate``), inside
``AsyncConnection.run_sync``; the connection arrives in
``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from kks_bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through kks-bot (kks_bot.db.session.migrate)")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
