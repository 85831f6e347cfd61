"""The FAQ's own tables beyond the review list (issue 18): entries an administrator wrote
in the bot, and the monthly counts of what the FAQ answered.

``faq_entry`` holds **public content**: the question and answer every user of the bot is
shown, written by an administrator in three languages - not personal data, so in the
clear (``tests/test_database.py`` names these columns as the only text outside
``*_sealed``). The question an entry was written from stays sealed in ``faq_review``.
``faq_count`` holds numbers only: per month, language, entry and outcome - never the
question, never who asked.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, UTCDateTime

#: The languages an entry is written in, in the order the bot asks them.
LANGUAGES = ("nl", "en", "ar")


class FaqEntry(Base):
    """An FAQ entry written in the bot (``status`` active or retired)."""

    __tablename__ = "faq_entry"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    question_nl: Mapped[str] = mapped_column(Text)
    answer_nl: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str] = mapped_column(Text)
    answer_en: Mapped[str] = mapped_column(Text)
    question_ar: Mapped[str] = mapped_column(Text)
    answer_ar: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)  # active, retired
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int] = mapped_column(BigInteger)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    retired_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    def question(self, locale: str) -> str:
        return str(getattr(self, f"question_{locale if locale in LANGUAGES else 'nl'}"))

    def answer(self, locale: str) -> str:
        return str(getattr(self, f"answer_{locale if locale in LANGUAGES else 'nl'}"))


class FaqCount(Base):
    """How often, in a month and a language, the FAQ answered an entry (``answered``),
    did not know (``unknown``, entry ""), or an answer was marked helpful or not
    (``helpful``, ``unhelpful``)."""

    __tablename__ = "faq_count"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-05
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    entry: Mapped[str] = mapped_column(String(40), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(12), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
