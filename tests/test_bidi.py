"""Arabic reads right to left without turning a single number, phone number, postcode,
reference or Latin name around.

Every Arabic catalogue message is rendered with representative values and laid out by
python-bidi (the Unicode bidi algorithm, paragraph by paragraph, the direction taken
from the first strong letter as Telegram's clients do). Each left-to-right run of the
logical text - "0800-2000", "+31", "06 12345678", "6371 XB", "KKS-2026-0001",
"Esmee de Vries" - must appear unchanged in what the reader sees.
"""

from __future__ import annotations

from string import Formatter

import pytest
from babel.messages.pofile import read_po

from kks_bot.i18n import LOCALES_DIR, Translator
from kks_bot.text import labelled, plain_text
from tests.support.bidi import turned_runs, visual

# Representative values for placeholders (by name); anything else is a Latin name.
SAMPLES: dict[str, object] = {
    "n": 3, "days": 14, "hours": 48, "count": 2, "number": 12, "minimum": 1, "maximum": 30,
    "limit": 8, "age": 17, "min_age": 12, "max_age": 99, "years": 2, "max_weeks": 42,
    "letters": 3, "length": 400, "row": 2, "id": 123456789, "day": 12, "month": 3,
    "year": 1998, "reference": "KKS-2026-0001", "postcode": "6371 XB",
    "date": "12 مارس 1998", "when": "7 ديسمبر 2026، 10:30", "expires": "7 ديسمبر 2026",
    "started": "7 ديسمبر 2026، 10:30", "gemeente": "Landgraaf", "place": "Landgraaf",
    "person": "Esmee de Vries", "name": "Esmee de Vries", "names": "Esmee de Vries، Tim Jansen",
    "user": "Esmee de Vries", "username": "esmee_dv", "command": "/start",
}


def arabic_messages() -> list[tuple[str, str, bool]]:
    """(msgid, the form to render, whether it is a plural form) for every Arabic entry."""
    with (LOCALES_DIR / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="ar")
    out = []
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            out.append((message.id[0], message.id[1], True))
        else:
            out.append((message.id, message.id, False))
    return out


def render(tr: Translator, msgid: str, plural: str, is_plural: bool) -> list[str]:
    names = {field for _, field, _, _ in Formatter().parse(plural) if field}
    values = {name: SAMPLES.get(name, "Esmee de Vries") for name in names}
    if is_plural:
        return [str(tr.tn("ar", (msgid, plural), n, **{k: v for k, v in values.items()
                                                      if k != "n"}))
                for n in (0, 1, 2, 3, 11, 100)]
    return [str(tr.t("ar", msgid, **values))]


def test_the_checker_sees_a_turned_phone_number() -> None:
    assert turned_runs("اتصل بـ Veilig Thuis على 0800-2000 الآن") == ["0800-2000"]
    assert turned_runs("اتصل على \u20680800-2000\u2069 الآن") == []
    assert turned_runs("رقم الهاتف: 06 12345678") == ["06 12345678"]
    assert turned_runs("الرمز البريدي: 6371 XB") == ["6371 XB"]
    assert turned_runs("هولندا +31") == ["+31"]


def test_every_arabic_message_keeps_numbers_and_names_in_order() -> None:
    tr = Translator()
    failures = []
    for msgid, plural, is_plural in arabic_messages():
        for text in render(tr, msgid, plural, is_plural):
            turned = turned_runs(plain_text(text))
            if turned:
                failures.append(f"{msgid[:50]!r}: {turned}")
    assert failures == [], f"{len(failures)} messages:\n" + "\n".join(failures)


@pytest.mark.parametrize(("label", "value"), [
    ("رقم الهاتف", "06 12345678"), ("الرمز البريدي", "6371 XB"), ("الاسم", "Esmee de Vries"),
    ("رقم الملف", "KKS-2026-0001"), ("Telefoon", "+31 6 12345678")])
def test_a_value_after_its_label_is_shown_in_its_own_order(label: str, value: str) -> None:
    """The profile, the review and the coordinator's view show "label: value" lines."""
    line = plain_text(str(labelled(label, value)))
    assert turned_runs(line) == []
    assert value in visual(line)[0]
