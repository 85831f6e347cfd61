"""Bar charts of the factsheet (PNG), drawn with matplotlib; Arabic labels shaped and
right to left, the bars then growing from the right.

A chart is described by plain data (:func:`chart_data`: titles and bars in the chosen
language, a suppressed bar without its number), so it can wait in the outbox and be
drawn at delivery. matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import io
from typing import Any

from ...charts import visual
from .compute import Factsheet
from .text import Words, cells

#: The panels of the bot's chart, and the PDF's.
BOT_PANELS = ("maand", "uitkomst", "ondersteuning")
COLOUR, MUTED, TEXT = "#2f6f9f", "#9aa7b1", "#202020"


def chart_data(sheet: Factsheet, words: Words, panels: tuple[str, ...] = BOT_PANELS,
               *, rtl: bool = False) -> dict[str, Any]:
    """What to draw: per panel its title and bars (label, value or None, text shown)."""
    found: list[dict[str, Any]] = []
    for key in panels:
        item = sheet.tables[key]
        if item.withheld:
            continue
        bars = []
        for row, (shown,) in cells(item, sheet.threshold):
            value = item.cells[(row, item.columns[0])]
            exact = shown == str(value.value)
            if item.key in ("ondersteuning", "hulpvragen", "deelnemers") and value.value == 0:
                continue
            bars.append([words.row(key, row), value.value if exact else None, shown])
        found.append({"title": words.title(key), "bars": bars})
    return {"title": TITLE_WORDS.format(places=words.places(sheet)),
            "subtitle": words.period(sheet) + " · " + words.headline(sheet),
            "note": words.too_small() if sheet.too_small else words.rule(sheet.threshold),
            "panels": found, "rtl": rtl}


TITLE_WORDS = "Knooppunt Kansrijke Start {places}"  # a name in every language


def _wrap(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def chart_png(data: dict[str, Any]) -> bytes:
    """The chart as a PNG."""
    # Lazy: matplotlib takes about half a second to load; the bot starts without it.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rtl = bool(data.get("rtl"))
    panels = [p for p in data["panels"] if p["bars"]]
    heights = [max(1.2, 0.32 * len(p["bars"]) + 0.6) for p in panels] or [1.0]
    figure, axes = plt.subplots(len(heights), 1, figsize=(8.5, sum(heights) + 1.9),
                                gridspec_kw={"height_ratios": heights}, squeeze=False)
    try:
        align = "right" if rtl else "left"
        x = 0.97 if rtl else 0.03
        figure.text(x, 0.985, visual(data["title"], rtl), ha=align, va="top", fontsize=14,
                    weight="bold", color=TEXT)
        figure.text(x, 0.985 - 0.33 / (sum(heights) + 1.9), visual(data["subtitle"], rtl),
                    ha=align, va="top", fontsize=9.5, color=TEXT)
        for ax, panel in zip(axes[:, 0], panels, strict=False):
            _panel(ax, panel, rtl)
        for ax in axes[len(panels):, 0]:
            ax.axis("off")
        figure.text(x, 0.012, visual(_wrap(data["note"], 120), rtl), ha=align, va="bottom",
                    fontsize=7, color="#555555")
        figure.tight_layout(rect=(0.02, 0.07, 0.98, 1 - 0.75 / (sum(heights) + 1.9)))
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=110)
        return out.getvalue()
    finally:
        plt.close(figure)


def _panel(ax: Any, panel: dict[str, Any], rtl: bool) -> None:
    bars = panel["bars"]
    labels = [visual(str(label), rtl) for label, _value, _shown in bars]
    values = [value or 0 for _label, value, _shown in bars]
    top = max([v for v in values if v] or [1])
    positions = range(len(bars))
    ax.barh(positions, values, color=[COLOUR if v else MUTED for v in values], height=0.62)
    for y, (_label, value, shown) in zip(positions, bars, strict=True):
        ax.text((value or 0) + top * 0.015, y, shown, va="center",
                ha="right" if rtl else "left", fontsize=8.5,
                color=TEXT if value is not None else "#666666")
    ax.set_yticks(list(positions), labels, fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.15)
    ax.set_xticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    if rtl:
        ax.invert_xaxis()
        ax.yaxis.tick_right()
    ax.tick_params(axis="y", length=0)
    ax.set_title(visual(panel["title"], rtl), loc="right" if rtl else "left", fontsize=10.5,
                 weight="bold", color=TEXT)
