"""Who is who: coordinators and their municipalities, and how a person is named to
others (name, function, organisation from their profile)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .db.models import Account, Coordinator, CoordinatorMunicipality, Invitation, Registration
from .i18n_markers import N_
from .kernel.context import Ctx, Env
from .tokens import INVITATION_BYTES, new_token, token_hash


async def create_invitation(session: AsyncSession, codes: list[str], now: datetime,
                            ttl: timedelta) -> str:
    """A coordinator's invitation for these municipalities; returns the token (shown once)."""
    token = new_token(INVITATION_BYTES)
    session.add(Invitation(token_hash=token_hash(token), municipalities=",".join(codes),
                           created_at=now, expires_at=now + ttl))
    return token


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


async def coverage(session: AsyncSession) -> list[tuple[int, str]]:
    """(coordinator, municipality) for every active coordinator, in one query."""
    rows = await session.execute(
        select(CoordinatorMunicipality.user_id, CoordinatorMunicipality.code).join(
            Coordinator, CoordinatorMunicipality.user_id == Coordinator.user_id)
        .where(Coordinator.active.is_(True)))
    return [(int(user), str(code)) for user, code in rows]


async def coordinator_codes(session: AsyncSession, user_id: int) -> set[str]:
    """The municipalities of an active coordinator (empty for anyone else)."""
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


async def coordinator_side(session: AsyncSession, registration: Registration) -> list[int]:
    """Who hears the registrant: the coordinator who took the case while they are still
    an active coordinator of its municipality, else all of them."""
    coordinators = await active_coordinators(session, registration.gemeente_code or "")
    if registration.handler_id is not None and registration.handler_id in coordinators:
        return [registration.handler_id]
    return coordinators


def person(env: Env, account: Account | None, locale: str) -> str:
    """Name, function and organisation from a profile, for the other side to see."""
    profile: dict[str, Any] = {}
    if account is not None and account.profile_sealed:
        profile = env.cipher.open_json(account.profile_sealed,
                                       f"account:{account.user_id}:profile")
    function = env.form.field("aanmelder_functie").option(profile.get("functie"))
    parts = [str(profile.get("naam") or env.tr.gettext(locale, N_("onbekende naam"))),
             env.tr.gettext(locale, function.label) if function and function.id != "anders"
             else str(profile.get("functie_anders") or ""),
             str(profile.get("organisatie") or "")]
    return ", ".join(p for p in parts if p)
