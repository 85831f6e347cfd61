"""Working a case after the hand-off: its page with history, the coordinator's list, the
registrant's list, referring it elsewhere (or to another municipality's Knooppunt) and
the registrant's supplements.

Every screen here is reached by "r.<action>.<registration_id>" buttons, checked by the
case route's guard (access.py) before anything is shown. History lines name what
happened and who did it, never what was written: the texts themselves were delivered in
the chat and stay sealed in the case.
"""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime
from sqlalchemy import select

from ...audit import audit
from ...cases import (
    CASE,
    FINAL,
    case_buttons,
    current_meeting,
    is_case_coordinator,
    meeting_buttons,
    owner_buttons,
    status_label,
    when_text,
)
from ...db.models import Account, CaseMessage, Registration, RegistrationEvent
from ...directory import gemeente_label
from ...i18n import BABEL_LOCALES, N_, NP_
from ...kernel.buttons import routed
from ...kernel.context import HOME, Ctx, Env
from ...kernel.events import Button
from ...people import coordinator_side, own_codes_or_refuse, person
from ...text import Markup, italic, lines
from . import handoff

# Where a coordinator can refer a case. "gemeente" moves it to another Knooppunt.
REFER_TO: dict[str, str] = {
    "ozks": N_("OZKS (Overleg Zwangere in een Kwetsbare Situatie)"),
    "zorgpaden": N_("Zorgpaden Kansrijke Start"),
    "gemeente": N_("Knooppunt van een andere gemeente"),
    "anders": N_("Elders (zie reden)"),
}

EVENT_LABELS = {
    "ingediend": N_("ingediend door {person}"),
    "overleg_gepland": N_("overleg gepland door {person}"),
    "overleg_gehouden": N_("overleg vastgelegd door {person}"),
    "in_behandeling": N_("opgepakt door {person}"),
    "afgesloten": N_("afgesloten door {person}"),
    "ingetrokken": N_("ingetrokken door {person}"),
}
MESSAGE_LABELS = {
    "question": N_("vraag van {person}"),
    "ask": N_("vraag van {person}"),
    "answer": N_("antwoord van {person}"),
    "supplement": N_("aanvulling van {person}"),
    "add": N_("aanvulling van {person}"),
}
LIST_LIMIT = 15
MINE_LIMIT = 20


def _when(env: Env, locale: str, at: datetime) -> str:
    return format_datetime(at, "d MMM HH:mm", tzinfo=env.tz,
                           locale=BABEL_LOCALES.get(locale, locale))


def destination_label(env: Env, locale: str, detail: str | None) -> str:
    """"OZKS", "Knooppunt Maastricht", ... for a referral's stored id."""
    if not detail:
        return "—"
    if detail.startswith("gemeente:"):
        municipality = env.directory.get(detail.split(":", 1)[1])
        return env.tr.t(locale, N_("Knooppunt {gemeente}"),
                        gemeente=municipality.name if municipality else detail[9:])
    return env.tr.t(locale, REFER_TO.get(detail, detail))


async def history_lines(ctx: Ctx, registration: Registration) -> list[Markup]:
    """What happened to the case, oldest first: status changes and messages, no content."""
    env = ctx.env
    events = (await ctx.session.execute(
        select(RegistrationEvent).where(RegistrationEvent.registration_id == registration.id)
        .order_by(RegistrationEvent.at, RegistrationEvent.id))).scalars().all()
    messages = (await ctx.session.execute(
        select(CaseMessage).where(CaseMessage.registration_id == registration.id)
        .order_by(CaseMessage.at, CaseMessage.id))).scalars().all()
    people: dict[int, str] = {}

    async def who(user_id: int) -> str:
        if user_id not in people:
            people[user_id] = person(env, await ctx.session.get(Account, user_id), ctx.locale)
        return people[user_id]

    entries: list[tuple[datetime, int, Markup]] = []
    for event in events:
        if event.status == "doorverwezen":
            text = ctx.t(N_("doorverwezen naar {destination} door {person}"),
                         destination=destination_label(env, ctx.locale, event.detail),
                         person=await who(event.actor_id))
        else:
            label = EVENT_LABELS.get(event.status)
            if label is None:
                continue
            text = ctx.t(label, person=await who(event.actor_id))
        entries.append((event.at, 0, text))
    for message in messages:
        label = MESSAGE_LABELS.get(message.kind)
        if label is not None:
            entries.append((message.at, 1, ctx.t(label, person=await who(message.author_id))))
    entries.sort(key=lambda e: (e[0], e[1]))
    return [Markup("• {} · {}").format(_when(env, ctx.locale, at), text)
            for at, _, text in entries]


def _button(label: Markup, action: str, rid: str) -> Button:
    return Button(label, routed(CASE, action, rid))


async def show_case(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The case page: reference, municipality, status, history and what can be done."""
    env = ctx.env
    as_coordinator = await is_case_coordinator(ctx, registration)
    municipality = env.directory.get(registration.gemeente_code or "")
    shown = [
        ctx.t(N_("<b>{reference}</b> · {gemeente}"), reference=registration.reference,
              gemeente=municipality.name if municipality else "—"),
        ctx.t(N_("Status: {status}"), status=ctx.t(status_label(registration.status))),
        Markup(""),
        ctx.t(N_("Geschiedenis:")),
        *await history_lines(ctx, registration),
    ]
    rows: list[list[Button]] = []
    rid = registration.id
    meeting = await current_meeting(ctx.session, rid)
    if meeting is not None and meeting.status in ("planned", "held"):
        label = N_("Overleg: {when}") if meeting.status == "planned" \
            else N_("Overleg gehouden: {when}")
        shown.insert(2, "📅 " + ctx.t(label, when=when_text(env, ctx.locale,
                                                              meeting.starts_at)))
    if registration.status not in FINAL:
        if as_coordinator:
            first = [_button("👁 " + ctx.t(N_("Bekijken")), "view", rid)]
            if registration.handler_id is None:
                first.append(_button("✋ " + ctx.t(N_("Oppakken")), "take", rid))
            rows.append(first)
            planned = meeting is not None and meeting.status == "planned"
            to_evaluate = meeting is not None and meeting.status == "held" \
                and meeting.evaluated_at is None
            rows += case_buttons(env, ctx.locale, rid, plan=not planned and not to_evaluate)
            if planned:
                rows += meeting_buttons(env, ctx.locale, rid)
            elif to_evaluate:
                rows.append([_button("✅ " + ctx.t(N_("Geëvalueerd, afsluiten")), "evdone", rid),
                             _button("📅 " + ctx.t(N_("Nieuw Knooppuntoverleg")), "meet", rid)])
        else:
            rows += owner_buttons(env, ctx.locale, rid)
    elif as_coordinator:
        rows.append([_button("👁 " + ctx.t(N_("Bekijken")), "view", rid)])
    audit(ctx.session, ctx.now, ctx.account.user_id, "case_page", rid)
    ctx.say(lines(*shown), rows, tag=None)


async def coordinator_list(ctx: Ctx) -> None:
    """/aanmeldingen: the open cases of the coordinator's municipalities, newest first."""
    await ctx.leave()
    ctx.go(HOME)
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
        municipality = ctx.env.directory.get(reg.gemeente_code or "")
        mine = "⭐ " if reg.handler_id == ctx.account.user_id else ""
        shown.append(ctx.t(N_("{reference} · {gemeente} · {status}"),
                           reference=mine + reg.reference,
                           gemeente=municipality.name if municipality else "—",
                           status=ctx.t(status_label(reg.status))))
        buttons.append([Button(reg.reference, routed(CASE, "case", reg.id))])
    shown.append(ctx.t(N_("⭐ = door jou opgepakt. Kies een aanmelding.")))
    ctx.say(lines(*shown), buttons, tag=None)


async def my_registrations(ctx: Ctx) -> None:
    """/mijnaanmeldingen: what the registrant submitted, with each one's status."""
    await ctx.leave()
    ctx.go(HOME)
    rows = (await ctx.session.execute(
        select(Registration).where(Registration.owner_id == ctx.account.user_id)
        .order_by(Registration.submitted_at.desc()).limit(MINE_LIMIT))).scalars().all()
    if not rows:
        ctx.say(ctx.t(N_("Je hebt nog geen aanmeldingen ingediend.")), ctx.menu_buttons(),
                tag=None)
        return
    shown = [ctx.tn(NP_("Je hebt {n} aanmelding ingediend:", "Je hebt {n} aanmeldingen "
                        "ingediend:"), len(rows))]
    buttons: list[list[Button]] = []
    for reg in rows:
        buttons.append([Button("📂 " + reg.reference, routed(CASE, "case", reg.id))])
        shown.append(ctx.t(N_("{reference} · {gemeente} · {status} sinds {date}"),
                           reference=reg.reference,
                           gemeente=gemeente_label(reg.gemeente_code, ctx.env.directory)
                           or "—",
                           status=ctx.t(status_label(reg.status)),
                           date=ctx.date(reg.updated_at)))
    shown.append(ctx.t(N_("Kies een aanmelding voor de geschiedenis, om te antwoorden, "
                          "aan te vullen of in te trekken.")))
    ctx.say(lines(*shown), buttons[:8] + ctx.menu_buttons(), tag=None)


async def refer_menu(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    rid = registration.id
    rows = [[Button(ctx.t(label), routed(CASE, f"rf-{key}", rid))]
            for key, label in REFER_TO.items()]
    rows.append([Button(ctx.t(N_("Terug")), routed(CASE, "case", rid))])
    ctx.say(ctx.t(N_("Waarheen verwijs je {reference} door?"),
                  reference=registration.reference), rows, tag=None)


async def municipality_menu(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    rid = registration.id
    choices = [m for m in ctx.env.directory.all()
               if m.code != registration.gemeente_code and m.code in ctx.covered]
    rows = [[Button(m.name, routed(CASE, f"rg-{m.code}", rid))] for m in choices]
    rows.append([Button(ctx.t(N_("Terug")), routed(CASE, "refer", rid))])
    text = ctx.t(N_("Naar het Knooppunt van welke gemeente?"))
    if not choices:
        text = ctx.t(N_("Geen andere gemeente heeft een actieve coördinator in de bot. Kies "
                        "'Elders' en noem de gemeente in je reden."))
    ctx.say(text, rows, tag=None)


async def refer(ctx: Ctx, registration: Registration, destination: str, reason: str) -> None:
    """Record the referral; another municipality gets the case, the registrant hears."""
    env, me = ctx.env, ctx.account.user_id
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
        if not await handoff.notify_coordinators(env, ctx.session, registration, ctx.now):
            await handoff.alert_admins(env, ctx.session, registration, ctx.now)
        await handoff.queue_official_copy(env, ctx.session, registration, ctx.now)
    else:
        registration.status = "doorverwezen"
    audit(ctx.session, ctx.now, me, "refer", registration.id, destination[:40])
    await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
        loc, N_("Je aanmelding {reference} is doorverwezen naar {destination}. Reden van de "
                "coördinator:"),
        reference=ref, destination=destination_label(env, loc, destination))
        + "\n\n" + italic(reason), expires=env.chat_ttl)
    ctx.say(ctx.t(N_("{reference} is doorverwezen naar {destination}. De aanmelder krijgt "
                     "bericht."), reference=ref,
                  destination=destination_label(env, ctx.locale, destination)), tag=None)


async def supplement(ctx: Ctx, registration: Registration, text: str) -> None:
    """The registrant adds information: it goes to whoever handles the case."""
    env = ctx.env
    ref, rid = registration.reference, registration.id
    registrant = ctx.account
    targets = await coordinator_side(ctx.session, registration)
    for target in targets:
        await ctx.tell(target, lambda loc: env.tr.t(
            loc, N_("Aanvulling van {person} op {reference}:"),
            person=person(env, registrant, loc), reference=ref) + "\n\n" + italic(text),
            lambda loc: case_buttons(env, loc, rid),
            coordinator_of=registration.gemeente_code or "", expires=env.chat_ttl)
    if targets:
        ctx.say(ctx.t(N_("Je aanvulling is toegevoegd aan {reference} en doorgestuurd naar de "
                         "coördinator."), reference=ref), tag=None)
    else:
        ctx.say(ctx.t(N_("Je aanvulling is toegevoegd aan {reference}. De coördinator ziet "
                         "haar zodra die er is."), reference=ref), tag=None)
