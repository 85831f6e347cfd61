"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

from ...kernel.context import Ctx, Registry
from ...safety import SAFETY, show_safety
from . import check, questions, threads


async def sparren(ctx: Ctx) -> None:
    await ctx.leave()
    questions.menu(ctx)


async def my_threads(ctx: Ctx) -> None:
    await ctx.leave()
    await threads.thread_list(ctx)


async def safety(ctx: Ctx) -> None:
    await show_safety(ctx)


def register(registry: Registry) -> None:
    registry.flow(questions.SparState())
    registry.flow(check.CHECK_FLOW)
    registry.command(("sparren", "spar", "sparring"), sparren)
    registry.command(("sparvragen", "threads"), my_threads)
    registry.command(("acuut", "veilig", "safety", "urgent"), safety)
    registry.action(SAFETY, show_safety)
    registry.entry("faq", questions.faq_entry)
    registry.route(threads.THREAD, threads.guard)
    registry.route_action(threads.THREAD, "show", threads.show, policy=False)
    registry.route_action(threads.THREAD, "reply", threads.start_reply, policy=True)
    registry.route_action(threads.THREAD, "close", threads.close, policy=True)
