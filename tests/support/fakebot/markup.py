"""Parse modes as Telegram reads them: HTML (strict, ../telegram_html.py), MarkdownV2 and
the legacy Markdown, each giving the visible text and its entities or Telegram's refusal."""


from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..telegram_html import HtmlError, parse_html
from .common import JSONDict, bad_request, utf16_length

# ---------------------------------------------------------------------------------------------
# Parse modes (HTML, MarkdownV2, Markdown) -> visible text + entities, with Telegram's errors
# ---------------------------------------------------------------------------------------------


class ParseError(Exception):
    pass


_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "[": "TextUrl",
}
_MDV2_TYPES = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
}


def parse_markdown_v2(text: str) -> tuple[str, list[JSONDict]]:
    out: list[str] = []
    length = 0
    entities: list[JSONDict] = []
    open_marks: list[tuple[str, int, int]] = []  # mark, utf16 start, byte offset
    quote_start: int | None = None
    i = 0
    n = len(text)

    def byte_offset(index: int) -> int:
        return len(text[:index].encode())

    def emit(chunk: str) -> None:
        nonlocal length
        out.append(chunk)
        length += utf16_length(chunk)

    def reserved(char: str) -> ParseError:
        return ParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )

    def toggle(mark: str, index: int) -> None:
        for pos in range(len(open_marks) - 1, -1, -1):
            if open_marks[pos][0] == mark:
                _, start, _ = open_marks.pop(pos)
                if length > start:
                    entities.append(
                        {"type": _MDV2_TYPES[mark], "offset": start, "length": length - start}
                    )
                return
        open_marks.append((mark, length, byte_offset(index)))

    def read_until(index: int, closer: str, escapable: str) -> tuple[str, int]:
        """Reads literal text up to an unescaped ``closer``; returns (text, index after)."""
        buf: list[str] = []
        while index < n:
            if text[index] == "\\" and index + 1 < n and text[index + 1] in escapable:
                buf.append(text[index + 1])
                index += 2
                continue
            if text.startswith(closer, index):
                return "".join(buf), index + len(closer)
            buf.append(text[index])
            index += 1
        raise ParseError("")

    while i < n:
        char = text[i]
        line_start = i == 0 or text[i - 1] == "\n"
        if line_start and quote_start is not None and char != ">":
            # a quote ends (before the newline) at the first line not starting with '>'
            end = length - 1 if out and out[-1].endswith("\n") else length
            if end > quote_start:
                entities.append(
                    {"type": "blockquote", "offset": quote_start, "length": end - quote_start}
                )
            quote_start = None
        if char == "\\":
            if i + 1 < n and 0 < ord(text[i + 1]) <= 126:
                emit(text[i + 1])
                i += 2
                continue
            raise reserved("\\")
        if char == "`":
            start = length
            if text.startswith("```", i):
                try:
                    body, i_after = read_until(i + 3, "```", "`\\")
                except ParseError:
                    raise ParseError(
                        f"Can't find end of Pre entity at byte offset {byte_offset(i)}"
                    ) from None
                language = ""
                first, sep, rest = body.partition("\n")
                if sep and first and " " not in first:
                    language, body = first, rest
                emit(body)
                entity: JSONDict = {"type": "pre", "offset": start, "length": length - start}
                if language:
                    entity["language"] = language
                if length > start:
                    entities.append(entity)
                i = i_after
                continue
            try:
                body, i_after = read_until(i + 1, "`", "`\\")
            except ParseError:
                raise ParseError(
                    f"Can't find end of Code entity at byte offset {byte_offset(i)}"
                ) from None
            emit(body)
            if length > start:
                entities.append({"type": "code", "offset": start, "length": length - start})
            i = i_after
            continue
        if char == ">" and line_start:
            if quote_start is None:
                quote_start = length
            i += 1
            continue
        if char == "*" and line_start and text.startswith("**>", i):
            if quote_start is None:
                quote_start = length
            i += 3
            continue
        if char == "*" or char == "~":
            toggle(char, i)
            i += 1
            continue
        if char == "_":
            if text.startswith("__", i):
                toggle("__", i)
                i += 2
            else:
                toggle("_", i)
                i += 1
            continue
        if char == "|":
            if text.startswith("||", i):
                toggle("||", i)
                i += 2
                continue
            if quote_start is not None and i == n - 2 and text.startswith("||", i):
                i += 2
                continue
            raise reserved(char)
        if char == "[" or (char == "!" and text.startswith("![", i)):
            is_emoji = char == "!"
            i += 2 if is_emoji else 1
            open_marks.append(("![" if is_emoji else "[", length, byte_offset(i)))
            continue
        if char == "]":
            pos = next(
                (k for k in range(len(open_marks) - 1, -1, -1) if open_marks[k][0] in ("[", "![")),
                None,
            )
            if pos is None or not text.startswith("(", i + 1):
                raise reserved(char)
            mark, start, offset = open_marks.pop(pos)
            try:
                url, i_after = read_until(i + 2, ")", ")\\")
            except ParseError:
                raise ParseError(
                    f"Can't find end of a TextUrl entity at byte offset {offset}"
                ) from None
            if mark == "![":
                match = re.fullmatch(r"tg://emoji\?id=(\d+)", url)
                if not match:
                    raise ParseError("Custom emoji entity must have a valid custom emoji URL")
                entities.append(
                    {
                        "type": "custom_emoji",
                        "offset": start,
                        "length": length - start,
                        "custom_emoji_id": match.group(1),
                    }
                )
            elif length > start:
                entities.append(
                    {"type": "text_link", "offset": start, "length": length - start, "url": url}
                )
            i = i_after
            continue
        if char in _MDV2_RESERVED:
            raise reserved(char)
        emit(char)
        i += 1
    if quote_start is not None and length > quote_start:
        entities.append(
            {"type": "blockquote", "offset": quote_start, "length": length - quote_start}
        )
    if open_marks:
        mark, _, offset = open_marks[-1]
        name = _MDV2_NAMES.get(mark, "TextUrl") if mark != "![" else "CustomEmoji"
        raise ParseError(f"Can't find end of {name} entity at byte offset {offset}")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def parse_markdown_legacy(text: str) -> tuple[str, list[JSONDict]]:
    out: list[str] = []
    length = 0
    entities: list[JSONDict] = []
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal length
        out.append(chunk)
        length += utf16_length(chunk)

    def missing_end(index: int) -> ParseError:
        return ParseError(
            f"Can't find end of the entity starting at byte offset {len(text[:index].encode())}"
        )

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            emit(text[i + 1])
            i += 2
            continue
        if char in "*_`":
            closer = "```" if text.startswith("```", i) else char
            end = text.find(closer, i + len(closer))
            if end < 0:
                raise missing_end(i)
            start = length
            emit(text[i + len(closer) : end])
            kind = {"*": "bold", "_": "italic", "`": "code", "```": "pre"}[closer]
            if length > start:
                entities.append({"type": kind, "offset": start, "length": length - start})
            i = end + len(closer)
            continue
        if char == "[":
            match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(text, i)
            if match:
                start = length
                emit(match.group(1))
                if length > start:
                    entities.append(
                        {
                            "type": "text_link",
                            "offset": start,
                            "length": length - start,
                            "url": match.group(2),
                        }
                    )
                i = match.end()
                continue
        emit(char)
        i += 1
    return "".join(out), entities


def render(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
    """Visible text and entities for ``text`` sent with ``parse_mode``; raises ApiError."""
    mode = (parse_mode or "").lower()
    try:
        if mode == "":
            plain, found = text, [dict(e) for e in entities or [] if isinstance(e, Mapping)]
        elif mode == "html":
            try:
                parsed, html_entities = parse_html(text)
            except HtmlError as exc:
                raise ParseError(str(exc)) from None
            plain = parsed
            found = [{"type": e.type, "offset": e.offset, "length": e.length,
                      **({"url": e.argument} if e.type == "text_link" else {}),
                      **({"custom_emoji_id": e.argument} if e.type == "custom_emoji" else {}),
                      **({"language": e.argument} if e.type == "pre" and e.argument else {})}
                     for e in html_entities]
        elif mode == "markdownv2":
            plain, found = parse_markdown_v2(text)
        elif mode == "markdown":
            plain, found = parse_markdown_legacy(text)
        else:
            raise bad_request("unsupported parse_mode")
    except ParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    return plain, found


