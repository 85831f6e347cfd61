"""The FAQ learns with a person in the loop: a question it could not answer goes into the
review list (without who asked; not at all with a name in it), an administrator attaches
it to an entry, the running bot trains again without a restart and then answers it and
its like; a dropped question changes nothing; a 👎 puts the question on the list too."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from kks_bot.admin import run_admin
from kks_bot.db.models import AuditEvent, FaqReview
from kks_bot.flows.sparring import learning, semantic
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat
from tests.walking import open_faq

UNKNOWN = "Krijg ik als melder een terugkoppeling over hoe het afliep?"
ALIKE = "Krijg ik als aanmelder terugkoppeling over hoe het is afgelopen?"


@pytest.fixture
def matcher() -> Iterator[semantic.HybridMatcher]:
    """The bot's matcher, its classifier put back afterwards (it is shared per process)."""
    found = semantic.shared_matcher()
    if not isinstance(found, semantic.HybridMatcher):
        pytest.skip("the sentence model cannot run on this CPU")
    model = found.model
    yield found
    found.model = model


async def _faq(chat: Chat) -> None:
    await open_faq(chat)


def _admin(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**{"admin_command": "faq", "review": None, "entry": None,
                                 **given})


async def test_an_unknown_question_is_taught_and_then_answered(
        runtime: Runtime, chat_factory, matcher, capsys) -> None:  # type: ignore[no-untyped-def]
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send(UNKNOWN)
    assert "geen goed antwoord" in chat.text()
    # On the list, without who asked.
    async with runtime.sessions() as session:
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
    assert review.reason == "unknown" and review.status == "open"
    assert "1001" not in " ".join(str(v) for v in vars(review).values())
    capsys.readouterr()
    assert await run_admin(runtime.settings, _admin(faq_command="list")) == 0
    listed = capsys.readouterr().out
    assert UNKNOWN in listed and review.id[:8] in listed
    assert await run_admin(runtime.settings, _admin(
        faq_command="attach", review=review.id[:8], entry="terugkoppeling")) == 0
    # The running bot takes it up on its own (the job), without a restart.
    learner = learning.Learner()
    assert await learner.run(runtime.env)
    assert not await learner.run(runtime.env)  # nothing new: no second training
    for question in (UNKNOWN, ALIKE):
        await chat.send(question)
        said = chat.text()
        assert "geen goed antwoord" not in said, question
    async with runtime.sessions() as session:
        actions = [(a.action, a.detail) for a in
                   (await session.execute(select(AuditEvent))).scalars()]
    assert ("faq", "terugkoppeling") in actions
    assert any(action == "faq_attached" for action, _ in actions)


async def test_a_dropped_question_teaches_nothing_and_a_name_is_never_kept(
        runtime: Runtime, chat_factory, matcher, capsys) -> None:  # type: ignore[no-untyped-def]
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send("Mevrouw Jansen uit de Akerstraat, krijg ik daar als melder iets van te horen?")
    await chat.send(UNKNOWN)
    async with runtime.sessions() as session:
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
    assert runtime.cipher.open_json(review.text_sealed, review.aad) == UNKNOWN  # not the name
    assert await run_admin(runtime.settings, _admin(
        faq_command="discard", review=review.id[:8])) == 0
    model = matcher.model
    assert not await learning.Learner().run(runtime.env)  # nothing approved: no training
    assert matcher.model is model
    chat.text()
    await chat.send(UNKNOWN)
    assert "geen goed antwoord" in chat.text()


async def test_not_helpful_puts_the_question_on_the_list(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    chat: Chat = chat_factory(user_id=1001, language_code="en")
    await open_faq(chat)
    await chat.send("is the family present at the meeting?")
    chat.text()
    labels = [label for row in chat.log[-1].buttons for label, _ in row]
    assert "👍 Helpful" in labels and "👎 Not helpful" in labels
    await chat.press("Not helpful")
    assert "administrator will look at your question" in chat.text()
    async with runtime.sessions() as session:
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
    assert (review.reason, review.answered, review.locale) == (
        "unhelpful", "gezin_erbij", "en")


async def test_an_administrator_teaches_it_in_the_bot(
        runtime: Runtime, chat_factory, matcher, clock) -> None:  # type: ignore[no-untyped-def]
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send(UNKNOWN)
    clock.advance(minutes=1)  # the list is shown oldest first
    await chat.send("Wat kost een parkeervergunning in Heerlen?")  # not for the FAQ at all
    stranger: Chat = chat_factory(user_id=1002)
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/beheer")
    await admin.press("Te leren vragen")
    shown = admin.text()
    assert "Te leren vragen (2 open)" in shown and UNKNOWN in shown
    # Only an administrator's press counts.
    data = [d for row in admin.log[-1].buttons for label, d in row if "Weggooien" in label]
    await stranger.press_data(data[0], 1)
    assert "alleen voor beheerders" in stranger.text()
    await admin.press("Ander antwoord kiezen")
    await admin.press("Hoor ik wat er is afgesproken?")  # the entry's question
    shown = admin.text()
    assert "Geleerd" in shown and "parkeervergunning" in shown  # and the next one
    await admin.press("Weggooien")
    assert "geen te leren vragen meer" in admin.text()
    async with runtime.sessions() as session:
        taught = [(r.status, r.entry, runtime.cipher.open_json(r.text_sealed, r.aad))
                  for r in (await session.execute(select(FaqReview))).scalars()]
    assert taught == [("attached", "terugkoppeling", UNKNOWN)], taught
    assert await learning.Learner().run(runtime.env)
    chat.text()  # what it said before the administrator taught it
    await chat.send(UNKNOWN)
    assert "geen goed antwoord" not in chat.text()
