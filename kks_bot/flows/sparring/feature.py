"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select

from ...db.models import Conversation
from ...forms import parsers
from ...kernel.context import HOME, BackgroundJob, Ctx, Env, Registry
from ...kernel.events import Inbound, InKind
from ...safety import SAFETY, show_safety
from . import check, learning, questions, retiring, semantic, threads, writing
from .names import SPAR, question_text


async def sparren(ctx: Ctx) -> None:
    await ctx.leave()
    questions.menu(ctx)


async def my_threads(ctx: Ctx) -> None:
    await ctx.leave()
    await threads.thread_list(ctx)


async def safety(ctx: Ctx) -> None:
    await show_safety(ctx)


def _texts(text: str) -> list[str]:
    """What the matcher looks up for a typed question: the text, and its question part."""
    texts = [text]
    with contextlib.suppress(parsers.ParseError):
        texts.append(question_text(text))
    return texts


async def prepare(env: Env, events: Sequence[Inbound]) -> None:
    """Before the transaction: the sentence vectors of typed questions, in the model's
    own process, for users who are where a typed text is read as a question (the menu,
    the sparring screens); a form answer never waits for it. A batch goes to the model
    together (:meth:`ModelProcess.prepare`: in a few calls); a question prepared with its
    batch is not asked again."""
    process = semantic.model_process()
    typed = [(e, texts) for e in events if e.kind == InKind.TEXT  # a command is no question
             and not e.text.startswith("/")
             and not all(map(process.has, texts := _texts(e.text)))]
    if not typed:
        return
    async with env.sessions() as session:
        flows: dict[int, str] = {row.user_id: row.flow for row in await session.execute(
            select(Conversation.user_id, Conversation.flow)
            .where(Conversation.user_id.in_({e.user_id for e, _ in typed})))}
    asked = [t for e, texts in typed if flows.get(e.user_id) in (None, HOME, SPAR)
             for t in texts]
    # The matcher (and NumPy) load with the first question, not with a form's answer.
    if asked and isinstance(semantic.shared_matcher(), semantic.HybridMatcher):
        await process.prepare(asked)


async def warm(_env: Env) -> None:
    semantic.model_process().warm()


def register(registry: Registry) -> None:
    registry.prepare_hook(prepare)
    registry.job(BackgroundJob("sentence-model", timedelta(days=1), warm))
    registry.job(BackgroundJob("faq-learning", timedelta(minutes=2), learning.learn))
    registry.entry("faq_reviews", learning.reviews_entry)
    registry.route(learning.REVIEW, learning.guard)
    registry.route_action(learning.REVIEW, "as-", learning.attach_pressed)
    registry.route_action(learning.REVIEW, "pick", learning.pick_pressed)
    registry.route_action(learning.REVIEW, "drop", learning.drop_pressed)
    registry.route_action(learning.REVIEW, "aw-", learning.attach_written_pressed)
    registry.route_action(learning.REVIEW, "new", writing.start)
    registry.entry("faq_written", retiring.list_entry)
    registry.route(retiring.ENTRY, retiring.guard)
    registry.route_action(retiring.ENTRY, "ask", retiring.ask)
    registry.route_action(retiring.ENTRY, "yes", retiring.retire_pressed)
    registry.flow(writing.WriteState())
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
