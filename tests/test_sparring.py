"""Sparring: the guided check, the FAQ, the acute-safety way out, and anonymous
questions to the coordinator that go back and forth in a thread."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kks_bot.db.models import AuditEvent, SparMessage, SparThread
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import SOPHIE
from .test_handoff import _coordinator
from .walking import drafts, make_profile, open_faq

# The handbook cases (../shared/domain/cases.md) as the guided check asks them.
CHECKS = {
    "Sophie": ("nl", True, [], ["relatie", "financien", "stress", "opvoedvaardigheden"],
               ["open_voor_hulp"]),
    "Lisa": ("en", False, [], ["psychosociaal_vrouw", "financien", "alleenstaand", "stress"],
             ["sociaal_netwerk", "open_voor_hulp"]),
    "Tim en Esmee": ("ar", True, [], ["huisvesting", "relatie", "tienerzwangerschap",
                                      "zorggebruik"], ["sociaal_netwerk"]),
}
ADVICE = {"nl": "Knooppunt Kansrijke Start", "en": "Knooppunt Kansrijke Start",
          "ar": "Knooppunt Kansrijke Start"}


async def _check(chat: Chat, pregnant: bool, urgent: list[str], other: list[str],
                 protective: list[str], consent: str = "ja") -> str:
    await chat.send("/sparren")
    await press_action(chat, "sp:check")
    await press_action(chat, "o:nee")  # no acute unsafety
    await press_action(chat, "o:ja" if pregnant else "o:nee")
    for ticks in (urgent, other, protective):
        for tick in ticks:
            await press_action(chat, f"t:{tick}")
        await press_action(chat, "done")
    await press_action(chat, f"o:{consent}")
    return chat.text()


@pytest.mark.parametrize("case", list(CHECKS))
async def test_the_handbook_cases_get_advice_that_fits_with_reasons(
        runtime: Runtime, chat_factory, case: str) -> None:
    locale, pregnant, urgent, other, protective = CHECKS[case]
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    advice = await _check(chat, pregnant, urgent, other, protective)
    # All three went to a Knooppunt meeting in the handbook: a stacking of
    # non-urgent vulnerabilities.
    assert ADVICE[locale] in advice
    reason = {"nl": "stapeling van 4 kwetsbaarheden", "en": "4 vulnerabilities",
              "ar": "4"}[locale]
    assert reason in advice
    labels = chat.log[-1].labels()
    assert any("112" in label or "🚨" in label for label in labels)
    assert len([label for label in labels if label.startswith("📝")]) == 1  # Register
    assert len([label for label in labels if label.startswith("✉️")]) == 1  # Ask


async def test_register_after_the_check_starts_with_the_ticks_filled_in(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    await make_profile(chat, SOPHIE)
    await _check(chat, True, [], ["relatie", "financien"], ["open_voor_hulp"])
    await chat.press("Aanmelden")
    assert "toestemming" in chat.text()
    await press_action(chat, "yes")
    (draft,) = await drafts(runtime, 1001)
    answers = draft["answers"]
    assert answers["zwanger"] is True
    assert sorted(answers["kwetsbaarheden"]) == ["financien", "relatie"]
    assert answers["beschermende_factoren"] == ["open_voor_hulp"]


async def test_pregnant_with_an_urgent_vulnerability_points_to_the_ozks(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    advice = await _check(chat, True, ["verslaving"], [], [], consent="nog_niet")
    assert "OZKS" in advice and "zwanger, met 1 urgente kwetsbaarheid" in advice
    assert "pas na toestemming" in advice


async def test_one_clear_question_points_to_the_care_paths_with_the_link(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    advice = await _check(chat, False, [], ["huisvesting"], ["sociaal_netwerk"])
    assert "zorgpaden" in advice.lower()
    assert "https://zorgpadenkansrijkestart.pharos.nl/" in advice


async def test_acute_unsafety_is_said_first(runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    await chat.send("/sparren")
    await press_action(chat, "sp:check")
    await press_action(chat, "o:ja")
    said = chat.text()
    assert said.index("112") < said.index("Veilig Thuis") and "0800-2000" in said
    assert "Advies" not in said  # no vulnerability questions after acute danger


@pytest.mark.parametrize(("locale", "words"), [
    ("nl", "bel 112"), ("en", "112"), ("ar", "112")])
async def test_safety_is_one_tap_away_on_every_step_and_keeps_the_place(
        runtime: Runtime, chat_factory, locale: str, words: str) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await chat.send("/sparren")
    await press_action(chat, "sp:check")
    await press_action(chat, "o:nee")
    question = chat.text()
    await press_action(chat, "safety")
    said = chat.text()
    assert words in said and "0800-2000" in said
    assert question.splitlines()[-1] in said  # the same question again, nothing lost
    # And in the middle of a registration.
    await make_profile(chat, SOPHIE)
    await chat.send("/aanmelden")
    await press_action(chat, "yes")
    step = chat.text()
    await press_action(chat, "safety")
    assert "0800-2000" in chat.text()
    assert step.splitlines()[-1] in chat.log[-1].plain


@pytest.mark.parametrize(("locale", "question", "faq_id"), [
    ("nl", "moet ik toestemming hebben van het gezin voordat ik aanmeld", "toestemming"),
    ("en", "is the family present at the meeting?", "gezin_erbij"),
    ("ar", "هل يمكن للعائلة أن تحضر معها شخصا؟", "iemand_meenemen"),
])
async def test_a_question_in_own_words_gets_the_answer(
        runtime: Runtime, chat_factory, locale: str, question: str, faq_id: str) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await open_faq(chat)
    await chat.send(question)
    said = chat.text()
    assert "geen goed antwoord" not in said
    if locale != "nl":  # the answer in the user's own language
        assert "Nog een vraag" not in said and "gezin" not in said
    async with runtime.sessions() as session:
        answered = [(a.action, a.detail) for a in
                    (await session.execute(select(AuditEvent))).scalars()]
    assert ("faq", faq_id) in answered


async def test_unknown_question_is_offered_to_the_coordinator(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    chat: Chat = chat_factory(user_id=1001)
    await make_profile(chat, SOPHIE)
    await chat.send("/sparren")
    await press_action(chat, "sp:faq")
    await chat.send("Waar kan ik parkeren bij het ziekenhuis in Heerlen?")
    assert "geen goed antwoord" in chat.text()
    await chat.press("naar de coördinator")
    await chat.press("Heerlen")
    assert "doorgestuurd naar de coördinator van Heerlen" in chat.text()
    got = [m.plain for m in ilse.transport.visible(501) if "Sparvraag" in m.text]
    assert len(got) == 1 and "parkeren" in got[0] and "Anna Verhoeven" in got[0]


async def test_a_thread_goes_back_and_forth_and_either_side_closes_it(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    peer: Chat = chat_factory(user_id=502)
    await _coordinator(runtime, peer, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await make_profile(anna, SOPHIE)
    await anna.send("/sparren")
    await anna.press("Vraag aan de coördinator")
    await anna.press("Heerlen")
    await anna.send("Mevrouw Jansen (06-12345678) is zwanger en heeft schulden. Aanmelden?")
    warning = anna.text()
    assert "een naam" in warning and "een telefoonnummer" in warning
    assert not [m for m in ilse.transport.visible(501) if "Sparvraag" in m.text]
    await anna.press("Opnieuw schrijven")
    await anna.send("Een zwangere van 19 met schulden en weinig netwerk: Knooppunt of "
                    "zorgpad?")
    assert "doorgestuurd" in anna.text()
    for coordinator in (ilse, peer):
        (asked,) = [m for m in coordinator.transport.visible(coordinator.user_id)
                    if "Sparvraag" in m.text]
        assert "weinig netwerk" in asked.plain and "Anna Verhoeven" in asked.plain
        assert "Jansen" not in asked.plain
    asked = [m for m in ilse.transport.visible(501) if "Sparvraag" in m.text][-1]
    await ilse.press("Reageren", message=asked)
    await ilse.send("Bij een stapeling: Knooppunt. Vraag eerst toestemming.")
    assert "Verstuurd" in ilse.text()
    (answer,) = [m for m in anna.transport.visible(1001) if "Ilse Coenen" in m.text]
    assert "stapeling" in answer.plain
    await anna.press("Reageren", message=answer)
    await anna.send("Dank je, dan bespreek ik het met haar.")
    # The follow-up goes to the coordinator who answered, not to every coordinator.
    assert any("bespreek ik het" in m.plain for m in ilse.transport.visible(501))
    assert not any("bespreek ik het" in m.plain for m in peer.transport.visible(502))
    await ilse.send("/sparvragen")
    listing = ilse.text()
    assert "1 open sparvraag" in listing
    await ilse.press("SP-")
    page = ilse.text()
    assert "weinig netwerk" in page and "bespreek ik het" in page
    await ilse.press("Sluiten")
    assert "gesloten" in ilse.text()
    assert any("gesloten door Ilse Coenen" in m.plain for m in anna.transport.visible(1001))
    async with runtime.sessions() as session:
        thread = (await session.execute(select(SparThread))).scalar_one()
        assert thread.status == "closed"
        count = len((await session.execute(select(SparMessage))).scalars().all())
        assert count == 3
    # A closed thread takes no more messages.
    await anna.press("Reageren", message=answer)
    assert "is gesloten" in anna.text()


@pytest.mark.parametrize("who", ["stranger", "other_municipality"])
async def test_thread_buttons_are_only_for_its_two_sides(
        runtime: Runtime, chat_factory, who: str) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    kerkrade: Chat = chat_factory(user_id=503)
    await _coordinator(runtime, kerkrade, "GM0928")
    anna: Chat = chat_factory(user_id=1001)
    await make_profile(anna, SOPHIE)
    await anna.send("/sparren")
    await anna.press("Vraag aan de coördinator")
    await anna.press("Heerlen")
    await anna.send("Hoe snel plannen jullie bij spoed?")
    async with runtime.sessions() as session:
        thread = (await session.execute(select(SparThread))).scalar_one()
    actor = {"stranger": chat_factory(user_id=777), "other_municipality": kerkrade}[who]
    for action in ("show", "reply", "close"):
        await actor.press_data(f"s.{action}.{thread.id}", 1)
        said = actor.text()
        assert "Dat kan ik niet tonen" in said and "spoed" not in said


@pytest.mark.parametrize("bad", ["", "   ", "😀😀😀", "x" * 4000])
async def test_bad_input_never_reaches_a_coordinator(
        runtime: Runtime, chat_factory, bad: str) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001, language_code="en")
    await make_profile(anna, SOPHIE)
    await anna.send("/sparren")
    await press_action(anna, "sp:coord")
    await anna.press("Heerlen")
    anna.text()
    await anna.send(bad)
    said = anna.text()
    assert "⚠️" in said and "Heerlen" in said  # why, and the same question again
    await anna.send_media("photo")
    assert "Heerlen" in anna.text()
    assert not [m for m in ilse.transport.visible(501) if "Sparvraag" in m.text
                or "SP-" in m.text]


async def test_mixed_scripts_and_faq_typos_do_not_crash(runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code="ar")
    await chat.send("/sparren")
    await press_action(chat, "sp:faq")
    for text in ("toestemmnig nodig؟ موافقة", "🤰 tolk", "x" * 4000, "1234"):
        await chat.send(text)
        assert chat.text()  # always an answer, never silence


async def test_asking_the_coordinator_needs_a_profile_first(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await anna.send("/sparren")
    await anna.press("Vraag aan de coördinator")
    said = anna.text()
    assert "Vul daarom eerst (eenmalig) je profiel in" in said
    assert "Bij welke organisatie" in said


async def test_a_known_question_typed_at_the_menu_is_answered(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    await make_profile(chat, SOPHIE)
    await chat.send("wie mag er eigenlijk aanmelden bij het knooppunt")
    said = chat.text()
    assert "verloskundige" in said.lower() and "Kies hieronder" not in said
    await chat.send("/menu")
    chat.text()
    await chat.send("blablabla")  # not a question the FAQ knows: the menu, nothing else
    said = chat.text()
    assert "Kies hieronder wat je wilt doen" in said and "coördinator" not in said.lower()


async def test_a_reference_already_taken_is_drawn_again(
        runtime: Runtime, chat_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two sparring questions whose first drawn reference is the same: the second gets
    another one instead of failing on the unique column (24 bits of a uuid could
    collide)."""
    from kks_bot.flows.sparring import threads

    drawn = iter(["SP-AAAAAA", "SP-AAAAAA", "SP-BBBBBB"])
    monkeypatch.setattr(threads, "_candidate", lambda: next(drawn))
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await make_profile(anna, SOPHIE)
    for question in ("Een zwangere van 19 met schulden: Knooppunt of zorgpad?",
                     "Een moeder van 30 zonder netwerk: Knooppunt of zorgpad?"):
        await anna.send("/sparren")
        await anna.press("Vraag aan de coördinator")
        await anna.press("Heerlen")
        await anna.send(question)
        assert "doorgestuurd" in anna.text()
    asked = [m.plain for m in ilse.transport.visible(501) if "Sparvraag" in m.text]
    assert [("SP-AAAAAA" in a, "SP-BBBBBB" in a) for a in asked] == [(True, False),
                                                                      (False, True)]
