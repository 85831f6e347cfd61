"""A new FAQ entry written in the bot (issue 18): from a question on the review list an
administrator writes the title and the answer in Dutch, English and Arabic, one message
each, checks them and saves; the running bot trains again and answers the question, a
similar one, and the same in English and Arabic with the administrator's own text. Bad
input gets a kind message and the same question again; cancelled changes nothing;
retired is no longer answered. The FAQ's figures come from the database."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from kks_bot.admin import run_admin
from kks_bot.db.faq_tables import FaqCount, FaqEntry
from kks_bot.db.models import AuditEvent, FaqReview
from kks_bot.flows.sparring import learning, semantic
from kks_bot.flows.sparring.lexical import FaqMatcher
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action
from tests.walking import open_faq

UNKNOWN = "Kan ik als professional een scholing over Kansrijke Start volgen?"
ALIKE = "Is er een cursus over Kansrijke Start voor professionals?"
ALIKE_EN = "Can I follow a course on Kansrijke Start as a professional?"
ALIKE_AR = "هل يمكنني حضور دورة تدريبية عن كانسرايكه ستارت؟"
TEXTS = {
    "question_nl": "Is er scholing over Kansrijke Start voor professionals?",
    "answer_nl": "Ja: de GGD geeft twee keer per jaar een scholing <2 uur>, gratis & online.",
    "question_en": "Is there training about Kansrijke Start for professionals?",
    "answer_en": "Yes: the GGD gives a free online training twice a year.",
    "question_ar": "هل توجد دورة تدريبية عن كانسرايكه ستارت للمهنيين؟",
    "answer_ar": "نعم: تقدم GGD دورة تدريبية مجانية عبر الإنترنت مرتين في السنة.",
}


@pytest.fixture
def matcher() -> Iterator[semantic.HybridMatcher]:
    """The bot's matcher, put back afterwards (it is shared per process)."""
    found = semantic.shared_matcher()
    if not isinstance(found, semantic.HybridMatcher):
        pytest.skip("the sentence model cannot run on this CPU")
    model, lexical = found.model, found.lexical
    yield found
    found.model, found.lexical = model, lexical


def _admin(**given: object) -> argparse.Namespace:
    return argparse.Namespace(**{"admin_command": "faq", "review": None, "entry": None,
                                 "taal": "en", "period": "12m", **given})


async def _write(admin: Chat) -> None:
    """The administrator writes the entry, with three mistakes on the way."""
    await admin.send("/beheer")
    await admin.press("Te leren vragen")
    await admin.press("Nieuw antwoord schrijven")
    shown = admin.text()
    assert UNKNOWN in shown and "Stap 1 van 6" in shown and "Nederlands" in shown
    await admin.send("Is er <b>scholing</b>?")  # HTML: refused, the same step again
    shown = admin.text()
    assert "HTML" in shown and "Stap 1 van 6" in shown
    await admin.send(TEXTS["question_nl"])
    await admin.send("x" * 2990 + "<<<<")  # 3,006 after escaping: too long
    shown = admin.text()
    assert "te lang: 3006 tekens" in shown and "Stap 2 van 6" in shown
    await admin.send("Eerste versie.")
    for name in ("question_en", "answer_en", "question_ar", "answer_ar"):
        await admin.send(TEXTS[name])
    shown = admin.text()
    assert "Stap 3 van 6" in shown and "Engels" in shown and "Arabisch" in shown
    assert "nagekeken" in shown and "Eerste versie." in shown and TEXTS["answer_ar"] in shown
    await admin.press("Wijzigen")
    await admin.press("Antwoord (Nederlands)")
    assert "Eerste versie." in admin.text()  # what it says now
    await admin.send(TEXTS["answer_nl"])
    review = admin.log[-1]
    assert "&lt;2 uur&gt;" in review.text and "&amp; online" in review.text
    await admin.press("Opslaan")
    assert "Opgeslagen" in admin.text()


async def test_a_new_entry_is_written_in_three_languages_and_answered(
        runtime: Runtime, chat_factory, matcher) -> None:  # type: ignore[no-untyped-def]
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send(UNKNOWN)
    assert "geen goed antwoord" in chat.text()
    await _write(chat_factory(user_id=900))
    async with runtime.sessions() as session:
        (entry,) = (await session.execute(select(FaqEntry))).scalars().all()
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
        actions = [a.action for a in (await session.execute(select(AuditEvent))).scalars()]
    assert (review.status, review.entry) == ("attached", entry.id)  # its first example
    assert entry.answer_nl == TEXTS["answer_nl"] and "faq_entry_new" in actions
    assert await learning.Learner().run(runtime.env)  # the running bot, no restart
    for question in (UNKNOWN, ALIKE):
        await chat.send(question)
        assert chat.log[-1].text.count("&lt;2 uur&gt;") == 1, question
        assert TEXTS["question_nl"] in chat.text()
    for language, question in (("en", ALIKE_EN), ("ar", ALIKE_AR)):
        other: Chat = chat_factory(user_id=1002 if language == "en" else 1003,
                                   language_code=language)
        await open_faq(other)
        await other.send(question)
        shown = other.text()
        assert TEXTS[f"answer_{language}"] in shown and TEXTS[f"question_{language}"] in shown
    # Retired: no longer answered, at once and after training.
    assert await run_admin(runtime.settings, _admin(faq_command="retire", review=entry.id)) == 0
    await chat.send(UNKNOWN)
    assert "geen goed antwoord" in chat.text()
    assert await learning.Learner().run(runtime.env)
    assert entry.id not in matcher.model.classes and entry.id not in matcher.lexical.entries
    # The figures: counts only, per month, language, entry and outcome.
    async with runtime.sessions() as session:
        counts = {(c.locale, c.entry, c.outcome): c.count
                  for c in (await session.execute(select(FaqCount))).scalars()}
    assert counts[("nl", "", "unknown")] == 2 and counts[("nl", entry.id, "answered")] == 2
    assert counts[("en", entry.id, "answered")] == 1


async def test_cancelled_changes_nothing(
        runtime: Runtime, chat_factory, matcher) -> None:  # type: ignore[no-untyped-def]
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send(UNKNOWN)
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/beheer")
    await admin.press("Te leren vragen")
    await admin.press("Nieuw antwoord schrijven")
    await admin.send(TEXTS["question_nl"])
    stranger: Chat = chat_factory(user_id=1002)  # the writing is the administrator's alone
    await stranger.send("/beheer")
    assert "alleen voor beheerders" in stranger.text()
    await admin.press("Annuleren")
    assert "Niets opgeslagen" in admin.text()
    model = matcher.model
    assert not await learning.Learner().run(runtime.env)
    assert matcher.model is model
    async with runtime.sessions() as session:
        assert (await session.execute(select(FaqEntry))).first() is None
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
    assert review.status == "open"  # still on the list


async def test_the_command_line_writes_lists_and_retires(
        runtime: Runtime, chat_factory, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Also when the lexical matcher answers alone (a CPU without the sentence model)."""
    monkeypatch.setattr(semantic, "_SHARED", [FaqMatcher.default()])
    chat: Chat = chat_factory(user_id=1001, language_code="en")
    await open_faq(chat)
    await chat.send(UNKNOWN)
    async with runtime.sessions() as session:
        (review,) = (await session.execute(select(FaqReview))).scalars().all()
    flags = {name: TEXTS[name] for name in TEXTS if name != "answer_en"}
    answers = iter(["", "Yes: <i>free</i>", "Yes: free, twice a year (<= 2 hours)."])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    assert await run_admin(runtime.settings, _admin(
        faq_command="new", review=review.id[:8], **flags)) == 0
    said = capsys.readouterr().out
    assert "empty" in said.lower() and "HTML" in said and "saved new-" in said
    assert await run_admin(runtime.settings, _admin(faq_command="entries")) == 0
    assert TEXTS["question_nl"] in capsys.readouterr().out
    assert await learning.Learner().run(runtime.env)
    lexical = semantic.shared_matcher()
    assert isinstance(lexical, FaqMatcher) and lexical.match(TEXTS["question_en"]) is not None
    chat.text()
    await chat.send(TEXTS["question_en"])
    assert "(&lt;= 2 hours)" in chat.log[-1].text
    assert await run_admin(runtime.settings, _admin(faq_command="figures")) == 0
    figures = capsys.readouterr().out
    assert "English: 1 answered, 1 without an answer" in figures, figures


async def test_the_faq_figures_are_for_administrators_only(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send("is het gezin erbij bij het overleg?")
    await chat.press("Niet nuttig")
    await chat.send("Wat kost een parkeervergunning in Heerlen?")
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/cijfers")
    await press_action(admin, "cij:p:year")
    await press_action(admin, "cij:g:all")
    shown = admin.text()
    assert "Vragen aan de FAQ" in shown
    assert "Nederlands: 1 beantwoord, 1 zonder antwoord, 1 niet nuttig gevonden" in shown
    assert "1 / 0 / 0; 1 niet nuttig" in shown


async def test_an_administrator_retires_a_written_entry_in_beheer(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    """/beheer -> "Geschreven antwoorden": each entry in use with "Niet meer gebruiken",
    a question first, then retired and audited; someone else's press on the same button
    is refused, and a second press says it is no longer in use."""
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    async with runtime.sessions() as session, session.begin():
        session.add(FaqEntry(id="new-0badc0de", status="active", created_at=runtime.clock.now(),
                             created_by=900, **TEXTS))
    admin: Chat = chat_factory(user_id=900, language_code="en")
    await admin.send("/beheer")
    await admin.press("Written answers")
    listed = admin.last_with_buttons()
    assert any(TEXTS["question_en"] in label for label in listed.labels())
    await admin.press("Stop using:")
    assert "The bot will then no longer give this answer" in admin.text()
    confirm = admin.last_with_buttons()
    yes = next(data for row in confirm.buttons for label, data in row if label.startswith("Yes"))
    await admin.press("Yes, stop using it")
    shown = admin.text()
    assert "No longer in use" in shown and "are in use any more" in shown
    async with runtime.sessions() as session:
        entry = await session.get(FaqEntry, "new-0badc0de")
        actions = [(a.action, a.detail) for a in
                   (await session.execute(select(AuditEvent))).scalars()]
    assert entry is not None and (entry.status, entry.retired_by) == ("retired", 900)
    assert ("faq_entry_retired", "new-0badc0de") in actions
    await admin.press_data(yes, confirm.message_id)  # the old button, pressed again
    assert "already no longer in use" in admin.text()
    other: Chat = chat_factory(user_id=1001)
    await other.send("/start")
    await other.press_data(yes, confirm.message_id)
    assert "alleen voor beheerders" in other.text()
    async with runtime.sessions() as session:
        refused = [a.detail for a in (await session.execute(select(AuditEvent).where(
            AuditEvent.actor_id == 1001, AuditEvent.action == "refused"))).scalars()]
    assert refused == ["faq_entry"]
