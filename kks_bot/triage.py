"""The "overleggen of aanmelden?" advice of the handbook's Basisstructuur.

Advice, never a decision: the coordinator triages. Each advice carries the
reasons (which answers led there), so the professional can judge it.
Source: ../shared/domain/triage.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .i18n_markers import N_, NP_


@dataclass(frozen=True)
class Reason:
    """Why: a message, or a singular/plural pair counted by ``n``."""

    message: str | tuple[str, str]
    n: int = 0


@dataclass(frozen=True)
class Advice:
    route: str  # ozks, knooppunt, zorgpaden, overleggen
    text: str
    reasons: tuple[Reason, ...]


def _count(answers: Mapping[str, object], key: str) -> list[str]:
    value = answers.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def advise(answers: Mapping[str, object]) -> Advice:
    """Advice from the form's (or the guided check's) answers."""
    pregnant = answers.get("zwanger") is True
    urgent = _count(answers, "urgente_kwetsbaarheden")
    other = _count(answers, "kwetsbaarheden")
    protective = _count(answers, "beschermende_factoren")
    reasons: list[Reason] = []
    if pregnant and urgent:
        reasons.append(Reason(NP_("zwanger, met {n} urgente kwetsbaarheid",
                                  "zwanger, met {n} urgente kwetsbaarheden"), len(urgent)))
        return Advice(
            "ozks",
            N_("Dit lijkt te passen bij het OZKS en/of een prenataal huisbezoek van de JGZ "
               "samen met de verloskundig hoofdbehandelaar; mogelijk ook het Knooppunt."),
            tuple(reasons),
        )
    if urgent:
        reasons.append(Reason(NP_("{n} urgente kwetsbaarheid", "{n} urgente kwetsbaarheden"),
                              len(urgent)))
        return Advice("knooppunt", N_("Dit lijkt te passen bij het Knooppunt Kansrijke Start."),
                      tuple(reasons))
    if len(other) >= 2:
        reasons.append(Reason(NP_("een stapeling van {n} kwetsbaarheid",
                                  "een stapeling van {n} kwetsbaarheden"), len(other)))
        reasons.append(Reason(NP_("{n} beschermende factor", "{n} beschermende factoren"),
                              len(protective)))
        return Advice("knooppunt", N_("Dit lijkt te passen bij het Knooppunt Kansrijke Start."),
                      tuple(reasons))
    if len(other) == 1:
        reasons.append(Reason(N_("één duidelijke kwetsbaarheid")))
        return Advice(
            "zorgpaden",
            N_("Dit lijkt te passen bij de zorgpaden Kansrijke Start "
               "(zorgpadenkansrijkestart.pharos.nl); een Knooppunt is dan vaak niet nodig."),
            tuple(reasons),
        )
    reasons.append(Reason(N_("geen kwetsbaarheden aangevinkt")))
    return Advice("overleggen",
                  N_("Twijfel je? Overleg dan eerst met de Knooppuntcoördinator."),
                  tuple(reasons))

