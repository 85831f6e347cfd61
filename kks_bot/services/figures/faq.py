"""The FAQ's figures (issue 18): answered, unknown and not helpful, per language and per
entry, for administrators.

The Prometheus counters start at zero with every process, so the figures come from
``faq_count``: one row per month, language, entry and outcome with a number - never the
question, never who asked. :func:`tally` adds one in the event's own transaction (an
upsert, safe when two processes count at once); :func:`faq_figures` sums the months of a
period and :func:`faq_lines` says it in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.faq import FAQ_BY_ID

from ...db.faq_tables import LANGUAGES, FaqCount, FaqEntry
from ...i18n import Translator
from ...i18n_markers import N_
from ...text import FSI, PDI

OUTCOMES = ("answered", "unknown", "helpful", "unhelpful")
LANGUAGE_NAMES = {"nl": N_("Nederlands"), "en": N_("Engels"), "ar": N_("Arabisch")}


async def tally(session: AsyncSession, when: datetime, tz: ZoneInfo, locale: str,
                entry: str | None, outcome: str) -> None:
    """Count one ``outcome`` of ``entry`` (None: no entry) in ``locale``'s month."""
    values = {"month": when.astimezone(tz).strftime("%Y-%m"), "locale": locale[:8],
              "entry": (entry or "")[:40], "outcome": outcome, "count": 1}
    # Lazy: the PostgreSQL dialect (about 25 ms of a start) only with the first count.
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(FaqCount).values(values)
    await session.execute(statement.on_conflict_do_update(
        index_elements=["month", "locale", "entry", "outcome"],
        set_={"count": FaqCount.count + 1}))


@dataclass(frozen=True)
class FaqFigures:
    """The counts of whole months from ``first`` to ``last`` (``YYYY-MM``)."""

    first: str
    last: str
    counts: Counter[tuple[str, str, str]]  # (locale, entry, outcome) -> n

    def total(self, outcome: str, *, locale: str | None = None,
              entry: str | None = None) -> int:
        return sum(n for (loc, ent, out), n in self.counts.items() if out == outcome
                   and (locale is None or loc == locale) and (entry is None or ent == entry))

    def entries(self) -> list[str]:
        """The entries answered or marked, most answered first."""
        found = {ent for (_loc, ent, out) in self.counts if ent and out != "unknown"}
        return sorted(found, key=lambda e: (-self.total("answered", entry=e), e))


async def faq_figures(session: AsyncSession, start: date, end: date) -> FaqFigures:
    """The months the period touches, summed."""
    first, last = start.strftime("%Y-%m"), end.strftime("%Y-%m")
    rows = (await session.execute(select(FaqCount).where(
        FaqCount.month >= first, FaqCount.month <= last))).scalars()
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        counts[(row.locale, row.entry, row.outcome)] += row.count
    return FaqFigures(first, last, counts)


async def faq_lines(session: AsyncSession, tr: Translator, locale: str,
                    figures: FaqFigures) -> list[str]:
    """The figures in words (plain text): per language, then per entry."""
    def say(message: str, **params: object) -> str:
        text = tr.gettext(locale, message)
        return text.format(**{k: f"{FSI}{v}{PDI}" for k, v in params.items()})

    written = {row.id: row for row in (await session.execute(select(FaqEntry))).scalars()}

    def title(entry: str) -> str:
        if entry in FAQ_BY_ID:
            return tr.gettext(locale, FAQ_BY_ID[entry].question)
        return written[entry].question(locale) if entry in written else entry

    lines = [say(N_("Vragen aan de FAQ ({first} tot en met {last}), alleen voor beheerders:"),
                 first=figures.first, last=figures.last)]
    if not figures.counts:
        return [*lines, say(N_("Geen vragen in deze periode."))]
    for language in LANGUAGES:
        lines.append("• " + say(N_("{language}: {answered} beantwoord, {unknown} zonder "
                                   "antwoord, {unhelpful} niet nuttig gevonden"),
                                language=tr.gettext(locale, LANGUAGE_NAMES[language]),
                                answered=figures.total("answered", locale=language),
                                unknown=figures.total("unknown", locale=language),
                                unhelpful=figures.total("unhelpful", locale=language)))
    lines.append(say(N_("Per vraag (beantwoord in nl / en / ar; niet nuttig):")))
    for entry in figures.entries():
        answered = " / ".join(str(figures.total("answered", locale=language, entry=entry))
                              for language in LANGUAGES)
        lines.append("• " + say(N_("{question}: {answered}; {unhelpful} niet nuttig"),
                                question=title(entry), answered=answered,
                                unhelpful=figures.total("unhelpful", entry=entry)))
    return lines
