"""The cases of some municipalities and a period, read from the database and opened:
only the categories the figures need leave this module (no names, no free text)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...crypto import Cipher
from ...db.models import Meeting, Registration, RegistrationEvent
from ...kernel.context import Env
from .compute import TZ, Factsheet, compute
from .model import CaseFacts, MeetingFacts

#: The answers the figures read (categories; the organisation only to count it).
CATEGORIES = ("toestemming_onderzoek", "gezinssamenstelling", "moeder_opleiding",
              "partner_in_beeld", "partner_opleiding", "aanmelder_functie")


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period in UTC: from the start of ``start`` to the end of ``end``, Dutch time."""
    return (datetime.combine(start, time(), TZ),
            datetime.combine(end + timedelta(days=1), time(), TZ))


def _organisation(answers: dict[str, Any]) -> str:
    return " ".join(str(answers.get("aanmelder_organisatie") or "").lower().split())


def _list(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _kept_meeting(kept: dict[str, Any]) -> MeetingFacts:
    """A meeting of a purged case, from the categories retention kept."""
    starts = _moment(kept.get("starts_at"))
    assert starts is not None
    return MeetingFacts(starts, bool(kept.get("held")), _list(kept.get("aanwezigen")),
                        _list(kept.get("hulpvragen")), _list(kept.get("ondersteuning")),
                        _moment(kept.get("evaluation_due_at")), _moment(kept.get("evaluated_at")))


async def load(session: AsyncSession, cipher: Cipher, codes: list[str], start: date,
               end: date) -> list[CaseFacts]:
    """Every registration of ``codes`` submitted in the period, as :class:`CaseFacts`."""
    since, until = bounds(start, end)
    where = (Registration.gemeente_code.in_(codes), Registration.submitted_at >= since,
             Registration.submitted_at < until)
    rows = (await session.execute(select(Registration).where(*where))).scalars().all()
    ids = select(Registration.id).where(*where)
    taken: dict[str, datetime] = {}
    referred: dict[str, str | None] = {}
    for event in (await session.execute(
            select(RegistrationEvent).where(RegistrationEvent.registration_id.in_(ids))
            .order_by(RegistrationEvent.at, RegistrationEvent.id))).scalars():
        if event.status == "in_behandeling":
            taken.setdefault(event.registration_id, event.at)
        elif event.status == "doorverwezen":
            referred[event.registration_id] = event.detail
    meetings: dict[str, list[MeetingFacts]] = defaultdict(list)
    for m in (await session.execute(select(Meeting).where(
            Meeting.registration_id.in_(ids), Meeting.status != "cancelled"))).scalars():
        outcome: dict[str, Any] = {}
        if m.outcome_sealed:
            outcome = cipher.open_json(m.outcome_sealed, f"meeting:{m.id}:outcome")
        meetings[m.registration_id].append(MeetingFacts(
            m.starts_at, m.status == "held", _list(outcome.get("aanwezigen")),
            _list(outcome.get("hulpvragen")), _list(outcome.get("ondersteuning")),
            m.evaluation_due_at, m.evaluated_at))
    found = []
    for r in rows:
        if r.data_sealed:
            answers = cipher.open_json(r.data_sealed, f"registration:{r.id}").get("answers") or {}
        else:  # purged: only what retention kept (services/retention.py, FIGURE_FIELDS)
            answers = dict(r.figures or {})
            meetings[r.id] = [_kept_meeting(m) for m in answers.pop("meetings", [])]
        found.append(CaseFacts(
            gemeente=r.gemeente_code or "", submitted_at=r.submitted_at,
            consented=answers.get("toestemming_onderzoek") == "ja", status=r.status,
            answers={k: answers[k] for k in CATEGORIES if k in answers},
            professional=r.owner_id, organisation=_organisation(answers),
            taken_on_at=taken.get(r.id), referred_to=referred.get(r.id),
            meetings=tuple(sorted(meetings.get(r.id, []), key=lambda m: m.starts_at))))
    return found


async def factsheet(env: Env, codes: list[str], start: date, end: date,
                    threshold: int) -> Factsheet:
    """The factsheet of ``codes`` for the period, read now."""
    async with env.sessions() as session:
        cases = await load(session, env.cipher, codes, start, end)
    return compute(cases, codes, start, end, threshold, env.clock.now())
