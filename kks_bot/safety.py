"""The acute-safety way out (112, Veilig Thuis, the meldcode): one tap away on every step
of a registration and of sparring, and /acuut anywhere."""

from __future__ import annotations

from .i18n_markers import N_
from .kernel.context import Ctx
from .kernel.events import Button
from .text import Markup, bold, lines

#: The screen button kind that shows the safety text on top of the current screen.
SAFETY = "safety"


def safety_text(ctx: Ctx) -> Markup:
    """The acute-safety way out: 112, Veilig Thuis, the meldcode."""
    return lines(
        "🚨 " + bold(ctx.t(N_("Acuut onveilig?"))),
        ctx.t(N_("Direct gevaar voor moeder of kind: bel 112.")),
        ctx.t(N_("Geen direct gevaar, wel zorgen over veiligheid: volg de meldcode en bel "
                 "Veilig Thuis: 0800-2000. Gratis, dag en nacht; advies kan anoniem.")),
        ctx.t(N_("Meldcode: de KNMG-meldcode kindermishandeling en huiselijk geweld, of de "
                 "meldcode van je eigen beroep.")),
    )


def safety_button(ctx: Ctx) -> Button:
    return ctx.btn("🚨 " + ctx.t(N_("Acuut onveilig")), SAFETY)


async def show_safety(ctx: Ctx, _arg: str = "") -> None:
    """The safety text on top of the current screen, which is shown again."""
    ctx.note(safety_text(ctx))
    await ctx.reprompt()
