"""What a due scheduled message says (the dispatcher asks, in its transaction): a family's
invitation or reminder, a professional's reminder, an evaluation nudge - or nothing, when
the meeting passed, moved or was cancelled, or the family stopped (the row is dropped)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ... import families
from ...cases import CASE, FINAL, when_text
from ...db.models import FamilyContact, Meeting, Registration, ScheduledMessage
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Env
from ...kernel.events import Button
from .common import details, family_message
from .guests import is_guest

log = logging.getLogger(__name__)

KINDS = ("invitation", "reminder", "evaluation")


async def render_scheduled(env: Env, session: AsyncSession, row: ScheduledMessage,
                           now: datetime) -> bool:
    """Turn a due row into outbox rows; False when it no longer makes sense (dropped)."""
    meeting = await session.get(Meeting, row.meeting_id) if row.meeting_id else None
    if meeting is None:
        return False
    if row.kind in ("invitation", "reminder"):
        if meeting.status != "planned" or meeting.starts_at <= now:
            log.info("dropped %s %s: the meeting has passed or changed", row.kind, row.id)
            return False
        if row.kind == "reminder" and await is_guest(session, meeting.registration_id,
                                                     row.recipient_id):
            registration = await session.get(Registration, meeting.registration_id)
            if registration is None or registration.status in FINAL:
                return False
            await _guest_reminder(env, session, registration, meeting, row, now)
            return True
        contact = await session.get(FamilyContact, row.contact_id) if row.contact_id else None
        if contact is None or contact.registration_id != meeting.registration_id or \
                contact.opted_in_at is None or contact.stopped_at is not None:
            return False
        chat = families.chat_of(env.cipher, contact)
        if chat is None:
            return False
        await family_message(env, session, chat, meeting, now,
                             reminder=row.kind == "reminder")
        return True
    if row.kind == "evaluation":
        if meeting.evaluated_at is not None or meeting.status != "held":
            return False
        registration = await session.get(Registration, meeting.registration_id)
        if registration is None or registration.status in FINAL:
            return False
        await _evaluation_nudge(env, session, row, registration, meeting, now,
                                director=row.recipient_id == registration.owner_id)
        return True
    return False


async def _guest_reminder(env: Env, session: AsyncSession, registration: Registration,
                          meeting: Meeting, row: ScheduledMessage, now: datetime) -> None:
    """A professional's reminder: the same words for each, to this one only."""
    place = details(env, meeting).get("plaats") or "—"
    await env.tell(session, row.recipient_id, now, lambda loc: "📅 " + env.tr.t(
        loc, N_("Herinnering: Knooppuntoverleg over {reference}: {when}, {place}."),
        reference=registration.reference, when=when_text(env, loc, meeting.starts_at),
        place=place), expires=env.chat_ttl)


#: The evaluation nudge: its text and buttons (label, action) for the coordinator, and for
#: the registrant as case director (closing and planning are the coordinator's).
NUDGE = {
    False: (N_("Tijd om {reference} te evalueren: het overleg was op {when}."),
            (("✅", N_("Geëvalueerd, afsluiten"), "evdone"),
             ("📅", N_("Nieuw Knooppuntoverleg"), "meet"),
             ("⏰", N_("Herinner me over een week"), "evlater"))),
    True: (N_("Tijd om {reference} te evalueren: het overleg was op {when}. Je bent "
              "casusregisseur. Wat geef ik door aan de coördinator?"),
           (("✅", N_("Geëvalueerd, kan dicht"), "evok"),
            ("📅", N_("Nieuw Knooppuntoverleg nodig"), "evnew"),
            ("⏰", N_("Herinner me over een week"), "evsnooze"))),
}


async def _evaluation_nudge(env: Env, session: AsyncSession, row: ScheduledMessage,
                            registration: Registration, meeting: Meeting, now: datetime, *,
                            director: bool) -> None:
    """Time to evaluate; not handled, it comes again a week later."""
    t = env.tr.t
    rid, reference = registration.id, registration.reference
    text, buttons = NUDGE[director]
    await env.tell(session, row.recipient_id, now, lambda loc: "⏰ " + t(
        loc, text, reference=reference, when=when_text(env, loc, meeting.starts_at)),
        lambda loc: [[Button(f"{icon} " + t(loc, label), routed(CASE, action, rid))]
                     for icon, label, action in buttons],
        coordinator_of=None if director else registration.gemeente_code or "")
    await env.emit("evaluation_nudge", session=session, now=now, registration=registration,
                   meeting=meeting, recipient=row.recipient_id, director=director)
    session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                 recipient_id=row.recipient_id,
                                 due_at=max(row.due_at, now) + timedelta(days=7),
                                 status="pending", detail="director" if director else "weekly"))
