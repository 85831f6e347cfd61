"""Sparring never misses a safety question: whatever the FAQ makes of a question about
violence, abuse, neglect, threats or thoughts of suicide or self-harm - in Dutch,
English, standard and colloquial Arabic - the user sees the safety numbers first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kks_bot.i18n import FSI, PDI
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import SOPHIE
from .test_handoff import _coordinator
from .walking import make_profile, open_faq

DATA = Path(__file__).resolve().parent.parent / "bench" / "data"
HEADER = {"nl": "Veiligheid eerst", "en": "Safety first", "ar": "السلامة أولًا"}
MELDCODE = {"nl": "meldcode", "en": "meldcode", "ar": "meldcode"}


def _items(name: str) -> list[dict[str, str | None]]:
    items: list[dict[str, str | None]] = json.loads(
        (DATA / name).read_text(encoding="utf-8"))["items"]
    return items


def _shows_the_numbers(said: str, kind: str | None, locale: str, asked: str = "") -> None:
    assert said.startswith("🚨 " + HEADER[locale]), (asked, said)
    assert "112" in said.splitlines()[1], said  # 112 on the first line after the header
    if kind == "suicide":
        assert "113" in said and "0800-0113" in said, said
    else:
        assert "Veilig Thuis" in said and "0800-2000" in said and MELDCODE[locale] in said, said


@pytest.mark.parametrize("locale", ["nl", "en", "ar"])
async def test_every_question_of_the_safety_set_shows_the_numbers_first(
        runtime: Runtime, chat_factory, locale: str) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await open_faq(chat)
    items = _items(f"safety_{locale}.json")
    assert len(items) >= 20
    # And the sets written after the word lists (the sentence model finds most of these).
    items += [i for name in ("safety_fresh.json", "safety_blind.json") for i in _items(name)
              if i["locale"] == locale]
    for item in items:
        await chat.send(str(item["text"]))
        _shows_the_numbers(chat.text(), item["expect"], locale, str(item["text"]))


@pytest.mark.parametrize(("locale", "question", "kind"), [
    ("nl", "moeder appt me dat ze er een eind aan wil maken, wat nu", "suicide"),
    ("en", "mum's new partner slapped the toddler, I saw the marks", "violence"),
    # Levantine, the question from the issue: it got "I don't have a good answer".
    ("ar", "عم شك إنو في عنف أسري بالعيلة، مع مين لازم إحكي؟", "violence"),
])
async def test_typed_at_the_main_menu_the_numbers_come_at_once(
        runtime: Runtime, chat_factory, locale: str, question: str, kind: str) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await make_profile(chat, SOPHIE)
    chat.text()
    await chat.send(question)
    said = chat.text()
    _shows_the_numbers(said, kind, locale)
    assert "✉️" in " ".join(chat.log[-1].labels())  # and the way to the coordinator


async def test_in_arabic_the_numbers_are_isolated_so_they_read_left_to_right(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code="ar")
    await open_faq(chat)
    await chat.send("راجلها كيضربها وهي حاملة، شنو خاصني ندير؟")  # Darija
    shown = chat.shown()
    assert f"{FSI}0800-2000{PDI}" in shown and f"{FSI}112{PDI}" in shown
    await chat.send("الأم قالت ليا بغات تقتل راسها")
    shown = chat.shown()
    assert f"{FSI}0800-0113{PDI}" in shown and f"{FSI}113{PDI}" in shown


async def test_a_question_about_danger_and_consent_gets_both_safety_first(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    await open_faq(chat)
    await chat.send("Haar partner slaat haar. Heb ik toestemming van haar nodig om aan te "
                    "melden, en hoe leg ik die vast?")
    said = chat.text()
    assert said.startswith("🚨 Veiligheid eerst") and "0800-2000" in said
    assert "Heb ik toestemming nodig, en hoe leg ik die vast?" in said  # the FAQ's answer
    assert said.index("0800-2000") < said.index("Heb ik toestemming nodig")


async def test_a_question_to_the_coordinator_about_danger_shows_the_numbers_now(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001, language_code="en")
    await make_profile(anna, SOPHIE)
    await anna.send("/sparren")
    await press_action(anna, "sp:coord")
    await anna.press("Heerlen")
    anna.text()
    await anna.send("Her ex keeps threatening her, can we plan the meeting quickly?")
    said = anna.text()
    _shows_the_numbers(said, "violence", "en")
    assert "Heerlen" in said  # and the question went to the coordinator
    assert any("threatening" in m.plain for m in ilse.transport.visible(501))


async def test_ordinary_questions_seldom_get_the_alarm(
        runtime: Runtime, chat_factory) -> None:
    """High recall costs some false alarms (bench/safety_recall.py counts them: about 1% of
    all ordinary questions). safety_ordinary.json holds the hard ones - worries near danger
    (an exhausted mother, a lonely one): at most one in five of those, over the three
    languages, gets the alarm, and never the named ones."""
    alarms: dict[str, list[str]] = {}
    asked = 0
    for number, locale in enumerate(("nl", "en", "ar")):
        chat: Chat = chat_factory(user_id=1001 + number, language_code=locale)
        await open_faq(chat)
        ordinary = [i for i in _items("safety_ordinary.json") if i["locale"] == locale]
        assert len(ordinary) >= 10
        asked += len(ordinary)
        for item in ordinary:
            await chat.send(str(item["text"]))
            if HEADER[locale] in chat.text():
                alarms.setdefault(locale, []).append(str(item["text"]))
    assert sum(map(len, alarms.values())) <= asked // 5, alarms
    for locale, never in (("nl", "Worden de gegevens veilig naar de coördinator gestuurd?"),
                          ("en", "How fast is a meeting planned when it's urgent?"),
                          ("ar", "هل يتم إرسال البيانات بشكل آمن إلى المنسق؟")):
        assert never not in alarms.get(locale, []), locale


async def test_a_reply_in_a_thread_about_danger_shows_the_numbers_now(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001, language_code="ar")
    await make_profile(anna, SOPHIE)
    await anna.send("/sparren")
    await press_action(anna, "sp:coord")
    await anna.press("Heerlen")
    await anna.send("هل يمكن التخطيط للاجتماع بسرعة؟")
    asked = [m for m in ilse.transport.visible(501) if "Sparvraag" in m.text][-1]
    await ilse.press("Reageren", message=asked)
    await ilse.send("Ja, binnen een week.")
    (answer,) = [m for m in anna.transport.visible(1001) if "Ilse Coenen" in m.text]
    anna.text()
    await anna.press("↩️", message=answer)
    anna.text()
    await anna.send("الأم قالت اليوم إنها بدها تخلص من حالها")  # Levantine: end her life
    said = anna.text()
    _shows_the_numbers(said, "suicide", "ar")
    assert any("تخلص" in m.plain for m in ilse.transport.visible(501))
