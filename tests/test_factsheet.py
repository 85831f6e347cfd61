"""The factsheet (issue 14) reproduces the 2022 factsheet of the Zuid-Limburg Knooppunten
(../shared/seeds/001): 23 families registered through the real form - Kerkrade 11,
Landgraaf 7, Vaals 5, 18 of them with consent for monitoring - taken on, their meetings
planned and recorded through the coordinator's buttons; then every published count comes
back with the threshold at 1, the default threshold hides what is small, and an erased
case is gone from the figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from kks_bot.clock import FrozenClock
from kks_bot.db.models import Registration
from kks_bot.runtime import Runtime
from kks_bot.services import rights
from kks_bot.services.figures.compute import Factsheet
from kks_bot.services.figures.load import factsheet
from tests.support.transcript import Chat, press_action

from .cases import Case, Step
from .test_handoff import _coordinator
from .walking import fill_form, make_profile

KERKRADE, LANDGRAAF, VAALS = "GM0928", "GM0882", "GM0981"
CODES = [KERKRADE, LANDGRAAF, VAALS]

# The registrants: Telegram id, organisation, function (the 2022 chart of registrations by
# professional had no numbers; these are ours).
PROFESSIONALS = {
    2001: ("Verloskundigenpraktijk Kerkrade", "verloskundige"),
    2002: ("JGZ Zuid-Limburg", "jgz_verpleegkundige"),
    2003: ("Huisartsenpraktijk Vaals", "huisarts"),
    2004: ("MEE Zuid-Limburg", "maatschappelijk_werker"),
    2005: ("Gemeente Landgraaf", "gemeente"),
    2006: ("Zuyderland", "gynaecoloog"),
    2007: ("Mondriaan", "ggz"),
}


@dataclass(frozen=True)
class Family:
    professional: int
    gemeente: str
    consent: bool
    mother: str | None  # education; None: not filled in
    partner: str | bool | None  # education; None: in the picture, not filled; False: none
    household: str


def _families() -> list[Family]:
    """The 2022 counts: municipalities 11/7/5, consent 18 of 23, the education table."""
    mothers = (["lager_onderwijs"] * 6 + ["lbo", "mavo_vmbo"] + ["mbo"] * 3
               + ["hbo", "wo", "onbekend"] + [None] * 4)
    partners: list[str | bool | None] = (
        ["lager_onderwijs"] * 2 + ["lbo"] + ["mbo"] * 5 + ["wo"] * 2 + ["onbekend"] * 2
        + [False] * 4 + [None] * 2)
    places = [KERKRADE] * 9 + [LANDGRAAF] * 5 + [VAALS] * 4  # consented
    places_no = [KERKRADE, KERKRADE, LANDGRAAF, LANDGRAAF, VAALS]  # not consented
    who = [2001, 2002, 2003, 2004, 2002, 2001, 2005, 2002, 2004, 2001, 2002, 2006, 2002,
           2005, 2004, 2003, 2007, 2002]
    families = []
    for i in range(18):
        household = "eenouder_moeder" if partners[i] is False else (
            "anders" if i in (3, 9) else "ouders_samen")
        families.append(Family(who[i], places[i], True, mothers[i], partners[i], household))
    for i, place in enumerate(places_no):
        families.append(Family([2001, 2002, 2003, 2001, 2003][i], place, False,
                               "mbo", False, "eenouder_moeder"))
    return families


# What the meetings recorded, per family (cases 0..17, consented): the 2022 lists.
SUPPORT_2022 = {"voorliggend_veld": 13, "jeugdwet": 5, "veilig_thuis": 1, "smi": 2,
                "netwerk": 2, "bestaande_hulp": 2, "wmo": 1, "jgz": 1, "financien": 2,
                "woningcorporatie": 1, "flex": 1, "anders": 5}
QUESTIONS_2022 = ("medicatie", "opvoeding", "huisvesting", "onverzekerd", "lvb",
                  "huiselijk_geweld", "psychiatrie", "financien", "tienerzwangerschap",
                  "voorgeschiedenis", "werk", "anders")
ATTENDEES_2022 = ("voorliggend_veld", "jgz", "verloskundige", "gemeente", "ggz", "huisarts",
                  "jeugdhulp", "mmw", "kraamzorg", "veilig_thuis", "anders")


def _spread(counts: dict[str, int], families: int) -> list[list[str]]:
    """Each option ticked for its count of families, one family after another."""
    ticks: list[list[str]] = [[] for _ in range(families)]
    index = 0
    for option, count in counts.items():
        for _ in range(count):
            ticks[index % families].append(option)
            index += 1
    return ticks


def _t(text: str) -> Step:
    return ("type", text)


def _p(action: str) -> Step:
    return ("press", action)


def _case(family: Family, n: int) -> Case:
    org, function = PROFESSIONALS[family.professional]
    postcode = {KERKRADE: "6461 CD", LANDGRAAF: "6371 AB", VAALS: "6291 AA"}[family.gemeente]
    partner: list[Step]
    if family.partner is False:
        partner = [_p("o:nee")]
    else:
        education = _p(f"o:{family.partner}") if family.partner else _p("skip")
        partner = [_p("o:ja"), _t("Partner"), _p("skip"), _p("o:ja"), _p("skip"), _p("skip"),
                   _p("o:samenwonend"), _p("skip"), _p("skip"), education, _p("skip")]
    return Case(f"family {n}", "nl",
                profile=[_t(org), _t(f"Aanmelder {family.professional}"), _p(f"o:{function}"),
                         _t(f"a{family.professional}@example.nl"), _t("045 571 2345")],
                form=[
                    _p("yes"), _p("o:ja"), _p("o:ja" if family.consent else "o:nee"),
                    _p("done"), _p(f"m:{family.gemeente}"), _p("o:kan_wachten"),
                    _p("cf:yes"), _p("o:nee"),
                    _t(f"Moeder {n}"), _t("12-3-1998"), _t("Hoofdstraat 7"), _t(postcode),
                    _t("Kerkrade"), _t("06 12345678"), _p("skip"), _p("o:ongehuwd"),
                    _p("skip"), _p("skip"),
                    _p(f"o:{family.mother}") if family.mother else _p("skip"), _p("skip"),
                    _p("o:nee"), _p("skip"),  # not pregnant; no GP named
                    *partner,
                    _p(f"o:{family.household}"), _p("g:done"), _p("g:done"),
                    _p("done"), _p("t:stress"), _p("done"), _p("done"),
                    _t("Het gezin wil steun bij de opvoeding."), _p("o:nee"), _p("skip"),
                ])


async def _latest(runtime: Runtime) -> str:
    async with runtime.sessions() as session:
        return str((await session.execute(select(Registration.id).order_by(
            Registration.submitted_at.desc()).limit(1))).scalar_one())


async def _meeting(ilse: Chat, rid: str, clock: FrozenClock, attendees: list[str],
                   questions: list[str], support: list[str]) -> datetime:
    """Plan the Knooppuntoverleg a week on, hold it, record the action list."""
    await ilse.press_data(f"r.meet.{rid}", 1)
    day = clock.now() + timedelta(days=7)
    await ilse.send(f"{day.day}-{day.month}-{day.year}")
    await ilse.send("10:00")
    await ilse.send("Gemeentehuis")
    await press_action(ilse, "o:nee")
    await press_action(ilse, "o:ja")
    await press_action(ilse, "skip")
    await press_action(ilse, "o:geen")
    assert "gepland" in ilse.text()
    clock.set(day.replace(hour=12))
    await ilse.press_data(f"r.held.{rid}", 1)
    for group in (attendees, None, questions, support):
        if group is None:
            await ilse.send("Afspraken gemaakt.")
            await ilse.send("Ilse Coenen")
            await press_action(ilse, "skip")
            await ilse.send("JGZ")
            await press_action(ilse, "o:ja")
            continue
        for tick in group:
            await press_action(ilse, f"t:{tick}")
        await press_action(ilse, "done")
    await press_action(ilse, "o:nee")
    await press_action(ilse, "keep")
    assert "Vastgelegd" in ilse.text()
    return day


async def _register_2022(runtime: Runtime, chat_factory, clock: FrozenClock) -> list[str]:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, *CODES)
    families = _families()
    support = _spread(SUPPORT_2022, 18)
    questions = _spread(dict.fromkeys(QUESTIONS_2022, 1), 18)
    attendees = _spread(dict.fromkeys(ATTENDEES_2022, 2), 18)
    chats: dict[int, Chat] = {}
    ids: list[str] = []
    days: list[datetime] = []
    for n, family in enumerate(families):
        # one a fortnight from January on; taken on after n % 4 days
        clock.set(datetime(2026, 1, 6, 9, 0, tzinfo=UTC) + timedelta(days=14 * n))
        case = _case(family, n)
        chat = chats.get(family.professional)
        if chat is None:
            chat = chats[family.professional] = chat_factory(user_id=family.professional)
            await make_profile(chat, case)
        await fill_form(chat, case)
        await press_action(chat, "submit")
        assert "KKS-2026-" in chat.text()
        rid = await _latest(runtime)
        ids.append(rid)
        clock.set(clock.now() + timedelta(days=n % 4, hours=1))
        await ilse.press_data(f"r.take.{rid}", 1)
        ilse.text()
        if n <= 18:  # every consented family, and one that did not consent
            k = min(n, 17)
            days.append(await _meeting(ilse, rid, clock, attendees[k], questions[k],
                                       support[k]))
    for n in range(10):  # ten evaluated six weeks after the meeting and n days
        clock.set(days[n] + timedelta(weeks=6, days=n))
        await ilse.press_data(f"r.evdone.{ids[n]}", 1)
        assert "afgesloten" in ilse.text()
    clock.set(datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    return ids


def _counts(sheet: Factsheet, key: str, column: str = "n") -> dict[str, int]:
    item = sheet.tables[key]
    return {row: item.cells[(row, column)].value for row in item.rows
            if item.cells[(row, column)].value}


def _shown(sheet: Factsheet, key: str, column: str = "n") -> dict[str, str]:
    item = sheet.tables[key]
    return {row: item.cells[(row, column)].shown(sheet.threshold) for row in item.rows}


async def test_the_2022_factsheet_comes_back(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ids = await _register_2022(runtime, chat_factory, clock)
    year = (date(2026, 1, 1), date(2026, 12, 31))
    sheet = await factsheet(runtime.env, CODES, *year, threshold=1)
    assert (sheet.registered, sheet.consented) == (23, 18)
    assert _counts(sheet, "gemeente") == {KERKRADE: 11, LANDGRAAF: 7, VAALS: 5}
    assert _counts(sheet, "opleiding", "moeder") == {
        "lager_onderwijs": 6, "lbo": 1, "mavo_vmbo": 1, "mbo": 3, "hbo": 1, "wo": 1,
        "onbekend": 1, "leeg": 4}
    assert _counts(sheet, "opleiding", "partner") == {
        "lager_onderwijs": 2, "lbo": 1, "mbo": 5, "wo": 2, "onbekend": 2,
        "geen_partner": 4, "leeg": 2}
    assert _counts(sheet, "ondersteuning") == SUPPORT_2022  # the non-consented one is not in
    assert _counts(sheet, "hulpvragen") == dict.fromkeys(QUESTIONS_2022, 1)
    assert _counts(sheet, "deelnemers") == dict.fromkeys(ATTENDEES_2022, 2)
    assert _counts(sheet, "gezin") == {"ouders_samen": 12, "eenouder_moeder": 4, "anders": 2}
    families = _families()
    assert _counts(sheet, "functie") == dict(Counter(
        PROFESSIONS_OF[f.professional] for f in families if f.consent))
    assert _counts(sheet, "bereik") == {"professionals": 7, "organisaties": 7, "eenmalig": 2,
                                        "herhaald": 16}
    assert _counts(sheet, "uitkomst") == {"overleg": 18}
    assert _counts(sheet, "evaluatie") == {"op_tijd": 7, "te_laat": 3, "open": 8}
    assert sum(_counts(sheet, "maand").values()) == 23
    taken = sheet.stats["oppakken"]
    assert (taken.n, taken.low, taken.high, taken.median) == (18, 0, 3, 1.0)
    first = sheet.stats["overleg"]
    assert (first.n, first.low, first.high, first.median) == (18, 7, 10, 8.0)

    # The default threshold: what is below five is not shown, and cannot be worked out.
    sheet = await factsheet(runtime.env, CODES, *year, threshold=5)
    assert _shown(sheet, "gemeente") == {KERKRADE: "11", LANDGRAAF: "7", VAALS: "5"}
    mothers = _shown(sheet, "opleiding", "moeder")
    assert mothers["lager_onderwijs"] == "6" and mothers["mbo"] == "<5"
    assert mothers["wo"] == "<5" and mothers["geen"] == "0"
    support = _shown(sheet, "ondersteuning")
    assert (support["voorliggend_veld"], support["jeugdwet"], support["smi"]) == \
        ("13", "5", "<5")
    assert all(v in ("0", "<5") for v in _shown(sheet, "hulpvragen").values())

    # Vaals alone: five families, four of them consented - too few to show anything else.
    vaals = await factsheet(runtime.env, [VAALS], *year, threshold=5)
    assert (vaals.registered, vaals.consented, vaals.too_small) == (5, 4, True)
    assert all(c.shown(5) == "x" for c in vaals.tables["opleiding"].cells.values())

    # A case erased under the data-protection rights is gone from the figures.
    async with runtime.sessions() as session, session.begin():
        registration = await session.get(Registration, ids[0])
        assert registration is not None and registration.gemeente_code == KERKRADE
        await rights.erase_case(runtime.env, session, registration, 0)
    sheet = await factsheet(runtime.env, CODES, *year, threshold=1)
    assert (sheet.registered, sheet.consented) == (22, 17)
    assert _counts(sheet, "gemeente")[KERKRADE] == 10
    assert _counts(sheet, "opleiding", "moeder")["lager_onderwijs"] == 5


PROFESSIONS_OF = {pid: function for pid, (_org, function) in PROFESSIONALS.items()}
