"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

from ...cases import Policy, Role, case_action
from ...kernel.context import Registry
from . import family, guests, outcome, planning, schedule
from .common import FAMILY

COORDINATOR = Policy(Role.COORDINATOR)
DIRECTOR = Policy(Role.OWNER)  # the registrant, as case director


def register(registry: Registry) -> None:
    registry.flow(planning.PLANNING)
    registry.flow(outcome.RECORDING)
    registry.flow(family.FamilyState())
    registry.start_token(family.redeem_family)
    registry.start_token(guests.redeem_guest)
    registry.command(("evaluaties", "evaluations"), outcome.evaluations)
    case_action(registry, "meet", planning.start_planning, COORDINATOR)
    case_action(registry, "mcancel", planning.cancel_meeting, COORDINATOR)
    case_action(registry, "fam", family.family_invitation, COORDINATOR)
    case_action(registry, "pro", guests.guest_invitation, COORDINATOR)
    case_action(registry, "held", outcome.start_outcome, COORDINATOR)
    case_action(registry, "evdone", outcome.evaluation_done, COORDINATOR)
    case_action(registry, "evlater", outcome.evaluation_later, COORDINATOR)
    for action in ("evok", "evnew", "evsnooze"):
        case_action(registry, action, outcome.director_answer(action), DIRECTOR)
    registry.route(FAMILY, family.guard)
    registry.route_action(FAMILY, "stop", family.stop)
    registry.route_action(FAMILY, "forget", family.forget)
    for action in family.ANSWERS:
        registry.route_action(FAMILY, action, family.answer(action))
    for kind in schedule.KINDS:
        registry.renderer(kind, schedule.render_scheduled)
