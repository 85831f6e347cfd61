"""What the meeting screens share: a meeting's details, the family that opted in, the
reminders, the family's invitation text and buttons, and the action and decision list."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...cases import current_meeting, when_text
from ...db.models import (
    Account,
    FamilyContact,
    Meeting,
    Municipality,
    Registration,
    ScheduledMessage,
)
from ...forms.parsers import ParseError, format_phone
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Ctx, Env
from ...kernel.events import Button
from ...people import active_coordinators
from ...text import Markup, bold, italic, lines

FAMILY = "f"  # the prefix of a family's buttons: f.<action>.<meeting id>
FAMILY_PREFIX = "f_"  # /start f_<token>: a family's invitation
GUEST_PREFIX = "p_"  # /start p_<token>: a professional's invitation
MEETING = "meeting"  # planning (a walk)
OUTCOME = "outcome"  # recording it (a walk)


def details(env: Env, meeting: Meeting) -> dict[str, Any]:
    value: dict[str, Any] = env.cipher.open_json(meeting.details_sealed,
                                                 f"meeting:{meeting.id}")
    return value


async def family_contacts(session: AsyncSession, registration_id: str) -> list[FamilyContact]:
    """The family members who opted in and did not stop."""
    return list((await session.execute(
        select(FamilyContact).where(FamilyContact.registration_id == registration_id,
                                    FamilyContact.opted_in_at.is_not(None),
                                    FamilyContact.stopped_at.is_(None),
                                    FamilyContact.user_hash.is_not(None)))).scalars())


def reminder_offsets(env: Env) -> list[timedelta]:
    return [timedelta(hours=float(h)) for h in
            str(env.settings.reminder_hours).replace(" ", "").split(",") if h]


def schedule_reminders(env: Env, session: AsyncSession, meeting: Meeting, user_id: int,
                       now: datetime, *, contact: str | None = None) -> int:
    """One row per reminder still ahead (default two days and two hours before), for a
    professional (``user_id``) or a family member (``contact``, their family_contact)."""
    count = 0
    for offset in reminder_offsets(env):
        due = meeting.starts_at - offset
        if due <= now:
            continue
        session.add(ScheduledMessage(kind="reminder", meeting_id=meeting.id,
                                     recipient_id=user_id, contact_id=contact,
                                     due_at=due, status="pending",
                                     detail=f"{int(offset.total_seconds() // 3600)}h"))
        count += 1
    return count


async def cancel_pending(session: AsyncSession, meeting_id: str,
                         kinds: tuple[str, ...], recipient: int | None = None,
                         contact: str | None = None) -> None:
    query = (update(ScheduledMessage)
             .where(ScheduledMessage.meeting_id == meeting_id,
                    ScheduledMessage.status == "pending", ScheduledMessage.kind.in_(kinds)))
    if recipient is not None:
        query = query.where(ScheduledMessage.recipient_id == recipient)
    if contact is not None:
        query = query.where(ScheduledMessage.contact_id == contact)
    await session.execute(query.values(status="cancelled"))


async def coordinator_contact(env: Env, session: AsyncSession,
                              registration_id: str) -> dict[str, str]:
    """Whom the family can call or mail: the coordinator who handles the case (or planned
    its meeting) while an active coordinator of its municipality, else its only one. Their
    name, work phone and work e-mail come from their profile (the registrant's fields every
    professional fills in, coordinators too); the municipality's name always, as a fallback.
    There is no relay for a family's own messages: the bot cannot pass a question on.
    Within one transaction the answer is kept (a batch of reminders for one meeting asks
    it once per family member)."""
    kept: dict[str, dict[str, str]] = session.info.setdefault("coordinator_contact", {})
    if registration_id not in kept:
        kept[registration_id] = await _coordinator_contact(env, session, registration_id)
    return dict(kept[registration_id])


async def _coordinator_contact(env: Env, session: AsyncSession,
                               registration_id: str) -> dict[str, str]:
    registration = await session.get(Registration, registration_id)
    if registration is None:
        return {}
    code = registration.gemeente_code or ""
    municipality = await session.get(Municipality, code) if code else None
    found = {"municipality": municipality.name} if municipality is not None else {}
    coordinators = await active_coordinators(session, code)
    meeting = await current_meeting(session, registration_id)
    chosen = next((user for user in (registration.handler_id,
                                     meeting.planned_by if meeting else None)
                   if user in coordinators), None)
    if chosen is None and len(coordinators) == 1:
        chosen = coordinators[0]
    account = await session.get(Account, chosen) if chosen is not None else None
    if account is None or not account.profile_sealed:
        return found
    profile = env.cipher.open_json(account.profile_sealed, f"account:{account.user_id}:profile")
    name, email, phone = (str(profile.get(key) or "") for key in ("naam", "email", "telefoon"))
    if name and email and phone:
        try:
            phone = format_phone(phone)
        except ParseError:
            pass
        found.update(name=name, email=email, phone=phone)
    return found


def contact_line(env: Env, locale: str, contact: dict[str, str]) -> Markup:
    """"Voor vragen: bel Ilse Coenen op 06 12345678 of mail naar ..." (or the
    municipality's coordinator, when the case has no one coordinator with a profile)."""
    t = env.tr.t
    if contact.get("name"):
        return t(locale, N_("Voor vragen: bel {name} op {phone} of mail naar {email}."),
                 name=contact["name"], phone=contact["phone"], email=contact["email"])
    if contact.get("municipality"):
        return t(locale, N_("Voor vragen: bel of mail de coördinator van de gemeente "
                            "{municipality}."), municipality=contact["municipality"])
    return t(locale, N_("Voor vragen: bel of mail de coördinator."))


def family_buttons(env: Env, locale: str, meeting_id: str) -> list[list[Button]]:
    t = env.tr.t
    return [[Button("✅ " + t(locale, N_("Ik kom")), routed(FAMILY, "yes", meeting_id))],
            [Button("🕑 " + t(locale, N_("Ik kan niet, graag een andere tijd")),
                    routed(FAMILY, "no", meeting_id))],
            [Button("👥 " + t(locale, N_("Ik neem iemand mee")),
                    routed(FAMILY, "plus", meeting_id))],
            [Button("🔕 " + t(locale, N_("Geen berichten meer")),
                    routed(FAMILY, "stop", meeting_id))]]


def family_text(env: Env, locale: str, meeting: Meeting, *, reminder: bool = False,
                moved: bool = False, contact: dict[str, str] | None = None) -> Markup:
    found = details(env, meeting)
    t = env.tr.t
    # Plain words (B1) for the Knooppuntoverleg: the glossary's family wording.
    head = (N_("Herinnering: je gesprek met de mensen die je kunnen helpen") if reminder
            else N_("Je gesprek met de mensen die je kunnen helpen is verplaatst.") if moved
            else N_("Je bent uitgenodigd voor een gesprek met de mensen die je kunnen helpen."))
    shown = ["📅 " + bold(t(locale, head)),
             t(locale, N_("Wanneer: {when}"), when=when_text(env, locale, meeting.starts_at)),
             t(locale, N_("Waar: {place}"), place=found.get("plaats") or "—"),
             t(locale, N_("Je mag iemand meenemen die je vertrouwt."))]
    interpreter = found.get("tolk")
    if interpreter and interpreter != "geen":
        shown.append(t(locale, N_("Er is een tolk bij het gesprek.")))
    if contact is not None:
        shown.append(contact_line(env, locale, contact))
    return lines(*shown)


async def family_message(env: Env, session: AsyncSession, user_id: int, meeting: Meeting,
                         now: datetime, *, reminder: bool = False, moved: bool = False) -> None:
    contact = await coordinator_contact(env, session, meeting.registration_id)
    await env.tell(session, user_id, now,
                   lambda loc: family_text(env, loc, meeting, reminder=reminder, moved=moved,
                                           contact=contact),
                   lambda loc: family_buttons(env, loc, meeting.id))
    # The family's voice (issue 16) offers its questions with it.
    await env.emit("family_message", session=session, now=now, meeting=meeting, chat=user_id,
                   reminder=reminder, moved=moved)


def outcome_text(env: Env, locale: str, registration: Registration, meeting: Meeting,
                 answers: dict[str, Any]) -> Markup:
    """The action and decision list."""
    t = env.tr.t
    yes, no = t(locale, N_("ja")), t(locale, N_("nee"))
    shown = [bold(t(locale, N_("Actie- en besluitenlijst {reference}"),
                    reference=registration.reference)),
             t(locale, N_("Overleg: {when}"), when=when_text(env, locale, meeting.starts_at)),
             t(locale, N_("Afspraken:")),
             italic(str(answers.get("afspraken") or "—")),
             t(locale, N_("Procesregie: {value}"), value=answers.get("procesregie") or "—"),
             t(locale, N_("Eerste aanspreekpunt gezin: {value}"),
               value=answers.get("aanspreekpunt") or "—")]
    if answers.get("casusregisseur"):
        shown.append(t(locale, N_("Casusregisseur: {value}"), value=answers["casusregisseur"]))
    if answers.get("gezinswensen"):  # tied to what the family asked for (issue 16)
        shown.append(t(locale, N_("Afspraken bij wat het gezin vroeg: {value}"),
                       value=", ".join(answers["gezinswensen"])))
    shown.append(t(locale, N_("Gezin akkoord: {value}"),
                   value=yes if answers.get("gezin_akkoord") else no))
    shown.append(t(locale, N_("Vervolg-Knooppunt: {value}"),
                   value=(yes + (Markup(" ({})").format(answers["vervolg_termijn"])
                                 if answers.get("vervolg_termijn") else ""))
                   if answers.get("vervolg") else no))
    return lines(*shown)


async def tell_coordinator(ctx: Ctx, registration_id: str, message: str,
                           **params: object) -> None:
    """The family's news for the coordinator who handles the case (or planned it), while
    they are a coordinator of its municipality; else for all its coordinators."""
    registration = await ctx.session.get(Registration, registration_id)
    if registration is None:
        return
    meeting = await current_meeting(ctx.session, registration_id)
    code = registration.gemeente_code or ""
    coordinators = await active_coordinators(ctx.session, code)
    handler = registration.handler_id or (meeting.planned_by if meeting else None)
    for user in [handler] if handler in coordinators else coordinators:
        await ctx.tell(user, lambda loc: "👪 " + ctx.env.tr.t(
            loc, message, reference=registration.reference, **params),
            coordinator_of=code, expires=ctx.env.chat_ttl)
