"""How well the sparring FAQ finds the right answer, on questions it was not built from.

Reads every bench/data/faq_*.json (faq_heldout, faq_dev2, faq_blind to faq_blind5,
faq_oos_extra): questions in Dutch, English and Arabic, each with the FAQ entry it
should get, or null when the bot must say it does not know. A set is either
{"items": [{"locale", "text", "expect"}, ...]} or a list of [locale, text, expect].
Prints one line per set and language: top-1 accuracy on the in-scope questions, how
many of them got a wrong answer or "I don't know", how many out-of-scope questions
got an answer anyway, and the time per question. By default it measures the matcher
the bot uses (the sentence model with the lexical matcher beside it); ``--lexical``
measures the lexical matcher alone (the bot's fallback).

    .venv/bin/python bench/faq_accuracy.py [--lexical] [--verbose] [--only NAME] [--exclude NAME]

--verbose lists every miss with the top three entries and their scores;
--only limits the run to the named set, --exclude leaves the named set out
(repeatable). Names match exactly, with or without the ``faq_`` prefix: ``blind``
is faq_blind only, never faq_blind2 (``--exclude blind2`` while tuning: a blind set
is scored once, at the end).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kks_bot.flows.sparring.lexical import FaqMatcher
from kks_bot.flows.sparring.semantic import HybridMatcher, default_matcher

DATA = Path(__file__).resolve().parent / "data"
HELDOUT = DATA / "faq_heldout.json"
LANGUAGES = ("nl", "en", "ar")


@dataclass
class Tally:
    in_scope: int = 0
    correct: int = 0
    wrong: int = 0
    unknown: int = 0
    out_scope: int = 0
    out_answered: int = 0
    times: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0


def datasets() -> list[Path]:
    """Every FAQ question set in bench/data, in name order."""
    return sorted(DATA.glob("faq_*.json"))


def set_name(path: Path) -> str:
    """The name a set is chosen by: its file stem without the ``faq_`` prefix."""
    return path.stem.removeprefix("faq_")


def selected(path: Path, only: list[str], exclude: list[str]) -> bool:
    """Whether --only/--exclude keep this set; names match exactly, never as substrings."""
    names = {path.stem, set_name(path)}
    if only and not names & set(only):
        return False
    return not names & set(exclude)


def load(path: Path = HELDOUT) -> list[dict[str, str | None]]:
    """The questions of one set as {"locale", "text", "expect"}, whatever its layout."""
    raw: Any = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(raw, dict):
        raw = raw["items"]
    items: list[dict[str, str | None]] = []
    for item in raw:
        if isinstance(item, dict):
            items.append({"locale": item["locale"], "text": item["text"],
                          "expect": item.get("expect")})
        else:
            locale, text, expect = item
            items.append({"locale": locale, "text": text, "expect": expect})
    return items


def top3(matcher: HybridMatcher | FaqMatcher, text: str) -> str:
    """The three best candidates with their scores, for --verbose."""
    if isinstance(matcher, HybridMatcher):
        return ", ".join(f"{c} p={p:.2f} cos={c2:.3f}" for c, p, c2 in matcher.ranked(text)[:3])
    return ", ".join(f"{s.faq_id} {s.score:.2f}/{s.coverage:.2f}"
                     for s in matcher.scores(text)[:3])


def evaluate(matcher: HybridMatcher | FaqMatcher,
             items: list[dict[str, str | None]]) -> dict[str, Tally]:
    tallies = {language: Tally() for language in LANGUAGES}
    for item in items:
        locale, text, expect = str(item["locale"]), str(item["text"]), item["expect"]
        tally = tallies.setdefault(locale, Tally())
        start = time.perf_counter()
        hit = matcher.match(text, locale)
        tally.times.append(time.perf_counter() - start)
        got = hit.faq_id if hit else None
        if expect is None:
            tally.out_scope += 1
            tally.out_answered += got is not None
        else:
            tally.in_scope += 1
            tally.correct += got == expect
            tally.wrong += got is not None and got != expect
            tally.unknown += got is None
        if got != expect:
            tally.misses.append(f"    {text!r}: expected {expect}, got {got}  "
                                f"[{top3(matcher, text)}]")
    return tallies


def line(name: str, language: str, t: Tally) -> str:
    ms = sorted(x * 1000 for x in t.times)
    return (f"{name:<12} {language}: top-1 {t.correct:>3}/{t.in_scope:<3} ({t.accuracy:4.0%})  "
            f"wrong {t.wrong:>2}  don't know {t.unknown:>2}  "
            f"out-of-scope answered {t.out_answered:>2}/{t.out_scope:<2}  "
            f"median {statistics.median(ms):.2f} ms  max {ms[-1]:.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    parser.add_argument("--only", action="append", default=[],
                        help="only this set, by exact name such as 'blind' (repeatable)")
    parser.add_argument("--exclude", action="append", default=[],
                        help="leave out this set, by exact name such as 'blind2' (repeatable)")
    parser.add_argument("--lexical", action="store_true",
                        help="the lexical matcher alone (what the bot falls back to)")
    args = parser.parse_args()

    start = time.perf_counter()
    matcher = FaqMatcher.default() if args.lexical else default_matcher()
    built = time.perf_counter() - start
    matcher.match("warm-up", "nl")
    paths = [p for p in datasets() if selected(p, args.only, args.exclude)]
    kind = "hybrid (e5 + lexical)" if isinstance(matcher, HybridMatcher) else "lexical"
    print(f"FAQ matcher, {kind}: {len(matcher.entries)} entries, built in {built * 1000:.0f} ms; "
          f"sets: {', '.join(p.stem for p in paths) or 'none'}")
    for path in paths:
        items = load(path)
        tallies = evaluate(matcher, items)
        for language, tally in tallies.items():
            if not tally.times:
                continue
            print(line(path.stem, language, tally))
            if args.verbose:
                for miss in tally.misses:
                    print(miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
