"""How the family's voice plugs into the kernel: its states, buttons and listeners."""

from __future__ import annotations

from ...cases import Policy, Role, case_action
from ...kernel.context import Registry
from . import coordinator, family, view, walk
from .texts import EXPERIENCE


def register(registry: Registry) -> None:
    registry.flow(walk.VoiceState())
    registry.flow(coordinator.TieState())
    registry.route(walk.VOICE, family.guard)
    for moment in ("before", "evaluation"):
        registry.route_action(walk.VOICE, f"go-{moment}", family.starter(moment))
    registry.route_action(walk.VOICE, "edit", family.edit)
    registry.route_action(walk.VOICE, "later", family.later)
    registry.route_action(walk.VOICE, "exp-", family.experience)
    assert all(f"exp-{key}" in family.ACTIONS for key, *_ in EXPERIENCE)
    # The case director (the registrant) may look too; the handler checks who is who.
    case_action(registry, view.VIEW, coordinator.show, Policy(Role.EITHER, open_only=False))
    case_action(registry, view.FILL, coordinator.fill, Policy(Role.COORDINATOR))
    registry.listen("family_message", family.on_family_message)
    registry.listen("outcome_start", coordinator.on_outcome_start)
    registry.listen("meeting_held", coordinator.on_meeting_held)
    registry.listen("evaluation_nudge", coordinator.on_evaluation)
