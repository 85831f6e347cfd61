"""The official copy: a PDF of a complete registration, laid out like the paper form.

Dutch, A4, one section after another in form order, each a two-column table of
label and value for every applicable field. Text the professional typed may be
in any script (an Arabic name, an Arabic hulpvraag), so the PDF embeds a Unicode
TrueType font that covers Latin and Arabic (DejaVu Sans, Debian's
``fonts-dejavu-core``) and shapes text with HarfBuzz (fpdf2's text shaping,
through ``uharfbuzz``): Arabic letters take their joined forms and run right to
left. Labels are the Dutch source strings of the form definition themselves.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace, TTFFont

from conversations.aanmeldformulier import AANMELDFORMULIER
from conversations.schema import Field, Form, Group, Kind, Section

from ..directory import Directory, gemeente_label
from ..forms import parsers
from ..triage import Advice, Reason, advise

__all__ = [
    "CONFIDENTIAL",
    "FONT_DIRS",
    "FontNotFoundError",
    "OfficialCopyError",
    "find_fonts",
    "format_value",
    "needs_shaping",
    "render_pdf",
]

LOCALE: Final = "nl"
TIMEZONE: Final = ZoneInfo("Europe/Amsterdam")
EMPTY: Final = "—"
REPLACEMENT: Final = "\ufffd"  # shown for a character the font has no glyph for
CONFIDENTIAL: Final = "Vertrouwelijk — bevat bijzondere persoonsgegevens"
ADVICE_TITLE: Final = "Advies (overleggen of aanmelden?)"
ADVICE_NOTE: Final = "Dit is een advies; de coördinator beslist."

# Where DejaVu Sans is looked for: Debian's fonts-dejavu-core, then other usual places.
FONT_DIRS: Final = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
FONT_REGULAR: Final = "DejaVuSans.ttf"
FONT_BOLD: Final = "DejaVuSans-Bold.ttf"
FAMILY: Final = "dejavu"

# Layout, in millimetres and points.
MARGIN: Final = 18.0
LABEL_SHARE: Final = 0.36
BODY_SIZE: Final = 9.5
LINE_HEIGHT: Final = 5.0
PADDING: Final = (1.2, 1.5)  # vertical, horizontal
# A table row never breaks across pages, so a long value (the hulpvraag, at most
# 2,000 characters, maybe many short lines) taller than MAX_ROW_LINES is cut into rows
# of CHUNK_LINES lines.
MAX_ROW_LINES: Final = 36
CHUNK_LINES: Final = 12
TEXT: Final = (20, 20, 20)
MUTED: Final = (95, 95, 95)
RULE: Final = (170, 170, 170)
SECTION_FILL: Final = (226, 234, 242)
ITEM_FILL: Final = (242, 242, 242)


class OfficialCopyError(RuntimeError):
    """The official copy could not be rendered."""


class FontNotFoundError(OfficialCopyError):
    """The Unicode font the official copy embeds is not installed."""


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path


def find_fonts(font_dir: Path | None = None) -> Fonts:
    """DejaVu Sans (regular and bold), from ``font_dir`` or the usual font folders."""
    dirs = (font_dir,) if font_dir is not None else FONT_DIRS
    for folder in dirs:
        regular, bold = folder / FONT_REGULAR, folder / FONT_BOLD
        if regular.is_file() and bold.is_file():
            return Fonts(regular, bold)
    raise FontNotFoundError(
        f"{FONT_REGULAR} and {FONT_BOLD} not found in "
        + ", ".join(str(d) for d in dirs)
        + " (on Debian: apt-get install fonts-dejavu-core)"
    )


# --- values -------------------------------------------------------------------------------------


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def format_long_date(value: date) -> str:
    """``12 maart 2001``."""
    return format_date(value, format="long", locale=LOCALE)


def format_submitted(when: datetime) -> str:
    """``23 november 2026, 10:30`` in Dutch time; a naive datetime is taken as UTC."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return format_datetime(when, "d MMMM y, HH:mm", tzinfo=TIMEZONE, locale=LOCALE)


def format_value(fld: Field, value: object, directory: Directory) -> str:
    """A stored answer as the official copy shows it, in Dutch."""
    if _empty(value):
        return EMPTY
    if fld.kind is Kind.YESNO:
        return "ja" if value else "nee"
    if fld.kind is Kind.CHOICE:
        option = fld.option(value)
        return option.label if option else str(value)
    if fld.kind is Kind.MULTI:
        chosen = value if isinstance(value, list) else [value]
        labels = [o.label for o in fld.options if o.id in chosen]
        known = {o.id for o in fld.options}
        labels += [str(v) for v in chosen if v not in known]
        return "\n".join(f"• {label}" for label in labels)
    if fld.kind is Kind.DATE:
        try:
            return format_long_date(date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if fld.kind is Kind.PHONE:
        try:
            return parsers.format_phone(str(value))
        except parsers.ParseError:
            return str(value)
    if fld.kind is Kind.GEMEENTE:
        return gemeente_label(value, directory) or str(value)
    for option in fld.suggestions:
        if option.id == value:
            return option.label
    return str(value)


def reason_text(reason: Reason) -> str:
    """A triage reason in Dutch, singular or plural by its count."""
    if isinstance(reason.message, tuple):
        singular, plural = reason.message
        return (singular if reason.n == 1 else plural).format(n=reason.n)
    return reason.message


def needs_shaping(text: str) -> bool:
    """Whether text has characters that only a shaping engine lays out right.

    Arabic joins its letters and runs right to left, other scripts combine marks;
    Latin text (with its accents, dashes and bullets) is laid out glyph by glyph.
    Shaping is slow in fpdf2's line breaking, so it is only switched on when needed.
    """
    # Latin (up to the spacing modifiers), general punctuation and currency signs need none.
    return any(ord(char) > 0x2FF and not 0x2000 <= ord(char) <= 0x20CF for char in text)


def _is_rtl(text: str) -> bool:
    """Whether the text's first strongly directed character is right-to-left."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


# --- the document -------------------------------------------------------------------------------


class _OfficialCopy(FPDF):
    """A4 portrait with the confidentiality footer and page numbers on every page."""

    def __init__(self, fonts: Fonts, reference: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.reference = reference
        self.add_font(FAMILY, "", str(fonts.regular))
        self.add_font(FAMILY, "B", str(fonts.bold))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        # The total is filled in when the document is closed, left-aligned in the space
        # that "{nb}" reserves; the page number is centred, so the slack does not show.
        self.alias_nb_pages("{nb}", align="L")

    def footer(self) -> None:
        self.set_y(-MARGIN + 2)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        y = self.get_y() + 1
        self.set_xy(self.l_margin, y)
        self.cell(0, 4, CONFIDENTIAL, align="L")
        self.set_xy(self.l_margin, y)
        self.cell(0, 4, f"pagina {self.page_no()} van {{nb}}", align="C")
        self.set_xy(self.l_margin, y)
        self.cell(0, 4, self.reference, align="R")
        self.set_text_color(*TEXT)

    @property
    def content_width(self) -> float:
        return float(self.w - self.l_margin - self.r_margin)

    def printable(self, text: str) -> str:
        """``text`` with every character the font lacks (emoji, CJK, ...) shown as U+FFFD.

        fpdf2 would leave such characters out without a trace; on an official copy a
        reader must see that something stood there. Invisible format characters (joiners,
        variation selectors) the font lacks are dropped.
        """
        font = self.fonts[FAMILY]
        assert isinstance(font, TTFFont)
        cmap = font.cmap
        if all(ord(char) in cmap or char in "\n\t" for char in text):
            return text
        out: list[str] = []
        for char in text:
            if ord(char) in cmap or char in "\n\t":
                out.append(char)
            elif unicodedata.category(char) not in ("Cf", "Mn", "Cc"):
                out.append(REPLACEMENT)
        return "".join(out)


@dataclass(frozen=True)
class _Row:
    label: str
    value: str
    heading: bool = False  # a group item's title ("Kind 1"), across both columns


def _section_rows(section: Section, answers: Mapping[str, Any],
                  directory: Directory) -> list[_Row]:
    rows: list[_Row] = []
    plain = dict(answers)
    for item in section.items:
        if not item.applies(plain):
            continue
        if isinstance(item, Group):
            rows.extend(_group_rows(item, answers.get(item.key), directory))
        else:
            rows.append(_Row(item.label, format_value(item, answers.get(item.key), directory)))
    return rows


def _group_rows(group: Group, value: object, directory: Directory) -> list[_Row]:
    entries = [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []
    if not entries:
        return [_Row(group.label, EMPTY)]
    rows: list[_Row] = []
    for number, entry in enumerate(entries, start=1):
        rows.append(_Row(group.item_label.format(n=number), "", heading=True))
        for sub in group.fields:
            if sub.applies(entry):
                rows.append(_Row(sub.label, format_value(sub, entry.get(sub.key), directory)))
    return rows


def _heading(pdf: _OfficialCopy, text: str, keep: float = LINE_HEIGHT * 3) -> None:
    """A section title, on a new page unless ``keep`` mm of what follows fit under it."""
    if pdf.will_page_break(3 + 7 + 1 + keep):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 11)
    pdf.set_fill_color(*SECTION_FILL)
    pdf.multi_cell(0, 7, text, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT, padding=(0, 2))
    pdf.set_fill_color(255, 255, 255)
    pdf.ln(1)


def _value_width(pdf: _OfficialCopy) -> float:
    return pdf.content_width * (1 - LABEL_SHARE) - 2 * PADDING[1]


def _lines(pdf: _OfficialCopy, text: str, width: float) -> list[str]:
    lines = pdf.multi_cell(width, LINE_HEIGHT, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return [str(line) for line in lines]


def _row_height(pdf: _OfficialCopy, row: _Row) -> float:
    if row.heading:
        count = 1
    else:
        count = max(len(_lines(pdf, row.label, pdf.content_width * LABEL_SHARE - 2 * PADDING[1])),
                    len(_lines(pdf, row.value, _value_width(pdf))))
    return count * LINE_HEIGHT + 2 * PADDING[0]


def _split_long(pdf: _OfficialCopy, rows: Sequence[_Row]) -> list[_Row]:
    """Cut a value too tall for one page into rows of CHUNK_LINES lines."""
    result: list[_Row] = []
    for row in rows:
        if row.heading or (len(row.value) < 1000 and row.value.count("\n") < MAX_ROW_LINES // 2):
            result.append(row)
            continue
        lines = _lines(pdf, row.value, _value_width(pdf))
        if len(lines) <= MAX_ROW_LINES:
            result.append(row)
            continue
        for start in range(0, len(lines), CHUNK_LINES):
            chunk = "\n".join(lines[start:start + CHUNK_LINES])
            result.append(_Row(row.label if start == 0 else "", chunk))
    return result


def _section(pdf: _OfficialCopy, title: str, rows: Sequence[_Row]) -> None:
    """A titled table; the title stays with the table's first row (and an item's title)."""
    pdf.set_font(FAMILY, "", BODY_SIZE)
    rows = _split_long(pdf, rows)
    first = rows[:2] if rows and rows[0].heading else rows[:1]
    _heading(pdf, title, sum(_row_height(pdf, row) for row in first))
    _table(pdf, rows)


def _table(pdf: _OfficialCopy, rows: Sequence[_Row]) -> None:
    pdf.set_font(FAMILY, "", BODY_SIZE)
    pdf.set_draw_color(*RULE)
    pdf.set_fill_color(255, 255, 255)
    label_style = FontFace(color=MUTED)
    item_style = FontFace(emphasis="BOLD", fill_color=ITEM_FILL)
    with pdf.table(
        col_widths=(LABEL_SHARE, 1 - LABEL_SHARE),
        width=pdf.content_width,
        first_row_as_headings=False,
        borders_layout=TableBordersLayout.HORIZONTAL_LINES,
        text_align="LEFT",
        v_align="TOP",
        line_height=LINE_HEIGHT,
        padding=PADDING,
    ) as table:
        for row in rows:
            cells = table.row()
            if row.heading:
                cells.cell(row.label, colspan=2, style=item_style)
                continue
            cells.cell(row.label, style=label_style)
            cells.cell(row.value, align="RIGHT" if _is_rtl(row.value) else "LEFT")


def _advice(pdf: _OfficialCopy, advice: Advice) -> None:
    _heading(pdf, ADVICE_TITLE)
    pdf.set_font(FAMILY, "", BODY_SIZE)
    pdf.multi_cell(0, LINE_HEIGHT, advice.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    for reason in advice.reasons:
        pdf.set_x(pdf.l_margin + 4)
        pdf.multi_cell(0, LINE_HEIGHT, f"• {reason_text(reason)}",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, LINE_HEIGHT, ADVICE_NOTE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT)


def render_pdf(
    answers: Mapping[str, Any],
    *,
    reference: str,
    submitted_at: datetime,
    form: Form = AANMELDFORMULIER,
    directory: Directory | None = None,
    font_dir: Path | None = None,
    advice: bool = True,
    date_label: str = "Ingediend op",
) -> bytes:
    """The official copy of a submitted registration, as PDF bytes.

    ``answers`` are the stored answers (ISO dates, option ids, lists of ids,
    booleans, groups as lists of dicts, ``None`` for skipped). Raises
    :class:`FontNotFoundError` when DejaVu Sans is not installed.
    """
    directory = directory if directory is not None else Directory.shipped()
    fonts = find_fonts(font_dir)
    pdf = _OfficialCopy(fonts, reference)
    sections = [
        (f"{number}. {section.title}",
         [_Row(pdf.printable(row.label), pdf.printable(row.value), row.heading)
          for row in _section_rows(section, answers, directory)])
        for number, section in enumerate(form.sections, start=1)
    ]
    if any(needs_shaping(row.label + row.value) for _, rows in sections for row in rows) \
            or needs_shaping(reference):
        pdf.set_text_shaping(True)
    pdf.set_title(f"{form.title} {reference}")
    pdf.set_subject(f"{form.title} {reference}")
    pdf.set_creator("KKS-bot")
    pdf.set_lang(LOCALE)
    when = submitted_at if submitted_at.tzinfo is not None else submitted_at.replace(tzinfo=UTC)
    pdf.set_creation_date(when)
    pdf.add_page()
    pdf.set_text_color(*TEXT)

    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, form.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    _table(pdf, [_Row("Referentie", reference),
                 _Row(date_label, format_submitted(submitted_at))])

    for title, rows in sections:
        _section(pdf, title, rows)

    if advice:
        _advice(pdf, advise(answers))
    return bytes(pdf.output())
