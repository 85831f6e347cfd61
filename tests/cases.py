"""The handbook's three example cases (../shared/domain/cases.md) as scripts.

A script is what a professional does: ("type", text) or ("press", action), where
an action names a button by what it does ("o:ja", "t:relatie", "done"), so the
same script runs in every language and through every adapter. ``expect`` holds
what the stored registration must contain afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Step = tuple[str, str]


@dataclass(frozen=True)
class Case:
    name: str
    language: str
    profile: list[Step]
    form: list[Step]
    expect: dict[str, Any] = field(default_factory=dict)


def _t(text: str) -> Step:
    return ("type", text)


def _p(action: str) -> Step:
    return ("press", action)


SOPHIE = Case(
    "Sophie",
    "nl",
    profile=[_t("Verloskundigenpraktijk Heerlen-Noord"), _t("Anna Verhoeven"),
             _p("o:verloskundige"), _t("a.verhoeven@verloskunde-heerlen.nl"),
             _t("045 571 2345")],
    form=[
        _p("yes"),  # consent of the family
        _p("o:ja"), _p("o:ja"),  # recorded; monitoring
        _p("done"),  # aanmelding voor: Knooppunt (the default)
        _t("6411 AB"), _p("m:GM0917"),  # postcode suggests Heerlen, confirmed
        _p("o:kan_wachten"),
        _p("cf:yes"),  # registrant prefilled from the profile
        _p("o:ja"),  # wants to attend
        _t("Sophie Jansen"), _t("12-3-2001"), _t("Akerstraat 12"), _p("s:0"), _t("Heerlen"),
        _t("06 12345678"), _p("skip"),  # no e-mail
        _p("o:samenwonend"), _t("Nederlandse"), _p("s:0"), _p("o:mbo"), _t("1"),
        _p("o:ja"), _t("15 februari 2027"), _t("1"),
        _t("Verloskundigenpraktijk Heerlen-Noord, A. Verhoeven, 045 571 2345"),
        _p("skip"),  # huisarts
        _p("o:ja"), _t("Mark Peters"), _p("skip"), _p("o:ja"),  # partner, same address
        _p("skip"), _p("skip"), _p("o:samenwonend"), _p("skip"), _p("skip"), _p("skip"),
        _p("skip"),
        _p("o:ouders_samen"),
        _p("g:done"),  # no other children
        _p("g:add"), _p("o:kraamzorg"), _t("Kraamzorg De Wieg"), _p("skip"), _p("skip"),
        _p("skip"), _p("g:done"),
        _p("done"),  # no urgent vulnerabilities
        _p("t:relatie"), _p("t:financien"), _p("t:stress"), _p("t:opvoedvaardigheden"),
        _p("done"),
        _p("t:open_voor_hulp"), _p("done"),
        _t("Sophie is 28 weken zwanger van haar eerste kind en voelt zich overweldigd. Ze "
           "twijfelt over het moederschap, heeft moeite haar dag en huishouden te organiseren "
           "en heeft geldzorgen. Ze staat open voor hulp."),
        _p("o:nee"),  # no interpreter
        _p("skip"),
    ],
    expect={
        "moeder_naam": "Sophie Jansen",
        "moeder_geboortedatum": "2001-03-12",
        "moeder_postcode": "6411 AB",
        "moeder_telefoon": "+31612345678",
        "vermoedelijke_bevallingsdatum": "2027-02-15",
        "gemeente": "GM0917",
        "zwanger": True,
        "partner_naam": "Mark Peters",
        "kwetsbaarheden": ["financien", "relatie", "opvoedvaardigheden", "stress"],
        "beschermende_factoren": ["open_voor_hulp"],
        "kinderen": [],
        "aanmelder_naam": "Anna Verhoeven",
        "aanmelder_telefoon": "+31455712345",
    },
)

LISA = Case(
    "Lisa",
    "en",
    profile=[_t("Huisartsenpraktijk Kerkrade-West"), _t("Dr. P. Hermans"), _p("o:huisarts"),
             _t("p.hermans@huisarts-kerkrade.nl"), _t("+31 45 535 1234")],
    form=[
        _p("yes"), _p("o:ja"), _p("o:niet_gevraagd"),
        _p("done"),
        _p("m:GM0928"),  # Kerkrade, chosen with a button
        _p("o:kan_wachten"),
        _p("cf:yes"), _p("o:nee"),
        _t("Lisa Smeets"), _t("3 May 1998"), _t("Hoofdstraat 7b"), _t("6461 cd"), _t("Kerkrade"),
        _t("+31 6 2345 6789"), _t("lisa.smeets@example.nl"),
        _p("o:ongehuwd"), _t("Dutch"), _p("s:0"), _p("o:havo_vwo"), _t("1"),
        _p("o:nee"),  # not pregnant: the pregnancy questions are skipped
        _t("Huisartsenpraktijk Kerkrade-West, dr. Hermans"),
        _p("o:nee"),  # no partner in the picture
        _p("o:eenouder_moeder"),
        _p("g:add"), _t("Noah"), _t("20-5-2026"), _p("o:jongen"), _p("o:ja"), _p("skip"),
        _p("g:done"),
        _p("g:add"), _p("o:jgz"), _t("JGZ Zuid-Limburg"), _t("youth health nurse"),
        _p("skip"), _p("skip"), _p("g:done"),
        _p("done"),
        _p("t:psychosociaal_vrouw"), _p("t:financien"), _p("t:alleenstaand"), _p("t:stress"),
        _p("done"),
        _p("t:sociaal_netwerk"), _p("t:open_voor_hulp"), _p("done"),
        _t("Lisa lost her job, has panic attacks and money worries, and is overburdened "
           "with Noah (6 months). Her own mother supports her."),
        _p("o:nee"),
        _p("skip"),
    ],
    expect={
        "moeder_naam": "Lisa Smeets",
        "moeder_geboortedatum": "1998-05-03",
        "moeder_postcode": "6461 CD",
        "zwanger": False,
        "gemeente": "GM0928",
        "kinderen": [{"naam": "Noah", "geboortedatum": "2026-05-20", "geslacht": "jongen",
                      "inwonend": True, "gezag_gi": None}],
        "partner_in_beeld": False,
        "kwetsbaarheden": ["psychosociaal_vrouw", "financien", "alleenstaand", "stress"],
    },
)

TIM_ESMEE = Case(
    "Tim en Esmee",
    "ar",
    profile=[_t("JGZ Zuid-Limburg, VoorZorg"), _t("سارة بن علي"), _p("o:jgz_verpleegkundige"),
             _t("s.benali@jgz-zl.nl"), _t("٠٦١٢٣٤٥٦٧٨")],
    form=[
        _p("yes"), _p("o:ja"), _p("o:ja"),
        _p("t:prenataal_huisbezoek"), _p("done"),  # Knooppunt and the prenatal visit
        _t("٦٣٧١"), _p("m:GM0882"),  # four Arabic-Indic digits suggest Landgraaf
        _p("o:spoed"),
        _p("cf:yes"), _p("o:ja"),
        _t("Esmee Claessen"), _t("٢٢-٧-٢٠٠٧"), _t("Kloosterstraat 3"), _t("6371 xb"),
        _t("Landgraaf"),
        _p("skip"), _p("skip"),
        _p("o:ongehuwd"), _t("Nederlandse"), _p("s:0"), _p("o:mbo"), _t("١"),
        _p("o:ja"), _t("1-2-2027"), _t("1"), _t("Verloskundigen Parkstad"),
        _p("skip"),
        _p("o:ja"), _t("Tim Hendriks"), _t("5-9-2007"), _p("o:ja"),
        _t("06-87654321"), _p("skip"), _p("o:ongehuwd"), _p("skip"), _p("skip"), _p("skip"),
        _p("skip"),
        _p("o:ouders_samen"),
        _p("g:done"),
        _p("g:add"), _p("o:voorzorg"), _t("VoorZorg Zuid-Limburg"), _p("skip"), _p("skip"),
        _p("skip"), _p("g:done"),
        _p("done"),
        _p("t:huisvesting"), _p("t:relatie"), _p("t:tienerzwangerschap"),
        _p("t:zorggebruik"), _p("done"),
        _p("t:sociaal_netwerk"), _p("t:anders"), _p("done"),
        _t("يتحملان المسؤولية؛ أغراض الطفل ورعاية الأطفال وإجازة الوالدين مرتبة"),
        _t("تيم وإسمي (19) ينتظران طفلهما الأول. يسكنان مؤقتًا عند صديق لمدة شهرين فقط. "
           "يحتاجان إلى مساعدة في إيجاد سكن."),
        _p("o:nee"),
        _t("Huisbezoek VoorZorg: spanningen thuis door woonsituatie."),
    ],
    expect={
        "moeder_naam": "Esmee Claessen",
        "moeder_geboortedatum": "2007-07-22",
        "moeder_postcode": "6371 XB",
        "moeder_hoeveelste_kind": 1,
        "gemeente": "GM0882",
        "spoed": "spoed",
        "aanmelding_voor": ["knooppunt", "prenataal_huisbezoek"],
        "partner_naam": "Tim Hendriks",
        "partner_geboortedatum": "2007-09-05",
        "partner_telefoon": "+31687654321",
        "aanmelder_telefoon": "+31612345678",
        "beschermende_factoren": ["sociaal_netwerk", "anders"],
        "vermoedelijke_bevallingsdatum": "2027-02-01",
    },
)

CASES = [SOPHIE, LISA, TIM_ESMEE]
