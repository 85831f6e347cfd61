"""A walk through a declarative form, one question per message.

The same walker asks the aanmeldformulier, the professional's profile, the guided check
and the meeting forms: what differs per kind of walk is declared in a :class:`WalkSpec`
by the flow that owns it (what the end of the walk does, where the answers are kept, which
buttons every step carries), and what differs per field is declared in the form itself
(``conversations/``). The walker knows no field of any form by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from conversations.schema import Field, Form, Kind, Option

from ..kernel.context import Ctx


class Act(StrEnum):
    """The kinds of screen button a walk step carries ("o:ja", "skip", ...)."""

    OPTION = "o"  # a choice or yes/no: o:<option id>
    TOGGLE = "t"  # a tick in a multiple choice: t:<option id>
    DONE = "done"  # the ticks are done
    SUGGESTION = "s"  # a suggested text: s:<index>
    MUNICIPALITY = "m"  # m:<CBS code>, m:list, m:other
    CONFIRM = "cf"  # cf:yes, cf:change (prefilled answers)
    GROUP = "g"  # g:add, g:done
    KEEP = "keep"  # keep the current answer
    SKIP = "skip"
    BACK = "back"
    HELP = "help"
    PAUSE = "pause"
    CANCEL = "cancel"


@dataclass
class Walk:
    """One walk through a form: the form, the answers so far, and where we are."""

    form: Form
    answers: dict[str, Any]
    pos: str
    spec: WalkSpec
    tag: str | None = None
    record: Any = None  # the row the answers live in (a draft), if not the state
    fill: bool = False  # after an edit from the review: only what is new or missing


def save_in_state(ctx: Ctx, walk: Walk) -> None:
    """Answers kept in the conversation state (the check, the meeting forms, the profile)."""
    ctx.state["answers"] = walk.answers


@dataclass(frozen=True)
class WalkSpec:
    """How a kind of walk behaves."""

    kind: str
    end: Callable[[Ctx, Walk], None]  # the walk reached its end (may ctx.then() async work)
    save: Callable[[Ctx, Walk], None] = save_in_state  # store answers and position
    progress: bool = True  # "Deel 2 van 8 · ... · vraag 3 van 12"
    pause_cancel: bool = False  # ⏸ and 🗑 on every step (a draft)
    stop_action: str | None = None  # a "Stoppen" button with this action
    safety: bool = False  # the acute-safety button on every step
    private: bool = False  # typed answers to family fields are deleted from the chat
    pause: Callable[[Ctx, Walk], None] | None = None
    moved: Callable[[Ctx, Walk], None] | None = None  # after each step
    # "back" at the first question of an edit from the review: back to the review
    back_from_fill: Callable[[Ctx, Walk], None] | None = None


def walk_in_state(ctx: Ctx, form: Form, spec: WalkSpec) -> Walk:
    """The walk of a state-backed flow (check, meeting, outcome, profile) at its step."""
    return Walk(form, ctx.state.setdefault("answers", {}), ctx.conv.step, spec,
                fill=bool(ctx.state.get("fill")))


YES_WORDS = {"ja", "j", "yes", "y", "نعم", "ok", "oké", "oke"}
NO_WORDS = {"nee", "n", "no", "nein", "لا"}


def yes_no(text: str) -> bool | None:
    word = " ".join(text.casefold().strip(" .!?").split())
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def option_value(field: Field, option: Option) -> object:
    """What choosing ``option`` stores (True/False for yes/no)."""
    if field.kind is Kind.YESNO:
        return option.id == "ja"
    return option.id
