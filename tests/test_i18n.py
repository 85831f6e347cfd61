"""Every user-facing string in Dutch, English and Arabic, and sound in each."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po

from kks_bot.checks import catalogue_problems
from kks_bot.i18n import FSI, LOCALES_DIR, PDI, Translator, supported_locale, translator
from kks_bot.runtime import Runtime
from kks_bot.text import Markup
from scripts.i18n import compiled_copy
from tests.support.transcript import Chat

from .cases import TIM_ESMEE
from .walking import make_profile, walk_until

ROOT = Path(__file__).resolve().parent.parent


def test_catalogues_are_complete_and_sound() -> None:
    assert catalogue_problems() == []


def test_template_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "N_", "-k", "NP_:1,2", "--no-default-keywords", "-o", str(pot),
         "kks_bot", "conversations"],
        check=True, cwd=ROOT, capture_output=True)

    def ids(path: Path) -> set[object]:
        with path.open("rb") as handle:
            return {m.id if isinstance(m.id, str) else tuple(m.id)
                    for m in read_po(handle) if m.id}

    fresh, shipped = ids(pot), ids(LOCALES_DIR / "messages.pot")
    assert fresh - shipped == set(), "run: python scripts/i18n.py"
    assert shipped - fresh == set(), "run: python scripts/i18n.py"


def test_checker_catches_broken_catalogues(tmp_path: Path) -> None:
    for locale in ("nl", "en", "ar"):
        (tmp_path / locale / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "messages.pot").write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Hallo {name}"\nmsgstr ""\n\n'
        'msgid "{n} dag"\nmsgid_plural "{n} dagen"\nmsgstr[0] ""\nmsgstr[1] ""\n',
        encoding="utf-8")
    header = 'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals={n}; plural={e};\\n"\n\n'
    (tmp_path / "nl/LC_MESSAGES/messages.po").write_text(
        header.format(n=2, e="(n != 1)") + 'msgid "Hallo {name}"\nmsgstr "Hallo {naam}"\n',
        encoding="utf-8")
    (tmp_path / "en/LC_MESSAGES/messages.po").write_text(
        header.format(n=2, e="(n != 1)") + '#, fuzzy\nmsgid "Hallo {name}"\nmsgstr "Hi {name}"\n'
        'msgid "{n} dag"\nmsgid_plural "{n} dagen"\nmsgstr[0] "{n} day"\nmsgstr[1] ""\n',
        encoding="utf-8")
    (tmp_path / "ar/LC_MESSAGES/messages.po").write_text(
        header.format(n=6, e="(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
                                 "n%100>=11 ? 4 : 5)")
        + 'msgid "Hallo {name}"\nmsgstr "{name} مرحبا"\n'
        'msgid "{n} dag"\nmsgid_plural "{n} dagen"\nmsgstr[0] "يوم"\nmsgstr[1] "يوم"\n',
        encoding="utf-8")
    problems = "\n".join(catalogue_problems(tmp_path))
    assert "nl: 'Hallo {name}': placeholders differ" in problems
    assert "nl: '{n} dag': missing" in problems
    assert "en: 'Hallo {name}': fuzzy" in problems
    assert "en: '{n} dag': untranslated" in problems
    assert "ar: 'Hallo {name}': starts with a placeholder" in problems
    assert "ar: '{n} dag': 2 plural forms, needs 6" in problems


def test_arabic_plurals_use_all_six_forms() -> None:
    tr = translator()
    forms = ("Je hebt {n} open concept.", "Je hebt {n} open concepten.")
    rendered = {n: tr.tn("ar", forms, n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(rendered.values())) == 6, rendered
    assert tr.tn("en", forms, 1) != tr.tn("en", forms, 2)


def test_arabic_inserts_are_isolated_and_html_safe() -> None:
    tr = Translator()
    text = tr.t("ar", "Kenmerk: {reference}", reference="KKS-2026-0001")
    assert f"{FSI}KKS-2026-0001{PDI}" in text
    assert not text.startswith(FSI)
    escaped = tr.t("nl", "Kenmerk: {reference}", reference="<script>")
    assert "&lt;script&gt;" in escaped
    assert "<b>" in tr.t("nl", "Kenmerk: {reference}", reference=Markup("<b>x</b>"))
    # A translation with a bare "&" or "<" cannot break Telegram's HTML mode.
    assert tr.t("nl", "Drugs & alcohol <5") == "Drugs &amp; alcohol &lt;5"
    assert tr.t("nl", "<b>Vet</b> & <i>schuin</i>") == "<b>Vet</b> &amp; <i>schuin</i>"


def test_dates_are_formatted_per_locale() -> None:
    tr = translator()
    day = date(2026, 12, 7)
    assert tr.format_date("nl", day) == "7 december 2026"
    assert tr.format_date("en", day) == "7 December 2026"
    assert "ديسمبر" in tr.format_date("ar", day)


def test_language_follows_the_telegram_client() -> None:
    assert supported_locale("en-GB") == "en"
    assert supported_locale("ar") == "ar"
    assert supported_locale("de") == "nl"
    assert supported_locale(None) == "nl"


async def test_arabic_walk_isolates_names_and_numbers(runtime: Runtime, chat_factory) -> None:
    chat: Chat = chat_factory(language_code="ar")
    await make_profile(chat, TIM_ESMEE)
    await walk_until(chat, TIM_ESMEE, "f:moeder_geboortedatum", runtime)
    await chat.send("/help")
    said = chat.shown()
    assert f"{FSI}3{PDI}" in said  # "part 3 of 8" with isolated numbers
    assert "Deel" not in said  # no Dutch left in an Arabic screen


async def test_typed_bidi_controls_are_stripped_and_every_value_is_isolated(
        runtime: Runtime, chat_factory) -> None:
    """A name typed with a right-to-left override (U+202E) would turn the rest of every
    message it is shown in around; the bot drops such controls from everything typed and
    isolates each inserted value, in Dutch as in Arabic."""
    chat: Chat = chat_factory()
    await chat.send("/start")
    await chat.send("Praktijk \u202eNoord\u202c")  # organisation, with an override
    said = chat.shown()
    async with runtime.sessions() as session:
        from kks_bot.db.models import Conversation

        conversation = await session.get(Conversation, chat.user_id)
        assert conversation is not None
        state = runtime.cipher.open_json(conversation.state_sealed or "",
                                         f"conversation:{chat.user_id}")
    assert "\u202e" not in str(state) and "\u202c" not in str(state)
    assert "Praktijk Noord" in str(state)
    assert "\u202e" not in said
    dutch = Translator().t("nl", "Gemeente: {name}", name="القاهرة")
    assert dutch == f"Gemeente: {FSI}القاهرة{PDI}"


def test_arabic_word_choices_follow_the_glossary() -> None:
    """Words that read wrong to Arabic-speaking families (issue 17): "سوابق" reads as a
    criminal record, "صحة الشباب" as the health of 15-30-year-olds, "العلاقة الزوجية" narrows
    relationship problems to marriage; POH has one rendering."""
    with (LOCALES_DIR / "ar" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        texts = [s for m in read_po(handle, locale="ar") if m.id
                 for s in ([m.string] if isinstance(m.string, str) else m.string)]
    everything = "\n".join(texts)
    for wrong in ("سوابق", "العلاقة الزوجية", "إذن الدعوة", "ممرض الممارسة", "صحة الشباب"):
        assert wrong not in everything, wrong
    assert "ممرضة صحة الأطفال والشباب (JGZ)" in everything
    assert {t for t in texts if "(POH)" in t and "ممرض" in t} \
        == {t for t in texts if "ممرض العيادة (POH)" in t}


def test_compiled_catalogues_say_what_the_po_files_say(tmp_path: Path) -> None:
    """The image reads compiled .mo files (scripts/i18n.py compile), the checkout the .po
    files: every message, singular and plural forms, comes out the same in each language."""
    from_po, from_mo = Translator(LOCALES_DIR), Translator(compiled_copy(tmp_path))
    with (LOCALES_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        ids = [m.id for m in read_po(handle) if m.id]
    assert len(ids) > 300
    for locale in ("nl", "en", "ar"):
        for message_id in ids:
            if isinstance(message_id, tuple):
                for n in (0, 1, 2, 3, 11, 100):
                    assert from_mo.ngettext(locale, *message_id[:2], n) == \
                        from_po.ngettext(locale, *message_id[:2], n)
            else:
                assert from_mo.gettext(locale, message_id) == \
                    from_po.gettext(locale, message_id)
