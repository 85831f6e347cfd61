"""Declarative conversations: the forms and flows the bot walks users through.

Loading this package validates every form (see :func:`schema.validate_form`), so a
broken definition stops the bot at start-up, not in the middle of a registration.
"""

from .aanmeldformulier import AANMELDFORMULIER
from .schema import validate_form

validate_form(AANMELDFORMULIER)

__all__ = ["AANMELDFORMULIER"]
