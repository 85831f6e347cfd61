"""Every count a user reads has its plural forms: "1 dag" / "2 dagen", "1 day" / "2 days",
and Arabic's six forms (0, 1, 2, 3-10, 11-99, 100-102)."""

from __future__ import annotations

import re
from string import Formatter

import pytest
from babel.messages.pofile import read_po

from kks_bot.forms.display import PageReader, display
from kks_bot.i18n import LOCALES_DIR, Translator
from kks_bot.runtime import Runtime
from kks_bot.text import plain_text
from tests.support.transcript import unisolated

PROBES = (0, 1, 2, 3, 11, 100)

# A number placeholder followed by what it counts, outside a plural entry.
COUNTED = re.compile(
    r"\{[a-z_]+\} (?:dag|dagen|uur|week|weken|jaar|maand|maanden|poging|pogingen|teken|"
    r"tekens|aanmelding|aanmeldingen|bericht|berichten|concept|concepten|veld|velden|keer|"
    r"minuut|minuten|factor|factoren|kwetsbaarheid|kwetsbaarheden)\b")
NL_WRONG = re.compile(r"(?<!\d)1 (?:dagen|weken|tekens|pogingen|aanmeldingen|concepten|velden|"
                      r"berichten|factoren|kwetsbaarheden|open concepten)\b")


def _template() -> list[object]:
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id]


def plural_entries() -> list[tuple[str, str]]:
    return [tuple(i) for i in _template() if isinstance(i, tuple | list)]  # type: ignore[misc]


def render(locale: str, forms: tuple[str, str], n: int) -> str:
    names = {f for _, f, _, _ in Formatter().parse(forms[1]) if f and f != "n"}
    text = Translator().tn(locale, forms, n, **{k: "Esmee" for k in names})
    return unisolated(plain_text(str(text)))


def test_every_counted_message_is_a_plural_entry() -> None:
    single = [i for i in _template() if isinstance(i, str) and COUNTED.search(i)]
    assert single == []
    assert len(plural_entries()) >= 20


@pytest.mark.parametrize("forms", plural_entries(), ids=lambda f: f[0][:40])
def test_plural_probes(forms: tuple[str, str]) -> None:
    shown = {(locale, n): render(locale, forms, n) for locale in ("nl", "en", "ar")
             for n in PROBES}

    def shape(locale: str, n: int) -> str:  # the words around the number
        return re.sub(rf"(?<!\d){n}(?!\d)", "#", shown[locale, n])

    for n in PROBES:
        assert str(n) in shown["nl", n] and str(n) in shown["en", n], forms
        assert not NL_WRONG.search(shown["nl", 1]), shown["nl", 1]
        assert shown["ar", n] and not re.search("[a-z]{4,}", shown["ar", n].replace(
            "Esmee", "")), shown["ar", n]  # Arabic, not a Dutch or English fallback
    # English counts one thing differently from two ("1 day", "2 days").
    assert shape("en", 1) != shape("en", 2), shown["en", 1]
    assert shape("en", 2) == shape("en", 3) == shape("en", 100)
    # Arabic: one, two, a few and many are four different forms.
    arabic = [shape("ar", n) for n in (1, 2, 3, 11)]
    assert len(set(arabic)) == 4, arabic


@pytest.mark.parametrize(("locale", "expected"), [
    ("nl", "Knooppunt Kansrijke Start, Prenataal huisbezoek JGZ en OZKS"),
    ("en", "Knooppunt Kansrijke Start, JGZ prenatal home visit and OZKS"),
    ("ar", "JGZ وOZKS"),
])
async def test_several_answers_are_joined_as_the_language_joins_a_list(
        runtime: Runtime, locale: str, expected: str) -> None:
    field = runtime.env.form.field("aanmelding_voor")
    shown = unisolated(plain_text(str(display(
        PageReader(runtime.env, locale), field, ["knooppunt", "prenataal_huisbezoek", "ozks"]))))
    assert expected in shown
    assert ";" not in shown and "؛" not in shown
