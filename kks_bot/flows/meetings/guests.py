"""Professionals at a case's meetings through the bot: a one-time link from the
coordinator (``/start p_<token>``); they get the invitation, moves, cancellation,
reminders and, after the meeting, the action and decision list - never the registration
itself. The coordinator hears who joined."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...cases import current_meeting, when_text
from ...db.models import CaseGuest, Meeting, Registration
from ...i18n import N_, NP_
from ...kernel.context import Ctx, Env, Redeemed
from ...people import coordinator_side, person
from ...text import Markup, lines
from ...tokens import one_time_link, token_hash
from .common import GUEST_PREFIX, details, outcome_text, schedule_reminders


async def guests(session: AsyncSession, registration_id: str) -> list[int]:
    """The professionals who joined a case's meetings through their link."""
    return sorted({int(u) for u in (await session.execute(
        select(CaseGuest.user_id).where(CaseGuest.registration_id == registration_id,
                                        CaseGuest.joined_at.is_not(None)))).scalars()
        if u is not None})


async def is_guest(session: AsyncSession, registration_id: str, user_id: int) -> bool:
    return user_id in await guests(session, registration_id)


async def guest_invitation(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """The coordinator's button: a one-time link for a professional."""
    token, link = one_time_link(ctx.env.settings, GUEST_PREFIX)
    days = ctx.env.settings.invitation_ttl_days
    ctx.session.add(CaseGuest(id=str(uuid.uuid4()), registration_id=registration.id,
                              token_hash=token_hash(token), invited_by=ctx.account.user_id,
                              created_at=ctx.now, expires_at=ctx.now + timedelta(days=days)))
    audit(ctx.session, ctx.now, ctx.account.user_id, "guest_invitation", registration.id)
    tag = f"pro:{token[:8]}"
    ctx.say(ctx.tn(NP_("Uitnodiging voor een professional bij het overleg over {reference}, "
                       "{n} dag geldig, één keer te gebruiken. Stuur de link naar de "
                       "professional, bijvoorbeeld per beveiligde mail. In de bot krijgt die "
                       "de uitnodiging, de herinneringen en de actie- en besluitenlijst, zonder "
                       "gegevens van het gezin.",
                       "Uitnodiging voor een professional bij het overleg over {reference}, "
                       "{n} dagen geldig, één keer te gebruiken. Stuur de link naar de "
                       "professional, bijvoorbeeld per beveiligde mail. In de bot krijgt die "
                       "de uitnodiging, de herinneringen en de actie- en besluitenlijst, zonder "
                       "gegevens van het gezin."),
                   days, reference=registration.reference) + "\n\n" + link, tag=tag)
    ctx.delete_later(tag, ctx.now + timedelta(days=1))


async def redeem_guest(ctx: Ctx, token: str) -> Redeemed:
    """``/start p_<token>``: the professional joins the case's meetings."""
    if not token.startswith(GUEST_PREFIX):
        return Redeemed.NOT_MINE
    env = ctx.env
    guest = (await ctx.session.execute(select(CaseGuest).where(
        CaseGuest.token_hash == token_hash(token[len(GUEST_PREFIX):])))).scalar_one_or_none()
    registration = (await ctx.session.get(Registration, guest.registration_id)
                    if guest is not None else None)
    if guest is None or registration is None or guest.expires_at <= ctx.now or (
            guest.user_id is not None and guest.user_id != ctx.account.user_id):
        ctx.say(ctx.t(N_("Deze uitnodiging werkt niet (meer). Vraag de coördinator om een "
                         "nieuwe.")), tag=None)
        return Redeemed.WHO_ARE_YOU
    first_time = guest.user_id is None
    guest.user_id, guest.joined_at = ctx.account.user_id, guest.joined_at or ctx.now
    if first_time:
        audit(ctx.session, ctx.now, ctx.account.user_id, "guest_joined", registration.id)
        reference, joined = registration.reference, ctx.account
        for target in {guest.invited_by, *await coordinator_side(ctx.session, registration)}:
            await ctx.tell(target, lambda loc: "🧑‍⚕️ " + env.tr.t(
                loc, N_("{person} doet via de bot mee aan het Knooppuntoverleg over "
                        "{reference}."), person=person(env, joined, loc),
                reference=reference), coordinator_of=registration.gemeente_code or "")
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is not None and meeting.status == "planned" and meeting.starts_at > ctx.now:
        place = details(env, meeting).get("plaats") or "—"
        ctx.say(ctx.t(N_("Je bent uitgenodigd voor het Knooppuntoverleg over {reference}: "
                         "{when}, {place}."), reference=registration.reference,
                      when=when_text(env, ctx.locale, meeting.starts_at), place=place),
                tag=None)
        if first_time:
            schedule_reminders(env, ctx.session, meeting, ctx.account.user_id, ctx.now)
    else:
        ctx.say(ctx.t(N_("Je doet mee aan het Knooppuntoverleg over {reference}. Zodra het "
                         "gepland is, krijg je hier de uitnodiging."),
                      reference=registration.reference), tag=None)
    return Redeemed.WHO_ARE_YOU


async def tell_guests(env: Env, session: AsyncSession, registration: Registration,
                      meeting: Meeting, now: datetime, what: str,
                      outcome: dict[str, Any] | None = None) -> list[int]:
    """Tell every professional who joined: ``what`` is "planned", "moved", "cancelled",
    "reminder" or "held" (with the action and decision list). Returns who was told."""
    place = details(env, meeting).get("plaats") or "—"
    reference, t = registration.reference, env.tr.t
    messages = {
        "planned": N_("Je bent uitgenodigd voor het Knooppuntoverleg over {reference}: "
                      "{when}, {place}."),
        "moved": N_("Het Knooppuntoverleg over {reference} is verplaatst naar {when}, "
                    "{place}."),
        "cancelled": N_("Het Knooppuntoverleg over {reference} van {when} gaat niet door."),
        "reminder": N_("Herinnering: Knooppuntoverleg over {reference}: {when}, {place}."),
        "held": N_("Het Knooppuntoverleg over {reference} heeft plaatsgevonden."),
    }
    told = await guests(session, registration.id)
    for user in told:
        def render(loc: str) -> Markup:
            text = "📅 " + t(loc, messages[what], reference=reference,
                             when=when_text(env, loc, meeting.starts_at), place=place)
            if what == "held" and outcome is not None:
                text = lines(text, "", outcome_text(env, loc, registration, meeting, outcome))
            return text

        await env.tell(session, user, now, render, expires=env.chat_ttl)
    return told
