"""The Knooppuntoverleg: planning, the family's opt-in, reminders, the action and
decision list, and the evaluation nudges.

Everything scheduled is a ``scheduled_message`` row (the source of truth); the
dispatcher (:mod:`kks_bot.core.scheduler`) turns due rows into outbox rows exactly once
and asks :func:`render_scheduled` what to say - or to drop a reminder whose meeting
passed, moved or was cancelled.

A family is only ever messaged after a family member opened the coordinator's
one-time invitation (``/start f_<token>``), chose a language and said yes. Family
buttons are "f.<action>.<meeting id>" and checked against that opt-in.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from babel.dates import format_datetime
from sqlalchemy import select, update

from ..db.models import (
    FamilyContact,
    Meeting,
    Registration,
    RegistrationEvent,
    ScheduledMessage,
)
from ..i18n import BABEL_LOCALES, LANGUAGE_NAMES, N_, NP_
from ..text import Markup, bold, italic, lines
from .events import Button
from .handoff import (
    FINAL,
    audit,
    coordinator_codes,
    own_codes_or_refuse,
    tell,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from .app import Core, Ctx

log = logging.getLogger(__name__)

FAMILY_TOKEN_BYTES = 18  # 144 bits; "f_" + 24 characters fits Telegram's start parameter
FAMILY_PREFIX = "f_"
# Before the family chose a language: all three at once.
CHOOSE_LANGUAGE = Markup("Kies je taal · Choose your language · اختر لغتك")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def when_text(core: Core, locale: str, at: datetime) -> str:
    """"dinsdag 15 december 2026 om 14:30" - the zone's local time, in the locale."""
    return format_datetime(at, core.tr.gettext(locale, N_("EEEE d MMMM y 'om' HH:mm")),
                           tzinfo=core.tz, locale=BABEL_LOCALES.get(locale, locale))


def _details(core: Core, meeting: Meeting) -> dict[str, Any]:
    value: dict[str, Any] = core.cipher.open_json(meeting.details_sealed,
                                                  f"meeting:{meeting.id}")
    return value




async def current_meeting(session: AsyncSession, registration_id: str) -> Meeting | None:
    return (await session.execute(
        select(Meeting).where(Meeting.registration_id == registration_id)
        .order_by(Meeting.created_at.desc()).limit(1))).scalar_one_or_none()


async def _family(session: AsyncSession, registration_id: str) -> list[FamilyContact]:
    return list((await session.execute(
        select(FamilyContact).where(FamilyContact.registration_id == registration_id,
                                    FamilyContact.opted_in_at.is_not(None),
                                    FamilyContact.stopped_at.is_(None),
                                    FamilyContact.user_id.is_not(None)))).scalars())


# ------------------------------------------------------------------ planning


async def start_planning(core: Core, ctx: Ctx, registration: Registration) -> None:
    """The planning walk; moving a planned meeting starts from its answers."""
    from . import formflow as ff
    from .app import Walk

    meeting = await current_meeting(ctx.session, registration.id)
    answers: dict[str, Any] = {}
    if meeting is not None and meeting.status == "planned":
        answers = dict(_details(core, meeting))
        answers.pop("datum", None)
        answers.pop("tijd", None)
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "meeting", "", None
    ctx.state.clear()
    ctx.state["answers"] = answers
    ctx.state["registration"] = registration.id
    moving = bool(answers)
    if moving:  # only the new date and time; the rest stays as it was
        ctx.state["fill"] = True
    ctx.tag = None
    walk = Walk(core.state_forms["meeting"], answers, "", tag=None, kind="meeting",
                fill=moving)
    walk.pos = ff.next_pos(walk.form, None, answers, fill=moving) or ""
    ctx.conv.step = walk.pos
    core._ask(ctx, walk)


async def finish_planning(core: Core, ctx: Ctx, answers: dict[str, Any]) -> None:
    """The walk is done: store the meeting, schedule the reminders, tell everyone."""
    registration = await ctx.session.get(Registration, str(ctx.state.get("registration")))
    if registration is None or registration.gemeente_code not in await coordinator_codes(
            ctx.session, ctx.account.user_id) or registration.status in FINAL:
        ctx.state.clear()
        core._to_menu(ctx)
        return
    local = datetime.combine(datetime.fromisoformat(str(answers["datum"])).date(),
                             time.fromisoformat(str(answers["tijd"])), tzinfo=core.tz)
    starts_at = local.astimezone(core.tz)  # normalises a time that does not exist (DST)
    if starts_at <= ctx.now:
        ctx.note("⚠️ " + ctx.t(N_("Dat tijdstip is al voorbij. Kies een latere datum of tijd.")))
        answers.pop("datum", None)
        answers.pop("tijd", None)
        await _restart_walk(core, ctx, answers)
        return
    meeting = await current_meeting(ctx.session, registration.id)
    moved = meeting is not None and meeting.status == "planned"
    if meeting is None or not moved:
        meeting = Meeting(id=str(uuid.uuid4()), registration_id=registration.id,
                          planned_by=ctx.account.user_id, status="planned",
                          created_at=ctx.now, details_sealed="")
        ctx.session.add(meeting)
    assert meeting is not None
    meeting.starts_at, meeting.updated_at = starts_at, ctx.now
    meeting.details_sealed = core.cipher.seal_json(answers, f"meeting:{meeting.id}")
    await ctx.session.flush()
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"))
    registration.status, registration.updated_at = "overleg_gepland", ctx.now
    if registration.handler_id is None:
        registration.handler_id = ctx.account.user_id
    ctx.session.add(RegistrationEvent(registration_id=registration.id,
                                      status="overleg_gepland", actor_id=ctx.account.user_id,
                                      at=ctx.now, detail="moved" if moved else None))
    audit(ctx, ctx.now, ctx.account.user_id, "meeting_moved" if moved else "meeting_planned",
          registration.id)
    for contact in await _family(ctx.session, registration.id):
        assert contact.user_id is not None
        await _family_message(core, ctx.session, contact.user_id, meeting, ctx.now,
                              moved=moved)
        schedule_reminders(core, ctx.session, meeting, contact.user_id, ctx.now)
    if answers.get("aanmelder_uitnodigen"):
        await _tell_registrant(core, ctx, registration, meeting, answers, moved=moved)
    from .guests import tell_guests

    for guest in await tell_guests(core, ctx.session, registration, meeting, ctx.now,
                                   "moved" if moved else "planned"):
        schedule_reminders(core, ctx.session, meeting, guest, ctx.now)
    ctx.state.clear()
    ctx.conv.flow, ctx.conv.step = "menu", ""
    when = when_text(core, ctx.locale, starts_at)
    shown = [("📅 " + ctx.t(N_("Overleg voor {reference} verplaatst naar {when}."),
                            reference=registration.reference, when=when)) if moved
             else "📅 " + ctx.t(N_("Overleg voor {reference} gepland op {when}."),
                                reference=registration.reference, when=when),
             ctx.t(N_("Plaats: {place}"), place=answers.get("plaats") or "—"),
             Markup(""),
             ctx.t(N_("Checklist: vertel het gezin dat het iemand mag meenemen. Een tolk is "
                      "altijd een professionele tolk, nooit een kind."))]
    if not await _family(ctx.session, registration.id):
        shown.append(ctx.t(N_("Wil het gezin berichten en herinneringen in de eigen taal? "
                              "Geef het gezin dan de uitnodiging (link of QR-code).")))
    ctx.say(lines(*shown), meeting_buttons(core, ctx.locale, registration.id), tag=None)


async def _restart_walk(core: Core, ctx: Ctx, answers: dict[str, Any]) -> None:
    from . import formflow as ff
    from .app import Walk

    walk = Walk(core.state_forms["meeting"], answers, "", tag=None, kind="meeting")
    walk.pos = ff.next_pos(walk.form, None, answers) or ""
    ctx.conv.flow, ctx.conv.step = "meeting", walk.pos
    ctx.state["answers"] = answers
    core._ask(ctx, walk)


def meeting_buttons(core: Core, locale: str, registration_id: str) -> list[list[Button]]:
    t = core.tr.t
    rid = registration_id
    return [[Button("👪 " + t(locale, N_("Uitnodiging voor het gezin")), f"r.fam.{rid}")],
            [Button("🧑‍⚕️ " + t(locale, N_("Uitnodiging voor een professional")),
                    f"r.pro.{rid}")],
            [Button("🕑 " + t(locale, N_("Verplaatsen")), f"r.meet.{rid}"),
             Button("✖️ " + t(locale, N_("Overleg afzeggen")), f"r.mcancel.{rid}")],
            [Button("📝 " + t(locale, N_("Overleg vastleggen")), f"r.held.{rid}")]]


async def _tell_registrant(core: Core, ctx: Ctx, registration: Registration,
                           meeting: Meeting, answers: dict[str, Any], *, moved: bool) -> None:
    message = N_("Het Knooppuntoverleg over {reference} is verplaatst naar {when}, "
                 "{place}.") if moved else N_("Je bent uitgenodigd voor het Knooppuntoverleg "
                                              "over {reference}: {when}, {place}.")
    await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
        loc, message, reference=registration.reference,
        when=when_text(core, loc, meeting.starts_at), place=answers.get("plaats") or "—"))


async def cancel_meeting(core: Core, ctx: Ctx, registration: Registration) -> None:
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "planned":
        ctx.say(ctx.t(N_("Er is geen gepland overleg voor {reference}."),
                      reference=registration.reference), tag=None)
        return
    meeting.status, meeting.updated_at = "cancelled", ctx.now
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"))
    registration.status, registration.updated_at = "in_behandeling", ctx.now
    ctx.session.add(RegistrationEvent(registration_id=registration.id, status="in_behandeling",
                                      actor_id=ctx.account.user_id, at=ctx.now,
                                      detail="meeting_cancelled"))
    audit(ctx, ctx.now, ctx.account.user_id, "meeting_cancelled", registration.id)
    for contact in await _family(ctx.session, registration.id):
        assert contact.user_id is not None
        await tell(core, ctx.session, contact.user_id, ctx.now, lambda loc: core.tr.t(
            loc, N_("Het overleg van {when} gaat niet door. De coördinator neemt contact met "
                    "je op."), when=when_text(core, loc, meeting.starts_at)))
    if _details(core, meeting).get("aanmelder_uitnodigen"):
        await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
            loc, N_("Het Knooppuntoverleg over {reference} van {when} gaat niet door."),
            reference=registration.reference, when=when_text(core, loc, meeting.starts_at)))
    from .guests import tell_guests

    await tell_guests(core, ctx.session, registration, meeting, ctx.now, "cancelled")
    ctx.say(ctx.t(N_("Het overleg is afgezegd. Iedereen die bericht kreeg, hoort het."), ),
            tag=None)


# ------------------------------------------------------------------ scheduling


def reminder_offsets(core: Core) -> list[timedelta]:
    return [timedelta(hours=float(h)) for h in
            str(core.settings.reminder_hours).replace(" ", "").split(",") if h]


def schedule_reminders(core: Core, session: AsyncSession, meeting: Meeting, user_id: int,
                       now: datetime) -> int:
    """One row per reminder still ahead (default two days and two hours before)."""
    count = 0
    for offset in reminder_offsets(core):
        due = meeting.starts_at - offset
        if due <= now:
            continue
        session.add(ScheduledMessage(kind="reminder", meeting_id=meeting.id,
                                     recipient_id=user_id, due_at=due, status="pending",
                                     detail=f"{int(offset.total_seconds() // 3600)}h"))
        count += 1
    return count


async def cancel_pending(session: AsyncSession, meeting_id: str,
                         kinds: tuple[str, ...], recipient: int | None = None) -> None:
    query = (update(ScheduledMessage)
             .where(ScheduledMessage.meeting_id == meeting_id,
                    ScheduledMessage.status == "pending", ScheduledMessage.kind.in_(kinds)))
    if recipient is not None:
        query = query.where(ScheduledMessage.recipient_id == recipient)
    await session.execute(query.values(status="cancelled"))


def family_buttons(core: Core, locale: str, meeting_id: str) -> list[list[Button]]:
    t = core.tr.t
    return [[Button("✅ " + t(locale, N_("Ik kom")), f"f.yes.{meeting_id}")],
            [Button("🕑 " + t(locale, N_("Ik kan niet, graag een andere tijd")),
                    f"f.no.{meeting_id}")],
            [Button("👥 " + t(locale, N_("Ik neem iemand mee")), f"f.plus.{meeting_id}")],
            [Button("🔕 " + t(locale, N_("Geen berichten meer")), f"f.stop.{meeting_id}")]]


def family_text(core: Core, locale: str, meeting: Meeting, *, reminder: bool = False,
                moved: bool = False) -> Markup:
    details = _details(core, meeting)
    t = core.tr.t
    head = (N_("Herinnering: het Knooppuntoverleg") if reminder
            else N_("Het Knooppuntoverleg is verplaatst.") if moved
            else N_("Je bent uitgenodigd voor het Knooppuntoverleg."))
    shown = ["📅 " + bold(t(locale, head)),
             t(locale, N_("Wanneer: {when}"), when=when_text(core, locale, meeting.starts_at)),
             t(locale, N_("Waar: {place}"), place=details.get("plaats") or "—"),
             t(locale, N_("Je mag iemand meenemen die je vertrouwt."))]
    interpreter = details.get("tolk")
    if interpreter and interpreter != "geen":
        shown.append(t(locale, N_("Er is een tolk.")))
    return lines(*shown)


async def _family_message(core: Core, session: AsyncSession, user_id: int, meeting: Meeting,
                          now: datetime, *, reminder: bool = False, moved: bool = False) -> None:
    await tell(core, session, user_id, now,
               lambda loc: family_text(core, loc, meeting, reminder=reminder, moved=moved),
               lambda loc: family_buttons(core, loc, meeting.id))


async def render_scheduled(core: Core, session: AsyncSession, row: ScheduledMessage,
                           now: datetime) -> bool:
    """Turn a due row into outbox rows; False when it no longer makes sense (dropped)."""
    meeting = await session.get(Meeting, row.meeting_id) if row.meeting_id else None
    if meeting is None:
        return False
    if row.kind in ("invitation", "reminder"):
        if meeting.status != "planned" or meeting.starts_at <= now:
            log.info("dropped %s %s: the meeting has passed or changed", row.kind, row.id)
            return False
        if row.kind == "reminder":
            from .guests import is_guest

            if await is_guest(session, meeting.registration_id, row.recipient_id):
                registration = await session.get(Registration, meeting.registration_id)
                if registration is None or registration.status in FINAL:
                    return False
                await _guest_reminder(core, session, registration, meeting, row, now)
                return True
        contact = (await session.execute(select(FamilyContact).where(
            FamilyContact.user_id == row.recipient_id,
            FamilyContact.registration_id == meeting.registration_id,
            FamilyContact.opted_in_at.is_not(None),
            FamilyContact.stopped_at.is_(None)))).scalars().first()
        if contact is None:
            return False
        await _family_message(core, session, row.recipient_id, meeting, now,
                              reminder=row.kind == "reminder")
        return True
    if row.kind == "evaluation":
        if meeting.evaluated_at is not None or meeting.status != "held":
            return False
        registration = await session.get(Registration, meeting.registration_id)
        if registration is None or registration.status in FINAL:
            return False
        await _evaluation_nudge(core, session, row, registration, meeting, now,
                                director=row.recipient_id == registration.owner_id)
        return True
    return False


async def _guest_reminder(core: Core, session: AsyncSession, registration: Registration,
                          meeting: Meeting, row: ScheduledMessage, now: datetime) -> None:
    """A professional's reminder: the same words for each, to this one only."""
    place = _details(core, meeting).get("plaats") or "—"
    await tell(core, session, row.recipient_id, now, lambda loc: "📅 " + core.tr.t(
        loc, N_("Herinnering: Knooppuntoverleg over {reference}: {when}, {place}."),
        reference=registration.reference, when=when_text(core, loc, meeting.starts_at),
        place=place))


#: The evaluation nudge: its text and buttons (label, action) for the coordinator, and for
#: the registrant as case director (closing and planning are the coordinator's).
_NUDGE = {
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


async def _evaluation_nudge(core: Core, session: AsyncSession, row: ScheduledMessage,
                            registration: Registration, meeting: Meeting, now: datetime, *,
                            director: bool) -> None:
    """Time to evaluate; not handled, it comes again a week later."""
    t = core.tr.t
    rid, reference = registration.id, registration.reference
    text, buttons = _NUDGE[director]
    await tell(core, session, row.recipient_id, now, lambda loc: "⏰ " + t(
        loc, text, reference=reference, when=when_text(core, loc, meeting.starts_at)),
        lambda loc: [[Button(f"{icon} " + t(loc, label), f"r.{action}.{rid}")]
                     for icon, label, action in buttons])
    session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                 recipient_id=row.recipient_id,
                                 due_at=max(row.due_at, now) + timedelta(days=7),
                                 status="pending", detail="director" if director else "weekly"))


#: What the case director's answer tells the coordinator, with the button to act on it.
_DIRECTOR_SAYS = {
    "evok": (N_("De casusregisseur van {reference} ({person}) meldt: geëvalueerd, de zaak "
                "kan dicht."), "✅", N_("Geëvalueerd, afsluiten"), "evdone"),
    "evnew": (N_("De casusregisseur van {reference} ({person}) wil een nieuw "
                 "Knooppuntoverleg."), "📅", N_("Nieuw Knooppuntoverleg"), "meet"),
}


async def director_answer(core: Core, ctx: Ctx, registration: Registration,
                          action: str) -> None:
    """The case director's answer to the evaluation nudge: passed on to the coordinator
    (with the button to act on it), or a reminder in a week."""
    from .handoff import _coordinator_side, _person

    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "held" or meeting.evaluated_at is not None:
        ctx.say(ctx.t(N_("Er is geen overleg om te evalueren.")), tag=None)
        return
    if action == "evsnooze":
        await _snooze(core, ctx, meeting, "director")
        return
    await cancel_pending(ctx.session, meeting.id, ("evaluation",), ctx.account.user_id)
    t, rid, reference = core.tr.t, registration.id, registration.reference
    person = ctx.account
    text, icon, label, button = _DIRECTOR_SAYS[action]
    for target in await _coordinator_side(ctx.session, registration):
        await tell(core, ctx.session, target, ctx.now, lambda loc: f"{icon} " + t(
            loc, text, reference=reference, person=_person(core, person, loc)),
            lambda loc: [[Button(f"{icon} " + t(loc, label), f"r.{button}.{rid}")]])
    audit(ctx, ctx.now, ctx.account.user_id, "director_" + action[2:], registration.id)
    ctx.say(ctx.t(N_("Doorgegeven aan de coördinator van {reference}."), reference=reference),
            tag=None)


# ------------------------------------------------------------------ the family


def one_time_link(core: Core, prefix: str) -> tuple[str, str]:
    """A fresh random token (144 bits; store only its hash) and the link that starts the
    bot with it: ``t.me/<bot>?start=<prefix><token>``, or ``/start …`` without a username."""
    token = secrets.token_urlsafe(FAMILY_TOKEN_BYTES)
    username = core.settings.bot_username
    link = (f"https://t.me/{username}?start={prefix}{token}" if username
            else f"/start {prefix}{token}")
    return token, link


async def family_invitation(core: Core, ctx: Ctx, registration: Registration) -> None:
    """A one-time link and QR code for the family, to hand over in person."""
    token, link = one_time_link(core, FAMILY_PREFIX)
    days = core.settings.invitation_ttl_days
    ctx.session.add(FamilyContact(id=str(uuid.uuid4()), registration_id=registration.id,
                                  token_hash=_hash(token), created_at=ctx.now,
                                  expires_at=ctx.now + timedelta(days=days)))
    audit(ctx, ctx.now, ctx.account.user_id, "family_invitation", registration.id)
    tag = f"fam:{token[:8]}"
    ctx.say(ctx.t(N_("Uitnodiging voor het gezin van {reference}, {days} dagen geldig, één keer "
                     "te gebruiken. Geef de QR-code of de link aan het gezin; het gezin kiest "
                     "zelf de taal en of het berichten wil."),
                  reference=registration.reference, days=days) + "\n\n" + link, tag=tag)
    core._enqueue_raw(ctx.session, ctx.event.chat_id, "document", {
        "render": "qr", "link": link, "filename": "uitnodiging-gezin.png",
        "caption": ctx.t(N_("QR-code voor het gezin"))}, ctx.now, tag=tag)
    # The link is a key: out of the chat after a day (a bot cannot delete after 48 hours).
    ctx.later_deletes.append((tag, ctx.now + timedelta(days=1)))


async def redeem_family(core: Core, ctx: Ctx, token: str) -> None:
    contact = (await ctx.session.execute(select(FamilyContact).where(
        FamilyContact.token_hash == _hash(token)))).scalar_one_or_none()
    if contact is None or contact.expires_at <= ctx.now or (
            contact.user_id is not None and contact.user_id != ctx.account.user_id):
        ctx.say(ctx.t(N_("Deze uitnodiging werkt niet (meer). Vraag de coördinator om een "
                         "nieuwe.")), tag=None)
        return
    contact.user_id = ctx.account.user_id
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "family", "lang", None
    ctx.state.clear()
    ctx.state["contact"] = contact.id
    ctx.tag = None
    ctx.say(CHOOSE_LANGUAGE,
            [[ctx.btn(LANGUAGE_NAMES[code], f"fam:lang:{code}")] for code in ("nl", "en", "ar")],
            tag=None)


async def family_action(core: Core, ctx: Ctx, arg: str) -> None:
    """Buttons of the family's opt-in (seq buttons "fam:...")."""
    contact = await ctx.session.get(FamilyContact, str(ctx.state.get("contact")))
    if contact is None or contact.user_id != ctx.account.user_id:
        core._to_menu(ctx)
        return
    kind, _, value = arg.partition(":")
    if kind == "lang" and value in ("nl", "en", "ar"):
        ctx.account.locale, ctx.account.locale_chosen = value, True
        ctx.conv.step = "consent"
        ask_family_consent(ctx)
    elif kind == "yes":
        contact.opted_in_at = ctx.now
        ctx.conv.step = "in"
        audit(ctx, ctx.now, ctx.account.user_id, "family_opt_in", contact.registration_id)
        ctx.say(ctx.t(N_("Dank je. Je krijgt hier berichten over het overleg. Stoppen kan altijd "
                         "met de knop 'Geen berichten meer'.")), tag=None)
        meeting = await current_meeting(ctx.session, contact.registration_id)
        if meeting is not None and meeting.status == "planned" and meeting.starts_at > ctx.now:
            await _family_message(core, ctx.session, ctx.account.user_id, meeting, ctx.now)
            schedule_reminders(core, ctx.session, meeting, ctx.account.user_id, ctx.now)
        await _tell_coordinator(core, ctx, contact.registration_id,
                                N_("Het gezin van {reference} krijgt nu berichten over het "
                                   "overleg in de eigen taal ({language})."),
                                language=LANGUAGE_NAMES.get(ctx.locale, ctx.locale))
    elif kind == "no":
        contact.user_id = None
        ctx.conv.step = ""
        ctx.say(ctx.t(N_("Goed. Je krijgt geen berichten van mij.")), tag=None)
    else:
        await family_reprompt(core, ctx)


def ask_family_consent(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Hallo. De Knooppuntcoördinator heeft je deze link gegeven.\nWil je hier "
                     "berichten krijgen over het overleg? Bijvoorbeeld een herinnering.")),
            [[ctx.btn(ctx.t(N_("Ja, graag")), "fam:yes"), ctx.btn(ctx.t(N_("Nee")), "fam:no")]],
            tag=None)


async def family_reprompt(core: Core, ctx: Ctx) -> None:
    if ctx.conv.step == "consent":
        ask_family_consent(ctx)
        return
    if ctx.conv.step == "lang":
        await redeem_family_again(core, ctx)
        return
    ctx.say(ctx.t(N_("Hier krijg je berichten over het Knooppuntoverleg. Vragen? Bel of mail "
                     "de coördinator.")), tag=None)


async def redeem_family_again(core: Core, ctx: Ctx) -> None:
    ctx.say(CHOOSE_LANGUAGE,
            [[ctx.btn(LANGUAGE_NAMES[code], f"fam:lang:{code}")] for code in ("nl", "en", "ar")],
            tag=None)


async def family_button(core: Core, ctx: Ctx, action: str, meeting_id: str) -> None:
    """"f.<yes|no|plus|stop|forget>.<meeting id>" from an invitation or reminder."""
    meeting = await ctx.session.get(Meeting, meeting_id)
    contact = None
    if meeting is not None:
        contact = (await ctx.session.execute(select(FamilyContact).where(
            FamilyContact.user_id == ctx.account.user_id,
            FamilyContact.registration_id == meeting.registration_id,
            FamilyContact.opted_in_at.is_not(None)))).scalars().first()
    if meeting is None or contact is None or action not in ("yes", "no", "plus", "stop",
                                                            "forget"):
        audit(ctx, ctx.now, ctx.account.user_id, "refused", None, ("f." + action)[:20])
        ctx.say(ctx.t(N_("Dat kan ik niet doen.")), tag=None)
        return
    if action == "stop":
        contact.stopped_at = ctx.now
        await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"),
                             recipient=ctx.account.user_id)
        audit(ctx, ctx.now, ctx.account.user_id, "family_stop", meeting.registration_id)
        ctx.say(ctx.t(N_("Je krijgt geen berichten meer van mij. Wil je ook dat ik je gegevens "
                         "wis?")),
                [[Button(ctx.t(N_("Ja, wis mijn gegevens")), f"f.forget.{meeting.id}")]],
                tag=None)
        await _tell_coordinator(core, ctx, meeting.registration_id,
                                N_("Het gezin van {reference} wil geen berichten meer."))
        return
    if action == "forget":
        contact.stopped_at = contact.stopped_at or ctx.now
        await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"),
                             recipient=ctx.account.user_id)
        registration_id = meeting.registration_id
        contact.user_id = None
        audit(ctx, ctx.now, ctx.account.user_id, "family_forget", registration_id)
        ctx.state.clear()
        ctx.account.locale_chosen = False
        ctx.conv.flow, ctx.conv.step = "menu", ""
        ctx.say(ctx.t(N_("Je gegevens zijn gewist. Dag!")), tag=None)
        return
    if meeting.status != "planned" or meeting.starts_at <= ctx.now:
        ctx.say(ctx.t(N_("Dit overleg is al geweest of gaat niet door.")), tag=None)
        return
    answers = {"yes": (N_("Je komt. Fijn!"), N_("Het gezin van {reference} komt naar het "
                                               "overleg.")),
               "no": (N_("Ik heb de coördinator gevraagd om een andere tijd. Je hoort het."),
                      N_("Het gezin van {reference} kan niet en vraagt een andere tijd.")),
               "plus": (N_("Goed. Je mag iemand meenemen die je vertrouwt."),
                        N_("Het gezin van {reference} neemt iemand mee."))}
    to_family, to_coordinator = answers[action]
    audit(ctx, ctx.now, ctx.account.user_id, f"family_{action}", meeting.registration_id)
    ctx.say(ctx.t(to_family), tag=None)
    await _tell_coordinator(core, ctx, meeting.registration_id, to_coordinator)


async def _tell_coordinator(core: Core, ctx: Ctx, registration_id: str, message: str,
                            **params: object) -> None:
    registration = await ctx.session.get(Registration, registration_id)
    if registration is None:
        return
    meeting = await current_meeting(ctx.session, registration_id)
    targets = {registration.handler_id or (meeting.planned_by if meeting else None)}
    for user in targets:
        if user is not None:
            await tell(core, ctx.session, user, ctx.now, lambda loc: "👪 " + core.tr.t(
                loc, message, reference=registration.reference, **params))


# ------------------------------------------------------------------ after the meeting


async def start_outcome(core: Core, ctx: Ctx, registration: Registration) -> None:
    from . import formflow as ff
    from .app import Walk

    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "planned":
        ctx.say(ctx.t(N_("Er is geen gepland overleg voor {reference}."),
                      reference=registration.reference), tag=None)
        return
    answers: dict[str, Any] = {"evaluatie_weken": 6}
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "outcome", "", None
    ctx.state.clear()
    ctx.state["answers"] = answers
    ctx.state["registration"] = registration.id
    ctx.tag = None
    walk = Walk(core.state_forms["outcome"], answers, "", tag=None, kind="outcome")
    walk.pos = ff.next_pos(walk.form, None, answers) or ""
    ctx.conv.step = walk.pos
    core._ask(ctx, walk)


async def finish_outcome(core: Core, ctx: Ctx, answers: dict[str, Any]) -> None:
    registration = await ctx.session.get(Registration, str(ctx.state.get("registration")))
    meeting = await current_meeting(ctx.session, registration.id) if registration else None
    if registration is None or meeting is None or registration.gemeente_code not in \
            await coordinator_codes(ctx.session, ctx.account.user_id):
        ctx.state.clear()
        core._to_menu(ctx)
        return
    weeks = int(answers.get("evaluatie_weken") or 6)
    meeting.status, meeting.updated_at = "held", ctx.now
    meeting.outcome_sealed = core.cipher.seal_json(answers, f"meeting:{meeting.id}:outcome")
    meeting.evaluation_due_at = meeting.starts_at + timedelta(weeks=weeks)
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder", "evaluation"))
    ctx.session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                     recipient_id=ctx.account.user_id,
                                     due_at=meeting.evaluation_due_at, status="pending"))
    if answers.get("regisseur_aanmelder") and registration.owner_id != ctx.account.user_id:
        # The registrant is the case director: they are nudged too.
        ctx.session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                         recipient_id=registration.owner_id,
                                         due_at=meeting.evaluation_due_at, status="pending",
                                         detail="director"))
    registration.status, registration.updated_at = "overleg_gehouden", ctx.now
    ctx.session.add(RegistrationEvent(registration_id=registration.id,
                                      status="overleg_gehouden", actor_id=ctx.account.user_id,
                                      at=ctx.now))
    audit(ctx, ctx.now, ctx.account.user_id, "meeting_recorded", registration.id)
    details = _details(core, meeting)
    summary = outcome_text(core, ctx.locale, registration, meeting, answers)
    # The registrant hears that it took place; if they attended, they get the list.
    attended = bool(details.get("aanmelder_uitnodigen"))
    await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
        loc, N_("Het Knooppuntoverleg over {reference} heeft plaatsgevonden."),
        reference=registration.reference) + (
        "\n\n" + outcome_text(core, loc, registration, meeting, answers) if attended else ""))
    from .guests import tell_guests

    await tell_guests(core, ctx.session, registration, meeting, ctx.now, "held", answers)
    # The official copy of the list: to the municipality's secure mailbox.
    await _queue_actions_mail(core, ctx, registration, meeting)
    ctx.state.clear()
    ctx.conv.flow, ctx.conv.step = "menu", ""
    ctx.say(summary + "\n\n" + ctx.tn(NP_(
        "Vastgelegd. Over {n} week vraag ik je om te evalueren ({date}).",
        "Vastgelegd. Over {n} weken vraag ik je om te evalueren ({date})."), weeks,
        date=core.tr.format_date(ctx.locale, meeting.evaluation_due_at.astimezone(
            core.tz).date())), tag=None)


async def _queue_actions_mail(core: Core, ctx: Ctx, registration: Registration,
                              meeting: Meeting) -> None:
    from ..db.models import Municipality

    if not core.settings.smtp_host or registration.gemeente_code is None:
        return
    municipality = await ctx.session.get(Municipality, registration.gemeente_code)
    if municipality is None or not municipality.mailbox:
        return
    core._enqueue_raw(ctx.session, 0, "mail", {
        "registration_id": registration.id, "meeting_id": meeting.id, "document": "actions",
        "to": municipality.mailbox, "locale": "nl"}, ctx.now)
    audit(ctx, ctx.now, ctx.account.user_id, "mail_queued", registration.id, "actions")


def outcome_text(core: Core, locale: str, registration: Registration, meeting: Meeting,
                 answers: dict[str, Any]) -> Markup:
    t = core.tr.t
    yes, no = t(locale, N_("ja")), t(locale, N_("nee"))
    shown = [bold(t(locale, N_("Actie- en besluitenlijst {reference}"),
                    reference=registration.reference)),
             t(locale, N_("Overleg: {when}"), when=when_text(core, locale, meeting.starts_at)),
             t(locale, N_("Afspraken:")),
             italic(str(answers.get("afspraken") or "—")),
             t(locale, N_("Procesregie: {value}"), value=answers.get("procesregie") or "—"),
             t(locale, N_("Eerste aanspreekpunt gezin: {value}"),
               value=answers.get("aanspreekpunt") or "—")]
    if answers.get("casusregisseur"):
        shown.append(t(locale, N_("Casusregisseur: {value}"), value=answers["casusregisseur"]))
    shown.append(t(locale, N_("Gezin akkoord: {value}"),
                   value=yes if answers.get("gezin_akkoord") else no))
    shown.append(t(locale, N_("Vervolg-Knooppunt: {value}"),
                   value=(yes + (Markup(" ({})").format(answers["vervolg_termijn"])
                                 if answers.get("vervolg_termijn") else ""))
                   if answers.get("vervolg") else no))
    return lines(*shown)


async def evaluation_done(core: Core, ctx: Ctx, registration: Registration) -> None:
    """"Geëvalueerd, afsluiten": the case is closed; the registrant sees the status only."""
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is not None:
        meeting.evaluated_at = ctx.now
        await cancel_pending(ctx.session, meeting.id, ("evaluation",))
    registration.status, registration.updated_at = "afgesloten", ctx.now
    ctx.session.add(RegistrationEvent(registration_id=registration.id, status="afgesloten",
                                      actor_id=ctx.account.user_id, at=ctx.now,
                                      detail="evaluated"))
    audit(ctx, ctx.now, ctx.account.user_id, "evaluated_close", registration.id)
    await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
        loc, N_("Je aanmelding {reference} is afgesloten door de coördinator."),
        reference=registration.reference))
    ctx.say(ctx.t(N_("{reference} is geëvalueerd en afgesloten. De aanmelder krijgt bericht."),
                  reference=registration.reference), tag=None)


async def evaluation_later(core: Core, ctx: Ctx, registration: Registration) -> None:
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "held":
        ctx.say(ctx.t(N_("Er is geen overleg om te evalueren.")), tag=None)
        return
    await _snooze(core, ctx, meeting, "snoozed")


async def _snooze(core: Core, ctx: Ctx, meeting: Meeting, detail: str) -> None:
    """"Remind me in a week": this user's nudge only (the case director's, or the
    coordinator's, stays as it is)."""
    await cancel_pending(ctx.session, meeting.id, ("evaluation",), ctx.account.user_id)
    due = ctx.now + timedelta(days=7)
    ctx.session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                     recipient_id=ctx.account.user_id, due_at=due,
                                     status="pending", detail=detail))
    ctx.say(ctx.t(N_("Goed, ik herinner je er op {date} weer aan."),
                  date=core.tr.format_date(ctx.locale, due.astimezone(core.tz).date())),
            tag=None)


async def evaluations(core: Core, ctx: Ctx) -> None:
    """/evaluaties: evaluations due and overdue, then the coming ones."""
    codes = await own_codes_or_refuse(ctx)
    if not codes:
        return
    rows = (await ctx.session.execute(
        select(Meeting, Registration).join(Registration,
                                           Registration.id == Meeting.registration_id)
        .where(Meeting.status == "held", Meeting.evaluated_at.is_(None),
               Registration.gemeente_code.in_(codes), Registration.status.not_in(FINAL))
        .order_by(Meeting.evaluation_due_at).limit(20))).all()
    if not rows:
        ctx.say(ctx.t(N_("Er staan geen evaluaties open.")), tag=None)
        return
    shown = [ctx.t(N_("Evaluaties:"))]
    buttons: list[list[Button]] = []
    for meeting, registration in rows:
        due = meeting.evaluation_due_at or meeting.starts_at
        date_text = core.tr.format_date(ctx.locale, due.astimezone(core.tz).date())
        label = (N_("{reference} · te laat, sinds {date}") if due <= ctx.now
                 else N_("{reference} · op {date}"))
        shown.append(("🔴 " if due <= ctx.now else "⚪ ")
                     + ctx.t(label, reference=registration.reference, date=date_text))
        buttons.append([Button(registration.reference, f"r.case.{registration.id}")])
    ctx.say(lines(*shown), buttons, tag=None)
