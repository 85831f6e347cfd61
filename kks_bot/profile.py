"""The professional's profile: the fields of the form's registrant section marked
``profile``, asked once, kept sealed on the account, prefilled in every registration."""

from __future__ import annotations

from typing import Any

from conversations import AANMELDFORMULIER
from conversations.schema import Field, Form, Section

from .i18n_markers import N_
from .kernel.context import Ctx

#: The form's section that holds the profile fields (the registrant's).
SOURCE = next(s for s in AANMELDFORMULIER.sections
              if any(isinstance(f, Field) and f.profile for f in s.items))
PROFILE_SECTION = Section(
    "profiel",
    N_("Je profiel"),
    tuple(f for f in SOURCE.items if isinstance(f, Field) and f.profile),
)
PROFILE_FORM = Form("profiel", N_("Je profiel"), (PROFILE_SECTION,))


def profile_fields() -> list[Field]:
    return [f for f in PROFILE_SECTION.items if isinstance(f, Field)]


def profile_answers(ctx: Ctx) -> dict[str, Any]:
    """The profile as answers to the form's fields (empty without a profile)."""
    if ctx.account.profile_sealed is None:
        return {}
    profile = ctx.env.cipher.open_json(ctx.account.profile_sealed,
                                       f"account:{ctx.account.user_id}:profile")
    return {f.key: profile[f.profile] for f in profile_fields() if f.profile in profile}


def save_profile(ctx: Ctx, answers: dict[str, Any]) -> None:
    profile = {f.profile: answers.get(f.key) for f in profile_fields()
               if f.applies(answers) and f.key in answers}
    ctx.account.profile_sealed = ctx.env.cipher.seal_json(
        profile, f"account:{ctx.account.user_id}:profile")
    ctx.account.updated_at = ctx.now


def complete(answers: dict[str, Any]) -> bool:
    """Every required profile field that applies is answered (a first profile can be
    kept)."""
    return all(f.key in answers for f in profile_fields()
               if f.required and f.applies(answers))
