"""Who may see which municipalities' figures, and the periods offered - the same for the
bot's /cijfers and the Mini App's figures page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ...kernel.context import Env
from ...people import coordinator_codes

PERIODS = ("year", "last", "12m")


async def allowed_codes(env: Env, session: AsyncSession, user_id: int) -> list[str]:
    """The municipalities this user may see figures of, in the directory's order:
    every one for an administrator, their own for a coordinator, none for anyone else."""
    if user_id in env.settings.admins:
        return [m.code for m in env.directory.all()]
    own = await coordinator_codes(session, user_id)
    return [m.code for m in env.directory.all() if m.code in own]


def period(today: date, key: str) -> tuple[date, date] | None:
    """``year`` (this year so far), ``last`` (last year), ``12m`` (the last twelve months)."""
    if key == "year":
        return date(today.year, 1, 1), today
    if key == "last":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    if key == "12m":
        return today - timedelta(days=364), today
    return None
