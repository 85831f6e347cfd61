"""The rights of the people in the data (AVG articles 15 and 17): everything stored about
a case, and erasure of a case or of a person. The administrator's commands
(``kks-bot admin export|erase|erase-user``) confirm first and call these; a family's
"wipe my details" uses :func:`forget_person` for what is theirs.

Erasure is deletion, not hiding: the rows go (the outbox's sealed copies and the scheduled
messages included), the SQLite WAL is checkpointed afterwards as after a purge, and the
audit trail keeps that it happened - the action, the time, the case's random id - while
the person's id leaves it (:func:`kks_bot.audit.redact`). Correction is not here: the
registrant adds a supplement, which the case keeps beside the original.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from .. import families
from ..audit import audit, chain, redact
from ..crypto import Cipher, DecryptionError
from ..db.models import (
    AccessSession,
    Account,
    AuditEvent,
    CaseGuest,
    CaseMessage,
    Conversation,
    Coordinator,
    Draft,
    FamilyContact,
    FamilyVoice,
    Invitation,
    Meeting,
    Outbox,
    Pin,
    Registration,
    RegistrationEvent,
    ScheduledMessage,
    SparMessage,
    SparThread,
)
from ..delivery.outbox import enqueue
from ..kernel.context import Env

#: Telegram lets a bot delete its own messages for 48 hours; a little less, to be sure.
DELETABLE = timedelta(hours=47)


async def find_case(session: AsyncSession, reference: str) -> Registration | None:
    return (await session.execute(select(Registration).where(
        Registration.reference == reference.strip().upper()))).scalar_one_or_none()


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _open(cipher: Cipher, sealed: str | None, aad: str) -> Any:
    return cipher.open_json(sealed, aad) if sealed else None


async def export_case(env: Env, session: AsyncSession, registration: Registration,
                      actor: int) -> dict[str, Any]:
    """Everything stored about the case, decrypted (the PDF is made beside it)."""
    rid, cipher = registration.id, env.cipher
    data = _open(cipher, registration.data_sealed, f"registration:{rid}") or {}
    events = (await session.execute(select(RegistrationEvent).where(
        RegistrationEvent.registration_id == rid).order_by(RegistrationEvent.id))).scalars()
    messages = (await session.execute(select(CaseMessage).where(
        CaseMessage.registration_id == rid).order_by(CaseMessage.id))).scalars()
    meetings = (await session.execute(select(Meeting).where(
        Meeting.registration_id == rid).order_by(Meeting.starts_at))).scalars().all()
    contacts = (await session.execute(select(FamilyContact).where(
        FamilyContact.registration_id == rid))).scalars()
    guests = (await session.execute(select(CaseGuest).where(
        CaseGuest.registration_id == rid))).scalars()
    voices = (await session.execute(select(FamilyVoice).where(
        FamilyVoice.registration_id == rid).order_by(FamilyVoice.created_at))).scalars()
    scheduled = (await session.execute(select(ScheduledMessage).where(
        ScheduledMessage.meeting_id.in_([m.id for m in meetings])))).scalars()
    await chain(session)
    trail = (await session.execute(select(AuditEvent).where(
        AuditEvent.registration_id == rid).order_by(AuditEvent.seq))).scalars().all()
    exported = {
        "reference": registration.reference, "form": registration.form,
        "municipality": registration.gemeente_code, "status": registration.status,
        "registrant": registration.owner_id, "handler": registration.handler_id,
        "started_at": _when(registration.started_at),
        "submitted_at": _when(registration.submitted_at),
        "updated_at": _when(registration.updated_at),
        "purged_at": _when(registration.purged_at), "figures": registration.figures,
        "language": data.get("locale"), "answers": data.get("answers"),
        "history": [{"status": e.status, "by": e.actor_id, "at": _when(e.at),
                     "detail": e.detail} for e in events],
        "messages": [{"kind": m.kind, "by": m.author_id, "at": _when(m.at),
                      "text": _open(cipher, m.text_sealed, m.aad)} for m in messages],
        "meetings": [{"starts_at": _when(m.starts_at), "status": m.status,
                      "planned_by": m.planned_by,
                      "details": _open(cipher, m.details_sealed, f"meeting:{m.id}"),
                      "outcome": _open(cipher, m.outcome_sealed, f"meeting:{m.id}:outcome"),
                      "evaluation_due_at": _when(m.evaluation_due_at),
                      "evaluated_at": _when(m.evaluated_at)} for m in meetings],
        "family_contacts": [{"telegram_id": families.chat_of(cipher, c),
                             "opted_in_at": _when(c.opted_in_at),
                             "stopped_at": _when(c.stopped_at)} for c in contacts],
        "family_voice": [{"moment": v.moment, "by": v.by, "status": v.status,
                          "updated_at": _when(v.updated_at),
                          "answers": _open(cipher, v.answers_sealed, v.aad)} for v in voices],
        "meeting_guests": [{"telegram_id": g.user_id, "invited_by": g.invited_by,
                            "joined_at": _when(g.joined_at)} for g in guests],
        "scheduled_messages": [{"kind": s.kind, "to": s.recipient_id, "due_at": _when(s.due_at),
                                "status": s.status} for s in scheduled],
        "audit": [{"at": _when(a.at), "by": a.actor_id, "action": a.action,
                   "detail": a.detail} for a in trail],
    }
    audit(session, env.clock.now(), actor, "exported", rid)
    return exported


@dataclass
class Erased:
    """What an erasure removed, per kind of row (for the administrator's screen)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        if count:
            self.counts[name] = self.counts.get(name, 0) + count


async def _count_delete(session: AsyncSession, erased: Erased, name: str, model: Any,
                        *where: Any) -> None:
    result = await session.execute(delete(model).where(*where))
    erased.add(name, int(getattr(result, "rowcount", 0) or 0))


async def _outbox_rows_about(session: AsyncSession, cipher: Cipher,
                             markers: list[str]) -> list[Outbox]:
    """Outbox rows whose sealed payload names one of ``markers`` (a reference, an id)."""
    found = []
    for row in (await session.execute(select(Outbox))).scalars():
        try:
            payload = json.dumps(cipher.open_json(row.payload_sealed, row.aad),
                                 ensure_ascii=False)
        except DecryptionError:
            continue
        if any(marker in payload for marker in markers):
            found.append(row)
    return found


async def _drop_outbox(env: Env, session: AsyncSession, rows: list[Outbox],
                       now: datetime, erased: Erased) -> None:
    """Delete the rows; what they put in a chat less than 47 hours ago leaves it too."""
    for row in rows:
        if row.kind in ("send", "document") and row.message_id and row.sent_at \
                and row.sent_at > now - DELETABLE:
            enqueue(session, env.cipher, row.chat_id,
                    "delete", {"locale": "nl"}, now, target=row.message_id)
            erased.add("chat_messages", 1)
        await session.delete(row)
        erased.add("outbox", 1)


async def erase_case(env: Env, session: AsyncSession, registration: Registration,
                     actor: int) -> Erased:
    """The case and everything about it, from every table; the trail keeps that it was."""
    now, rid, erased = env.clock.now(), registration.id, Erased()
    meetings = list((await session.execute(select(Meeting.id).where(
        Meeting.registration_id == rid))).scalars())
    family = [u for c in (await session.execute(select(FamilyContact).where(
        FamilyContact.registration_id == rid))).scalars()
        if (u := families.chat_of(env.cipher, c)) is not None]
    rows = await _outbox_rows_about(session, env.cipher, [registration.reference, rid,
                                                          *meetings])
    await _drop_outbox(env, session, rows, now, erased)
    if meetings:
        await _count_delete(session, erased, "scheduled", ScheduledMessage,
                            ScheduledMessage.meeting_id.in_(meetings))
    for name, model in (("messages", CaseMessage), ("family_voice", FamilyVoice),
                        ("meetings", Meeting),
                        ("family_contacts", FamilyContact), ("meeting_guests", CaseGuest),
                        ("history", RegistrationEvent)):
        await _count_delete(session, erased, name, model, model.registration_id == rid)
    await _reset_conversations_about(env, session, [rid, *meetings], erased)
    for member in family:  # only the case brought them here: they go with it
        for name, count in (await forget_person(env, session, member, now)).counts.items():
            erased.add(name, count)
        if (await session.execute(select(Account.profile_sealed).where(
                Account.user_id == member))).scalar_one_or_none() is None:
            await _count_delete(session, erased, "conversation", Conversation,
                                Conversation.user_id == member)
            await _count_delete(session, erased, "account", Account, Account.user_id == member)
    await session.delete(registration)
    erased.add("registration", 1)
    # The family's ids leave the trail; who among the professionals did what stays.
    erased.add("audit_redacted", await redact(session, AuditEvent.registration_id == rid,
                                              AuditEvent.actor_id.in_(family or [-1])))
    audit(session, now, actor, "case_erased", rid)
    return erased


async def _reset_conversations_about(env: Env, session: AsyncSession, markers: list[str],
                                     erased: Erased) -> None:
    """Someone in the middle of a step about the case starts again from the menu."""
    for conv in (await session.execute(select(Conversation).where(
            Conversation.state_sealed.is_not(None)))).scalars():
        try:
            state = json.dumps(env.cipher.open_json(conv.state_sealed or "",
                                                    f"conversation:{conv.user_id}"))
        except DecryptionError:
            continue
        if any(marker in state for marker in markers):
            conv.flow, conv.step, conv.state_sealed = "menu", "", None
            erased.add("conversations", 1)


async def forget_person(env: Env, session: AsyncSession, user: int, now: datetime) -> Erased:
    """A person's id and what they alone hold, outside their own account: the scheduled
    messages to them, the outbox to their chat (the deletions still due stay, to clean
    the chat), their id in the audit trail, in the contacts and the guest lists."""
    erased = Erased()
    theirs = select(FamilyContact.id).where(families.of_user(env.cipher, user))
    # What the family said about their meetings (issue 16), and the messages that passed
    # it on to the coordinator (their buttons name the row) - in chats for 47 hours more.
    voices = list((await session.execute(select(FamilyVoice.id).where(
        FamilyVoice.contact_id.in_(theirs)))).scalars())
    if voices:
        await _drop_outbox(env, session, await _outbox_rows_about(session, env.cipher, voices),
                           now, erased)
        await _count_delete(session, erased, "family_voice", FamilyVoice,
                            FamilyVoice.id.in_(voices))
    await _count_delete(session, erased, "scheduled", ScheduledMessage, or_(
        ScheduledMessage.recipient_id == user, ScheduledMessage.contact_id.in_(theirs)))
    rows = (await session.execute(select(Outbox).where(
        Outbox.chat_id == user, or_(Outbox.status != "pending",
                                    Outbox.kind.not_in(("delete", "delete_tag"))))))
    await _drop_outbox(env, session, list(rows.scalars()), now, erased)
    erased.add("audit_redacted", await redact(session, or_(
        AuditEvent.actor_id == user, AuditEvent.detail == str(user),
        AuditEvent.detail.like(f"{user}:%"))))
    result = await session.execute(update(FamilyContact).where(
        families.of_user(env.cipher, user)).values(user_hash=None, chat_sealed=None))
    erased.add("contacts", int(getattr(result, "rowcount", 0) or 0))
    result = await session.execute(update(CaseGuest).where(CaseGuest.user_id == user)
                                   .values(user_id=None))
    erased.add("contacts", int(getattr(result, "rowcount", 0) or 0))
    return erased


async def erase_user(env: Env, session: AsyncSession, user: int, actor: int) -> Erased:
    """A professional who leaves, or a family: their account, profile, drafts, PIN,
    sessions and sparring questions go; the cases they registered or handled stay with
    the municipality, without their id (registrant 0: "no longer on the bot")."""
    now = env.clock.now()
    erased = await forget_person(env, session, user, now)
    for name, model, column in (("drafts", Draft, Draft.owner_id),
                                ("pin", Pin, Pin.user_id),
                                ("sessions", AccessSession, AccessSession.user_id),
                                ("sparring_threads", SparThread, SparThread.professional_id),
                                ("coordinator", Coordinator, Coordinator.user_id),
                                ("conversation", Conversation, Conversation.user_id),
                                ("account", Account, Account.user_id)):
        await _count_delete(session, erased, name, model, column == user)
    ids: tuple[tuple[Any, Any, int | None], ...] = (
            (Registration, Registration.owner_id, 0), (Registration, Registration.handler_id, None),
            (RegistrationEvent, RegistrationEvent.actor_id, 0),
            (CaseMessage, CaseMessage.author_id, 0), (Meeting, Meeting.planned_by, 0),
            (CaseGuest, CaseGuest.invited_by, 0), (SparMessage, SparMessage.author_id, 0),
            (SparThread, SparThread.closed_by, None), (Invitation, Invitation.decided_by, None))
    for model, column, value in ids:
        result = await session.execute(update(model).where(column == user)
                                       .values({column.key: value}))
        erased.add("ids_removed", int(getattr(result, "rowcount", 0) or 0))
    result = await session.execute(update(Invitation).where(Invitation.used_by == user)
                                   .values(used_by=None, identity_sealed=None))
    erased.add("ids_removed", int(getattr(result, "rowcount", 0) or 0))
    audit(session, now, actor, "person_erased")
    return erased
