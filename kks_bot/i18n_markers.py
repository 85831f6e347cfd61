"""Markers for translatable strings, importable from pure domain code.

``N_`` marks a Dutch source string for extraction by Babel without translating it
at import time; the string is translated later, in the user's language, when it
is rendered. ``NP_`` does the same for a singular/plural pair.
"""


def N_(message: str) -> str:
    """Mark ``message`` for translation; return it unchanged."""
    return message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for translation; return it unchanged."""
    return (singular, plural)
