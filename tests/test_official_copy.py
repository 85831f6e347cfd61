"""The official copy: the handbook's three cases, walked through the core, rendered to PDF
and read back; every filled-in answer must be on paper, in Dutch, in the form's order."""

from __future__ import annotations

import asyncio
import io
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from conversations.aanmeldformulier import AANMELDFORMULIER
from conversations.schema import Field, Group, Kind
from kks_bot.clock import FrozenClock
from kks_bot.delivery.official_copy import (
    CONFIDENTIAL,
    FontNotFoundError,
    find_fonts,
    format_submitted,
    format_value,
    render_pdf,
)
from kks_bot.directory import Directory
from kks_bot.forms.parsers import format_phone
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import CASES, SOPHIE, TIM_ESMEE, Case
from .walking import fill_form, make_profile, registrations

try:
    find_fonts()
except FontNotFoundError as exc:  # pragma: no cover - the font is a system package
    pytest.skip(f"no font for the official copy: {exc}", allow_module_level=True)

DIRECTORY = Directory.shipped()
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
# What each case's copy must say, written out by hand (independent of the renderer).
SPOT_CHECKS: dict[str, list[str]] = {
    "Sophie": ["Sophie Jansen", "12 maart 2001", "6411 AB", "06 12345678", "Heerlen",
               "15 februari 2027", "Mark Peters", "Kraamzorg De Wieg", "kraamzorg",
               "samenwonend", "MBO 2-4", "relatieproblemen", "045 571 2345",
               "Woongemeente gezin Heerlen", "Zwanger ja", "Partner in beeld ja",
               "Overige kinderen —", "E-mailadres —", "Huisarts —",
               "Professionele tolk gewenst nee", "Hulpverlener 1",
               "Dit lijkt te passen bij het Knooppunt Kansrijke Start.",
               "een stapeling van 4 kwetsbaarheden", "1 beschermende factor"],
    "Lisa": ["Lisa Smeets", "3 mei 1998", "6461 CD", "06 23456789", "lisa.smeets@example.nl",
             "Woongemeente gezin Kerkrade", "Zwanger nee", "Partner in beeld nee",
             "eenoudergezin (moeder)", "Kind 1", "Noah", "20 mei 2026", "jongen",
             "Inwonend ja", "JGZ Zuid-Limburg", "youth health nurse", "alleenstaande moeder",
             "045 535 1234", "niet gevraagd", "Zelf aanwezig bij overleg nee"],
    "Tim en Esmee": ["Esmee Claessen", "22 juli 2007", "6371 XB", "Landgraaf",
                     "Woongemeente gezin Landgraaf", "Tim Hendriks", "5 september 2007",
                     "06 87654321", "06 12345678", "1 februari 2027", "spoed",
                     "Prenataal huisbezoek JGZ", "VoorZorg Zuid-Limburg",
                     "tienerzwangerschap", "steun van sociaal netwerk",
                     "Huisbezoek VoorZorg: spanningen thuis door woonsituatie.",
                     "سارة بن علي"],
}

# Rendered copies, so that the picture test need not walk a case again.
_RENDERED: dict[str, tuple[dict[str, Any], bytes]] = {}


async def _register(case: Case, runtime: Runtime, chat_factory: Any) -> dict[str, Any]:
    chat: Chat = chat_factory(language_code=case.language)
    await make_profile(chat, case)
    await fill_form(chat, case)
    await press_action(chat, "submit")
    stored = await registrations(runtime)
    assert len(stored) == 1
    return stored[0]


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _text(pdf: bytes) -> tuple[str, list[str]]:
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    return _normal(" ".join(pages)), pages


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _expected(fld: Field, value: Any) -> list[str]:
    """The texts a filled-in answer must show as, derived without the renderer."""
    if fld.kind is Kind.DATE:
        day = date.fromisoformat(value)
        return [f"{day.day} {MONTHS[day.month - 1]} {day.year}"]
    if fld.kind is Kind.PHONE:
        return [format_phone(value)]
    if fld.kind is Kind.CHOICE:
        option = fld.option(value)
        assert option is not None, (fld.key, value)
        return [option.label]
    if fld.kind is Kind.MULTI:
        return [o.label for o in fld.options if o.id in value]
    if fld.kind is Kind.YESNO:
        return [f"{fld.label} {'ja' if value else 'nee'}"]
    if fld.kind is Kind.GEMEENTE:
        municipality = DIRECTORY.get(value)
        assert municipality is not None
        return [f"{fld.label} {municipality.name}"]
    for option in fld.suggestions:
        if option.id == value:
            return [option.label]
    return [str(value)]


def _filled(answers: dict[str, Any]) -> list[tuple[Field, Any]]:
    """Every applicable, filled-in field of the form, group items included."""
    found: list[tuple[Field, Any]] = []
    for _, item in AANMELDFORMULIER.items():
        if not item.applies(answers):
            continue
        if isinstance(item, Group):
            for entry in answers.get(item.key) or []:
                found += [(sub, entry[sub.key]) for sub in item.fields
                          if sub.applies(entry) and entry.get(sub.key) not in (None, "", [])]
        elif answers.get(item.key) not in (None, "", []):
            found.append((item, answers[item.key]))
    return found


_WORD = re.compile(r"[^\W\d_]+|\d+")  # runs of letters, runs of digits


def _assert_shown(text: str, expected: str) -> None:
    expected = _normal(expected)
    if not _rtl(expected):
        assert expected in text, expected
        return
    # Extractors order mixed right-to-left runs (digits, brackets) by heuristics, so an
    # Arabic answer is checked word by word; the picture test checks the shaping itself.
    words = set(_WORD.findall(text))
    for word in _WORD.findall(expected):
        assert word in words, (word, expected)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_official_copy_shows_every_answer(case: Case, runtime: Runtime, chat_factory: Any,
                                                clock: FrozenClock) -> None:
    registration = await _register(case, runtime, chat_factory)
    answers = registration["answers"]
    pdf = render_pdf(answers, reference=registration["reference"], submitted_at=clock.now())
    _RENDERED[case.name] = (answers, pdf)
    assert pdf.startswith(b"%PDF-")
    text, pages = _text(pdf)

    assert "Aanmeldformulier Knooppunt Kansrijke Start" in text
    assert "Referentie KKS-2026-0001" in text
    assert "23 november 2026, 10:30" in text  # 09:30 UTC is 10:30 in Amsterdam
    filled = _filled(answers)
    assert len(filled) >= 30
    for fld, value in filled:
        for expected in _expected(fld, value):
            _assert_shown(text, expected)
    _assert_shown(text, answers["hulpvraag"])
    for expected in SPOT_CHECKS[case.name]:
        _assert_shown(text, expected)

    # Sections in the form's order, each with its number.
    positions = [text.index(f"{n}. {s.title}")
                 for n, s in enumerate(AANMELDFORMULIER.sections, start=1)]
    assert positions == sorted(positions)
    assert text.index("Advies") > positions[-1]
    # The footer on every page.
    for number, page in enumerate(pages, start=1):
        assert CONFIDENTIAL in _normal(page), number
        assert f"pagina {number} van {len(pages)}" in _normal(page), number
    # No option ids or ISO dates leak through.
    assert "2001-03-12" not in text and "+316" not in text and "GM0" not in text


async def test_official_copy_page_as_picture(runtime: Runtime, chat_factory: Any,
                                             clock: FrozenClock, tmp_path: Path) -> None:
    """Render the Arabic case's pages to PNG (poppler's pdftoppm), for a person to look at."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (Debian: poppler-utils) is not installed")
    if TIM_ESMEE.name not in _RENDERED:
        registration = await _register(TIM_ESMEE, runtime, chat_factory)
        _RENDERED[TIM_ESMEE.name] = (registration["answers"], render_pdf(
            registration["answers"], reference=registration["reference"],
            submitted_at=clock.now()))
    _, pdf = _RENDERED[TIM_ESMEE.name]
    pictures = await asyncio.to_thread(_to_png, pdftoppm, pdf, tmp_path)
    assert len(pictures) == len(PdfReader(io.BytesIO(pdf)).pages)
    from PIL import Image  # Pillow comes with fpdf2

    with Image.open(pictures[0]) as image:
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
        assert image.convert("L").getextrema()[0] < 64  # there is dark text on the page


def _to_png(pdftoppm: str, pdf: bytes, folder: Path) -> list[Path]:
    source = folder / "official-copy.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm, "-r", "80", "-png", str(source), str(folder / "page")],
                   check=True, timeout=30)
    return sorted(folder.glob("page-*.png"))


def test_values_in_dutch() -> None:
    form = AANMELDFORMULIER
    assert format_value(form.field("zwanger"), True, DIRECTORY) == "ja"
    assert format_value(form.field("zwanger"), False, DIRECTORY) == "nee"
    assert format_value(form.field("moeder_geboortedatum"), "2001-03-12", DIRECTORY) \
        == "12 maart 2001"
    assert format_value(form.field("moeder_telefoon"), "+31612345678", DIRECTORY) \
        == "06 12345678"
    assert format_value(form.field("moeder_telefoon"), "+32470123456", DIRECTORY) \
        == "+32 470 12 34 56"
    assert format_value(form.field("spoed"), "kan_wachten", DIRECTORY) == "kan wachten"
    assert format_value(form.field("kwetsbaarheden"), ["financien", "stress"], DIRECTORY) \
        == "• financiële problematiek / schulden\n• stress / overbelasting"
    assert format_value(form.field("gemeente"), "GM0917", DIRECTORY) == "Heerlen"
    assert format_value(form.field("gemeente"), "anders:Aken", DIRECTORY) == "Aken"
    assert format_value(form.field("moeder_spreektaal"), "Arabisch", DIRECTORY) == "Arabisch"
    assert format_value(form.field("moeder_email"), None, DIRECTORY) == "—"
    assert format_value(form.field("urgente_kwetsbaarheden"), [], DIRECTORY) == "—"
    assert format_value(form.field("moeder_hoeveelste_kind"), 2, DIRECTORY) == "2"


def test_long_texts_wrap_and_break_across_pages() -> None:
    """A 2,000-character hulpvraag wraps; many short lines break over pages, none lost."""
    answers = dict(SOPHIE.expect)
    sentence = "Moeder heeft hulp nodig bij haar dag, het huishouden en geldzorgen. "
    answers["hulpvraag"] = (sentence * 40)[:2000]
    answers["eerdere_bevindingen"] = "\n".join(f"bevinding {n}" for n in range(1, 61))
    answers["gemeente"] = "anders:Aken"
    answers["kinderen"] = [{"naam": f"Kind{n}", "geboortedatum": "2020-01-01"} for n in range(4)]
    pdf = render_pdf(answers, reference="KKS-2026-0042",
                     submitted_at=datetime(2026, 11, 23, 9, 30))  # naive: taken as UTC
    text, pages = _text(pdf)
    assert len(pages) >= 3
    assert max(len(page.splitlines()) for page in pages) < 100
    assert _normal(answers["hulpvraag"]) in text
    for n in range(1, 61):
        assert f"bevinding {n} " in text + " ", n
    assert "Woongemeente gezin Aken" in text
    assert "Kind 4" in text and "Kind3" in text
    assert "23 november 2026, 10:30" in text
    for number, page in enumerate(pages, start=1):
        assert f"pagina {number} van {len(pages)}" in _normal(page)


def test_submission_time_in_amsterdam() -> None:
    assert format_submitted(datetime(2026, 7, 1, 22, 5, tzinfo=UTC)) == "2 juli 2026, 00:05"
    assert format_submitted(datetime(2026, 11, 23, 9, 30, tzinfo=UTC)) \
        == "23 november 2026, 10:30"
    assert format_submitted(datetime(2026, 11, 23, 9, 30)) == "23 november 2026, 10:30"


def test_missing_font_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="fonts-dejavu-core"):
        render_pdf({}, reference="KKS-2026-0003", submitted_at=datetime.now(UTC),
                   font_dir=tmp_path)


def test_characters_without_a_glyph_are_marked_not_dropped() -> None:
    answers = dict(SOPHIE.expect)
    answers["hulpvraag"] = "Baby 👶 komt eraan; Ελληνικά, Привет, Tiếng Việt, 中文."
    text, _ = _text(render_pdf(answers, reference="KKS-2026-0004",
                               submitted_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC)))
    assert "Baby \ufffd komt eraan; Ελληνικά, Привет, Tiếng Việt, \ufffd\ufffd." in text
