"""Where the family's voice is kept: one ``family_voice`` row per meeting, moment and
contact (or the coordinator), the answers sealed under the row's own associated data."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ... import families
from ...db.models import FamilyContact, FamilyVoice, Meeting
from ...kernel.context import Env

BEFORE, EXPERIENCE, EVALUATION = "before", "experience", "evaluation"
MOMENTS = (BEFORE, EXPERIENCE, EVALUATION)


async def contacts(session: AsyncSession, registration_id: str) -> list[FamilyContact]:
    """The family members who opted in, did not stop and can be messaged."""
    return list((await session.execute(select(FamilyContact).where(
        FamilyContact.registration_id == registration_id,
        FamilyContact.opted_in_at.is_not(None), FamilyContact.stopped_at.is_(None),
        FamilyContact.user_hash.is_not(None)))).scalars())


async def contact_of(env: Env, session: AsyncSession, user_id: int,
                     registration_id: str) -> FamilyContact | None:
    """This Telegram user's contact for the case, while they want messages."""
    return (await session.execute(select(FamilyContact).where(
        families.of_user(env.cipher, user_id),
        FamilyContact.registration_id == registration_id,
        FamilyContact.opted_in_at.is_not(None),
        FamilyContact.stopped_at.is_(None)))).scalars().first()


async def find(session: AsyncSession, meeting_id: str, moment: str, *,
               contact_id: str | None = None) -> FamilyVoice | None:
    """The family member's row (``contact_id``), or the coordinator's (None)."""
    query = select(FamilyVoice).where(FamilyVoice.meeting_id == meeting_id,
                                      FamilyVoice.moment == moment)
    query = query.where(FamilyVoice.contact_id == contact_id) if contact_id else \
        query.where(FamilyVoice.by == "coordinator")
    return (await session.execute(query.order_by(FamilyVoice.created_at))).scalars().first()


def new(session: AsyncSession, meeting: Meeting, moment: str, now: datetime, *,
        contact_id: str | None = None) -> FamilyVoice:
    row = FamilyVoice(id=str(uuid.uuid4()), registration_id=meeting.registration_id,
                      meeting_id=meeting.id, contact_id=contact_id, moment=moment,
                      by="family" if contact_id else "coordinator", status="offered",
                      offers=1, created_at=now, updated_at=now)
    session.add(row)
    return row


def answers(env: Env, row: FamilyVoice | None) -> dict[str, Any]:
    if row is None or not row.answers_sealed:
        return {}
    found: dict[str, Any] = env.cipher.open_json(row.answers_sealed, row.aad)
    return found


def keep(env: Env, row: FamilyVoice, given: dict[str, Any], now: datetime) -> None:
    row.answers_sealed = env.cipher.seal_json(given, row.aad)
    row.status, row.updated_at = "done", now


async def done(session: AsyncSession, meeting_id: str, moment: str) -> list[FamilyVoice]:
    """The answered rows of a meeting and moment: the family's first, newest first."""
    rows = (await session.execute(select(FamilyVoice).where(
        FamilyVoice.meeting_id == meeting_id, FamilyVoice.moment == moment,
        FamilyVoice.status == "done").order_by(FamilyVoice.updated_at.desc()))).scalars()
    return sorted(rows, key=lambda r: r.by != "family")
