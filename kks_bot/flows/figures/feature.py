"""``/cijfers``: period, then municipality, as buttons; then the chart (a PNG drawn at
delivery from anonymous, already suppressed figures) and the key figures as text.
Coordinators see only their own municipalities; administrators every one and the region.
Every press checks the role again."""

from __future__ import annotations

from datetime import date

from ...audit import audit
from ...i18n import N_, is_rtl
from ...kernel.context import Ctx, Flow, Registry
from ...services.figures.access import allowed_codes, period
from ...services.figures.chart import chart_data
from ...services.figures.command import threshold
from ...services.figures.compute import compute
from ...services.figures.faq import faq_figures, faq_lines
from ...services.figures.load import load
from ...services.figures.text import Words, key_figures
from ...text import Markup, escape

STATE = "cijfers"
ALL = "all"


async def _allowed(ctx: Ctx) -> list[str]:
    return await allowed_codes(ctx.env, ctx.session, ctx.account.user_id)


def _period(ctx: Ctx, key: str) -> tuple[date, date] | None:
    return period(ctx.today(), key)


def _periods(ctx: Ctx) -> None:
    year = ctx.today().year
    ctx.say(ctx.t(N_("Cijfers: over welke periode?")), [
        [ctx.btn(ctx.t(N_("Dit jaar ({year})"), year=year), "cij:p:year")],
        [ctx.btn(ctx.t(N_("Vorig jaar ({year})"), year=year - 1), "cij:p:last")],
        [ctx.btn(ctx.t(N_("De laatste twaalf maanden")), "cij:p:12m")],
    ], tag=None)


def _municipalities(ctx: Ctx, codes: list[str]) -> None:
    rows = [[ctx.btn(m.name, f"cij:g:{m.code}")] for m in ctx.env.directory.all()
            if m.code in codes]
    if len(codes) > 1:
        rows.append([ctx.btn(ctx.t(N_("Alle samen")), f"cij:g:{ALL}")])
    ctx.say(ctx.t(N_("Van welke gemeente?")), rows, tag=None)


async def _show(ctx: Ctx, codes: list[str], start: date, end: date) -> None:
    env = ctx.env
    limit = threshold(env.settings)
    sheet = compute(await load(ctx.session, env.cipher, codes, start, end), codes, start,
                    end, limit, ctx.now)
    words = Words(env.tr, ctx.locale, env.directory)
    audit(ctx.session, ctx.now, ctx.account.user_id, "figures_shown", None,
          ",".join(codes)[:80])
    ctx.go(STATE)
    ctx.state.clear()
    if ctx.account.user_id in env.settings.admins:  # the FAQ's figures: the whole bot's
        faq = await faq_lines(ctx.session, env.tr, ctx.locale,
                              await faq_figures(ctx.session, start, end))
        ctx.say(Markup("\n").join(escape(line) for line in faq), tag=None)
    ctx.say(Markup("\n").join(escape(line) for line in key_figures(sheet, words)),
            ctx.menu_buttons(), tag=None)
    ctx.enqueue(ctx.event.chat_id, "document", {
        "render": "chart", "filename": f"cijfers-{start.isoformat()}-{end.isoformat()}.png",
        "chart": chart_data(sheet, words, rtl=is_rtl(ctx.locale)),
        "caption": ctx.t(N_("Cijfers {places}"), places=words.places(sheet))})


class FiguresState(Flow):
    name = STATE

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        allowed = await _allowed(ctx)
        if kind != "cij" or not allowed:
            await cijfers(ctx)
            return
        what, _, value = arg.partition(":")
        if what == "p" and _period(ctx, value) is not None:
            ctx.state["period"] = value
            _municipalities(ctx, allowed)
            return
        period = _period(ctx, str(ctx.state.get("period", "")))
        codes = allowed if value == ALL else [value] if value in allowed else []
        if what != "g" or period is None or not codes:
            await ctx.reprompt()
            return
        await _show(ctx, codes, *period)

    async def reprompt(self, ctx: Ctx) -> None:
        _periods(ctx)


async def cijfers(ctx: Ctx) -> None:
    """/cijfers: for coordinators (their municipalities) and administrators."""
    await ctx.leave()
    if not await _allowed(ctx):
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused", None, "cijfers")
        ctx.say(ctx.t(N_("De cijfers zijn voor coördinatoren en beheerders.")), tag=None)
        return
    ctx.go(STATE)
    ctx.state.clear()
    _periods(ctx)


def register(registry: Registry) -> None:
    registry.flow(FiguresState())
    registry.command(("cijfers", "figures"), cijfers)
