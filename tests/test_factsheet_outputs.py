"""The factsheet's outputs (issue 14): ``kks-bot admin factsheet`` writes an owner-only PDF
and CSV; ``/cijfers`` gives a coordinator the figures of their own municipality in two taps
(a chart and the key figures), and nobody else's."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from bench.factsheet import generate
from kks_bot.db.models import Registration
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat

from .conftest import TEST_KEY
from .test_handoff import _coordinator

KERKRADE, LANDGRAAF = "GM0928", "GM0882"


async def _count(runtime: Runtime, code: str) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(Registration)
                                          .where(Registration.gemeente_code == code)))
                   .scalar_one())


async def test_admin_factsheet_writes_an_owner_only_pdf_and_csv(
        runtime: Runtime, tmp_path: Path) -> None:
    await generate(runtime.env, 80, days=300, codes=[KERKRADE, LANDGRAAF])
    kerkrade = await _count(runtime, KERKRADE)
    out = tmp_path / "out"
    out.mkdir()
    env = {**os.environ, "KKS_DATA_DIR": str(tmp_path / "cli"), "KKS_ENCRYPTION_KEYS": TEST_KEY,
           "KKS_DATABASE_URL": runtime.settings.database_url}
    for language in ("nl", "ar"):
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "kks_bot", "admin", "factsheet", "--gemeente",
             f"{KERKRADE},{LANDGRAAF}", "--van", "2026-01-01", "--tot", "2026-12-31",
             "--taal", language, "--out", str(out)],
            env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
    stem = out / f"factsheet-{KERKRADE}-{LANDGRAAF}-2026-01-01-2026-12-31"
    for path in (stem.with_suffix(".pdf"), stem.with_suffix(".csv"),
                 out / (stem.name + "-ar.pdf"), out / (stem.name + "-ar.csv")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    rows = list(csv.reader(io.StringIO(stem.with_suffix(".csv").read_text("utf-8"))))
    assert ["Aanmeldingen per gemeente", "Kerkrade", "aantal", str(kerkrade)] in rows
    shown = [r[3] for r in rows[1:] if r[3].isdigit()]
    assert shown and all(int(v) == 0 or int(v) >= 5 for v in shown)  # nothing from 1 to 4
    text = "".join(page.extract_text() for page in PdfReader(stem.with_suffix(".pdf")).pages)
    assert "Knooppunten Kansrijke Start" in text and "Kerkrade, Landgraaf" in text
    assert "als \"<5\"" in text and "Ingezette ondersteuning" in text
    arabic = (out / (stem.name + "-ar.csv")).read_text("utf-8")
    assert "التسجيلات حسب البلدية" in arabic


async def test_a_coordinator_gets_their_own_figures_in_two_taps(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    await generate(runtime.env, 60, days=300, codes=[KERKRADE, LANDGRAAF])
    kerkrade = await _count(runtime, KERKRADE)
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, KERKRADE)
    await ilse.send("/cijfers")
    assert "welke periode" in ilse.text()
    await ilse.press("Dit jaar")
    offered = [label for row in ilse.last_with_buttons().buttons for label, _data in row]
    assert offered == ["Kerkrade"]  # not Landgraaf: not theirs
    await ilse.press("Kerkrade")
    said = ilse.text()
    assert f"{kerkrade} aanmeldingen, waarvan" in said
    assert "Knooppuntoverleg gehouden" in said and "<5" in said
    (chart,) = [m for m in ilse.transport.visible(501) if m.document is not None]
    assert chart.document[1].startswith(b"\x89PNG")

    # A forged button for another municipality shows nothing of it.
    await ilse.send("/cijfers")
    await ilse.press("Dit jaar")
    button = ilse.last_with_buttons().buttons[0][0][1].replace(KERKRADE, LANDGRAAF)
    await ilse.press_data(button, ilse.last_with_buttons().message_id)
    assert "aanmeldingen, waarvan" not in ilse.text()

    # A professional who is no coordinator is told what the figures are for.
    anna: Chat = chat_factory(user_id=1001)
    await anna.send("/cijfers")
    assert "voor coördinatoren en beheerders" in anna.text()
