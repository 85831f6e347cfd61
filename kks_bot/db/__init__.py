"""Database tables (``models``, and the FAQ's own in ``faq_tables``): both are imported
here so that ``Base.metadata`` always holds every table."""

from . import faq_tables, models  # noqa: F401
