"""The console: the same conversation in a terminal, started in one command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from kks_bot.channels.console import run_console
from kks_bot.runtime import Runtime

from .conftest import TEST_KEY


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


def test_console_command_starts_in_arabic(tmp_path: Path) -> None:
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path), "KKS_ENCRYPTION_KEYS": TEST_KEY}
    env.pop("KKS_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "kks_bot", "console", "--lang", "ar"],
        input="/quit\n", capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "نقطة الالتقاء" in result.stdout
    assert (tmp_path / "kks.sqlite3").exists()


def test_embedded_default_creates_its_key_and_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path)}
    for name in ("KKS_DATABASE_URL", "KKS_ENCRYPTION_KEYS"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-m", "kks_bot", "console"], input="/quit\n",
                            capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "encryption key file" in result.stdout + result.stderr
    assert oct((tmp_path / "encryption-keys.json").stat().st_mode & 0o777) == "0o600"
