"""The safety detector: does a question touch acute danger (violence, abuse, neglect,
threats; thoughts of suicide or self-harm)?

Independent of the FAQ's answer, so an abstention there never loses the safety text:
every question typed in sparring goes through :func:`sensed` first. Two readings, either
is enough: word lists per language (Dutch, English, standard and colloquial Arabic; they
are content, in conversations.danger_signs), and - for what the lists miss - the
sentence model's nearness to the safety entry's example questions. High recall over
precision.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.danger_signs import (
    INSIDE,
    NOT_DANGER,
    NOT_TYPOS,
    PHRASES,
    SUICIDE,
    TYPOS,
    VIOLENCE,
    WORDS,
)

from .lexical import FaqMatcher, normalise
from .semantic import HybridMatcher

__all__ = ["KINDS", "SAFETY_ENTRY", "SUICIDE", "VIOLENCE", "danger_kinds", "sensed"]

#: The kinds in the order their texts are shown.
KINDS = (SUICIDE, VIOLENCE)

# Letters and marks lexical.normalise leaves: Persian kaf and ya as Arabic ones, and the
# zero-width (non-)joiners that would split a word in two.
_EXTRA = str.maketrans({"ک": "ك", "ی": "ي", "\u200c": None, "\u200d": None})
_TOKEN = re.compile(r"\w+")
MIN_TYPO = 5  # shorter words are never read as typos
LONG_TYPO = 10  # from here on, two typos


@cache
def _compiled(kind: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in PHRASES[kind]))


@cache
def _not_danger() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in NOT_DANGER))


def _words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _TOKEN.findall(normalise(text).translate(_EXTRA))


def _typo_of(word: str, kind: str) -> bool:
    """``word`` is one of the kind's TYPOS words, written with a typo or two."""
    if len(word) < MIN_TYPO or word in NOT_TYPOS:
        return False
    limit = 2 if len(word) >= LONG_TYPO else 1
    found = process.extractOne(word, TYPOS[kind], scorer=OSA.distance, score_cutoff=limit)
    return found is not None and len(found[0]) >= MIN_TYPO


def danger_kinds(text: str) -> frozenset[str]:
    """The kinds of danger a question touches: ``violence``, ``suicide``, both or none."""
    joined = " ".join(_words(text))
    joined = " ".join(_not_danger().sub(" ", joined).split())
    words = joined.split()
    found: set[str] = set()
    for kind in KINDS:
        if (any(sign in word for word in words for sign in INSIDE[kind])
                or any(word in WORDS[kind] for word in words)
                or _compiled(kind).search(joined)
                or any(_typo_of(word, kind) for word in words)):
            found.add(kind)
    return frozenset(found)


#: The FAQ entry about acute danger: its phrasings are the sentence model's examples.
SAFETY_ENTRY = "acuut_onveilig"
#: The sentence model's second opinion counts when a question is about as near to that
#: entry's phrasings as to any other class's (margin) and the classifier gives the entry
#: some probability (see docs/decisions.md, Issue 18).
NEAR_MARGIN = -0.015
NEAR_PROBABILITY = 0.05


def sensed(text: str, matcher: HybridMatcher | FaqMatcher) -> frozenset[str]:
    """The kinds of danger in a question: the word lists first; when they find none, the
    sentence model's second opinion - which cannot tell the kinds apart well (the nearest
    example question's kind was wrong for 8 of 36 blind questions), so it counts as both."""
    kinds = danger_kinds(text)
    if kinds or not isinstance(matcher, HybridMatcher):
        return kinds
    near = matcher.nearness(text, SAFETY_ENTRY)
    if near.margin <= NEAR_MARGIN or near.probability < NEAR_PROBABILITY:
        return frozenset()
    return frozenset(KINDS)
