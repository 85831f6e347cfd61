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

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..crypto import Cipher
from ..db.models import Account, Coordinator, CoordinatorMunicipality, Outbox, row_uid

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


class MaybeSent(Uncertain):
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


def reason(exc: Exception) -> str:
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

    def _fill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def delay(self) -> float:
        """Take a token; how long to wait before using it."""
        self._fill()
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        wait = (1 - self.tokens) / self.rate
        self.tokens -= 1
        return wait

    def ready_in(self) -> float:
        """Seconds until a token is free (0: now), without taking it."""
        self._fill()
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    @property
    def full(self) -> bool:
        self._fill()
        return self.tokens >= self.capacity


def enqueue(session: AsyncSession, cipher: Cipher, chat_id: int, kind: str,
            payload: dict[str, Any], now: datetime, *, tag: str | None = None,
            target: int | None = None, due: datetime | None = None,
            bulk: bool = False, gate: str | None = None) -> None:
    """Queue a message (or deletion) in the outbox, sealed, in this transaction.
    ``bulk`` (or ``session.info["outbox_bulk"]``, set by the dispatcher of scheduled
    messages): a message nobody is waiting for right now (see :data:`BULK`).
    ``gate``: checked again when it is sent (:func:`gate_open`)."""
    bulk = bulk or bool(session.info.get("outbox_bulk"))
    row = Outbox(chat_id=chat_id, kind=kind, uid=row_uid(), tag=tag,
                 target_message_id=target, status="pending", attempts=0,
                 priority=BULK if bulk else URGENT, next_attempt_at=due or now,
                 created_at=now, gate=gate)
    row.payload_sealed = cipher.seal_json(payload, row.aad)
    session.add(row)


def coordinator_gate(code: str) -> str:
    """The gate of a message for the coordinator side of a case of municipality ``code``."""
    return f"coordinator:{code}"


async def gate_open(session: AsyncSession, gate: str | None, chat_id: int) -> bool:
    """Whether a row with ``gate`` may still go to ``chat_id``: a coordinator's message
    only while they are an active coordinator of that municipality."""
    if not gate:
        return True
    kind, _, code = gate.partition(":")
    if kind != "coordinator":
        return False  # a gate this version does not know: safer not to send
    found = await session.execute(
        select(CoordinatorMunicipality.code).join(
            Coordinator, Coordinator.user_id == CoordinatorMunicipality.user_id)
        .where(Coordinator.user_id == chat_id, Coordinator.active.is_(True),
               CoordinatorMunicipality.code == code))
    return found.first() is not None


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

    global_rate: float = 28.0
    chat_rate: float = 1.0
    chat_burst: float = 3.0
    max_attempts: int = 0  # 0: no limit on attempts, only on time (give_up_after)
    max_backoff: float = 300.0
    global_burst: float = 2.0  # a late wake-up is made up, never over 30 a second
    # A notification, an official copy or a reminder is retried this long (an outage of
    # Telegram or the mail server may last hours); administrators hear of it after
    # ``alert_after`` and again when delivery works again.
    give_up_after: float = 3 * 24 * 3600.0
    alert_after: float = 15 * 60.0


