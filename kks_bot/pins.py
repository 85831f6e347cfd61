"""A person's PIN for case content, and the sessions it opens.

The PIN is a second factor on top of the Telegram account: an unlocked phone alone does
not show a case. It is chosen on first use, stored as an argon2id hash (argon2-cffi,
memory-hard; never the PIN), and five wrong tries lock it until an administrator unlocks
it. A correct PIN opens an :class:`AccessSession` - the Mini App's (a cookie) or, where
the bot has no web address, the chat's - which ends after a short idle time, at its
maximum age, and at once when the person is deactivated. Only a session id's SHA-256 is
stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from .config import Settings
from .db.models import AccessSession, Pin
from .i18n_markers import NP_

MAX_FAILURES = 5
#: Said after a wrong PIN, in the chat and on the Mini App's page (counted: tries left).
PIN_WRONG = NP_("Die PIN klopt niet. Nog {n} poging.", "Die PIN klopt niet. Nog {n} pogingen.")
PIN_PATTERN = re.compile(r"\d{5,8}")
# argon2id with 32 MiB and 2 passes: about 50 ms here, per check.
HASHER = PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)


class Checked(Enum):
    OK = "ok"
    WRONG = "wrong"  # wrong, tries left
    LOCKED = "locked"  # locked now or before: an administrator unlocks it
    NONE = "none"  # no PIN chosen yet


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lasts without use, and at most."""

    idle: timedelta = timedelta(minutes=15)
    max_age: timedelta = timedelta(hours=8)

    @classmethod
    def of(cls, settings: Settings) -> Lifetimes:
        return cls(idle=timedelta(minutes=settings.session_idle_minutes),
                   max_age=timedelta(hours=settings.session_max_hours))


def weak(pin: str) -> bool:
    """Not a PIN to accept: not 5-8 digits, one digit repeated, or a run (12345, 98765)."""
    if not PIN_PATTERN.fullmatch(pin):
        return True
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    return len(set(pin)) == 1 or steps in ({1}, {-1})


def provisional(pin: str) -> str:
    """A first entry of a new PIN, kept (hashed) until it is typed again."""
    return HASHER.hash(pin)


def same(provisional_hash: str, pin: str) -> bool:
    try:
        return HASHER.verify(provisional_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


async def has_pin(session: AsyncSession, user_id: int) -> bool:
    return await session.get(Pin, user_id) is not None


async def choose(session: AsyncSession, user_id: int, pin: str, now: datetime) -> bool:
    """Set the PIN on first use (False: there is one already, or it is weak)."""
    if weak(pin) or await session.get(Pin, user_id) is not None:
        return False
    session.add(Pin(user_id=user_id, pin_hash=HASHER.hash(pin), failures=0,
                    created_at=now, updated_at=now))
    return True


async def check(session: AsyncSession, user_id: int, pin: str, now: datetime) -> Checked:
    """Compare a typed PIN; count a wrong one, lock at the fifth."""
    row = await session.get(Pin, user_id)
    if row is None:
        return Checked.NONE
    if row.locked_at is not None:
        return Checked.LOCKED
    try:
        HASHER.verify(row.pin_hash, pin)
    except (VerificationError, InvalidHashError):
        row.failures += 1
        row.updated_at = now
        if row.failures >= MAX_FAILURES:
            row.locked_at = now
            await end_sessions(session, user_id)
            return Checked.LOCKED
        return Checked.WRONG
    row.failures, row.updated_at = 0, now
    return Checked.OK


async def tries_left(session: AsyncSession, user_id: int) -> int:
    row = await session.get(Pin, user_id)
    return MAX_FAILURES - row.failures if row is not None else MAX_FAILURES


async def unlock(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """An administrator unlocks a locked PIN: the person chooses a new one."""
    row = await session.get(Pin, user_id)
    if row is None:
        return False
    await session.delete(row)
    await end_sessions(session, user_id)
    return True


# ------------------------------------------------------------------------------- sessions


def session_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def chat_session_id(user_id: int) -> str:
    """The chat's session of a person (one at a time; the chat itself is the client)."""
    return f"chat:{user_id}"


async def open_session(session: AsyncSession, user_id: int, channel: str,
                       now: datetime, raw: str | None = None) -> str:
    """A new session (not yet past the PIN); returns its id (only the hash is stored)."""
    raw = raw or secrets.token_urlsafe(32)
    await session.execute(delete(AccessSession).where(AccessSession.id_hash ==
                                                      session_hash(raw)))
    session.add(AccessSession(id_hash=session_hash(raw), user_id=user_id, channel=channel,
                              created_at=now, seen_at=now))
    return raw


async def current(session: AsyncSession, raw: str | None, now: datetime,
                  lifetimes: Lifetimes) -> AccessSession | None:
    """The live session with this id (touched), or None (ended: removed)."""
    if not raw:
        return None
    row = await session.get(AccessSession, session_hash(raw))
    if row is None:
        return None
    if now - row.seen_at > lifetimes.idle or now - row.created_at > lifetimes.max_age:
        await session.delete(row)
        return None
    row.seen_at = now
    return row


async def end_sessions(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(AccessSession).where(AccessSession.user_id == user_id))
