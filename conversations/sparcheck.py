"""The guided check of "overleggen of aanmelden?": a handful of taps, never the whole form.

It reuses the form's own lists of vulnerabilities and protective factors, so that
"Aanmelden" afterwards starts a registration with these answers already ticked.
Source: ../shared/domain/triage.md, "What the sparring conversation must cover".
"""

from __future__ import annotations

from dataclasses import replace

from kks_bot.i18n_markers import N_

from .aanmeldformulier import AANMELDFORMULIER
from .schema import Field, Form, Kind, Option, Section, When

_GO_ON = (When("acuut", equals=False),)


def _from_form(key: str) -> Field:
    item = AANMELDFORMULIER.item(key)
    assert isinstance(item, Field)
    return replace(item, when=_GO_ON, required=False)


CHECK_SECTION = Section(
    "check",
    N_("Overleggen of aanmelden?"),
    (
        Field("acuut", N_("Acute onveiligheid"),
              N_("Is er nu acute onveiligheid voor de moeder of het kind?"), Kind.YESNO,
              required=True,
              help=N_("Denk aan geweld, ernstige verwaarlozing of direct gevaar. Dan gaat "
                      "veiligheid voor alles.")),
        replace(_from_form("zwanger"), required=True),
        _from_form("urgente_kwetsbaarheden"),
        _from_form("kwetsbaarheden"),
        _from_form("beschermende_factoren"),
        Field("toestemming", N_("Toestemming van het gezin"),
              N_("Heeft het gezin al toestemming gegeven om aan te melden?"), Kind.CHOICE,
              required=True, when=_GO_ON,
              options=(Option("ja", N_("Ja")),
                       Option("nog_niet", N_("Nog niet gevraagd")),
                       Option("nee", N_("Nee, het gezin wil het niet"))),
              help=N_("Aanmelden kan alleen met toestemming. Overleggen (sparren) kan altijd, "
                      "zonder namen.")),
    ),
)

CHECK_FORM = Form("sparcheck", N_("Overleggen of aanmelden?"), (CHECK_SECTION,))

__all__ = ["CHECK_FORM"]
