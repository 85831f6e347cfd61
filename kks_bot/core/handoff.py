"""The hand-off: a submitted registration reaches the Knooppuntcoördinatoren of the
family's municipality, who can view it and take it on; the registrant hears of it.

Coordinators join with a one-time invitation (``/start <token>``; only the token's
SHA-256 is stored). Notifications carry no family details: reference, municipality,
urgency, what it is for, pregnancy and due month, the triage advice, and who
registered it. Their buttons carry the registration id only ("r.<action>.<id>"),
and every press is checked: an active coordinator of that municipality, or nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..db.models import (
    Account,
    AuditEvent,
    CaseMessage,
    Coordinator,
    CoordinatorMunicipality,
    Invitation,
    Registration,
    RegistrationEvent,
)
from ..i18n import N_
from ..text import Markup, chunks, italic, lines
from ..triage import advise
from .events import Button

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from .app import Core, Ctx

TOKEN_BYTES = 24  # 192 bits
FINAL = ("afgesloten", "ingetrokken", "doorverwezen")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def create_invitation(session: AsyncSession, codes: list[str], now: datetime,
                            ttl: timedelta) -> str:
    """A new invitation for these municipalities; returns the token (shown once)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(Invitation(token_hash=token_hash(token), municipalities=",".join(codes),
                           created_at=now, expires_at=now + ttl))
    return token


def audit(ctx_or_session: Any, now: datetime, actor: int, action: str,
          registration_id: str | None = None, detail: str | None = None) -> None:
    session = getattr(ctx_or_session, "session", ctx_or_session)
    session.add(AuditEvent(at=now, actor_id=actor, action=action,
                           registration_id=registration_id, detail=detail))


async def active_coordinators(session: AsyncSession, code: str) -> list[int]:
    rows = await session.execute(
        select(Coordinator.user_id).join(
            CoordinatorMunicipality, CoordinatorMunicipality.user_id == Coordinator.user_id)
        .where(CoordinatorMunicipality.code == code, Coordinator.active.is_(True))
        .order_by(Coordinator.user_id))
    return [int(r) for r in rows.scalars()]


async def covered_codes(session: AsyncSession) -> set[str]:
    """Municipalities with at least one active coordinator."""
    rows = await session.execute(
        select(CoordinatorMunicipality.code).join(
            Coordinator, CoordinatorMunicipality.user_id == Coordinator.user_id)
        .where(Coordinator.active.is_(True)).distinct())
    return set(rows.scalars())


async def coordinator_codes(session: AsyncSession, user_id: int) -> set[str]:
    coordinator = await session.get(Coordinator, user_id)
    if coordinator is None or not coordinator.active:
        return set()
    rows = await session.execute(select(CoordinatorMunicipality.code)
                                 .where(CoordinatorMunicipality.user_id == user_id))
    return set(rows.scalars())


async def own_codes_or_refuse(ctx: Ctx) -> set[str]:
    """The municipalities of an active coordinator; otherwise say what the screen is for."""
    codes = await coordinator_codes(ctx.session, ctx.account.user_id)
    if not codes:
        ctx.say(ctx.t(N_("Dit overzicht is voor Knooppuntcoördinatoren. Je bent (nog) geen "
                         "actieve coördinator.")), tag=None)
    return codes


Render = Callable[[str], Markup]  # a text in the recipient's language


async def user_locale(core: Core, session: AsyncSession, user_id: int) -> str:
    account = await session.get(Account, user_id)
    return account.locale if account else core.settings.default_locale


async def tell(core: Core, session: AsyncSession, user_id: int, now: datetime,
               render: Render,
               rows: Callable[[str], list[list[Button]]] | None = None) -> None:
    """Queue a message for another user, in their own language, with their buttons."""
    locale = await user_locale(core, session, user_id)
    buttons = rows(locale) if rows else []
    core._enqueue_raw(session, user_id, "send", {
        "text": render(locale), "buttons": [[[b.label, b.data] for b in row] for row in buttons],
        "locale": locale}, now)


def _person(core: Core, account: Account | None, locale: str) -> str:
    """Name, function and organisation from a profile, for the other side to see."""
    profile: dict[str, Any] = {}
    if account is not None and account.profile_sealed:
        profile = core.cipher.open_json(account.profile_sealed,
                                        f"account:{account.user_id}:profile")
    function = core.form.field("aanmelder_functie").option(profile.get("functie"))
    parts = [str(profile.get("naam") or core.tr.gettext(locale, N_("onbekende naam"))),
             core.tr.gettext(locale, function.label) if function and function.id != "anders"
             else str(profile.get("functie_anders") or ""),
             str(profile.get("organisatie") or "")]
    return ", ".join(p for p in parts if p)


async def redeem(core: Core, ctx: Ctx, token: str) -> bool:
    """``/start <token>``: make the user a coordinator. False if it is no invitation."""
    invitation = await ctx.session.get(Invitation, token_hash(token.strip()))
    if invitation is None:
        return False
    if invitation.used_at is not None or invitation.expires_at <= ctx.now:
        ctx.say(ctx.t(N_("Deze uitnodiging is al gebruikt of verlopen. Vraag de beheerder om "
                         "een nieuwe.")), tag=None)
        return True
    user = ctx.account.user_id
    invitation.used_at, invitation.used_by = ctx.now, user
    coordinator = await ctx.session.get(Coordinator, user)
    if coordinator is None:
        ctx.session.add(Coordinator(user_id=user, active=True, created_at=ctx.now))
        await ctx.session.flush()
    else:
        coordinator.active, coordinator.deactivated_at = True, None
    codes = [c for c in invitation.municipalities.split(",") if c]
    have = await coordinator_codes(ctx.session, user) if coordinator else set()
    for code in codes:
        if code not in have:
            ctx.session.add(CoordinatorMunicipality(user_id=user, code=code))
    await ctx.session.flush()
    audit(ctx, ctx.now, user, "coordinator_joined", detail=",".join(codes)[:80])
    names = ", ".join(core.directory.get(c).name if core.directory.get(c) else c  # type: ignore[union-attr]
                      for c in codes)
    ctx.say(ctx.t(N_("Welkom. Je bent nu Knooppuntcoördinator voor {names}. Nieuwe aanmeldingen "
                     "van deze gemeente(n) komen hier binnen."), names=names), tag=None)
    # Registrations that waited for a coordinator of these municipalities.
    waiting = (await ctx.session.execute(
        select(Registration).where(Registration.gemeente_code.in_(codes),
                                   Registration.notified_at.is_(None),
                                   Registration.status == "ingediend"))).scalars().all()
    for registration in waiting:
        await notify_coordinators(core, ctx.session, registration, ctx.now)
    return True


async def notify_coordinators(core: Core, session: AsyncSession, registration: Registration,
                              now: datetime) -> int:
    """Tell every active coordinator of the municipality; returns how many."""
    if registration.gemeente_code is None:
        return 0
    coordinators = await active_coordinators(session, registration.gemeente_code)
    if not coordinators:
        return 0
    data = core.cipher.open_json(registration.data_sealed, f"registration:{registration.id}")
    answers: dict[str, Any] = data["answers"]
    registrant = await session.get(Account, registration.owner_id)
    rid = registration.id
    for user in coordinators:
        await tell(core, session, user, now,
                   lambda loc: notification_text(core, loc, registration, answers, registrant),
                   lambda loc: [[Button("👁 " + core.tr.t(loc, N_("Bekijken")), f"r.view.{rid}"),
                                 Button("✋ " + core.tr.t(loc, N_("Oppakken")),
                                        f"r.take.{rid}")]])
        audit(session, now, user, "notified", registration.id)
    registration.notified_at = now
    return len(coordinators)


def notification_text(core: Core, locale: str, registration: Registration,
                      answers: dict[str, Any], registrant: Account | None) -> Markup:
    t = core.tr.t
    municipality = core.directory.get(registration.gemeente_code or "")
    urgent = answers.get("spoed") == "spoed"
    purposes = core.form.field("aanmelding_voor")
    shown = [
        "🔔 " + t(locale, N_("<b>Nieuwe aanmelding {reference}</b>"),
                  reference=registration.reference),
        t(locale, N_("Gemeente: {name}"), name=municipality.name if municipality else "—"),
        ("‼️ " + t(locale, N_("Spoed"))) if urgent else t(locale, N_("Kan wachten tot het "
                                                                   "volgende overleg")),
        t(locale, N_("Voor: {purposes}"), purposes=Markup(", ").join(
            t(locale, o.label) for o in purposes.options
            if o.id in (answers.get("aanmelding_voor") or []))),
    ]
    if answers.get("zwanger") is True and answers.get("vermoedelijke_bevallingsdatum"):
        due = datetime.fromisoformat(str(answers["vermoedelijke_bevallingsdatum"]))
        from babel.dates import format_date

        shown.append(t(locale, N_("Zwanger, uitgerekend in {month}"),
                       month=format_date(due.date(), "MMMM y", locale=locale)))
    elif answers.get("zwanger") is False:
        shown.append(t(locale, N_("Niet zwanger")))
    advice = advise(answers)
    shown.append("🧭 " + t(locale, advice.text))
    shown.append(t(locale, N_("Aangemeld door: {person}"),
                   person=_person(core, registrant, locale)))
    shown.append(t(locale, N_("Zonder gegevens van het gezin; die zie je met 'Bekijken'.")))
    return lines(*shown)


async def button(core: Core, ctx: Ctx, action: str, registration_id: str) -> None:
    """A press on a case button: checked, then done, then audited.

    The registrant may act on their own registration, a coordinator on the cases of
    their municipalities; anything else is refused and audited as such.
    """
    from . import casework

    registration = await ctx.session.get(Registration, registration_id)
    owner = registration is not None and registration.owner_id == ctx.account.user_id
    coordinator = registration is not None and registration.gemeente_code in \
        await coordinator_codes(ctx.session, ctx.account.user_id)
    mine = OWNER_ACTIONS + DIRECTOR_ACTIONS
    allowed = registration is not None and (
        (action in mine and owner) or (action == "case" and (owner or coordinator))
        or (action not in mine and action != "case" and coordinator))
    if registration is None or not allowed:
        audit(ctx, ctx.now, ctx.account.user_id, "refused", None, action[:20])
        ctx.note(ctx.t(N_("Dat kan ik niet tonen: deze aanmelding hoort niet bij jouw "
                          "gemeente(n), of je bent geen actieve coördinator.")))
        await core._reprompt(ctx)
        return
    final = registration.status in FINAL
    if action == "case":
        await casework.show_case(core, ctx, registration, as_coordinator=coordinator)
    elif action == "view":
        await _view(core, ctx, registration)
    elif action == "pdf":
        await _pdf(core, ctx, registration)
    elif final:
        ctx.say(ctx.t(N_("{reference} is al afgerond."), reference=registration.reference),
                tag=None)
    elif action == "take":
        await _take(core, ctx, registration)
    elif action in DIRECTOR_ACTIONS:
        from . import meetings

        await meetings.director_answer(core, ctx, registration, action)
    elif action in CASE_ACTIONS or action in OWNER_ACTIONS:
        await start_relay(core, ctx, action, registration)
    elif action == "refer":
        casework.refer_menu(core, ctx, registration)
    elif action == "rf-gemeente":
        casework.municipality_menu(core, ctx, registration)
    elif action.startswith("rf-") and action[3:] in casework.REFER_TO:
        await start_relay(core, ctx, "refer", registration, action[3:])
    elif action.startswith("rg-") and core.directory.get(action[3:]) is not None \
            and action[3:] != registration.gemeente_code:
        await start_relay(core, ctx, "refer", registration, "gemeente:" + action[3:])
    elif action in MEETING_ACTIONS:
        from . import guests, meetings

        await {"meet": meetings.start_planning, "mcancel": meetings.cancel_meeting,
               "fam": meetings.family_invitation, "pro": guests.guest_invitation,
               "held": meetings.start_outcome,
               "evdone": meetings.evaluation_done,
               "evlater": meetings.evaluation_later}[action](core, ctx, registration)
    else:
        await core._reprompt(ctx)


async def _view(core: Core, ctx: Ctx, registration: Registration) -> None:
    from .app import Walk

    data = core.cipher.open_json(registration.data_sealed, f"registration:{registration.id}")
    walk = Walk(core.form, data["answers"], "review", tag=None, kind="form")
    tag = f"v:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    hours = core.settings.view_ttl_hours
    parts = [ctx.t(N_("<b>Aanmelding {reference}</b> - dit bericht wis ik over {hours} uur."),
                   reference=registration.reference, hours=hours)]
    parts += [core.section_summary(ctx, walk, s, n)
              for n, s in enumerate(core.form.sections, start=1)]
    from .app import CHUNK_LIMIT

    for chunk in chunks(parts, CHUNK_LIMIT):
        ctx.say(chunk, tag=tag)
    ctx.later_deletes.append((tag, ctx.now + timedelta(hours=hours)))
    audit(ctx, ctx.now, ctx.account.user_id, "view", registration.id)


async def _pdf(core: Core, ctx: Ctx, registration: Registration) -> None:
    """The official copy as a PDF in the chat; removed again like a view."""
    hours = core.settings.view_ttl_hours
    tag = f"p:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    core._enqueue_raw(ctx.session, ctx.event.chat_id, "document", {
        "registration_id": registration.id, "locale": ctx.locale,
        "caption": ctx.t(N_("Officiële kopie van {reference}. Dit bestand wis ik over {hours} "
                            "uur uit de chat; sla het alleen op in een beveiligd systeem."),
                         reference=registration.reference, hours=hours)}, ctx.now, tag=tag)
    ctx.later_deletes.append((tag, ctx.now + timedelta(hours=hours)))
    audit(ctx, ctx.now, ctx.account.user_id, "export_pdf", registration.id)


async def _take(core: Core, ctx: Ctx, registration: Registration) -> None:
    me = ctx.account.user_id
    if registration.handler_id is not None and registration.handler_id != me:
        other = await ctx.session.get(Account, registration.handler_id)
        ctx.say(ctx.t(N_("{reference} is al opgepakt door {person}."),
                      reference=registration.reference,
                      person=_person(core, other, ctx.locale)), tag=None)
        return
    if registration.handler_id == me:
        ctx.say(ctx.t(N_("Je hebt {reference} al opgepakt."),
                      reference=registration.reference), tag=None)
        return
    registration.handler_id = me
    registration.status = "in_behandeling"
    registration.updated_at = ctx.now
    ctx.session.add(RegistrationEvent(registration_id=registration.id, status="in_behandeling",
                                      actor_id=me, at=ctx.now))
    audit(ctx, ctx.now, me, "take_on", registration.id)
    ctx.say(ctx.t(N_("Je hebt {reference} opgepakt. De aanmelder krijgt bericht."),
                  reference=registration.reference),
            case_buttons(core, ctx.locale, registration.id), tag=None)
    municipality = core.directory.get(registration.gemeente_code or "")
    # The registrant, in their own language.
    await tell(core, ctx.session, registration.owner_id, ctx.now, lambda loc: core.tr.t(
        loc, N_("Je aanmelding {reference} is opgepakt door {person}, Knooppuntcoördinator "
                "van {gemeente}. Status: in behandeling."),
        reference=registration.reference, person=_person(core, ctx.account, loc),
        gemeente=municipality.name if municipality else "—"))
    # The other coordinators see who took it.
    for user in await active_coordinators(ctx.session, registration.gemeente_code or ""):
        if user != me:
            await tell(core, ctx.session, user, ctx.now, lambda loc: core.tr.t(
                loc, N_("{reference} is opgepakt door {person}."),
                reference=registration.reference, person=_person(core, ctx.account, loc)))


async def queue_official_copy(core: Core, session: AsyncSession, registration: Registration,
                              now: datetime) -> bool:
    """Mail the official copy to the municipality's secure mailbox (via the outbox)."""
    from ..db.models import Municipality

    if not core.settings.smtp_host or registration.gemeente_code is None:
        return False
    municipality = await session.get(Municipality, registration.gemeente_code)
    if municipality is None or not municipality.mailbox:
        return False
    core._enqueue_raw(session, 0, "mail", {"registration_id": registration.id,
                                           "to": municipality.mailbox, "locale": "nl"}, now)
    audit(session, now, registration.owner_id, "mail_queued", registration.id)
    return True


async def alert_admins(core: Core, session: AsyncSession, registration: Registration,
                       now: datetime) -> None:
    """No active coordinator: the registration waits; administrators hear of it."""
    municipality = core.directory.get(registration.gemeente_code or "")
    name = municipality.name if municipality else registration.gemeente_code or "—"
    for admin in sorted(core.settings.admins):
        await tell(core, session, admin, now, lambda loc: core.tr.t(
            loc, N_("⚠️ Aanmelding {reference} voor {gemeente} wacht: deze gemeente heeft geen "
                    "actieve Knooppuntcoördinator in de bot. Nodig er een uit."),
            reference=registration.reference, gemeente=name))


# --------------------------------------------------------------- inside the case

MEETING_ACTIONS = ("meet", "mcancel", "fam", "pro", "held", "evdone", "evlater")
CASE_ACTIONS = ("ask", "close")  # a coordinator's, typed, on a case of their municipality
OWNER_ACTIONS = ("answer", "add", "withdraw")  # the registrant's, on their own registration
DIRECTOR_ACTIONS = ("evok", "evnew", "evsnooze")  # the registrant's, as case director
RELAY_MAX = 2000


def case_buttons(core: Core, locale: str, registration_id: str, *,
                 plan: bool = True) -> list[list[Button]]:
    """A coordinator's actions on an open case (``plan``: with "Overleg plannen")."""
    t = core.tr.t
    rid = registration_id
    rows = [[Button("❓ " + t(locale, N_("Vraag aan aanmelder")), f"r.ask.{rid}"),
             Button("📄 " + t(locale, N_("PDF")), f"r.pdf.{rid}")],
            [Button("➡️ " + t(locale, N_("Doorverwijzen")), f"r.refer.{rid}"),
             Button("✅ " + t(locale, N_("Afsluiten")), f"r.close.{rid}")]]
    if plan:
        rows.append([Button("📅 " + t(locale, N_("Overleg plannen")), f"r.meet.{rid}")])
    return rows


def owner_buttons(core: Core, locale: str, registration_id: str) -> list[list[Button]]:
    """The registrant's actions on their open registration."""
    t = core.tr.t
    rid = registration_id
    return [[Button("✍️ " + t(locale, N_("Antwoorden")), f"r.answer.{rid}"),
             Button("➕ " + t(locale, N_("Aanvullen")), f"r.add.{rid}")],
            [Button("↩️ " + t(locale, N_("Intrekken")), f"r.withdraw.{rid}")]]


async def start_relay(core: Core, ctx: Ctx, action: str, registration: Registration,
                      destination: str | None = None) -> None:
    """Ask for the text of a question, answer, supplement or reason."""
    from .casework import destination_label

    destination = destination or ctx.state.get("refer_to")
    prompts = {
        "ask": N_("Typ je vraag aan de aanmelder over {reference}."),
        "answer": N_("Typ je antwoord aan de coördinator over {reference}."),
        "close": N_("Waarom sluit je {reference} af? De aanmelder krijgt de status te zien, "
                    "niet je reden."),
        "withdraw": N_("Waarom trek je {reference} in? De coördinator krijgt je reden."),
        "add": N_("Typ wat je wilt toevoegen aan {reference}. Het gaat naar de coördinator."),
        "refer": N_("Waarom verwijs je {reference} door naar {destination}? De aanmelder "
                    "krijgt je reden te zien."),
    }
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "relay", action, None
    ctx.state.clear()
    ctx.state["relay"] = registration.id
    if action == "refer" and destination:
        ctx.state["refer_to"] = destination
    ctx.tag = None
    ctx.say(ctx.t(prompts[action], reference=registration.reference,
                  destination=destination_label(core, ctx.locale, destination)),
            [[ctx.btn(ctx.t(N_("Annuleren")), "menu:menu")]], tag=None)


async def relay_text(core: Core, ctx: Ctx) -> None:
    """The typed question/answer/reason: stored in the case and passed on."""
    from . import parsers

    action = ctx.conv.step
    registration = await ctx.session.get(Registration, ctx.state.get("relay", ""))
    destination = str(ctx.state.get("refer_to") or "")
    allowed = registration is not None and registration.status not in FINAL and (
        (action in (*CASE_ACTIONS, "refer") and registration.gemeente_code
         in await coordinator_codes(ctx.session, ctx.account.user_id))
        or (action in OWNER_ACTIONS and registration.owner_id == ctx.account.user_id))
    if registration is None or not allowed:
        ctx.state.clear()
        ctx.conv.flow, ctx.conv.step = "menu", ""
        ctx.say(ctx.t(N_("Dat kan niet (meer).")), tag=None)
        return
    try:
        text = parsers.parse_text(ctx.event.text, max_length=RELAY_MAX)
    except parsers.ParseError as exc:
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        await start_relay(core, ctx, action, registration)
        return
    me = ctx.account.user_id
    kind = {"ask": "question", "add": "supplement"}.get(action, action)
    ctx.session.add(CaseMessage(
        registration_id=registration.id, kind=kind, author_id=me, at=ctx.now,
        text_sealed=core.cipher.seal_json(text, f"case:{registration.id}")))
    if action != "refer":
        audit(ctx, ctx.now, me, action, registration.id)
    ctx.state.clear()
    ctx.conv.flow, ctx.conv.step = "menu", ""
    ref = registration.reference
    if action == "refer":
        from .casework import refer

        await refer(core, ctx, registration, destination or "anders", text)
    elif action == "add":
        from .casework import supplement

        await supplement(core, ctx, registration, text)
    elif action == "ask":
        if registration.handler_id is None:
            registration.handler_id = me
        await _send(core, ctx, registration.owner_id, lambda loc: core.tr.t(
            loc, N_("Vraag van {person} over je aanmelding {reference}:"),
            person=_person(core, ctx.account, loc), reference=ref) + "\n\n" + quote(text),
            owner_buttons, registration.id)
        ctx.say(ctx.t(N_("Je vraag is doorgestuurd naar de aanmelder.")), tag=None)
    elif action == "answer":
        targets = await _coordinator_side(ctx.session, registration)
        registrant = ctx.account
        for target in targets:
            await _send(core, ctx, target, lambda loc: core.tr.t(
                loc, N_("Antwoord van {person} over {reference}:"),
                person=_person(core, registrant, loc), reference=ref) + "\n\n" + quote(text),
                case_buttons, registration.id)
        ctx.say(ctx.t(N_("Je antwoord is doorgestuurd naar de coördinator.")), tag=None)
    elif action in ("close", "withdraw"):
        status = "afgesloten" if action == "close" else "ingetrokken"
        registration.status, registration.updated_at = status, ctx.now
        ctx.session.add(RegistrationEvent(registration_id=registration.id, status=status,
                                          actor_id=me, at=ctx.now))
        if action == "close":
            await _send(core, ctx, registration.owner_id, lambda loc: core.tr.t(
                loc, N_("Je aanmelding {reference} is afgesloten door de coördinator."),
                reference=ref), None, registration.id)
            ctx.say(ctx.t(N_("{reference} is afgesloten. De aanmelder krijgt bericht."),
                          reference=ref), tag=None)
        else:
            targets = await _coordinator_side(ctx.session, registration)
            for target in targets:
                await _send(core, ctx, target, lambda loc: core.tr.t(
                    loc, N_("De aanmelder heeft {reference} ingetrokken. Reden:"),
                    reference=ref) + "\n\n" + quote(text), None,
                    registration.id)
            ctx.say(ctx.t(N_("Je aanmelding {reference} is ingetrokken."), reference=ref),
                    tag=None)


async def _coordinator_side(session: AsyncSession, registration: Registration) -> list[int]:
    """Who hears the registrant: the coordinator who took the case, else all of them."""
    if registration.handler_id is not None:
        return [registration.handler_id]
    return await active_coordinators(session, registration.gemeente_code or "")


def quote(text: str) -> Markup:
    """Someone's own words inside a bot message: escaped, in italics."""
    return italic(text)


async def _send(core: Core, ctx: Ctx, user_id: int, render: Render,
                buttons: Callable[[Core, str, str], list[list[Button]]] | None,
                registration_id: str) -> None:
    rows = (lambda loc: buttons(core, loc, registration_id)) if buttons else None
    await tell(core, ctx.session, user_id, ctx.now, render, rows)
