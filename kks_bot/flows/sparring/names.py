"""Sparring's states, steps and words."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

from ...forms import parsers
from ...i18n import N_

SPAR = "spar"  # the sparring screens (a step says which)
CHECK = "check"  # the guided check, a walk
QUESTION_MAX = 2000
CARE_PATHS_URL = "https://zorgpadenkansrijkestart.pharos.nl/"


class Step(StrEnum):
    MENU = ""
    FAQ = "faq"  # a question for the FAQ
    MUNICIPALITY = "gem"  # which coordinator to ask
    ASK = "ask"  # the question for the coordinator
    WARN = "warn"  # it seems to identify the family: rewrite or send anyway
    REPLY = "reply"  # a message in a thread
    ADVICE = "advice"  # the check's advice


KIND_LABELS = {
    "name": N_("een naam"),
    "birthdate": N_("een (geboorte)datum"),
    "postcode": N_("een postcode"),
    "phone": N_("een telefoonnummer"),
    "email": N_("een e-mailadres"),
    "number": N_("een nummer van 9 cijfers (zoals een BSN)"),
}


def question_text(raw: str) -> str:
    """Clean text that has at least one letter (not only emoji or digits)."""
    cleaned = parsers.parse_text(raw, max_length=QUESTION_MAX)
    if not any(unicodedata.category(ch).startswith("L") for ch in cleaned):
        raise parsers.ParseError(N_("Typ je vraag in woorden."))
    return cleaned
