"""``kks-bot admin``: a deployment is set up before anyone has Telegram open."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import TEST_KEY


def _admin(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path), "KKS_ENCRYPTION_KEYS": TEST_KEY,
           "KKS_BOT_USERNAME": "kks_test_bot"}
    env.pop("KKS_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "kks_bot", "admin", *args], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_seventeenth_municipality_can_be_added_and_gets_a_coordinator(tmp_path: Path) -> None:
    added = _admin(tmp_path, "municipality", "GM1640", "Leudal", "--postcodes",
                   "6080-6099", "--subregion", "Midden-Limburg")
    assert added.returncode == 0 and "GM1640\tLeudal\tsaved" in added.stdout
    listed = _admin(tmp_path, "municipalities").stdout
    assert "GM1640\tLeudal\tNO coordinator" in listed
    assert len(listed.strip().splitlines()) == 17
    invite = _admin(tmp_path, "invite", "GM1640")
    assert invite.returncode == 0
    assert re.search(r"https://t\.me/kks_test_bot\?start=[\w-]{32}", invite.stdout)
    mailbox = _admin(tmp_path, "mailbox", "GM1640", "knooppunt@leudal.example")
    assert "knooppunt@leudal.example" in mailbox.stdout


def test_bad_codes_and_postcodes_are_refused(tmp_path: Path) -> None:
    assert _admin(tmp_path, "municipality", "1640", "Leudal").returncode == 2
    refused = _admin(tmp_path, "municipality", "GM1640", "Leudal", "--postcodes", "60x0")
    assert refused.returncode == 2 and "6400-6433" in refused.stdout
    assert _admin(tmp_path, "invite", "GM9999").returncode == 2
