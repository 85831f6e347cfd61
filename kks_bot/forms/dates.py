"""Dates as people type them: 12-3-1998, 12 maart 1998, ١٢-٣-١٩٩٨, "morgen"; day first,
impossible dates named, plausibility per kind of date (a mother's birth date, a due date,
a meeting). Pure: the caller passes ``today``. Bad input raises :class:`ParseError`."""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, timedelta
from typing import Final

from babel.dates import get_month_names

from .parsers import (
    BIRTH_DATE_FUTURE,
    BIRTH_DATE_TOO_OLD,
    BIRTH_DATE_TOO_YOUNG,
    DATE_BAD_DAY,
    DATE_BAD_MONTH,
    DATE_EMPTY,
    DATE_INCOMPLETE,
    DATE_UNKNOWN,
    DATE_YEAR_DIGITS,
    DATE_YEAR_IMPLAUSIBLE,
    DUE_DATE_PAST,
    DUE_DATE_TOO_FAR,
    FUTURE_DATE_PAST,
    FUTURE_DATE_TOO_FAR,
    PAST_DATE_FUTURE,
    PAST_DATE_TOO_OLD,
    TIME_UNKNOWN,
    ParseError,
    normalize_digits,
)

# --- Dates -------------------------------------------------------------------------------------

_MAX_DATE_INPUT: Final = 64
_NUMERIC_DATE: Final = re.compile(r"[0-9\s\-/.,\\']+")
_DIGIT_RUN: Final = re.compile(r"[0-9]+")
_LONG_DIGIT_RUN: Final = re.compile(r"[0-9]{3,}")
_YEARS_BACK: Final = 130
_YEARS_AHEAD: Final = 30
_TWO_DIGIT_YEAR_AHEAD: Final = 10

_DATEPARSER_LANGUAGES: Final = ["nl", "en", "ar"]
# Arabic names its months differently per region; dateparser knows the Egyptian/Gulf
# names (يناير, فبراير, مارس). CLDR (through Babel) has the Levantine and Iraqi ones
# (كانون الثاني, شباط, آذار: ar_SY) and the Maghrebi ones (جانفي, فيفري, ماي: ar_DZ,
# ar_MA, ar_MR); they are turned into the standard names before dateparser reads them.
_REGIONAL_ARABIC: Final = ("ar_SY", "ar_DZ", "ar_MA", "ar_MR")
_HAMZA: Final = str.maketrans("أإآ", "ااا")


@functools.cache
def _regional_months() -> tuple[dict[str, str], re.Pattern[str]]:
    """The regional names -> the standard ones, and a pattern that finds them. Made on the
    first date written in words (Babel's data for five locales: about 45 ms and 5 MB that
    a start does not need)."""
    standard = get_month_names("wide", locale="ar")
    names: dict[str, str] = {}
    for locale in ("ar", *_REGIONAL_ARABIC):
        for number, name in get_month_names("wide", locale=locale).items():
            for variant in (str(name), str(name).translate(_HAMZA)):  # typed without hamza
                if variant != standard[number]:
                    names.setdefault(" ".join(variant.split()), str(standard[number]))
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(name).replace(r"\ ", r"\s+")
                               for name in sorted(names, key=len, reverse=True))
        + r")(?!\w)")
    return names, pattern


def _standard_arabic_months(text: str) -> str:
    """"12 آذار 1998", "15 ماي 2027" -> "12 مارس 1998", "15 مايو 2027"."""
    names, pattern = _regional_months()
    return pattern.sub(lambda m: names[" ".join(m.group(1).split())], text)


_ABSOLUTE_SETTINGS: Final[dict[str, object]] = {
    "DATE_ORDER": "DMY",
    "PREFER_LOCALE_DATE_ORDER": False,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "STRICT_PARSING": True,
    "PARSERS": ["absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def _resolve_two_digit_year(yy: int, today: date, years_ahead: int) -> int:
    """Pick the century that puts ``yy`` at most ``years_ahead`` years after today's year."""
    year = today.year // 100 * 100 + yy
    if year > today.year + years_ahead:
        year -= 100
    return year


def _build_date(year: int, month: int, day: int, today: date) -> date:
    if not 1 <= month <= 12:
        raise ParseError(DATE_BAD_MONTH, month=month)
    if not today.year - _YEARS_BACK <= year <= today.year + _YEARS_AHEAD:
        raise ParseError(DATE_YEAR_IMPLAUSIBLE, year=year)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise ParseError(DATE_BAD_DAY, day=day, n=days)
    return date(year, month, day)


def _year_from_digits(digits: str, today: date, years_ahead: int) -> int:
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        return _resolve_two_digit_year(int(digits), today, years_ahead)
    raise ParseError(DATE_YEAR_DIGITS)


def _parse_numeric_date(text: str, today: date, years_ahead: int) -> date:
    """Deterministically parse a date typed with digits and separators only."""
    groups = _DIGIT_RUN.findall(text)
    if not groups:
        raise ParseError(DATE_UNKNOWN)
    if len(groups) == 1:
        digits = groups[0]
        if len(digits) == 8:
            if digits[4:6] in ("19", "20") or digits[:2] not in ("19", "20"):
                # ddmmyyyy; yyyymmdd cannot have month 19 or 20, so this is unambiguous.
                return _build_date(int(digits[4:]), int(digits[2:4]), int(digits[:2]), today)
            return _build_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]), today)
        if len(digits) == 6:  # ddmmyy
            year = _resolve_two_digit_year(int(digits[4:]), today, years_ahead)
            return _build_date(year, int(digits[2:4]), int(digits[:2]), today)
        if len(digits) <= 4:
            raise ParseError(DATE_INCOMPLETE)
        raise ParseError(DATE_UNKNOWN)
    if len(groups) == 2:
        if all(len(g) <= 4 for g in groups):
            raise ParseError(DATE_INCOMPLETE)
        raise ParseError(DATE_UNKNOWN)
    if len(groups) > 3:
        raise ParseError(DATE_UNKNOWN)
    first, middle, last = groups
    if len(first) == 4 and len(middle) <= 2 and len(last) <= 2:  # ISO: yyyy-mm-dd
        return _build_date(int(first), int(middle), int(last), today)
    if len(first) > 2 or len(middle) > 2:
        raise ParseError(DATE_UNKNOWN)
    year = _year_from_digits(last, today, years_ahead)
    return _build_date(year, int(middle), int(first), today)


def _dateparser(text: str, settings: dict[str, object]) -> tuple[datetime | None, str | None]:
    """Run dateparser; return (datetime or None, period). Never raises."""
    # Lazy: dateparser (and its regex tables) only for a date written in words.
    from dateparser.date import DateDataParser  # type: ignore[import-untyped, unused-ignore]

    try:
        parser = DateDataParser(languages=_DATEPARSER_LANGUAGES, settings=settings)
        data = parser.get_date_data(text)
    except Exception:  # dateparser is third-party code fed arbitrary text
        return None, None
    value = data.date_obj
    period = data.period
    if not isinstance(value, datetime):
        return None, None
    return value, period if isinstance(period, str) else None


def _parse_written_date(text: str, today: date, years_ahead: int) -> date:
    """Parse dates with month names (nl/en/ar) or relative words via dateparser."""
    value, _period = _dateparser(text, _ABSOLUTE_SETTINGS)
    if value is None:
        relative = None if _DIGIT_RUN.search(text) else _parse_relative_date(text, today)
        if relative is None:
            raise _explain_written_failure(text)
        return relative
    parsed = value.date()
    if not _LONG_DIGIT_RUN.search(text):
        # The year was typed with two digits: dateparser picks its own century; use ours.
        year = _resolve_two_digit_year(parsed.year % 100, today, years_ahead)
        return _build_date(year, parsed.month, parsed.day, today)
    return _build_date(parsed.year, parsed.month, parsed.day, today)


def _explain_written_failure(text: str) -> ParseError:
    """Pick the most helpful error after dateparser rejected ``text``."""
    groups = list(_DIGIT_RUN.finditer(text))
    # An impossible day ("31 februari 1998"): retry with day 1 to learn month and year.
    for match in groups:
        if len(match.group()) <= 2 and int(match.group()) > 28:
            retry = text[: match.start()] + "1" + text[match.end() :]
            value, _period = _dateparser(retry, _ABSOLUTE_SETTINGS)
            if value is not None:
                days = calendar.monthrange(value.year, value.month)[1]
                return ParseError(DATE_BAD_DAY, day=int(match.group()), n=days)
    # Would it parse if day, month or year were not required? Then something is missing.
    partial = {**_ABSOLUTE_SETTINGS, "REQUIRE_PARTS": [], "STRICT_PARSING": False}
    value, _period = _dateparser(text, partial)
    return ParseError(DATE_INCOMPLETE if value is not None else DATE_UNKNOWN)


def _parse_relative_date(text: str, today: date) -> date | None:
    """Accept day words ("vandaag", "gisteren", "yesterday", "أمس"); nothing vaguer."""
    settings: dict[str, object] = {
        **_ABSOLUTE_SETTINGS,
        "PARSERS": ["relative-time"],
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),  # noqa: DTZ001
    }
    value, period = _dateparser(text, settings)
    if value is None or period != "day":
        return None
    parsed = value.date()
    if abs((parsed - today).days) > 7:
        return None
    return parsed


def _parse_date(text: str, today: date, years_ahead: int) -> date:
    cleaned = normalize_digits(text)
    if not cleaned:
        raise ParseError(DATE_EMPTY)
    if len(cleaned) > _MAX_DATE_INPUT:
        raise ParseError(DATE_UNKNOWN)
    if not any(ch.isalpha() for ch in cleaned):
        # Without letters it is ours alone: dateparser would quietly read 3-13-1998 as
        # 13 March and 12-3-60 as 2060.
        if not _NUMERIC_DATE.fullmatch(cleaned):
            raise ParseError(DATE_UNKNOWN)
        return _parse_numeric_date(cleaned, today, years_ahead)
    return _parse_written_date(_standard_arabic_months(cleaned), today, years_ahead)


def parse_date(text: str, *, today: date) -> date:
    """Parse a date typed day-first: ``12-3-1998``, ``1998-03-12``, ``12 maart 1998``, ...

    Numeric forms (``-``, ``/``, ``.``, space; also ``12031998`` and ``120398``) are parsed
    here; written forms (Dutch, English, Arabic month names) and the words for today,
    yesterday, tomorrow go to dateparser. A two-digit year gets the century that puts it at
    most 10 years after ``today``'s year. Years more than 130 years back or 30 ahead are
    refused as typos.
    """
    return _parse_date(text, today, _TWO_DIGIT_YEAR_AHEAD)


def _age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def parse_birth_date(text: str, *, today: date, min_age: int, max_age: int) -> date:
    """Parse a date of birth for someone aged ``min_age`` to ``max_age`` (inclusive).

    A two-digit year is read as the most recent such year not after ``today``'s year
    (``12-3-35`` is 1935), since nobody is born in the future.
    """
    born = _parse_date(text, today, 0)
    if born > today:
        raise ParseError(BIRTH_DATE_FUTURE)
    age = _age_on(born, today)
    if age < min_age:
        raise ParseError(BIRTH_DATE_TOO_YOUNG, n=age, min_age=min_age, max_age=max_age)
    if age > max_age:
        raise ParseError(BIRTH_DATE_TOO_OLD, n=age, min_age=min_age, max_age=max_age)
    return born


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def parse_past_date(text: str, *, today: date, max_years: int = 25) -> date:
    """Parse a date not after ``today`` and at most ``max_years`` years ago (child's birth)."""
    parsed = _parse_date(text, today, 0)
    if parsed > today:
        raise ParseError(PAST_DATE_FUTURE)
    if parsed < _years_before(today, max_years):
        raise ParseError(PAST_DATE_TOO_OLD, n=max_years)
    return parsed


def parse_due_date(text: str, *, today: date, max_weeks: int = 42) -> date:
    """Parse an expected due date: from ``today`` up to ``max_weeks`` weeks after it."""
    parsed = _parse_date(text, today, _TWO_DIGIT_YEAR_AHEAD)
    if parsed < today:
        raise ParseError(DUE_DATE_PAST)
    if parsed > today + timedelta(weeks=max_weeks):
        raise ParseError(DUE_DATE_TOO_FAR, n=max_weeks)
    return parsed


def parse_future_date(text: str, *, today: date) -> date:
    """A date from ``today`` up to a year ahead (a meeting, a follow-up)."""
    parsed = _parse_date(text, today, _TWO_DIGIT_YEAR_AHEAD)
    if parsed < today:
        raise ParseError(FUTURE_DATE_PAST)
    if parsed > today + timedelta(days=366):
        raise ParseError(FUTURE_DATE_TOO_FAR)
    return parsed


_TIME: Final = re.compile(r"(\d{1,2})(?:\s*(?:[:.hu]|uur)\s*(\d{2})?)?\s*(?:uur|u|h)?")


def parse_time(text: str) -> str:
    """A time of day as people type it: 14:30, 14.30, 1430, 14u30, 9 uur -> "HH:MM"."""
    cleaned = normalize_digits(text).strip().casefold()
    if re.fullmatch(r"\d{3,4}", cleaned):
        cleaned = cleaned[:-2] + ":" + cleaned[-2:]
    match = _TIME.fullmatch(cleaned)
    if match is None:
        raise ParseError(TIME_UNKNOWN)
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if hours > 23 or minutes > 59:
        raise ParseError(TIME_UNKNOWN)
    return f"{hours:02d}:{minutes:02d}"


