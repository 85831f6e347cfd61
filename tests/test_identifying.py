"""Tests for kks_bot.flows.sparring.identifying: does a sparring question identify a family?"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kks_bot.flows.sparring.identifying import KINDS, identifying_details


def to_arabic_indic(text: str) -> str:
    return text.translate({ord(str(i)): chr(0x0660 + i) for i in range(10)})


# --- Anonymous questions: nothing to warn about ------------------------------------------------

ANONYMOUS_NL = [
    "Ik heb een zwangere cliënt van 19 met schulden en weinig netwerk, Knooppunt of zorgpad?",
    "Mag ik aanmelden zonder toestemming? Bel ik dan Veilig Thuis 0800-2000?",
    "Moeder van 24, tweede kindje op komst, partner heeft een LVB. Is dit iets voor het OZKS?",
    "Jonge vrouw, 17 weken zwanger, woont in Brunssum bij haar ouders. Ze heeft geen huisarts.",
    "Gezin met een baby van 3 maanden in Sittard-Geleen; vader is verslaafd en er is huiselijk "
    "geweld. Wat is de route via de Raad voor de Kinderbescherming?",
    "Hoe werkt de AVG als ik zonder BSN wil overleggen met de GGD en JGZ?",
    "Een Syrische moeder, spreekt alleen Arabisch, zwanger van 32 weken. Kan de tolk mee naar "
    "de verloskundige?",
    "Sinds 2023 dakloos, nu 28 weken zwanger. Volgende week afspraak bij het CJG in Maastricht.",
    "Cliënte (21) heeft psychische problemen en wil geen hulp. Wat kan ik doen?",
    "Alleenstaande moeder in Kerkrade, 3 kinderen, schulden bij de Belastingdienst. "
    "Kansrijke Start of Knooppunt?",
    "Wie kan ik bellen: 112 of Veilig Thuis? Het gaat om een baby van 6 weken.",
    "Ze is in 2024 naar Nederland gekomen en heeft een verblijfsvergunning via het COA.",
    "Vraag over een gezin in Landgraaf: vader werkt niet, moeder depressief.",
    "Hoi, ik heb een vraag. Een Eritrese moeder met een baby van 3 maanden in een Heerlense wijk.",
    "In 2024 is ze verhuisd naar Voerendaal. Sinds 2023 op straat, uitgerekend in maart.",
    "Zwanger van 20 weken, geboren met 34 weken, afspraak om 10.30 uur op maandag 12/3.",
    "Moeder (22) uit Syrië, spreekt alleen Arabisch. Huisarts en JGZ zijn betrokken. Wat nu?",
    "De Jeugdarts van de GGD Zuid-Limburg en het Wijkteam in Eijsden-Margraten zijn al bezig.",
    "Kan ik de GGD bellen op 088-8805000 of moet ik via de gemeente (14 045)?",
    "Dossiernummer heb ik niet, alleen 12345678 van de school. Beekdaelen of Simpelveld?",
    "- Zwangere vrouw uit Marokko\n- Partner in detentie\n- Geen Nederlandstalige huisarts",
    "Ze komt uit Den Haag en woont nu in Geleen, vlakbij het Zuyderland.",
    "Is de Jeugdarts of de Verloskundigenpraktijk de eerste stap? Zie www.veiligthuis.nl/Meldcode",
]
ANONYMOUS_EN = [
    "A mother in Heerlen with a 3-month-old, housing problems",
    "Young woman, 32 weeks pregnant, no GP yet. Should I refer to the Knooppunt or wait until "
    "next week?",
    "The father has a history of violence. Can I call Veilig Thuis on 0800-2000 without consent?",
    "Pregnant teen (16) living with her grandmother in Vaals, speaks Dutch and English.",
    "What does the AVG allow me to share with the GGD about a family in Landgraaf?",
    "She was born in Eritrea, arrived in 2022 and is expecting her first baby in May.",
    "The GP referred her on Monday in March; she speaks Tigrinya and some English.",
    "She is 17 and pregnant, lives with her mother in Sittard-Geleen. Is this OZKS or Knooppunt?",
    "I'm worried: a 3-month-old baby, a depressed mother and debts. I called Veilig Thuis.",
    "Her name is unknown to me; the midwife in Gulpen-Wittem knows her.",
]
ANONYMOUS_AR = [
    "امرأة حامل عمرها 19 سنة في هيرلن، لديها ديون. هل أتصل بـ Veilig Thuis أم أنتظر؟",
    "أم لطفل عمره ٣ أشهر، مشاكل في السكن. ماذا أفعل؟",
    "السيدة حامل في الأسبوع ٢٠ وتعيش وحدها.",
    "عائلة سورية في كيركراده لديها طفل عمره سنة، الأب عاطل عن العمل. هل هذا مناسب للمركز؟",
    "هل يمكنني التسجيل بدون موافقة الأم؟ الحمل في الأسبوع ٣٢.",
    "أبو الطفل يشرب الكحول والأم خائفة. هل أتصل بـ ٠٨٠٠-٢٠٠٠؟",
    "أم عزباء عمرها ١٧ سنة، ولدت في سوريا، تسكن مع عائلة الزوج.",
]
ANONYMOUS_MIXED = [
    "Moeder spreekt Arabisch: لا تتكلم الهولندية. Wat nu? 🤰👶",
    "Baby van 3 maanden 😟 en mama is 19. GGD of Knooppunt?",
    "",
    "   \n\t ",
    "😀🤰🏽 👶",
]


@pytest.mark.parametrize("text", ANONYMOUS_NL + ANONYMOUS_EN + ANONYMOUS_AR + ANONYMOUS_MIXED)
def test_anonymous_questions_pass(text: str) -> None:
    assert identifying_details(text) == []


# --- Identifying details: each kind ------------------------------------------------------------

NAMES = [
    "mevrouw Jansen",
    "Mevrouw Jansen (19) is zwanger van de tweede.",
    "Ik bel mevr. de Vries morgen.",
    "Gesprek met dhr. Bakker en zijn partner.",
    "Ik heb contact met mevrouw JANSEN over haar zoon.",
    "Fam. Smeets heeft 4 kinderen.",
    "Vader, Ahmed, werkt in Duitsland.",
    "Noah (3 mnd) huilt veel.",
    "Ze woont aan de Akerstraat in Heerlen.",  # a street name counts as a name
    "De familie El Amrani woont in Heerlen.",
    "Mevrouw Beek woont in Beek.",  # a title makes even a place name a name
    "Fatima (23) is zwanger",
    "Sarah, 19, is pregnant again.",
    "Noor is zwanger van de derde.",
    "the mother, Sarah, is 19",
    "Ik spreek morgen met moeder Fatima en haar man.",
    "Mrs. O'Brien has twins.",
    "Ze heet fatima en is 19.",
    "haar naam is noor",
    "Naam: Jansen, zwanger van 20 weken",
    "a woman named aisha",
    "The baby is called Adam.",
    "Zij is 19 en woont bij Ahmed in Kerkrade.",
    "السيدة فاطمة حامل",
    "السيدة خولة تسكن في هيرلن",
    "اسمها سارة",
    "أم محمد حامل مرة أخرى",
    "أبو أحمد يعمل في ماستريخت",
    "عائلة الحلبي تسكن في كيركراده",
    "زوجها يوسف عاطل عن العمل",
    "السيدة Jansen حامل",
    "السيد أحمد يعمل في ماستريخت",
    "ام خالد تسكن وحدها",
    "تدعى فاطمة",
]


@pytest.mark.parametrize("text", NAMES)
def test_names(text: str) -> None:
    assert identifying_details(text) == ["name"]


BIRTHDATES = [
    "Zij is geboren op 12-03-2024.",
    "baby 12/3/24",
    "De baby kwam op 2024-03-12.",
    "de baby kwam op 12.03.2024",
    "sinds 12 maart 2024 thuis",
    "baby van 3 March 2024",
    "since March 3rd, 2024",
    "the 3rd of March 2024",
    "Op 3 mei 2019 is de baby gekomen.",
    "vanaf 12 mrt. '24",
    "Geboren op 12 maart",
    "born on 3 March",
    "geb. 3-4",
    "DOB: 03/04",
    "١٢/٠٣/٢٠٢٤",
    "ولدت في 3 مارس 2024",
    "مولود في ١٢ آذار",
    "الطفل ولد في ١٢ كانون الثاني ٢٠٢٤",
    "تاريخ الميلاد: ١٢/٣",
]


@pytest.mark.parametrize("text", BIRTHDATES)
def test_birthdates(text: str) -> None:
    assert identifying_details(text) == ["birthdate"]


@pytest.mark.parametrize(
    "text",
    [
        "Postcode 6411 AB.",
        "postcode: 6415 AX",
        "woont op 6411AB",
        "woont op 6411ab",
        "woont op 6411 ab",
        "6411 EN",  # in capitals the letters are a postcode's, even if they spell a word
    ],
)
def test_postcodes(text: str) -> None:
    assert identifying_details(text) == ["postcode"]


@pytest.mark.parametrize(
    "text",
    [
        "bel 06-12345678",
        "mobiel +31 6 1234 5678",
        "vast nummer 045-1234567",
        "0031 6 12345678",
        "her Syrian number is +963 944 123 456",
        "رقمها ٠٦١٢٣٤٥٦٧٨",
    ],
)
def test_phones(text: str) -> None:
    assert identifying_details(text) == ["phone"]


@pytest.mark.parametrize(
    "text", ["mail f.jansen@gmail.com", "noor_1999@hotmail.nl schreef", "Fatima.Jansen@ziggo.nl"]
)
def test_emails(text: str) -> None:
    assert identifying_details(text) == ["email"]


@pytest.mark.parametrize(
    "text", ["BSN 123456782", "bsn 1234.56.782", "123 456 782", "nummer: 987654321.", "٩٨٧٦٥٤٣٢١"]
)
def test_nine_digit_numbers(text: str) -> None:
    assert identifying_details(text) == ["number"]


# --- What is deliberately not flagged ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Veilig Thuis 0800-2000",  # public service numbers
        "bel 112",
        "GGD 088-8805000",
        "0900-1234567",
        "sinds 2024 en nu",  # a year and a two-letter word
        "in 2024 is ze bevallen",
        "Sinds 2024 En toen",
        "1000 mg paracetamol",
        "woont op 6411 abc",
        "12345 AB",
        "12345678",  # 8 and 10 digits are not a BSN
        "1234567890",
        "geboren met 34 weken",  # relative phrasings, not dates
        "born at 32 weeks, now a 3-month-old",
        "uitgerekend in maart 2026",
        "afspraak op 12/3 om 10.30",
        "next week",
    ],
)
def test_not_identifying(text: str) -> None:
    assert identifying_details(text) == []


# --- The list itself ---------------------------------------------------------------------------


def test_every_kind_once_in_fixed_order() -> None:
    text = (
        "f.jansen@gmail.com, BSN 123456782, bel 06-12345678 of 06-87654321, "
        "postcode 6411 AB, geboren op 12-03-2024, mevrouw Jansen en mevrouw de Vries."
    )
    assert identifying_details(text) == list(KINDS)
    assert KINDS == ("name", "birthdate", "postcode", "phone", "email", "number")


def test_phone_and_bsn_together() -> None:
    assert identifying_details("bsn 123456782 en 06-12345678") == ["phone", "number"]


def test_email_does_not_count_as_name() -> None:
    assert identifying_details("Stuur het naar Fatima.Jansen@ziggo.nl aub") == ["email"]


def test_arabic_indic_digits_are_read() -> None:
    text = "geboren op 12-03-2024, bel 06-12345678, bsn 123456782"
    assert identifying_details(to_arabic_indic(text)) == ["birthdate", "phone", "number"]


def test_invisible_marks_do_not_hide_a_phone_number() -> None:
    assert identifying_details("06\u200b-1234\u200f5678") == ["phone"]


# --- Robustness --------------------------------------------------------------------------------

REALISTIC = " ".join(ANONYMOUS_NL + ANONYMOUS_EN + ANONYMOUS_AR + ANONYMOUS_MIXED)


def _best_of(runs: int, text: str) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        identifying_details(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize(
    "text",
    [
        (REALISTIC * 4)[:4000],
        ("Mevrouw Jansen, bel 06-12345678, BSN 123456782, 6411 AB, 12-03-2024. " * 60)[:4000],
        ("06 12345678 " * 400)[:4000],
        ("1.2 " * 1000)[:4000],
        "1" * 4000,
        "a" * 4000,
        ("geboren op " * 400)[:4000],
        ("x@" * 2000)[:4000],
    ],
    ids=["realistic", "identifying", "phones", "digit-dots", "digits", "letters", "birth", "at"],
)
def test_4000_characters_are_fast(text: str) -> None:
    """No pattern backtracks on a long hostile text: each takes about 3-8 ms on a quiet
    machine; a quadratic pattern would take seconds. The bound leaves room for a busy CI
    machine (once 30 ms, beside the other tests), so it fails on a blow-up, not on noise."""
    identifying_details(text)  # warm up
    assert _best_of(5, text) < 0.25


def test_realistic_long_text_stays_anonymous() -> None:
    assert identifying_details((REALISTIC * 4)[:4000]) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(),
        st.text(st.characters(exclude_categories=()), max_size=200),
        st.lists(
            st.sampled_from(
                [*"0123456789 -/.,:@+()\n", "AB", "ab", "maart", "March", "آذار", "geboren",
                 "mevrouw", "Fatima", "اسمها", "أم", "06", "0800", "٠١٢", "😀"]
            )
        ).map("".join),
    )
)
def test_never_raises_and_returns_known_kinds_in_order(text: str) -> None:
    kinds = identifying_details(text)
    assert kinds == [kind for kind in KINDS if kind in kinds]
