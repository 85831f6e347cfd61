"""Small cells (issue 14), for any data: no published count is below the threshold, and no
suppressed count can be worked out from what the sheet shows - checked by trying every
value a reader could put in the suppressed cells, not with the rule's own arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from kks_bot.services.figures.compute import EDUCATION, HOUSEHOLD, compute
from kks_bot.services.figures.model import (
    CaseFacts,
    Cell,
    MeetingFacts,
    State,
    Table,
    protect,
    table,
)


def _possible(cells: list[Cell], total: int, threshold: int) -> list[set[int]]:
    """Every value each suppressed cell can have: "<t" is 1..t-1, "x" is t or more, the
    shown ones are what they say, and the column adds up to ``total``."""
    rest = total - sum(c.value for c in cells if c.state is State.SHOWN)
    hidden = [c for c in cells if c.state is not State.SHOWN]
    ranges = [range(1, threshold) if c.state is State.SMALL else range(threshold, rest + 1)
              for c in hidden]
    found: list[set[int]] = []
    for i, values in enumerate(ranges):
        sums = {0}  # what the other suppressed cells can add up to
        for j, other in enumerate(ranges):
            if j != i:
                sums = {s + v for s in sums for v in other if s + v <= rest}
        found.append({v for v in values if rest - v in sums})
    return found


def _published_safely(item: Table, threshold: int) -> None:
    for cell in item.cells.values():
        if cell.state is State.SHOWN:
            assert cell.value == 0 or cell.value >= threshold
        if cell.state is State.HIDDEN and not item.withheld:
            assert cell.value >= threshold  # what "x" tells a reader is true
    if not item.additive or item.withheld:
        return
    for column in item.columns:
        cells = [item.cells[(row, column)] for row in item.rows]
        for cell, values in zip([c for c in cells if c.state is not State.SHOWN],
                                _possible(cells, item.totals[column], threshold),
                                strict=True):
            assert cell.value in values
            assert len(values) >= 2, (item.key, [c.value for c in cells])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 14), min_size=1, max_size=7), st.integers(1, 6))
def test_no_small_cell_shown_or_derivable_in_a_column(counts: list[int], threshold: int) -> None:
    rows = [f"r{i}" for i in range(len(counts))]
    item = protect(table("t", dict(zip(rows, counts, strict=True)), rows, additive=True),
                   threshold)
    _published_safely(item, threshold)
    if threshold == 1:
        assert all(c.state is State.SHOWN for c in item.cells.values())


START = datetime(2026, 1, 1, 9, tzinfo=UTC)
case_strategy = st.builds(
    lambda day, place, consented, household, mother, partner, attendees, support, who:
    CaseFacts(gemeente=place, submitted_at=START + timedelta(days=day), consented=consented,
              status="overleg_gehouden" if support else "ingediend",
              answers={"gezinssamenstelling": household, "moeder_opleiding": mother,
                       "partner_opleiding": partner, "aanmelder_functie": "huisarts"},
              professional=who, organisation=f"org {who}",
              meetings=(MeetingFacts(START + timedelta(days=day + 9), True, tuple(attendees),
                                     (), tuple(support)),) if support else ()),
    st.integers(0, 364), st.sampled_from(["GM0928", "GM0882", "GM0981"]), st.booleans(),
    st.sampled_from(HOUSEHOLD), st.sampled_from(EDUCATION), st.sampled_from(EDUCATION),
    st.lists(st.sampled_from(["jgz", "gezin", "ggz"]), unique=True),
    st.lists(st.sampled_from(["wmo", "jeugdwet", "netwerk"]), unique=True),
    st.integers(1, 6))


@settings(max_examples=150, deadline=None)
@given(st.lists(case_strategy, max_size=40), st.integers(2, 6))
def test_no_published_figure_points_to_a_family(cases: list[CaseFacts],
                                                  threshold: int) -> None:
    sheet = compute(cases, ["GM0928", "GM0882", "GM0981"], date(2026, 1, 1),
                    date(2026, 12, 31), threshold, START + timedelta(days=400))
    for item in sheet.tables.values():
        _published_safely(item, threshold)
    if sheet.too_small:
        assert all(item.withheld for key, item in sheet.tables.items()
                   if key not in ("gemeente", "maand"))
    for days in sheet.stats.values():
        assert days.median is None or days.n >= threshold
    # Only consented families are in the tables about families.
    assert sum(c.value for c in sheet.tables["gezin"].cells.values()) == \
        sum(1 for c in cases if c.consented)
