"""How a bidi implementation (python-bidi, the Unicode bidi algorithm) lays text out.

Telegram's clients lay out each paragraph (line) on its own, its direction taken from
its first strong letter. A left-to-right run of the logical text - "0800-2000", "+31",
"06 12345678", "6371 XB", "KKS-2026-0001", "Esmee de Vries" - must appear unchanged in
what the reader sees.
"""

from __future__ import annotations

import re

from bidi import get_display

# A run a reader reads left to right: Latin letters and digits, joined by one
# separator a phone number, postcode, date, time or name has inside it.
LTR_RUN = re.compile(r"[+/]?[0-9A-Za-zÀ-ɏ]+(?:[-‐./:@ +][0-9A-Za-zÀ-ɏ]+)*")
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def visual(text: str) -> list[str]:
    """Each paragraph as displayed, isolates (invisible) removed."""
    return [get_display(line).translate(ISOLATES) for line in text.split("\n")]


def turned_runs(text: str) -> list[str]:
    """The left-to-right runs of ``text`` that are not shown in their logical order."""
    turned = []
    for line, shown in zip(text.split("\n"), visual(text), strict=True):
        for run in LTR_RUN.findall(line.translate(ISOLATES)):
            if run not in shown:
                turned.append(run)
    return turned
