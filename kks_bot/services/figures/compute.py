"""From cases to the factsheet's tables - pure, no database.

What is counted (docs/factsheet.md): the registrations submitted in the period in the
chosen municipalities - per municipality and per month, all of them, as the 2022
factsheet did (only the count: the municipality and the date are in the clear); every
other table only for the families who consented to monitoring (the form's
``toestemming_onderzoek`` = ja).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conversations.aanmeldformulier import AANMELDFORMULIER, FUNCTIES, OPLEIDING
from conversations.meeting import AANWEZIGEN, HULPVRAGEN, ONDERSTEUNING

from .model import CaseFacts, Stat, Table, protect, stat, table, withhold

TZ = ZoneInfo("Europe/Amsterdam")
EMPTY = "leeg"  # not filled in
NO_PARTNER = "geen_partner"
#: An evaluation counts as on time up to a week after its date (the nudge is weekly).
GRACE = timedelta(days=7)

OUTCOMES = ("wacht", "opgepakt", "overleg", "afgesloten", "verwezen_ozks",
            "verwezen_zorgpaden", "verwezen_gemeente", "verwezen_anders", "ingetrokken")
REACH = ("professionals", "organisaties", "eenmalig", "herhaald")
EVALUATION = ("op_tijd", "te_laat", "open")


def _options(key: str) -> tuple[str, ...]:
    for section in AANMELDFORMULIER.sections:
        for item in section.items:
            if getattr(item, "key", None) == key:
                return tuple(o.id for o in item.options)  # type: ignore[union-attr]
    raise KeyError(key)


HOUSEHOLD = (*_options("gezinssamenstelling"), EMPTY)
EDUCATION = (*(o.id for o in OPLEIDING), EMPTY, NO_PARTNER)
PROFESSIONS = (*(o.id for o in FUNCTIES), EMPTY)
ATTENDEES = tuple(o.id for o in AANWEZIGEN)
QUESTIONS = tuple(o.id for o in HULPVRAGEN)
SUPPORT = tuple(o.id for o in ONDERSTEUNING)


@dataclass
class Factsheet:
    codes: list[str]
    start: date
    end: date
    threshold: int
    registered: int
    consented: int
    too_small: bool
    tables: dict[str, Table] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)


def months(start: date, end: date) -> list[str]:
    found, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def local_day(when: datetime) -> date:
    return when.astimezone(TZ).date()


def in_period(case: CaseFacts, start: date, end: date) -> bool:
    return start <= local_day(case.submitted_at) <= end


def outcome(case: CaseFacts) -> str:
    """What became of a case, one answer each."""
    if case.status == "ingetrokken":
        return "ingetrokken"
    if case.status == "doorverwezen":
        where = (case.referred_to or "anders").split(":", 1)[0]
        return f"verwezen_{where}" if f"verwezen_{where}" in OUTCOMES else "verwezen_anders"
    if any(m.held for m in case.meetings) or case.status == "overleg_gehouden":
        return "overleg"
    if case.status == "afgesloten":
        return "afgesloten"
    return "wacht" if case.status == "ingediend" and case.taken_on_at is None else "opgepakt"


def _days(earlier: datetime, later: datetime) -> int:
    """Calendar days in the Netherlands: submitted Monday, taken on Tuesday is 1."""
    return max(0, (local_day(later) - local_day(earlier)).days)


def _answer(case: CaseFacts, key: str, known: Sequence[str]) -> str:
    value = case.answers.get(key)
    return value if isinstance(value, str) and value in known else EMPTY


def _ticked(cases: Iterable[CaseFacts], field_name: str) -> Counter[str]:
    """Per option: how many cases had it ticked in any of their held meetings."""
    counts: Counter[str] = Counter()
    for case in cases:
        counts.update({value for m in case.meetings if m.held
                       for value in getattr(m, field_name)})
    return counts


def _reach(cases: Sequence[CaseFacts]) -> Counter[str]:
    per_person = Counter(c.professional for c in cases if c.professional)
    return Counter({
        "professionals": len(per_person),
        "organisaties": len({c.organisation for c in cases if c.organisation}),
        "eenmalig": sum(1 for n in per_person.values() if n == 1),
        "herhaald": sum(n for n in per_person.values() if n > 1),
    })


def _evaluations(cases: Sequence[CaseFacts], as_of: datetime) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in cases:
        for m in case.meetings:
            due = m.evaluation_due_at
            if not m.held or due is None or (due > as_of and m.evaluated_at is None):
                continue
            if m.evaluated_at is None:
                counts["open"] += 1
            else:
                counts["op_tijd" if m.evaluated_at <= due + GRACE else "te_laat"] += 1
    return counts


def compute(cases: Iterable[CaseFacts], codes: Sequence[str], start: date, end: date,
            threshold: int, as_of: datetime) -> Factsheet:
    """The factsheet of ``codes`` for registrations submitted from ``start`` to ``end``
    (days in the Netherlands, both included); ``as_of`` decides which evaluations are due."""
    chosen = [c for c in cases if c.gemeente in codes and in_period(c, start, end)]
    agreed = [c for c in chosen if c.consented]
    sheet = Factsheet(list(codes), start, end, threshold, len(chosen), len(agreed),
                      too_small=len(agreed) < threshold or len(chosen) < threshold)
    t = sheet.tables
    t["gemeente"] = table("gemeente", Counter(c.gemeente for c in chosen), codes,
                          additive=True)
    t["maand"] = table("maand", Counter(local_day(c.submitted_at).strftime("%Y-%m")
                                        for c in chosen), months(start, end), additive=True)
    t["uitkomst"] = table("uitkomst", Counter(outcome(c) for c in agreed), OUTCOMES,
                          additive=True)
    t["gezin"] = table("gezin", Counter(_answer(c, "gezinssamenstelling", HOUSEHOLD)
                                        for c in agreed), HOUSEHOLD, additive=True)
    education: Counter[tuple[str, str]] = Counter()
    for c in agreed:
        education[(_answer(c, "moeder_opleiding", EDUCATION), "moeder")] += 1
        partner = (NO_PARTNER if c.answers.get("partner_in_beeld") is False
                   else _answer(c, "partner_opleiding", EDUCATION))
        education[(partner, "partner")] += 1
    t["opleiding"] = table("opleiding", education, EDUCATION, ("moeder", "partner"),
                           additive=True)
    t["functie"] = table("functie", Counter(_answer(c, "aanmelder_functie", PROFESSIONS)
                                            for c in agreed), PROFESSIONS, additive=True)
    t["bereik"] = table("bereik", _reach(agreed), REACH)
    t["deelnemers"] = table("deelnemers", _ticked(agreed, "attendees"), ATTENDEES)
    t["hulpvragen"] = table("hulpvragen", _ticked(agreed, "questions"), QUESTIONS)
    t["ondersteuning"] = table("ondersteuning", _ticked(agreed, "support"), SUPPORT)
    t["evaluatie"] = table("evaluatie", _evaluations(agreed, as_of), EVALUATION,
                           additive=True)
    sheet.stats["oppakken"] = stat([_days(c.submitted_at, c.taken_on_at) for c in agreed
                                    if c.taken_on_at is not None], threshold)
    firsts = [min((m.starts_at for m in c.meetings if m.held), default=None) for c in agreed]
    sheet.stats["overleg"] = stat([_days(c.submitted_at, first) for c, first
                                   in zip(agreed, firsts, strict=True) if first is not None],
                                  threshold)
    for key, item in t.items():
        if sheet.too_small and key not in ("gemeente", "maand"):
            withhold(item)
        elif sheet.registered < threshold:
            withhold(item)
        else:
            protect(item, threshold)
    if sheet.too_small:
        sheet.stats = {key: Stat(0) for key in sheet.stats}
    return sheet
