"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

from ...cases import CASE, Policy, Role, case_action, guard
from ...kernel.context import Ctx, Registry
from ...people import coverage
from . import case, handoff, onboarding, pin, relay

COORDINATOR = Policy(Role.COORDINATOR)
OWNER = Policy(Role.OWNER)


async def roles(ctx: Ctx) -> None:
    """Every event knows which municipalities have a coordinator, and whether the user is
    one."""
    found = await coverage(ctx.session)
    ctx.covered = {code for _, code in found}
    if any(user == ctx.account.user_id for user, _ in found):
        ctx.roles.add("coordinator")


def register(registry: Registry) -> None:
    registry.context_hook(roles)
    registry.flow(relay.RelayState())
    registry.flow(pin.PinState())
    pin.FOLLOWS.update(view=handoff.view, pdf=handoff.pdf)
    registry.start_token(onboarding.redeem)
    registry.entry("coordinator_deactivate", onboarding.deactivate_entry)
    registry.entry("coordinator_requests", onboarding.requests_entry)
    registry.route(onboarding.APPROVAL, onboarding.guard)
    registry.route_action(onboarding.APPROVAL, "ok", onboarding.approve_pressed)
    registry.route_action(onboarding.APPROVAL, "no", onboarding.reject_pressed)
    registry.entry("handoff", handoff.hand_off)
    registry.command(("aanmeldingen", "cases"), case.coordinator_list)
    registry.command(("mijnaanmeldingen", "myregistrations"), case.my_registrations)
    registry.route(CASE, guard)
    case_action(registry, "case", case.show_case, Policy(Role.EITHER, open_only=False))
    case_action(registry, "view", handoff.view, Policy(Role.COORDINATOR, open_only=False))
    case_action(registry, "pdf", handoff.pdf, Policy(Role.COORDINATOR, open_only=False))
    case_action(registry, "take", handoff.take, COORDINATOR)
    for action in relay.COORDINATOR_ACTIONS:
        case_action(registry, action, relay.asks_for(action), COORDINATOR)
    for action in relay.OWNER_ACTIONS:
        case_action(registry, action, relay.asks_for(action), OWNER)
    case_action(registry, "refer", case.refer_menu, COORDINATOR)
    case_action(registry, "rf-gemeente", case.municipality_menu, COORDINATOR)
    case_action(registry, "rf-", relay.refer_to, COORDINATOR)
    case_action(registry, "rg-", relay.refer_to_municipality, COORDINATOR)
