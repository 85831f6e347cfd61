"""Professionals on the bot at the Knooppuntoverleg.

The coordinator makes a one-time link for a case (*Uitnodiging voor een professional*)
and sends it to the professional by their own channel (secure mail, in person). Whoever
opens it in the bot (``/start p_<token>``) joins the case's meetings: they get the
invitation, the reminders (as the family does: two days and two hours before), a move
or a cancellation, and after the meeting the action and decision list - the reference,
date, time and place, never the family's details. The coordinator is told who joined.
The token is random (144 bits), stored only as a hash, single use, and expires; the
link leaves the coordinator's chat after a day.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..db.models import CaseGuest, Meeting, Registration
from ..i18n import N_
from ..text import Markup, lines
from .handoff import _coordinator_side, _person, audit, tell

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from .app import Core, Ctx

GUEST_PREFIX = "p_"  # + 24 characters (meetings.one_time_link) fits a start parameter


async def guests(session: AsyncSession, registration_id: str) -> list[int]:
    """The professionals who joined a case's meetings through their link."""
    return sorted({int(u) for u in (await session.execute(
        select(CaseGuest.user_id).where(CaseGuest.registration_id == registration_id,
                                        CaseGuest.joined_at.is_not(None)))).scalars()
        if u is not None})


async def guest_invitation(core: Core, ctx: Ctx, registration: Registration) -> None:
    """The coordinator's button: a one-time link for a professional."""
    from .meetings import _hash, one_time_link

    token, link = one_time_link(core, GUEST_PREFIX)
    days = core.settings.invitation_ttl_days
    ctx.session.add(CaseGuest(id=str(uuid.uuid4()), registration_id=registration.id,
                              token_hash=_hash(token), invited_by=ctx.account.user_id,
                              created_at=ctx.now, expires_at=ctx.now + timedelta(days=days)))
    audit(ctx, ctx.now, ctx.account.user_id, "guest_invitation", registration.id)
    tag = f"pro:{token[:8]}"
    ctx.say(ctx.t(N_("Uitnodiging voor een professional bij het overleg over {reference}, "
                     "{days} dagen geldig, één keer te gebruiken. Stuur de link naar de "
                     "professional, bijvoorbeeld per beveiligde mail. In de bot krijgt die "
                     "de uitnodiging, de herinneringen en de actie- en besluitenlijst, zonder "
                     "gegevens van het gezin."),
                  reference=registration.reference, days=days) + "\n\n" + link, tag=tag)
    ctx.later_deletes.append((tag, ctx.now + timedelta(days=1)))


async def redeem_guest(core: Core, ctx: Ctx, token: str) -> None:
    """``/start p_<token>``: the professional joins the case's meetings."""
    from .meetings import _details, _hash, current_meeting, schedule_reminders, when_text

    guest = (await ctx.session.execute(select(CaseGuest).where(
        CaseGuest.token_hash == _hash(token)))).scalar_one_or_none()
    registration = (await ctx.session.get(Registration, guest.registration_id)
                    if guest is not None else None)
    if guest is None or registration is None or guest.expires_at <= ctx.now or (
            guest.user_id is not None and guest.user_id != ctx.account.user_id):
        ctx.say(ctx.t(N_("Deze uitnodiging werkt niet (meer). Vraag de coördinator om een "
                         "nieuwe.")), tag=None)
        return
    first_time = guest.user_id is None
    guest.user_id, guest.joined_at = ctx.account.user_id, guest.joined_at or ctx.now
    if first_time:
        audit(ctx, ctx.now, ctx.account.user_id, "guest_joined", registration.id)
        reference, person = registration.reference, ctx.account
        for target in {guest.invited_by, *await _coordinator_side(ctx.session, registration)}:
            await tell(core, ctx.session, target, ctx.now, lambda loc: "🧑‍⚕️ " + core.tr.t(
                loc, N_("{person} doet via de bot mee aan het Knooppuntoverleg over "
                        "{reference}."), person=_person(core, person, loc),
                reference=reference))
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is not None and meeting.status == "planned" and meeting.starts_at > ctx.now:
        place = _details(core, meeting).get("plaats") or "—"
        ctx.say(ctx.t(N_("Je bent uitgenodigd voor het Knooppuntoverleg over {reference}: "
                         "{when}, {place}."), reference=registration.reference,
                      when=when_text(core, ctx.locale, meeting.starts_at), place=place),
                tag=None)
        if first_time:
            schedule_reminders(core, ctx.session, meeting, ctx.account.user_id, ctx.now)
    else:
        ctx.say(ctx.t(N_("Je doet mee aan het Knooppuntoverleg over {reference}. Zodra het "
                         "gepland is, krijg je hier de uitnodiging."),
                      reference=registration.reference), tag=None)


async def tell_guests(core: Core, session: AsyncSession, registration: Registration,
                      meeting: Meeting, now: datetime, what: str,
                      outcome: dict[str, Any] | None = None) -> list[int]:
    """Tell every professional who joined: ``what`` is "planned", "moved", "cancelled",
    "reminder" or "held" (with the action and decision list). Returns who was told."""
    from .meetings import _details, outcome_text, when_text

    place = _details(core, meeting).get("plaats") or "—"
    reference, t = registration.reference, core.tr.t
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
                             when=when_text(core, loc, meeting.starts_at), place=place)
            if what == "held" and outcome is not None:
                text = lines(text, "", outcome_text(core, loc, registration, meeting, outcome))
            return text

        await tell(core, session, user, now, render)
    return told


async def is_guest(session: AsyncSession, registration_id: str, user_id: int) -> bool:
    return user_id in await guests(session, registration_id)
