"""After the meeting: the action and decision list and the monitoring fields (a walk),
the list to those who attended and to the municipality's secure mailbox, and the
evaluation - nudged weekly until the coordinator (or the case director) handles it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from conversations.meeting import OUTCOME_FORM

from ...audit import audit
from ...cases import CASE, FINAL, current_meeting
from ...db.models import Meeting, Municipality, Registration, RegistrationEvent, ScheduledMessage
from ...forms.flow import StateWalkFlow
from ...forms.walk import Walk, WalkSpec
from ...i18n import N_, NP_
from ...kernel.buttons import routed
from ...kernel.context import HOME, Ctx
from ...kernel.events import Button
from ...people import coordinator_codes, coordinator_side, own_codes_or_refuse, person
from ...text import lines
from .common import OUTCOME, cancel_pending, details, outcome_text
from .guests import tell_guests


def _ended(ctx: Ctx, walk: Walk) -> None:
    answers = walk.answers
    ctx.then(lambda: finish_outcome(ctx, answers))


RECORDING = StateWalkFlow(OUTCOME, OUTCOME_FORM,
                          WalkSpec(OUTCOME, end=_ended, stop_action="menu:menu"))


async def start_outcome(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "planned":
        ctx.say(ctx.t(N_("Er is geen gepland overleg voor {reference}."),
                      reference=registration.reference), tag=None)
        return
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["registration"] = registration.id
    ctx.tag = None
    await ctx.env.emit("outcome_start", ctx=ctx, registration=registration, meeting=meeting)
    RECORDING.start(ctx, {"evaluatie_weken": 6})


async def finish_outcome(ctx: Ctx, answers: dict[str, Any]) -> None:
    env = ctx.env
    registration = await ctx.session.get(Registration, str(ctx.state.get("registration")))
    meeting = await current_meeting(ctx.session, registration.id) if registration else None
    if registration is None or meeting is None or registration.gemeente_code not in \
            await coordinator_codes(ctx.session, ctx.account.user_id):
        ctx.state.clear()
        ctx.home()
        return
    weeks = int(answers.get("evaluatie_weken") or 6)
    meeting.status, meeting.updated_at = "held", ctx.now
    meeting.outcome_sealed = env.cipher.seal_json(answers, f"meeting:{meeting.id}:outcome")
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
    audit(ctx.session, ctx.now, ctx.account.user_id, "meeting_recorded", registration.id)
    summary = outcome_text(env, ctx.locale, registration, meeting, answers)
    # The registrant hears that it took place; if they attended, they get the list.
    attended = bool(details(env, meeting).get("aanmelder_uitnodigen"))
    await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
        loc, N_("Het Knooppuntoverleg over {reference} heeft plaatsgevonden."),
        reference=registration.reference) + (
        "\n\n" + outcome_text(env, loc, registration, meeting, answers) if attended else ""),
        expires=env.chat_ttl)
    await tell_guests(env, ctx.session, registration, meeting, ctx.now, "held", answers)
    # The official copy of the list: to the municipality's secure mailbox.
    await _queue_actions_mail(ctx, registration, meeting)
    ctx.state.clear()
    ctx.go(HOME)
    ctx.say_for_a_while(summary + "\n\n" + ctx.tn(NP_(
        "Vastgelegd. Over {n} week vraag ik je om te evalueren ({date}).",
        "Vastgelegd. Over {n} weken vraag ik je om te evalueren ({date})."), weeks,
        date=ctx.date(meeting.evaluation_due_at)))
    await env.emit("meeting_held", ctx=ctx, registration=registration, meeting=meeting)


async def _queue_actions_mail(ctx: Ctx, registration: Registration, meeting: Meeting) -> None:
    if not ctx.env.settings.smtp_host or registration.gemeente_code is None:
        return
    municipality = await ctx.session.get(Municipality, registration.gemeente_code)
    if municipality is None or not municipality.mailbox:
        return
    ctx.enqueue(0, "mail", {
        "registration_id": registration.id, "meeting_id": meeting.id, "document": "actions",
        "to": municipality.mailbox, "locale": "nl"})
    audit(ctx.session, ctx.now, ctx.account.user_id, "mail_queued", registration.id, "actions")


async def evaluation_done(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """"Geëvalueerd, afsluiten": the case is closed; the registrant sees the status only."""
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is not None:
        meeting.evaluated_at = ctx.now
        await cancel_pending(ctx.session, meeting.id, ("evaluation",))
    registration.status, registration.updated_at = "afgesloten", ctx.now
    ctx.session.add(RegistrationEvent(registration_id=registration.id, status="afgesloten",
                                      actor_id=ctx.account.user_id, at=ctx.now,
                                      detail="evaluated"))
    audit(ctx.session, ctx.now, ctx.account.user_id, "evaluated_close", registration.id)
    await ctx.tell(registration.owner_id, lambda loc: ctx.env.tr.t(
        loc, N_("Je aanmelding {reference} is afgesloten door de coördinator."),
        reference=registration.reference))
    ctx.say(ctx.t(N_("{reference} is geëvalueerd en afgesloten. De aanmelder krijgt bericht."),
                  reference=registration.reference), tag=None)


async def evaluation_later(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or meeting.status != "held":
        ctx.say(ctx.t(N_("Er is geen overleg om te evalueren.")), tag=None)
        return
    await _snooze(ctx, meeting, "snoozed")


async def _snooze(ctx: Ctx, meeting: Meeting, detail: str) -> None:
    """"Remind me in a week": this user's nudge only (the case director's, or the
    coordinator's, stays as it is)."""
    await cancel_pending(ctx.session, meeting.id, ("evaluation",), ctx.account.user_id)
    due = ctx.now + timedelta(days=7)
    ctx.session.add(ScheduledMessage(kind="evaluation", meeting_id=meeting.id,
                                     recipient_id=ctx.account.user_id, due_at=due,
                                     status="pending", detail=detail))
    ctx.say(ctx.t(N_("Goed, ik herinner je er op {date} weer aan."), date=ctx.date(due)),
            tag=None)


#: What the case director's answer tells the coordinator, with the button to act on it.
DIRECTOR_SAYS = {
    "evok": (N_("De casusregisseur van {reference} ({person}) meldt: geëvalueerd, de zaak "
                "kan dicht."), "✅", N_("Geëvalueerd, afsluiten"), "evdone"),
    "evnew": (N_("De casusregisseur van {reference} ({person}) wil een nieuw "
                 "Knooppuntoverleg."), "📅", N_("Nieuw Knooppuntoverleg"), "meet"),
}


def director_answer(action: str) -> Any:
    """The case director's answer to the evaluation nudge (``action``: evok, evnew,
    evsnooze): passed on to the coordinator (with the button to act on it), or a
    reminder in a week."""
    async def answer(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
        env = ctx.env
        meeting = await current_meeting(ctx.session, registration.id)
        if meeting is None or meeting.status != "held" or meeting.evaluated_at is not None:
            ctx.say(ctx.t(N_("Er is geen overleg om te evalueren.")), tag=None)
            return
        if action == "evsnooze":
            await _snooze(ctx, meeting, "director")
            return
        await cancel_pending(ctx.session, meeting.id, ("evaluation",), ctx.account.user_id)
        t, rid, reference = env.tr.t, registration.id, registration.reference
        director = ctx.account
        text, icon, label, button = DIRECTOR_SAYS[action]
        for target in await coordinator_side(ctx.session, registration):
            await ctx.tell(target, lambda loc: f"{icon} " + t(
                loc, text, reference=reference, person=person(env, director, loc)),
                lambda loc: [[Button(f"{icon} " + t(loc, label), routed(CASE, button, rid))]],
                coordinator_of=registration.gemeente_code or "")
        audit(ctx.session, ctx.now, ctx.account.user_id, "director_" + action[2:],
              registration.id)
        ctx.say(ctx.t(N_("Doorgegeven aan de coördinator van {reference}."),
                      reference=reference), tag=None)

    return answer


async def evaluations(ctx: Ctx) -> None:
    """/evaluaties: evaluations due and overdue, then the coming ones."""
    await ctx.leave()
    ctx.go(HOME)
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
        label = (N_("{reference} · te laat, sinds {date}") if due <= ctx.now
                 else N_("{reference} · op {date}"))
        shown.append(("🔴 " if due <= ctx.now else "⚪ ")
                     + ctx.t(label, reference=registration.reference, date=ctx.date(due)))
        buttons.append([Button(registration.reference,
                               routed(CASE, "case", registration.id))])
    ctx.say(lines(*shown), buttons, tag=None)
