"""The guided check "overleggen of aanmelden?": six taps, then advice with its reasons
(../shared/domain/triage.md); "Aanmelden" starts a registration with its ticks filled in."""

from __future__ import annotations

from conversations.sparcheck import CHECK_FORM

from ...audit import audit
from ...forms.flow import StateWalkFlow
from ...forms.walk import Walk, WalkSpec
from ...i18n import N_
from ...kernel.context import Ctx
from ...safety import safety_button, safety_text
from ...text import Markup, bold, lines
from ...triage import advise
from .names import CARE_PATHS_URL, CHECK, SPAR, Step

#: What the check hands to a registration started from its advice.
PREFILL = ("zwanger", "urgente_kwetsbaarheden", "kwetsbaarheden", "beschermende_factoren")


def result(ctx: Ctx, walk: Walk) -> None:
    """The end of the check: advice with its reasons, and what to do next."""
    answers = walk.answers
    ctx.go(SPAR, Step.ADVICE)
    ctx.state["prefill"] = {k: answers[k] for k in PREFILL
                            if answers.get(k) not in (None, [])}
    if answers.get("acuut") is True:
        ctx.say(safety_text(ctx) + "\n\n" + ctx.t(N_("Veiligheid gaat voor. Daarna kun je "
                                                     "altijd nog overleggen met de "
                                                     "Knooppuntcoördinator.")),
                [[ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
                 [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)
        return
    advice = advise(answers)
    reasons = [ctx.tn(r.message, r.n) if isinstance(r.message, tuple) else ctx.t(r.message)
               for r in advice.reasons]
    shown = ["🧭 " + bold(ctx.t(N_("Advies"))) + " "
             + ctx.t(N_("(geen besluit: de coördinator beslist)")),
             ctx.t(advice.text),
             ctx.t(N_("Waarom: {reasons}."), reasons=Markup("; ").join(reasons))]
    if advice.route == "zorgpaden":
        shown.append(ctx.t(N_("Zorgpaden Kansrijke Start:")) + " " + CARE_PATHS_URL)
    consent = answers.get("toestemming")
    if consent == "nog_niet":
        shown.append(ctx.t(N_("Aanmelden kan pas na toestemming van het gezin. Bespreek het "
                              "eerst met hen; overleggen kan nu al.")))
    elif consent == "nee":
        shown.append(ctx.t(N_("Het gezin wil (nog) niet: dan meld je niet aan. Overleg "
                              "anoniem met de coördinator over wat wel kan.")))
    rows = [[ctx.btn("📝 " + ctx.t(N_("Aanmelden")), "sp:register")]]
    rows.append([ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")])
    rows.append([safety_button(ctx), ctx.btn(ctx.t(N_("Menu")), "menu:menu")])
    audit(ctx.session, ctx.now, ctx.account.user_id, "spar_check", None, advice.route)
    ctx.say(lines(*shown), rows, tag=None)


class CheckFlow(StateWalkFlow):
    """The check's walk; its "Stoppen" (sp:menu) is sparring's."""

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind == "sp":
            await ctx.env.registry.flows[SPAR].button(ctx, kind, arg)
        else:
            await super().button(ctx, kind, arg)


CHECK_FLOW = CheckFlow(CHECK, CHECK_FORM, WalkSpec(CHECK, end=result, stop_action="sp:menu",
                                                   safety=True))


def start(ctx: Ctx) -> None:
    """A fresh check."""
    ctx.state.clear()
    ctx.conv.draft_id = None
    CHECK_FLOW.start(ctx)
