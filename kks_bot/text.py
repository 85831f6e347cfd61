"""Message text: HTML for Telegram, built so that nothing a user typed can break it.

Every message body is a :class:`Markup` (MarkupSafe, the library behind Jinja's
autoescaping): translations are escaped templates, and whatever is combined with a
``Markup`` - ``Markup("{}: {}").format(label, value)``, ``markup + value``,
``Markup("\\n").join(lines)`` - is escaped on the way in unless it is ``Markup``
itself. A plain ``str`` is never sent as HTML: :func:`html` escapes it. That is the
one place where user text becomes HTML, for every flow and every channel.

Button labels are plain text on every channel (Telegram shows them as typed), so a
``Markup`` label is turned back into plain text by :func:`plain_text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

from markupsafe import Markup, escape

__all__ = ["FSI", "PDI", "Markup", "bold", "chunks", "escape", "html", "isolated", "italic",
           "labelled", "lines", "plain_text"]

# The only tags the bot's own messages use (translations may hold them too).
_TAG = re.compile(r"</?(?:b|i)>")


def html(value: object) -> Markup:
    """``value`` as HTML: Markup stays as it is, anything else is escaped."""
    return escape(value)


def lines(*parts: object) -> Markup:
    """Parts on lines of their own (each escaped unless it is Markup)."""
    return Markup("\n").join(html(p) for p in parts)


def bold(value: object) -> Markup:
    return Markup("<b>{}</b>").format(value)


def italic(value: object) -> Markup:
    return Markup("<i>{}</i>").format(value)


#: Unicode's first-strong isolate and its end: what is between them is laid out on its
#: own, in its own direction, and the text around it treats it as one neutral character.
FSI, PDI = "\u2068", "\u2069"


def isolated(value: object) -> Markup:
    """``value`` (escaped unless Markup) in directional isolates, line by line.

    The one place where inserted values are isolated: a placeholder's value in a
    translation and the value after a label. Without it "رقم الهاتف: 06 12345678"
    reads "12345678 06", and an Arabic name in a Dutch sentence moves the words after
    it. An isolate cannot span lines (each line is a paragraph), so each line gets its own.
    """
    return Markup("\n").join(Markup("\u2068{}\u2069").format(line) if line else line
                              for line in html(value).split("\n"))


def labelled(label: object, value: object) -> Markup:
    """One "label: value" line (a value shown after its label), the value isolated."""
    return Markup("{}: {}").format(label, isolated(value))


def plain_text(value: str) -> str:
    """What a user reads: the bot's tags removed, references decoded."""
    return unescape(_TAG.sub("", str(value)))


def chunks(parts: Iterable[object], limit: int) -> list[Markup]:
    """Parts joined by blank lines into messages of at most ``limit`` characters.

    A message never ends inside a tag or a character reference: parts are kept whole
    where they fit, split at line ends where they do not, and a line that is too long
    (a long typed answer) or that a split would leave with an open tag is cut as plain
    text and escaped again.
    """
    return _pack([piece for part in parts for piece in _fit(html(part), limit)],
                 Markup("\n\n"), limit) or [Markup("")]


def _fit(part: Markup, limit: int) -> list[Markup]:
    if len(part) <= limit:
        return [part]
    lines_: list[Markup] = []
    for line in part.split("\n"):
        balanced = all(line.count(f"<{t}>") == line.count(f"</{t}>") for t in ("b", "i"))
        if len(line) <= limit and balanced:
            lines_.append(line)
            continue
        piece, size = "", 0
        for char in plain_text(line):
            width = len(escape(char))
            if size + width > limit:
                lines_.append(escape(piece))
                piece, size = "", 0
            piece, size = piece + char, size + width
        lines_.append(escape(piece))
    return _pack(lines_, Markup("\n"), limit)


def _pack(pieces: list[Markup], separator: Markup, limit: int) -> list[Markup]:
    out: list[Markup] = []
    for piece in pieces:
        if out and len(out[-1]) + len(separator) + len(piece) <= limit:
            out[-1] = out[-1] + separator + piece
        else:
            out.append(piece)
    return out


#: Unicode's explicit directional embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069): typed into a value, they would reorder the text around it wherever
#: it is shown. The bot adds isolates of its own around every inserted value.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi_controls(text: str) -> str:
    return text.translate(BIDI_CONTROLS)
