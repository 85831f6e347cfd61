"""How well the sparring FAQ finds the right answer, on questions it was not built from.

Reads bench/data/faq_heldout.json (paraphrased questions in Dutch, English and Arabic,
each with the FAQ entry it should get, or null when the bot must say it does not
know) and prints, per language: top-1 accuracy on the in-scope questions, how many
of them got a wrong answer or "I don't know", how many out-of-scope questions got
an answer anyway, and the time per question.

    .venv/bin/python bench/faq_accuracy.py [--verbose]

--verbose lists every miss with the top three entries and their scores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kks_bot.core.faq import FaqMatcher

HELDOUT = Path(__file__).resolve().parent / "data" / "faq_heldout.json"
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


def load(path: Path = HELDOUT) -> list[dict[str, str | None]]:
    items: list[dict[str, str | None]] = json.loads(path.read_text(encoding="utf-8"))["items"]
    return items


def evaluate(matcher: FaqMatcher, items: list[dict[str, str | None]]) -> dict[str, Tally]:
    tallies = {language: Tally() for language in LANGUAGES}
    for item in items:
        locale, text, expect = str(item["locale"]), str(item["text"]), item["expect"]
        tally = tallies[locale]
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
            top = ", ".join(f"{s.faq_id} {s.score:.2f}/{s.coverage:.2f}"
                            for s in matcher.scores(text)[:3])
            tally.misses.append(f"  {text!r}: expected {expect}, got {got}  [{top}]")
    return tallies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args()

    start = time.perf_counter()
    matcher = FaqMatcher.default()
    built = time.perf_counter() - start
    matcher.match("warm-up", "nl")
    items = load()
    tallies = evaluate(matcher, items)
    print(f"FAQ matcher: {len(matcher.entries)} entries, built in {built * 1000:.0f} ms; "
          f"{len(items)} held-out questions")
    for language in LANGUAGES:
        t = tallies[language]
        ms = sorted(x * 1000 for x in t.times)
        print(f"{language}: top-1 {t.correct}/{t.in_scope} ({t.accuracy:.0%})  "
              f"wrong {t.wrong}  don't know {t.unknown}  "
              f"out-of-scope answered {t.out_answered}/{t.out_scope}  "
              f"median {statistics.median(ms):.2f} ms  max {ms[-1]:.2f} ms")
        if args.verbose:
            for line in t.misses:
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
