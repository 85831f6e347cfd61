"""Helpers that walk a case script through the core."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from kks_bot.db.models import Registration
from kks_bot.flows.casework import onboarding
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import Case, Step


async def do(chat: Chat, step: Step) -> str:
    kind, value = step
    if kind == "type":
        await chat.send(value)
    else:
        await press_action(chat, value)
    return chat.text()


async def open_faq(chat: Chat) -> None:
    """/sparren -> "Stel een vraag": the FAQ waits for a typed question."""
    await chat.send("/sparren")
    await press_action(chat, "sp:faq")
    chat.text()


async def make_profile(chat: Chat, case: Case) -> None:
    await chat.send("/start")
    for step in case.profile:
        await do(chat, step)
    chat.text()


async def fill_form(chat: Chat, case: Case) -> list[str]:
    """Walk the whole form; return what the bot said after each step."""
    await chat.send("/aanmelden")
    said = [chat.text()]
    for step in case.form:
        said.append(await do(chat, step))
    return said


async def registrations(runtime: Runtime) -> list[dict[str, Any]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Registration).order_by(Registration.reference))
                ).scalars().all()
        result = []
        for row in rows:
            data = runtime.cipher.open_json(row.data_sealed, f"registration:{row.id}")
            result.append({"id": row.id, "reference": row.reference, "status": row.status,
                           "gemeente_code": row.gemeente_code, "owner_id": row.owner_id,
                           **data})
        return result


def dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


async def drafts(runtime: Runtime, owner_id: int | None = None) -> list[dict[str, Any]]:
    """Every draft, decrypted: id, position, answers, dates."""
    from kks_bot.db.models import Draft

    async with runtime.sessions() as session:
        query = select(Draft).order_by(Draft.created_at)
        if owner_id is not None:
            query = query.where(Draft.owner_id == owner_id)
        rows = (await session.execute(query)).scalars().all()
        return [{"id": r.id, "position": r.position, "expires_at": r.expires_at,
                 "answers": runtime.cipher.open_json(r.answers_sealed, f"draft:{r.id}")}
                for r in rows]


async def walk_until(chat: Chat, case: Case, position_prefix: str, runtime: Runtime) -> int:
    """Walk ``case`` until the draft stands at a position starting with the prefix."""
    await chat.send("/aanmelden")
    for index, step in enumerate(case.form):
        found = await drafts(runtime, chat.user_id)
        if found and found[-1]["position"].startswith(position_prefix):
            chat.text()
            return index
        await do(chat, step)
    raise AssertionError(f"never reached {position_prefix}")


async def approve_requests(runtime: Runtime, chat: Chat | None = None) -> int:
    """An administrator approves every coordinator request that waits (as ``kks-bot admin
    approve`` does); ``chat``: deliver what that brings. Returns how many."""
    async with runtime.sessions() as session, session.begin():
        pending = await onboarding.pending_requests(session)
        for invitation in pending:
            await onboarding.approve(runtime.env, session, invitation, 0, runtime.clock.now())
    if chat is not None:
        await chat.deliver()
    return len(pending)


PIN = "40917"


async def give_pin(chat: Chat, pin: str = PIN) -> bool:
    """If the bot asks this chat for its PIN (to show case content), type it - twice when
    it is chosen now. True if it asked."""
    from kks_bot.db.models import Conversation

    async with chat.kernel.env.sessions() as session:
        conversation = await session.get(Conversation, chat.user_id)
    if conversation is None or conversation.flow != "pin":
        return False
    await chat.send(pin)
    if conversation.step == "choose":
        await chat.send(pin)
    return True


async def unlock_chat(runtime: Runtime, user_id: int) -> None:
    """The chat's PIN session open, as after a correct PIN (for tests about something
    else than the PIN)."""
    from kks_bot import pins

    async with runtime.sessions() as session, session.begin():
        now = runtime.clock.now()
        if not await pins.has_pin(session, user_id):
            await pins.choose(session, user_id, PIN, now)
        raw = await pins.open_session(session, user_id, "chat", now,
                                      pins.chat_session_id(user_id))
        row = await pins.current(session, raw, now, pins.Lifetimes.of(runtime.settings))
        assert row is not None
        row.pin_ok_at = now
