"""Planning the Knooppuntoverleg: date, time and place in the municipality's time zone
(summer time right both ways), moving it (only the new date and time), cancelling it;
everyone who has to know is told, reminders are scheduled."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from conversations.meeting import MEETING_FORM

from ... import families
from ...audit import audit
from ...cases import FINAL, current_meeting, meeting_buttons, when_text
from ...db.models import Meeting, Registration, RegistrationEvent
from ...forms.flow import StateWalkFlow
from ...forms.walk import Walk, WalkSpec
from ...i18n import N_
from ...kernel.context import HOME, Ctx
from ...people import coordinator_codes
from ...text import Markup, lines
from .common import (
    MEETING,
    cancel_pending,
    contact_line,
    coordinator_contact,
    details,
    family_contacts,
    family_message,
    schedule_reminders,
)
from .guests import tell_guests


def _ended(ctx: Ctx, walk: Walk) -> None:
    answers = walk.answers
    ctx.then(lambda: finish_planning(ctx, answers))


PLANNING = StateWalkFlow(MEETING, MEETING_FORM,
                         WalkSpec(MEETING, end=_ended, stop_action="menu:menu"))


async def start_planning(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The planning walk; moving a planned meeting starts from its answers."""
    meeting = await current_meeting(ctx.session, registration.id)
    answers: dict[str, Any] = {}
    if meeting is not None and meeting.status == "planned":
        answers = dict(details(ctx.env, meeting))
        answers.pop("datum", None)
        answers.pop("tijd", None)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["registration"] = registration.id
    ctx.tag = None
    # Moving: only the new date and time; the rest stays as it was.
    PLANNING.start(ctx, answers, fill=bool(answers))


async def finish_planning(ctx: Ctx, answers: dict[str, Any]) -> None:
    """The walk is done: store the meeting, schedule the reminders, tell everyone."""
    env = ctx.env
    registration = await ctx.session.get(Registration, str(ctx.state.get("registration")))
    if registration is None or registration.gemeente_code not in await coordinator_codes(
            ctx.session, ctx.account.user_id) or registration.status in FINAL:
        ctx.state.clear()
        ctx.home()
        return
    local = datetime.combine(datetime.fromisoformat(str(answers["datum"])).date(),
                             time.fromisoformat(str(answers["tijd"])), tzinfo=env.tz)
    starts_at = local.astimezone(env.tz)  # normalises a time that does not exist (DST)
    if starts_at <= ctx.now:
        ctx.note("⚠️ " + ctx.t(N_("Dat tijdstip is al voorbij. Kies een latere datum of tijd.")))
        answers.pop("datum", None)
        answers.pop("tijd", None)
        PLANNING.start(ctx, answers)
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
    meeting.details_sealed = env.cipher.seal_json(answers, f"meeting:{meeting.id}")
    await ctx.session.flush()
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"))
    registration.status, registration.updated_at = "overleg_gepland", ctx.now
    if registration.handler_id is None:
        registration.handler_id = ctx.account.user_id
    ctx.session.add(RegistrationEvent(registration_id=registration.id,
                                      status="overleg_gepland", actor_id=ctx.account.user_id,
                                      at=ctx.now, detail="moved" if moved else None))
    audit(ctx.session, ctx.now, ctx.account.user_id,
          "meeting_moved" if moved else "meeting_planned", registration.id)
    for contact in await family_contacts(ctx.session, registration.id):
        chat = families.chat_of(env.cipher, contact)
        assert chat is not None
        await family_message(env, ctx.session, chat, meeting, ctx.now, moved=moved)
        schedule_reminders(env, ctx.session, meeting, 0, ctx.now, contact=contact.id)
    if answers.get("aanmelder_uitnodigen"):
        await _tell_registrant(ctx, registration, meeting, answers, moved=moved)
    for guest in await tell_guests(env, ctx.session, registration, meeting, ctx.now,
                                   "moved" if moved else "planned"):
        schedule_reminders(env, ctx.session, meeting, guest, ctx.now)
    ctx.state.clear()
    ctx.go(HOME)
    when = when_text(env, ctx.locale, starts_at)
    shown = [("📅 " + ctx.t(N_("Overleg voor {reference} verplaatst naar {when}."),
                            reference=registration.reference, when=when)) if moved
             else "📅 " + ctx.t(N_("Overleg voor {reference} gepland op {when}."),
                                reference=registration.reference, when=when),
             ctx.t(N_("Plaats: {place}"), place=answers.get("plaats") or "—"),
             Markup(""),
             ctx.t(N_("Checklist: vertel het gezin dat het iemand mag meenemen. Een tolk is "
                      "altijd een professionele tolk, nooit een kind."))]
    if not await family_contacts(ctx.session, registration.id):
        shown.append(ctx.t(N_("Wil het gezin berichten en herinneringen in de eigen taal? "
                              "Geef het gezin dan de uitnodiging (link of QR-code).")))
    ctx.say_for_a_while(lines(*shown), meeting_buttons(env, ctx.locale, registration.id))


async def _tell_registrant(ctx: Ctx, registration: Registration, meeting: Meeting,
                           answers: dict[str, Any], *, moved: bool) -> None:
    env = ctx.env
    message = N_("Het Knooppuntoverleg over {reference} is verplaatst naar {when}, "
                 "{place}.") if moved else N_("Je bent uitgenodigd voor het Knooppuntoverleg "
                                              "over {reference}: {when}, {place}.")
    await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
        loc, message, reference=registration.reference,
        when=when_text(env, loc, meeting.starts_at), place=answers.get("plaats") or "—"),
        expires=env.chat_ttl)


async def cancel_meeting(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    env = ctx.env
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
    audit(ctx.session, ctx.now, ctx.account.user_id, "meeting_cancelled", registration.id)
    coordinator = await coordinator_contact(env, ctx.session, registration.id)
    for contact in await family_contacts(ctx.session, registration.id):
        chat = families.chat_of(env.cipher, contact)
        assert chat is not None
        await ctx.tell(chat, lambda loc: lines(env.tr.t(
            loc, N_("Je gesprek op {when} gaat niet door. De coördinator neemt contact met "
                    "je op."), when=when_text(env, loc, meeting.starts_at)),
            contact_line(env, loc, coordinator)))
    if details(env, meeting).get("aanmelder_uitnodigen"):
        await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
            loc, N_("Het Knooppuntoverleg over {reference} van {when} gaat niet door."),
            reference=registration.reference, when=when_text(env, loc, meeting.starts_at)))
    await tell_guests(env, ctx.session, registration, meeting, ctx.now, "cancelled")
    ctx.say(ctx.t(N_("Het overleg is afgezegd. Iedereen die bericht kreeg, hoort het.")),
            tag=None)
