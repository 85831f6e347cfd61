"""Names by heuristics, and the detector that returns the kinds it found."""


from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

import phonenumbers

from .text import (
    DIGIT_RUN,
    EMAIL,
    MAX_PHONE_CHUNK,
    MIN_PHONE_DIGITS,
    PHONE_BUDGET,
    PHONE_RUN,
    POSTCODE,
    POSTCODE_NOT_ISSUED,
    PUBLIC_PHONE_TYPES,
    TWO_LETTER_WORDS,
    UNITS,
    URL,
    blank,
    date_patterns,
    normalize,
)
from .words import (
    ABBREVIATED_TITLES,
    ADJECTIVE_ENDINGS,
    AR_DEFINITE_KIN,
    AR_GIVEN_NAMES,
    AR_KUNYA,
    AR_NAMING,
    AR_NAMING_FILLER,
    AR_STOP,
    AR_TITLES,
    AR_UMM,
    COMMON,
    KIN_WORDS,
    NAME_NOUNS,
    NAMING_STRONG,
    NAMING_WEAK,
    NOT_A_NAME_AFTER_NAMING,
    PARTICLES,
    PRONOUNS_BEFORE_HEET,
    SERVICE_ENDINGS,
    TITLES,
    non_names,
)

KINDS: Final = ("name", "birthdate", "postcode", "phone", "email", "number")


# --- Names: matching ---------------------------------------------------------------------------

_TOKEN: Final = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A word after these (or an opening quote) starts a sentence, a line or a quotation.
_SENTENCE_END: Final = frozenset(".!?:;…\n؟؛\"“”„«»")
_AGE: Final = (
    r"[0-9]{1,2}(?:\s*(?:jaar|jr|j|years?(?:\s+old)?|yrs?|y|maanden|mnd|months?|weken|"
    r"wk|weeks?)\b\.?)?"
)
# After a first word: "(23)", "(23 jaar)", ", 19,", ", 19 years old.", " is zwanger", " is 19".
_AGE_AFTER: Final = re.compile(
    rf"\s*\(\s*{_AGE}\s*\)"
    rf"|\s*,\s*{_AGE}\s*(?:[,.;:!?)]|$)"
    r"|\s+(?:is|was)\s+(?:zwanger|pregnant|in\s+verwachting|[0-9]{1,2}(?![0-9]))",
    re.IGNORECASE,
)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_non_name(word: str) -> bool:
    """True for a word on the stoplist, also with an adjective ending ("Heerlense")."""
    folded = word.casefold()
    if folded in non_names():
        return True
    for ending in ADJECTIVE_ENDINGS:
        stem = folded.removesuffix(ending)
        if stem != folded and len(stem) >= 5 and stem in non_names():
            return True
    if any(folded.endswith(e) and len(folded) > len(e) + 2 for e in SERVICE_ENDINGS):
        return True
    parts = re.split(r"['’-]", word)
    if len(parts) > 1:
        # "Sittard-Geleen", "JGZ-verpleegkundige", "Zuid-Limburgse": every capitalised part
        # is known or an acronym.
        capitalised = [p for p in parts if p and _is_capitalised(p)]
        return all(_is_acronym(p) or _is_non_name(p) for p in capitalised)
    return False


def _looks_like_latin_name(word: str) -> bool:
    """A capitalised word that is not an acronym, a single letter ("I") or a known non-name."""
    head = re.split(r"['’]", word)[0]
    return (
        _is_capitalised(word)
        and len(head) >= 2
        and not _is_acronym(word)
        and not _is_non_name(word)
    )


class _Tokens:
    """The words of a text with, for each, whether it starts a sentence or line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.matches = list(_TOKEN.finditer(text))
        self.words = [m.group() for m in self.matches]
        self.folded = [w.casefold() for w in self.words]
        self.initial: list[bool] = []
        previous_end = 0
        for index, match in enumerate(self.matches):
            gap = text[previous_end : match.start()]
            self.initial.append(index == 0 or any(ch in _SENTENCE_END for ch in gap))
            previous_end = match.end()

    def gap_before(self, index: int) -> str:
        start = self.matches[index - 1].end() if index > 0 else 0
        return self.text[start : self.matches[index].start()]

    def next_word(self, index: int, *, skip: frozenset[str] = frozenset()) -> int | None:
        """Index of the word after ``index`` on the same line, skipping ``skip`` words."""
        following = index + 1
        while following < len(self.words):
            if "\n" in self.gap_before(following):
                return None
            if self.folded[following] not in skip:
                return following
            following += 1
        return None


def _latin_title_name(tokens: _Tokens, index: int) -> bool:
    """(a) "mevrouw Jansen", "mevr. van der Berg", "moeder Fatima", "Mrs. Smith"."""
    title = tokens.folded[index]
    is_title = title in TITLES
    if not is_title and title not in KIN_WORDS:
        return False
    following = tokens.next_word(index, skip=PARTICLES)
    if following is None:
        return False
    gap = tokens.gap_before(following) if following == index + 1 else " "
    allowed = " \u00a0." if title in ABBREVIATED_TITLES else " \u00a0"
    if gap.strip(allowed):
        return False
    word = tokens.words[following]
    if not _is_capitalised(word) or len(word) < 2:
        return False
    if is_title:  # "mevrouw Beek" is a name even though Beek is a municipality
        return word.casefold() not in COMMON
    return not _is_non_name(word)


def _naming_phrase_name(tokens: _Tokens, index: int) -> bool:
    """(b) "genaamd Fatima", "she is called Sarah", "haar naam is Noor", "naam: Jansen"."""
    word = tokens.folded[index]
    after = tokens.next_word(index)
    if after is None:
        return False
    strong = word in NAMING_STRONG
    may_start_sentence = False
    if word in NAME_NOUNS:
        if ":" in tokens.gap_before(after):  # "naam: Jansen"
            strong = may_start_sentence = True
        elif tokens.folded[after] in ("is", "was"):  # "haar naam is Noor"
            strong = True
            after = tokens.next_word(after)
        else:
            return False
    elif word in NAMING_WEAK:
        before = tokens.folded[index - 1] if index > 0 else ""
        if before in PRONOUNS_BEFORE_HEET:  # "ze heet Noor"
            strong = True
        elif tokens.folded[after] in ("ze", "zij", "hij"):  # "heet ze Noor"
            strong = True
            after = tokens.next_word(after)
    elif not strong:
        return False
    while after is not None and tokens.folded[after] in PARTICLES:
        after = tokens.next_word(after)
    if after is None or (tokens.initial[after] and not may_start_sentence):
        return False
    name = tokens.words[after]
    if name.casefold() in NOT_A_NAME_AFTER_NAMING or _is_non_name(name):
        return False
    if _is_arabic(name):
        return name not in AR_STOP
    return strong or _looks_like_latin_name(name)


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _arabic_name(tokens: _Tokens, index: int) -> bool:
    """(a), (b), (d) for Arabic: titles, kunya, naming words, common given names."""
    word = tokens.words[index]
    if word in AR_GIVEN_NAMES or word.removeprefix("و") in AR_GIVEN_NAMES:
        return True
    is_title = word in AR_TITLES
    is_kunya = word in AR_KUNYA
    is_umm = word == AR_UMM
    if word in AR_NAMING:
        following = tokens.next_word(index, skip=AR_NAMING_FILLER)
        if following is None:
            return False
        name = tokens.words[following]
        return name not in AR_STOP and not (_is_arabic(name) and name.startswith("ال"))
    if not (is_title or is_kunya or is_umm):
        return False
    following = tokens.next_word(index)
    if following is None or tokens.initial[following]:
        return False
    name = tokens.words[following]
    if not _is_arabic(name):
        return _is_capitalised(name) and not _is_non_name(name)
    if name in AR_GIVEN_NAMES:
        return True
    if word.startswith("عائل") and name.startswith("ال"):
        return name not in AR_DEFINITE_KIN  # "عائلة الحلبي", but "عائلة الزوج"
    if name in AR_STOP or name.startswith(("ال", "لل")):
        return False
    if name.startswith(("ل", "ب", "ك")) or name.endswith(("ها", "هم", "كم")):
        return False  # "أم لطفلين": mother of two; "أبو طفلها": her child's father
    if is_umm and not tokens.initial[index]:
        return False  # inside a sentence أم is mostly "or"
    if is_umm or word.startswith("عائل"):
        # "أم عزباء", "عائلة كبيرة": an adjective agrees with the feminine noun.
        return not name.endswith(("ة", "اء"))
    if is_kunya:
        return True
    # السيد/السيدة then a verb ("السيد يعمل", "السيدة تعيش"): no name.
    if name.startswith("ت" if word.endswith(("ة", "ه")) else "ي"):
        return False
    # السيدة/السيد: nisba adjectives (سورية) and participles (متزوجة) describe, not name.
    return not (name.endswith(("ية", "يه")) or (name.startswith("م") and name.endswith("ة")))


def _has_name(text: str) -> bool:
    tokens = _Tokens(text)
    for index, word in enumerate(tokens.words):
        if _is_arabic(word):
            if _arabic_name(tokens, index):
                return True
            continue
        if _latin_title_name(tokens, index) or _naming_phrase_name(tokens, index):
            return True
        if not _looks_like_latin_name(word):
            continue
        if not tokens.initial[index]:
            return True  # (c) a capitalised word inside a sentence
        if _AGE_AFTER.match(text, tokens.matches[index].end()):
            return True  # (c) "Fatima (23) is zwanger", "Sarah, 19, ..."
    return False


# --- The detector ------------------------------------------------------------------------------


def _phone_chunks(run: re.Match[str]) -> Iterator[tuple[int, str]]:
    """The run with its offset; a long run (a list of numbers) in pieces cut at spaces."""
    start, rest = run.start(), run.group()
    while len(rest) > MAX_PHONE_CHUNK:
        cut = rest.rfind(" ", 0, MAX_PHONE_CHUNK)
        if cut <= 0:
            cut = MAX_PHONE_CHUNK
        yield start, rest[:cut]
        start, rest = start + cut, rest[cut:]
    yield start, rest


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _phones(text: str) -> tuple[bool, list[tuple[int, int]]]:
    """Whether a personal phone number occurs; the spans of phone numbers to blank out.

    The matcher runs on each run of digits and phone punctuation separately (on a whole text
    with many numbers it is slow), for at most ``PHONE_BUDGET`` characters. Once a personal
    number is found, or the budget is spent, a further piece of 10 or more digits is taken to
    be a personal phone number without asking the matcher (a BSN has 9).
    """
    found = False
    spans: list[tuple[int, int]] = []
    budget = PHONE_BUDGET
    for run in PHONE_RUN.finditer(text):
        if _digit_count(run.group()) < MIN_PHONE_DIGITS:
            continue
        for start, chunk in _phone_chunks(run):
            if found or budget <= 0:
                if _digit_count(chunk) >= 10:
                    spans.append((start, start + len(chunk)))
                    found = True
                continue
            budget -= len(chunk)
            for match in phonenumbers.PhoneNumberMatcher(chunk, "NL"):
                spans.append((start + match.start, start + match.end))
                if phonenumbers.number_type(match.number) not in PUBLIC_PHONE_TYPES:
                    found = True
    return found, spans


def _has_postcode(text: str) -> bool:
    for match in POSTCODE.finditer(text):
        separator, letters = match.group(2), match.group(3)
        if letters.upper() in POSTCODE_NOT_ISSUED:
            continue
        if separator:
            if letters.isupper() or letters.casefold() not in TWO_LETTER_WORDS:
                return True
        elif letters.casefold() not in UNITS:
            return True
    return False


def _has_nine_digit_number(text: str) -> bool:
    for match in DIGIT_RUN.finditer(text):
        groups = re.split(r"[ .]", match.group())
        if sum(len(g) for g in groups) == 9 or any(len(g) == 9 for g in groups):
            return True
    return False


def identifying_details(text: str) -> list[str]:
    """The kinds of identifying detail that ``text`` seems to contain, in :data:`KINDS` order.

    An empty list means the text looks anonymous. Kinds: ``"name"`` (heuristics, see the
    module docstring), ``"birthdate"`` (a full date, or a day and month after a word about
    birth), ``"postcode"`` (1234 AB), ``"phone"`` (not 0800/0900/088/14 0xx numbers nor 112),
    ``"email"`` and ``"number"`` (a 9-digit number such as a BSN, with or without spaces or
    dots). This only warns: it misses what it cannot see and sometimes sees too much.
    """
    normalized = normalize(text)
    if not normalized:
        return []
    found: set[str] = set()

    emails = [m.span() for m in EMAIL.finditer(normalized)]
    if emails:
        found.add("email")
    rest = blank(normalized, [*emails, *(m.span() for m in URL.finditer(normalized))])

    full_date, birth_date = date_patterns()
    dates = [m.span() for m in full_date.finditer(rest)]
    dates += [m.span() for m in birth_date.finditer(rest)]
    if dates:
        found.add("birthdate")
    rest = blank(rest, dates)

    has_phone, phone_spans = _phones(rest)
    if has_phone:
        found.add("phone")
    rest = blank(rest, phone_spans)

    if _has_postcode(rest):
        found.add("postcode")
    if _has_nine_digit_number(rest):
        found.add("number")
    if _has_name(rest):
        found.add("name")
    return [kind for kind in KINDS if kind in found]

