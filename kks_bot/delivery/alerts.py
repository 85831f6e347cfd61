"""The administrators hear of delivery trouble: once when messages have been failing for
a while, once more when everything goes out again, and of each message given up."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..clock import Clock
from ..crypto import Cipher
from ..db.models import Account, Outbox
from ..i18n import N_, NP_, Translator
from .outbox import Limits, enqueue

log = logging.getLogger(__name__)


class Alerts:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                 clock: Clock, tr: Translator, admin_ids: Sequence[int],
                 default_locale: str, limits: Limits) -> None:
        self.sessions, self.cipher, self.clock, self.tr = sessions, cipher, clock, tr
        self.admin_ids, self.default_locale, self.limits = admin_ids, default_locale, limits
        self.alerted = False  # told that delivery is failing, not yet that it works again
        self.given_up = 0  # messages given up while it was failing (reported one by one)

    async def tell(self, message: str | tuple[str, str], n: int = 1,
                   **params: object) -> None:
        """A warning for every administrator, in their language, through the outbox
        (``message`` a plural pair: counted by ``n``)."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            for admin in self.admin_ids:
                account = await session.get(Account, admin)
                locale = account.locale if account else self.default_locale
                text = (self.tr.tn(locale, message, n, **params)
                        if isinstance(message, tuple) else self.tr.t(locale, message, **params))
                enqueue(session, self.cipher, admin, "send", {
                    "text": "⚠️ " + text, "buttons": [], "locale": locale}, now)

    async def check(self) -> None:
        """Alert once when messages have been failing for ``Limits.alert_after``, and
        once more when nothing is failing any more."""
        since = self.clock.now() - timedelta(seconds=self.limits.alert_after)
        async with self.sessions() as session:
            stuck = (await session.execute(
                select(Outbox.kind, Outbox.error).where(
                    Outbox.status == "pending", Outbox.attempts > 0,
                    Outbox.created_at < since).limit(200))).all()
        if stuck and not self.alerted:
            self.alerted = True
            kinds = ", ".join(sorted({kind for kind, _ in stuck}))
            why = next((error for _, error in stuck if error), "?")
            log.error("outbox: %s message(s) failing for more than %.0f minutes (%s): %s",
                      len(stuck), self.limits.alert_after / 60, kinds, why)
            await self.tell(NP_("Bezorgen lukt al een tijd niet: {n} bericht ({kinds}) "
                                "wacht. Oorzaak: {error}. Ik blijf het proberen en meld het "
                                "als het weer lukt.",
                                "Bezorgen lukt al een tijd niet: {n} berichten ({kinds}) "
                                "wachten. Oorzaak: {error}. Ik blijf het proberen en meld het "
                                "als het weer lukt."),
                            len(stuck), kinds=kinds, error=why[:80])
        elif not stuck and self.alerted:
            self.alerted, given_up, self.given_up = False, self.given_up, 0
            log.warning("outbox: delivering again (%s given up meanwhile)", given_up)
            if not given_up:
                await self.tell(N_("Bezorgen lukt weer: wat wachtte, is verstuurd."))
            else:  # the wait is over because they were given up, not because they went
                await self.tell(NP_("Er wacht niets meer, maar niet alles is aangekomen: "
                                    "{n} bericht is opgegeven. Zie {command}.",
                                    "Er wacht niets meer, maar niet alles is aangekomen: "
                                    "{n} berichten zijn opgegeven. Zie {command}."),
                                given_up, command="kks-bot admin outbox")
