"""The rights of the people in the data: ``kks-bot admin export`` gives everything stored
about a case (JSON and the PDF, owner-only files); ``admin erase`` and ``admin erase-user``
remove a case or a person from every table - the outbox and the scheduled messages
included, down to the database file - while the audit trail keeps that it happened and
still verifies, and the bot goes on for everyone else. Each asks to be confirmed."""

from __future__ import annotations

import argparse
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from kks_bot import families
from kks_bot.admin import run_admin
from kks_bot.audit import verify
from kks_bot.clock import FrozenClock
from kks_bot.db.models import (
    AuditEvent,
    Base,
    FamilyContact,
    Outbox,
    Registration,
    ScheduledMessage,
)
from kks_bot.runtime import Runtime
from kks_bot.runtime import build as build_runtime
from tests.support.transcript import Chat

from .test_meetings import _case, _family_in, _plan
from .test_retention import _on_disk
from .walking import registrations

TYPED = ["Sophie Jansen", "Akerstraat 12", "Mark Peters", "Kraamzorg De Wieg",
         "Nederlandse"]


def _args(command: str, **given: Any) -> argparse.Namespace:
    return argparse.Namespace(admin_command=command, yes=True, **given)


async def _full_case(runtime: Runtime, chat_factory) -> tuple[Chat, Chat, Chat, str]:  # type: ignore[no-untyped-def]
    ilse, anna, rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "nl")
    await ilse.press_data(f"r.ask.{rid}", 1)
    await ilse.send("Is de kraamzorg al geregeld?")
    await anna.press_data(f"r.answer.{rid}", 1)
    await anna.send("Ja, Kraamzorg De Wieg vanaf week 37.")
    return ilse, anna, family, rid


async def _rows_holding(runtime: Runtime, needles: list[str]) -> list[str]:
    """Every row of every table holding one of ``needles``: a Telegram id as a whole
    value, any other text anywhere in a value."""
    found = []
    async with runtime.sessions() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                values = [str(v) for v in row]
                found += [f"{table.name}: {n}" for n in needles
                          if (n in values if n.isdigit() else any(n in v for v in values))]
    return found


async def test_export_holds_everything_typed_for_the_case(
        runtime: Runtime, chat_factory, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    _ilse, _anna, _family, rid = await _full_case(runtime, chat_factory)
    (stored,) = await registrations(runtime)
    assert await run_admin(runtime.settings, _args("export", reference="kks-2026-0001",
                                                   out=str(tmp_path))) == 0
    exported = json.loads((tmp_path / "KKS-2026-0001.json").read_text(encoding="utf-8"))
    assert exported["answers"] == stored["answers"]
    everything = json.dumps(exported, ensure_ascii=False)
    for typed in [*TYPED, "Is de kraamzorg al geregeld?", "vanaf week 37",
                  "Gemeentehuis Heerlen, Geleenstraat 27", "Sandra Wolters"]:
        assert typed in everything, typed
    assert exported["family_contacts"][0]["telegram_id"] == 3003
    assert {"submitted", "notified", "take_on"} <= {a["action"] for a in exported["audit"]}
    pdf = tmp_path / "KKS-2026-0001.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    for path in (pdf, tmp_path / "KKS-2026-0001.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    async with runtime.sessions() as session:
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.registration_id == rid))).scalars())
    assert "exported" in actions


async def test_nothing_happens_without_confirmation(
        runtime: Runtime, chat_factory, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    await _case(runtime, chat_factory)
    monkeypatch.setattr("builtins.input", lambda _prompt: "KKS-2026-0002")
    args = _args("erase", reference="KKS-2026-0001")
    args.yes = False
    assert await run_admin(runtime.settings, args) == 1
    assert "nothing was done" in capsys.readouterr().out
    assert len(await registrations(runtime)) == 1
    monkeypatch.setattr("builtins.input", lambda _prompt: "kks-2026-0001")
    assert await run_admin(runtime.settings, args) == 0
    assert await registrations(runtime) == []


async def test_an_erased_case_is_gone_from_every_table_and_the_file(
        runtime: Runtime, chat_factory, clock: FrozenClock, tmp_path: Path,
        capsys) -> None:  # type: ignore[no-untyped-def]
    ilse, anna, family, rid = await _full_case(runtime, chat_factory)
    async with runtime.sessions() as session:
        registration = await session.get(Registration, rid)
        assert registration is not None
        sealed = [registration.data_sealed]
        for row in (await session.execute(select(Outbox))).scalars():
            payload = json.dumps(runtime.cipher.open_json(row.payload_sealed, row.aad))
            if "KKS-2026-0001" in payload or rid in payload or row.chat_id == 3003:
                sealed.append(row.payload_sealed)
    assert len(sealed) > 5
    assert await _rows_holding(runtime, ["3003"])  # the family's id is there before
    assert await run_admin(runtime.settings, _args("erase", reference="KKS-2026-0001")) == 0
    assert "erased" in capsys.readouterr().out
    left = await _rows_holding(runtime, [rid, "KKS-2026-0001", "3003", *sealed[:1]])
    # The trail keeps that it happened, under the case's random id, without the family.
    assert {row.split(":")[0] for row in left} <= {"audit_event"}, left
    assert not [row for row in left if row.endswith("3003")]
    async with runtime.sessions() as session, session.begin():
        assert await verify(session) == []
        actions = list((await session.execute(select(AuditEvent.action).where(
            AuditEvent.registration_id == rid))).scalars())
    assert "case_erased" in actions and "family_opt_in" in actions
    if runtime.settings.database_url.startswith("sqlite"):
        await runtime.engine.dispose()
        assert _on_disk(tmp_path, [s.encode() for s in sealed]) == []
    # Everyone else goes on.
    await ilse.send("/aanmeldingen")
    assert "geen open aanmeldingen" in ilse.text()
    await anna.send("/start")
    assert anna.text()
    await family.send("hallo")
    assert family.text()


async def test_erase_user_removes_a_professional_and_keeps_the_case(
        runtime: Runtime, chat_factory, clock: FrozenClock, capsys) -> None:  # type: ignore[no-untyped-def]
    ilse, anna, _family, rid = await _full_case(runtime, chat_factory)
    assert await run_admin(runtime.settings, _args("erase-user", user_id=1001)) == 0
    # Left: only the orders to delete the bot's messages from their chat (no content).
    assert set(await _rows_holding(runtime, ["1001"])) <= {"outbox: 1001"}
    async with runtime.sessions() as session:
        left = (await session.execute(select(Outbox).where(Outbox.chat_id == 1001))).scalars()
        assert all(r.kind in ("delete", "delete_tag") and r.status == "pending" for r in left)
    await ilse.worker.deliver()
    (kept,) = await registrations(runtime)
    assert kept["owner_id"] == 0 and kept["answers"]["moeder_naam"] == "Sophie Jansen"
    async with runtime.sessions() as session, session.begin():
        assert await verify(session) == []
    # The coordinator still has the case; the professional starts as a stranger.
    await ilse.press_data(f"r.case.{rid}", 1)
    assert "KKS-2026-0001" in ilse.text()
    await anna.send("/start")
    assert "Welkom" in anna.text() or "welkom" in anna.text()


async def test_a_family_that_wipes_its_details_leaves_no_id_behind(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:  # type: ignore[no-untyped-def]
    ilse, _anna, family, _rid = await _full_case(runtime, chat_factory)
    invitation = [m for m in family.transport.visible(3003) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1]
    await family.press("Geen berichten meer", message=invitation)
    await family.press("wis mijn gegevens")
    assert "gewist" in family.text()
    await ilse.worker.deliver()
    left = await _rows_holding(runtime, ["3003"])
    # Only the account (its language) and the chat's own pending clean-up stay.
    assert {row.split(":")[0] for row in left} <= {"account", "conversation", "outbox"}, left
    async with runtime.sessions() as session, session.begin():
        pending = (await session.execute(text(
            "SELECT kind, status FROM outbox WHERE chat_id = 3003"))).all()
        assert all(kind in ("delete", "delete_tag") or status != "pending"
                   for kind, status in pending)
        assert await verify(session) == []


async def test_a_familys_telegram_id_is_kept_only_as_a_keyed_hash(
        runtime: Runtime, chat_factory, settings) -> None:  # type: ignore[no-untyped-def]
    _ilse, _anna, family, _rid = await _full_case(runtime, chat_factory)
    # Only the rows that serve the chat itself name it: nothing ties it to the case.
    left = await _rows_holding(runtime, ["3003"])
    assert {row.split(":")[0] for row in left} <= {"account", "conversation", "outbox"}, left
    async with runtime.sessions() as session, session.begin():
        contact = (await session.execute(select(FamilyContact))).scalar_one()
        assert contact.user_hash and contact.user_hash.startswith(
            runtime.cipher.active_key_id + ".")
        assert families.chat_of(runtime.cipher, contact) == 3003
        reminders = (await session.execute(select(ScheduledMessage).where(
            ScheduledMessage.contact_id == contact.id))).scalars().all()
        assert reminders and {r.recipient_id for r in reminders} == {0}
        # A database of an earlier version: the id in the clear, moved at the next start.
        families.unbind(contact)
        contact.legacy_user_id = 3003
        for row in reminders:
            row.recipient_id, row.contact_id = 3003, None
    again = await build_runtime(settings)
    try:
        async with again.sessions() as session:
            contact = (await session.execute(select(FamilyContact))).scalar_one()
            assert contact.legacy_user_id is None
            assert families.belongs_to(again.cipher, contact, 3003)
            moved = (await session.execute(select(ScheduledMessage).where(
                ScheduledMessage.contact_id == contact.id))).scalars().all()
            assert len(moved) == len(reminders) and {r.recipient_id for r in moved} == {0}
    finally:
        await again.close()
    await family.press("Geen berichten meer",
                       message=[m for m in family.transport.visible(3003) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1])
    assert "geen berichten meer" in family.text()
