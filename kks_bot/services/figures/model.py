"""What a case contributes to the figures, the tables, and the small-cell rule - pure.

The rule (docs/factsheet.md): a count from 1 to threshold-1 is shown as "<threshold"
(*small*). In a table whose column adds up to a total that is known (shown in the table
or on the sheet), one suppressed cell could be given back by subtraction, and so could
several whose possible values leave only one choice; so further cells are hidden
(*hidden*, shown as "x" - a hidden cell is never below the threshold, which a reader
may know too) until every suppressed cell can take at least two values. When even that
cannot protect a column, the whole table is withheld. Zero is shown as 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

UNBOUNDED = 10**9


@dataclass(frozen=True)
class MeetingFacts:
    """A Knooppuntoverleg of a case: when, whether held, the monitoring lists."""

    starts_at: datetime
    held: bool
    attendees: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    evaluation_due_at: datetime | None = None
    evaluated_at: datetime | None = None


@dataclass(frozen=True)
class CaseFacts:
    """One registration as the figures see it: categories and dates, never free text
    (the organisation is only compared, never shown)."""

    gemeente: str
    submitted_at: datetime
    consented: bool
    status: str
    answers: Mapping[str, Any] = field(default_factory=dict)
    professional: int = 0  # the registrant's id; 0 when no longer known (purged)
    organisation: str = ""  # normalised, only to count distinct ones
    taken_on_at: datetime | None = None
    referred_to: str | None = None
    meetings: tuple[MeetingFacts, ...] = ()


class State(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 .. threshold-1: "<5"
    HIDDEN = "hidden"  # secondary suppression: "x"


@dataclass
class Cell:
    value: int
    state: State = State.SHOWN

    def shown(self, threshold: int) -> str:
        if self.state is State.SMALL:
            return f"<{threshold}"
        return "x" if self.state is State.HIDDEN else str(self.value)


@dataclass
class Table:
    """Rows (option ids) by columns; ``additive``: each column adds up to ``totals``
    (a known number), so secondary suppression applies. ``withheld``: too small to show."""

    key: str
    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]
    additive: bool = False
    totals: dict[str, int] = field(default_factory=dict)
    withheld: bool = False

    def value(self, row: str, column: str | None = None) -> Cell:
        return self.cells[(row, column or self.columns[0])]


@dataclass(frozen=True)
class Stat:
    """Days: how many cases, median, shortest, longest; None when too few to show."""

    n: int
    median: float | None = None
    low: int | None = None
    high: int | None = None


def table(key: str, counts: Mapping[str, int] | Mapping[tuple[str, str], int],
          rows: Sequence[str], columns: Sequence[str] = ("n",), *,
          additive: bool = False) -> Table:
    """A table from counts keyed by row (one column) or by (row, column)."""
    cells: dict[tuple[str, str], Cell] = {}
    found: Mapping[Any, int] = counts
    for row in rows:
        for column in columns:
            cells[(row, column)] = Cell(int(found.get((row, column) if len(columns) > 1
                                                      else row, 0)))
    totals = {c: sum(cells[(r, c)].value for r in rows) for c in columns} if additive else {}
    return Table(key, list(rows), list(columns), cells, additive, totals)


def _ranges(cells: list[Cell], total: int, threshold: int) -> list[tuple[int, int]]:
    """What a reader who knows the rule can tell of each suppressed cell: its lowest and
    highest possible value, given the column's total and the cells shown."""
    rest = total - sum(c.value for c in cells if c.state is State.SHOWN)
    hidden = [c for c in cells if c.state is not State.SHOWN]
    bounds = [(1, threshold - 1) if c.state is State.SMALL else (threshold, UNBOUNDED)
              for c in hidden]
    low_sum, high_sum = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    return [(max(lo, rest - (high_sum - hi)), min(hi, rest - (low_sum - lo)))
            for lo, hi in bounds]


def derivable(cells: list[Cell], total: int, threshold: int) -> bool:
    """Whether some suppressed cell of a column adding up to ``total`` has one possible
    value only."""
    return any(lo >= hi for lo, hi in _ranges(cells, total, threshold))


def protect(item: Table, threshold: int) -> Table:
    """Apply the rule to a table (in place; returned for chaining)."""
    if threshold <= 1:
        return item
    for cell in item.cells.values():
        if 0 < cell.value < threshold:
            cell.state = State.SMALL
    if not item.additive:
        return item
    for column in item.columns:
        cells = [item.cells[(row, column)] for row in item.rows]
        total = item.totals[column]
        while any(c.state is not State.SHOWN for c in cells) and derivable(cells, total,
                                                                              threshold):
            candidates = [c for c in cells if c.state is State.SHOWN and c.value > 0]
            if not candidates:
                withhold(item)
                return item
            min(candidates, key=lambda c: c.value).state = State.HIDDEN
    return item


def withhold(item: Table) -> None:
    item.withheld = True
    for cell in item.cells.values():
        cell.state = State.HIDDEN


def stat(days: Sequence[int], threshold: int) -> Stat:
    """Median and range of ``days``; only the count when fewer than ``threshold``."""
    if not days or len(days) < threshold:
        return Stat(len(days))
    ordered = sorted(days)
    middle = len(ordered) // 2
    median = (ordered[middle] if len(ordered) % 2
              else (ordered[middle - 1] + ordered[middle]) / 2)
    return Stat(len(ordered), float(median), ordered[0], ordered[-1])
