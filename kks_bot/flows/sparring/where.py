"""Questions that name a place: "wie krijg ik als het gezin in Brunssum woont?" gets
Brunssum's Knooppunt - from the directory and the coordinators in the database, not from
the FAQ's text: whether it is active, and how to reach its coordinator through the bot.

A place is a municipality's name as the directory has it (also with one typo), one of its
villages or districts or an Arabic spelling (conversations.places), or else a 4-digit
postcode, which only suggests (it may straddle a border; the professional checks).
"""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.places import ASKS_WHO, PLACES

from ...directory import Directory, Municipality
from ...i18n import N_
from ...kernel.context import Ctx
from ...kernel.events import Button
from ...people import active_coordinators
from ...text import Markup, bold, lines
from .lexical import normalise

_WORD = re.compile(r"\w+")
_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})(?:\s?[a-zA-Z]{2})?(?![\d\w])")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CLITICS = "وبلفك"
MIN_TYPO = 6  # a municipality's name of this length or more is also found with a typo
MAX_SHOWN = 3


def _words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def asks_who(text: str) -> bool:
    """The question asks who or where to turn to (a coordinator, a Knooppunt)."""
    joined = " " + " ".join(_words(text))
    return any(" " + " ".join(_words(word)) in joined for word in ASKS_WHO)


def _names(directory: Directory) -> dict[str, str]:
    """Every name of a place, normalised (words joined by one space), to its CBS code."""
    names = {" ".join(_words(m.name)): m.code for m in directory.all()}
    for code, places in PLACES.items():
        if directory.get(code) is not None:
            names.update({" ".join(_words(place)): code for place in places})
    return names


def named(text: str, directory: Directory) -> tuple[list[Municipality], str | None]:
    """The municipalities a question names, and the postcode when that was how."""
    words = _words(text)
    joined = f" {' '.join(words)} "
    names = _names(directory)
    codes = [code for name, code in names.items() if f" {name} " in joined]
    # An Arabic name with a clitic in front: "ببرونسوم", "لهيرلن".
    codes += [names[w[1:]] for w in words
              if _ARABIC.match(w) and len(w) > 3 and w[0] in _CLITICS and w[1:] in names]
    if not codes:  # a municipality's own name with a typo: "Brunsum", "Maastrich"
        whole = {name: m.code for m in directory.all()
                 if " " not in (name := " ".join(_words(m.name))) and len(name) >= MIN_TYPO}
        for word in words:
            if len(word) >= MIN_TYPO:
                found = process.extractOne(word, list(whole), scorer=OSA.distance,
                                           score_cutoff=1)
                if found is not None:
                    codes.append(whole[found[0]])
    postcode = None
    if not codes:
        for match in _POSTCODE.finditer(text):
            suggested = directory.suggest(int(match.group(1)))
            if suggested:
                postcode = match.group(1)
                codes = [m.code for m in suggested]
                break
    unique = list(dict.fromkeys(codes))[:MAX_SHOWN]
    return [m for code in unique if (m := directory.get(code)) is not None], postcode


async def knooppunt_text(ctx: Ctx, found: list[Municipality],
                         postcode: str | None) -> tuple[Markup, list[list[Button]]]:
    """Each named municipality's Knooppunt and how to reach its coordinator, with a
    button to ask that coordinator where there is one in the bot."""
    shown: list[Markup] = []
    rows: list[list[Button]] = []
    if postcode:
        shown.append(ctx.t(N_("Postcode {postcode} hoort bij {gemeenten} (een suggestie: "
                              "controleer de gemeente van het gezin)."), postcode=postcode,
                           gemeenten=", ".join(m.name for m in found)))
    for municipality in found:
        name = municipality.name
        head = "📍 " + bold(ctx.t(N_("Knooppunt {gemeente}"), gemeente=name))
        if not municipality.knooppunt_active:
            shown.append(lines(head, ctx.t(N_(
                "{gemeente} heeft op dit moment geen actief Knooppunt Kansrijke Start. Vraag "
                "de gemeente wat er wel is, of overleg met een coördinator van een andere "
                "gemeente."), gemeente=name)))
        elif await active_coordinators(ctx.session, municipality.code):
            shown.append(lines(head, ctx.t(N_(
                "{gemeente} heeft een actief Knooppunt, en de coördinator is via deze bot "
                "bereikbaar: overleg anoniem met de knop hieronder. Een aanmelding van een "
                "gezin uit {gemeente} gaat vanzelf naar die coördinator."), gemeente=name)))
            rows.append([ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator van {gemeente}"),
                                              gemeente=name), f"sp:ask:{municipality.code}")])
        else:
            shown.append(lines(head, ctx.t(N_(
                "{gemeente} heeft een actief Knooppunt, maar de coördinator is nog niet via "
                "deze bot bereikbaar. Neem contact op met de gemeente {gemeente}."),
                gemeente=name)))
    return Markup("\n\n").join(shown), rows
