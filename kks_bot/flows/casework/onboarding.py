"""Coordinators come and go: a one-time invitation, an administrator's approval, and
deactivation that ends everything at once.

* ``/start <token>`` redeems an invitation: nothing reaches the account yet. The
  administrators get the request with the Telegram name, @username and id, and approve or
  reject it (routed buttons ``co.ok.<id>`` / ``co.no.<id>``, or ``kks-bot admin approve``).
* An approval binds the municipalities the invitation names: a new or deactivated
  coordinator gets exactly those, an active one gets them added.
* Deactivation: no further message of any kind reaches that account (every send to the
  coordinator side is checked again when it goes out), pending messages are dropped,
  views and relayed texts still in the chat are deleted now, sessions end, nudges are
  cancelled, and the cases they held go back to the municipality's other coordinators.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...cases import CASE, FINAL
from ...db.models import (
    AccessSession,
    Account,
    Coordinator,
    CoordinatorMunicipality,
    Invitation,
    Outbox,
    Registration,
    ScheduledMessage,
)
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Ctx, Env, Redeemed
from ...kernel.events import Button
from ...people import active_coordinators, coordinator_codes, person
from ...roles import is_admin, refuse
from ...text import Markup, lines
from ...tokens import token_hash
from . import handoff

#: The prefix of the approval buttons.
APPROVAL = "co"
REQUEST_ID = 24  # hex characters of the invitation's hash that name a request (96 bits)


def codes_of(invitation: Invitation) -> list[str]:
    return [c for c in invitation.municipalities.split(",") if c]


def names_of(env: Env, locale: str, codes: list[str]) -> Markup:
    """The municipalities' names, joined as the reader's language joins a list."""
    return env.tr.format_list(locale, (m.name if (m := env.directory.get(c)) else c
                                       for c in codes))


def identity(env: Env, invitation: Invitation) -> dict[str, str]:
    """The name and @username Telegram gave when the invitation was redeemed."""
    if not invitation.identity_sealed:
        return {}
    found: dict[str, str] = env.cipher.open_json(invitation.identity_sealed,
                                                 f"invitation:{invitation.token_hash}")
    return found


async def redeem(ctx: Ctx, token: str) -> Redeemed:
    """``/start <token>``: a request to become a coordinator, if it is an invitation."""
    invitation = await ctx.session.get(Invitation, token_hash(token.strip()))
    if invitation is None:
        return Redeemed.NOT_MINE
    if invitation.used_at is not None or invitation.expires_at <= ctx.now:
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused", None, "invitation")
        ctx.say(ctx.t(N_("Deze uitnodiging is al gebruikt of verlopen. Vraag de beheerder om "
                         "een nieuwe.")), tag=None)
        return Redeemed.WHO_ARE_YOU
    env, user, event = ctx.env, ctx.account.user_id, ctx.event
    invitation.used_at, invitation.used_by = ctx.now, user
    invitation.identity_sealed = env.cipher.seal_json(
        {"name": event.sender_name[:120], "username": event.sender_username[:64]},
        f"invitation:{invitation.token_hash}")
    codes = codes_of(invitation)
    audit(ctx.session, ctx.now, user, "coordinator_requested", detail=",".join(codes)[:80])
    ctx.say(ctx.t(N_("Dank je. Een beheerder keurt je account eerst goed. Daarna komen de "
                     "aanmeldingen van {names} hier binnen; je krijgt bericht."),
                  names=names_of(env, ctx.locale, codes)), tag=None)
    for admin in sorted(env.settings.admins):
        await env.tell(ctx.session, admin, ctx.now,
                       lambda loc: request_text(env, loc, invitation),
                       lambda loc: request_buttons(env, loc, invitation))
    return Redeemed.WHO_ARE_YOU


def request_text(env: Env, locale: str, invitation: Invitation) -> Markup:
    """What an administrator sees of a request: who Telegram says it is, for where."""
    found = identity(env, invitation)
    username = found.get("username")
    return lines(
        "🆕 " + env.tr.t(locale, N_("<b>Aanvraag: Knooppuntcoördinator voor {names}</b>"),
                        names=names_of(env, locale, codes_of(invitation))),
        env.tr.t(locale, N_("Naam in Telegram: {name}"), name=found.get("name") or "—"),
        env.tr.t(locale, N_("Gebruikersnaam: {username}"),
                 username="@" + username if username else "—"),
        env.tr.t(locale, N_("Telegram-id: {id}"), id=str(invitation.used_by)),
        env.tr.t(locale, N_("Keur alleen goed als je zeker weet dat dit de coördinator is "
                            "die je uitnodigde.")))


def request_buttons(env: Env, locale: str, invitation: Invitation) -> list[list[Button]]:
    rid = invitation.token_hash[:REQUEST_ID]
    return [[Button("✅ " + env.tr.t(locale, N_("Goedkeuren")), routed(APPROVAL, "ok", rid)),
             Button("✖️ " + env.tr.t(locale, N_("Afwijzen")), routed(APPROVAL, "no", rid))]]


async def pending_requests(session: AsyncSession) -> list[Invitation]:
    return list((await session.execute(
        select(Invitation).where(Invitation.used_at.is_not(None),
                                 Invitation.decided_at.is_(None))
        .order_by(Invitation.used_at))).scalars())


async def guard(ctx: Ctx, action: str, request_id: str, _policy: Any) -> Any:
    """The pending request, when an administrator pressed; else refused and audited."""
    found = None
    if is_admin(ctx) and len(request_id) == REQUEST_ID:
        found = (await ctx.session.execute(select(Invitation).where(
            Invitation.token_hash.startswith(request_id)))).scalars().first()
    if found is None:
        refuse(ctx, "approval")
        return None
    if found.decided_at is not None:
        ctx.say(ctx.t(N_("Over deze aanvraag is al besloten.")), tag=None)
        return None
    return found


async def approve_pressed(ctx: Ctx, invitation: Invitation, _arg: str = "") -> None:
    await approve(ctx.env, ctx.session, invitation, ctx.account.user_id, ctx.now)
    ctx.say(ctx.t(N_("Goedgekeurd: {name} is nu coördinator voor {names}."),
                  name=identity(ctx.env, invitation).get("name") or str(invitation.used_by),
                  names=names_of(ctx.env, ctx.locale, codes_of(invitation))), tag=None)


async def reject_pressed(ctx: Ctx, invitation: Invitation, _arg: str = "") -> None:
    await reject(ctx.env, ctx.session, invitation, ctx.account.user_id, ctx.now)
    ctx.say(ctx.t(N_("Afgewezen. Die persoon krijgt niets te zien.")), tag=None)


async def approve(env: Env, session: AsyncSession, invitation: Invitation, admin: int,
                  now: datetime) -> None:
    """Make the requester a coordinator of exactly the invitation's municipalities (added
    to those of a coordinator who is active now), and send what waited for them."""
    assert invitation.used_by is not None
    user, codes = invitation.used_by, codes_of(invitation)
    invitation.decided_at, invitation.decided_by, invitation.approved = now, admin, True
    coordinator = await session.get(Coordinator, user)
    if coordinator is None:
        session.add(Coordinator(user_id=user, active=True, created_at=now))
        await session.flush()
    elif not coordinator.active:  # a re-invitation: only what it names
        coordinator.active, coordinator.deactivated_at = True, None
        await session.execute(delete(CoordinatorMunicipality)
                              .where(CoordinatorMunicipality.user_id == user))
    have = await coordinator_codes(session, user) if coordinator and coordinator.active \
        else set()
    for code in codes:
        if code not in have:
            session.add(CoordinatorMunicipality(user_id=user, code=code))
    await session.flush()
    audit(session, now, admin, "coordinator_approved", detail=f"{user}:{','.join(codes)}"[:80])
    await env.tell(session, user, now, lambda loc: env.tr.t(
        loc, N_("Welkom. Je bent nu Knooppuntcoördinator voor {names}. Nieuwe aanmeldingen "
                "van deze gemeente(n) komen hier binnen."), names=names_of(env, loc, codes)))
    waiting = (await session.execute(
        select(Registration).where(Registration.gemeente_code.in_(codes),
                                   Registration.notified_at.is_(None),
                                   Registration.status == "ingediend"))).scalars().all()
    for registration in waiting:
        await handoff.notify_coordinators(env, session, registration, now)


async def reject(env: Env, session: AsyncSession, invitation: Invitation, admin: int,
                 now: datetime) -> None:
    invitation.decided_at, invitation.decided_by, invitation.approved = now, admin, False
    audit(session, now, admin, "coordinator_rejected", detail=str(invitation.used_by))
    if invitation.used_by is not None:
        await env.tell(session, invitation.used_by, now, lambda loc: env.tr.t(
            loc, N_("Je aanvraag als Knooppuntcoördinator is niet goedgekeurd. Klopt dat "
                    "niet? Neem contact op met de beheerder.")))


async def deactivate(env: Env, session: AsyncSession, user: int, admin: int,
                     now: datetime) -> bool:
    """End everything for a coordinator at once. False: not an active coordinator."""
    coordinator = await session.get(Coordinator, user)
    if coordinator is None or not coordinator.active:
        return False
    coordinator.active, coordinator.deactivated_at = False, now
    # Nothing more goes to that chat; what is there of cases goes now.
    await session.execute(
        update(Outbox).where(Outbox.chat_id == user, Outbox.status == "pending",
                             Outbox.kind.in_(("send", "edit", "document")))
        .values(status="failed", error="revoked"))
    await session.execute(
        update(Outbox).where(Outbox.chat_id == user, Outbox.status == "pending",
                             Outbox.kind == "delete_tag").values(next_attempt_at=now))
    await session.execute(delete(AccessSession).where(AccessSession.user_id == user))
    await session.execute(
        update(ScheduledMessage).where(ScheduledMessage.recipient_id == user,
                                       ScheduledMessage.status == "pending")
        .values(status="dropped", processed_at=now))
    audit(session, now, admin, "coordinator_deactivated", detail=str(user))
    # The cases they held go back to the queue; the other coordinators hear of each.
    held = (await session.execute(
        select(Registration).where(Registration.handler_id == user,
                                   Registration.status.not_in(FINAL)))).scalars().all()
    former = await session.get(Account, user)
    for registration in held:
        registration.handler_id, registration.updated_at = None, now
        await _tell_unhandled(env, session, registration, former, now)
    return True


async def _tell_unhandled(env: Env, session: AsyncSession, registration: Registration,
                          former: Account | None, now: datetime) -> None:
    code, rid, reference = registration.gemeente_code or "", registration.id, \
        registration.reference
    for other in await active_coordinators(session, code):
        await env.tell(session, other, now, lambda loc: env.tr.t(
            loc, N_("{reference} heeft geen behandelaar meer: {person} is geen coördinator "
                    "meer. Wie pakt de zaak op?"),
            reference=reference, person=person(env, former, loc)),
            lambda loc: [[Button("✋ " + env.tr.t(loc, N_("Oppakken")),
                                 routed(CASE, "take", rid))]],
            coordinator_of=code)


async def requests_entry(ctx: Ctx, _args: dict[str, Any]) -> int:
    """The administration's "Aanvragen": every pending request, with its buttons."""
    found = await pending_requests(ctx.session)
    for invitation in found:
        ctx.say(request_text(ctx.env, ctx.locale, invitation),
                request_buttons(ctx.env, ctx.locale, invitation), tag=None)
    return len(found)


async def deactivate_entry(ctx: Ctx, args: dict[str, Any]) -> bool:
    """The administration's "Deactiveren" (flows/admin), without importing this flow."""
    return await deactivate(ctx.env, ctx.session, int(args["user_id"]), ctx.account.user_id,
                            ctx.now)
