"""``kks-bot check``: the conversations load and every catalogue is complete and sound."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, unescape

from .config import SUPPORTED_LOCALES
from .i18n import LOCALES_DIR

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
TAG = re.compile(r"</?[a-z]+>")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _plural_form_counts(path: Path) -> dict[str, int]:
    """How many ``msgstr[i]`` lines each plural entry really has (Babel pads them)."""
    counts: dict[str, int] = {}
    current: str | None = None
    in_msgid = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current, in_msgid = unescape(line[6:].strip()), True
        elif line.startswith('"') and in_msgid and current is not None:
            current += unescape(line.strip())
        elif line.startswith("msgstr[") and current is not None:
            in_msgid = False
            counts[current] = counts.get(current, 0) + 1
        else:
            in_msgid = False
            if not line.strip():
                current = None
    return counts


def _shape(text: str) -> tuple[list[str], list[str]]:
    return sorted(PLACEHOLDER.findall(text)), sorted(TAG.findall(text))


def catalogue_problems(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Missing, fuzzy or broken translations, in every supported locale."""
    problems: list[str] = []
    template = _read(locales_dir / "messages.pot")
    wanted = {m.id if isinstance(m.id, str) else m.id[0]: m for m in template if m.id}
    for locale in SUPPORTED_LOCALES:
        path = locales_dir / locale / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            problems.append(f"{locale}: no catalogue at {path}")
            continue
        catalog = _read(path, locale)
        nplurals = get_plural(locale).num_plurals
        if catalog.num_plurals != nplurals:
            problems.append(f"{locale}: header has {catalog.num_plurals} plural forms, "
                            f"CLDR has {nplurals}")
        have = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
        raw_counts = _plural_form_counts(path)
        for key, source in wanted.items():
            message = have.get(key)
            label = f"{locale}: {key[:60]!r}"
            if message is None:
                problems.append(f"{label}: missing")
                continue
            if message.fuzzy:
                problems.append(f"{label}: fuzzy")
            strings = message.string if isinstance(message.string, tuple | list) \
                else [message.string]
            if isinstance(source.id, tuple | list):
                count = raw_counts.get(key, len(strings))
                if count != nplurals:
                    problems.append(f"{label}: {count} plural forms, needs {nplurals}")
                source_shape = _shape(source.id[1])
            else:
                source_shape = _shape(source.id)
            for text in strings:
                if not text:
                    problems.append(f"{label}: untranslated")
                    break
                if _shape(text)[1] != source_shape[1]:
                    problems.append(f"{label}: HTML tags differ")
                placeholders = set(_shape(text)[0])
                if isinstance(source.id, tuple | list):
                    if not placeholders <= set(source_shape[0]) | {"n"}:
                        problems.append(f"{label}: unknown placeholder")
                elif placeholders != set(source_shape[0]):
                    problems.append(f"{label}: placeholders differ")
                if locale == "ar" and text.lstrip().startswith("{"):
                    problems.append(f"{label}: starts with a placeholder")
    return problems


def run_checks() -> list[str]:
    problems: list[str] = []
    try:
        # Inside the try: a broken form is reported as a problem, not a crash.
        import conversations  # noqa: F401  (validates the forms on import)
    except Exception as exc:
        problems.append(f"conversations: {exc}")
    problems.extend(catalogue_problems())
    return problems
