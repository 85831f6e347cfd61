"""A sparring question that names a municipality, a village or a postcode of the region
gets that municipality's Knooppunt from the directory in the database: active or not,
and how to reach its coordinator through the bot."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from kks_bot.db.models import Municipality
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat

from .cases import SOPHIE
from .test_handoff import _coordinator
from .walking import make_profile, open_faq


async def _ask(chat: Chat, question: str) -> str:
    await open_faq(chat)
    await chat.send(question)
    return chat.text()


@pytest.mark.parametrize(("locale", "question", "reachable"), [
    ("nl", "wie krijg ik als het gezin in Brunssum woont?", "via deze bot bereikbaar"),
    ("en", "who do I get if the family lives in Brunssum?", "can be reached through this bot"),
    ("ar", "العيلة ساكنة ببرونسوم، مين المنسق؟", "يمكن الوصول إلى منسقها عبر هذا البوت"),
])
async def test_a_municipality_named_gets_its_knooppunt_and_its_coordinator(
        runtime: Runtime, chat_factory, locale: str, question: str, reachable: str) -> None:
    coordinator: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, coordinator, "GM0899")
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await make_profile(chat, SOPHIE)
    said = await _ask(chat, question)
    assert "Brunssum" in said and reachable in said
    await chat.press("Brunssum")  # "Vraag aan de coördinator van Brunssum"
    assert "Brunssum" in chat.text()
    await chat.send("Alleen schulden, verder gaat alles goed: Knooppunt of iets lichters?")
    assert any("schulden" in m.plain for m in coordinator.transport.visible(501)
               if "Sparvraag" in m.plain)


async def test_a_village_or_a_postcode_finds_the_municipality(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    said = await _ask(chat, "Het gezin woont in Hoensbroek, bij wie meld ik aan?")
    assert "Knooppunt Heerlen" in said
    assert "nog niet via deze bot bereikbaar" in said  # nobody for Heerlen in the bot yet
    await chat.send("postcode 6412, welke coördinator krijg ik?")
    said = chat.text()
    assert "Postcode 6412 hoort bij Heerlen" in said and "Knooppunt Heerlen" in said


async def test_an_inactive_knooppunt_is_said_as_the_database_has_it(
        runtime: Runtime, chat_factory) -> None:
    async with runtime.sessions() as session:
        await session.execute(update(Municipality).where(Municipality.code == "GM0981")
                              .values(knooppunt_active=False))
        await session.commit()
    chat: Chat = chat_factory(user_id=1001, language_code="en")
    said = await _ask(chat, "who is the coordinator in Vaals?")
    assert "Vaals has no active Knooppunt" in said


async def test_a_place_in_another_question_is_not_a_directory_question(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    said = await _ask(chat, "Waar kan ik parkeren bij het ziekenhuis in Heerlen?")
    assert "geen goed antwoord" in said and "Knooppunt Heerlen" not in said


async def test_after_another_answer_the_place_named_is_added(
        runtime: Runtime, chat_factory) -> None:
    coordinator: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, coordinator, "GM0928")
    chat: Chat = chat_factory(user_id=1001)
    said = await _ask(chat, "Hoe werkt aanmelden via de bot voor een gezin uit Kerkrade?")
    assert "Hoe meld ik een gezin aan?" in said  # the FAQ's answer
    assert said.index("Hoe meld ik een gezin aan?") < said.index("Knooppunt Kerkrade")
    labels = chat.log[-1].labels()
    assert any("Kerkrade" in label for label in labels)
