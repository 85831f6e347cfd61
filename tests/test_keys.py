"""Keys kept apart and rotatable: ``kks-bot keys rotate`` re-seals every value under a new
key while the bot runs and answers; killed with -9 it goes on with ``--resume``; then the
old key can go and everything still reads. Every sealed value is bound to its table, row
and column: a value moved to another row does not open."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kks_bot import families
from kks_bot.config import Settings
from kks_bot.crypto import Cipher, DecryptionError, KeyRing, load_or_create_key_file, with_new_key
from kks_bot.db.models import Base, CaseMessage, FamilyContact, Outbox, row_uid
from kks_bot.keys_cli import run_keys
from kks_bot.runtime import Runtime, build
from kks_bot.services.keys import SEALED, rotate, still_to_do, using

from .conftest import TEST_KEY
from .test_rights import _full_case

ROOT = Path(__file__).resolve().parents[1]


async def _open_everything(runtime: Runtime, cipher: Cipher) -> int:
    """Open every sealed value of the database with ``cipher``; how many."""
    opened = 0
    async with runtime.sessions() as session:
        for sealed in SEALED:
            for row in (await session.execute(select(sealed.model))).scalars():
                value = getattr(row, sealed.column)
                if value:
                    cipher.open_json(value, sealed.aad(row))
                    opened += 1
    return opened


def test_every_sealed_column_is_known_to_the_rotation() -> None:
    columns = {f"{t.name}.{c.name}" for t in Base.metadata.sorted_tables for c in t.columns
               if c.name.endswith("_sealed")}
    assert columns == {s.name for s in SEALED}


async def test_rotation_under_load_then_the_old_key_goes(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    ilse, anna, _family, rid = await _full_case(runtime, chat_factory)
    cipher = runtime.env.cipher
    old = KeyRing.parse(TEST_KEY)
    # A message of an earlier version: bound to its case only, no uid yet.
    async with runtime.sessions() as session, session.begin():
        legacy = CaseMessage(registration_id=rid, kind="supplement", author_id=1001,
                             at=runtime.clock.now())
        legacy.text_sealed = cipher.seal_json("Oude aanvulling", legacy.aad)
        session.add(legacy)
    # The operator puts a new key in front and restarts; then rotates while people work.
    new = with_new_key(old)
    cipher.use(new)
    assert await still_to_do(runtime.sessions, cipher) > 20

    async def work() -> None:
        for n in range(4):
            await ilse.press_data(f"r.ask.{rid}", 1)
            await ilse.send(f"Nog een vraag {n}?")
            await anna.press_data(f"r.answer.{rid}", 1)
            await anna.send(f"Antwoord {n}.")
            await asyncio.sleep(0)

    done, _ = await asyncio.gather(rotate(runtime.sessions, cipher, batch=3), work())
    assert done > 20
    assert await using(runtime.sessions, old.active) == 0
    # The old key removed: every value still opens, the legacy one under its own row now.
    only_new = Cipher(KeyRing({new.active: new.keys[new.active]}, new.active))
    assert await _open_everything(runtime, only_new) > 30
    async with runtime.sessions() as session:
        kept = await session.get(CaseMessage, legacy.id)
        assert kept is not None and kept.uid is not None
        assert only_new.open_json(kept.text_sealed, kept.aad) == "Oude aanvulling"
    cipher.use(KeyRing({new.active: new.keys[new.active]}, new.active))  # restarted
    async with runtime.sessions() as session:  # the family is found under the new key
        assert (await session.execute(select(FamilyContact).where(
            families.of_user(cipher, 3003)))).scalar_one().registration_id == rid
    await ilse.press_data(f"r.case.{rid}", 1)
    assert "KKS-2026-0001" in ilse.text()
    await anna.send("/start")
    assert anna.text()


async def test_a_value_moved_to_another_row_does_not_open(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    _ilse, _anna, _family, rid = await _full_case(runtime, chat_factory)
    cipher = runtime.env.cipher
    async with runtime.sessions() as session, session.begin():
        first, second = (CaseMessage(registration_id=rid, kind="supplement", author_id=1001,
                                     at=runtime.clock.now(), uid=row_uid()) for _ in range(2))
        first.text_sealed = cipher.seal_json("Eerste", first.aad)
        second.text_sealed = cipher.seal_json("Tweede", second.aad)
        session.add_all([first, second])
    with pytest.raises(DecryptionError):
        cipher.open_json(second.text_sealed, first.aad)  # same case, other row
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Outbox).where(Outbox.chat_id == 501)
                                      .limit(2))).scalars().all()
    with pytest.raises(DecryptionError):
        cipher.open_json(rows[0].payload_sealed, rows[1].aad)  # same chat, other row


async def test_key_file_mode_rotate_and_retire(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    key_file = tmp_path / "keys" / "k.json"
    settings = Settings(data_dir=tmp_path / "data", key_file_path=key_file,
                        _env_file=None)  # type: ignore[call-arg]
    bot = await build(settings)
    try:
        async with bot.sessions() as session, session.begin():
            for n in range(7):
                row = Outbox(chat_id=9000 + n, kind="send", uid=row_uid(), status="sent",
                             attempts=1, next_attempt_at=bot.clock.now(),
                             created_at=bot.clock.now())
                row.payload_sealed = bot.env.cipher.seal_json({"text": f"bericht {n}"},
                                                              row.aad)
                session.add(row)
        first = bot.env.cipher.active_key_id
        args = type("Args", (), {"action": "rotate", "resume": False, "batch": 2,
                                 "pause": 0.0, "key_id": None})()
        assert await run_keys(settings, args) == 0  # type: ignore[arg-type]
        out = capsys.readouterr().out
        ring, _ = load_or_create_key_file(key_file)
        assert ring.active != first and f"kks-bot keys retire {first}" in out
        # The running bot takes the new key for new data, and opens the re-sealed rows.
        assert await bot.refresh_keys() and bot.env.cipher.active_key_id == ring.active
        assert await _open_everything(bot, bot.env.cipher) == 7
        args.action, args.key_id = "retire", first
        assert await run_keys(settings, args) == 0  # type: ignore[arg-type]
        assert first not in load_or_create_key_file(key_file)[0].keys
        assert await _open_everything(bot, Cipher(load_or_create_key_file(key_file)[0])) == 7
    finally:
        await bot.close()


@pytest.mark.once
async def test_a_rotation_killed_mid_way_goes_on_with_resume(
        runtime: Runtime, settings: Settings, tmp_path: Path) -> None:
    async with runtime.sessions() as session, session.begin():
        for n in range(120):
            row = Outbox(chat_id=9000 + n, kind="send", uid=row_uid(), status="sent",
                         attempts=1, next_attempt_at=runtime.clock.now(),
                         created_at=runtime.clock.now())
            row.payload_sealed = runtime.cipher.seal_json({"text": f"bericht {n}"}, row.aad)
            session.add(row)
    old = KeyRing.parse(TEST_KEY)
    new = with_new_key(old)
    spec = new.spec()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KKS_")}
    env.update({"KKS_DATA_DIR": str(tmp_path / "data"), "KKS_DATABASE_URL": settings.database_url,
                "KKS_ENCRYPTION_KEYS": spec, "PYTHONPATH": str(ROOT)})
    command = [sys.executable, "-m", "kks_bot", "keys", "rotate", "--batch", "5",
               "--pause", "0.05"]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        for _ in range(600):
            await asyncio.sleep(0.05)
            if await using(runtime.sessions, new.active) >= 20:
                break
        os.kill(process.pid, signal.SIGKILL)
    finally:
        await asyncio.wait_for(process.wait(), 30)
    halfway_new = await using(runtime.sessions, new.active)
    assert halfway_new >= 20 and await using(runtime.sessions, old.active) > 0
    again = await asyncio.create_subprocess_exec(*command, "--resume", env=env,
                                                 stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.DEVNULL)
    out, _ = await asyncio.wait_for(again.communicate(), 120)
    assert again.returncode == 0
    assert "every value is under key" in out.decode()
    assert await using(runtime.sessions, old.active) == 0
    assert await _open_everything(runtime, Cipher(KeyRing(
        {new.active: new.keys[new.active]}, new.active))) == 120
