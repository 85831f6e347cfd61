"""The questions, one per message: the six dimensions with 0-10 buttons (two rows),
"skip" and "stop"; then what goes well and what to talk about, typed or chosen from
topics; then a summary to confirm. The family on their phone, or the coordinator with
the family during the meeting (kept as such). The answers wait in the (sealed)
conversation state until confirmed; "stop" passes nothing on."""

from __future__ import annotations

from typing import Any

from ...db.models import FamilyVoice, Meeting, Registration
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import HOME, Ctx, Flow
from ...kernel.events import Button
from ...people import coordinator_side
from ...text import Markup, bold, lines
from . import store, view
from .texts import DIMENSIONS, TOPICS, family_summary

STATE = "voice"
FAMILY_STATE = "family"  # the meetings flow's state of a family member (by name only)
VOICE = "v"  # the family's routed buttons: v.<action>.<meeting id>
MAX_WORDS = 500


def steps(moment: str) -> list[str]:
    dimensions = [f"d{i}" for i in range(len(DIMENSIONS))]
    return dimensions + (["well", "talk"] if moment == store.BEFORE else []) + ["confirm"]


def begin(ctx: Ctx, row: FamilyVoice, previous: dict[str, Any]) -> None:
    """Start (or change: ``previous`` answers) the questions of ``row``."""
    ctx.conv.draft_id = None
    ctx.tag = None
    ctx.state["voice"] = {"id": row.id, "moment": row.moment, "by": row.by,
                          "step": "d0", "a": dict(previous), "editing": bool(previous)}
    ctx.go(STATE)
    ask(ctx)


def _voice(ctx: Ctx) -> dict[str, Any]:
    found: dict[str, Any] = ctx.state.get("voice") or {}
    return found


def ask(ctx: Ctx, *, replace: int | None = None) -> None:
    v = _voice(ctx)
    step, order, answers = v["step"], steps(v["moment"]), v["a"]
    number = ctx.t(N_("Vraag {n} van {total}"), n=order.index(step) + 1, total=len(order) - 1)
    together = [Markup("👪 ") + ctx.t(N_("Samen met het gezin"))] if v["by"] == "coordinator" \
        else []
    stop = ctx.btn("⏹ " + ctx.t(N_("Stoppen")), "vstop")
    if step.startswith("d"):
        _key, _pro, name, explain = DIMENSIONS[int(step[1:])]
        current = (answers.get("ratings") or {}).get(_key)
        shown = [*together, number + Markup(": ") + bold(ctx.t(name)), ctx.t(explain), "",
                 ctx.t(N_("Welk cijfer geef je? 0 is heel slecht, 10 is heel goed."))]
        if v["editing"] and current is not None:
            shown.append(ctx.t(N_("Nu: {value}. Met 'Overslaan' blijft het zo."), value=current))
        rows = [[ctx.btn(str(n), f"vr:{n}") for n in range(0, 6)],
                [ctx.btn(str(n), f"vr:{n}") for n in range(6, 11)],
                [ctx.btn("⏭ " + ctx.t(N_("Overslaan")), "vskip"), stop]]
        ctx.say(lines(*shown), rows, replace=replace)
    elif step in ("well", "talk"):
        question = N_("Wat gaat goed?") if step == "well" else \
            N_("Waarover wil je praten in het gesprek?")
        chosen = (answers.get(step) or {}).get("topics", [])
        shown = [*together, number + Markup(": ") + bold(ctx.t(question)),
                 ctx.t(N_("Typ het hier. Of kies hieronder een of meer onderwerpen en druk "
                          "op 'Verder'."))]
        typed = (answers.get(step) or {}).get("text")
        if typed:
            shown.append(ctx.t(N_("Je schreef: {text}"), text=typed))
        buttons = [ctx.btn(("✅ " if key in chosen else "") + ctx.t(label), f"vt:{key}")
                   for key, label in TOPICS]
        rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
        rows.append([ctx.btn("➡️ " + ctx.t(N_("Verder")), "vnext"), stop])
        ctx.say(lines(*shown), rows, replace=replace)
    else:
        words = v["moment"] == store.BEFORE
        ending = (N_("Als het klopt, geef ik het door aan de coördinator. Tot het gesprek kun "
                     "je het nog veranderen.") if words else
                  N_("Als het klopt, geef ik het door aan de coördinator."))
        if v["by"] == "coordinator":
            ending = N_("Als het klopt, bewaar ik het bij de aanmelding. Erbij staat dat je "
                        "het samen met het gezin invulde.")
        ctx.say(lines(*together, bold(ctx.t(N_("Klopt dit?"))),
                      family_summary(ctx.env, ctx.locale, answers, words=words), "",
                      ctx.t(ending)),
                [[ctx.btn("✅ " + ctx.t(N_("Ja, klopt")), "vok")],
                 [ctx.btn("✏️ " + ctx.t(N_("Veranderen")), "vedit"), stop]])


def _next(ctx: Ctx) -> None:
    v = _voice(ctx)
    order = steps(v["moment"])
    v["step"] = order[order.index(v["step"]) + 1]
    ask(ctx)


class VoiceState(Flow):
    """Answering, one question at a time (see the module)."""

    name = STATE
    private_input = True  # what the family types is theirs: out of the chat at once

    async def text(self, ctx: Ctx) -> None:
        v = _voice(ctx)
        typed = (ctx.event.text or "").strip()[:MAX_WORDS]
        ctx.delete_message(ctx.event.message_id)
        if v.get("step") in ("well", "talk") and typed:
            v["a"].setdefault(v["step"], {})["text"] = typed
            _next(ctx)
        elif v.get("step") == "words" and typed:
            await words(ctx, typed)
        else:
            ctx.note(ctx.t(N_("Kies een knop, alsjeblieft.")))
            await self.reprompt(ctx)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        v = _voice(ctx)
        step = v.get("step", "")
        if kind == "vstop":
            await stop(ctx)
        elif kind == "vr" and step.startswith("d") and arg.isdigit() and int(arg) <= 10:
            key = DIMENSIONS[int(step[1:])][0]
            v["a"].setdefault("ratings", {})[key] = int(arg)
            _next(ctx)
        elif kind == "vskip" and step.startswith("d"):
            _next(ctx)
        elif kind == "vt" and step in ("well", "talk") and arg in dict(TOPICS):
            chosen = v["a"].setdefault(step, {}).setdefault("topics", [])
            if arg in chosen:
                chosen.remove(arg)
            else:
                chosen.append(arg)
            ctx.keep_seq()  # the same message, ticked: its buttons stay valid
            ask(ctx, replace=ctx.event.button_message_id)
        elif kind == "vnext" and step in ("well", "talk"):
            _next(ctx)
        elif kind == "vedit" and step == "confirm":
            v["step"], v["editing"] = "d0", True
            ask(ctx)
        elif kind == "vok" and step == "confirm":
            await confirm(ctx)
        elif kind == "vdone" and step == "words":
            await words(ctx, "")
        else:
            await self.reprompt(ctx)

    async def reprompt(self, ctx: Ctx) -> None:
        v = _voice(ctx)
        if not v:
            leave(ctx, v)
        elif v["step"] == "words":
            ask_words(ctx)
        else:
            ask(ctx)

    async def cancel(self, ctx: Ctx) -> None:
        await stop(ctx)


def leave(ctx: Ctx, v: dict[str, Any]) -> None:
    """Back where the user was: the family's screen, or the coordinator's menu."""
    ctx.state.pop("voice", None)
    if v.get("by") == "family":
        ctx.go(FAMILY_STATE, "in")
    else:
        ctx.state.clear()
        ctx.go(HOME)


async def _row(ctx: Ctx) -> tuple[FamilyVoice, Meeting, Registration] | None:
    row = await ctx.session.get(FamilyVoice, str(_voice(ctx).get("id")))
    meeting = await ctx.session.get(Meeting, row.meeting_id) if row else None
    registration = await ctx.session.get(Registration, row.registration_id) if row else None
    if row is None or meeting is None or registration is None:
        return None
    return row, meeting, registration


async def _finish(ctx: Ctx, v: dict[str, Any]) -> tuple[FamilyVoice, Meeting, Registration] | None:
    """The end of the questions (stop, confirm, the last words): the row, and back where
    the user was; None (and home) when the row or its meeting is gone."""
    found = await _row(ctx)
    leave(ctx, v)
    if found is None:
        ctx.home()
    return found


async def stop(ctx: Ctx) -> None:
    v = _voice(ctx)
    found = await _finish(ctx, v)
    if found is None:
        return
    row, meeting, _registration = found
    if v.get("by") != "family":
        ctx.say(ctx.t(N_("Gestopt. Er is niets bewaard.")), tag=None)
        return
    kept = row.status == "done"
    if not kept:
        row.status, row.updated_at = "stopped", ctx.now
    again = [] if row.moment == store.EXPERIENCE else [[Button(
        "💬 " + ctx.t(N_("Toch iets vertellen")), routed(VOICE, f"go-{row.moment}",
                                                       meeting.id))]]
    ctx.say(ctx.t(N_("Goed, we stoppen. Wat je eerder doorgaf, blijft zo.") if kept else
                  N_("Goed, we stoppen. Ik geef niets door.")), again, tag=None)


async def confirm(ctx: Ctx) -> None:
    v = _voice(ctx)
    found = await _finish(ctx, v)
    if found is None:
        return
    row, meeting, registration = found
    if row.moment == store.BEFORE and (meeting.status != "planned" or
                                       meeting.starts_at <= ctx.now) and row.by == "family":
        ctx.say(ctx.t(N_("Het gesprek is al geweest. Ik kan het niet meer veranderen.")),
                tag=None)
        return
    store.keep(ctx.env, row, v["a"], ctx.now)
    if row.by == "coordinator":
        ctx.say(ctx.t(N_("Bewaard bij {reference}."), reference=registration.reference),
                tag=None)
        await view.send(ctx.env, ctx.session, ctx.now, ctx.account.user_id, registration,
                        meeting)
        return
    edit = [[Button("✏️ " + ctx.t(N_("Veranderen")), routed(VOICE, "edit", meeting.id))]] \
        if row.moment == store.BEFORE else []
    ctx.say(ctx.t(N_("Dank je! Ik heb het doorgegeven aan de coördinator. De mensen in het "
                     "gesprek weten nu wat voor jou belangrijk is.") if row.moment ==
                  store.BEFORE else N_("Dank je! Ik heb het doorgegeven aan de coördinator.")),
            edit, tag=None)
    head = (N_("Het gezin van {reference} vertelt wat voor hen belangrijk is.")
            if row.moment == store.BEFORE else
            N_("Het gezin van {reference} gaf bij de evaluatie weer cijfers."))
    users = await coordinator_side(ctx.session, registration)
    if row.moment == store.EVALUATION:
        users += await directors(ctx, registration, meeting)
    for user in users:
        await view.send(ctx.env, ctx.session, ctx.now, user, registration, meeting,
                        head=head, coordinator=user != registration.owner_id)


async def directors(ctx: Ctx, registration: Registration, meeting: Meeting) -> list[int]:
    """The registrant, when the action list made them case director."""
    outcome = ctx.env.cipher.open_json(meeting.outcome_sealed, f"meeting:{meeting.id}:outcome") \
        if meeting.outcome_sealed else {}
    return [registration.owner_id] if outcome.get("regisseur_aanmelder") and \
        registration.owner_id else []


def ask_words(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Dank je! Wil je er iets over zeggen? Typ het dan hier. Dat hoeft "
                     "niet.")), [[ctx.btn(ctx.t(N_("Nee, klaar")), "vdone")]])


async def words(ctx: Ctx, typed: str) -> None:
    """The optional sentence after the three buttons about the meeting."""
    v = _voice(ctx)
    found = await _finish(ctx, v)
    if found is None:
        return
    row, _meeting, registration = found
    ctx.say(ctx.t(N_("Dank je. Ik heb het doorgegeven aan de coördinator.")), tag=None)
    if not typed:
        return
    given = store.answers(ctx.env, row)
    given["words"] = typed
    store.keep(ctx.env, row, given, ctx.now)
    await view.tell_side(ctx.env, ctx.session, ctx.now, registration, lambda loc: ctx.env.tr.t(
        loc, N_("Het gezin van {reference} over het overleg: {words}"),
        reference=registration.reference, words=typed), [row.id],
        await coordinator_side(ctx.session, registration))
