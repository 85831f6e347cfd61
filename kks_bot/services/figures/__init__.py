"""The factsheet (issue 14): anonymous figures per municipality and period, computed from
the bot's own data for the families who consented to monitoring, with small cells
suppressed so that no published number can point to a family; as a PDF and CSV
(``kks-bot admin factsheet``) and as a chart in the bot (``/cijfers``).

``model`` holds the pure part (what a case contributes, the tables, the suppression),
``compute`` turns cases into tables, ``load`` reads the cases from the database, ``text``
gives the labels in a language, ``sheet`` and ``chart`` draw them."""
