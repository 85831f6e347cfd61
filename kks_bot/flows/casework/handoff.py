"""The hand-off: a submitted registration reaches the Knooppuntcoördinatoren of the
family's municipality, who can view it and take it on; the registrant hears of it.

Notifications carry no family details: reference, municipality, urgency and who
registered it. Their buttons carry the registration id only ("r.<action>.<id>"), and
every press is checked first (cases.guard). With a web address the registration and its
PDF open in the Mini App; without one they are shown in the chat after the PIN, and
deleted again after ``KKS_VIEW_TTL_HOURS``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

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
from ...i18n import N_, NP_
from ...kernel.buttons import routed, web_app
from ...kernel.context import Ctx, Env
from ...kernel.events import Button
from ...people import active_coordinators, person
from ...text import Markup, chunks, lines
from . import pin

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
            lambda loc: [[notification_view(env, loc, rid),
                          Button("✋ " + env.tr.t(loc, N_("Oppakken")),
                                 routed(CASE, "take", rid))]],
            coordinator_of=registration.gemeente_code)
        audit(session, now, user, "notified", registration.id)
    registration.notified_at = now
    return len(coordinators)


def notification_view(env: Env, locale: str, registration_id: str) -> Button:
    """"Bekijken": the Mini App where there is one, else the view in the chat."""
    label = "👁 " + env.tr.t(locale, N_("Bekijken"))
    if env.settings.web_url:
        return Button(label, web_app(app_link(env, f"case/{registration_id}")))
    return Button(label, routed(CASE, "view", registration_id))


def notification_text(env: Env, locale: str, registration: Registration,
                      answers: dict[str, Any], registrant: Account | None) -> Markup:
    """What a coordinator reads of a new registration: reference, municipality, urgency
    and who registered it. Nothing of the family (not even pregnancy or the advice)."""
    t = env.tr.t
    municipality = env.directory.get(registration.gemeente_code or "")
    urgent = env.form.urgent is not None and env.form.urgent.holds(answers)
    return lines(
        "🔔 " + t(locale, N_("<b>Nieuwe aanmelding {reference}</b>"),
                  reference=registration.reference),
        t(locale, N_("Gemeente: {name}"), name=municipality.name if municipality else "—"),
        ("‼️ " + t(locale, N_("Spoed"))) if urgent else t(locale, N_("Kan wachten tot het "
                                                                   "volgende overleg")),
        t(locale, N_("Aangemeld door: {person}"), person=person(env, registrant, locale)),
        t(locale, N_("Zonder gegevens van het gezin; die zie je met 'Bekijken'.")))


def app_link(env: Env, to: str) -> str:
    """The Mini App's address that opens ``to`` (Telegram adds the launch data)."""
    return f"{env.settings.web_url}/?to={to}"


def open_in_app(ctx: Ctx, registration: Registration, to: str) -> None:
    """Case content lives in the Mini App: a button that opens it there."""
    ctx.say(ctx.t(N_("{reference} open je in de app, achter je PIN. Zo komt niets van het "
                     "gezin in deze chat."), reference=registration.reference),
            [[Button("📂 " + ctx.t(N_("Openen in de app")),
                     web_app(app_link(ctx.env, to)))]], tag=None)


async def view(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The whole registration by section: in the Mini App; without a web address in the
    chat for a few hours, after the PIN."""
    if ctx.env.settings.web_url:
        open_in_app(ctx, registration, f"case/{registration.id}")
        return
    if not await pin.unlocked(ctx):
        await pin.ask(ctx, "view", registration.id)
        return
    data = ctx.env.cipher.open_json(registration.data_sealed,
                                    f"registration:{registration.id}")
    tag = f"v:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    hours = ctx.env.settings.view_ttl_hours
    parts = [ctx.tn(NP_("<b>Aanmelding {reference}</b> - dit bericht wis ik over {n} uur.",
                        "<b>Aanmelding {reference}</b> - dit bericht wis ik over {n} uur."),
                    hours, reference=registration.reference)]
    parts += [section_summary(ctx, data["answers"], s, n)
              for n, s in enumerate(ctx.env.form.sections, start=1)]
    for chunk in chunks(parts, CHUNK_LIMIT):
        ctx.say(chunk, tag=tag)
    ctx.delete_later(tag, ctx.now + timedelta(hours=hours))
    audit(ctx.session, ctx.now, ctx.account.user_id, "view", registration.id)


async def pdf(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The official copy as a PDF: in the Mini App; without a web address in the chat,
    after the PIN, removed again like a view."""
    if ctx.env.settings.web_url:
        open_in_app(ctx, registration, f"case/{registration.id}/pdf")
        return
    if not await pin.unlocked(ctx):
        await pin.ask(ctx, "pdf", registration.id)
        return
    hours = ctx.env.settings.view_ttl_hours
    tag = f"p:{registration.id[:8]}:{int(ctx.now.timestamp())}"
    ctx.enqueue(ctx.event.chat_id, "document", {
        "registration_id": registration.id, "locale": ctx.locale,
        "caption": ctx.tn(NP_("Officiële kopie van {reference}. Dit bestand wis ik over {n} "
                              "uur uit de chat; sla het alleen op in een beveiligd systeem.",
                              "Officiële kopie van {reference}. Dit bestand wis ik over {n} "
                              "uur uit de chat; sla het alleen op in een beveiligd systeem."),
                          hours, reference=registration.reference)}, tag=tag)
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
