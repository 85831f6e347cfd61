"""Questions that describe a case rather than name a topic get the entry they are about,
in the user's language; a question about a case offers the guided check."""

from __future__ import annotations

import pytest

from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action
from tests.walking import open_faq

# The situations of issue 18, as professionals wrote them (bench/data/faq_situations.json).
SITUATIONS = [
    ("nl", "Mijn cliënte wil niet dat ik haar aanmeld. Mag ik het toch doen als ik me echt "
           "zorgen maak?", "Zegt het gezin nee? Dan meld je niet aan."),
    ("nl", "Het gaat alleen om schulden, verder gaat alles goed. Is het knooppunt niet te "
           "zwaar, is er iets lichters?", "zorgpadenkansrijkestart.pharos.nl"),
    ("nl", "Zijn de ouders vanaf het begin bij het overleg?", "Ja, altijd."),
    ("en", "My client doesn't want me to register her. Can I do it anyway if I'm really "
           "worried?", "Then do not register."),
    ("en", "only debts, everything else is fine. isn't the knooppunt too heavy, is there "
           "something lighter?", "zorgpadenkansrijkestart.pharos.nl"),
    ("en", "Are the parents there from the start?", "Yes, always."),
    ("ar", "الأم رافضة التسجيل بس أنا كتير قلقانة، بقدر سجلها بدون موافقتها؟",
     "عندها لا تسجّلها"),
    ("ar", "المشكلة فقط ديون وكل شيء آخر جيد، أليس نقطة الالتقاء أكثر من اللازم؟ هل يوجد "
           "شيء أخف؟", "zorgpadenkansrijkestart.pharos.nl"),
    ("ar", "هل يحضر الوالدان منذ بداية الاجتماع؟", "نعم"),
]


@pytest.mark.parametrize(("locale", "question", "answer"), SITUATIONS)
async def test_a_situation_gets_the_entry_it_is_about(
        runtime: Runtime, chat_factory, locale: str, question: str, answer: str) -> None:
    chat: Chat = chat_factory(user_id=1001, language_code=locale)
    await open_faq(chat)
    await chat.send(question)
    said = chat.text()
    assert answer in said, said
    assert "🚨" not in said  # no false alarm on these


async def test_refused_consent_with_worries_points_to_the_meldcode_and_the_check(
        runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(user_id=1001)
    await chat.send("/sparren")
    await press_action(chat, "sp:faq")
    await chat.send("moeder wil absoluut niet aangemeld worden maar ik heb grote zorgen, "
                    "mag het toch?")
    said = chat.text()
    assert "Dan meld je niet aan" in said and "meldcode" in said
    await chat.press("Korte check")
    assert "vraag 1 van 6" in chat.text()  # the guided check, from its first question
