"""Driving the bot through the fake Telegram Bot API with the case scripts of tests/cases.py.

The user's side is the fake (``push_text``, ``push_callback``, ...); the bot's side is
whatever runs the Telegram adapter against it: a :class:`Poller` task in this process
(:func:`running_poller`) or a real ``kks-bot run`` process (tests/test_crash_restart.py).

After each step :meth:`TelegramChat.settle` waits until the bot has *confirmed* the update
(it asked getUpdates for a later offset, which it only does after the core committed the
update) and its outbox is empty (every message of the reply reached the fake). That needs
no knowledge of what the reply looks like, so the same driver serves every case.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot

from kks_bot.channels.telegram.polling import Poller
from kks_bot.channels.telegram.transport import make_bot
from kks_bot.config import Settings
from kks_bot.db.models import Conversation, Outbox
from kks_bot.delivery.outbox import Limits
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeMessage, FakeRequest

from .cases import Step

#: No pacing: the real limits (one message a second per chat) would make a walk of 70
#: questions take more than a minute. Pacing has its own tests.
FAST = Limits(global_rate=10_000, chat_rate=10_000, chat_burst=10_000)

BUSY = ("pending", "sending")


def keyboard_message(api: FakeBotApi, chat_id: int) -> FakeMessage | None:
    """The newest visible bot message that has buttons (what the user would tap)."""
    for message in reversed(api.bot_messages(chat_id)):
        if message.buttons:
            return message
    return None


def button_data(message: FakeMessage, action: str) -> str | None:
    """The callback data "<seq>.<action>" of the button for ``action`` on ``message``."""
    for _label, data in message.buttons:
        if data.endswith("." + action) and data.partition(".")[2] == action:
            return data
    return None


def visible_texts(api: FakeBotApi, chat_id: int) -> list[str]:
    return [m.text or "" for m in api.bot_messages(chat_id)]


async def outbox_busy(sessions: async_sessionmaker[AsyncSession]) -> int:
    """Outbox rows still to be delivered (pending, or claimed and being sent)."""
    async with sessions() as session:
        return int((await session.execute(
            select(func.count()).select_from(Outbox).where(
                Outbox.status.in_(BUSY),
                # a removal scheduled for later (a view after 12 hours) is not "busy"
                ~((Outbox.kind == "delete_tag") & (Outbox.attempts == 0)
                  & (Outbox.next_attempt_at > Outbox.created_at))))).scalar() or 0)


async def outbox_rows(sessions: async_sessionmaker[AsyncSession]) -> list[Outbox]:
    async with sessions() as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())


async def conversation(sessions: async_sessionmaker[AsyncSession],
                       user_id: int) -> tuple[str, str, int] | None:
    """(flow, step, seq) of the user's conversation, as stored."""
    async with sessions() as session:
        conv = await session.get(Conversation, user_id)
        return (conv.flow, conv.step, conv.seq) if conv is not None else None


def confirmed(api: FakeBotApi, update_id: int) -> bool:
    """The bot asked for a later offset: it will never be given ``update_id`` again."""
    for params in api.calls_to("getUpdates"):
        offset = params.get("offset")
        if isinstance(offset, int) and offset > update_id:
            return True
    return False


class StepTimeout(AssertionError):
    """The bot did not finish a step in time."""


@dataclass
class TelegramChat:
    """One professional talking to the bot through the fake Bot API."""

    api: FakeBotApi
    sessions: async_sessionmaker[AsyncSession]
    user_id: int = 4242
    language: str | None = "nl"
    timeout: float = 15.0
    #: Every input the user gave, in order: ("type", text) / ("press", action) / ("media", kind).
    inputs: list[tuple[str, str]] = field(default_factory=list)
    #: (update_id, the conversation's (flow, step) just before it was pushed, the step).
    history: list[tuple[int, tuple[str, str] | None, Step]] = field(default_factory=list)
    last_update_id: int = 0

    # -- what the user sees --------------------------------------------------------------

    def keyboard(self) -> FakeMessage:
        message = keyboard_message(self.api, self.user_id)
        if message is None:
            raise AssertionError("no visible bot message with buttons")
        return message

    def last_text(self) -> str:
        message = self.api.last_bot_message(self.user_id)
        return (message.text or "") if message else ""

    def texts(self) -> list[str]:
        return visible_texts(self.api, self.user_id)

    # -- pushing (without waiting) -------------------------------------------------------

    def push_text(self, text: str) -> int:
        self.inputs.append(("type", text))
        self.last_update_id = self.api.push_text(self.user_id, text,
                                                 language_code=self.language)
        return self.last_update_id

    def push_press(self, action: str, message: FakeMessage | None = None) -> int:
        target = message or self.keyboard()
        data = button_data(target, action)
        if data is None:
            raise AssertionError(f"no button for {action!r} on message {target.message_id}: "
                                 f"{[d for _, d in target.buttons]}\n{target.text}")
        return self.push_data(data, target.message_id, action)

    def push_data(self, data: str, message_id: int, action: str | None = None) -> int:
        self.inputs.append(("press", action or data))
        self.last_update_id = self.api.push_callback(self.user_id, data, message_id,
                                                     language_code=self.language)
        return self.last_update_id

    def push_media(self, kind: str) -> int:
        self.inputs.append(("media", kind))
        push: Callable[..., int] = getattr(self.api, f"push_{kind}")
        self.last_update_id = push(self.user_id, language_code=self.language)
        return self.last_update_id

    async def push_step(self, step: Step) -> int:
        """Push one script step; remember where the conversation was just before."""
        before = await conversation(self.sessions, self.user_id)
        kind, value = step
        update_id = self.push_text(value) if kind == "type" else self.push_press(value)
        self.history.append((update_id, before[:2] if before else None, step))
        return update_id

    # -- waiting -------------------------------------------------------------------------

    async def settle(self, update_id: int | None = None, within: float | None = None) -> None:
        """Wait until the bot confirmed ``update_id`` (default: the last one pushed) and
        delivered everything in its outbox."""
        wanted = self.last_update_id if update_id is None else update_id
        limit = self.timeout if within is None else within
        deadline = time.monotonic() + limit
        if not await self.api.wait_for_async(lambda a: confirmed(a, wanted), timeout=limit):
            raise StepTimeout(f"update {wanted} not confirmed within {limit}s; "
                              f"last bot message: {self.last_text()!r}")
        while await outbox_busy(self.sessions):
            if time.monotonic() > deadline:
                raise StepTimeout(f"outbox not delivered within {limit}s after update {wanted}")
            await asyncio.sleep(0.01)

    # -- script steps --------------------------------------------------------------------

    async def send(self, text: str) -> str:
        self.push_text(text)
        await self.settle()
        return self.last_text()

    async def press(self, action: str) -> str:
        self.push_press(action)
        await self.settle()
        return self.last_text()

    async def media(self, kind: str) -> str:
        self.push_media(kind)
        await self.settle()
        return self.last_text()

    async def do(self, step: Step) -> str:
        await self.push_step(step)
        await self.settle()
        return self.last_text()

    async def run(self, steps: list[Step]) -> None:
        for step in steps:
            await self.do(step)


def bot_settings(settings: Settings, api: FakeBotApi, **update: Any) -> Settings:
    """The test settings with the fake's token (make_bot refuses to start without one)."""
    return settings.model_copy(update={"telegram_bot_token": SecretStr(api.token), **update})


@contextlib.asynccontextmanager
async def running_poller(runtime: Runtime, api: FakeBotApi, *, limits: Limits | None = FAST,
                         bot: Bot | None = None) -> AsyncIterator[Poller]:
    """Our Poller as an asyncio task, talking to ``api`` in-process with python-telegram-bot's
    real serialisation (:class:`FakeRequest`), or through ``bot`` if given. Stopped (and its
    errors raised) on exit."""
    if bot is None:
        bot = make_bot(bot_settings(runtime.settings, api),
                       request=FakeRequest(api), get_updates_request=FakeRequest(api))
    if limits is not None:
        make_worker = runtime.worker
        runtime.worker = lambda transport, _limits=None: make_worker(  # type: ignore[method-assign]
            transport, limits)
    poller = Poller(runtime, bot)
    task = asyncio.create_task(poller.run(), name="poller")
    try:
        started = await api.wait_for_async(
            lambda a: bool(a.calls_to("getUpdates")) or task.done(), timeout=15)
        if task.done():
            task.result()  # raises what went wrong
        assert started, "the poller never called getUpdates"
        yield poller
    finally:
        poller.stop.set()
        api.wake_pollers()
        try:
            await asyncio.wait_for(task, timeout=15)
        finally:
            if limits is not None:
                del runtime.worker  # type: ignore[method-assign]
