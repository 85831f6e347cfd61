"""The options of ``kks-bot admin factsheet`` (light: the command line loads this at start)."""

from __future__ import annotations

import argparse
from datetime import date


def add_arguments(admin_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sheet = admin_sub.add_parser("factsheet", help="anonymous figures (PDF and CSV)")
    sheet.add_argument("--gemeente", required=True,
                       help="CBS codes, comma-separated, e.g. GM0917,GM0928")
    sheet.add_argument("--van", required=True, type=date.fromisoformat, help="e.g. 2026-01-01")
    sheet.add_argument("--tot", required=True, type=date.fromisoformat,
                       help="e.g. 2026-12-31 (included)")
    sheet.add_argument("--taal", choices=["nl", "en", "ar"], default="nl")
    sheet.add_argument("--out", default=".", help="folder for the two files (owner-only)")
