"""The states of a registration in progress and what input means in each."""

from __future__ import annotations

from ...forms import answers
from ...forms.screen import ask, show_help
from ...forms.walk import WalkSpec, yes_no
from ...i18n import N_
from ...kernel.context import Ctx, Flow
from . import drafts, review
from .names import State

FORM_SPEC: WalkSpec = drafts.form_spec(end=review.review, back_from_fill=review.back_to_review)


class DraftState(Flow):
    """A state with a draft open: leaving keeps it (and says until when); /annuleren asks
    whether to delete it."""

    keeps_place_on_language = True

    async def leave(self, ctx: Ctx) -> None:
        await drafts.leave(ctx)

    async def cancel(self, ctx: Ctx) -> None:
        if ctx.conv.draft_id:
            review.ask_cancel(ctx)
        else:
            ctx.home()


class ConsentState(Flow):
    name = State.CONSENT
    private_input = True
    keeps_place_on_language = True

    async def text(self, ctx: Ctx) -> None:
        value = yes_no(ctx.event.text)
        if value is None:
            ctx.note(ctx.t(N_("Kies 'ja' of 'nee' met de knoppen.")))
            drafts.ask_consent(ctx)
        else:
            await drafts.consent_answer(ctx, value, FORM_SPEC)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind in ("yes", "no"):
            await drafts.consent_answer(ctx, kind == "yes", FORM_SPEC)
        else:
            await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        drafts.ask_consent(ctx)


class DraftsState(Flow):
    name = State.DRAFTS

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        await drafts.drafts_action(ctx, kind, arg, FORM_SPEC, review.review)

    async def reprompt(self, ctx: Ctx) -> None:
        await drafts.list_drafts(ctx)


class FormState(DraftState):
    """Walking the aanmeldformulier: typed family data leaves the chat."""

    name = State.FORM
    private_input = True

    async def text(self, ctx: Ctx) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            await answers.typed(ctx, walk)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            await answers.pressed(ctx, walk, kind, arg)

    async def reprompt(self, ctx: Ctx) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            ask(ctx, walk)

    async def help(self, ctx: Ctx) -> bool:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            show_help(ctx, walk)
            ask(ctx, walk)
        return True


class ReviewState(DraftState):
    name = State.REVIEW

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            await review.review_action(ctx, walk, kind, arg)

    async def reprompt(self, ctx: Ctx) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            review.review(ctx, walk)


class EditState(DraftState):
    name = State.EDIT

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            review.edit_action(ctx, walk, kind, arg)

    async def reprompt(self, ctx: Ctx) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            review.edit_menu(ctx, walk, ctx.conv.step)


class GroupEditState(DraftState):
    name = State.GROUPEDIT

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            review.groupedit_action(ctx, walk, kind, arg)

    async def reprompt(self, ctx: Ctx) -> None:
        walk = await drafts.draft_walk(ctx, FORM_SPEC)
        if walk is not None:
            review.group_menu(ctx, walk, ctx.conv.step)


class CancelState(DraftState):
    """"Really delete the draft?" (/annuleren here leaves the draft and goes home)."""

    name = State.CANCEL
    keeps_place_on_language = False

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        await review.cancel_answer(ctx, kind)

    async def reprompt(self, ctx: Ctx) -> None:
        review.show_cancel(ctx)

    async def cancel(self, ctx: Ctx) -> None:
        ctx.home()
