"""Retiring an FAQ entry written in the bot, from /beheer ("📝 Geschreven antwoorden").

The active written entries, each with "Niet meer gebruiken", and a question before it is
done (:func:`learned.retire`: no longer answered at once; its texts stay for the figures
and the audit trail). The buttons are routed (``fe.ask.<id>``, ``fe.yes.<id>``), so an
older list still works; the guard checks again that the presser is an administrator and
that the entry is still in use. The CLI does the same: ``kks-bot admin faq retire``.
"""

from __future__ import annotations

from typing import Any

from ...db.faq_tables import FaqEntry
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Ctx
from ...kernel.events import Button
from ...roles import admin_or_refuse
from . import learned

ENTRY = "fe"


def _back(ctx: Ctx) -> list[Button]:
    return [ctx.btn(ctx.t(N_("Terug")), "adm:menu")]


async def list_entry(ctx: Ctx, _args: dict[str, Any]) -> int:
    """The entries in use, a button each; how many there are (0: nothing said)."""
    rows = await learned.active(ctx.session)
    if rows:
        ctx.say(ctx.t(N_("In de bot geschreven antwoorden. Gebruik je er een niet meer, "
                         "dan geeft de bot het niet meer; de cijfers blijven.")),
                [[Button("🗄 " + ctx.t(N_("Niet meer gebruiken: {question}"),
                                       question=row.question(ctx.locale)),
                         routed(ENTRY, "ask", row.id))] for row in rows] + [_back(ctx)],
                tag=None)
    return len(rows)


async def guard(ctx: Ctx, action: str, entry_id: str, _policy: Any) -> FaqEntry | None:
    """The entry, still in use, when an administrator pressed; else refused (audited) or
    said that it is no longer in use."""
    if not admin_or_refuse(ctx, "faq_entry"):
        return None
    row = await learned.find(ctx.session, entry_id)
    if row is None:
        ctx.say(ctx.t(N_("Dit antwoord is al niet meer in gebruik.")), [_back(ctx)], tag=None)
    return row


async def ask(ctx: Ctx, row: FaqEntry, _arg: str = "") -> None:
    ctx.say(ctx.t(N_("\u2018{question}\u2019 niet meer gebruiken? De bot geeft dit antwoord "
                     "dan niet meer."), question=row.question(ctx.locale)),
            [[Button(ctx.t(N_("Ja, niet meer gebruiken")), routed(ENTRY, "yes", row.id)),
              ctx.btn(ctx.t(N_("Nee")), "adm:faqw")]], tag=None)


async def retire_pressed(ctx: Ctx, row: FaqEntry, _arg: str = "") -> None:
    await learned.retire(ctx.session, row.id, ctx.account.user_id, ctx.now)
    ctx.note(ctx.t(N_("Niet meer in gebruik: \u2018{question}\u2019."),
                   question=row.question(ctx.locale)))
    if not await list_entry(ctx, {}):
        ctx.say(ctx.t(N_("Er zijn geen in de bot geschreven antwoorden meer in gebruik.")),
                [_back(ctx)], tag=None)
