"""The console: the same conversation in a terminal, started in one command."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from kks_bot.channels.console import run_console
from kks_bot.runtime import Runtime

from .conftest import TEST_KEY
from .support.transcript import unisolated


async def test_console_registers_with_numbered_buttons(runtime: Runtime) -> None:
    lines = iter([
        "Praktijk de Linde\n", "Fatima El Amrani\n", "a\n", "f.elamrani@linde.nl\n",
        "0612345678\n", "b\n",  # menu: Aanmelden (after "Overleggen of aanmelden?")
        "B\n",  # consent: Nee
        "/quit\n",
    ])
    out = io.StringIO()
    await run_console(runtime, language="nl", stdout=out, read_line=lambda: next(lines))
    text = out.getvalue()
    assert "[a] verloskundige" in text
    assert "Je profiel is opgeslagen" in text
    assert "Zonder toestemming" in text
    assert "Tot ziens" in text


async def test_console_speaks_the_language_the_user_chose(runtime: Runtime) -> None:
    """Status lines and the goodbye follow /taal: Arabic after switching, not Dutch."""
    lines = iter(["/klok +2d\n", "/taal\n", "c\n", "/klok morgen\n", "/klok +1h\n",
                  "/quit\n"])
    out = io.StringIO()
    await run_console(runtime, language="nl", stdout=out, read_line=lambda: next(lines))
    text = unisolated(out.getvalue())
    assert "(Klok: " in text  # Dutch before the switch
    assert "[c] العربية" in text
    after = text.split("[c] العربية")[1]
    assert "(/clock +6w أو +2d أو +3h أو +30m)" in after and "(الساعة: " in after
    assert text.rstrip().endswith("إلى اللقاء.") and "Tot ziens" not in text


def test_console_command_starts_in_arabic(tmp_path: Path) -> None:
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path), "KKS_ENCRYPTION_KEYS": TEST_KEY}
    env.pop("KKS_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "kks_bot", "console", "--lang", "ar"],
        input="/quit\n", capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "نقطة الالتقاء" in result.stdout
    assert (tmp_path / "kks.sqlite3").exists()


def test_embedded_default_creates_its_key_outside_the_data_and_says_so(tmp_path: Path) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    env = {**os.environ, "KKS_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(config)}
    for name in ("KKS_DATABASE_URL", "KKS_ENCRYPTION_KEYS", "KKS_KEY_FILE"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "kks_bot", "console"], input="/quit\n",
                            capture_output=True, text=True, env=env, timeout=60, check=True)
    key = config / "kks-bot" / "encryption-keys.json"
    assert f"Sleutelbestand aangemaakt: {key}" in unisolated(result.stdout + result.stderr)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not list(data.glob("*key*"))
    # Everything the bot wrote is its user's only.
    written = [p for p in data.rglob("*") if p.is_file()]
    assert data / "kks.sqlite3" in written
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in written} \
        == {p.name: "0o600" for p in written}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_a_key_inside_the_data_folder_is_refused(tmp_path: Path) -> None:
    """The Docker image: HOME is the /data volume, so the default place is refused too."""
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path), "HOME": str(tmp_path)}
    for name in ("KKS_DATABASE_URL", "KKS_ENCRYPTION_KEYS", "KKS_KEY_FILE", "XDG_CONFIG_HOME"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "kks_bot", "console"], input="/quit\n",
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "is inside the data folder" in result.stderr and "KKS_ENCRYPTION_KEYS_FILE" in \
        result.stderr
    assert not list(tmp_path.rglob("*.json")) and not (tmp_path / "kks.sqlite3").exists()


def test_keys_from_a_secret_file_and_an_old_key_file_moved_out(tmp_path: Path) -> None:
    data, secret = tmp_path / "data", tmp_path / "run" / "kks_keys"
    secret.parent.mkdir()
    secret.write_text(f"{TEST_KEY}\n")
    env = {**os.environ, "KKS_DATA_DIR": str(data), "KKS_ENCRYPTION_KEYS_FILE": str(secret)}
    env.pop("KKS_ENCRYPTION_KEYS", None)
    subprocess.run([sys.executable, "-m", "kks_bot", "console"], input="/quit\n",
                   capture_output=True, text=True, env=env, timeout=60, check=True)
    assert (data / "kks.sqlite3").exists() and not list(data.glob("*key*"))
    # A data folder of an earlier version: its key file leaves it at the next start.
    old = tmp_path / "old"
    old.mkdir()
    key_id, key = TEST_KEY.split(":", 1)
    (old / "encryption-keys.json").write_text(json.dumps({"active": key_id,
                                                          "keys": {key_id: key}}))
    env = {**os.environ, "KKS_DATA_DIR": str(old), "KKS_KEY_FILE": str(tmp_path / "k.json")}
    env.pop("KKS_ENCRYPTION_KEYS", None)
    result = subprocess.run([sys.executable, "-m", "kks_bot", "console"], input="/quit\n",
                            capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "moved the encryption key file" in result.stdout + result.stderr
    assert (tmp_path / "k.json").exists() and not (old / "encryption-keys.json").exists()


def test_console_as_another_user_presses_their_own_buttons(tmp_path: Path) -> None:
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path), "KKS_ENCRYPTION_KEYS": TEST_KEY}
    env.pop("KKS_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "kks_bot", "console", "--lang", "en", "--user", "7"],
        input="Midwives Heerlen\nSara\na\n/quit\n", capture_output=True, text=True,
        env=env, timeout=60, check=True)
    assert "What is your work email address?" in result.stdout
    assert "not on the list" not in result.stdout
