"""Removing a tagged group of messages (a draft's walk after submit, a view after 12
hours): every message whose id is known, and the gap where one with an unknown id (a
send that timed out) must be; what is older than 48 hours cannot be removed by a bot, and
the user is told."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..clock import Clock
from ..crypto import Cipher
from ..db.models import Outbox
from ..i18n import NP_, Translator
from .outbox import DELETE_WINDOW, GAP_WINDOW, Transport, enqueue

log = logging.getLogger(__name__)


class TagDeleter:
    """Deletes the messages of a tag for the outbox worker."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                 transport: Transport, clock: Clock, tr: Translator) -> None:
        self.sessions, self.cipher, self.transport = sessions, cipher, transport
        self.clock, self.tr = clock, tr

    async def delete(self, row: Outbox, payload: dict[str, Any]) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            # Messages of this tag not sent yet are no longer wanted.
            await session.execute(
                update(Outbox).where(Outbox.chat_id == row.chat_id, Outbox.tag == row.tag,
                                     Outbox.id < row.id, Outbox.status == "pending")
                .values(status="dropped"))
            tagged = (await session.execute(
                select(Outbox.id, Outbox.message_id, Outbox.sent_at)
                .where(Outbox.chat_id == row.chat_id, Outbox.tag == row.tag,
                       Outbox.id < row.id, Outbox.kind.in_(("send", "edit", "document")),
                       Outbox.status.in_(("sent", "uncertain")))
                .order_by(Outbox.id))).all()
            # Every message of this chat whose id we know, in the order it was queued:
            # the neighbours of a message whose id we never learned.
            landmarks = [(int(i), int(m or 0)) for i, m in (await session.execute(
                select(Outbox.id, Outbox.message_id)
                .where(Outbox.chat_id == row.chat_id, Outbox.message_id.is_not(None),
                       Outbox.kind.in_(("send", "document")))
                .order_by(Outbox.id))).all()]
            # Messages meant to stay (no tag) whose id we never learned either: a gap
            # may hold them too.
            strays = [(int(i), at) for i, at in (await session.execute(
                select(Outbox.id, Outbox.created_at)
                .where(Outbox.chat_id == row.chat_id, Outbox.tag.is_(None),
                       Outbox.kind.in_(("send", "edit")), Outbox.status == "uncertain",
                       Outbox.message_id.is_(None))
                .order_by(Outbox.id))).all()]
        fresh: set[int] = set()
        upto: int | None
        # Untagged messages a deleted gap may have removed: outbox row -> the gap's ids.
        swept: dict[int, range] = {}
        too_old = 0
        for row_id, message_id, at in tagged:
            if message_id is not None:
                if at is not None and now - at < DELETE_WINDOW:
                    fresh.add(int(message_id))
                else:
                    too_old += 1
                continue
            # A send that timed out or was cut off: it may be in the chat, with an id we
            # never learned. It lies between its neighbours' ids; delete that gap
            # (deleteMessages skips ids that do not exist).
            before = [(i, m) for i, m in landmarks if i < row_id]
            after = [(i, m) for i, m in landmarks if i > row_id]
            if before and after and 0 < after[0][1] - before[-1][1] <= 50:
                gap, upto = range(before[-1][1] + 1, after[0][1]), after[0][0]
                # (queue order is send order in a chat: strays queued between the two
                # neighbours may lie in the gap)
            elif before:
                # Nothing of ours was sent after it: everything newer than its
                # predecessor in this chat is this walk's (or the user's typed answers).
                gap = range(before[-1][1] + 1, before[-1][1] + 1 + GAP_WINDOW)
                upto = None
            else:
                too_old += 1
                continue
            fresh.update(gap)
            for stray, _at in strays:
                if before[-1][0] < stray and (upto is None or stray < upto):
                    swept[stray] = gap
        ordered = sorted(fresh)
        kept: set[int] = set()
        for start in range(0, len(ordered), 100):
            if not await self.transport.delete(row.chat_id, ordered[start:start + 100]):
                too_old += len(ordered[start:start + 100])
                kept.update(ordered[start:start + 100])
        if swept:
            # Whatever of them was in the gap is gone now (and what never arrived was
            # never there): send them again, so that each is in the chat exactly once.
            await self.send_again(row.chat_id, [
                stray for stray, at in strays if stray in swept
                and not kept.intersection(swept[stray]) and now - at < DELETE_WINDOW])
        if too_old:
            locale = payload["locale"]
            await self.note(row.chat_id, locale, self.tr.tn(
                locale,
                NP_("{n} bericht van deze aanmelding kon ik niet wissen, omdat het ouder is "
                    "dan 48 uur. Wis het zelf, want het kan gegevens van het gezin bevatten.",
                    "{n} berichten van deze aanmelding kon ik niet wissen, omdat ze ouder zijn "
                    "dan 48 uur. Wis ze zelf, want ze kunnen gegevens van het gezin bevatten."),
                too_old))

    async def send_again(self, chat_id: int, row_ids: Sequence[int]) -> None:
        """Queue uncertain messages anew (same sealed payload), retiring the old rows."""
        if not row_ids:
            return
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            for old in (await session.execute(
                    select(Outbox).where(Outbox.id.in_(row_ids), Outbox.chat_id == chat_id,
                                         Outbox.status == "uncertain")
                    .order_by(Outbox.id))).scalars():
                old.status, old.error = "dropped", "removed with a gap; sent again"
                session.add(Outbox(chat_id=chat_id, kind="send", uid=old.uid,  # same seal
                                   payload_sealed=old.payload_sealed, status="pending",
                                   attempts=0, next_attempt_at=now, created_at=now))
        log.info("outbox: %s uncertain message(s) sent again after a gap deletion",
                 len(row_ids))

    async def note(self, chat_id: int, locale: str, text: str) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            enqueue(session, self.cipher, chat_id, "send",
                    {"text": text, "buttons": [], "locale": locale}, now)

