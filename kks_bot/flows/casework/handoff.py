"""The hand-off: a submitted registration reaches the Knooppuntcoördinatoren of the
family's municipality, who can view it and take it on; the registrant hears of it.

Coordinators join with a one-time invitation (``/start <token>``; only the token's
SHA-256 is stored). Notifications carry no family details: reference, municipality,
urgency, what it is for, pregnancy and due month, the triage advice, and who
registered it. Their buttons carry the registration id only ("r.<action>.<id>"),
and every press is checked first (access.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from babel.dates import format_date
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...cases import CASE, case_buttons
from ...db.models import (
    Account,
    Municipality,
    Registration,
    RegistrationEvent,
)
from ...forms.display import section_summary
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Ctx, Env
from ...kernel.events import Button
from ...people import active_coordinators, person
from ...text import Markup, chunks, lines
from ...triage import advise

CHUNK_LIMIT = 3500  # a message's text, with room to spare under Telegram's 4,096


async def hand_off(ctx: Ctx, args: dict[str, Any]) -> bool:
    """The registration flow's submit: tell the coordinators, mail the official copy, and
    alert the administrators when nobody could be told. True: a coordinator was told."""
    registration: Registration = args["registration"]
    delivered = await notify_coordinators(ctx.env, ctx.session, registration, ctx.now)
    await queue_official_copy(ctx.env, ctx.session, registration, ctx.now)
    if not delivered:
        await alert_admins(ctx.env, ctx.session, registration, ctx.now)
    return bool(delivered)


async def notify_coordinators(env: Env, session: AsyncSession, registration: Registration,
                              now: datetime) -> int:
    """Tell every active coordinator of the municipality; returns how many."""
    if registration.gemeente_code is None:
        return 0
    coordinators = await active_coordinators(session, registration.gemeente_code)
    if not coordinators:
        return 0
    data = env.cipher.open_json(registration.data_sealed, f"registration:{registration.id}")
    answers: dict[str, Any] = data["answers"]
    registrant = await session.get(Account, registration.owner_id)
    rid = registration.id
    for user in coordinators:
        await env.tell(
            session, user, now,
            lambda loc: notification_text(env, loc, registration, answers, registrant),
            lambda loc: [[Button("👁 " + env.tr.t(loc, N_("Bekijken")), routed(CASE, "view", rid)),
                          Button("✋ " + env.tr.t(loc, N_("Oppakken")),
                                 routed(CASE, "take", rid))]])
        audit(session, now, user, "notified", registration.id)
    registration.notified_at = now
    return len(coordinators)


def notification_text(env: Env, locale: str, registration: Registration,
                      answers: dict[str, Any], registrant: Account | None) -> Markup:
    """What a coordinator reads of a new registration: no family details."""
    t = env.tr.t
    municipality = env.directory.get(registration.gemeente_code or "")
    urgent = env.form.urgent is not None and env.form.urgent.holds(answers)
    purposes = env.form.field("aanmelding_voor")
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
        shown.append(t(locale, N_("Zwanger, uitgerekend in {month}"),
                       month=format_date(due.date(), "MMMM y", locale=locale)))
    elif answers.get("zwanger") is False:
        shown.append(t(locale, N_("Niet zwanger")))
    advice = advise(answers)
    shown.append("🧭 " + t(locale, advice.text))
    shown.append(t(locale, N_("Aangemeld door: {person}"),
                   person=person(env, registrant, locale)))
    shown.append(t(locale, N_("Zonder gegevens van het gezin; die zie je met 'Bekijken'.")))
    return lines(*shown)


async def view(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The whole registration by section, in the chat for a few hours."""
    data = ctx.env.cipher.open_json(registration.data_sealed,
                                    f"registration:{registration.id}")
    tag = f"v:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    hours = ctx.env.settings.view_ttl_hours
    parts = [ctx.t(N_("<b>Aanmelding {reference}</b> - dit bericht wis ik over {hours} uur."),
                   reference=registration.reference, hours=hours)]
    parts += [section_summary(ctx, data["answers"], s, n)
              for n, s in enumerate(ctx.env.form.sections, start=1)]
    for chunk in chunks(parts, CHUNK_LIMIT):
        ctx.say(chunk, tag=tag)
    ctx.delete_later(tag, ctx.now + timedelta(hours=hours))
    audit(ctx.session, ctx.now, ctx.account.user_id, "view", registration.id)


async def pdf(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The official copy as a PDF in the chat; removed again like a view."""
    hours = ctx.env.settings.view_ttl_hours
    tag = f"p:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    ctx.enqueue(ctx.event.chat_id, "document", {
        "registration_id": registration.id, "locale": ctx.locale,
        "caption": ctx.t(N_("Officiële kopie van {reference}. Dit bestand wis ik over {hours} "
                            "uur uit de chat; sla het alleen op in een beveiligd systeem."),
                         reference=registration.reference, hours=hours)}, tag=tag)
    ctx.delete_later(tag, ctx.now + timedelta(hours=hours))
    audit(ctx.session, ctx.now, ctx.account.user_id, "export_pdf", registration.id)


async def take(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """A coordinator takes the case on; the registrant and the other coordinators hear."""
    env, me = ctx.env, ctx.account.user_id
    if registration.handler_id is not None and registration.handler_id != me:
        other = await ctx.session.get(Account, registration.handler_id)
        ctx.say(ctx.t(N_("{reference} is al opgepakt door {person}."),
                      reference=registration.reference,
                      person=person(env, other, ctx.locale)), tag=None)
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
    audit(ctx.session, ctx.now, me, "take_on", registration.id)
    ctx.say(ctx.t(N_("Je hebt {reference} opgepakt. De aanmelder krijgt bericht."),
                  reference=registration.reference),
            case_buttons(env, ctx.locale, registration.id), tag=None)
    municipality = env.directory.get(registration.gemeente_code or "")
    # The registrant, in their own language.
    await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
        loc, N_("Je aanmelding {reference} is opgepakt door {person}, Knooppuntcoördinator "
                "van {gemeente}. Status: in behandeling."),
        reference=registration.reference, person=person(env, ctx.account, loc),
        gemeente=municipality.name if municipality else "—"))
    # The other coordinators see who took it.
    for user in await active_coordinators(ctx.session, registration.gemeente_code or ""):
        if user != me:
            await ctx.tell(user, lambda loc: env.tr.t(
                loc, N_("{reference} is opgepakt door {person}."),
                reference=registration.reference, person=person(env, ctx.account, loc)),
                coordinator_of=registration.gemeente_code or "")


async def queue_official_copy(env: Env, session: AsyncSession, registration: Registration,
                              now: datetime) -> bool:
    """Mail the official copy to the municipality's secure mailbox (via the outbox)."""
    if not env.settings.smtp_host or registration.gemeente_code is None:
        return False
    municipality = await session.get(Municipality, registration.gemeente_code)
    if municipality is None or not municipality.mailbox:
        return False
    env.enqueue(session, 0, "mail", {"registration_id": registration.id,
                                     "to": municipality.mailbox, "locale": "nl"}, now)
    audit(session, now, registration.owner_id, "mail_queued", registration.id)
    return True


async def alert_admins(env: Env, session: AsyncSession, registration: Registration,
                       now: datetime) -> None:
    """No active coordinator: the registration waits; administrators hear of it."""
    municipality = env.directory.get(registration.gemeente_code or "")
    name = municipality.name if municipality else registration.gemeente_code or "—"
    for admin in sorted(env.settings.admins):
        await env.tell(session, admin, now, lambda loc: env.tr.t(
            loc, N_("⚠️ Aanmelding {reference} voor {gemeente} wacht: deze gemeente heeft geen "
                    "actieve Knooppuntcoördinator in de bot. Nodig er een uit."),
            reference=registration.reference, gemeente=name))
