"""A conversation state that is a walk whose answers live in the conversation state (the
guided check, planning a meeting, recording it, the profile): typed text and buttons are
answers, "show it again" asks the current question."""

from __future__ import annotations

from conversations.schema import Form

from ..kernel.context import Ctx, Flow
from . import answers
from .positions import next_pos
from .screen import ask
from .walk import Walk, WalkSpec, walk_in_state


class StateWalkFlow(Flow):
    """A walk over ``form`` in state ``name``; ``spec`` says how it behaves."""

    def __init__(self, name: str, form: Form, spec: WalkSpec) -> None:
        self.name = name
        self.form = form
        self.spec = spec

    def walk(self, ctx: Ctx) -> Walk:
        ctx.tag = None
        return walk_in_state(ctx, self.form, self.spec)

    async def text(self, ctx: Ctx) -> None:
        await answers.typed(ctx, self.walk(ctx))

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        await answers.pressed(ctx, self.walk(ctx), kind, arg)

    async def reprompt(self, ctx: Ctx) -> None:
        ask(ctx, self.walk(ctx))

    def start(self, ctx: Ctx, answers_so_far: dict[str, object] | None = None, *,
              fill: bool = False) -> None:
        """Begin the walk at its first open question (``fill``: only what is missing)."""
        ctx.go(self.name)
        ctx.state["answers"] = dict(answers_so_far or {})
        if fill:
            ctx.state["fill"] = True
        walk = self.walk(ctx)
        walk.fill = fill
        walk.pos = next_pos(self.form, None, walk.answers, fill=fill) or ""
        ctx.conv.step = walk.pos
        ask(ctx, walk)
