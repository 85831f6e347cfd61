"""Parse what a professional types on a phone into clean values.

Every function here is pure: no I/O, no clock (the caller passes ``today``), no framework
imports. Bad input raises :class:`ParseError`, whose ``message`` is a Dutch source string
marked with ``N_`` (translate it when rendering) and whose ``params`` fill its ``{name}``
placeholders with ``str.format``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

from kks_bot import lazy
from kks_bot.i18n_markers import N_, NP_

__all__ = [
    "ParseError",
    "format_phone",
    "normalize_digits",
    "parse_email",
    "parse_int",
    "parse_phone",
    "parse_postcode",
    "parse_text",
    "postcode_digits",
]


class ParseError(ValueError):
    """Input that cannot be turned into a value; ``message`` explains it kindly."""

    def __init__(self, message: str | tuple[str, str], **params: object) -> None:
        super().__init__(message)
        #: A Dutch source string, or a singular/plural pair counted by ``params["n"]``.
        self.message: str | tuple[str, str] = message
        self.params: dict[str, object] = dict(params)

    def __repr__(self) -> str:
        return f"ParseError({self.message!r}, params={self.params!r})"


# --- Messages ----------------------------------------------------------------------------------
# Dutch source strings (informal "je"), one per distinct problem. Placeholders in {braces}.

DATE_EMPTY: Final = N_("Je hebt nog geen datum getypt. Typ bijvoorbeeld 12-3-1998.")
DATE_UNKNOWN: Final = N_(
    "Dat is geen datum die ik herken. Typ bijvoorbeeld 12-3-1998 of 12 maart 1998."
)
DATE_INCOMPLETE: Final = N_(
    "Die datum is niet compleet. Typ dag, maand én jaar, bijvoorbeeld 12-3-1998."
)
DATE_BAD_MONTH: Final = N_("Maand {month} bestaat niet. Typ eerst de dag, dan de maand: 12-3-1998.")
DATE_BAD_DAY: Final = NP_(
    "Dag {day} bestaat niet in die maand; die heeft {n} dag. Kijk de datum nog even na.",
    "Dag {day} bestaat niet in die maand; die heeft {n} dagen. Kijk de datum nog even na.",
)
DATE_YEAR_DIGITS: Final = N_("Typ het jaar met vier cijfers, bijvoorbeeld 12-3-1998.")
DATE_YEAR_IMPLAUSIBLE: Final = N_("Het jaar {year} klopt vast niet. Kijk het nog even na.")

BIRTH_DATE_FUTURE: Final = N_(
    "Die geboortedatum ligt in de toekomst. Kijk de datum, vooral het jaar, nog even na."
)
BIRTH_DATE_TOO_YOUNG: Final = NP_(
    "Dan is deze persoon pas {n} jaar; dat moet minstens {min_age} zijn. "
    "Kijk het jaar nog even na.",
    "Dan is deze persoon pas {n} jaar; dat moet minstens {min_age} zijn. "
    "Kijk het jaar nog even na.",
)
BIRTH_DATE_TOO_OLD: Final = NP_(
    "Dan is deze persoon al {n} jaar; dat mag hoogstens {max_age} zijn. "
    "Kijk het jaar nog even na.",
    "Dan is deze persoon al {n} jaar; dat mag hoogstens {max_age} zijn. "
    "Kijk het jaar nog even na.",
)
PAST_DATE_FUTURE: Final = N_("Die datum ligt in de toekomst. Typ een datum van vandaag of eerder.")
PAST_DATE_TOO_OLD: Final = NP_(
    "Die datum is meer dan {n} jaar geleden. Kijk het jaar nog even na.",
    "Die datum is meer dan {n} jaar geleden. Kijk het jaar nog even na.",
)
DUE_DATE_PAST: Final = N_("Die datum is al voorbij. Typ de uitgerekende datum: vandaag of later.")
FUTURE_DATE_PAST: Final = N_("Die datum is al voorbij. Typ een datum van vandaag of later.")
FUTURE_DATE_TOO_FAR: Final = N_(
    "Die datum ligt meer dan een jaar vooruit. Kijk het jaar nog even na."
)
TIME_UNKNOWN: Final = N_("Die tijd herken ik niet. Typ bijvoorbeeld 14:30.")
DUE_DATE_TOO_FAR: Final = NP_(
    "Die datum ligt meer dan {n} week na vandaag. Kijk de uitgerekende datum nog even na.",
    "Die datum ligt meer dan {n} weken na vandaag. Kijk de uitgerekende datum nog even na.",
)

PHONE_EMPTY: Final = N_("Je hebt nog geen telefoonnummer getypt. Typ bijvoorbeeld 06 12345678.")
PHONE_NOT_DIGITS: Final = N_(
    "Een telefoonnummer bestaat alleen uit cijfers. Typ bijvoorbeeld 06 12345678."
)
PHONE_TOO_SHORT: Final = N_("Dat nummer is te kort. Typ het hele nummer, bijvoorbeeld 06 12345678.")
PHONE_TOO_LONG: Final = N_(
    "Dat nummer is te lang. Typ één nummer en kijk of er geen cijfer te veel in staat."
)
PHONE_BAD_LENGTH: Final = N_(
    "Dat nummer heeft niet het goede aantal cijfers. Kijk het nog even na."
)
PHONE_COUNTRY: Final = N_(
    "Die landcode ken ik niet. Typ + en de landcode, bijvoorbeeld +32 voor België."
)
PHONE_INVALID: Final = N_(
    "Dat nummer bestaat niet. Kijk het nog even na; een mobiel nummer is bijvoorbeeld 06 12345678."
)

EMAIL_EMPTY: Final = N_("Je hebt nog geen e-mailadres getypt. Typ bijvoorbeeld naam@voorbeeld.nl.")
EMAIL_SPACE: Final = N_(
    "Er staat een spatie in het e-mailadres. Typ het zonder spaties, zoals naam@voorbeeld.nl."
)
EMAIL_NO_AT: Final = N_("Er mist een @ in het e-mailadres. Typ het zo: naam@voorbeeld.nl.")
EMAIL_MANY_AT: Final = N_(
    "Er staat meer dan één @ in. Typ één e-mailadres, zoals naam@voorbeeld.nl."
)
EMAIL_BAD_LOCAL: Final = N_("Het deel vóór de @ klopt niet. Typ het zo: naam@voorbeeld.nl.")
EMAIL_BAD_DOMAIN: Final = N_("Het deel na de @ klopt niet. Typ het zo: naam@voorbeeld.nl.")
EMAIL_TOO_LONG: Final = N_("Dat e-mailadres is te lang. Kijk het nog even na.")

POSTCODE_EMPTY: Final = N_("Je hebt nog geen postcode getypt. Typ bijvoorbeeld 1234 AB.")
POSTCODE_NO_LETTERS: Final = N_("Typ ook de twee letters van de postcode, bijvoorbeeld 1234 AB.")
POSTCODE_LEADING_ZERO: Final = N_(
    "Een postcode begint nooit met een 0. Kijk de cijfers nog even na."
)
POSTCODE_NOT_ISSUED: Final = N_(
    "Postcodes met de letters {letters} bestaan niet. Kijk de letters nog even na."
)
POSTCODE_INVALID: Final = N_(
    "Dat is geen postcode. Typ 4 cijfers en 2 letters, bijvoorbeeld 1234 AB."
)

INT_EMPTY: Final = N_(
    "Je hebt nog geen getal getypt. Typ een getal van {minimum} tot en met {maximum}."
)
INT_INVALID: Final = N_(
    "Dat is geen getal. Typ een getal in cijfers, van {minimum} tot en met {maximum}."
)
INT_NOT_WHOLE: Final = N_(
    "Typ een heel getal, zonder komma of punt: van {minimum} tot en met {maximum}."
)
INT_OUT_OF_RANGE: Final = N_(
    "Dat getal kan hier niet. Typ een getal van {minimum} tot en met {maximum}."
)

TEXT_EMPTY: Final = N_("Er staat nog niets in je bericht. Typ de tekst en stuur hem opnieuw.")
TEXT_TOO_LONG: Final = NP_(
    "Dat is te lang: {n} teken. Het maximum is {limit}; maak het wat korter.",
    "Dat is te lang: {n} tekens. Het maximum is {limit}; maak het wat korter.",
)


# --- Digits and invisible characters -----------------------------------------------------------

_INVISIBLE: Final = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark (bidi)
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d"  # zero-width space / non-joiner / joiner
    "\u200e\u200f"  # LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # LRE, RLE, PDF, LRO, RLO
    "\u2060"  # word joiner
    "\u2066\u2067\u2068\u2069"  # LRI, RLI, FSI, PDI
    "\ufeff"  # zero-width no-break space / BOM
)
_TRANSLATE: Final[dict[int, str | None]] = {
    **{ord(ch): None for ch in _INVISIBLE},
    0x066B: ".",  # Arabic decimal separator
    0x066C: ",",  # Arabic thousands separator
    0x060C: ",",  # Arabic comma
    0x060D: "/",  # Arabic date separator
    0x06D4: ".",  # Arabic full stop
    **{cp: "-" for cp in range(0x2010, 0x2016)},  # hyphens and dashes (phones "smarten" them)
    0x2212: "-",  # minus sign
}
# Any Unicode decimal digit (category Nd) that is not ASCII.
_NON_ASCII_DIGIT: Final = re.compile(r"(?![0-9])\d")


def normalize_digits(text: str) -> str:
    """Return ``text`` with invisible marks removed, Unicode digits as ASCII, trimmed.

    Removes bidi controls and zero-width characters, turns every Unicode decimal digit
    (Arabic-Indic, Persian, fullwidth, ...) into ``0-9``, maps the Arabic decimal/thousands
    separators, comma and date separator and typographic dashes to ASCII, and strips
    surrounding whitespace.
    """
    cleaned = text.translate(_TRANSLATE)
    cleaned = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), cleaned)
    return cleaned.strip()


_DIGIT_RUN: Final = re.compile(r"[0-9]+")


# --- Phone numbers -----------------------------------------------------------------------------

_PHONE_CHARS: Final = re.compile(r"[0-9+\-./()\s]+")
_TEL_PREFIX: Final = re.compile(r"^tel:\s*", re.IGNORECASE)


_PHONE_PARSE_ERRORS: Final[dict[int, str]] = {
    NumberParseException.INVALID_COUNTRY_CODE: PHONE_COUNTRY,
    NumberParseException.NOT_A_NUMBER: PHONE_NOT_DIGITS,
    NumberParseException.TOO_SHORT_AFTER_IDD: PHONE_TOO_SHORT,
    NumberParseException.TOO_SHORT_NSN: PHONE_TOO_SHORT,
    NumberParseException.TOO_LONG: PHONE_TOO_LONG,
}


def parse_phone(text: str, *, region: str = "NL") -> str:
    """Parse a phone number (national for ``region``, or international) into E.164."""
    cleaned = _TEL_PREFIX.sub("", normalize_digits(text))
    if not cleaned:
        raise ParseError(PHONE_EMPTY)
    if not _PHONE_CHARS.fullmatch(cleaned) or not _DIGIT_RUN.search(cleaned):
        raise ParseError(PHONE_NOT_DIGITS)
    try:
        number = phonenumbers.parse(cleaned, region)
    except NumberParseException as exc:
        raise ParseError(_PHONE_PARSE_ERRORS.get(exc.error_type, PHONE_INVALID)) from None
    if not phonenumbers.is_valid_number(number):
        raise ParseError(_explain_invalid_phone(number))
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _explain_invalid_phone(number: phonenumbers.PhoneNumber) -> str:
    national = phonenumbers.national_significant_number(number)
    if number.country_code == 31 and national.startswith("6"):
        # Dutch mobile numbers: 06 plus 8 digits, the most common thing to mistype.
        if len(national) < 9:
            return PHONE_TOO_SHORT
        if len(national) > 9:
            return PHONE_TOO_LONG
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.TOO_SHORT:
        return PHONE_TOO_SHORT
    if reason == ValidationResult.TOO_LONG:
        return PHONE_TOO_LONG
    if reason == ValidationResult.INVALID_LENGTH:
        return PHONE_BAD_LENGTH
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        return PHONE_COUNTRY
    return PHONE_INVALID


def format_phone(e164: str) -> str:
    """Format an E.164 number for display: national for Dutch numbers, else international.

    Raises :class:`ParseError` if ``e164`` is not a phone number at all.
    """
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        raise ParseError(PHONE_INVALID) from None
    if phonenumbers.region_code_for_number(number) == "NL":
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


# --- E-mail ------------------------------------------------------------------------------------

_MAX_EMAIL: Final = 254
# Loaded with the first address (its RFC tables are about 20 ms of a start).
_email_validator = lazy.module("email_validator")
_MAILTO: Final = re.compile(r"^mailto:", re.IGNORECASE)


def _email_ok(address: str) -> str | None:
    try:
        checked = _email_validator.validate_email(address, check_deliverability=False)
        return str(checked.normalized)
    except _email_validator.EmailNotValidError:
        return None


def parse_email(text: str) -> str:
    """Validate an e-mail address (syntax only, no DNS) and return its normalized form.

    The domain is lower-cased (and IDNA-decoded); the part before the ``@`` keeps its case.
    """
    cleaned = _MAILTO.sub("", normalize_digits(text)).strip()
    if not cleaned:
        raise ParseError(EMAIL_EMPTY)
    if any(ch.isspace() for ch in cleaned):
        raise ParseError(EMAIL_SPACE)
    if len(cleaned) > _MAX_EMAIL:
        raise ParseError(EMAIL_TOO_LONG)
    at_count = cleaned.count("@")
    if at_count == 0:
        raise ParseError(EMAIL_NO_AT)
    if at_count > 1:
        raise ParseError(EMAIL_MANY_AT)
    normalized = _email_ok(cleaned)
    if normalized is not None:
        return normalized
    domain = cleaned.partition("@")[2]
    if not domain or _email_ok("naam@" + domain) is None:
        raise ParseError(EMAIL_BAD_DOMAIN)
    raise ParseError(EMAIL_BAD_LOCAL)


# --- Postcodes ---------------------------------------------------------------------------------

_POSTCODE: Final = re.compile(r"([0-9]{4})([A-Za-z]{2})", re.ASCII)
_POSTCODE_DIGITS_ONLY: Final = re.compile(r"[0-9]{4}", re.ASCII)
_POSTCODE_SEPARATORS: Final = re.compile(r"[\s\-]+")
_POSTCODE_NOT_ISSUED: Final = frozenset({"SA", "SD", "SS"})


def parse_postcode(text: str) -> str:
    """Parse a Dutch postcode into the form ``1234 AB``."""
    cleaned = normalize_digits(text)
    if not cleaned:
        raise ParseError(POSTCODE_EMPTY)
    compact = _POSTCODE_SEPARATORS.sub("", cleaned)
    if _POSTCODE_DIGITS_ONLY.fullmatch(compact):
        if compact.startswith("0"):
            raise ParseError(POSTCODE_LEADING_ZERO)
        raise ParseError(POSTCODE_NO_LETTERS)
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        raise ParseError(POSTCODE_INVALID)
    digits, letters = match.group(1), match.group(2).upper()
    if digits.startswith("0"):
        raise ParseError(POSTCODE_LEADING_ZERO)
    if letters in _POSTCODE_NOT_ISSUED:
        raise ParseError(POSTCODE_NOT_ISSUED, letters=letters)
    return f"{digits} {letters}"


def postcode_digits(postcode: str) -> int:
    """Return the four-digit part of a postcode (``"1234 AB"`` -> ``1234``)."""
    return int(parse_postcode(postcode)[:4])


# --- Integers ----------------------------------------------------------------------------------

_INTEGER: Final = re.compile(r"[+-]?[0-9]+")
_DECIMAL: Final = re.compile(r"[+-]?[0-9]*[.,][0-9]+")
_MAX_INT_DIGITS: Final = 40
_NUMBER_WORDS: Final[dict[str, int]] = {
    word: value
    for value, words in enumerate(
        (
            "nul zero",
            "een één eén one",
            "twee two",
            "drie three",
            "vier four",
            "vijf five",
            "zes six",
            "zeven seven",
            "acht eight",
            "negen nine",
            "tien ten",
            "elf eleven",
            "twaalf twelve",
            "dertien thirteen",
            "veertien fourteen",
            "vijftien fifteen",
            "zestien sixteen",
            "zeventien seventeen",
            "achttien eighteen",
            "negentien nineteen",
            "twintig twenty",
        )
    )
    for word in words.split()
}


def parse_int(text: str, *, minimum: int, maximum: int) -> int:
    """Parse a whole number from ``minimum`` to ``maximum`` (inclusive).

    Accepts Unicode digits and the Dutch/English words for 0 to 20.
    """
    limits: dict[str, object] = {"minimum": minimum, "maximum": maximum}
    cleaned = normalize_digits(text)
    if not cleaned:
        raise ParseError(INT_EMPTY, **limits)
    if _INTEGER.fullmatch(cleaned):
        if len(cleaned.lstrip("+-").lstrip("0")) > _MAX_INT_DIGITS:
            raise ParseError(INT_OUT_OF_RANGE, **limits)
        value = int(cleaned)
    elif _DECIMAL.fullmatch(cleaned):
        raise ParseError(INT_NOT_WHOLE, **limits)
    else:
        word = unicodedata.normalize("NFC", cleaned).casefold().rstrip(".!")
        if word not in _NUMBER_WORDS:
            raise ParseError(INT_INVALID, **limits)
        value = _NUMBER_WORDS[word]
    if not minimum <= value <= maximum:
        raise ParseError(INT_OUT_OF_RANGE, **limits)
    return value


# --- Free text ---------------------------------------------------------------------------------

_NEWLINES: Final = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_TOO_MANY_BLANK_LINES: Final = re.compile(r"\n{4,}")


def _keep_char(ch: str) -> bool:
    return ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cs")


def parse_text(text: str, *, max_length: int) -> str:
    """Clean free text: strip, drop control characters, at most 2 blank lines in a row.

    Tabs become spaces, line endings become ``\\n`` and trailing spaces on each line go.
    The length is counted in characters after NFC normalisation.
    """
    cleaned = _NEWLINES.sub("\n", text).replace("\t", " ")
    cleaned = "".join(ch for ch in cleaned if _keep_char(ch))
    cleaned = unicodedata.normalize("NFC", cleaned)
    cleaned = "\n".join(line.rstrip() for line in cleaned.split("\n"))
    cleaned = _TOO_MANY_BLANK_LINES.sub("\n\n\n", cleaned).strip()
    if not any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in cleaned):
        raise ParseError(TEXT_EMPTY)
    if len(cleaned) > max_length:
        raise ParseError(TEXT_TOO_LONG, n=len(cleaned), limit=max_length)
    return cleaned
