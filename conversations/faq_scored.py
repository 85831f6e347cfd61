"""Questions from the FAQ benchmark sets that were scored once (bench/data), as more
examples for the sentence model's classifier. They are data, in faq_scored.json, written by
scripts/faq_scored.py. ``SCORED`` holds them per entry and language, ``SCORED_OUT`` the
questions no entry answers. The lexical matcher does not read them (see faq_training.py).
"""

from __future__ import annotations

import json
from importlib.resources import files

_DATA = json.loads(files(__package__).joinpath("faq_scored.json").read_text(encoding="utf-8"))

SCORED: dict[str, dict[str, tuple[str, ...]]] = {
    entry: {language: tuple(texts) for language, texts in languages.items()}
    for entry, languages in _DATA["scored"].items()}
SCORED_OUT: dict[str, tuple[str, ...]] = {
    language: tuple(texts) for language, texts in _DATA["out_of_scope"].items()}
