"""Anonymous questions to a coordinator, as threads: the first coordinator to answer owns
the thread, either side can write and close it, nobody else sees it. Thread buttons are
``s.<show|reply|close>.<thread id>``, checked by :func:`guard` first."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...db.models import Account, SparMessage, SparThread, row_uid
from ...forms import parsers
from ...i18n import N_, NP_
from ...kernel.buttons import routed
from ...kernel.context import HOME, Ctx, Env
from ...kernel.events import Button
from ...people import active_coordinators, coordinator_codes, person
from ...safety import danger_text
from ...text import Markup, bold, italic, lines
from .danger import sensed
from .identifying import identifying_details
from .names import KIND_LABELS, SPAR, Step, question_text
from .semantic import shared_matcher

# A reference is read aloud and typed: no 0/O, 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _candidate() -> str:
    return "SP-" + "".join(secrets.choice(ALPHABET) for _ in range(6))


async def new_reference(session: AsyncSession) -> str:
    """A sparring question's reference, ``SP-`` and six characters (about 900 million),
    that no other question has: drawn again on the rare collision, which would otherwise
    fail the question (the column is unique)."""
    while True:
        reference = _candidate()
        taken = (await session.execute(select(SparThread.id).where(
            SparThread.reference == reference))).first()
        if taken is None:
            return reference


THREAD = "s"  # the prefix of thread buttons
LIST_LIMIT = 10


async def role(ctx: Ctx, thread: SparThread) -> str | None:
    if thread.professional_id == ctx.account.user_id:
        return "professional"
    if thread.gemeente_code in await coordinator_codes(ctx.session, ctx.account.user_id):
        return "coordinator"
    return None


async def guard(ctx: Ctx, action: str, thread_id: str, policy: Any) -> Any:
    """The thread, when the presser is its professional or a coordinator of its
    municipality and it is open where that matters (``policy``: True); else None."""
    thread = await ctx.session.get(SparThread, thread_id)
    who = await role(ctx, thread) if thread is not None else None
    if thread is None or who is None or policy is None:
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused", None,
              f"s.{action}.{thread_id}")
        ctx.note(ctx.t(N_("Dat kan ik niet tonen: deze sparvraag is niet van jou of van jouw "
                          "gemeente(n).")))
        await ctx.reprompt()
        return None
    if policy and thread.status != "open":
        ctx.say(ctx.t(N_("Sparvraag {reference} is gesloten."), reference=thread.reference),
                tag=None)
        return None
    return thread


async def start_reply(ctx: Ctx, thread: SparThread, _arg: str = "") -> None:
    ctx.go(SPAR, Step.REPLY)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["thread"] = thread.id
    ctx.tag = None
    ask_reply(ctx, thread)


def ask_reply(ctx: Ctx, thread: SparThread) -> None:
    ctx.say(ctx.t(N_("Typ je bericht voor sparvraag {reference}."),
                  reference=thread.reference),
            [[ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)


async def reply_text(ctx: Ctx) -> None:
    env = ctx.env
    thread = await ctx.session.get(SparThread, str(ctx.state.get("thread")))
    who = await role(ctx, thread) if thread is not None else None
    if thread is None or who is None or thread.status != "open":
        ctx.state.clear()
        ctx.go(HOME)
        ctx.say(ctx.t(N_("Dat kan niet (meer).")), tag=None)
        return
    try:
        message = question_text(ctx.event.text)
    except parsers.ParseError as exc:
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        ask_reply(ctx, thread)
        return
    if who == "professional" and not ctx.state.get("warned"):
        found = identifying_details(message)
        if found:
            ctx.state["warned"] = True
            ctx.delete_message(ctx.event.message_id)
            ctx.say("⚠️ " + ctx.t(N_("Je bericht lijkt iets te bevatten waaraan het gezin te "
                                    "herkennen is: {kinds}. Typ het opnieuw zonder die "
                                    "gegevens; typ je het nog eens zo, dan gaat het toch."),
                                 kinds=Markup(", ").join(ctx.t(KIND_LABELS[k]) for k in found)),
                    [[ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)
            return
    kinds = sensed(message, shared_matcher()) if who == "professional" else frozenset()
    if kinds:  # the coordinator answers later: the numbers now
        audit(ctx.session, ctx.now, ctx.account.user_id, "spar_safety", None,
              ",".join(sorted(kinds)))
        ctx.note(danger_text(ctx, kinds))
    store(ctx, thread, message)
    thread.updated_at = ctx.now
    audit(ctx.session, ctx.now, ctx.account.user_id, "spar_message", None, thread.reference)
    author = ctx.account
    targets = [thread.professional_id] if who == "coordinator" \
        else await coordinator_side(ctx, thread)
    for user in targets:
        await send(ctx, user, thread, lambda loc: env.tr.t(
            loc, N_("💬 {person} over sparvraag {reference}:"),
            person=person(env, author, loc), reference=thread.reference)
            + "\n\n" + italic(message))
    ctx.state.clear()
    ctx.go(SPAR)
    ctx.say(ctx.t(N_("Verstuurd.")),
            [[ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list"),
              ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)


async def close(ctx: Ctx, thread: SparThread, _arg: str = "") -> None:
    env = ctx.env
    thread.status, thread.closed_by, thread.updated_at = "closed", ctx.account.user_id, ctx.now
    audit(ctx.session, ctx.now, ctx.account.user_id, "spar_close", None, thread.reference)
    me = ctx.account
    others = [thread.professional_id] if thread.professional_id != me.user_id \
        else await coordinator_side(ctx, thread)
    for user in others:
        if user != me.user_id:
            await ctx.tell(user, lambda loc: env.tr.t(
                loc, N_("Sparvraag {reference} is gesloten door {person}."),
                reference=thread.reference, person=person(env, me, loc)),
                coordinator_of=None if user == thread.professional_id
                else thread.gemeente_code)
    ctx.say(ctx.t(N_("Sparvraag {reference} is gesloten."), reference=thread.reference),
            tag=None)


async def coordinator_side(ctx: Ctx, thread: SparThread) -> list[int]:
    """The coordinator who answered first, while still active; else all of them."""
    coordinators = await active_coordinators(ctx.session, thread.gemeente_code)
    first = (await ctx.session.execute(
        select(SparMessage.author_id).where(SparMessage.thread_id == thread.id,
                                            SparMessage.author_id != thread.professional_id)
        .order_by(SparMessage.at, SparMessage.id).limit(1))).scalar_one_or_none()
    if first is not None and int(first) in coordinators:
        return [int(first)]
    return coordinators


async def show(ctx: Ctx, thread: SparThread, _arg: str = "") -> None:
    env = ctx.env
    messages = (await ctx.session.execute(
        select(SparMessage).where(SparMessage.thread_id == thread.id)
        .order_by(SparMessage.at, SparMessage.id))).scalars().all()
    municipality = env.directory.get(thread.gemeente_code)
    shown = [ctx.t(N_("<b>Sparvraag {reference}</b> · {gemeente} · {status}"),
                   reference=thread.reference,
                   gemeente=municipality.name if municipality else thread.gemeente_code,
                   status=ctx.t(N_("open")) if thread.status == "open"
                   else ctx.t(N_("gesloten")))]
    people: dict[int, str] = {}
    for message in messages[-8:]:
        if message.author_id not in people:
            people[message.author_id] = person(
                env, await ctx.session.get(Account, message.author_id), ctx.locale)
        body = env.cipher.open_json(message.text_sealed, message.aad)
        shown.append(lines("", bold(people[message.author_id]), italic(str(body))))
    audit(ctx.session, ctx.now, ctx.account.user_id, "spar_view", None, thread.reference)
    ctx.say(lines(*shown), thread_buttons(env, ctx.locale, thread) if
            thread.status == "open" else [], tag=None)


async def thread_list(ctx: Ctx) -> None:
    """/sparvragen: open threads of the coordinator's municipalities and one's own."""
    codes = await coordinator_codes(ctx.session, ctx.account.user_id)
    query = select(SparThread).where(SparThread.status == "open")
    mine = SparThread.professional_id == ctx.account.user_id
    query = query.where(mine | SparThread.gemeente_code.in_(codes)) if codes \
        else query.where(mine)
    threads = (await ctx.session.execute(
        query.order_by(SparThread.updated_at.desc()).limit(LIST_LIMIT))).scalars().all()
    ctx.go(SPAR)
    if not threads:
        ctx.say(ctx.t(N_("Er zijn geen open sparvragen.")),
                [[ctx.btn(ctx.t(N_("Terug")), "sp:menu")]], tag=None)
        return
    shown = [ctx.tn(NP_("{n} open sparvraag:", "{n} open sparvragen:"), len(threads))]
    rows: list[list[Button]] = []
    for thread in threads:
        municipality = ctx.env.directory.get(thread.gemeente_code)
        shown.append(Markup("• {} · {}").format(
            thread.reference, municipality.name if municipality else thread.gemeente_code))
        rows.append([Button(thread.reference, routed(THREAD, "show", thread.id))])
    ctx.say(lines(*shown), rows, tag=None)


def thread_buttons(env: Env, locale: str, thread: SparThread) -> list[list[Button]]:
    t = env.tr.t
    return [[Button("↩️ " + t(locale, N_("Reageren")), routed(THREAD, "reply", thread.id)),
             Button("✅ " + t(locale, N_("Sluiten")), routed(THREAD, "close", thread.id))]]


def store(ctx: Ctx, thread: SparThread, body: str) -> None:
    message = SparMessage(thread_id=thread.id, author_id=ctx.account.user_id, at=ctx.now,
                          uid=row_uid())
    message.text_sealed = ctx.env.cipher.seal_json(body, message.aad)
    ctx.session.add(message)


async def send(ctx: Ctx, user_id: int, thread: SparThread,
               render: Callable[[str], Markup]) -> None:
    """A message of the thread: gone from the chat after a day (it stays in the thread);
    on the coordinators' side only while they are coordinators of its municipality."""
    side = None if user_id == thread.professional_id else thread.gemeente_code
    await ctx.tell(user_id, render, lambda loc: thread_buttons(ctx.env, loc, thread),
                   coordinator_of=side, expires=ctx.env.chat_ttl)
