"""Retention: what is no longer needed is deleted, every day, by the same job runner as
the rest (``Runtime.jobs``); ``kks-bot admin retention --dry-run`` shows what the next run
would delete, as counts.

The schedule (``KKS_RETENTION_*``; the defaults and their reasons are in docs/privacy.md):

* **outbox** rows, once sent (or given up) and older than Telegram's 48 hours for deleting
  a message plus a margin: their sealed copy of what was sent goes with them.
* **sessions** (Mini App and chat) past their idle time or maximum age.
* **invitations**, used or expired, some days later (they hold who redeemed them).
* **scheduled messages** that were sent or dropped.
* **sparring threads** some weeks after their last message.
* **family contacts and meeting guests** as soon as their case is closed.
* **a closed case's content** some months after closing: the answers, the exchange, the
  meetings, what the family said about them (issue 16); what stays is the reference, the
  municipality, the dates, the statuses and a few anonymous categories for the figures
  (``registration.figures``).
* **the audit trail** after years (NEN 7513: long enough to answer "who saw this case").

Idempotent: a second run the same day finds nothing. On SQLite the WAL is checkpointed
afterwards (with ``secure_delete`` on, deleted values are overwritten in the file too).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..audit import forget_before
from ..cases import FINAL
from ..config import Settings
from ..crypto import Cipher
from ..db.models import (
    AccessSession,
    AuditEvent,
    CaseGuest,
    CaseMessage,
    FamilyContact,
    FamilyVoice,
    FaqReview,
    Invitation,
    Meeting,
    Outbox,
    Registration,
    RegistrationEvent,
    ScheduledMessage,
    SparThread,
)
from ..kernel.context import Env

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    outbox: timedelta
    idle: timedelta
    session_age: timedelta
    invitation: timedelta
    scheduled: timedelta
    spar: timedelta
    closed_case: timedelta
    audit: timedelta

    @classmethod
    def of(cls, settings: Settings) -> Schedule:
        return cls(outbox=timedelta(hours=settings.retention_outbox_hours),
                   idle=timedelta(minutes=settings.session_idle_minutes),
                   session_age=timedelta(hours=settings.session_max_hours),
                   invitation=timedelta(days=settings.retention_invitation_days),
                   scheduled=timedelta(days=settings.retention_scheduled_days),
                   spar=timedelta(days=settings.retention_spar_days),
                   closed_case=timedelta(days=settings.retention_closed_case_days),
                   audit=timedelta(days=settings.retention_audit_days))


#: What the anonymous figures keep of a purged case (issue 14): categories, no free text,
#: no dates of birth, no names.
FIGURE_FIELDS = ("spoed", "aanmelding_voor", "zwanger", "urgente_kwetsbaarheden",
                 "kwetsbaarheden", "beschermende_factoren", "aanmelder_functie", "tolk_gewenst",
                 "toestemming_onderzoek", "gezinssamenstelling", "moeder_opleiding",
                 "partner_in_beeld", "partner_opleiding")
#: What the figures keep of a purged case's meetings: dates and the registratieformulier's
#: category lists (who took part by role, help questions, support deployed).
MEETING_FIGURES = ("aanwezigen", "hulpvragen", "ondersteuning")


def figures(answers: dict[str, Any]) -> dict[str, Any]:
    return {key: answers[key] for key in FIGURE_FIELDS if key in answers}


class Purge:
    """One run of the schedule (or, ``dry_run``, what it would delete)."""

    def __init__(self, session: AsyncSession, cipher: Cipher, now: datetime,
                 schedule: Schedule, *, dry_run: bool) -> None:
        self.session, self.cipher, self.now = session, cipher, now
        self.schedule, self.dry_run = schedule, dry_run
        self.counts: dict[str, int] = {}

    async def _count(self, name: str, query: Select[Any]) -> int:
        found = int((await self.session.execute(
            select(func.count()).select_from(query.subquery()))).scalar_one())
        self.counts[name] = self.counts.get(name, 0) + found
        return found

    async def _delete(self, name: str, model: Any, *where: Any) -> None:
        if await self._count(name, select(model).where(*where)) and not self.dry_run:
            await self.session.execute(delete(model).where(*where))

    async def run(self) -> dict[str, int]:
        now, schedule = self.now, self.schedule
        await self._delete("outbox", Outbox, Outbox.status.not_in(("pending", "sending")),
                           func.coalesce(Outbox.sent_at, Outbox.created_at)
                           < now - schedule.outbox)
        await self._delete("sessions", AccessSession, or_(
            AccessSession.seen_at < now - schedule.idle,
            AccessSession.created_at < now - schedule.session_age))
        await self._delete("invitations", Invitation, or_(
            Invitation.decided_at < now - schedule.invitation,
            Invitation.expires_at < now - schedule.invitation))
        await self._delete("scheduled", ScheduledMessage, ScheduledMessage.status != "pending",
                           func.coalesce(ScheduledMessage.processed_at,
                                         ScheduledMessage.due_at) < now - schedule.scheduled)
        await self._delete("spar_threads", SparThread,
                           SparThread.updated_at < now - schedule.spar)
        # Questions nobody took up for the FAQ go as sparring threads do.
        await self._delete("faq_reviews", FaqReview, FaqReview.status == "open",
                           FaqReview.created_at < now - schedule.spar)
        closed = select(Registration.id).where(Registration.status.in_(FINAL))
        await self._delete("family_contacts", FamilyContact,
                           FamilyContact.registration_id.in_(closed))
        await self._delete("meeting_guests", CaseGuest, CaseGuest.registration_id.in_(closed))
        await self._closed_cases()
        if await self._count("audit", select(AuditEvent).where(
                AuditEvent.at < now - self.schedule.audit)) and not self.dry_run:
            await forget_before(self.session, now - self.schedule.audit)
        return self.counts

    async def _meeting_figures(self, meeting: Meeting) -> dict[str, Any]:
        outcome: dict[str, Any] = {}
        if meeting.outcome_sealed:
            outcome = self.cipher.open_json(meeting.outcome_sealed,
                                            f"meeting:{meeting.id}:outcome")
        return {"starts_at": _when(meeting.starts_at), "held": meeting.status == "held",
                "evaluation_due_at": _when(meeting.evaluation_due_at),
                "evaluated_at": _when(meeting.evaluated_at),
                **{key: outcome[key] for key in MEETING_FIGURES if key in outcome}}

    async def _closed_cases(self) -> None:
        """A closed case's content, some months after closing; its figures stay."""
        due = select(Registration).where(
            Registration.status.in_(FINAL), Registration.purged_at.is_(None),
            Registration.updated_at < self.now - self.schedule.closed_case)
        if not await self._count("closed_cases", due) or self.dry_run:
            return
        for registration in (await self.session.execute(due)).scalars().all():
            data = self.cipher.open_json(registration.data_sealed,
                                         f"registration:{registration.id}")
            rid = registration.id
            kept = figures(data.get("answers") or {})
            kept["meetings"] = [await self._meeting_figures(m) for m in (
                await self.session.execute(select(Meeting).where(
                    Meeting.registration_id == rid, Meeting.status != "cancelled"))
            ).scalars()]
            registration.figures = kept
            registration.data_sealed = ""
            registration.owner_id, registration.handler_id = 0, None
            registration.purged_at = self.now
            for model in (CaseMessage, FamilyVoice, Meeting, FamilyContact, CaseGuest):
                await self.session.execute(delete(model).where(
                    model.registration_id == rid))
            await self.session.execute(update(RegistrationEvent).where(
                RegistrationEvent.registration_id == rid).values(actor_id=0))


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def purge(env: Env, *, dry_run: bool = False,
                now: datetime | None = None) -> dict[str, int]:
    """Run the schedule once in one transaction; the counts (deleted, or to delete)."""
    when = now or env.clock.now()
    async with env.sessions() as session, session.begin():
        counts = await Purge(session, env.cipher, when, Schedule.of(env.settings),
                             dry_run=dry_run).run()
    if not dry_run and any(counts.values()):
        await compact(env.sessions, env.settings)
        log.info("retention: deleted %s", ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    return counts


async def compact(sessions: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    """SQLite: move the WAL into the file (secure_delete overwrote the old values there)."""
    if settings.is_postgres:
        return  # PostgreSQL reuses the space; VACUUM runs by itself (docs/privacy.md)
    async with sessions() as session:
        await session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
