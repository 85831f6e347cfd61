"""The strict HTML parser of the fakes behaves as Telegram's servers do.

The cases are TDLib's own published test vectors for ``parse_html`` (the code behind
``parse_mode=HTML``), plus what the Bot API documentation says about named entities.
"""

from __future__ import annotations

import pytest

from tests.support.telegram_html import Entity, HtmlError, parse_html

REFUSED = [
    ("&#57311;", "Text contains invalid Unicode characters after decoding HTML entities, "
                 "check for unmatched surrogate code units"),
    ("&#xDFDF;", "Text contains invalid Unicode characters after decoding HTML entities, "
                 "check for unmatched surrogate code units"),
    ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<abac aba>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
    ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba>",
     'Expected equal sign in declaration of an attribute of the tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  ", 'Unclosed start tag "i" at byte offset 13'),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.,", "Unexpected end of name token at byte offset 27"),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;>', "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;>", "Unclosed start tag at byte offset 13"),
    ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
    ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
    ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
    ("🏟 🏟&lt;<i>a</em   >",
     'Unmatched end tag at byte offset 17, expected "</i>", found "</em>"'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    # What a professional types, put into a message unescaped (issue: the review never came).
    ("Inkomen < bijstandsnorm", 'Unsupported start tag "" at byte offset 8'),
    ("Sophie <3 baby", 'Unsupported start tag "3" at byte offset 7'),
    ("<br>", 'Unsupported start tag "br" at byte offset 0'),
]

ACCEPTED = [
    ("", "", []),
    ("➡️ ➡️", "➡️ ➡️", []),
    ("&lt;&gt;&amp;&quot;&laquo;&raquo;&#12345678;", '<>&"&laquo;&raquo;&#12345678;', []),
    ("&nbsp;&copy; & schulden", "&nbsp;&copy; & schulden", []),
    ("➡️ ➡️<i>➡️ ➡️</i>", "➡️ ➡️➡️ ➡️", [Entity("italic", 5, 5)]),
    ("➡️ ➡️<b>➡️ ➡️</b>", "➡️ ➡️➡️ ➡️", [Entity("bold", 5, 5)]),
    ("➡️ ➡️<strong>➡️ ➡️</strong>", "➡️ ➡️➡️ ➡️", [Entity("bold", 5, 5)]),
    ("➡️ ➡️<del>➡️ ➡️</del>", "➡️ ➡️➡️ ➡️", [Entity("strikethrough", 5, 5)]),
    ("➡️ ➡️<i>➡️ ➡️</i><b>➡️ ➡️</b>", "➡️ ➡️➡️ ➡️➡️ ➡️",
     [Entity("italic", 5, 5), Entity("bold", 10, 5)]),
    ("🏟 🏟<i>🏟 &lt🏟</i>", "🏟 🏟🏟 <🏟", [Entity("italic", 5, 6)]),
    ("🏟 🏟<i>🏟 &gt;<b aba   =   caba>&lt🏟</b></i>", "🏟 🏟🏟 ><🏟",
     [Entity("italic", 5, 7), Entity("bold", 9, 3)]),
    ("🏟 🏟&lt;<i    aba  =  190azAz-.   >a</i>", "🏟 🏟<a", [Entity("italic", 6, 1)]),
    ('🏟 🏟&lt;<i    aba  =  "&lt;&gt;&quot;">a</i>', "🏟 🏟<a", [Entity("italic", 6, 1)]),
    ("🏟 🏟&lt;<i    aba  =  '&lt;&gt;&quot;'>a</>", "🏟 🏟<a", [Entity("italic", 6, 1)]),
    ("🏟 🏟&lt;<i>a</    >", "🏟 🏟<a", [Entity("italic", 6, 1)]),
    ("🏟 🏟&lt;<b></b>", "🏟 🏟<", []),
    ("<i>\n</i>", "\n", [Entity("italic", 0, 1)]),
    ('<span class="tg-spoiler">x</span>', "x", [Entity("spoiler", 0, 1)]),
    ("<blockquote expandable>x</blockquote>", "x", [Entity("blockquote", 0, 1)]),
]


@pytest.mark.parametrize(("source", "reason"), REFUSED)
def test_refused_like_telegram(source: str, reason: str) -> None:
    with pytest.raises(HtmlError) as refused:
        parse_html(source)
    assert str(refused.value) == reason


@pytest.mark.parametrize(("source", "text", "entities"), ACCEPTED)
def test_accepted_like_telegram(source: str, text: str, entities: list[Entity]) -> None:
    assert parse_html(source) == (text, entities)
