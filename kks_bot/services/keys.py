"""Key rotation: every sealed value re-sealed under the active key, while the bot runs.

``kks-bot keys rotate`` (key file mode) adds a new key to the key file as the active one;
the running bot takes it within a minute (``Runtime.refresh_keys``) and opens what the
rotation re-sealed at once (``Cipher`` reads the ring again for an unknown key id). With
``KKS_ENCRYPTION_KEYS`` the operator first puts the new key in front and restarts; then
the same command re-seals. Each row is changed with a compare-and-swap on its old value,
in small batches, each its own transaction: a row the bot changed in between is picked
up by the next pass, a kill -9 loses at most one batch's work, and running the command
again goes on where it stopped (it selects only what is not under the active key yet).
Rows of earlier versions get their uid here, so their associated data names the row.
Afterwards ``kks-bot keys retire <id>`` removes a key no value uses any more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..crypto import VERSION, Cipher
from ..db.models import (
    Account,
    CaseMessage,
    Conversation,
    Draft,
    FamilyContact,
    FamilyVoice,
    FaqReview,
    Invitation,
    Meeting,
    Outbox,
    Registration,
    SparMessage,
    row_uid,
)


@dataclass(frozen=True)
class Sealed:
    """A sealed column and the associated data of its value in a row."""

    model: Any
    column: str
    aad: Callable[[Any], str]
    # Columns to write beside the re-sealed value (a keyed hash under the new key).
    beside: Callable[[Cipher, Any], dict[str, Any]] = lambda _cipher, _value: {}

    @property
    def bound_by_uid(self) -> bool:
        return hasattr(self.model, "uid")

    @property
    def name(self) -> str:
        return f"{self.model.__tablename__}.{self.column}"


#: Every sealed column (tests/test_keys.py checks that none is missing). The associated
#: data names the table, the row and, where a table has two, the column.
SEALED = (
    Sealed(Account, "profile_sealed", lambda r: f"account:{r.user_id}:profile"),
    Sealed(Conversation, "state_sealed", lambda r: f"conversation:{r.user_id}"),
    Sealed(Draft, "answers_sealed", lambda r: f"draft:{r.id}"),
    Sealed(Registration, "data_sealed", lambda r: f"registration:{r.id}"),
    Sealed(Invitation, "identity_sealed", lambda r: f"invitation:{r.token_hash}"),
    Sealed(Meeting, "details_sealed", lambda r: f"meeting:{r.id}"),
    Sealed(Meeting, "outcome_sealed", lambda r: f"meeting:{r.id}:outcome"),
    Sealed(Outbox, "payload_sealed", lambda r: r.aad),
    Sealed(CaseMessage, "text_sealed", lambda r: r.aad),
    Sealed(SparMessage, "text_sealed", lambda r: r.aad),
    Sealed(FaqReview, "text_sealed", lambda r: r.aad),
    Sealed(FamilyContact, "chat_sealed", lambda r: r.aad,
           lambda cipher, chat: {"user_hash": cipher.lookup_hash(str(chat))}),
    Sealed(FamilyVoice, "answers_sealed", lambda r: r.aad),
)


def _due(sealed: Sealed, active: str) -> ColumnElement[bool]:
    column = getattr(sealed.model, sealed.column)
    stale = not_(column.startswith(f"{VERSION}.{active}."))
    if sealed.bound_by_uid:
        stale = or_(stale, sealed.model.uid.is_(None))
    due: ColumnElement[bool] = column.is_not(None) & (column != "") & stale
    return due


async def _count(session: AsyncSession, sealed: Sealed, where: ColumnElement[bool]) -> int:
    return int((await session.execute(
        select(func.count()).select_from(sealed.model).where(where))).scalar_one())


async def still_to_do(sessions: async_sessionmaker[AsyncSession], cipher: Cipher) -> int:
    async with sessions() as session:
        return sum([await _count(session, s, _due(s, cipher.active_key_id)) for s in SEALED])


async def using(sessions: async_sessionmaker[AsyncSession], key_id: str) -> int:
    """How many values are sealed with ``key_id``."""
    async with sessions() as session:
        return sum([await _count(session, s, getattr(s.model, s.column).startswith(
            f"{VERSION}.{key_id}.")) for s in SEALED])


async def _batch(session: AsyncSession, cipher: Cipher, sealed: Sealed, size: int) -> int:
    """Re-seal up to ``size`` rows of one column; how many were changed."""
    model, name = sealed.model, sealed.column
    keys = model.__mapper__.primary_key
    rows = (await session.execute(select(model).where(_due(sealed, cipher.active_key_id))
                                  .order_by(*keys).limit(size))).scalars().all()
    changed = 0
    for row in rows:
        old = getattr(row, name)
        value = cipher.open_json(old, sealed.aad(row))
        values: dict[str, Any] = {}
        if sealed.bound_by_uid and row.uid is None:
            row.uid = values["uid"] = row_uid()
        values[name] = cipher.seal_json(value, sealed.aad(row))
        values.update(sealed.beside(cipher, value))
        same_row = [key == getattr(row, key.key) for key in keys]
        session.expunge(row)  # the compare-and-swap below is the only write
        result = await session.execute(
            update(model).where(*same_row, getattr(model, name) == old).values(**values)
            .execution_options(synchronize_session=False))
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed


async def rotate(sessions: async_sessionmaker[AsyncSession], cipher: Cipher, *,
                 batch: int = 200, pause: float = 0.0,
                 progress: Callable[[int], None] = lambda _n: None) -> int:
    """Re-seal every value not under the active key; how many. ``progress`` hears each
    batch's count; ``pause`` seconds between batches spare a busy database."""
    done, idle_rounds = 0, 0
    while True:
        round_done = 0
        for sealed in SEALED:
            while True:
                async with sessions() as session, session.begin():
                    changed = await _batch(session, cipher, sealed, batch)
                if not changed:
                    break
                round_done += changed
                progress(changed)
                if pause:
                    await asyncio.sleep(pause)
        done += round_done
        if not await still_to_do(sessions, cipher):
            return done
        # Rows the bot wrote meanwhile with the key it had: it takes the new one within
        # a minute (Runtime.refresh_keys); wait for it rather than spin.
        idle_rounds = idle_rounds + 1 if not round_done else 0
        if idle_rounds > 40:
            raise RuntimeError("values are still being sealed with an older key: is a bot "
                               "running with KKS_ENCRYPTION_KEYS that lacks the new key?")
        await asyncio.sleep(3)
