"""The factsheet for 10,000 cases: how long reading, opening and counting them takes.

Generated cases are written straight into the tables (sealed answers, the status events,
a held meeting with its sealed action list for most of them), spread over three
municipalities and a year; then :func:`kks_bot.services.figures.load.factsheet` computes
the figures of the region for that year, and the PDF and the chart are drawn. Prints the
times; the target is under 5 seconds for the figures.

    .venv/bin/python bench/factsheet.py [--cases 10000]
        [--database-url postgresql+asyncpg://...]   (an empty database; SQLite by default)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.walk import _settings
from conversations.meeting import AANWEZIGEN, HULPVRAGEN, ONDERSTEUNING
from kks_bot.db.models import Meeting, Registration, RegistrationEvent
from kks_bot.kernel.context import Env
from kks_bot.runtime import build
from kks_bot.services.figures.compute import EDUCATION, HOUSEHOLD, PROFESSIONS

CODES = ["GM0928", "GM0882", "GM0981"]
YEAR = datetime(2026, 1, 1, 8, tzinfo=UTC)


def _answers(rnd: random.Random, code: str) -> dict[str, Any]:
    partner = rnd.random() < 0.7
    return {"toestemming_onderzoek": rnd.choice(["ja", "ja", "ja", "nee", "niet_gevraagd"]),
            "gemeente": code, "gezinssamenstelling": rnd.choice(HOUSEHOLD[:-1]),
            "moeder_opleiding": rnd.choice(EDUCATION[:-2]), "partner_in_beeld": partner,
            "partner_opleiding": rnd.choice(EDUCATION[:-2]) if partner else None,
            "aanmelder_functie": rnd.choice(PROFESSIONS[:-1]),
            "aanmelder_organisatie": f"Organisatie {rnd.randint(1, 200)}",
            "moeder_naam": "Generated", "hulpvraag": "Generated for the benchmark."}


async def generate(env: Env, count: int, *, seed: int = 14, start: datetime = YEAR,
                   days: int = 364, codes: list[str] | None = None) -> None:
    """``count`` registrations written straight into the tables, in batches."""
    rnd = random.Random(seed)
    places = codes or CODES
    done = 0
    while done < count:
        async with env.sessions() as session, session.begin():
            for n in range(done, min(count, done + 1000)):
                rid, code = str(uuid.uuid4()), rnd.choice(places)
                submitted = start + timedelta(days=rnd.randint(0, days), hours=rnd.random())
                held = rnd.random() < 0.75
                session.add(Registration(
                    id=rid, reference=f"KKS-B-{n:06d}", owner_id=10_000 + rnd.randint(0, 400),
                    form="aanmeldformulier", gemeente_code=code,
                    status="overleg_gehouden" if held else rnd.choice(
                        ["ingediend", "in_behandeling", "ingetrokken"]),
                    data_sealed=env.cipher.seal_json({"answers": _answers(rnd, code)},
                                                     f"registration:{rid}"),
                    started_at=submitted, submitted_at=submitted, updated_at=submitted))
                await session.flush()
                taken = submitted + timedelta(days=rnd.randint(0, 6))
                session.add(RegistrationEvent(registration_id=rid, status="ingediend",
                                              actor_id=1, at=submitted))
                session.add(RegistrationEvent(registration_id=rid, status="in_behandeling",
                                              actor_id=2, at=taken))
                if held:
                    mid = str(uuid.uuid4())
                    starts = taken + timedelta(days=rnd.randint(3, 21))
                    outcome = {"aanwezigen": rnd.sample([o.id for o in AANWEZIGEN], 4),
                               "hulpvragen": rnd.sample([o.id for o in HULPVRAGEN], 2),
                               "ondersteuning": rnd.sample([o.id for o in ONDERSTEUNING], 2),
                               "afspraken": "Generated."}
                    session.add(Meeting(
                        id=mid, registration_id=rid, planned_by=2, starts_at=starts,
                        status="held", details_sealed=env.cipher.seal_json(
                            {}, f"meeting:{mid}"),
                        outcome_sealed=env.cipher.seal_json(outcome, f"meeting:{mid}:outcome"),
                        evaluation_due_at=starts + timedelta(weeks=6),
                        evaluated_at=(starts + timedelta(weeks=6, days=rnd.randint(-3, 14))
                                      if rnd.random() < 0.6 else None),
                        created_at=taken, updated_at=starts))
            done = min(count, done + 1000)


async def main(cases: int, database_url: str) -> None:
    from kks_bot.services.figures.chart import chart_data, chart_png
    from kks_bot.services.figures.load import factsheet
    from kks_bot.services.figures.sheet import render_sheet
    from kks_bot.services.figures.text import Words

    with tempfile.TemporaryDirectory() as folder:
        runtime = await build(_settings(Path(folder), database_url))
        try:
            began = time.perf_counter()
            await generate(runtime.env, cases)
            print(f"generated {cases} cases in {time.perf_counter() - began:.1f} s")
            began = time.perf_counter()
            sheet = await factsheet(runtime.env, CODES, date(2026, 1, 1), date(2026, 12, 31), 5)
            figures = time.perf_counter() - began
            print(f"figures: {sheet.registered} registrations, {sheet.consented} consented, "
                  f"in {figures:.2f} s (target < 5 s)")
            words = Words(runtime.env.tr, "nl", runtime.env.directory)
            began = time.perf_counter()
            pdf = render_sheet(sheet, words)
            print(f"PDF: {len(pdf) // 1024} KiB in {time.perf_counter() - began:.2f} s")
            began = time.perf_counter()
            png = chart_png(chart_data(sheet, words))
            print(f"chart: {len(png) // 1024} KiB in {time.perf_counter() - began:.2f} s")
        finally:
            await runtime.close()
    if figures >= 5:
        raise SystemExit(1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--database-url", default="sqlite")
    options = parser.parse_args()
    asyncio.run(main(options.cases, options.database_url))
