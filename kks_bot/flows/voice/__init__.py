"""The family's own voice (issue 16): before the meeting the six Positieve Gezondheid
dimensions rated 0-10 and what goes well and what to talk about, in the family's language
and plain words; afterwards how they experienced the meeting; at the evaluation the
ratings again. The coordinator (and the case director) see it as text and a spider-web
chart. Announced by the meetings flow through ``Env.emit``; this flow imports no other."""
