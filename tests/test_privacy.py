"""Privacy from the first line: nothing a professional types about a family is
stored or logged in the clear, and the key file is the owner's only."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from kks_bot.config import Settings
from kks_bot.crypto import Cipher, DecryptionError, KeyRing, generate_key, load_or_create_key_file
from kks_bot.logging_setup import RedactingFilter
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import SOPHIE, Case
from .walking import fill_form, make_profile, registrations

MARKER = "ZQXMARKER"
# Every free-text answer of Sophie's walk gets the marker.
TEXT_ANSWERS = {"Sophie Jansen", "Akerstraat 12", "Heerlen", "Nederlandse", "Mark Peters",
                "Kraamzorg De Wieg", "Verloskundigenpraktijk Heerlen-Noord",
                "Anna Verhoeven"}


def _marked(case: Case) -> Case:
    def mark(step: tuple[str, str]) -> tuple[str, str]:
        kind, value = step
        if kind == "type" and (value in TEXT_ANSWERS or len(value) > 60):
            return kind, f"{value} {MARKER}"
        return step
    return Case(case.name, case.language, [mark(s) for s in case.profile],
                [mark(s) for s in case.form], {})


def _files_containing(root: Path, needle: bytes) -> list[str]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            try:
                if needle in path.read_bytes():
                    hits.append(str(path))
            except OSError:
                continue
    return hits


async def test_marker_never_on_disk_or_in_logs(runtime: Runtime, chat: Chat, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    case = _marked(SOPHIE)
    await make_profile(chat, case)
    await fill_form(chat, case)
    # Bad input with the marker, too: it is refused, and still not stored or logged.
    await press_action(chat, "e:moeder")
    await press_action(chat, "pick:moeder_geboortedatum")
    await chat.send(f"{MARKER} 31-2-2001")
    await chat.send("12-3-2001")
    await press_action(chat, "submit")
    (stored,) = await registrations(runtime)
    # It was typed and it is there - encrypted.
    assert MARKER in stored["answers"]["moeder_naam"]
    assert MARKER in stored["answers"]["hulpvraag"]
    assert MARKER in stored["answers"]["hulpverleners"][0]["naam"]
    await runtime.engine.dispose()  # flush SQLite's WAL into the file
    needle = MARKER.encode()
    assert _files_containing(tmp_path, needle) == []
    pg_data = os.environ.get("KKS_TEST_PG_DATADIR")
    if pg_data and not runtime.settings.database_url.startswith("sqlite"):
        assert _files_containing(Path(pg_data), needle) == []
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert MARKER not in logged


async def test_submitted_review_and_answers_leave_the_chat(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await fill_form(chat, SOPHIE)
    await press_action(chat, "submit")
    visible = chat.transport.visible(chat.user_id)
    texts = "\n".join(m.plain for m in visible)
    assert "Sophie Jansen" not in texts  # neither typed answers nor the review remain
    assert "Controleer je aanmelding" not in texts
    assert "KKS-2026-0001" in texts
    assert all(m.from_bot for m in visible if "Sophie" in m.text) is True
    typed = [m for m in chat.transport.messages.values() if not m.from_bot
             and not m.text.startswith("/")]
    family = [m for m in typed if m.text in {"Sophie Jansen", "Akerstraat 12", "12-3-2001"}]
    assert family and all(m.deleted for m in family)


async def test_answer_that_cannot_be_deleted_is_reported(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await chat.send("/aanmelden")
    for step in SOPHIE.form[:9]:
        kind, value = step
        if kind == "type":
            chat.transport.fail_delete.add(chat.transport.next_id)
            await chat.send(value)
        else:
            await press_action(chat, value)
    assert "Ik kon je bericht niet uit de chat wissen" in "\n".join(
        m.plain for m in chat.log)


def test_key_file_is_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "keys.json"
    ring, created = load_or_create_key_file(path)
    assert created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again, created_again = load_or_create_key_file(path)
    assert not created_again
    assert again.keys == ring.keys


def test_rotation_keeps_old_data_readable() -> None:
    old = KeyRing.parse(f"a:{generate_key()}")
    sealed = Cipher(old).seal_json({"naam": "Sophie"}, "draft:1")
    rotated = KeyRing({"b": KeyRing.parse(f"b:{generate_key()}").keys["b"], **old.keys}, "b")
    cipher = Cipher(rotated)
    assert cipher.open_json(sealed, "draft:1") == {"naam": "Sophie"}
    assert cipher.key_id_of(cipher.seal_json({}, "x")) == "b"
    with pytest.raises(DecryptionError):
        cipher.open_json(sealed, "draft:2")  # bound to its row
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        cipher.open_json(tampered, "draft:1")


def test_postgres_refuses_to_start_without_a_configured_key(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="KKS_ENCRYPTION_KEYS is required"):
        Settings(data_dir=tmp_path, database_url="postgresql+asyncpg://x@127.0.0.1/db",
                 _env_file=None)  # type: ignore[call-arg]


def test_token_is_redacted_from_log_records() -> None:
    token = "123456789:AAEhBOweik6ad9r_QXMARKERtokenvalue12"
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1,
                               "HTTP Request: POST %s", (f"https://x/bot{token}/getMe",), None)
    RedactingFilter([token]).filter(record)
    assert token not in record.getMessage()
    other = logging.LogRecord("x", logging.INFO, __file__, 1,
                              "url https://api/bot987654321:ABCDEFGHIJKLMNOPQRSTUVWXYZ/x", None,
                              None)
    RedactingFilter([]).filter(other)
    assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ" not in other.getMessage()
