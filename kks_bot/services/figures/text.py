"""The factsheet in words: titles, row labels, the rule, the key figures and the CSV, in
Dutch, English or Arabic (plain text; the chat escapes it, the PDF shapes it)."""

from __future__ import annotations

import csv
import io
from datetime import date

from babel.dates import format_date

from conversations.aanmeldformulier import AANMELDFORMULIER, FUNCTIES, OPLEIDING
from conversations.meeting import AANWEZIGEN, HULPVRAGEN, ONDERSTEUNING
from conversations.schema import Option

from ...directory import Directory
from ...i18n import BABEL_LOCALES, Translator
from ...i18n_markers import N_, NP_
from ...text import FSI, PDI
from .compute import EMPTY, NO_PARTNER, Factsheet
from .model import Stat, Table


def _gezin_options() -> tuple[Option, ...]:
    for section in AANMELDFORMULIER.sections:
        for item in section.items:
            if getattr(item, "key", None) == "gezinssamenstelling":
                return tuple(item.options)  # type: ignore[union-attr]
    return ()


TITLES = {
    "gemeente": N_("Aanmeldingen per gemeente"),
    "maand": N_("Aanmeldingen per maand"),
    "uitkomst": N_("Wat er van de aanmeldingen werd"),
    "gezin": N_("Gezinssamenstelling"),
    "opleiding": N_("Opleiding van moeder en partner"),
    "functie": N_("Aanmeldingen door professionals"),
    "bereik": N_("Bereik onder professionals"),
    "deelnemers": N_("Professionals die deelnamen aan het Knooppuntoverleg"),
    "hulpvragen": N_("Hulpvragen"),
    "ondersteuning": N_("Ingezette ondersteuning"),
    "evaluatie": N_("Evaluaties"),
}
ROWS: dict[str, dict[str, str]] = {
    "uitkomst": {
        "wacht": N_("nog niet opgepakt"), "opgepakt": N_("opgepakt, nog geen overleg"),
        "overleg": N_("Knooppuntoverleg gehouden"), "afgesloten": N_("afgesloten zonder overleg"),
        "verwezen_ozks": N_("verwezen naar OZKS"),
        "verwezen_zorgpaden": N_("verwezen naar de zorgpaden"),
        "verwezen_gemeente": N_("verwezen naar een andere gemeente"),
        "verwezen_anders": N_("elders heen verwezen"), "ingetrokken": N_("ingetrokken"),
    },
    "bereik": {
        "professionals": N_("verschillende aanmelders"),
        "organisaties": N_("verschillende organisaties"),
        "eenmalig": N_("aanmelders met één aanmelding"),
        "herhaald": N_("aanmeldingen van aanmelders met meer dan één"),
    },
    "evaluatie": {
        "op_tijd": N_("op tijd (tot een week na de datum)"), "te_laat": N_("later geëvalueerd"),
        "open": N_("nog niet geëvalueerd"),
    },
    "gezin": {o.id: o.short or o.label for o in _gezin_options()},
    "opleiding": {o.id: o.label for o in OPLEIDING},
    "functie": {o.id: o.label for o in FUNCTIES},
    "deelnemers": {o.id: o.label for o in AANWEZIGEN},
    "hulpvragen": {o.id: o.label for o in HULPVRAGEN},
    "ondersteuning": {o.id: o.label for o in ONDERSTEUNING},
}
COLUMNS = {"n": N_("aantal"), "moeder": N_("moeder"), "partner": N_("partner")}
STATS = {
    "oppakken": N_("Dagen van aanmelding tot opgepakt"),
    "overleg": N_("Dagen van aanmelding tot het eerste Knooppuntoverleg"),
}
MULTI_NOTE = N_("Per gezin geteld; een gezin kan bij meer dan één horen.")


class Words:
    """Labels in one language."""

    def __init__(self, tr: Translator, locale: str, directory: Directory) -> None:
        self.tr, self.locale, self.directory = tr, locale, directory

    def __call__(self, message: str, **params: object) -> str:
        text = self.tr.gettext(self.locale, message)
        return text.format(**params) if params else text

    def date(self, value: date) -> str:
        return format_date(value, "d MMMM y", locale=BABEL_LOCALES.get(self.locale,
                                                                      self.locale))

    def title(self, key: str) -> str:
        return self(TITLES[key])

    def row(self, key: str, row: str) -> str:
        if key == "gemeente":
            found = self.directory.get(row)
            return found.name if found else row
        if key == "maand":
            year, month = row.split("-")
            return format_date(date(int(year), int(month), 1), "MMM y",
                               locale=BABEL_LOCALES.get(self.locale, self.locale))
        if row == EMPTY:
            return self(N_("niet ingevuld"))
        if row == NO_PARTNER:
            return self(N_("geen partner in beeld"))
        return self(ROWS.get(key, {}).get(row, row))

    def column(self, column: str) -> str:
        return self(COLUMNS.get(column, column))

    def places(self, sheet: Factsheet) -> str:
        names = [self.row("gemeente", code) for code in sheet.codes]
        return ", ".join(names)

    def period(self, sheet: Factsheet) -> str:
        return self(N_("{start} tot en met {end}"), start=self.date(sheet.start),
                    end=self.date(sheet.end))

    def rule(self, threshold: int) -> str:
        return self(N_("Om gezinnen niet herkenbaar te maken staat een aantal van 1 tot "
                       "{threshold} als \"<{threshold}\". Waar een totaal zo'n aantal zou "
                       "verraden, staat ook een ander aantal niet vermeld (\"x\"; dat is "
                       "{threshold} of meer). Een tabel die zo niet te beschermen is, of een "
                       "periode of gemeente met te weinig gezinnen, krijgt geen cijfers."),
                    threshold=threshold)

    def headline(self, sheet: Factsheet) -> str:
        forms = NP_("{n} aanmelding, waarvan {consented} met toestemming voor monitoring.",
                    "{n} aanmeldingen, waarvan {consented} met toestemming voor monitoring.")
        return self.tr.ngettext(self.locale, forms[0], forms[1], sheet.registered).format(
            n=_count(sheet.registered, sheet.threshold),
            consented=_count(sheet.consented, sheet.threshold))

    def too_small(self) -> str:
        return self(N_("Te weinig gezinnen met toestemming in deze periode om cijfers te "
                       "tonen."))

    def stat(self, key: str, value: Stat, threshold: int) -> str:
        if value.median is None:
            return self(N_("{what}: te weinig gezinnen om te tonen."), what=self(STATS[key]))
        median = f"{value.median:g}"
        return self(N_("{what}: mediaan {median}, van {low} tot {high} (n = {n})."),
                    what=self(STATS[key]), median=median, low=value.low, high=value.high,
                    n=value.n)


def _count(n: int, threshold: int) -> str:
    return f"<{threshold}" if 0 < n < threshold else str(n)


def cells(item: Table, threshold: int) -> list[tuple[str, list[str]]]:
    """Row ids and their shown cells; rows that are empty everywhere are left out of
    the multi-answer lists (their option was never ticked)."""
    found = []
    for row in item.rows:
        shown = [item.cells[(row, c)].shown(threshold) for c in item.columns]
        if item.key in ("opleiding", "gezin", "functie", "uitkomst", "evaluatie") \
                and all(item.cells[(row, c)].value == 0 for c in item.columns):
            continue
        found.append((row, shown))
    return found


def csv_text(sheet: Factsheet, words: Words) -> str:
    """The same figures as the PDF, one cell a line: table, row, column, shown value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([words(N_("tabel")), words(N_("rij")), words(N_("kolom")),
                     words(N_("waarde"))])
    writer.writerow([words(N_("periode")), words.period(sheet), "", ""])
    writer.writerow([words(N_("gemeenten")), words.places(sheet), "", ""])
    writer.writerow([words(N_("aanmeldingen")), "", "", str(sheet.registered)])
    writer.writerow([words(N_("met toestemming")), "", "",
                     _count(sheet.consented, sheet.threshold)])
    for key, item in sheet.tables.items():
        for row, shown in cells(item, sheet.threshold):
            for column, value in zip(item.columns, shown, strict=True):
                writer.writerow([words.title(key), words.row(key, row),
                                 words.column(column), value])
    for key, days in sheet.stats.items():
        writer.writerow([words(STATS[key]), words(N_("mediaan")), "",
                         "" if days.median is None else f"{days.median:g}"])
        writer.writerow([words(STATS[key]), words(N_("kortste")), "",
                         "" if days.low is None else str(days.low)])
        writer.writerow([words(STATS[key]), words(N_("langste")), "",
                         "" if days.high is None else str(days.high)])
    writer.writerow([words(N_("regel")), words.rule(sheet.threshold), "", ""])
    return out.getvalue()


def key_figures(sheet: Factsheet, words: Words) -> list[str]:
    """The lines the bot shows with the chart."""
    lines = [words(N_("Cijfers {places}, {period}"), places=words.places(sheet),
                   period=words.period(sheet)), words.headline(sheet)]
    if sheet.too_small:
        return [*lines, words.too_small()]
    outcomes = sheet.tables["uitkomst"]
    for row, (shown,) in cells(outcomes, sheet.threshold):
        lines.append(f"• {words.row('uitkomst', row)}: {FSI}{shown}{PDI}")
    for key, value in sheet.stats.items():
        lines.append(words.stat(key, value, sheet.threshold))
    reach = sheet.tables["bereik"]
    lines.append(words(N_("Verschillende aanmelders: {n}; met één aanmelding: {once}."),
                       n=reach.value("professionals").shown(sheet.threshold),
                       once=reach.value("eenmalig").shown(sheet.threshold)))
    lines.append(words.rule(sheet.threshold))
    return lines
