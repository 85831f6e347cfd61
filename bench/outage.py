"""An hour without a mail server and ten minutes of a faulty Bot API: nothing lost, nothing
twice.

Coordinators join (invitation, approval); registrations are stored and handed off as the
submit does: a notification to each coordinator of the municipality and the official
copy (PDF) queued for the municipality's secure mailbox. The real outbox worker with its
real limits delivers them through the Telegram adapter over real HTTP to the fake Bot API
server and over SMTP (STARTTLS and a login) to a real SMTP server on 127.0.0.1.

From the hand-off, the SMTP server refuses every message with a temporary error (421)
for ``--smtp-outage-minutes`` and the Bot API answers ``--fault-rate`` of the sends with a
429 (retry_after 1 s), a 500 or a timeout whose message did arrive, for
``--api-fault-minutes``. The bot's clock is the real one plus an offset: whenever the
worker has done everything that is due, the bench moves it on to the next retry (or to
the end of an outage); a wait of at most two seconds passes in real time, so a 429's
retry_after is kept in real time too. The worker is driven as the tests drive it
(:meth:`OutboxWorker.drain`, then :meth:`Alerts.check`, which the bot runs every 30 s).

Prints what arrived where (lost, duplicated, to the wrong place), the outbox rows' final
statuses and attempts, the administrators' alerts, and the highest rates Telegram saw.

    .venv/bin/python bench/outage.py [--registrations 100] [--coordinators 20]
        [--municipalities 4] [--smtp-outage-minutes 60] [--api-fault-minutes 10]
        [--fault-rate 0.2] [--seed 0] [--db sqlite|postgresql+asyncpg://...]

100 registrations to 4 municipalities with 5 coordinators each: 500 notifications and
100 official copies.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr
from sqlalchemy import func, select
from telegram.request import HTTPXRequest

from bench.outbox_faults import CLIENT_TIMEOUT, FAULTY, REFERENCE, SERVER_DELAY, join, submit
from bench.walk import _settings
from kks_bot.channels.telegram.transport import TelegramTransport, make_bot
from kks_bot.clock import OffsetClock, SystemClock
from kks_bot.db.models import Municipality, Outbox
from kks_bot.delivery.worker import OutboxWorker
from kks_bot.runtime import Runtime, build
from tests.support.fakebot import FakeBotApi, FakeBotApiServer
from tests.support.smtp import PASSWORD, USER, Mailbox, Received, make_certificate
from tests.support.smtp import start as start_smtp

ADMIN = 9001
REAL_WAIT = 2.0  # seconds: a shorter wait passes in real time, a longer one is skipped
FAILING = "Bezorgen lukt al een tijd niet"
RECOVERED = "Bezorgen lukt weer"
GIVEN_UP = "Opgegeven na"
SUBJECT = re.compile(r"Aanmelding Knooppunt Kansrijke Start (KKS-\d{4}-\d{4})$")


def mailbox_of(code: str) -> str:
    return f"knooppunt.{code.lower()}@gemeente.example"


@dataclass
class Figures:
    """What the scenario delivered, and how."""

    registrations: int
    coordinators: int
    municipalities: int
    smtp_outage_minutes: float
    api_fault_minutes: float
    fault_rate: float
    database: str
    notifications: int = 0  # expected: (coordinator, reference) pairs
    delivered: int = 0
    duplicated: int = 0
    wrong_chat: int = 0
    copies_received: int = 0  # distinct references received by the SMTP server
    copies_duplicated: int = 0
    copies_bad: int = 0  # wrong recipient, no STARTTLS, no PDF or a foreign reference
    smtp_refused: int = 0
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)  # (kind, status)
    attempts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # rows, sum, max
    api_answers: Counter[int | None] = field(default_factory=Counter)
    sends: int = 0
    min_wait_after_429: float | None = None
    alerts_failing: int = 0
    alerts_recovered: int = 0
    given_up: int = 0
    alerted_at: float | None = None  # minutes after the hand-off (the bot's clock)
    recovered_at: float | None = None
    notifications_real: float = 0.0  # seconds until the last notification was settled
    notifications_minutes: float = 0.0  # the same on the bot's clock
    copies_done_minutes: float | None = None  # the last official copy sent (bot's clock)
    simulated_minutes: float = 0.0
    real_seconds: float = 0.0
    clock_moves: int = 0
    max_rate: int = 0
    max_rate_chat: int = 0

    @property
    def lost(self) -> int:
        return self.notifications - self.delivered

    @property
    def copies_lost(self) -> int:
        return self.registrations - self.copies_received

    def print(self) -> None:
        per = self.notifications // max(1, self.registrations)
        print(f"{self.notifications} notifications and {self.registrations} official copies "
              f"({self.registrations} registrations to {self.municipalities} municipalities, "
              f"{self.coordinators} coordinators: {per} per registration), database "
              f"{self.database.split('@')[-1]}")
        print(f"  SMTP refused every message (421) for {self.smtp_outage_minutes:g} min; the "
              f"Bot API failed {self.fault_rate:.0%} of {', '.join(FAULTY)} for "
              f"{self.api_fault_minutes:g} min")
        print(f"  {self.simulated_minutes:.1f} min on the bot's clock in {self.real_seconds:.1f} s"
              f" real ({self.clock_moves} moves of the clock)")
        print(f"  notifications: delivered {self.delivered}, lost {self.lost}, duplicated "
              f"{self.duplicated}, to the wrong coordinator {self.wrong_chat}; all settled "
              f"after {self.notifications_real:.1f} s real ({self.notifications_minutes:.1f} min"
              f" on the clock)")
        last = ("none sent" if self.copies_done_minutes is None else
                f"the last sent {self.copies_done_minutes:.1f} min after the hand-off "
                f"({self.copies_done_minutes - self.smtp_outage_minutes:.1f} min after SMTP "
                f"came back)")
        print(f"  official copies: received {self.copies_received}, lost {self.copies_lost}, "
              f"duplicated {self.copies_duplicated}, wrong (recipient, TLS, PDF, reference) "
              f"{self.copies_bad}; {last}")
        print(f"  SMTP attempts refused during the outage: {self.smtp_refused}")
        rows = ", ".join(f"{kind} {status} {n}" for (kind, status), n in
                         sorted(self.statuses.items()))
        print(f"  outbox rows at the end: {rows}")
        for kind, (n, total, most) in sorted(self.attempts.items()):
            print(f"  attempts of {kind} rows: {total} for {n} rows (at most {most} for one)")
        print(f"  sendMessage calls {self.sends}: injected 429s {self.api_answers[429]}, "
              f"500s {self.api_answers[500]}, timeouts {self.statuses[('send', 'uncertain')]} "
              f"(client gave up after {CLIENT_TIMEOUT} s; the message had arrived)")
        if self.min_wait_after_429 is not None:
            print(f"  after a 429 (retry_after 1 s) the chat waited at least "
                  f"{self.min_wait_after_429:.2f} s (real)")
        when = (f"at {self.alerted_at:.1f} min" if self.alerted_at is not None else "never")
        back = (f"at {self.recovered_at:.1f} min" if self.recovered_at is not None else "never")
        print(f"  administrators: {self.alerts_failing} alert that delivery fails ({when}), "
              f"{self.alerts_recovered} that it works again ({back}), {self.given_up} given up")
        print(f"  highest rate in any second: {self.max_rate} sends overall, "
              f"{self.max_rate_chat} to one chat (attempts, faults included)")


async def counts(runtime: Runtime, first: int, now: datetime) -> tuple[int, int, datetime | None]:
    """Rows not settled (all, notifications) and the next retry after ``now``."""
    async with runtime.sessions() as session:
        busy, notifying, due = (await session.execute(
            select(func.count(),
                   func.count().filter(Outbox.kind == "send", Outbox.chat_id != ADMIN),
                   func.min(Outbox.next_attempt_at).filter(Outbox.status == "pending",
                                                           Outbox.next_attempt_at > now))
            .where(Outbox.id > first, Outbox.status.in_(("pending", "sending"))))).one()
    return int(busy), int(notifying), due


def copy_ok(received: Received, where: dict[str, str]) -> str | None:
    """The reference of a well-formed official copy to the right mailbox, else None."""
    message = message_from_bytes(received.content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    match = SUBJECT.match(str(message["Subject"] or ""))
    if match is None or match.group(1) not in where:
        return None
    reference = match.group(1)
    pdfs = [part for part in message.iter_attachments()
            if part.get_filename() == f"{reference}.pdf"
            and part.get_content_type() == "application/pdf"
            and bytes(part.get_content()).startswith(b"%PDF")]
    if len(pdfs) != 1 or not received.tls or received.rcpt_tos != [mailbox_of(where[reference])]:
        return None
    return reference


async def drive(runtime: Runtime, worker: OutboxWorker, api: FakeBotApi, mailbox: Mailbox,
                clock: OffsetClock, first: int, figures: Figures,
                within: float = 900.0) -> None:
    """Deliver, check, move the clock; until everything is settled after both outages."""
    start, real_start = clock.now(), time.monotonic()
    api_end = start + timedelta(minutes=figures.api_fault_minutes)
    smtp_end = start + timedelta(minutes=figures.smtp_outage_minutes)
    alert_due = start + timedelta(seconds=worker.limits.alert_after, milliseconds=1)
    notifying = True
    while True:
        if time.monotonic() - real_start > within:
            raise RuntimeError(f"not settled within {within} s")
        now = clock.now()
        api.set_fault_rate(figures.fault_rate if now < api_end else 0.0, methods=FAULTY)
        mailbox.down = now < smtp_end
        await worker.drain()
        alerted = worker.alerts.alerted
        await worker.alerts.check()
        if worker.alerts.alerted != alerted:
            minutes = (clock.now() - start).total_seconds() / 60
            if worker.alerts.alerted:
                figures.alerted_at = minutes
            else:
                figures.recovered_at = minutes
        await worker.drain()  # the alert
        now = clock.now()
        busy, waiting, due = await counts(runtime, first, now)
        if notifying and not waiting:
            notifying = False
            figures.notifications_real = time.monotonic() - real_start
            figures.notifications_minutes = (now - start).total_seconds() / 60
        if not busy and now >= max(api_end, smtp_end) and not worker.alerts.alerted:
            break
        moments = [m for m in (due, api_end, smtp_end, alert_due) if m is not None and m > now]
        if not moments:
            await asyncio.sleep(0.01)  # due now: another pass
            continue
        wait = (min(moments) - now).total_seconds()
        if wait <= REAL_WAIT:
            await asyncio.sleep(wait)
        else:
            clock.advance(seconds=wait)
            figures.clock_moves += 1
    figures.simulated_minutes = (clock.now() - start).total_seconds() / 60
    figures.real_seconds = time.monotonic() - real_start


async def scenario(*, db: str = "sqlite", registrations: int = 100, coordinators: int = 20,
                   municipalities: int = 4, smtp_outage_minutes: float = 60.0,
                   api_fault_minutes: float = 10.0, fault_rate: float = 0.2,
                   seed: int = 0) -> Figures:
    figures = Figures(registrations, coordinators, municipalities, smtp_outage_minutes,
                      api_fault_minutes, fault_rate, db)
    api = FakeBotApi(seed=seed)
    api.add_user(ADMIN)
    mailbox = Mailbox()
    clock = OffsetClock(SystemClock())
    with tempfile.TemporaryDirectory() as folder, \
            FakeBotApiServer(api, timeout_delay=SERVER_DELAY) as server:
        certificate = make_certificate(Path(folder))
        smtp = start_smtp(mailbox, certificate)
        try:
            config = _settings(
                Path(folder), db, telegram_bot_token=api.token,
                telegram_api_base_url=server.url, admin_ids=str(ADMIN),
                smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_username=USER,
                smtp_password=SecretStr(PASSWORD), smtp_sender="kks-bot@kansrijkestart.example",
                smtp_ca_file=str(certificate.cert_file))
            runtime = await build(config, clock=clock)
            try:
                await _run(runtime, api, mailbox, clock, figures)
            finally:
                await runtime.close()
        finally:
            smtp.stop()
    figures.smtp_refused = mailbox.refused
    figures.max_rate = api.max_rate_per_second()
    figures.max_rate_chat = api.max_rate_per_chat_per_second()
    return figures


async def _run(runtime: Runtime, api: FakeBotApi, mailbox: Mailbox, clock: OffsetClock,
               figures: Figures) -> None:
    bot = make_bot(runtime.settings, request=HTTPXRequest(
        connection_pool_size=8, read_timeout=CLIENT_TIMEOUT, write_timeout=5,
        connect_timeout=5))
    async with bot:
        worker = runtime.worker(TelegramTransport(bot))  # the real limits
        everywhere = sorted(m.code for m in runtime.env.directory.all())
        codes = everywhere[:figures.municipalities]
        async with runtime.sessions() as session, session.begin():
            for code in codes:
                municipality = await session.get(Municipality, code)
                assert municipality is not None, code
                municipality.mailbox = mailbox_of(code)
        chats = {600 + n: codes[n % len(codes)] for n in range(figures.coordinators)}
        for user, code in chats.items():
            await join(runtime, api, user, code)
        await worker.drain()
        api.clear_calls()
        async with runtime.sessions() as session:
            first = int((await session.execute(select(func.max(Outbox.id)))).scalar() or 0)
        mailbox.down = True
        api.set_fault_rate(figures.fault_rate, methods=FAULTY)
        where = await submit(runtime, [codes[n % len(codes)]
                                       for n in range(figures.registrations)],
                             official_copy=True)
        start = clock.now()
        await drive(runtime, worker, api, mailbox, clock, first, figures)
        async with runtime.sessions() as session:
            rows = (await session.execute(
                select(Outbox.kind, Outbox.status, Outbox.attempts, Outbox.chat_id,
                       Outbox.sent_at).where(Outbox.id > first))).all()
    for kind, status, attempts, chat, sent_at in rows:
        figures.statuses[(kind, status)] += 1
        if chat == ADMIN:
            kind = "alert"
        n, total, most = figures.attempts.get(kind, (0, 0, 0))
        figures.attempts[kind] = (n + 1, total + attempts, max(most, attempts))
        if kind == "mail" and sent_at is not None:
            minutes = (sent_at - start).total_seconds() / 60
            figures.copies_done_minutes = max(figures.copies_done_minutes or 0.0, minutes)
    expected = Counter((user, ref) for user, code in chats.items()
                       for ref, at in where.items() if at == code)
    seen: Counter[tuple[int, str]] = Counter()
    for user in chats:
        for message in api.bot_messages(user):
            match = REFERENCE.search(message.text or "")
            if match and "Nieuwe aanmelding" in (message.text or ""):
                seen[(user, match.group())] += 1
    figures.notifications = len(expected)
    figures.delivered = sum(1 for key in expected if seen[key])
    figures.duplicated = sum(count - 1 for count in seen.values() if count > 1)
    figures.wrong_chat = sum(1 for key in seen if key not in expected)
    copies = Counter(copy_ok(received, where) for received in mailbox.messages)
    figures.copies_bad = copies.pop(None, 0)
    figures.copies_received = len(copies)
    figures.copies_duplicated = sum(count - 1 for count in copies.values())
    alerts = [message.text or "" for message in api.bot_messages(ADMIN)]
    figures.alerts_failing = sum(FAILING in text for text in alerts)
    figures.alerts_recovered = sum(RECOVERED in text for text in alerts)
    figures.given_up = sum(GIVEN_UP in text for text in alerts)
    sends = [c for c in api.call_log if c.method == "sendMessage"]
    figures.sends = len(sends)
    figures.api_answers = Counter(c.status for c in sends)
    waits = []
    for index, call in enumerate(sends):
        if call.status == 429:
            to = call.params.get("chat_id")
            later = next((c for c in sends[index + 1:] if c.params.get("chat_id") == to), None)
            if later is not None:
                waits.append(later.monotonic - call.monotonic)
    figures.min_wait_after_429 = min(waits) if waits else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=100,
                        help="registrations, each with one official copy")
    parser.add_argument("--coordinators", type=int, default=20)
    parser.add_argument("--municipalities", type=int, default=4)
    parser.add_argument("--smtp-outage-minutes", type=float, default=60.0)
    parser.add_argument("--api-fault-minutes", type=float, default=10.0)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", default="sqlite")
    args = parser.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd's own deprecation notes
    figures = asyncio.run(scenario(
        db=args.db, registrations=args.registrations, coordinators=args.coordinators,
        municipalities=args.municipalities, smtp_outage_minutes=args.smtp_outage_minutes,
        api_fault_minutes=args.api_fault_minutes, fault_rate=args.fault_rate, seed=args.seed))
    figures.print()


if __name__ == "__main__":
    main()
