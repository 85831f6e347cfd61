"""The handbook's three cases, registered end to end through the core, one per language."""

from __future__ import annotations

import pytest

from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import CASES, Case
from .walking import fill_form, make_profile, registrations


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_case_registered_end_to_end(case: Case, runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(language_code=case.language)
    await make_profile(chat, case)
    said = await fill_form(chat, case)
    review = said[-1]
    assert chat.last.buttons, review
    await press_action(chat, "submit")
    confirmation = chat.text()
    stored = await registrations(runtime)
    assert len(stored) == 1
    registration = stored[0]
    assert registration["reference"] == "KKS-2026-0001"
    assert registration["status"] == "ingediend"
    assert registration["locale"] == case.language
    answers = registration["answers"]
    for key, value in case.expect.items():
        assert answers.get(key) == value, (key, answers.get(key))
    assert "KKS-2026-0001" in confirmation
