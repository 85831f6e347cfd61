"""Telegram's ``parse_mode=HTML``, as strict as Telegram itself.

Telegram's servers (TDLib's ``parse_html``) read a message byte by byte: ``&lt;``,
``&gt;``, ``&amp;``, ``&quot;`` and numeric references are decoded, any other ``&`` is
kept as it is; every ``<`` opens a tag, and a tag must be one Telegram knows, with
well-formed attributes, closed in the right order. Anything else is refused with
400 "Bad Request: can't parse entities: <reason>". A fake that accepts more than
this lets a typed "<" through every test and blocks real users (it happened).

This module is written from the Bot API's documentation and TDLib's published test
vectors (tests/test_telegram_html.py holds them), not from a general HTML parser:
Python's ``html.parser`` forgives exactly what Telegram refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entity", "HtmlError", "parse_html", "utf16_len"]

#: The tags Telegram accepts, and the entity each one makes.
TAGS = {
    "b": "bold", "strong": "bold",
    "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler",
    "a": "text_link",
    "code": "code", "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
#: The only named character references Telegram decodes (the Bot API's documentation).
NAMED = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
_SPACE = frozenset(b" \t\r\n\v\0")


class HtmlError(Exception):
    """Telegram's reason for refusing the text (without the "can't parse entities" prefix)."""


@dataclass(frozen=True)
class Entity:
    type: str
    offset: int  # in UTF-16 code units, as the Bot API counts
    length: int
    argument: str = ""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _Reader:
    def __init__(self, source: str) -> None:
        self.data = source.encode("utf-8")

    def at(self, index: int) -> int:
        return self.data[index] if index < len(self.data) else 0

    def reference(self, index: int) -> tuple[str, int] | None:
        """The character a reference at ``index`` stands for, and where it ends."""
        data, end = self.data, index + 1
        if self.at(end) == ord("#"):
            end += 1
            hexadecimal = self.at(end) == ord("x")
            end += hexadecimal
            digits = b"0123456789abcdefABCDEF" if hexadecimal else b"0123456789"
            start = end
            while self.at(end) and self.at(end) in digits:
                end += 1
            code = int(data[start:end], 16 if hexadecimal else 10) if end > start else 0
            if code == 0 or code >= 0x10FFFF or end - index >= 10:
                return None
            if 0xD800 <= code <= 0xDFFF:
                raise HtmlError("Text contains invalid Unicode characters after decoding HTML "
                                "entities, check for unmatched surrogate code units")
            char = chr(code)
        else:
            while chr(self.at(end)).isascii() and chr(self.at(end)).isalpha():
                end += 1
            named = NAMED.get(data[index + 1:end])
            if named is None:
                return None
            char = named
        if self.at(end) == ord(";"):
            end += 1
        return char, end


def parse_html(source: str) -> tuple[str, list[Entity]]:
    """The text a user sees and its entities; raises :class:`HtmlError` as Telegram would."""
    reader = _Reader(source)
    data = reader.data
    out: list[str] = []
    offset = 0  # UTF-16 units written so far
    entities: list[Entity] = []
    open_tags: list[tuple[str, str, int]] = []  # name, argument, UTF-16 offset
    i = 0
    plain_start = 0

    def flush(until: int) -> None:
        nonlocal offset
        if until > plain_start:
            chunk = data[plain_start:until].decode("utf-8")
            out.append(chunk)
            offset += utf16_len(chunk)

    while i < len(data):
        byte = data[i]
        if byte == ord("&"):
            decoded = reader.reference(i)
            if decoded is not None:
                flush(i)
                out.append(decoded[0])
                offset += utf16_len(decoded[0])
                i = plain_start = decoded[1]
                continue
        if byte != ord("<"):
            i += 1
            continue
        flush(i)
        begin = i
        i += 1
        if reader.at(i) != ord("/"):
            i, name, argument = _start_tag(reader, begin, i)
            open_tags.append((name, argument, offset))
        else:
            if not open_tags:
                raise HtmlError(f"Unexpected end tag at byte offset {begin}")
            while reader.at(i) not in _SPACE and reader.at(i) != ord(">"):
                i += 1
            closing = data[begin + 2:i].decode("utf-8", "replace").lower()
            while reader.at(i) in _SPACE and i < len(data):
                i += 1
            if reader.at(i) != ord(">"):
                raise HtmlError(f"Unclosed end tag at byte offset {begin}")
            name, argument, start = open_tags.pop()
            if closing and closing != name:
                raise HtmlError(f'Unmatched end tag at byte offset {begin}, expected "</{name}>", '
                                f'found "</{closing}>"')
            if offset > start:
                entities.append(Entity(TAGS[name], start, offset - start, argument))
        i += 1
        plain_start = i
    flush(len(data))
    if open_tags:
        raise HtmlError('Can\'t find end tag corresponding to start tag "'
                        f'{open_tags[-1][0]}"')
    return "".join(out), sorted(entities, key=lambda e: (e.offset, -e.length))


def _start_tag(reader: _Reader, begin: int, i: int) -> tuple[int, str, str]:
    """Read ``<name attr=value ...>`` from ``begin``; returns the index of ``>``."""
    data = reader.data
    while reader.at(i) not in _SPACE and reader.at(i) != ord(">"):
        i += 1
    if i >= len(data):
        raise HtmlError(f"Unclosed start tag at byte offset {begin}")
    name = data[begin + 1:i].decode("utf-8", "replace").lower()
    if name not in TAGS:
        raise HtmlError(f'Unsupported start tag "{name}" at byte offset {begin}')
    argument = ""
    while reader.at(i) != ord(">"):
        while i < len(data) and reader.at(i) in _SPACE:
            i += 1
        if reader.at(i) == ord(">"):
            break
        attribute_start = i
        while reader.at(i) not in _SPACE and reader.at(i) not in b"=>":
            i += 1
        attribute = data[attribute_start:i].decode("utf-8", "replace")
        if not attribute:
            raise HtmlError(f'Empty attribute name in the tag "{name}" at byte offset {begin}')
        while i < len(data) and reader.at(i) in _SPACE:
            i += 1
        if reader.at(i) != ord("="):
            if name == "blockquote" and attribute == "expandable":
                continue
            raise HtmlError("Expected equal sign in declaration of an attribute of the tag "
                            f'"{name}" at byte offset {begin}')
        i += 1
        while i < len(data) and reader.at(i) in _SPACE:
            i += 1
        if i >= len(data):
            raise HtmlError(f'Unclosed start tag "{name}" at byte offset {begin}')
        value: list[str] = []
        quote = reader.at(i)
        if quote not in (ord("'"), ord('"')):
            token = i
            while chr(reader.at(i)).isascii() and (chr(reader.at(i)).isalnum()
                                                   or reader.at(i) in b".-"):
                i += 1
            value.append(data[token:i].decode("ascii").lower())
            if reader.at(i) not in _SPACE and reader.at(i) != ord(">"):
                raise HtmlError(f"Unexpected end of name token at byte offset {token}")
        else:
            i += 1
            start = i
            while i < len(data) and reader.at(i) != quote:
                decoded = reader.reference(i) if reader.at(i) == ord("&") else None
                if decoded is not None:
                    value.append(data[start:i].decode("utf-8", "replace") + decoded[0])
                    i = start = decoded[1]
                    continue
                i += 1
            value.append(data[start:i].decode("utf-8", "replace"))
            if i >= len(data):
                raise HtmlError(f"Unclosed start tag at byte offset {begin}")
            i += 1
        text = "".join(value)
        if (name, attribute) in (("a", "href"), ("tg-emoji", "emoji-id")):
            argument = text
        elif (name, attribute) == ("code", "class") and text.startswith("language-"):
            argument = text.removeprefix("language-")
        elif (name, attribute) == ("span", "class") and text.startswith("tg-"):
            argument = text.removeprefix("tg-")
    if name == "span" and argument != "spoiler":
        raise HtmlError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
    if name == "span":
        argument = ""
    return i, name, argument
