"""``kks-bot admin factsheet``: the factsheet PDF and CSV of some municipalities and a
period, written owner-only; and the threshold setting."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ...audit import audit
from ...config import Settings
from ...kernel.context import Env
from .load import factsheet
from .text import Words, csv_text

DEFAULT_THRESHOLD = 5


def threshold(settings: Settings) -> int:
    """The smallest count shown: ``KKS_FIGURES_THRESHOLD`` (default 5, at least 1)."""
    return settings.figures_threshold


def write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)  # an existing file keeps its mode on open


async def run_factsheet(env: Env, args: argparse.Namespace) -> int:
    codes = [c.strip().upper() for c in args.gemeente.split(",") if c.strip()]
    unknown = [c for c in codes if env.directory.get(c) is None]
    if unknown or not codes:
        print(f"unknown municipality code(s): {', '.join(unknown) or '-'}")  # noqa: T201
        return 2
    if args.tot < args.van:
        print("--tot is before --van")  # noqa: T201
        return 2
    limit = threshold(env.settings)
    sheet = await factsheet(env, codes, args.van, args.tot, limit)
    words = Words(env.tr, args.taal, env.directory)
    # Lazy: fpdf2 and HarfBuzz load only when a PDF is made (the other admin commands
    # start without them).
    from .sheet import render_sheet

    folder = Path(args.out)
    stem = f"factsheet-{'-'.join(codes)}-{args.van.isoformat()}-{args.tot.isoformat()}"
    stem += "" if args.taal == "nl" else f"-{args.taal}"
    pdf = render_sheet(sheet, words, rtl=args.taal == "ar")
    write_private(folder / f"{stem}.pdf", pdf)
    write_private(folder / f"{stem}.csv", csv_text(sheet, words).encode("utf-8"))
    async with env.sessions() as session, session.begin():
        audit(session, env.clock.now(), 0, "factsheet", detail=",".join(codes)[:80])
    print(f"wrote {folder / (stem + '.pdf')} and {folder / (stem + '.csv')}: "  # noqa: T201
          f"{sheet.registered} registrations, {sheet.consented} with consent, "
          f"cells below {limit} suppressed")
    return 0
