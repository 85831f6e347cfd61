"""Write conversations/faq_scored.json: the questions of the FAQ benchmark sets that have been
scored once, as extra training examples for the classifier.

A blind set is written by someone who never saw the FAQ's phrasings and scored once, when
it is new (bench/faq_accuracy.py, figures in the README). After that it is no longer
blind, and its questions - real phrasings by other people - are worth more as examples
than as a test. The sets to learn from are named in SCORED below; a new blind set joins
the list only after its one scoring.

    .venv/bin/python scripts/faq_scored.py && .venv/bin/python scripts/faq_model.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCORED = ("faq_blind", "faq_blind2", "faq_blind3", "faq_blind4", "faq_blind5", "faq_blind6",
          "faq_blind7", "faq_dev2", "faq_heldout", "faq_oos_extra", "faq_situations")
TARGET = ROOT / "conversations" / "faq_scored.json"
ABOUT = ("Questions of the FAQ benchmark sets that were scored once, as more examples for "
         "the classifier; written by scripts/faq_scored.py, do not edit by hand.")


def main() -> int:
    from conversations.faq import FAQ
    entries = {e.id for e in FAQ}
    scored: dict[str, dict[str, list[str]]] = {}
    out: dict[str, list[str]] = {}
    seen: set[str] = set()
    for name in SCORED:
        raw = json.loads((ROOT / "bench" / "data" / f"{name}.json").read_text("utf-8"))
        for row in raw["items"] if isinstance(raw, dict) else raw:
            locale, text, expect = ((row["locale"], row["text"], row["expect"])
                                    if isinstance(row, dict) else row)
            if text in seen:
                continue
            seen.add(text)
            if expect is None:
                out.setdefault(locale, []).append(text)
            elif expect in entries:
                scored.setdefault(expect, {}).setdefault(locale, []).append(text)
    body = {k: {lang: v for lang, v in sorted(d.items())} for k, d in sorted(scored.items())}
    outside = {lang: v for lang, v in sorted(out.items())}
    TARGET.write_text(json.dumps({"about": ABOUT, "sets": list(SCORED), "scored": body,
                                  "out_of_scope": outside}, ensure_ascii=False, indent=1)
                      + "\n", encoding="utf-8")
    count = sum(len(v) for d in body.values() for v in d.values())
    sys.stdout.write(f"{TARGET.name}: {count} questions for entries, "
                     f"{sum(len(v) for v in outside.values())} out of scope\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
