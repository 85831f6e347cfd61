"""The coordinator's side: the family's voice shown in the case and again when the
meeting is recorded (with "fill it in together with the family" when there is nothing),
the agreements tied to what the family asked for, and at the evaluation the ratings
offered to the family again and the before/after chart for the coordinator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...cases import current_meeting
from ...db.models import FamilyVoice, Meeting, Registration
from ...i18n import N_
from ...kernel.context import HOME, Ctx, Env, Flow
from ...people import coordinator_codes
from ...text import Markup, bold, lines
from . import store, view
from .family import ask_experience, offer_evaluation
from .texts import wishes
from .walk import begin, directors

TIE = "voicetie"


async def show(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """r.voice.<id>: what the family said about the current meeting."""
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None:
        ctx.say(ctx.t(N_("Er is nog geen overleg voor {reference}."),
                      reference=registration.reference), tag=None)
        return
    coordinator = registration.gemeente_code in await coordinator_codes(
        ctx.session, ctx.account.user_id)
    if not coordinator and ctx.account.user_id not in await directors(ctx, registration,
                                                                      meeting):
        ctx.say(ctx.t(N_("Dat kan ik niet doen.")), tag=None)
        return
    await view.send(ctx.env, ctx.session, ctx.now, ctx.account.user_id, registration, meeting,
                    coordinator=coordinator, fill=coordinator and _fillable(meeting, ctx.now))


def _fillable(meeting: Meeting, now: datetime) -> bool:
    return meeting.status == "planned" or (meeting.status == "held"
                                           and meeting.evaluated_at is None)


async def fill(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """r.voicefill.<id>: the coordinator asks the questions with the family present -
    before the meeting's record (during it), or at the evaluation."""
    meeting = await current_meeting(ctx.session, registration.id)
    if meeting is None or not _fillable(meeting, ctx.now):
        ctx.say(ctx.t(N_("Er is geen overleg om dit bij te bewaren.")), tag=None)
        return
    moment = store.BEFORE if meeting.status == "planned" else store.EVALUATION
    await ctx.leave()
    ctx.state.clear()
    row = await store.find(ctx.session, meeting.id, moment) or \
        store.new(ctx.session, meeting, moment, ctx.now)
    begin(ctx, row, store.answers(ctx.env, row))


async def on_outcome_start(env: Env, *, ctx: Ctx, registration: Registration,
                           meeting: Meeting, **_: Any) -> None:
    """Recording the meeting: the family's voice first, to keep it in mind."""
    found = await view.rows_of(ctx.session, meeting)
    await view.send(env, ctx.session, ctx.now, ctx.account.user_id, registration, meeting,
                    fill=not found[store.BEFORE])


async def on_meeting_held(env: Env, *, ctx: Ctx, registration: Registration,
                          meeting: Meeting, **_: Any) -> None:
    """The family is asked how it went; the coordinator ties the agreements to what the
    family asked for, when they asked for something."""
    await ask_experience(env, ctx.session, ctx.now, meeting)
    rows = await store.done(ctx.session, meeting.id, store.BEFORE)
    asked = wishes(env, ctx.locale, store.answers(env, rows[0])) if rows else []
    if not asked:
        return
    ctx.state["tie"] = {"id": rows[0].id, "ticked": []}
    ctx.go(TIE)
    await ask_tie(ctx, None)


async def on_evaluation(env: Env, *, session: AsyncSession, now: datetime,
                        registration: Registration, meeting: Meeting, recipient: int,
                        director: bool, **_: Any) -> None:
    """The six-week nudge: the family is offered the ratings again (once); whoever is
    nudged and the family already answered sees before and after."""
    if not director:
        await offer_evaluation(env, session, now, meeting)
    if await store.done(session, meeting.id, store.EVALUATION):
        await view.send(env, session, now, recipient, registration, meeting,
                        coordinator=not director)


async def ask_tie(ctx: Ctx, replace: int | None) -> None:
    tie = ctx.state.get("tie") or {}
    row = await ctx.session.get(FamilyVoice, str(tie.get("id")))
    if row is None:
        ctx.state.pop("tie", None)
        ctx.home()
        return
    asked = wishes(ctx.env, ctx.locale, store.answers(ctx.env, row))
    rows = [[ctx.btn(("✅ " if key in tie["ticked"] else "⬜ ") + str(label), f"vw:{key}")]
            for key, label in asked]
    rows.append([ctx.btn("✔️ " + ctx.t(N_("Klaar")), "vtied")])
    ctx.say(lines(bold(ctx.t(N_("Het gezin wilde praten over:"))),
                  *[Markup("• ") + label for _key, label in asked], "",
                  ctx.t(N_("Over welke van deze wensen zijn afspraken gemaakt? Kies ze en druk "
                           "op 'Klaar'. De actielijst vermeldt het."))),
            rows, replace=replace)


class TieState(Flow):
    """Ticking the family's wishes the agreements answer."""

    name = TIE

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        tie = ctx.state.get("tie") or {}
        if kind == "vw" and tie:
            ticked = tie["ticked"]
            if arg in ticked:
                ticked.remove(arg)
            else:
                ticked.append(arg)
            ctx.keep_seq()
            await ask_tie(ctx, ctx.event.button_message_id)
        elif kind == "vtied" and tie:
            await tied(ctx)
        else:
            await self.reprompt(ctx)

    async def reprompt(self, ctx: Ctx) -> None:
        await ask_tie(ctx, None)

    async def cancel(self, ctx: Ctx) -> None:
        ctx.state.pop("tie", None)
        ctx.home()


async def tied(ctx: Ctx) -> None:
    """Kept with the family's answers and in the action and decision list."""
    tie = ctx.state.pop("tie")
    ctx.state.clear()
    ctx.go(HOME)
    row = await ctx.session.get(FamilyVoice, str(tie["id"]))
    meeting = await ctx.session.get(Meeting, row.meeting_id) if row else None
    if row is None or meeting is None:
        ctx.home()
        return
    given = store.answers(ctx.env, row)
    chosen = [str(label) for key, label in wishes(ctx.env, ctx.locale, given)
              if key in tie["ticked"]]
    given["tied"] = chosen
    row.answers_sealed = ctx.env.cipher.seal_json(given, row.aad)
    if meeting.outcome_sealed:
        aad = f"meeting:{meeting.id}:outcome"
        outcome = ctx.env.cipher.open_json(meeting.outcome_sealed, aad)
        outcome["gezinswensen"] = chosen
        meeting.outcome_sealed = ctx.env.cipher.seal_json(outcome, aad)
    ctx.say(ctx.t(N_("Afspraken bij wat het gezin vroeg: {value}"),
                  value=", ".join(chosen) if chosen else "—"), ctx.menu_buttons(), tag=None)
