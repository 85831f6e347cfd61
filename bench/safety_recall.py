"""Does every question about acute danger get the safety text, and how often does an
ordinary question get it too?

Reads bench/data/safety_*.json (questions about violence, abuse, neglect, threats or
thoughts of suicide or self-harm, each with the kind it must be recognised as; and
safety_ordinary.json, questions without danger) and, for false alarms, every question
of bench/data/faq_*.json that is not about safety. Prints, per set and language, the
recall (the right kind recognised: the user sees the right numbers) - it must be 100% -
with what the word lists found alone; and, per language, the false-alarm rate. Exit
status 1 when a safety question is missed.

    .venv/bin/python bench/safety_recall.py [--verbose] [--lexical]

--verbose lists every miss and false alarm; --lexical leaves out the sentence model's
second opinion (what the bot does when the model cannot be loaded).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kks_bot.flows.sparring.danger import SAFETY_ENTRY, danger_kinds, sensed
from kks_bot.flows.sparring.lexical import FaqMatcher
from kks_bot.flows.sparring.semantic import HybridMatcher, default_matcher

DATA = Path(__file__).resolve().parent / "data"
ORDINARY = DATA / "safety_ordinary.json"


def items(path: Path) -> list[dict[str, Any]]:
    raw: Any = json.loads(path.read_text(encoding="utf-8"))
    rows = raw["items"] if isinstance(raw, dict) else raw
    return [r if isinstance(r, dict) else {"locale": r[0], "text": r[1], "expect": r[2]}
            for r in rows]


def safety_sets() -> list[Path]:
    return [p for p in sorted(DATA.glob("safety_*.json")) if p != ORDINARY]


def ordinary() -> list[dict[str, Any]]:
    """Questions without danger: safety_ordinary.json and the FAQ sets' other questions."""
    rows = items(ORDINARY)
    for path in sorted(DATA.glob("faq_*.json")):
        rows += [r for r in items(path) if r.get("expect") != SAFETY_ENTRY]
    return rows


def recall(matcher: HybridMatcher | FaqMatcher, verbose: bool) -> bool:
    complete = True
    for path in safety_sets():
        found, words, total = Counter[str](), Counter[str](), Counter[str]()
        misses: list[str] = []
        for row in items(path):
            key = row["locale"] + (f"/{row['variety']}" if row.get("variety") else "")
            for group in {row["locale"], key}:
                total[group] += 1
                found[group] += row["expect"] in sensed(row["text"], matcher)
                words[group] += row["expect"] in danger_kinds(row["text"])
            if row["expect"] not in sensed(row["text"], matcher):
                misses.append(f"    {row['text']!r}: expected {row['expect']}")
        for group in sorted(total, key=lambda g: ("/" in g, g)):
            share = found[group] / total[group]
            complete &= share == 1.0
            print(f"{path.stem:<14} {group:<13} recall {found[group]:>3}/{total[group]:<3} "
                  f"({share:4.0%})  word lists alone {words[group]:>3}/{total[group]}")
        if verbose:
            print("\n".join(misses))
    return complete


def false_alarms(matcher: HybridMatcher | FaqMatcher, verbose: bool) -> None:
    alarms, words, total = Counter[str](), Counter[str](), Counter[str]()
    shown: list[str] = []
    for row in ordinary():
        locale = row["locale"]
        total[locale] += 1
        kinds = sensed(row["text"], matcher)
        alarms[locale] += bool(kinds)
        words[locale] += bool(danger_kinds(row["text"]))
        if kinds:
            shown.append(f"    {row['text']!r}: {', '.join(sorted(kinds))}")
    for locale in sorted(total):
        print(f"false alarms   {locale:<13} {alarms[locale]:>3}/{total[locale]:<4} "
              f"({alarms[locale] / total[locale]:4.1%})  word lists alone "
              f"{words[locale]:>3}/{total[locale]}")
    if verbose:
        print("\n".join(shown))


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and false alarms")
    parser.add_argument("--lexical", action="store_true",
                        help="the word lists alone (no sentence model)")
    args = parser.parse_args()
    matcher = FaqMatcher.default() if args.lexical else default_matcher()
    kind = "word lists + sentence model" if isinstance(matcher, HybridMatcher) else "word lists"
    print(f"Safety detector ({kind})")
    complete = recall(matcher, args.verbose)
    false_alarms(matcher, args.verbose)
    return 0 if complete else 1


if __name__ == "__main__":
    raise SystemExit(main())
