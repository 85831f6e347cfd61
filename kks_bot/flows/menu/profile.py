"""The professional's profile: asked once after /start, shown and changed with /profiel."""

from __future__ import annotations

from ...forms.display import display
from ...forms.flow import StateWalkFlow
from ...forms.screen import ask, show_help
from ...forms.walk import Walk, WalkSpec
from ...i18n import N_
from ...kernel.context import Ctx
from ...profile import PROFILE_FORM, profile_answers, profile_fields, save_profile
from ...text import bold, labelled, lines

NAME = "profile"


def _finished(ctx: Ctx, walk: Walk) -> None:
    save_profile(ctx, walk.answers)
    ctx.say(ctx.t(N_("Dank je. Je profiel is opgeslagen. Ik vul het voortaan in bij elke "
                     "aanmelding; wijzigen kan met /profiel.")), tag=None)
    ctx.home()


class ProfileFlow(StateWalkFlow):
    """Walking the profile's questions (typed answers stay: they are the user's own)."""

    keeps_place_on_language = True

    async def help(self, ctx: Ctx) -> bool:
        walk = self.walk(ctx)
        show_help(ctx, walk)
        ask(ctx, walk)
        return True

    async def cancel(self, ctx: Ctx) -> None:
        if ctx.account.profile_sealed is None:
            ctx.say(ctx.t(N_("Zonder profiel kun je geen aanmelding doen. Je kunt het later "
                             "invullen met /start.")), tag=None)
        ctx.home()


PROFILE = ProfileFlow(NAME, PROFILE_FORM, WalkSpec(NAME, end=_finished, progress=False))


def change(ctx: Ctx) -> None:
    """/profiel's "Wijzigen": the walk again, with today's answers."""
    ctx.conv.draft_id = None
    ctx.state.clear()
    PROFILE.start(ctx, profile_answers(ctx))


async def show(ctx: Ctx) -> None:
    """/profiel: what the other side sees of you."""
    answers = profile_answers(ctx)
    if not answers:
        ctx.say(ctx.t(N_("Je hebt nog geen profiel. Dat maak je met /start.")))
        return
    shown = [bold(ctx.t(N_("Je profiel")))]
    for field in profile_fields():
        if field.applies(answers):
            shown.append(labelled(ctx.t(field.label), display(ctx, field, answers.get(field.key))))
    ctx.say(lines(*shown), [[ctx.btn("✏️ " + ctx.t(N_("Wijzigen")), "menu:profiel_wijzig"),
                             ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)
