"""The factsheet as a PDF, laid out like the 2022 factsheet of the Zuid-Limburg
Knooppunten: title, period, N, each table with its bars, the days, and the rule.

fpdf2 with DejaVu Sans (the font of the official copy) and HarfBuzz shaping, so Arabic
joins and runs right to left; in Arabic the layout is mirrored (labels on the right).
"""

from __future__ import annotations

from fpdf import FPDF

from ...delivery.official_copy import find_fonts
from ...i18n_markers import N_
from .compute import Factsheet
from .text import MULTI_NOTE, Words, cells

FAMILY = "dejavu"
MARGIN = 15.0
BLUE = (47, 111, 159)
GREY = (154, 167, 177)
LIGHT = (226, 234, 242)
TEXT = (32, 32, 32)
#: The sections in the order of the 2022 factsheet, and what N each is about.
SECTIONS = (
    ("RESULTS", ("gemeente", "maand", "uitkomst")),
    ("BACKGROUND", ("gezin", "opleiding")),
    ("PROFESSIONALS", ("functie", "bereik", "deelnemers")),
    ("CARE", ("hulpvragen", "ondersteuning", "evaluatie")),
)
HEADINGS = {
    "RESULTS": N_("Resultaten"),
    "BACKGROUND": N_("Achtergrondgegevens (N={n})"),
    "PROFESSIONALS": N_("Aanmelders en deelnemers (N={n})"),
    "CARE": N_("Hulpvragen en ondersteuning (N={n})"),
}
MULTI = ("deelnemers", "hulpvragen", "ondersteuning")


class Sheet(FPDF):
    def __init__(self, words: Words, rtl: bool) -> None:
        super().__init__(format="A4")
        fonts = find_fonts()
        self.add_font(FAMILY, "", str(fonts.regular))
        self.add_font(FAMILY, "B", str(fonts.bold))
        self.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.words, self.rtl = words, rtl
        self.align = "R" if rtl else "L"

    def line_of(self, text: str, size: float = 9.5, *, bold: bool = False,
                colour: tuple[int, int, int] = TEXT, height: float = 5.0) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, height, text, align=self.align, new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_fill_color(*BLUE)
        self.set_text_color(255, 255, 255)
        self.set_font(FAMILY, "B", 11)
        self.cell(0, 7, " " + text.upper() + " ", fill=True, align=self.align,
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def row(self, label: str, shown: list[str], values: list[int | None], top: int) -> None:
        """Label, the cells, and a bar per cell (none for a suppressed one)."""
        width = self.epw
        value_w, bar_w = 16.0, 52.0 if len(shown) == 1 else 30.0
        label_w = width - len(shown) * (value_w + bar_w)
        if self.will_page_break(5.5):
            self.add_page()
        y = self.get_y()
        self.set_font(FAMILY, "", 8.5)
        self.set_text_color(*TEXT)
        parts: list[tuple[str, float, str | None, int | None]] = [(label, label_w, None, None)]
        for text, value in zip(shown, values, strict=True):
            parts += [(text, value_w, "value", None), ("", bar_w, "bar", value)]
        if self.rtl:
            parts.reverse()
        x = self.l_margin
        for text, w, kind, value in parts:
            if kind == "bar":
                if value:
                    length = (w - 2) * value / max(top, 1)
                    self.set_fill_color(*BLUE)
                    start = x + w - 1 - length if self.rtl else x + 1
                    self.rect(start, y + 1.2, length, 3.1, style="F")
            else:
                self.set_xy(x, y)
                if kind == "value" and self.rtl:  # "<5" stays "<5", not mirrored
                    self.set_text_shaping(False)
                self.cell(w, 5.5, text, align="C" if kind == "value" else self.align)
                if kind == "value" and self.rtl:
                    self.set_text_shaping(True, direction="rtl")
            x += w
        self.set_draw_color(*LIGHT)
        self.line(self.l_margin, y + 5.5, self.l_margin + width, y + 5.5)
        self.set_xy(self.l_margin, y + 5.5)


def _table(pdf: Sheet, sheet: Factsheet, key: str) -> None:
    words, item = pdf.words, sheet.tables[key]
    pdf.line_of(words.title(key), 10, bold=True, height=6)
    if item.withheld:
        pdf.line_of(words(N_("Niet te tonen zonder een gezin herkenbaar te maken.")), 8.5,
                    colour=(90, 90, 90))
        return
    rows = cells(item, sheet.threshold)
    if key in MULTI:
        rows = [(r, s) for r, s in rows if any(item.cells[(r, c)].value for c in item.columns)]
    if len(item.columns) > 1:
        pdf.row("", [words.column(c) for c in item.columns], [None] * len(item.columns), 1)
    exact = [[cell.value if cell.shown(sheet.threshold) == str(cell.value) else None
              for cell in (item.cells[(r, c)] for c in item.columns)] for r, _ in rows]
    top = max([v for values in exact for v in values if v] or [1])
    for (row, shown), values in zip(rows, exact, strict=True):
        pdf.row(words.row(key, row), shown, values, top)
    if key in MULTI:
        pdf.line_of(words(MULTI_NOTE), 7.5, colour=(90, 90, 90), height=4)
    pdf.ln(2)


def render_sheet(sheet: Factsheet, words: Words, *, rtl: bool = False) -> bytes:
    """The factsheet PDF."""
    pdf = Sheet(words, rtl)
    pdf.set_title("Knooppunten Kansrijke Start")
    pdf.set_creator("KKS-bot")
    pdf.add_page()
    pdf.line_of("Knooppunten Kansrijke Start", 20, bold=True, colour=BLUE, height=9)
    pdf.line_of(words.places(sheet), 12, bold=True)
    pdf.line_of(words.period(sheet), 10.5)
    pdf.ln(1)
    pdf.line_of(words.headline(sheet), 10.5, bold=True)
    pdf.set_fill_color(*LIGHT)
    pdf.set_font(FAMILY, "", 8)
    pdf.multi_cell(0, 4.2, words.rule(sheet.threshold), fill=True, align=pdf.align,
                   new_x="LMARGIN", new_y="NEXT", padding=2)
    n = str(sheet.consented) if sheet.consented >= sheet.threshold else f"<{sheet.threshold}"
    for section, keys in SECTIONS:
        pdf.heading(words(HEADINGS[section], n=n))
        if sheet.too_small and section != "RESULTS":
            pdf.line_of(words.too_small(), 9)
            continue
        for key in keys:
            _table(pdf, sheet, key)
        if section == "CARE":
            for key, days in sheet.stats.items():
                pdf.line_of(words.stat(key, days, sheet.threshold), 9)
    return bytes(pdf.output())
