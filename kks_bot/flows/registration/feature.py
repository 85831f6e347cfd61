"""How this feature plugs into the kernel: its states, commands, buttons, jobs."""

from __future__ import annotations

from datetime import timedelta

from ...kernel.context import BackgroundJob, Registry
from . import drafts, states


def register(registry: Registry) -> None:
    for state in (states.ConsentState(), states.DraftsState(), states.FormState(),
                  states.ReviewState(), states.EditState(), states.GroupEditState(),
                  states.CancelState()):
        registry.flow(state)
    registry.command(("aanmelden", "register", "nieuw"), drafts.aanmelden)
    registry.entry("registration", drafts.from_check)
    registry.job(BackgroundJob("drafts", timedelta(minutes=10), drafts.sweep_job))
