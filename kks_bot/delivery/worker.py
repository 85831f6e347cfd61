"""The outbox worker: delivers due rows in order per chat, at Telegram's pace, and settles
each (sent, retried, uncertain, failed); one process at a time holds the outbox lease.
The rules it follows are in :mod:`kks_bot.delivery.outbox`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from ..clock import Clock
from ..crypto import Cipher
from ..db.models import Account, Outbox
from ..i18n import N_, NP_, Translator
from ..metrics import DELIVERIES, FAILURES
from ..text import plain_text
from .alerts import Alerts
from .cleanup import TagDeleter
from .documents import render_document, send_mail
from .lease import Lease
from .mail import MailSettings
from .outbox import (
    BULK,
    REPEATABLE,
    URGENT,
    URGENT_EVERY,
    BadMarkup,
    Limits,
    MaybeSent,
    Rejected,
    RetryLater,
    TemporaryFailure,
    TokenBucket,
    Transport,
    Uncertain,
    Unreachable,
    enqueue,
    gate_open,
    reason,
)

log = logging.getLogger(__name__)

PAGE = 100  # outbox rows read at a time
LIMIT = 500  # rows settled in one deliver() (then the alerts, the lease, and on)


def _pick(queue: list[tuple[Any, ...]], blocked: set[int], settled: set[int],
          served: dict[int, int]) -> tuple[Any, ...] | None:
    """The next row to deliver from ``queue`` (rows in id order: id, chat_id, due, kind,
    attempts, priority): among each chat's first waiting row, that of the chat served
    longest ago in this pass (never: first), urgent before bulk, then the oldest. Rows
    already delivered out of turn (``settled``) leave the queue. So under load a reply
    of two messages may have another chat's message between them: the first sign of an
    answer reaches everyone as soon as it can."""
    if settled:
        queue[:] = [row for row in queue if row[0] not in settled]
    best: tuple[Any, ...] | None = None
    best_key: tuple[int, int, int] | None = None
    first: set[int] = set()
    for row in queue:
        chat = row[1]
        if chat in first:
            continue
        first.add(chat)
        if chat in blocked:
            continue
        key = (served.get(chat, -1), row[5], row[0])
        if best_key is None or key < best_key:
            best, best_key = row, key
    return best


class OutboxWorker:
    """Delivers due outbox rows through a transport."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                 transport: Transport, clock: Clock, tr: Translator,
                 limits: Limits | None = None, mail: MailSettings | None = None,
                 admin_ids: Sequence[int] = (), default_locale: str = "nl") -> None:
        self.mail = mail
        self.admin_ids = tuple(sorted(set(admin_ids)))
        self.default_locale = default_locale
        self.sessions = sessions
        self.cipher = cipher
        self.transport = transport
        self.clock = clock
        self.tr = tr
        self.limits = limits or Limits()
        self._global = TokenBucket(self.limits.global_rate, self.limits.global_burst)
        self._chats: dict[int, TokenBucket] = {}
        self._lock = asyncio.Lock()
        self.wakeup = asyncio.Event()
        self.lease = Lease(sessions, clock)
        self._leased = False  # deliver only while holding the lease (run(lease=True))
        self.paced: float | None = None  # seconds until a chat skipped for its pace may send
        self.alerts = Alerts(sessions, cipher, clock, tr, self.admin_ids, default_locale,
                             self.limits)
        self._tags = TagDeleter(sessions, cipher, transport, clock, tr)

    async def recover(self) -> int:
        """After a crash: a send caught mid-call is uncertain (it may have arrived);
        edits and deletions are safe to repeat, so they go back to pending."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(Outbox).where(Outbox.status == "sending", Outbox.kind == "send")
                .values(status="uncertain", error="interrupted while sending"))
            await session.execute(
                update(Outbox).where(Outbox.status == "sending")
                .values(status="pending", error="interrupted"))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def deliver(self, *, limit: int = LIMIT) -> int:
        """Deliver every due row, in order per chat, fairly between chats. Returns rows
        settled.

        A chat that must wait for its pace (one message a second after a burst) is
        skipped and the others are served; the next pass, as soon as a chat may send
        again, takes up where it waited. So one chat with 300 messages never makes
        another chat wait more than a pass. Between bulk rows, due urgent rows of other
        chats go first (:meth:`_deliver_urgent`).
        """
        async with self._lock:
            done = 0
            self.paced = None
            while done < limit:
                settled, self.paced = await self._pass(limit - done)
                done += settled
                if not settled:
                    break  # only chats waiting for their pace: run() comes back for them
            self._forget_idle_chats()
            return done

    async def drain(self) -> int:
        """Deliver until nothing due is left, waiting for the chats' pace (the console,
        which has no background worker between two lines)."""
        done = await self.deliver()
        while self.paced is not None:
            await asyncio.sleep(self.paced)
            done += await self.deliver()
        return done

    def _forget_idle_chats(self) -> None:
        """Per-chat pacing state of chats that are quiet again (it would grow forever)."""
        if len(self._chats) > 1000:
            self._chats = {chat: bucket for chat, bucket in self._chats.items()
                           if not bucket.full}

    async def _pass(self, limit: int) -> tuple[int, float | None]:
        """One pass over the due rows: how many settled, and (if chats were skipped for
        their pace) how long until the first of them may send.

        Round robin: the next row is the first waiting row of the chat served longest
        ago in this pass (urgent before bulk, then the oldest). Rows queued during the pass
        (:attr:`wakeup`) are read before the next message is chosen, so twenty people
        who wrote at once each get their first answer before anyone gets a second."""
        done = 0
        paced: float | None = None
        blocked: set[int] = set()
        settled: set[int] = set()  # delivered out of turn, as urgent
        served: dict[int, int] = {}  # chat -> when it was last served (a count of rows)
        queue: list[tuple[Any, ...]] = []
        after, more, read = 0, False, True
        bulk_run = 0
        while done < limit:
            if read or self.wakeup.is_set():
                self.wakeup.clear()
                rows = await self._page(after)
                if rows:
                    after = rows[-1][0]
                    queue += rows
                more, read = len(rows) == PAGE, False
                if self._leased and done and not await self.hold_lease():
                    break  # another process took over (we stalled past the lease)
            row = _pick(queue, blocked, settled, served)
            if row is None:
                if more:
                    read = True  # the rows read so far all wait: read on
                    continue
                break
            row_id, chat_id, due, kind, attempts, priority = row
            if due > self.clock.now():
                queue.remove(row)
                if attempts:  # a retry: later messages of this chat wait for it
                    blocked.add(chat_id)
                continue  # scheduled for later (e.g. removing a view after 12 h)
            if kind in ("send", "edit", "document"):
                # Not this chat's turn yet: serve the others, come back. (A kill while
                # waiting leaves the row pending, not "maybe sent".)
                wait = self._chat_wait(chat_id)
                if wait:
                    blocked.add(chat_id)
                    paced = wait if paced is None else min(paced, wait)
                    continue
                wait = self._global.ready_in()
                if wait:  # the bot's pace: meanwhile someone may have written
                    await asyncio.sleep(wait)
                    if self.wakeup.is_set():
                        continue  # read what came in, then choose again
            queue.remove(row)
            if priority == BULK:
                bulk_run += 1
                if bulk_run % URGENT_EVERY == 1:
                    urgent = await self._deliver_urgent(blocked | {chat_id})
                    settled.update(urgent)
                    done += len(urgent)
            if kind in ("send", "edit", "document"):
                await self._pace(chat_id)
            ok = await self._deliver_one(row_id)
            done += 1
            served[chat_id] = done
            if not ok:
                blocked.add(chat_id)  # wait for the retry, keep the order
        return done, paced

    async def _page(self, after: int) -> list[tuple[Any, ...]]:
        """The next :data:`PAGE` pending rows after id ``after``, in id order."""
        async with self.sessions() as session:
            query = (select(Outbox.id, Outbox.chat_id, Outbox.next_attempt_at, Outbox.kind,
                            Outbox.attempts, Outbox.priority)
                     .where(Outbox.status == "pending", Outbox.id > after)
                     .order_by(Outbox.id).limit(PAGE))
            return [tuple(r) for r in await session.execute(query)]

    async def _deliver_urgent(self, blocked: set[int], limit: int = 50) -> list[int]:
        """Deliver due urgent rows whose chat has nothing older waiting; their ids."""
        older = aliased(Outbox)
        delivered: list[int] = []
        while len(delivered) < limit:
            now = self.clock.now()
            waiting = or_(older.status == "sending", and_(
                older.status == "pending",
                or_(older.next_attempt_at <= now, older.attempts > 0)))
            async with self.sessions() as session:
                rows = [(r.id, r.chat_id, r.kind) for r in await session.execute(
                    select(Outbox.id, Outbox.chat_id, Outbox.kind)
                    .where(Outbox.status == "pending", Outbox.priority == URGENT,
                           Outbox.next_attempt_at <= now,
                           ~exists().where(older.chat_id == Outbox.chat_id,
                                           older.id < Outbox.id, waiting))
                    .order_by(Outbox.id).limit(20))]
            rows = [r for r in rows if r[1] not in blocked and r[0] not in delivered]
            if not rows:
                break
            for row_id, chat_id, kind in rows:
                if kind in ("send", "edit", "document"):
                    if self._chat_wait(chat_id):
                        blocked.add(chat_id)  # its turn comes in the next pass
                        continue
                    await self._pace(chat_id)
                ok = await self._deliver_one(row_id)
                delivered.append(row_id)
                if not ok:
                    blocked.add(chat_id)
        return delivered

    async def run(self, stop: asyncio.Event, idle: float = 1.0, *, lease: bool = False) -> None:
        """Deliver until ``stop`` is set; wake up early on :attr:`wakeup`.

        ``lease``: several bot processes share the database; only the one holding the
        outbox lease delivers (so the bot as a whole keeps Telegram's pace), the others
        stand by and take over when it stops or dies. Taking the lease recovers what
        the previous holder left mid-send (:meth:`recover`).
        """
        self._leased = lease
        next_check = 0.0
        try:
            while not stop.is_set():
                # Cleared before the pass: a row queued during it wakes the next one.
                self.wakeup.clear()
                more = False
                try:
                    if not lease or await self.hold_lease():
                        more = await self.deliver() >= LIMIT  # stopped at the limit
                        if time.monotonic() >= next_check:
                            next_check = time.monotonic() + 30
                            await self.alerts.check()
                except Exception as exc:  # keep delivering whatever one row did
                    log.error("outbox pass failed: %s", type(exc).__name__)
                if more:
                    continue  # no pause: the rest is due as well
                # Back as soon as a chat skipped for its pace may send again.
                pause = idle if self.paced is None else min(idle, self.paced)
                try:
                    await asyncio.wait_for(self.wakeup.wait(), timeout=pause)
                except TimeoutError:
                    pass
        finally:
            if lease:
                await self.release_lease()

    @property
    def holder(self) -> str:
        """Who this worker is, in the lease (host, process, instance)."""
        return self.lease.holder

    @holder.setter
    def holder(self, value: str) -> None:
        self.lease.holder = value

    async def hold_lease(self) -> bool:
        """Take or renew the outbox lease (:class:`~kks_bot.delivery.lease.Lease`); True
        while this worker holds it. Taking it over recovers what the previous holder
        left mid-send."""
        taken = await self.lease.hold()
        if taken is None:
            return False
        if taken:
            recovered = await self.recover()
            if recovered:
                log.warning("%s outbox message(s) were interrupted mid-send: marked "
                            "uncertain", recovered)
        return True

    async def release_lease(self) -> None:
        """On a clean stop: let a standby process take over at once."""
        await self.lease.release()

    async def _claim(self, row_id: int) -> Outbox | None:
        """pending -> sending, and the row as it is now, in one statement (None: another
        worker took it)."""
        async with self.sessions() as session, session.begin():
            return (await session.execute(
                update(Outbox).where(Outbox.id == row_id, Outbox.status == "pending")
                .values(status="sending", attempts=Outbox.attempts + 1)
                .returning(Outbox).execution_options(synchronize_session=False))
            ).scalar_one_or_none()

    async def _settle(self, row_id: int, **values: Any) -> None:
        DELIVERIES.labels(values.get("status", "?")).inc()
        async with self.sessions() as session, session.begin():
            await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))

    def _bucket(self, chat_id: int) -> TokenBucket:
        return self._chats.setdefault(
            chat_id, TokenBucket(self.limits.chat_rate, self.limits.chat_burst))

    def _chat_wait(self, chat_id: int) -> float:
        """Seconds until ``chat_id`` may have its next message (0: now)."""
        return self._bucket(chat_id).ready_in()

    async def _pace(self, chat_id: int) -> None:
        """Take the chat's token (free: :meth:`_chat_wait` said so) and the bot's; wait
        for the bot's (every chat shares it, so waiting there is fair)."""
        wait = max(self._global.delay(), self._bucket(chat_id).delay())
        if wait > 0:
            await asyncio.sleep(wait)

    async def _deliver_one(self, row_id: int) -> bool:
        row = await self._claim(row_id)
        if row is None:
            return True
        if row.gate and row.kind in ("send", "edit", "document"):
            async with self.sessions() as session:
                allowed = await gate_open(session, row.gate, row.chat_id)
            if not allowed:  # e.g. the coordinator was deactivated since it was queued
                log.info("outbox row %s (%s) dropped: %s no longer holds", row.id, row.kind,
                         row.gate.partition(":")[0])
                await self._settle(row.id, status="failed", error="revoked")
                return True
        payload: dict[str, Any] = self.cipher.open_json(row.payload_sealed, row.aad)
        now = self.clock.now()
        try:
            try:
                message_id = await self._perform(row, payload)
            except BadMarkup:
                await self._markup_refused(row)
                message_id = await self._perform(row, payload, html=False)
        except RetryLater as exc:
            FAILURES.labels("429").inc()
            await self._retry(row, exc.seconds, "429")
            return False
        except TemporaryFailure as exc:
            FAILURES.labels("temporary").inc()
            backoff = min(2.0 ** row.attempts, self.limits.max_backoff)
            await self._retry(row, backoff, str(exc)[:200])
            return False
        except Uncertain as exc:
            FAILURES.labels("timeout").inc()
            if row.kind in REPEATABLE and not isinstance(exc, MaybeSent):
                backoff = min(2.0 ** row.attempts, self.limits.max_backoff)
                await self._retry(row, backoff, "timeout")
                return False
            await self._settle(row.id, status="uncertain", error="timeout")
            return True
        except Unreachable:
            FAILURES.labels("unreachable").inc()
            log.warning("chat unreachable (outbox row %s)", row.id)
            await self._unreachable(row)
            return True
        except Rejected as exc:
            FAILURES.labels("rejected").inc()
            why = reason(exc)
            log.warning("outbox row %s (%s) rejected: %s", row.id, row.kind, why)
            await self._settle(row.id, status="failed", error=why)
            if row.kind in ("mail", "document") and row.chat_id not in self.admin_ids:
                # A permanent refusal (e.g. a mailbox that does not exist): say so.
                await self.alerts.tell(N_("Niet bezorgd, en opnieuw proberen helpt niet: "
                                           "een bericht (soort: {kind}, nummer {row}). "
                                           "Reden: {error}."), kind=row.kind, row=row.id,
                                        error=why[:120])
            return True
        await self._settle(row.id, status="sent", sent_at=now, message_id=message_id, error=None)
        return True

    async def _unreachable(self, row: Outbox) -> None:
        """403: fail the row; for a message, mark the user unreachable and, the first
        time, tell the administrators (all in one transaction)."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.execute(update(Outbox).where(Outbox.id == row.id)
                                  .values(status="failed", error="unreachable"))
            if row.kind not in ("send", "edit", "document"):
                return  # a deletion that failed: no message went missing
            # Only the first 403 since the user was last reachable alerts (no Account:
            # nothing to mark, nobody we know of).
            marked = await session.execute(
                update(Account).where(Account.user_id == row.chat_id,
                                      Account.unreachable_at.is_(None))
                .values(unreachable_at=now))
            if (marked.rowcount or 0) != 1 or row.chat_id in self.admin_ids:  # type: ignore[attr-defined]
                return
            for admin in self.admin_ids:
                account = await session.get(Account, admin)
                locale = account.locale if account else self.default_locale
                enqueue(session, self.cipher, admin, "send", {
                    "text": "⚠️ " + self.tr.t(
                        locale, N_("Let op: een bericht kon niet worden bezorgd, omdat "
                                   "gebruiker {user} de bot heeft geblokkeerd. Wat er niet "
                                   "aankwam, staat in de zaak."), user=row.chat_id),
                    "buttons": [], "locale": locale}, now)

    async def _markup_refused(self, row: Outbox) -> None:
        """A message whose HTML Telegram refused: a bug. Log it (the kind, never the
        content), tell the administrators; the caller sends it as plain text."""
        log.error("outbox row %s (%s): Telegram could not parse its HTML; sent as plain "
                  "text instead. This is a bug in the bot.", row.id, row.kind)
        await self.alerts.tell(N_("Fout in de bot: Telegram weigerde de opmaak van een "
                                   "bericht (soort: {kind}, nummer {row}). Het is als gewone "
                                   "tekst verstuurd. Meld dit aan de ontwikkelaars."),
                                kind=row.kind, row=row.id)

    async def _retry(self, row: Outbox, seconds: float, error: str) -> None:
        age = (self.clock.now() - row.created_at).total_seconds()
        limits = self.limits
        if age >= limits.give_up_after or (limits.max_attempts
                                           and row.attempts >= limits.max_attempts):
            await self._settle(row.id, status="failed", error=error)
            self.alerts.given_up += 1
            log.error("outbox row %s (%s) given up after %s attempts in %.0f hours: %s",
                      row.id, row.kind, row.attempts, age / 3600, error)
            await self.alerts.tell(NP_("Opgegeven na {n} uur proberen: een bericht (soort: "
                                       "{kind}, nummer {row}). Zie {command}.",
                                       "Opgegeven na {n} uur proberen: een bericht (soort: "
                                       "{kind}, nummer {row}). Zie {command}."),
                                   int(age // 3600), kind=row.kind, row=row.id,
                                   command="kks-bot admin outbox")
            return
        await self._settle(row.id, status="pending", error=error,
                           next_attempt_at=self.clock.now() + timedelta(seconds=seconds))

    def _buttons(self, payload: dict[str, Any]) -> list[list[tuple[str, str]]]:
        return [[(label, data) for label, data in row] for row in payload.get("buttons", [])]

    async def _perform(self, row: Outbox, payload: dict[str, Any], *,
                       html: bool = True) -> int | None:
        if not html:
            payload = {**payload, "text": plain_text(payload.get("text", "")),
                       "caption": plain_text(payload.get("caption", ""))}
        if row.kind == "send":
            return await self.transport.send(row.chat_id, payload["text"], self._buttons(payload),
                                             html=html)
        if row.kind == "edit":
            assert row.target_message_id is not None
            try:
                await self.transport.edit(row.chat_id, row.target_message_id, payload["text"],
                                          self._buttons(payload), html=html)
                return row.target_message_id
            except BadMarkup:
                raise
            except Rejected as exc:
                if "not modified" in str(exc):
                    return row.target_message_id
                # The message is gone or too old to edit: send the screen anew.
                try:
                    return await self.transport.send(row.chat_id, payload["text"],
                                                     self._buttons(payload), html=html)
                except Uncertain:
                    raise MaybeSent() from None
        if row.kind == "delete":
            assert row.target_message_id is not None
            if not await self.transport.delete(row.chat_id, [row.target_message_id]):
                await self._tags.note(row.chat_id, payload["locale"], self.tr.t(
                    payload["locale"],
                    N_("Ik kon je bericht niet uit de chat wissen (het is te oud). "
                       "Wis het zelf, want het bevat gegevens van het gezin.")))
            return None
        if row.kind == "delete_tag":
            await self._tags.delete(row, payload)
            return None
        if row.kind == "mail":
            await send_mail(self.sessions, self.cipher, self.mail, self.clock, payload)
            return None
        if row.kind == "document":
            filename, data = await render_document(self.sessions, self.cipher, payload)
            return await self.transport.send_document(row.chat_id, filename, data,
                                                      payload.get("caption", ""), html=html)
        raise Rejected(f"unknown outbox kind {row.kind}")

