"""FAQ entries an administrator writes in the bot, in Dutch, English and Arabic.

An entry is written from a question on the review list (the bot's screens in
:mod:`.writing`, or ``kks-bot admin faq new``): that question becomes its first example
phrasing, in its language; the entry's three titles count as phrasings too. The texts are
public content (``faq_entry``, in the clear); they are shown as the administrator typed
them, escaped - never through the gettext catalogues, which hold the shipped entries only.
The Learner (:mod:`.learning`) takes an entry up in both matchers without a restart; a
retired entry is no longer answered at once (the answer is read from the database) and
leaves the matchers at the next training. Every decision is audited.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...db.faq_tables import LANGUAGES, FaqEntry
from ...db.models import FaqReview
from ...forms import parsers
from ...i18n import N_, NP_
from ...text import escape

#: The texts of an entry, in the order the bot asks them.
FIELDS = tuple(f"{kind}_{language}" for language in LANGUAGES
               for kind in ("question", "answer"))
#: Escaped length (what Telegram counts): a title, and an answer with room under 4,096
#: for the title, the sentence below it and a safety text above it.
LIMITS = {"question": 300, "answer": 3000}
PREFIX = "new-"
#: Something that looks like an HTML tag: the bot's messages are HTML, a typed tag would
#: show as its letters, so it is refused; a lone "<" or ">" is fine.
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]*>")

TOO_LONG = {
    "question": NP_("Die titel is te lang: {n} teken, en hooguit {limit} mag. Een <, > of & "
                    "telt als meer dan één teken.",
                    "Die titel is te lang: {n} tekens, en hooguit {limit} mag. Een <, > of & "
                    "telt als meer dan één teken."),
    "answer": NP_("Dat antwoord is te lang: {n} teken, en hooguit {limit} mag. Een <, > of & "
                  "telt als meer dan één teken.",
                  "Dat antwoord is te lang: {n} tekens, en hooguit {limit} mag. Een <, > of "
                  "& telt als meer dan één teken."),
}
NO_TAGS = N_("HTML-opmaak kan hier niet: schrijf gewone tekst. Losse tekens als < en > "
             "mogen wel.")


def clean(name: str, raw: str) -> str:
    """A typed title or answer, cleaned; :class:`parsers.ParseError` with a kind message
    for an empty, too long or HTML text."""
    kind = name.split("_", 1)[0]
    text = parsers.parse_text(raw, max_length=20_000)
    if kind == "question":
        text = " ".join(text.split())
    if _TAG.search(text):
        raise parsers.ParseError(NO_TAGS)
    size = len(escape(text))
    if size > LIMITS[kind]:
        raise parsers.ParseError(TOO_LONG[kind], n=size, limit=LIMITS[kind])
    return text


@dataclass(frozen=True)
class Written:
    """An entry as the lexical matcher sees it (``lexical.Entry``)."""

    id: str
    question: str
    phrasings: dict[str, tuple[str, ...]] = field(default_factory=dict)


def as_entry(row: FaqEntry, examples: list[tuple[str, str]]) -> Written:
    """The matcher's view of an entry: its Dutch title as the question, its other titles
    and the approved questions (``(locale, text)``) as phrasings."""
    phrasings: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for language in LANGUAGES[1:]:
        phrasings[language].append(row.question(language))
    for locale, text in examples:
        phrasings.setdefault(locale, []).append(text)
    return Written(row.id, row.question("nl"),
                   {k: tuple(v) for k, v in phrasings.items() if v})


async def active(session: AsyncSession) -> list[FaqEntry]:
    return list((await session.execute(select(FaqEntry).where(FaqEntry.status == "active")
                                       .order_by(FaqEntry.created_at))).scalars())


async def everyone(session: AsyncSession) -> list[FaqEntry]:
    """Every written entry, retired ones too (for the list and the figures)."""
    return list((await session.execute(select(FaqEntry).order_by(FaqEntry.created_at)))
                .scalars())


async def find(session: AsyncSession, entry_id: str) -> FaqEntry | None:
    """The active entry ``entry_id``; None for a retired or unknown one."""
    if not entry_id.startswith(PREFIX):
        return None
    row = await session.get(FaqEntry, entry_id)
    return row if row is not None and row.status == "active" else None


async def create(session: AsyncSession, review_id: str, texts: dict[str, str], admin: int,
                 now: datetime) -> FaqEntry | None:
    """Save an entry written from an open review question, which becomes its first
    example; None when the question was decided meanwhile or a text is missing."""
    review = await session.get(FaqReview, review_id)
    if review is None or review.status != "open" or any(not texts.get(f) for f in FIELDS):
        return None
    row = FaqEntry(id=PREFIX + secrets.token_hex(4), status="active", created_at=now,
                   created_by=admin, **{f: texts[f] for f in FIELDS})
    session.add(row)
    review.status, review.entry, review.decided_at, review.decided_by = (
        "attached", row.id, now, admin)
    audit(session, now, admin, "faq_entry_new", None, f"{review.id[:8]}:{row.id}")
    return row


async def retire(session: AsyncSession, entry_id: str, admin: int, now: datetime) -> bool:
    """The entry is no longer answered; its texts stay for the figures and the trail."""
    row = await find(session, entry_id)
    if row is None:
        return False
    row.status, row.retired_at, row.retired_by = "retired", now, admin
    audit(session, now, admin, "faq_entry_retired", None, row.id)
    return True
