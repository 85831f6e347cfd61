"""What the case flows share: the statuses of a registration, the buttons on a case
(routed ``r.<action>.<registration id>``; they stay valid on an old notification), who
may press them - checked by :func:`guard` before anything is shown or done: the
registrant on their own registration, a coordinator on the cases of their
municipalities, each as the action's :class:`Policy` says; anything else is refused and
audited - and the case's current meeting. Flows register their case actions with
:func:`case_action`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from babel.dates import format_datetime
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .audit import audit
from .db.models import Meeting, Registration
from .i18n import BABEL_LOCALES
from .i18n_markers import N_
from .kernel.buttons import routed
from .kernel.context import Ctx, Env, Registry, RouteHandler
from .kernel.events import Button
from .people import coordinator_codes

#: The prefix of every case button.
CASE = "r"


class Status(StrEnum):
    """A registration's status (../shared/domain/lifecycle.md)."""

    SUBMITTED = "ingediend"
    TAKEN_ON = "in_behandeling"
    MEETING_PLANNED = "overleg_gepland"
    MEETING_HELD = "overleg_gehouden"
    CLOSED = "afgesloten"
    WITHDRAWN = "ingetrokken"
    REFERRED = "doorverwezen"


STATUS_LABELS = {
    Status.SUBMITTED: N_("ingediend"),
    Status.TAKEN_ON: N_("in behandeling"),
    Status.MEETING_PLANNED: N_("overleg gepland"),
    Status.CLOSED: N_("afgesloten"),
    Status.WITHDRAWN: N_("ingetrokken"),
    Status.REFERRED: N_("doorverwezen"),
    Status.MEETING_HELD: N_("overleg gehouden"),
}
FINAL = (Status.CLOSED, Status.WITHDRAWN, Status.REFERRED)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)  # type: ignore[call-overload, no-any-return]


class Role(StrEnum):
    """Who may press a case button."""

    COORDINATOR = "coordinator"  # an active coordinator of the case's municipality
    OWNER = "owner"  # the registrant
    EITHER = "either"


@dataclass(frozen=True)
class Policy:
    """A case action's rule: who may press it, and whether on a finished case."""

    role: Role = Role.COORDINATOR
    open_only: bool = True


UNKNOWN = Policy(Role.COORDINATOR)  # an action nobody registered: a coordinator's, open


def case_action(registry: Registry, action: str, handler: RouteHandler,
                policy: Policy = UNKNOWN) -> None:
    """Register what ``r.<action>.<id>`` does, and who may press it."""
    registry.route_action(CASE, action, handler, policy)


async def is_case_coordinator(ctx: Ctx, registration: Registration) -> bool:
    return registration.gemeente_code in await coordinator_codes(ctx.session,
                                                                 ctx.account.user_id)


async def allowed(session: AsyncSession, user_id: int, registration: Registration | None,
                  policy: Any) -> bool:
    """Whether ``user_id`` may do what ``policy`` guards on ``registration``: the one rule
    for a button in the chat and a page of the Mini App."""
    if registration is None or registration.purged_at is not None:
        return False  # (its content is gone: services/retention.py)
    rule = policy if isinstance(policy, Policy) else UNKNOWN
    owner = registration.owner_id == user_id
    coordinator = registration.gemeente_code in await coordinator_codes(session, user_id)
    return ((rule.role is Role.OWNER and owner) or (rule.role is Role.COORDINATOR and coordinator)
            or (rule.role is Role.EITHER and (owner or coordinator)))


def policy_of(env: Env, action: str) -> Any:
    """The rule a case action was registered with (the Mini App checks the same one)."""
    route = env.registry.routes.get(CASE)
    found = route.actions.get(action) if route is not None else None
    return found.policy if found is not None else UNKNOWN


async def guard(ctx: Ctx, action: str, registration_id: str, policy: Any) -> Any:
    """The registration, when the presser may do ``action`` on it now; else None (said)."""
    rule = policy if isinstance(policy, Policy) else UNKNOWN
    registration = await ctx.session.get(Registration, registration_id)
    if registration is None or not await allowed(ctx.session, ctx.account.user_id,
                                                 registration, rule):
        # What was attempted on: the id pressed, even one that does not exist.
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused", registration_id, action)
        ctx.note(ctx.t(N_("Dat kan ik niet tonen: deze aanmelding hoort niet bij jouw "
                          "gemeente(n), of je bent geen actieve coördinator.")))
        await ctx.reprompt()
        return None
    if rule.open_only and registration.status in FINAL:
        ctx.say(ctx.t(N_("{reference} is al afgerond."), reference=registration.reference),
                tag=None)
        return None
    return registration


def case_button(env: Env, locale: str, icon: str, label: str, action: str,
                registration_id: str) -> Button:
    """A button on a case: ``icon`` and ``label`` (translated), ``r.<action>.<id>``."""
    return Button(icon + " " + env.tr.t(locale, label), routed(CASE, action, registration_id))


def case_buttons(env: Env, locale: str, registration_id: str, *,
                 plan: bool = True) -> list[list[Button]]:
    """A coordinator's actions on an open case (``plan``: with "Overleg plannen")."""
    rid = registration_id
    rows = [[case_button(env, locale, "❓", N_("Vraag aan aanmelder"), "ask", rid),
             case_button(env, locale, "📄", N_("PDF"), "pdf", rid)],
            [case_button(env, locale, "➡️", N_("Doorverwijzen"), "refer", rid),
             case_button(env, locale, "✅", N_("Afsluiten"), "close", rid)]]
    if plan:
        rows.append([case_button(env, locale, "📅", N_("Overleg plannen"), "meet", rid)])
    return rows


def owner_buttons(env: Env, locale: str, registration_id: str) -> list[list[Button]]:
    """The registrant's actions on their open registration."""
    rid = registration_id
    return [[case_button(env, locale, "✍️", N_("Antwoorden"), "answer", rid),
             case_button(env, locale, "➕", N_("Aanvullen"), "add", rid)],
            [case_button(env, locale, "↩️", N_("Intrekken"), "withdraw", rid)]]


def meeting_buttons(env: Env, locale: str, registration_id: str) -> list[list[Button]]:
    """A coordinator's actions on a planned meeting."""
    rid = registration_id
    return [[case_button(env, locale, "👪", N_("Uitnodiging voor het gezin"), "fam", rid)],
            [case_button(env, locale, "🧑‍⚕️", N_("Uitnodiging voor een professional"),
                         "pro", rid)],
            [case_button(env, locale, "🕑", N_("Verplaatsen"), "meet", rid),
             case_button(env, locale, "✖️", N_("Overleg afzeggen"), "mcancel", rid)],
            [case_button(env, locale, "📝", N_("Overleg vastleggen"), "held", rid)],
            [case_button(env, locale, "💬", N_("Wat het gezin vertelt"), "voice", rid)]]


async def current_meeting(session: AsyncSession, registration_id: str) -> Meeting | None:
    """The case's newest meeting (planned, held or cancelled)."""
    return (await session.execute(
        select(Meeting).where(Meeting.registration_id == registration_id)
        .order_by(Meeting.created_at.desc()).limit(1))).scalar_one_or_none()


def when_text(env: Env, locale: str, at: datetime) -> str:
    """"dinsdag 15 december 2026 om 14:30" - the zone's local time, in the locale."""
    return format_datetime(at, env.tr.gettext(locale, N_("EEEE d MMMM y 'om' HH:mm")),
                           tzinfo=env.tz, locale=BABEL_LOCALES.get(locale, locale))
