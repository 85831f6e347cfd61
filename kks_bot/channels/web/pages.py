"""What the Mini App's pages show, read from the database for one person: their open
cases (a coordinator), their own registrations (a registrant), one case with its history,
the exchange of questions and answers, its meetings and the registration by section, and
for an administrator the coordinators, the requests and the municipalities.

Access is decided before anything is read, by :func:`kks_bot.cases.allowed` with the
policy the chat's button has (:func:`kks_bot.cases.policy_of`): one rule for both."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ...cases import FINAL, allowed, policy_of, status_label, when_text
from ...db.models import (
    Account,
    CaseMessage,
    Coordinator,
    CoordinatorMunicipality,
    Invitation,
    Meeting,
    Registration,
    RegistrationEvent,
)
from ...flows.meetings.common import details, outcome_text
from ...forms.display import PageReader, section_items
from ...i18n import N_, is_rtl
from ...kernel.context import Env
from ...people import coordinator_codes, covered_codes, person
from ...services.figures.chart import chart_data
from ...services.figures.command import threshold
from ...services.figures.compute import compute
from ...services.figures.faq import faq_figures, faq_lines
from ...services.figures.load import load
from ...services.figures.text import Words, key_figures
from ...text import Markup

#: What a case message is, for the reader.
KIND_LABELS = {
    "question": N_("Vraag van de coördinator"),
    "answer": N_("Antwoord van de aanmelder"),
    "supplement": N_("Aanvulling van de aanmelder"),
    "close": N_("Reden van afsluiten"),
    "withdraw": N_("Reden van intrekken"),
    "refer": N_("Reden van doorverwijzen"),
}


MEETING_STATUS = {"planned": N_("gepland"), "held": N_("gehouden"),
                  "cancelled": N_("afgezegd")}


@dataclass
class CaseRow:
    id: str
    reference: str
    municipality: str
    status: str
    submitted: str
    urgent: bool
    mine: bool


@dataclass
class Entry:
    """One line of a case's history or exchange."""

    when: str
    what: str
    who: str
    text: str = ""


@dataclass
class MeetingView:
    when: str
    status: str
    place: str
    outcome: Markup | None


@dataclass
class CaseView:
    id: str
    reference: str
    municipality: str
    status: str
    registrant: str
    handler: str
    sections: list[tuple[str, list[tuple[Markup, str | Markup]]]]
    history: list[Entry] = field(default_factory=list)
    exchange: list[Entry] = field(default_factory=list)
    meetings: list[MeetingView] = field(default_factory=list)
    coordinator: bool = False
    open: bool = True


def _municipality(env: Env, code: str | None) -> str:
    found = env.directory.get(code or "")
    return found.name if found else (code or "—")


def _row(env: Env, reader: PageReader, registration: Registration, me: int) -> CaseRow:
    answers = env.cipher.open_json(registration.data_sealed,
                                   f"registration:{registration.id}")["answers"]
    return CaseRow(
        id=registration.id, reference=registration.reference,
        municipality=_municipality(env, registration.gemeente_code),
        status=reader.t(status_label(registration.status)),
        submitted=env.date(reader.locale, registration.submitted_at),
        urgent=env.form.urgent is not None and env.form.urgent.holds(answers),
        mine=registration.handler_id == me)


async def open_cases(env: Env, session: AsyncSession, reader: PageReader,
                     user_id: int) -> list[CaseRow]:
    """A coordinator's open cases: of their municipalities, urgent first, then oldest."""
    codes = await coordinator_codes(session, user_id)
    if not codes:
        return []
    found = (await session.execute(
        select(Registration).where(Registration.gemeente_code.in_(codes),
                                   Registration.status.not_in(FINAL))
        .order_by(Registration.submitted_at))).scalars().all()
    rows = [_row(env, reader, r, user_id) for r in found]
    return sorted(rows, key=lambda r: not r.urgent)


async def own_registrations(env: Env, session: AsyncSession, reader: PageReader,
                            user_id: int) -> list[CaseRow]:
    found = (await session.execute(
        select(Registration).where(Registration.owner_id == user_id)
        .order_by(Registration.submitted_at.desc()))).scalars().all()
    return [_row(env, reader, r, user_id) for r in found]


async def case_view(env: Env, session: AsyncSession, reader: PageReader, user_id: int,
                    registration_id: str) -> CaseView | None:
    """The whole case, if this person may see it (else None: nothing is read)."""
    registration = await session.get(Registration, registration_id)
    if registration is None or not await allowed(session, user_id, registration,
                                                 policy_of(env, "case")):
        return None
    coordinator = await allowed(session, user_id, registration, policy_of(env, "view"))
    answers = env.cipher.open_json(registration.data_sealed,
                                   f"registration:{registration.id}")["answers"]
    locale = reader.locale

    async def who(account_id: int | None) -> str:
        if account_id is None:
            return "—"
        return person(env, await session.get(Account, account_id), locale)

    view = CaseView(
        id=registration.id, reference=registration.reference,
        municipality=_municipality(env, registration.gemeente_code),
        status=reader.t(status_label(registration.status)),
        registrant=await who(registration.owner_id),
        handler=await who(registration.handler_id),
        sections=[(str(reader.t(s.title)), section_items(reader, answers, s))
                  for s in env.form.sections],
        coordinator=coordinator, open=registration.status not in FINAL)
    for event in (await session.execute(
            select(RegistrationEvent).where(RegistrationEvent.registration_id == registration.id)
            .order_by(RegistrationEvent.at, RegistrationEvent.id))).scalars():
        view.history.append(Entry(env.date(locale, event.at),
                                  str(reader.t(status_label(event.status))),
                                  await who(event.actor_id)))
    for message in (await session.execute(
            select(CaseMessage).where(CaseMessage.registration_id == registration.id)
            .order_by(CaseMessage.at, CaseMessage.id))).scalars():
        text: Any = env.cipher.open_json(message.text_sealed, message.aad)
        label = KIND_LABELS.get(message.kind)
        view.exchange.append(Entry(
            when_text(env, locale, message.at), str(reader.t(label)) if label else message.kind,
            await who(message.author_id), str(text)))
    for meeting in (await session.execute(
            select(Meeting).where(Meeting.registration_id == registration.id)
            .order_by(Meeting.starts_at))).scalars():
        outcome = None
        if meeting.outcome_sealed is not None:
            outcome = outcome_text(env, locale, registration, meeting, env.cipher.open_json(
                meeting.outcome_sealed, f"meeting:{meeting.id}:outcome"))
        view.meetings.append(MeetingView(
            when_text(env, locale, meeting.starts_at),
            str(reader.t(MEETING_STATUS.get(meeting.status, meeting.status))),
            str(details(env, meeting).get("plaats") or "—"), outcome))
    return view


@dataclass
class AdminView:
    coordinators: list[tuple[str, str, str]]  # (person, municipalities, since)
    requests: list[tuple[str, str, str, str]]  # (name, @username, id, municipalities)
    uncovered: list[str]
    covered: list[str]


async def admin_view(env: Env, session: AsyncSession, reader: PageReader) -> AdminView:
    coordinators = []
    for coordinator in (await session.execute(
            select(Coordinator).where(Coordinator.active.is_(True))
            .order_by(Coordinator.user_id))).scalars():
        codes = (await session.execute(select(CoordinatorMunicipality.code).where(
            CoordinatorMunicipality.user_id == coordinator.user_id))).scalars().all()
        coordinators.append((
            person(env, await session.get(Account, coordinator.user_id), reader.locale),
            ", ".join(_municipality(env, c) for c in codes),
            env.date(reader.locale, coordinator.created_at)))
    requests = []
    for invitation in (await session.execute(
            select(Invitation).where(Invitation.used_at.is_not(None),
                                     Invitation.decided_at.is_(None))
            .order_by(Invitation.used_at))).scalars():
        who: dict[str, str] = {}
        if invitation.identity_sealed:
            who = env.cipher.open_json(invitation.identity_sealed,
                                       f"invitation:{invitation.token_hash}")
        requests.append((who.get("name") or "—",
                         "@" + who["username"] if who.get("username") else "—",
                         str(invitation.used_by),
                         ", ".join(_municipality(env, c)
                                   for c in invitation.municipalities.split(",") if c)))
    covered = await covered_codes(session)
    everywhere = env.directory.all()
    return AdminView(coordinators, requests,
                     [m.name for m in everywhere if m.code not in covered],
                     [m.name for m in everywhere if m.code in covered])


async def figures_view(env: Env, session: AsyncSession, locale: str, codes: list[str],
                       span: tuple[date, date], *, admin: bool = False) -> dict[str, Any]:
    """The figures page's content: the key figures, the chart's (suppressed) data, the
    rule - from the same factsheet code as /cijfers and kks-bot admin factsheet; for an
    administrator the FAQ's figures too."""
    start, end = span
    limit = threshold(env.settings)
    sheet = compute(await load(session, env.cipher, codes, start, end), codes, start, end,
                    limit, env.clock.now())
    words = Words(env.tr, locale, env.directory)
    return {"heading": words.places(sheet) + " · " + words.period(sheet),
            "lines": key_figures(sheet, words),
            "chart_data": chart_data(sheet, words, rtl=is_rtl(locale)),
            "rule": words.too_small() if sheet.too_small else words.rule(limit),
            "too_small": sheet.too_small,
            "faq_lines": await faq_lines(session, env.tr, locale,
                                         await faq_figures(session, start, end))
            if admin else []}

