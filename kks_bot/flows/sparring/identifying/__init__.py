"""Does a sparring question look like it identifies a family?

Sparring is anonymous: a professional asks a coordinator for advice without names or other
identifying details. Before such a question is sent, :func:`identifying_details` looks for
what would identify a family and returns the kinds it found, so the bot can warn (the
professional decides; this is a warning, never a block).

Pure and fast: no I/O, no clock, no dateparser (about 1 ms a call, too slow for scanning free
text); regular expressions, the ``phonenumbers`` matcher, and word lists. Month names come
from Babel's locale data (nl, en, ar and the Levantine ar_SY months such as آذار), digits are
normalised with :func:`kks_bot.forms.parsers.normalize_digits` (Arabic-Indic digits become
ASCII) and municipality names come from the shipped :class:`~kks_bot.directory.Directory`.

Names are found by heuristics, since there is no offline named-entity recogniser:

(a) a title or kin word followed by a capitalised word ("mevrouw Jansen", "mevr. de Vries",
    "moeder Fatima", "Mrs Smith"); Arabic السيدة/السيد/عائلة/أبو followed by a word that is
    not a known non-name, and أم (which also means "or") only before a common given name or
    at the start of a sentence;
(b) a naming phrase followed by a word: "heet"/"called" (then capitalised), "genaamd",
    "named", "haar naam is", "her name is", "naam:", "ze heet", "اسمها", "اسمه", "تدعى";
(c) a capitalised word inside a sentence that is not on the stoplist of known non-names
    (days, months, countries, languages, nationalities, Zuid-Limburg places, organisations,
    roles, pronouns); acronyms in capitals and the first word of a sentence or line do not
    count, except a first word followed by an age ("Fatima (23)", "Sarah, 19,") or by
    "is zwanger"/"is pregnant"/"is 19";
(d) a common Arabic given name anywhere (Arabic script has no capitals).

Before names are looked for, e-mail addresses, links, dates and phone numbers are blanked
out, so "Fatima.Jansen@ziggo.nl" counts as an e-mail address only.
"""

from .detect import KINDS, identifying_details

__all__ = ["KINDS", "identifying_details"]
