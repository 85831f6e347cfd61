"""Working a case after the hand-off: its page with history, the coordinator's list,
referring it elsewhere (or to another municipality's Knooppunt) and the registrant's
supplements.

Every screen here is reached by "r.<action>.<registration_id>" buttons, checked in
:func:`kks_bot.core.handoff.button` before anything is shown. History lines name
what happened and who did it, never what was written: the texts themselves were
delivered in the chat and stay sealed in the case.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from babel.dates import format_datetime
from sqlalchemy import select

from ..db.models import Account, CaseMessage, Registration, RegistrationEvent
from ..i18n import BABEL_LOCALES, N_, NP_
from ..text import Markup, lines
from .events import Button
from .handoff import (
    FINAL,
    _person,
    active_coordinators,
    alert_admins,
    audit,
    case_buttons,
    coordinator_codes,
    notify_coordinators,
    own_codes_or_refuse,
    owner_buttons,
    queue_official_copy,
    quote,
    tell,
)

if TYPE_CHECKING:
    from .app import Core, Ctx

# Where a coordinator can refer a case. "gemeente" moves it to another Knooppunt.
REFER_TO: dict[str, str] = {
    "ozks": N_("OZKS (Overleg Zwangere in een Kwetsbare Situatie)"),
    "zorgpaden": N_("Zorgpaden Kansrijke Start"),
    "gemeente": N_("Knooppunt van een andere gemeente"),
    "anders": N_("Elders (zie reden)"),
}

_EVENT_LABELS = {
    "ingediend": N_("ingediend door {person}"),
    "overleg_gepland": N_("overleg gepland door {person}"),
    "overleg_gehouden": N_("overleg vastgelegd door {person}"),
    "in_behandeling": N_("opgepakt door {person}"),
    "afgesloten": N_("afgesloten door {person}"),
    "ingetrokken": N_("ingetrokken door {person}"),
}
_MESSAGE_LABELS = {
    "question": N_("vraag van {person}"),
    "ask": N_("vraag van {person}"),
    "answer": N_("antwoord van {person}"),
    "supplement": N_("aanvulling van {person}"),
    "add": N_("aanvulling van {person}"),
}
LIST_LIMIT = 15


def _when(core: Core, locale: str, at: datetime) -> str:
    return format_datetime(at, "d MMM HH:mm", tzinfo=core.tz,
                           locale=BABEL_LOCALES.get(locale, locale))


def destination_label(core: Core, locale: str, detail: str | None) -> str:
    """"OZKS", "Knooppunt Maastricht", ... for a referral's stored id."""
    if not detail:
        return "—"
    if detail.startswith("gemeente:"):
        municipality = core.directory.get(detail.split(":", 1)[1])
        return core.tr.t(locale, N_("Knooppunt {gemeente}"),
                         gemeente=municipality.name if municipality else detail[9:])
    return core.tr.t(locale, REFER_TO.get(detail, detail))


async def history_lines(core: Core, ctx: Ctx, registration: Registration) -> list[Markup]:
    """What happened to the case, oldest first: status changes and messages, no content."""
    events = (await ctx.session.execute(
        select(RegistrationEvent).where(RegistrationEvent.registration_id == registration.id)
        .order_by(RegistrationEvent.at, RegistrationEvent.id))).scalars().all()
    messages = (await ctx.session.execute(
        select(CaseMessage).where(CaseMessage.registration_id == registration.id)
        .order_by(CaseMessage.at, CaseMessage.id))).scalars().all()
    people: dict[int, str] = {}

    async def person(user_id: int) -> str:
        if user_id not in people:
            people[user_id] = _person(core, await ctx.session.get(Account, user_id), ctx.locale)
        return people[user_id]

    entries: list[tuple[datetime, int, Markup]] = []
    for event in events:
        if event.status == "doorverwezen":
            text = ctx.t(N_("doorverwezen naar {destination} door {person}"),
                         destination=destination_label(core, ctx.locale, event.detail),
                         person=await person(event.actor_id))
        else:
            label = _EVENT_LABELS.get(event.status)
            if label is None:
                continue
            text = ctx.t(label, person=await person(event.actor_id))
        entries.append((event.at, 0, text))
    for message in messages:
        label = _MESSAGE_LABELS.get(message.kind)
        if label is not None:
            entries.append((message.at, 1, ctx.t(label, person=await person(message.author_id))))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [Markup("• {} · {}").format(_when(core, ctx.locale, at), text)
            for at, _, text in entries]


async def show_case(core: Core, ctx: Ctx, registration: Registration, *,
                    as_coordinator: bool) -> None:
    """The case page: reference, municipality, status, history and what can be done."""
    from .app import STATUS_LABELS

    municipality = core.directory.get(registration.gemeente_code or "")
    shown = [
        ctx.t(N_("<b>{reference}</b> · {gemeente}"), reference=registration.reference,
              gemeente=municipality.name if municipality else "—"),
        ctx.t(N_("Status: {status}"),
              status=ctx.t(STATUS_LABELS.get(registration.status, registration.status))),
        Markup(""),
        ctx.t(N_("Geschiedenis:")),
        *await history_lines(core, ctx, registration),
    ]
    rows: list[list[Button]] = []
    rid = registration.id
    from . import meetings

    meeting = await meetings.current_meeting(ctx.session, rid)
    if meeting is not None and meeting.status in ("planned", "held"):
        label = N_("Overleg: {when}") if meeting.status == "planned" \
            else N_("Overleg gehouden: {when}")
        shown.insert(2, "📅 " + ctx.t(label, when=meetings.when_text(core, ctx.locale,
                                                                     meeting.starts_at)))
    if registration.status not in FINAL:
        if as_coordinator:
            first = [Button("👁 " + ctx.t(N_("Bekijken")), f"r.view.{rid}")]
            if registration.handler_id is None:
                first.append(Button("✋ " + ctx.t(N_("Oppakken")), f"r.take.{rid}"))
            rows.append(first)
            planned = meeting is not None and meeting.status == "planned"
            to_evaluate = meeting is not None and meeting.status == "held" \
                and meeting.evaluated_at is None
            rows += case_buttons(core, ctx.locale, rid, plan=not planned and not to_evaluate)
            if planned:
                rows += meetings.meeting_buttons(core, ctx.locale, rid)
            elif to_evaluate:
                rows.append([Button("✅ " + ctx.t(N_("Geëvalueerd, afsluiten")),
                                    f"r.evdone.{rid}"),
                             Button("📅 " + ctx.t(N_("Nieuw Knooppuntoverleg")),
                                    f"r.meet.{rid}")])
        else:
            rows += owner_buttons(core, ctx.locale, rid)
    elif as_coordinator:
        rows.append([Button("👁 " + ctx.t(N_("Bekijken")), f"r.view.{rid}")])
    audit(ctx, ctx.now, ctx.account.user_id, "case_page", rid)
    ctx.say(lines(*shown), rows, tag=None)


async def coordinator_list(core: Core, ctx: Ctx) -> None:
    """/aanmeldingen: the open cases of the coordinator's municipalities, newest first."""
    from .app import STATUS_LABELS

    codes = await own_codes_or_refuse(ctx)
    if not codes:
        return
    rows = (await ctx.session.execute(
        select(Registration).where(Registration.gemeente_code.in_(codes),
                                   Registration.status.not_in(FINAL))
        .order_by(Registration.submitted_at.desc()).limit(LIST_LIMIT))).scalars().all()
    if not rows:
        ctx.say(ctx.t(N_("Er zijn geen open aanmeldingen voor jouw gemeente(n).")), tag=None)
        return
    shown = [ctx.tn(NP_("{n} open aanmelding:", "{n} open aanmeldingen:"), len(rows))]
    buttons: list[list[Button]] = []
    for reg in rows:
        municipality = core.directory.get(reg.gemeente_code or "")
        mine = "⭐ " if reg.handler_id == ctx.account.user_id else ""
        shown.append(ctx.t(N_("{reference} · {gemeente} · {status}"),
                           reference=mine + reg.reference,
                           gemeente=municipality.name if municipality else "—",
                           status=ctx.t(STATUS_LABELS.get(reg.status, reg.status))))
        buttons.append([Button(reg.reference, f"r.case.{reg.id}")])
    shown.append(ctx.t(N_("⭐ = door jou opgepakt. Kies een aanmelding.")))
    ctx.say(lines(*shown), buttons, tag=None)


def refer_menu(core: Core, ctx: Ctx, registration: Registration) -> None:
    rid = registration.id
    rows = [[Button(ctx.t(label), f"r.rf-{key}.{rid}")] for key, label in REFER_TO.items()]
    rows.append([Button(ctx.t(N_("Terug")), f"r.case.{rid}")])
    ctx.say(ctx.t(N_("Waarheen verwijs je {reference} door?"),
                  reference=registration.reference), rows, tag=None)


def municipality_menu(core: Core, ctx: Ctx, registration: Registration) -> None:
    rid = registration.id
    choices = [m for m in core.directory.all()
               if m.code != registration.gemeente_code and m.code in ctx.covered]
    rows = [[Button(m.name, f"r.rg-{m.code}.{rid}")] for m in choices]
    rows.append([Button(ctx.t(N_("Terug")), f"r.refer.{rid}")])
    text = ctx.t(N_("Naar het Knooppunt van welke gemeente?"))
    if not choices:
        text = ctx.t(N_("Geen andere gemeente heeft een actieve coördinator in de bot. Kies "
                        "'Elders' en noem de gemeente in je reden."))
    ctx.say(text, rows, tag=None)


async def refer(core: Core, ctx: Ctx, registration: Registration, destination: str,
                reason: str) -> None:
    """Record the referral; another municipality gets the case, the registrant hears."""
    me = ctx.account.user_id
    ref = registration.reference
    ctx.session.add(RegistrationEvent(registration_id=registration.id, status="doorverwezen",
                                      actor_id=me, at=ctx.now, detail=destination[:40]))
    registration.updated_at = ctx.now
    if destination.startswith("gemeente:"):
        # Another Knooppunt takes over: the case starts again there.
        registration.gemeente_code = destination.split(":", 1)[1]
        registration.status, registration.handler_id = "ingediend", None
        registration.notified_at = None
        await ctx.session.flush()
        if not await notify_coordinators(core, ctx.session, registration, ctx.now):
            await alert_admins(core, ctx.session, registration, ctx.now)
        await queue_official_copy(core, ctx.session, registration, ctx.now)
    else:
        registration.status = "doorverwezen"
    audit(ctx, ctx.now, me, "refer", registration.id, destination[:40])
    await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
        loc, N_("Je aanmelding {reference} is doorverwezen naar {destination}. Reden van de "
                "coördinator:"),
        reference=ref, destination=destination_label(core, loc, destination))
        + "\n\n" + quote(reason))
    ctx.say(ctx.t(N_("{reference} is doorverwezen naar {destination}. De aanmelder krijgt "
                     "bericht."), reference=ref,
                  destination=destination_label(core, ctx.locale, destination)), tag=None)


async def supplement(core: Core, ctx: Ctx, registration: Registration, text: str) -> None:
    """The registrant adds information: it goes to whoever handles the case."""
    from .handoff import _coordinator_side, _send

    ref = registration.reference
    registrant = ctx.account
    targets = await _coordinator_side(ctx.session, registration)
    for target in targets:
        await _send(core, ctx, target, lambda loc: core.tr.t(
            loc, N_("Aanvulling van {person} op {reference}:"),
            person=_person(core, registrant, loc), reference=ref) + "\n\n" + quote(text),
            case_buttons, registration.id)
    if targets:
        ctx.say(ctx.t(N_("Je aanvulling is toegevoegd aan {reference} en doorgestuurd naar de "
                         "coördinator."), reference=ref), tag=None)
    else:
        ctx.say(ctx.t(N_("Je aanvulling is toegevoegd aan {reference}. De coördinator ziet "
                         "haar zodra die er is."), reference=ref), tag=None)


async def is_case_coordinator(ctx: Ctx, registration: Registration) -> bool:
    return registration.gemeente_code in await coordinator_codes(ctx.session,
                                                                 ctx.account.user_id)


__all__ = ["REFER_TO", "active_coordinators", "coordinator_list", "destination_label",
           "history_lines", "is_case_coordinator", "municipality_menu", "refer", "refer_menu",
           "show_case", "supplement"]
