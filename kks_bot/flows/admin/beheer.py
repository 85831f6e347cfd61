"""``/beheer``: administration in the bot, for the administrators named in configuration.

The same things ``kks-bot admin`` does on the command line: make a one-time invitation
for one or more municipalities, list the coordinators and deactivate one, and see which
municipalities have no active coordinator. Buttons are ordinary "<seq>.adm:<...>" buttons
of the flow "beheer"; every press checks again that the user is an administrator.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ...audit import audit
from ...db.models import Account, Coordinator, CoordinatorMunicipality
from ...i18n import N_, NP_
from ...kernel.buttons import grid
from ...kernel.context import Ctx, Flow, Registry
from ...kernel.events import Button
from ...people import covered_codes, create_invitation, person
from ...roles import admin_or_refuse, is_admin
from ...text import Markup, lines
from ...tokens import start_link

BEHEER = "beheer"


def menu(ctx: Ctx) -> None:
    ctx.go(BEHEER)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.tag = None
    missing = [m.name for m in ctx.env.directory.all() if m.code not in ctx.covered]
    text = ctx.t(N_("<b>Beheer</b>"))
    if missing:
        text += "\n" + ctx.t(N_("Zonder actieve coördinator: {names}"),
                             names=ctx.tr.format_list(ctx.locale, missing))
    ctx.say(text, [
        [ctx.btn("✉️ " + ctx.t(N_("Coördinator uitnodigen")), "adm:invite")],
        [ctx.btn("👥 " + ctx.t(N_("Coördinatoren")), "adm:list"),
         ctx.btn("🆕 " + ctx.t(N_("Aanvragen")), "adm:req")],
        [ctx.btn("📚 " + ctx.t(N_("Te leren vragen")), "adm:faq"),
         ctx.btn("📝 " + ctx.t(N_("Geschreven antwoorden")), "adm:faqw")],
        [ctx.btn(ctx.t(N_("Terug naar het menu")), "menu:menu")],
    ], tag=None)


def _pick_municipalities(ctx: Ctx) -> None:
    chosen = set(ctx.state.get("codes", []))
    rows = grid([ctx.btn(("☑️ " if m.code in chosen else "⬜ ") + m.name, f"adm:tog:{m.code}")
                 for m in ctx.env.directory.all()], 2)
    rows.append([ctx.btn("✅ " + ctx.t(N_("Maak de uitnodiging")), "adm:make"),
                 ctx.btn(ctx.t(N_("Terug")), "adm:menu")])
    ctx.say(ctx.t(N_("Voor welke gemeente(n) is de nieuwe coördinator? Tik aan en kies dan "
                     "'Maak de uitnodiging'.")), rows, tag=None)


async def _make(ctx: Ctx) -> None:
    codes = [c for c in ctx.state.get("codes", []) if ctx.env.directory.get(c) is not None]
    if not codes:
        ctx.note(ctx.t(N_("Kies eerst minstens één gemeente.")))
        _pick_municipalities(ctx)
        return
    days = ctx.env.settings.invitation_ttl_days
    token = await create_invitation(ctx.session, codes, ctx.now, timedelta(days=days))
    audit(ctx.session, ctx.now, ctx.account.user_id, "invitation_created", detail=",".join(codes))
    link = start_link(ctx.env.settings, token)
    names = ctx.tr.format_list(ctx.locale, (m.name for c in codes
                                            if (m := ctx.env.directory.get(c)) is not None))
    ctx.state.clear()
    ctx.conv.step = ""
    tag = f"inv:{token[:8]}"
    # The link is a key: it leaves the chat again after a day.
    ctx.say(ctx.tn(NP_("Uitnodiging voor {names}, {n} dag geldig, één keer te gebruiken. "
                       "Stuur deze link alleen aan de nieuwe coördinator:",
                       "Uitnodiging voor {names}, {n} dagen geldig, één keer te gebruiken. "
                       "Stuur deze link alleen aan de nieuwe coördinator:"),
                   days, names=names) + "\n\n" + link, tag=tag)
    ctx.delete_later(tag, ctx.now + timedelta(days=1))
    menu(ctx)


async def _list(ctx: Ctx) -> None:
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
        who = person(ctx.env, account, ctx.locale)
        names = ctx.tr.format_list(ctx.locale, (m.name for c in codes
                                                if (m := ctx.env.directory.get(c)) is not None))
        shown.append(Markup("• {} · {}").format(who, names))
        buttons.append([ctx.btn("🚫 " + ctx.t(N_("Deactiveren: {person}"), person=who),
                                f"adm:off:{coordinator.user_id}")])
    buttons.append([ctx.btn(ctx.t(N_("Terug")), "adm:menu")])
    ctx.say(lines(*shown), buttons, tag=None)


async def action(ctx: Ctx, arg: str) -> None:
    """A press on an "adm:" button; every press checks again."""
    if not admin_or_refuse(ctx, "beheer"):
        return
    kind, _, value = arg.partition(":")
    if kind == "invite":
        ctx.state["codes"] = []
        ctx.conv.step = "invite"
        _pick_municipalities(ctx)
    elif kind == "tog" and ctx.env.directory.get(value) is not None:
        codes: list[str] = list(ctx.state.get("codes", []))
        codes.remove(value) if value in codes else codes.append(value)
        ctx.state["codes"] = codes
        _pick_municipalities(ctx)
    elif kind == "make":
        await _make(ctx)
    elif kind == "list":
        await _list(ctx)
    elif kind == "req":  # each request with its own buttons; the newest keyboard is theirs
        if not await ctx.enter("coordinator_requests"):
            ctx.note(ctx.t(N_("Er wachten geen aanvragen.")))
            menu(ctx)
    elif kind == "faq":  # the FAQ's review list (flows/sparring/learning.py)
        if not await ctx.enter("faq_reviews"):
            ctx.note(ctx.t(N_("Er zijn geen te leren vragen.")))
            menu(ctx)
    elif kind == "faqw":  # retiring an entry written in the bot (flows/sparring)
        if not await ctx.enter("faq_written"):
            ctx.note(ctx.t(N_("Er zijn geen in de bot geschreven antwoorden in gebruik.")))
            menu(ctx)
    elif kind == "off" and value.lstrip("-").isdigit():
        ctx.state["off"] = int(value)
        account = await ctx.session.get(Account, int(value))
        ctx.say(ctx.t(N_("{person} deactiveren? Die krijgt daarna niets meer van de bot; wat "
                         "nog in de chat staat van zaken wis ik, en de zaken die die persoon "
                         "behandelde gaan terug naar de andere coördinatoren."),
                      person=person(ctx.env, account, ctx.locale)),
                [[ctx.btn(ctx.t(N_("Ja, deactiveren")), "adm:offyes"),
                  ctx.btn(ctx.t(N_("Nee")), "adm:list")]], tag=None)
    elif kind == "offyes" and isinstance(ctx.state.get("off"), int):
        user_id = int(ctx.state.pop("off"))
        if await ctx.enter("coordinator_deactivate", user_id=user_id):
            ctx.covered.clear()
            ctx.covered |= await covered_codes(ctx.session)
            ctx.note(ctx.t(N_("Gedeactiveerd.")))
        await _list(ctx)
    else:
        menu(ctx)


class BeheerState(Flow):
    name = BEHEER

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind == "adm":
            await action(ctx, arg)
        else:
            await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        if is_admin(ctx):
            menu(ctx)
        else:
            ctx.home()


async def beheer(ctx: Ctx) -> None:
    """/beheer: the administration menu, for administrators only."""
    await ctx.leave()
    if admin_or_refuse(ctx, "beheer"):
        menu(ctx)


def register(registry: Registry) -> None:
    registry.flow(BeheerState())
    registry.command(("beheer", "admin"), beheer)
