"""The audit trail (NEN 7513): who did what to which registration, and when - never the
content - as a hash chain that shows any change.

:func:`audit` adds an entry in the event's own transaction. :func:`chain` links the new
entries in id order, each carrying the SHA-256 of the one before it and of its own
fields; it runs every minute (and before a verify or a show), one process at a time,
under the ``audit_head`` row. :func:`verify` recomputes the chain and names every entry
that was changed, removed, inserted or moved, and a cut-off tail. Retention deletes the
oldest entries: the hash of the last one deleted is kept as an anchor, so the chain may
begin there and nowhere else.

The chain covers salted digests of the actor and the detail rather than the values, so
erasing a person (:func:`redact`, for ``kks-bot admin erase-user`` and a family's "wipe
my details") removes their id from the trail without breaking it: the entry keeps the two
digests and loses its salt, which makes them useless for finding the id again.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from .db.models import AuditEvent, AuditHead
from .metrics import AUDITED

GENESIS = "0" * 64
HEAD = "audit"


def audit(session: AsyncSession, now: datetime, actor: int, action: str,
          registration_id: str | None = None, detail: str | None = None) -> None:
    """Record an event in this transaction (chained within a minute)."""
    AUDITED.labels(action).inc()
    session.add(AuditEvent(at=now, actor_id=actor, action=action,
                           registration_id=registration_id[:36] if registration_id else None,
                           detail=detail[:80] if detail else None,
                           salt=secrets.token_hex(16)))


def _sha(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _digests(entry: AuditEvent) -> tuple[str, str]:
    """The actor's and the detail's salted digests (kept instead of them once redacted)."""
    if entry.redacted:
        actor, _, detail = entry.redacted.partition(":")
        return actor, detail
    salt = entry.salt or ""
    return _sha(salt, "actor", str(entry.actor_id)), _sha(salt, "detail", entry.detail or "")


def entry_hash(prev: str, entry: AuditEvent) -> str:
    """The hash of an entry: the previous hash and every field, unambiguously joined."""
    return _sha(prev, str(entry.id), str(entry.seq), entry.at.isoformat(timespec="microseconds"),
                entry.action, entry.registration_id or "", *_digests(entry))


async def _head(session: AsyncSession) -> AuditHead:
    head = await session.get(AuditHead, HEAD, with_for_update=True)
    if head is None:
        head = AuditHead(name=HEAD, last_seq=0, last_hash=GENESIS, anchors="")
        session.add(head)
        await session.flush()
    return head


async def chain(session: AsyncSession) -> int:
    """Link the entries not chained yet after the end of the chain; how many."""
    head = await _head(session)
    fresh = (await session.execute(
        select(AuditEvent).where(AuditEvent.seq.is_(None)).order_by(AuditEvent.id))
    ).scalars().all()
    prev = head.last_hash
    for entry in fresh:
        entry.salt = entry.salt or secrets.token_hex(16)  # written before the salt existed
        head.last_seq += 1
        entry.seq, entry.prev_hash = head.last_seq, prev
        entry.hash = prev = entry_hash(prev, entry)
    head.last_hash = prev
    return len(fresh)


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Retention: delete the entries older than ``before``; the chain may begin after."""
    await chain(session)
    head = await _head(session)
    # A beginning of the chain: up to the first entry that is not old yet.
    keep = (await session.execute(select(func.min(AuditEvent.seq))
                                  .where(AuditEvent.at >= before))).scalar_one_or_none()
    query = select(AuditEvent).order_by(AuditEvent.seq)
    if keep is not None:
        query = query.where(AuditEvent.seq < keep)
    old = (await session.execute(query)).scalars().all()
    if old:
        head.anchors = " ".join(filter(None, [head.anchors, old[-1].hash or ""]))[-6500:]
        for entry in old:
            await session.delete(entry)
    return len(old)


async def redact(session: AsyncSession, *where: ColumnElement[bool]) -> int:
    """Remove actor and detail from the entries ``where`` selects; the chain stays whole."""
    await chain(session)
    entries = (await session.execute(
        select(AuditEvent).where(AuditEvent.redacted.is_(None), *where))).scalars().all()
    for entry in entries:
        entry.redacted = ":".join(_digests(entry))
        entry.salt, entry.actor_id, entry.detail = None, 0, None
    return len(entries)


@dataclass(frozen=True)
class Problem:
    entry_id: int
    what: str

    def __str__(self) -> str:
        return f"entry {self.entry_id}: {self.what}"


async def verify(session: AsyncSession) -> list[Problem]:
    """Recompute the chain; every entry that does not fit, and a missing tail."""
    await chain(session)
    head = await _head(session)
    problems: list[Problem] = []
    entries = (await session.execute(select(AuditEvent).order_by(AuditEvent.seq))).scalars()
    anchors = {GENESIS, *head.anchors.split()}
    prev: str | None = None
    last: AuditEvent | None = None
    for entry in entries:
        expected_prev = prev if prev is not None else entry.prev_hash
        if prev is None and entry.prev_hash not in anchors:
            problems.append(Problem(entry.id, "the chain does not begin here (entries before "
                                              "it were removed)"))
        elif entry.prev_hash != expected_prev:
            problems.append(Problem(entry.id, "the entry before it was changed, removed or "
                                              "moved"))
        if entry.hash != entry_hash(entry.prev_hash or "", entry) or (
                entry.redacted and (entry.actor_id or entry.detail)):
            problems.append(Problem(entry.id, "changed"))
        prev, last = entry.hash or "", entry
    if head.last_seq and (last is None or last.seq != head.last_seq
                          or last.hash != head.last_hash):
        problems.append(Problem(last.id if last else 0, "the entries after it were removed "
                                                        "(the end of the chain is missing)"))
    return problems
