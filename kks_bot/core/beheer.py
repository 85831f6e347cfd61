"""``/beheer``: administration in the bot, for the administrators named in configuration.

The same things ``kks-bot admin`` does on the command line: make a one-time invitation
for one or more municipalities, list the coordinators and deactivate one, and see which
municipalities have no active coordinator. Buttons are ordinary "<seq>.adm:<...>" buttons
of the flow "beheer"; every press checks again that the user is an administrator.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..db.models import Account, Coordinator, CoordinatorMunicipality
from ..i18n import N_
from ..text import Markup, lines
from .events import Button
from .handoff import _person, audit, create_invitation

if TYPE_CHECKING:
    from .app import Core, Ctx


def is_admin(core: Core, ctx: Ctx) -> bool:
    return ctx.account.user_id in core.settings.admins


def refuse(ctx: Ctx) -> None:
    audit(ctx, ctx.now, ctx.account.user_id, "refused", None, "beheer")
    ctx.say(ctx.t(N_("Beheer is alleen voor beheerders.")), tag=None)


def menu(core: Core, ctx: Ctx) -> None:
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "beheer", "", None
    ctx.state.clear()
    ctx.tag = None
    missing = [m.name for m in core.directory.all() if m.code not in ctx.covered]
    text = ctx.t(N_("<b>Beheer</b>"))
    if missing:
        text += "\n" + ctx.t(N_("Zonder actieve coördinator: {names}"),
                             names=", ".join(missing))
    ctx.say(text, [
        [ctx.btn("✉️ " + ctx.t(N_("Coördinator uitnodigen")), "adm:invite")],
        [ctx.btn("👥 " + ctx.t(N_("Coördinatoren")), "adm:list")],
        [ctx.btn(ctx.t(N_("Terug naar het menu")), "menu:menu")],
    ], tag=None)


def _pick_municipalities(core: Core, ctx: Ctx) -> None:
    chosen = set(ctx.state.get("codes", []))
    rows = []
    for m in core.directory.all():
        mark = "☑️ " if m.code in chosen else "⬜ "
        rows.append(ctx.btn(mark + m.name, f"adm:tog:{m.code}"))
    grid = [rows[i:i + 2] for i in range(0, len(rows), 2)]
    grid.append([ctx.btn("✅ " + ctx.t(N_("Maak de uitnodiging")), "adm:make"),
                 ctx.btn(ctx.t(N_("Terug")), "adm:menu")])
    ctx.say(ctx.t(N_("Voor welke gemeente(n) is de nieuwe coördinator? Tik aan en kies dan "
                     "'Maak de uitnodiging'.")), grid, tag=None)


async def _make(core: Core, ctx: Ctx) -> None:
    codes = [c for c in ctx.state.get("codes", []) if core.directory.get(c) is not None]
    if not codes:
        ctx.note(ctx.t(N_("Kies eerst minstens één gemeente.")))
        _pick_municipalities(core, ctx)
        return
    days = core.settings.invitation_ttl_days
    token = await create_invitation(ctx.session, codes, ctx.now, timedelta(days=days))
    audit(ctx, ctx.now, ctx.account.user_id, "invitation_created", detail=",".join(codes))
    username = core.settings.bot_username
    link = f"https://t.me/{username}?start={token}" if username else f"/start {token}"
    names = ", ".join(m.name for c in codes if (m := core.directory.get(c)) is not None)
    ctx.state.clear()
    ctx.conv.step = ""
    tag = f"inv:{token[:8]}"
    # The link is a key: it leaves the chat again after a day.
    ctx.say(ctx.t(N_("Uitnodiging voor {names}, {days} dagen geldig, één keer te gebruiken. "
                     "Stuur deze link alleen aan de nieuwe coördinator:"),
                  names=names, days=days) + "\n\n" + link, tag=tag)
    ctx.later_deletes.append((tag, ctx.now + timedelta(days=1)))
    menu(core, ctx)


async def _list(core: Core, ctx: Ctx) -> None:
    coordinators = (await ctx.session.execute(
        select(Coordinator).where(Coordinator.active.is_(True))
        .order_by(Coordinator.user_id))).scalars().all()
    if not coordinators:
        ctx.say(ctx.t(N_("Er zijn nog geen actieve coördinatoren.")),
                [[ctx.btn(ctx.t(N_("Terug")), "adm:menu")]], tag=None)
        return
    shown = [ctx.t(N_("Actieve coördinatoren:"))]
    buttons: list[list[Button]] = []
    for coordinator in coordinators:
        codes = (await ctx.session.execute(
            select(CoordinatorMunicipality.code)
            .where(CoordinatorMunicipality.user_id == coordinator.user_id))).scalars().all()
        account = await ctx.session.get(Account, coordinator.user_id)
        person = _person(core, account, ctx.locale)
        names = ", ".join(m.name for c in codes if (m := core.directory.get(c)) is not None)
        shown.append(Markup("• {} · {}").format(person, names))
        buttons.append([ctx.btn("🚫 " + ctx.t(N_("Deactiveren: {person}"), person=person),
                                f"adm:off:{coordinator.user_id}")])
    buttons.append([ctx.btn(ctx.t(N_("Terug")), "adm:menu")])
    ctx.say(lines(*shown), buttons, tag=None)


async def action(core: Core, ctx: Ctx, arg: str) -> None:
    if not is_admin(core, ctx):
        refuse(ctx)
        return
    kind, _, value = arg.partition(":")
    if kind == "invite":
        ctx.state["codes"] = []
        ctx.conv.step = "invite"
        _pick_municipalities(core, ctx)
    elif kind == "tog" and core.directory.get(value) is not None:
        codes: list[str] = list(ctx.state.get("codes", []))
        codes.remove(value) if value in codes else codes.append(value)
        ctx.state["codes"] = codes
        _pick_municipalities(core, ctx)
    elif kind == "make":
        await _make(core, ctx)
    elif kind == "list":
        await _list(core, ctx)
    elif kind == "off" and value.lstrip("-").isdigit():
        ctx.state["off"] = int(value)
        account = await ctx.session.get(Account, int(value))
        ctx.say(ctx.t(N_("{person} deactiveren? Die ziet daarna geen aanmeldingen meer."),
                      person=_person(core, account, ctx.locale)),
                [[ctx.btn(ctx.t(N_("Ja, deactiveren")), "adm:offyes"),
                  ctx.btn(ctx.t(N_("Nee")), "adm:list")]], tag=None)
    elif kind == "offyes" and isinstance(ctx.state.get("off"), int):
        user_id = int(ctx.state.pop("off"))
        coordinator = await ctx.session.get(Coordinator, user_id)
        if coordinator is not None and coordinator.active:
            coordinator.active, coordinator.deactivated_at = False, ctx.now
            audit(ctx, ctx.now, ctx.account.user_id, "coordinator_deactivated",
                  detail=str(user_id))
            ctx.covered.clear()
            from .handoff import covered_codes

            ctx.covered |= await covered_codes(ctx.session)
            ctx.note(ctx.t(N_("Gedeactiveerd.")))
        await _list(core, ctx)
    else:
        menu(core, ctx)
