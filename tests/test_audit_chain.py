"""The audit trail as a hash chain: an entry changed, removed or moved by hand in the
database, or a cut-off end, is named by ``kks-bot admin audit verify``; retention may
remove the oldest entries without breaking it; a refused attempt records its target."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy import delete, select, update

from kks_bot.admin import run_admin
from kks_bot.audit import audit, chain, verify
from kks_bot.clock import FrozenClock
from kks_bot.db.models import AuditEvent
from kks_bot.runtime import Runtime
from kks_bot.services.retention import purge

from .cases import SOPHIE
from .test_handoff import _coordinator, _submit
from .walking import registrations


async def _entries(runtime: Runtime, n: int, clock: FrozenClock) -> list[int]:
    async with runtime.sessions() as session, session.begin():
        for i in range(n):
            audit(session, clock.now(), 500 + i, "view", f"case-{i}", "test")
            clock.advance(minutes=1)
    async with runtime.sessions() as session, session.begin():
        await chain(session)
        return list((await session.execute(select(AuditEvent.id).order_by(AuditEvent.seq)))
                    .scalars())


async def _problems(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session, session.begin():
        return [str(p) for p in await verify(session)]


@pytest.mark.parametrize("tamper", ["change", "remove", "reorder", "cut_tail", "insert"])
async def test_a_changed_trail_is_named(runtime: Runtime, clock: FrozenClock,
                                        tamper: str) -> None:
    ids = await _entries(runtime, 6, clock)
    assert await _problems(runtime) == []
    async with runtime.sessions() as session, session.begin():
        if tamper == "change":
            await session.execute(update(AuditEvent).where(AuditEvent.id == ids[2])
                                  .values(actor_id=999))
        elif tamper == "remove":
            await session.execute(delete(AuditEvent).where(AuditEvent.id == ids[2]))
        elif tamper == "reorder":
            await session.execute(update(AuditEvent).where(AuditEvent.id == ids[2])
                                  .values(seq=-1))
            await session.execute(update(AuditEvent).where(AuditEvent.id == ids[3])
                                  .values(seq=3))
            await session.execute(update(AuditEvent).where(AuditEvent.id == ids[2])
                                  .values(seq=4))
        elif tamper == "cut_tail":
            await session.execute(delete(AuditEvent).where(AuditEvent.id == ids[-1]))
        else:  # an entry slipped in with a made-up place in the chain
            session.add(AuditEvent(at=clock.now(), actor_id=1, action="view", seq=99,
                                   prev_hash="0" * 64, hash="0" * 64))
    problems = await _problems(runtime)
    assert problems, tamper
    named = {"change": ids[2], "remove": ids[3], "reorder": ids[3], "cut_tail": ids[-2]}
    if tamper in named:
        assert any(p.startswith(f"entry {named[tamper]}:") for p in problems), problems


async def test_retention_removes_the_oldest_without_breaking_the_chain(
        runtime: Runtime, clock: FrozenClock) -> None:
    await _entries(runtime, 3, clock)
    clock.advance(days=5 * 365 + 2)
    await _entries(runtime, 2, clock)
    assert (await purge(runtime.env))["audit"] == 3
    assert await _problems(runtime) == []
    # Removing the new first entry by hand is still noticed.
    async with runtime.sessions() as session, session.begin():
        ordered = select(AuditEvent).order_by(AuditEvent.seq)
        first = (await session.execute(ordered)).scalars().first()
        assert first is not None
        await session.delete(first)
    assert any("does not begin here" in p for p in await _problems(runtime))


async def test_refusals_record_their_target_and_the_cli_shows_and_verifies(
        runtime: Runtime, chat_factory, capsys: pytest.CaptureFixture[str]) -> None:
    ilse = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    await _submit(chat_factory(user_id=1001), SOPHIE)
    (stored,) = await registrations(runtime)
    kerkrade = chat_factory(user_id=503)
    await _coordinator(runtime, kerkrade, "GM0928")
    await kerkrade.press_data(f"r.view.{stored['id']}", 1)
    async with runtime.sessions() as session:
        refused = (await session.execute(select(AuditEvent).where(
            AuditEvent.action == "refused", AuditEvent.actor_id == 503))).scalar_one()
    assert refused.registration_id == stored["id"] and refused.detail == "view"

    def args(**given: object) -> argparse.Namespace:
        return argparse.Namespace(admin_command="audit", **given)

    capsys.readouterr()
    assert await run_admin(runtime.settings, args(audit_command="show",
                                                  reference="kks-2026-0001")) == 0
    shown = capsys.readouterr().out
    assert "\t503\trefused\tview" in shown and "\tnotified" in shown
    assert await run_admin(runtime.settings, args(audit_command="verify")) == 0
    assert "the chain is intact" in capsys.readouterr().out
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(AuditEvent).where(AuditEvent.id == refused.id)
                              .values(action="view"))
    assert await run_admin(runtime.settings, args(audit_command="verify")) == 1
    assert f"entry {refused.id}: changed" in capsys.readouterr().out
