"""Retention: with the clock moved past each limit, the purge deletes what is due - from
the tables, and (SQLite) from the database file and its WAL, not only from sight - and
nothing else; a second run finds nothing; the dry run only counts; the bot goes on."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from kks_bot.clock import FrozenClock
from kks_bot.db.models import (
    CaseMessage,
    FamilyContact,
    Meeting,
    Outbox,
    Registration,
    RegistrationEvent,
    SparMessage,
    SparThread,
)
from kks_bot.runtime import Runtime
from kks_bot.services.retention import purge
from tests.support.transcript import Chat, press_action

from .test_meetings import _case, _plan


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model)))
                   .scalar_one())


def _on_disk(folder: Path, needles: list[bytes]) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {n[:24]!r}" for n in needles if n in data]
    return found


async def test_each_kind_of_data_goes_when_its_time_is_up(
        runtime: Runtime, chat_factory, clock: FrozenClock, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ilse, anna, rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    family: Chat = chat_factory(user_id=3003)
    await family.send("/start " + link.rsplit("/start ", 1)[1].strip())
    await press_action(family, "fam:lang:nl")
    await press_action(family, "fam:yes")
    await ilse.press_data(f"r.ask.{rid}", 1)
    await ilse.send("Is de kraamzorg al geregeld?")
    await anna.press_data(f"r.answer.{rid}", 1)
    await anna.send("Ja, Kraamzorg De Wieg vanaf week 37.")
    async with runtime.sessions() as session, session.begin():
        now = runtime.clock.now()
        session.add(SparThread(id="t1", reference="SP-2026-0001", professional_id=1001,
                               gemeente_code="GM0917", status="closed", created_at=now,
                               updated_at=now))
        await session.flush()
        message = SparMessage(thread_id="t1", author_id=1001, at=now, uid="u1")
        message.text_sealed = runtime.cipher.seal_json("Een vraag over een gezin", message.aad)
        session.add(message)
    # What is sealed now must leave the disk with the purge.
    async with runtime.sessions() as session:
        registration = await session.get(Registration, rid)
        assert registration is not None
        sealed = [registration.data_sealed.encode(),
                  *[m.text_sealed.encode() for m in (await session.execute(
                      select(CaseMessage))).scalars()],
                  *[r.payload_sealed.encode() for r in (await session.execute(
                      select(Outbox))).scalars()][:20]]
    assert await purge(runtime.env) == {k: 0 for k in await purge(runtime.env, dry_run=True)}

    # After 3 days: the outbox's copies of what was sent.
    clock.advance(hours=73)
    planned = await purge(runtime.env, dry_run=True)
    assert planned["outbox"] > 0 and await _count(runtime, Outbox) > 0  # only counted
    done = await purge(runtime.env)
    assert done["outbox"] == planned["outbox"] and done["closed_cases"] == 0
    assert await purge(runtime.env) == {k: 0 for k in done}  # idempotent

    # The case is closed: the family's contact goes at once, the content later.
    await ilse.press_data(f"r.close.{rid}", 1)
    await ilse.send("Hulp loopt via het wijkteam.")
    assert (await purge(runtime.env))["family_contacts"] == 1
    assert await _count(runtime, FamilyContact) == 0
    clock.advance(days=86)  # 89 days after the thread's last message
    assert (await purge(runtime.env))["spar_threads"] == 0  # not yet
    clock.advance(days=2)
    assert (await purge(runtime.env))["spar_threads"] == 1  # 90 days after its last word
    clock.advance(days=180 - 88)  # 180 days after closing
    assert (await purge(runtime.env))["closed_cases"] == 0  # not yet
    clock.advance(days=4)
    done = await purge(runtime.env)
    assert done["closed_cases"] == 1
    async with runtime.sessions() as session:
        registration = await session.get(Registration, rid)
        assert registration is not None and registration.purged_at is not None
        assert registration.data_sealed == "" and registration.owner_id == 0
        assert registration.reference == "KKS-2026-0001" and registration.gemeente_code == "GM0917"
        kept = registration.figures or {}
        assert kept["zwanger"] is True and "moeder_naam" not in kept and "hulpvraag" not in kept
        # ... and what the factsheet counts: the consent, the background, the meetings.
        assert kept["toestemming_onderzoek"] == "ja" and "moeder_opleiding" in kept
        assert [m["starts_at"][:10] for m in kept["meetings"]] == ["2026-12-15"]
        events = (await session.execute(select(RegistrationEvent))).scalars().all()
        assert events and {e.actor_id for e in events} == {0}
    for model in (CaseMessage, Meeting, SparThread, SparMessage):
        assert await _count(runtime, model) == 0, model
    # Gone from the files too (SQLite overwrites deleted values; the WAL is checkpointed).
    if runtime.settings.database_url.startswith("sqlite"):
        await runtime.engine.dispose()
        assert _on_disk(tmp_path, sealed) == []
    # The purged case can no longer be opened; the bot goes on for everyone.
    await ilse.press_data(f"r.case.{rid}", 1)
    assert "Dat kan ik niet tonen" in ilse.text()
    await ilse.send("/aanmeldingen")
    assert "geen open aanmeldingen" in ilse.text()


async def test_the_audit_trail_and_sessions_have_their_own_times(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    from kks_bot.audit import audit
    from kks_bot.db.models import AccessSession, AuditEvent

    async with runtime.sessions() as session, session.begin():
        audit(session, clock.now(), 1, "view", None)
        session.add(AccessSession(id_hash="a" * 64, user_id=1, channel="web",
                                  created_at=clock.now(), seen_at=clock.now()))
    clock.advance(minutes=16)
    assert (await purge(runtime.env))["sessions"] == 1
    clock.advance(days=5 * 365)
    assert (await purge(runtime.env))["audit"] == 0
    clock.advance(days=2)
    assert (await purge(runtime.env))["audit"] == 1
    assert await _count(runtime, AuditEvent) == 0
