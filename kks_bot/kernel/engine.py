"""The kernel: one inbound event in, state changes and outbox rows out.

Everything an event causes happens in one database transaction: the update id is
recorded in the inbox, the conversation and the flow's rows change, and every message to
send is written to the outbox. Either all of it happens or none of it, so a crash at any
moment loses nothing and repeats nothing; the outbox worker delivers afterwards.

The kernel knows no flow: it asks the :class:`~kks_bot.kernel.registry.Registry` what a
command, a button or typed text means in the user's current state.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..db.models import Account, Conversation, Outbox, ProcessedUpdate
from ..i18n import N_, supported_locale
from ..metrics import UPDATES
from ..text import strip_bidi_controls
from . import buttons
from .context import Ctx, Env
from .events import Inbound, InKind

log = logging.getLogger(__name__)

FLOOD = "flood"  # the tag of the one "slow down" message
FLOOD_QUIET = timedelta(minutes=1)  # not asked again within this time


class Kernel:
    """The channel-agnostic bot: give it :class:`Inbound` events."""

    def __init__(self, env: Env) -> None:
        self.env = env

    async def handle(self, event: Inbound) -> bool:
        """Apply one event exactly once. Returns False for a repeated update. (What the
        channel already knows to be a flood goes to :meth:`handle_flood`.)"""
        env = self.env
        if event.text:
            event = _clean(event)
            await self._prepare([event])
        try:
            async with env.sessions() as session, session.begin():
                self._record(session, [event])
                await session.flush()  # a repeat fails here, on its insert: see below
                if await self._flooded(session, event):
                    await self._slow_down(session, [event])
                    UPDATES.labels("flood").inc()
                    return True
                ctx = await self._context(session, event)
                await self._dispatch(ctx)
                while ctx.after:
                    await ctx.after.pop(0)()
                self._finish(ctx)
            UPDATES.labels("handled").inc()
            return True
        except Exception as exc:
            if _is_duplicate_update(exc):
                return False
            _log_failure(exc)
            UPDATES.labels("failed").inc()
        # The handler failed: its effects were rolled back. Record the update (so
        # it is not retried forever) and tell the user, in a fresh transaction.
        async with env.sessions() as session, session.begin():
            if event.update_id is not None:
                if await session.get(ProcessedUpdate, event.update_id) is not None:
                    return False
            self._record(session, [event])
            ctx = await self._context(session, event)
            ctx.say(ctx.t(N_("Sorry, daar ging iets mis aan mijn kant. Je antwoorden zijn "
                             "bewaard. Probeer het nog eens.")))
            try:
                await ctx.reprompt()
            except Exception as exc:  # the state itself is broken: back to the menu
                _log_failure(exc)
                ctx.out = ctx.out[:1]
                ctx.home()
            self._finish(ctx)
        return True

    async def prepare(self, events: Sequence[Inbound]) -> None:
        """The slow work of a batch's typed messages, before their transactions, together
        (the sentence model: twenty questions at once cost it a few calls, not twenty in a
        row). :meth:`handle` then finds it done."""
        await self._prepare([_clean(e) for e in events if e.text])

    async def _prepare(self, events: Sequence[Inbound]) -> None:
        for prepare in self.env.registry.prepare_hooks:
            await prepare(self.env, events)  # outside the transaction, never fatal

    def _record(self, session: AsyncSession, events: Sequence[Inbound]) -> None:
        """Record the updates as handled (in the inbox), in this transaction."""
        now = self.env.clock.now()
        session.add_all([ProcessedUpdate(update_id=e.update_id, processed_at=now)
                         for e in events if e.update_id is not None])

    async def _context(self, session: AsyncSession, event: Inbound) -> Ctx:
        """The user's account, conversation and state (made if new)."""
        env = self.env
        now = env.clock.now()
        # One query for both (they share the key), into the session's identity map.
        found = (await session.execute(
            select(Account, Conversation)
            .outerjoin(Conversation, Conversation.user_id == Account.user_id)
            .where(Account.user_id == event.user_id))).first()
        account, conv = (found[0], found[1]) if found is not None else (None, None)
        if account is None:
            account = Account(
                user_id=event.user_id,
                locale=supported_locale(event.language_code, env.settings.default_locale),
                locale_chosen=False, created_at=now, updated_at=now,
            )
            session.add(account)
        elif not account.locale_chosen and event.language_code:
            account.locale = supported_locale(event.language_code, account.locale)
        if account.unreachable_at is not None:  # they wrote again: unblocked the bot
            account.unreachable_at = None
        if found is None:  # no account yet; a conversation without one is not expected
            conv = await session.get(Conversation, event.user_id)
        state: dict[str, Any] = {}
        if conv is None:
            conv = Conversation(user_id=event.user_id, flow="menu", step="", seq=0,
                                updated_at=now)
            session.add(conv)
        elif conv.state_sealed:
            state = env.cipher.open_json(conv.state_sealed, f"conversation:{event.user_id}")
        ctx = Ctx(env, session, event, account, conv, state, now)
        if event.user_id in env.settings.admins:
            ctx.roles.add("admin")
        for hook in env.registry.context_hooks:
            await hook(ctx)
        if conv.draft_id:
            ctx.tag = f"d:{conv.draft_id}"
        return ctx

    async def _flooded(self, session: AsyncSession, event: Inbound) -> bool:
        """More replies wait for this chat than its pace lets out: the user is typing
        faster than the bot may answer (Telegram: one message a second per chat). What
        they send is not read until the queue is short again, so one user cannot fill the
        outbox that everyone shares - and costs two small queries, not a whole step."""
        waiting = (await session.execute(
            select(func.count()).select_from(Outbox).where(
                Outbox.chat_id == event.chat_id, Outbox.status == "pending",
                Outbox.kind.in_(("send", "edit", "document")),
                Outbox.next_attempt_at <= self.env.clock.now()))).scalar_one()
        return bool(waiting >= self.env.settings.flood_pending)

    async def handle_flood(self, events: Sequence[Inbound]) -> int:
        """Updates of users who flood (the poller saw far more of theirs in a batch than
        anyone types), read and ignored together in one transaction: a flood of three
        hundred costs a few statements, not three hundred transactions, so it delays
        nobody else. Each flooding chat is asked once to slow down. Returns how many
        were new (not handled before)."""
        if not events:
            return 0
        async with self.env.sessions() as session, session.begin():
            ids = [e.update_id for e in events if e.update_id is not None]
            seen = set((await session.execute(select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.update_id.in_(ids)))).scalars()) if ids else set()
            fresh = [e for e in events if e.update_id is None or e.update_id not in seen]
            self._record(session, fresh)
            await self._slow_down(session, fresh)
        UPDATES.labels("flood").inc(len(fresh))
        return len(fresh)

    async def _slow_down(self, session: AsyncSession, events: Sequence[Inbound]) -> None:
        """Updates read and ignored (the caller recorded them): the first time, ask the
        chat to slow down (once: not again while it waits or within :data:`FLOOD_QUIET`)."""
        first: dict[int, Inbound] = {}
        for event in events:
            first.setdefault(event.chat_id, event)
        now = self.env.clock.now()
        told = set((await session.execute(select(Outbox.chat_id).where(
            Outbox.chat_id.in_(list(first)), Outbox.tag == FLOOD,
            or_(Outbox.status == "pending", Outbox.created_at > now - FLOOD_QUIET)))
        ).scalars()) if first else set()
        for chat_id, event in first.items():
            if chat_id in told:
                continue
            ctx = await self._context(session, event)
            ctx.say(ctx.t(N_("Rustig aan: je stuurt sneller dan ik kan antwoorden. Wat je nu "
                             "stuurt, lees ik niet. Wacht op mijn antwoorden en stuur het "
                             "daarna opnieuw.")), tag=FLOOD)
            self._finish(ctx)
            log.info("flood: a chat sends faster than it can be answered; not read meanwhile")

    def _finish(self, ctx: Ctx) -> None:
        if ctx.notes:  # nothing followed to put them on: on their own
            ctx.say(ctx.notes.pop())  # (say puts the earlier notes on top of it)
        ctx.conv.state_sealed = (
            self.env.cipher.seal_json(ctx.state, f"conversation:{ctx.conv.user_id}")
            if ctx.state else None
        )
        ctx.conv.updated_at = ctx.now
        chat = ctx.event.chat_id
        for tag in ctx.delete_tags:
            ctx.enqueue(chat, "delete_tag", {"locale": ctx.locale}, tag=tag)
        for msg in ctx.out:
            payload = {
                "text": msg.text,
                "buttons": [[[b.label, b.data] for b in row] for row in msg.buttons],
                "locale": ctx.locale,
            }
            if msg.replace_message_id is not None:
                ctx.enqueue(chat, "edit", payload, target=msg.replace_message_id, tag=msg.tag)
            else:
                ctx.enqueue(chat, "send", payload, tag=msg.tag)
        # The user's own message (family details) goes right after the answer to it:
        # the next question is not kept waiting for a call the user does not need.
        for message_id in ctx.delete_message_ids:
            ctx.enqueue(chat, "delete", {"locale": ctx.locale}, target=message_id)
        for tag, due in ctx.later_deletes:
            ctx.enqueue(chat, "delete_tag", {"locale": ctx.locale}, tag=tag, due=due)

    async def _dispatch(self, ctx: Ctx) -> None:
        registry = self.env.registry
        event = ctx.event
        if event.kind is InKind.COMMAND:
            handler = registry.commands.get(event.command)
            if handler is None:
                ctx.note(ctx.t(N_("Dat commando ken ik niet: /{command}."),
                               command=event.command))
                await ctx.reprompt()
            else:
                await handler(ctx)
        elif event.kind is InKind.BUTTON:
            await self._press(ctx, buttons.parse(event.data))
        elif event.kind is InKind.UNSUPPORTED:
            if ctx.flow.private_input:
                ctx.delete_message(event.message_id)
            ctx.note(ctx.t(N_("Ik kan alleen tekst en de knoppen lezen, geen foto's, "
                              "spraakberichten, stickers of locaties. Typ je antwoord "
                              "of kies een knop.")))
            await ctx.reprompt()
        else:
            await ctx.flow.text(ctx)

    async def _press(self, ctx: Ctx,
                     press: buttons.ScreenPress | buttons.RoutedPress | None) -> None:
        registry = self.env.registry
        if isinstance(press, buttons.RoutedPress) and press.prefix in registry.routes:
            # A notification's button (ids only): the route's guard checks the presser.
            route = registry.routes[press.prefix]
            target, arg = route.match(press.action)
            found = await route.guard(ctx, press.action, press.ident,
                                      target.policy if target else None)
            if found is None:
                return  # refused (said and audited by the guard)
            if target is None:
                await ctx.reprompt()
            else:
                await target.handler(ctx, found, arg)
            return
        if not isinstance(press, buttons.ScreenPress) or press.seq != ctx.conv.seq:
            ctx.note(ctx.t(N_("Die knop hoort bij een eerder bericht. Hier is waar je nu "
                              "bent:")))
            await ctx.reprompt()
            return
        action = registry.actions.get(press.kind)
        if action is not None:
            await action(ctx, press.arg)
        else:
            await ctx.flow.button(ctx, press.kind, press.arg)

    async def last_update_id(self) -> int | None:
        async with self.env.sessions() as session:
            value = (await session.execute(select(func.max(ProcessedUpdate.update_id)))).scalar()
            return int(value) if value is not None else None

    async def prune_inbox(self, keep: timedelta = timedelta(days=7)) -> None:
        """Forget old update ids, keeping the newest (the polling offset comes from it)."""
        async with self.env.sessions() as session, session.begin():
            newest = (await session.execute(select(func.max(ProcessedUpdate.update_id)))).scalar()
            await session.execute(delete(ProcessedUpdate).where(
                ProcessedUpdate.processed_at < self.env.clock.now() - keep,
                ProcessedUpdate.update_id != newest))


def _clean(event: Inbound) -> Inbound:
    """No bidi override typed by one user reorders another's screen."""
    return replace(event, text=strip_bidi_controls(event.text))


def _is_duplicate_update(exc: BaseException) -> bool:
    return isinstance(exc, IntegrityError) and "processed_update" in str(exc.statement or "")


def _log_failure(exc: BaseException) -> None:
    # Never log the exception message: it may quote what the user typed.
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(frames[-6:]))
    log.error("handler failed: %s at %s", type(exc).__name__, where)
