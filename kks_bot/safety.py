"""The acute-safety way out (112, Veilig Thuis, the meldcode): one tap away on every step
of a registration and of sparring, and /acuut anywhere; and the safety text shown first
when a sparring question touches danger (kks_bot.flows.sparring.danger)."""

from __future__ import annotations

from collections.abc import Collection

from conversations.danger_signs import SUICIDE, VIOLENCE

from .i18n_markers import N_
from .kernel.context import Ctx
from .kernel.events import Button
from .text import Markup, bold, lines

#: The screen button kind that shows the safety text on top of the current screen.
SAFETY = "safety"


#: Numbers are inserted as values, so they read left to right inside an Arabic sentence.
EMERGENCY = "112"
VEILIG_THUIS = "0800-2000"
ZMP_NAME, ZMP_SHORT, ZMP_PHONE, ZMP_SITE = "113 Zelfmoordpreventie", "113", "0800-0113", "113.nl"


def safety_text(ctx: Ctx) -> Markup:
    """The acute-safety way out: 112, Veilig Thuis, the meldcode."""
    return lines(
        "🚨 " + bold(ctx.t(N_("Acuut onveilig?"))),
        ctx.t(N_("Direct gevaar voor moeder of kind: bel {emergency}."), emergency=EMERGENCY),
        ctx.t(N_("Geen direct gevaar, wel zorgen over veiligheid: volg de meldcode en bel "
                 "Veilig Thuis: {phone}. Gratis, dag en nacht; advies kan anoniem."),
              phone=VEILIG_THUIS),
        ctx.t(N_("Meldcode: de KNMG-meldcode kindermishandeling en huiselijk geweld, of de "
                 "meldcode van je eigen beroep.")),
    )


def danger_text(ctx: Ctx, kinds: Collection[str]) -> Markup:
    """The safety text for a question about danger: what to call, and what to do next.

    ``kinds``: ``violence`` (violence, abuse, neglect, threats) and/or ``suicide``
    (thoughts of suicide or self-harm)."""
    shown = ["🚨 " + bold(ctx.t(N_("Veiligheid eerst"))),
             ctx.t(N_("Direct gevaar voor moeder of kind: bel {emergency}."),
                   emergency=EMERGENCY)]
    if SUICIDE in kinds:
        shown += [
            ctx.t(N_("Gedachten aan zelfdoding of zelfbeschadiging: bel {name}, {short} of "
                     "{phone} (gratis, dag en nacht), of chat via {site}. Laat haar of hem bij "
                     "direct gevaar niet alleen."),
                  name=ZMP_NAME, short=ZMP_SHORT, phone=ZMP_PHONE, site=ZMP_SITE),
            ctx.t(N_("Wat nu: vraag er rechtstreeks naar (dat maakt het niet erger), schakel "
                     "vandaag nog de huisarts of de crisisdienst in, en bel zelf {short} voor "
                     "advies."), short=ZMP_SHORT)]
    if VIOLENCE in kinds or SUICIDE not in kinds:
        shown += [
            ctx.t(N_("Zorgen over geweld, mishandeling, verwaarlozing of bedreiging (ook door een "
                     "ex): volg de meldcode en bel Veilig Thuis: {phone}. Gratis, dag en nacht; "
                     "advies kan anoniem."), phone=VEILIG_THUIS),
            ctx.t(N_("Wat nu: schrijf op wat je zag en hoorde, overleg met de "
                     "aandachtsfunctionaris of een collega en vraag Veilig Thuis om advies. "
                     "Daarna kun je overleggen met de coördinator of aanmelden."))]
    return lines(*shown)


def safety_button(ctx: Ctx) -> Button:
    return ctx.btn("🚨 " + ctx.t(N_("Acuut onveilig")), SAFETY)


async def show_safety(ctx: Ctx, _arg: str = "") -> None:
    """The safety text on top of the current screen, which is shown again."""
    ctx.note(safety_text(ctx))
    await ctx.reprompt()
