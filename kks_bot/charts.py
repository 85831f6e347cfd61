"""Charts made at delivery, never stored: the spider web ("spinnenweb") of the six
Positieve Gezondheid ratings, one line per moment (before the meeting, at the
evaluation). Pure: labels and values in, PNG bytes out; the caller translates.
Arabic (or any right-to-left) text: matplotlib 3.11 and later lays text out with libraqm,
which joins the letters and orders right-to-left runs itself - shaping it beforehand
(arabic_reshaper + bidi.get_display) would turn the words around a second time (seen:
"أسرة – الصحة" drawn as "الصحة – أسرة"). An older matplotlib draws characters as
given, left to right: then the text is shaped and put in display order here."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

#: Line colours per series (before, after): dark blue and orange, told apart in greyscale
#: by the dashes of the second.
COLOURS = ("#1f4e79", "#e07b00")


def visual(text: str, rtl: bool) -> str:
    """What matplotlib must be given for ``text`` to show it right to left, joined."""
    # Lazy: matplotlib and the shaping libraries load slowly; only a chart needs them.
    from matplotlib import ft2font

    if not rtl or getattr(ft2font, "__libraqm_version__", None):
        return text
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))


def radar_png(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
              title: str, *, rtl: bool = False, note: str = "") -> bytes:
    """A spider web of ``labels`` (clockwise from the top; counter-clockwise for a
    right-to-left language) with one line per ``(name, values)``; a value of None (skipped)
    leaves a gap in its line; ``note`` is a line under the picture (what a gap means)."""
    # Lazy: matplotlib takes a second to load and only this picture needs it; Agg draws
    # without a display.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    count = len(labels)
    angles = [2 * math.pi * i / count for i in range(count)]
    figure = plt.figure(figsize=(7.2, 7.2), dpi=100)
    try:
        axes: Any = figure.add_subplot(projection="polar")  # PolarAxes
        axes.set_theta_offset(math.pi / 2)
        axes.set_theta_direction(1 if rtl else -1)
        axes.set_ylim(0, 10)
        axes.set_yticks([2, 4, 6, 8, 10])
        axes.set_yticklabels(["2", "4", "6", "8", "10"], fontsize=8, color="#666666")
        axes.set_rlabel_position(180 / count)  # between two spokes, clear of the points
        axes.set_xticks(angles)
        axes.set_xticklabels([visual(_wrap(label), rtl) for label in labels], fontsize=11)
        axes.tick_params(axis="x", pad=14)
        axes.grid(color="#bbbbbb", linewidth=0.8)
        for index, (name, values) in enumerate(series):
            colour = COLOURS[index % len(COLOURS)]
            points = [math.nan if v is None else float(v) for v in values]
            closed_angles, closed = [*angles, angles[0]], [*points, points[0]]
            axes.plot(closed_angles, closed, color=colour, linewidth=2.2,
                      linestyle="-" if index == 0 else "--", marker="o", markersize=6,
                      label=visual(name, rtl))
            if not any(math.isnan(p) for p in points):
                axes.fill(closed_angles, closed, color=colour, alpha=0.15)
            # The mark beside its point, along the spoke: the first line's inwards, the
            # second's outwards, so two marks on one spoke do not cover each other.
            for angle, point in zip(angles, points, strict=True):
                if not math.isnan(point):
                    beside = max(point - 0.9, 0.5) if index == 0 else min(point + 0.9, 10.6)
                    axes.text(angle, beside, f"{point:g}", ha="center", va="center",
                              fontsize=9, color=colour, fontweight="bold")
        figure.suptitle(visual(title, rtl), fontsize=13, fontweight="bold")
        if series:
            figure.legend(loc="lower right" if rtl else "lower left", frameon=False,
                          fontsize=10, markerfirst=not rtl)
        if note:
            figure.text(0.02 if rtl else 0.98, 0.02, visual(note, rtl), fontsize=9,
                        color="#555555", ha="left" if rtl else "right")
        figure.tight_layout(rect=(0, 0.06, 1, 0.95))
        out = io.BytesIO()
        figure.savefig(out, format="png")
        return out.getvalue()
    finally:
        plt.close(figure)


def _wrap(label: str, width: int = 14) -> str:
    """A long label on two lines (at the space nearest the middle)."""
    if len(label) <= width or " " not in label:
        return label
    middle = len(label) // 2
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return label[:cut] + "\n" + label[cut + 1:]
