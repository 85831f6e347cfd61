"""Translations (Babel + gettext catalogues in ``locales/``) and locale formatting.

Dutch is the source language: message ids are Dutch sentences. Catalogues are
read from compiled ``.mo`` files when they are up to date (the Docker image
compiles them at build time) and straight from the ``.po`` files otherwise, so
that a fresh checkout works without a build step.

A translation is :class:`~kks_bot.text.Markup` (messages use Telegram's HTML mode):
the template is escaped except for its ``<b>`` and ``<i>``, and every inserted value
is escaped unless it is Markup itself (see kks_bot/text.py) and, in every language, wrapped
in Unicode directional isolates (U+2068 ... U+2069) so that a Latin name, a date or
a number cannot scramble the right-to-left sentence.
"""

from __future__ import annotations

import gettext
import html
import os
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.lists import format_list as _babel_format_list
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from .config import SUPPORTED_LOCALES
from .i18n_markers import N_, NP_
from .text import FSI, PDI, Markup, isolated

__all__ = ["FSI", "LOCALES_DIR", "NP_", "N_", "PDI", "Translator", "is_rtl", "translator"]

# The catalogues sit at the top of the repository; an installed copy (the Docker
# image) points at them with KKS_LOCALES_DIR.
LOCALES_DIR = Path(os.environ.get("KKS_LOCALES_DIR")
                   or Path(__file__).resolve().parent.parent / "locales")
DOMAIN = "messages"
# English users here live in the Netherlands: day-first dates (7 December 2026).
BABEL_LOCALES = {"en": "en_GB"}
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "ar": "العربية"}


_ALLOWED_TAGS = ("b", "i")


def _html_safe(template: str) -> str:
    """Escape a translated template for Telegram's HTML mode, keeping <b> and <i>."""
    escaped = html.escape(template, quote=False)  # quotes need no escaping outside tags
    for tag in _ALLOWED_TAGS:
        escaped = escaped.replace(f"&lt;{tag}&gt;", f"<{tag}>")
        escaped = escaped.replace(f"&lt;/{tag}&gt;", f"</{tag}>")
    return escaped


def is_rtl(locale: str) -> bool:
    return Locale.parse(locale).character_order == "right-to-left"


def _load(locale: str, locales_dir: Path) -> NullTranslations:
    folder = locales_dir / locale / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:  # gettext reads it directly (a few ms, no parsing);
            return Translations(handle, domain=DOMAIN)  # fuzzy entries were left out
    if po.exists():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    else:
        return NullTranslations()
    translations = Translations(domain=DOMAIN)
    translations.plural = gettext.c2py(catalog.plural_expr)  # type: ignore[assignment]
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            strings = message.string if isinstance(message.string, tuple | list) else ()
            for index, text in enumerate(strings):
                if text:
                    translations._catalog[(message.id[0], index)] = text
        elif isinstance(message.string, str) and message.string:
            translations._catalog[message.id] = message.string
    return translations


class Translator:
    """Translates and formats messages for one of the supported locales."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        self._dir = locales_dir
        self._catalogs: dict[str, NullTranslations] = {}

    def catalog(self, locale: str) -> NullTranslations:
        if locale not in self._catalogs:
            self._catalogs[locale] = _load(locale, self._dir)
        return self._catalogs[locale]

    def gettext(self, locale: str, message: str) -> str:
        return self.catalog(locale).gettext(message) if message else message

    def ngettext(self, locale: str, singular: str, plural: str, n: int) -> str:
        return self.catalog(locale).ngettext(singular, plural, n)

    def t(self, locale: str, message: str | tuple[str, str], /, **params: object) -> Markup:
        """Translate ``message`` and fill in ``params`` (escaped, each isolated).

        ``message`` may be a singular/plural pair (``NP_``): then ``params["n"]`` is the
        count that chooses the form (a parser's error carries its count that way).
        """
        if isinstance(message, tuple):
            rest = dict(params)
            n = rest.pop("n")
            return self.tn(locale, message, n if isinstance(n, int) else int(str(n)), **rest)
        return self._format(locale, _html_safe(self.gettext(locale, message)), params)

    def tn(self, locale: str, forms: tuple[str, str], n: int, /, **params: object) -> Markup:
        """Translate a singular/plural pair for ``n`` (also available as ``{n}``)."""
        text = _html_safe(self.ngettext(locale, forms[0], forms[1], n))
        return self._format(locale, text, {"n": n, **params})

    def _format(self, locale: str, template: str, params: dict[str, object]) -> Markup:
        if not params:
            return Markup(template)
        # Isolated in every language: an Arabic name in a Dutch sentence, a Dutch
        # address in an Arabic one, a number after a word - none reorders the rest.
        # Markup (a bold name, a ready-made sentence) is the caller's own layout.
        prepared = {key: value if isinstance(value, Markup) else isolated(value)
                    for key, value in params.items()}
        return Markup(template.format(**prepared))

    def format_list(self, locale: str, items: Iterable[object]) -> Markup:
        """Items joined as the locale joins them (Babel, CLDR): "a, b en c", "a, b and c",
        "a وb وc"; each item escaped unless Markup, and isolated."""
        parts = [str(isolated(item)) for item in items]
        if not parts:
            return Markup("")
        # CLDR's list patterns for nl, en and ar are words and commas: nothing to escape.
        return Markup(_babel_format_list(parts, style="standard",
                                         locale=BABEL_LOCALES.get(locale, locale)))

    def format_date(self, locale: str, value: date) -> str:
        """A date as people in this locale write it: 12 maart 1998, 12 March 1998."""
        return _babel_format_date(value, format="long", locale=BABEL_LOCALES.get(locale, locale))

    def format_datetime(self, locale: str, value: datetime, tz: str) -> str:
        return _babel_format_datetime(value, format="d MMMM y, HH:mm", tzinfo=ZoneInfo(tz),
                                      locale=BABEL_LOCALES.get(locale, locale))


@cache
def translator() -> Translator:
    """The process-wide translator for the shipped catalogues."""
    return Translator()


def supported_locale(code: str | None, default: str = "nl") -> str:
    """Map a Telegram ``language_code`` (e.g. "en-GB", "ar") to a supported locale."""
    if not code:
        return default
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in SUPPORTED_LOCALES else default
