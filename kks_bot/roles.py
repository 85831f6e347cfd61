"""Who may use the administrators' screens. Checked at every press, not only when the
screen was shown: a button stays in the chat, and a person may stop being an
administrator (``KKS_ADMIN_IDS``) in the meantime."""

from __future__ import annotations

from .audit import audit
from .i18n_markers import N_
from .kernel.context import Ctx


def is_admin(ctx: Ctx) -> bool:
    return "admin" in ctx.roles


def refuse(ctx: Ctx, what: str) -> None:
    """Say no, and audit who tried (``what``: which screen, never its content)."""
    audit(ctx.session, ctx.now, ctx.account.user_id, "refused", None, what)
    ctx.say(ctx.t(N_("Beheer is alleen voor beheerders.")), tag=None)


def admin_or_refuse(ctx: Ctx, what: str) -> bool:
    """True for an administrator; anyone else is refused (:func:`refuse`)."""
    if is_admin(ctx):
        return True
    refuse(ctx, what)
    return False
