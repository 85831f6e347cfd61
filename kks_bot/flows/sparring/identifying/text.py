"""Normalising a question and finding e-mail addresses, links, dates, phone numbers,
postcodes and long numbers in it."""


from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Final

from babel.dates import get_month_names
from babel.localedata import LocaleDataDict
from phonenumbers import PhoneNumberType

from ....forms.parsers import normalize_digits

# --- Normalisation -----------------------------------------------------------------------------

# Arabic: drop harakat and tatweel, fold the alef variants, so spelling variants match.
_ARABIC_FOLD: Final[dict[int, str | None]] = {
    **{cp: None for cp in range(0x064B, 0x0653)},  # fathatan .. sukun, shadda, maddah
    0x0670: None,  # superscript alef
    0x0640: None,  # tatweel
    0x0622: "ا",  # آ
    0x0623: "ا",  # أ
    0x0625: "ا",  # إ
    0x0671: "ا",  # ٱ
}


def fold_arabic(text: str) -> str:
    return text.translate(_ARABIC_FOLD)


def normalize(text: str) -> str:
    """NFC, ASCII digits, no invisible marks, Arabic spelling folded (see ``_ARABIC_FOLD``)."""
    return fold_arabic(normalize_digits(unicodedata.normalize("NFC", text)))


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each span by spaces (same length), so later checks skip what was found."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# --- E-mail and links --------------------------------------------------------------------------

# The look-behind makes a match start only where a run starts (no quadratic rescans).
EMAIL: Final = re.compile(r"(?<![\w.+%'-])[\w.+%'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
URL: Final = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# --- Dates -------------------------------------------------------------------------------------


def values(names: LocaleDataDict) -> list[str]:
    return [str(v) for v in names.values()]


def _month_words() -> list[str]:
    """Month names and abbreviations (nl, en, ar, Levantine ar_SY), longest first."""
    words: set[str] = {"sept", "mrt", "mar", "okt", "oct"}
    for locale in ("nl", "en", "ar", "ar_SY"):
        for width in ("wide", "abbreviated"):
            words.update(values(get_month_names(width, locale=locale)))
    folded = {fold_arabic(w).casefold().rstrip(".") for w in words}
    return sorted(folded, key=len, reverse=True)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


_NOT_LETTER_AFTER: Final = r"(?![^\W\d_])"
_NOT_LETTER_BEFORE: Final = r"(?<![^\W\d_])"
_DAY: Final = r"(?:[12][0-9]|3[01]|0?[1-9])"
_DAY_ORD: Final = rf"(?<!\d){_DAY}(?:st|nd|rd|th|ste|de|e)?(?![\w])"
_MONTH_NUM: Final = r"(?:1[0-2]|0?[1-9])"
_YEAR4: Final = r"(?:1[89]|20)[0-9]{2}"
# A day and a month without a year only count after a word about birth.
_BIRTH_WORD: Final = (
    r"geboren|geb\.|geboortedatum|geboortedag|verjaardag|born|birthday|birth\s*date"
    r"|date\s+of\s+birth|d\.?o\.?b\b\.?"
    r"|مولود|مولوده|مولودة|ولد|ولدت|تاريخ\s+الميلاد|تاريخ\s+ميلاد|ميلاد|ميلادها|ميلاده"
    r"|مواليد|عيد\s+ميلاد"
)


@functools.cache
def date_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A full date, and a day and month after a word about birth. Made with the first
    question checked (Babel's month names of four locales: about 10 ms of a start)."""
    month = rf"{_NOT_LETTER_BEFORE}(?:{_alternation(_month_words())}){_NOT_LETTER_AFTER}\.?"
    # "12 maart", "3rd of March", "١٢ من شهر آذار", "March 3rd", "the 3rd of March".
    day_month_words = (
        rf"(?:(?:the\s+)?{_DAY_ORD}[\s./-]*(?:of\s+|van\s+|من\s+)?(?:شهر\s+)?{month}"
        rf"|{month}\s*(?:the\s+)?{_DAY_ORD})"
    )
    full_date = re.compile(
        # 12-03-2024, 12/3/24, 12.03.2024 (one separator throughout), 2024-03-12.
        rf"(?<![\d/.-])(?:{_DAY}(?P<s1>[-/.]){_MONTH_NUM}(?P=s1)(?:{_YEAR4}|[0-9]{{2}})"
        rf"|{_YEAR4}(?P<s2>[-/.]){_MONTH_NUM}(?P=s2){_DAY})(?![0-9]|[-/.][0-9])"
        # 12 maart 2024, 3 March, 2024, March 3rd, 2024, 12 mrt. '24, ١٢ آذار ٢٠٢٤.
        rf"|{day_month_words}[\s,./-]*(?:{_YEAR4}|'[0-9]{{2}})(?![0-9])",
        re.IGNORECASE,
    )
    birth_date = re.compile(
        rf"{_NOT_LETTER_BEFORE}(?:{_BIRTH_WORD}){_NOT_LETTER_AFTER}[^\n]{{0,25}}?"
        rf"(?:{day_month_words}|(?<![\d/.-]){_DAY}[-/.]{_MONTH_NUM}(?![0-9]))",
        re.IGNORECASE,
    )
    return full_date, birth_date


# --- Phone numbers -----------------------------------------------------------------------------

# Public service numbers professionals mention: 0800 (Veilig Thuis 0800-2000), 0900, and
# organisation numbers (088 and the municipalities' 14 0xx). 112 is never matched.
PUBLIC_PHONE_TYPES: Final = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
)
# Runs of digits and phone punctuation; each run with enough digits goes to the matcher on
# its own (the matcher is linear per run, but slow on long texts with many numbers).
PHONE_RUN: Final = re.compile(r"\+?[0-9(](?:[0-9]|[ \u00a0.()/-]{1,3}(?=[0-9(]))*")
MIN_PHONE_DIGITS: Final = 7
MAX_PHONE_CHUNK: Final = 40  # a longer run is a list of numbers: cut it at spaces
# The matcher takes about 1 ms for 40 characters of digits; past this many characters the
# text is a list of numbers rather than a question, and the rest is judged by digit count.
PHONE_BUDGET: Final = 400

# --- Postcodes and numbers ---------------------------------------------------------------------

POSTCODE: Final = re.compile(
    r"(?<![\w.,/-])([1-9][0-9]{3})([ \u00a0]?)([A-Za-z]{2})(?![\w])", re.ASCII
)
# "in 2024 en ...", "1000 mg": a year or amount followed by a two-letter word is no postcode.
TWO_LETTER_WORDS: Final = frozenset(
    "en in op is de te er ze je we al nu na om of ja ik zo uw he hè ca at on an to or as it "
    "by be me my no so up us do go if am pm hi ok km kg mg ml cl dl cm mm gr st nd rd th eu "
    "uu ct jr nr".split()
)
UNITS: Final = frozenset("km kg mg ml cl dl cm mm gr uu pm am st nd rd th ct eu".split())
POSTCODE_NOT_ISSUED: Final = frozenset({"SA", "SD", "SS"})
# Digit groups joined by one space or dot: 123456782, 1234.56.782, 123 456 782.
DIGIT_RUN: Final = re.compile(r"(?<![0-9])[0-9]+(?:[ .][0-9]+)*(?![0-9])")

