"""Delivering the outbox: every message the core decided to send, edit or delete.

A row is claimed (``pending`` -> ``sending``) in its own transaction before the
call and settled after it, so a crash in between leaves it ``sending``; at the
next start such rows become ``uncertain`` and are not blindly sent again (the
Bot API has no idempotency key: the message may have arrived). A send that
times out is ``uncertain`` as well; a timed-out edit or deletion is safe to
repeat and is retried. Network errors and 5xx answers are retried with backoff,
a 429 waits ``retry_after``, and sending never goes faster than Telegram
allows: about 30 messages a second in total and one a second per chat (with a
small burst for a reply of two or three messages).

A 403 (the user blocked the bot) fails the row, marks the account unreachable
(``Account.unreachable_at``) and, the first time, tells the administrators; the
core clears the mark with :func:`mark_reachable` when the user writes again.

A 400 "can't parse entities" is a bug in the bot, not a delivery problem: every text
is escaped on its way into a message (kks_bot/text.py), so this should never happen.
If it does, the error is logged with the row's kind (never its content), the
administrators are told, and the user gets the same message as plain text instead
of nothing.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from ..crypto import Cipher
from ..db.models import Account, Outbox, WorkerLease
from ..i18n import N_, NP_, Translator
from ..mail import MailSettings
from ..text import plain_text
from .clock import Clock

log = logging.getLogger(__name__)

DELETE_WINDOW = timedelta(hours=48)
GAP_WINDOW = 20  # ids probed after the last known message for one whose id is unknown
ButtonRows = Sequence[Sequence[tuple[str, str]]]


class DeliveryError(Exception):
    """A transport could not do what was asked."""


class RetryLater(DeliveryError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class TemporaryFailure(DeliveryError):
    """Network error or 5xx: try again later."""


class Uncertain(DeliveryError):
    """Timed out: the message may or may not have been delivered."""


class Unreachable(DeliveryError):
    """The user blocked the bot (403) or the chat does not exist."""


class Rejected(DeliveryError):
    """The request itself is wrong (400); retrying will not help."""


class BadMarkup(Rejected):
    """Telegram could not parse the message's HTML (400 "can't parse entities")."""


class _MaybeSent(Uncertain):
    """An edit fell back to sending the screen anew, and that send timed out."""


#: Kinds that are safe to repeat after a timeout (an edit that already took effect
#: answers "not modified", a deleted message is not found). A send is not.
REPEATABLE = ("edit", "delete", "delete_tag")

#: Priorities: a reply or notification someone is waiting for goes before bulk rows
#: (reminders and nudges the dispatcher queued), except within one chat, whose
#: messages always arrive in the order they were queued.
URGENT, BULK = 0, 1
URGENT_EVERY = 5  # bulk rows sent between two looks for urgent ones

LEASE = "outbox"
LEASE_SECONDS = 30.0


def _reason(exc: Exception) -> str:
    """Telegram's reason for a refusal, without what it quotes (it may quote the text)."""
    return re.sub(r'"[^"]*"', '"…"', str(exc))[:200]


def holder_id() -> str:
    """This process, as a lease holder: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_gone(holder: str, me: str) -> bool:
    """A holder on this host whose process is not running (killed, crashed): its lease
    need not run out. Another host's holder is only known gone when its lease expires."""
    host, _, rest = holder.partition(":")
    pid = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return holder != me  # an earlier process with our pid (a restarted container)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Transport(Protocol):
    """What a channel must offer to deliver the outbox."""

    # ``text`` is HTML (<b>, <i>, escaped text); with ``html=False`` it is plain text
    # (the fallback when Telegram refused the HTML), sent without a parse mode.

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int: ...

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None: ...

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool: ...

    async def send_document(self, chat_id: int, filename: str, data: bytes,
                            caption: str, *, html: bool = True) -> int: ...


class TokenBucket:
    """At most ``rate`` events a second, with bursts of up to ``capacity``."""

    def __init__(self, rate: float, capacity: float) -> None:
        self.rate, self.capacity = rate, capacity
        self.tokens, self.stamp = capacity, time.monotonic()

    def delay(self) -> float:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.tokens -= 1
        return wait


def enqueue(session: AsyncSession, cipher: Cipher, chat_id: int, kind: str,
            payload: dict[str, Any], now: datetime, *, tag: str | None = None,
            target: int | None = None, due: datetime | None = None,
            bulk: bool = False) -> None:
    """Queue a message (or deletion) in the outbox, sealed, in this transaction.
    ``bulk`` (or ``session.info["outbox_bulk"]``, set by the dispatcher of scheduled
    messages): a message nobody is waiting for right now (see :data:`BULK`)."""
    bulk = bulk or bool(session.info.get("outbox_bulk"))
    session.add(Outbox(
        chat_id=chat_id, kind=kind,
        payload_sealed=cipher.seal_json(payload, f"outbox:{chat_id}"),
        tag=tag, target_message_id=target, status="pending", attempts=0,
        priority=BULK if bulk else URGENT,
        next_attempt_at=due or now, created_at=now,
    ))


async def mark_reachable(session: AsyncSession, user_id: int) -> bool:
    """The user wrote again (so they unblocked the bot): clear the unreachable mark.
    True if it was set. A later 403 alerts the administrators again."""
    result = await session.execute(
        update(Account).where(Account.user_id == user_id, Account.unreachable_at.is_not(None))
        .values(unreachable_at=None))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


@dataclass
class Limits:
    """Pacing and retries. In any one second at most ``global_rate + global_burst``
    calls leave in total (30: Telegram's limit) and ``chat_rate + chat_burst`` to one
    chat."""

    global_rate: float = 25.0
    chat_rate: float = 1.0
    chat_burst: float = 3.0
    max_attempts: int = 8
    max_backoff: float = 300.0
    global_burst: float = 5.0


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
        self.holder = holder_id()
        self._leased = False  # deliver only while holding the lease (run(lease=True))

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

    async def deliver(self, *, limit: int = 500) -> int:
        """Deliver every due row once, in order per chat. Returns rows settled.

        A row that is not due yet (waiting for a retry) holds back the later rows of its
        chat, so a chat never sees its messages out of order. Between bulk rows, due
        urgent rows of other chats go first (:meth:`_deliver_urgent`), so a reply does
        not wait behind a thousand reminders.
        """
        async with self._lock:
            done = 0
            blocked: set[int] = set()
            settled: set[int] = set()  # delivered out of turn, as urgent
            after = 0
            bulk_run = 0
            while done < limit:
                now = self.clock.now()
                async with self.sessions() as session:
                    query = (select(Outbox.id, Outbox.chat_id, Outbox.next_attempt_at,
                                    Outbox.kind, Outbox.attempts, Outbox.priority)
                             .where(Outbox.status == "pending", Outbox.id > after)
                             .order_by(Outbox.id).limit(100))
                    rows = [(r.id, r.chat_id, r.next_attempt_at, r.kind, r.attempts,
                             r.priority) for r in await session.execute(query)]
                if not rows:
                    break
                if self._leased and done and not await self.hold_lease():
                    break  # another process took over (we stalled past the lease)
                for row_id, chat_id, due, kind, attempts, priority in rows:
                    after = row_id
                    if chat_id in blocked or row_id in settled:
                        continue
                    if due > now:
                        if attempts:  # a retry: later messages of this chat wait for it
                            blocked.add(chat_id)
                        continue  # scheduled for later (e.g. removing a view after 12 h)
                    if priority == BULK:
                        bulk_run += 1
                        if bulk_run % URGENT_EVERY == 1:
                            urgent = await self._deliver_urgent(blocked)
                            settled.update(urgent)
                            done += len(urgent)
                    if kind in ("send", "edit", "document"):
                        # Wait for the chat's turn before claiming: a kill while
                        # waiting must leave the row pending, not "maybe sent".
                        await self._pace(chat_id)
                    ok = await self._deliver_one(row_id)
                    done += 1
                    if not ok:
                        blocked.add(chat_id)  # wait for the retry, keep the order
            return done

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
        try:
            while not stop.is_set():
                try:
                    if not lease or await self.hold_lease():
                        await self.deliver()
                except Exception as exc:  # keep delivering whatever one row did
                    log.error("outbox pass failed: %s", type(exc).__name__)
                self.wakeup.clear()
                try:
                    await asyncio.wait_for(self.wakeup.wait(), timeout=idle)
                except TimeoutError:
                    pass
        finally:
            if lease:
                await self.release_lease()

    async def hold_lease(self) -> bool:
        """Take or renew the outbox lease; True while this worker holds it."""
        now = self.clock.now()
        until = now + timedelta(seconds=LEASE_SECONDS)
        async with self.sessions() as session, session.begin():
            row = await session.get(WorkerLease, LEASE)
            if row is None:
                session.add(WorkerLease(name=LEASE, holder=self.holder, expires_at=until))
                try:
                    await session.flush()
                except Exception:  # another process inserted it first
                    return False
                previous = None
            elif row.holder == self.holder:
                previous = self.holder
            elif row.expires_at <= now or holder_gone(row.holder, self.holder):
                previous = row.holder
            else:
                return False
            if row is not None:
                # Only if nobody changed it since we read it (two standbys at once).
                result = await session.execute(
                    update(WorkerLease).where(WorkerLease.name == LEASE,
                                              WorkerLease.holder == row.holder,
                                              WorkerLease.expires_at == row.expires_at)
                    .values(holder=self.holder, expires_at=until))
                if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
                    return False
        if previous != self.holder:
            recovered = await self.recover()
            log.info("outbox lease taken (from %s)", "nobody" if previous is None
                     else "a stopped process")
            if recovered:
                log.warning("%s outbox message(s) were interrupted mid-send: marked "
                            "uncertain", recovered)
        return True

    async def release_lease(self) -> None:
        """On a clean stop: let a standby process take over at once."""
        try:
            async with self.sessions() as session, session.begin():
                await session.execute(
                    update(WorkerLease).where(WorkerLease.name == LEASE,
                                              WorkerLease.holder == self.holder)
                    .values(expires_at=self.clock.now() - timedelta(seconds=1)))
        except Exception as exc:  # the database is gone: the lease runs out by itself
            log.warning("outbox lease not released: %s", type(exc).__name__)

    async def _claim(self, row_id: int) -> Outbox | None:
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                update(Outbox).where(Outbox.id == row_id, Outbox.status == "pending")
                .values(status="sending", attempts=Outbox.attempts + 1))
            if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
                return None  # another worker took it
            return await session.get(Outbox, row_id)

    async def _settle(self, row_id: int, **values: Any) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(update(Outbox).where(Outbox.id == row_id).values(**values))

    async def _pace(self, chat_id: int) -> None:
        bucket = self._chats.setdefault(
            chat_id, TokenBucket(self.limits.chat_rate, self.limits.chat_burst))
        wait = max(self._global.delay(), bucket.delay())
        if wait > 0:
            await asyncio.sleep(wait)

    async def _deliver_one(self, row_id: int) -> bool:
        row = await self._claim(row_id)
        if row is None:
            return True
        payload: dict[str, Any] = self.cipher.open_json(row.payload_sealed,
                                                        f"outbox:{row.chat_id}")
        now = self.clock.now()
        try:
            try:
                message_id = await self._perform(row, payload)
            except BadMarkup:
                await self._markup_refused(row)
                message_id = await self._perform(row, payload, html=False)
        except RetryLater as exc:
            await self._retry(row, exc.seconds, "429")
            return False
        except TemporaryFailure as exc:
            backoff = min(2.0 ** row.attempts, self.limits.max_backoff)
            await self._retry(row, backoff, str(exc)[:200])
            return False
        except Uncertain as exc:
            if row.kind in REPEATABLE and not isinstance(exc, _MaybeSent):
                backoff = min(2.0 ** row.attempts, self.limits.max_backoff)
                await self._retry(row, backoff, "timeout")
                return False
            await self._settle(row.id, status="uncertain", error="timeout")
            return True
        except Unreachable:
            log.warning("chat unreachable (outbox row %s)", row.id)
            await self._unreachable(row)
            return True
        except Rejected as exc:
            reason = _reason(exc)
            log.warning("outbox row %s (%s) rejected: %s", row.id, row.kind, reason)
            await self._settle(row.id, status="failed", error=reason)
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
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            for admin in self.admin_ids:
                account = await session.get(Account, admin)
                locale = account.locale if account else self.default_locale
                enqueue(session, self.cipher, admin, "send", {
                    "text": "⚠️ " + self.tr.t(
                        locale, N_("Fout in de bot: Telegram weigerde de opmaak van een "
                                   "bericht (soort: {kind}, nummer {row}). Het is als gewone "
                                   "tekst verstuurd. Meld dit aan de ontwikkelaars.")
                        , kind=row.kind, row=row.id),
                    "buttons": [], "locale": locale}, now)

    async def _retry(self, row: Outbox, seconds: float, error: str) -> None:
        if row.attempts >= self.limits.max_attempts:
            await self._settle(row.id, status="failed", error=error)
            log.warning("outbox row %s failed after %s attempts", row.id, row.attempts)
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
                    raise _MaybeSent() from None
        if row.kind == "delete":
            assert row.target_message_id is not None
            if not await self.transport.delete(row.chat_id, [row.target_message_id]):
                await self._note(row.chat_id, payload["locale"], self.tr.t(
                    payload["locale"],
                    N_("Ik kon je bericht niet uit de chat wissen (het is te oud). "
                       "Wis het zelf, want het bevat gegevens van het gezin.")))
            return None
        if row.kind == "delete_tag":
            await self._delete_tag(row, payload)
            return None
        if row.kind == "mail":
            await self._mail(payload)
            return None
        if row.kind == "document":
            filename, data = await self._document(payload)
            return await self.transport.send_document(row.chat_id, filename, data,
                                                      payload.get("caption", ""), html=html)
        raise Rejected(f"unknown outbox kind {row.kind}")

    async def _document(self, payload: dict[str, Any]) -> tuple[str, bytes]:
        """A file made at delivery, never stored: the official copy (PDF) or a QR code."""
        if payload.get("render") == "qr":
            from ..qr import qr_png

            return str(payload.get("filename") or "qr.png"), qr_png(str(payload["link"]))
        reference, pdf = await self._official_pdf(payload)
        return f"{reference}.pdf", pdf

    async def _official_pdf(self, payload: dict[str, Any]) -> tuple[str, bytes]:
        """The registration's official copy, or (``"document": "actions"``) the meeting's
        action and decision list - rendered now from the sealed rows, never stored."""
        from conversations.meeting import OUTCOME_FORM

        from ..db.models import Meeting, Registration
        from ..official_copy import render_pdf

        async with self.sessions() as session:
            registration = await session.get(Registration, payload["registration_id"])
            if registration is None:
                raise Rejected("registration is gone")
            if payload.get("document") == "actions":
                meeting = await session.get(Meeting, payload.get("meeting_id", ""))
                if meeting is None or meeting.outcome_sealed is None:
                    raise Rejected("meeting is gone")
                answers = self.cipher.open_json(meeting.outcome_sealed,
                                                f"meeting:{meeting.id}:outcome")
                reference = f"{registration.reference}-actielijst"
                return reference, await asyncio.to_thread(
                    render_pdf, answers, reference=reference, submitted_at=meeting.starts_at,
                    form=OUTCOME_FORM, advice=False, date_label="Overleg op")
            data = self.cipher.open_json(registration.data_sealed,
                                         f"registration:{registration.id}")
            reference, submitted = registration.reference, registration.submitted_at
        return reference, await asyncio.to_thread(render_pdf, data["answers"],
                                                  reference=reference, submitted_at=submitted)

    async def _mail(self, payload: dict[str, Any]) -> None:
        """The official copy: rendered from the stored registration, mailed over SMTP."""
        from ..db.models import AuditEvent
        from ..mail import MailError, send_official_copy

        if self.mail is None:
            raise TemporaryFailure("SMTP is not configured")
        reference, pdf = await self._official_pdf(payload)
        try:
            await send_official_copy(self.mail, to=payload["to"], reference=reference,
                                     pdf=pdf)
        except MailError as exc:
            raise TemporaryFailure(type(exc).__name__) from None
        async with self.sessions() as session, session.begin():
            session.add(AuditEvent(at=self.clock.now(), actor_id=0, action="mail_sent",
                                   registration_id=payload["registration_id"]))

    async def _delete_tag(self, row: Outbox, payload: dict[str, Any]) -> None:
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
            await self._send_again(row.chat_id, [
                stray for stray, at in strays if stray in swept
                and not kept.intersection(swept[stray]) and now - at < DELETE_WINDOW])
        if too_old:
            locale = payload["locale"]
            await self._note(row.chat_id, locale, self.tr.tn(
                locale,
                NP_("{n} bericht van deze aanmelding kon ik niet wissen, omdat het ouder is "
                    "dan 48 uur. Wis het zelf, want het kan gegevens van het gezin bevatten.",
                    "{n} berichten van deze aanmelding kon ik niet wissen, omdat ze ouder zijn "
                    "dan 48 uur. Wis ze zelf, want ze kunnen gegevens van het gezin bevatten."),
                too_old))

    async def _send_again(self, chat_id: int, row_ids: Sequence[int]) -> None:
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
                session.add(Outbox(chat_id=chat_id, kind="send",
                                   payload_sealed=old.payload_sealed, status="pending",
                                   attempts=0, next_attempt_at=now, created_at=now))
        log.info("outbox: %s uncertain message(s) sent again after a gap deletion",
                 len(row_ids))

    async def _note(self, chat_id: int, locale: str, text: str) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            enqueue(session, self.cipher, chat_id, "send",
                    {"text": text, "buttons": [], "locale": locale}, now)
