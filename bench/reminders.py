"""A thousand family reminders falling due at the same moment.

A coordinator plans the Knooppuntoverleg of several registrations through the core (all at
the same date and time, so that every reminder is due at once); 1,000 family members, each
in their own chat and language (nl, en, ar in turn), have opted in - their accounts and
opt-ins are written the way the opt-in leaves them, and their reminders are scheduled with
:func:`kks_bot.flows.meetings.common.schedule_reminders`. Then the clock reaches the two-days-before
reminder: :func:`kks_bot.delivery.scheduler.dispatch_due` turns the rows into outbox rows, and
the real :class:`OutboxWorker` (the default limits: 25 a second plus a burst of 5, one a
second per chat) delivers them through :class:`TelegramTransport` over real HTTP to the
fake Bot API server, on the real clock. Prints the dispatch time, the time until every
reminder arrived, the highest rates Telegram saw, and what arrived (sent, lost, duplicated;
counted from the fake's messages per chat), and how long a coordinator who asks for the
menu during the burst waits for the answer.

    .venv/bin/python bench/reminders.py [--families 1000] [--meetings 10]
        [--database-url postgresql+asyncpg://...]   (an empty database; SQLite by default)
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import multiprocessing
import secrets
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.walk import FAST, _settings
from kks_bot import families as family_ids
from kks_bot.channels.telegram.transport import TelegramTransport, make_bot
from kks_bot.clock import OffsetClock, SystemClock
from kks_bot.db.models import (
    Account,
    FamilyContact,
    Meeting,
    Outbox,
    Registration,
    ScheduledMessage,
)
from kks_bot.flows.meetings.common import schedule_reminders
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.runtime import Runtime, build
from tests.cases import SOPHIE
from tests.support.fakebot import FakeBotApi, FakeBotApiServer
from tests.support.transcript import Chat, MemoryTransport
from tests.test_handoff import _coordinator, _notification, _submit
from tests.test_meetings import _plan

COORDINATOR, FIRST_REGISTRANT, FIRST_FAMILY = 501, 1001, 100_000
START = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # "now" while planning
DUE = datetime(2026, 12, 13, 13, 30, tzinfo=UTC)  # 48 h before 15 December 2026, 14:30 CET
LOCALES = ("nl", "en", "ar")


async def plan_meetings(runtime: Runtime, count: int) -> list[Meeting]:
    """``count`` registrations (Sophie's case, each by another midwife), taken on and
    planned by one coordinator through the core, all on 15 December 2026 at 14:30."""
    transport = MemoryTransport()
    worker = runtime.worker(transport, FAST)  # the set-up is not what is measured

    def chat(user: int) -> Chat:
        return Chat(runtime.kernel, worker, transport, user_id=user, language_code="nl")

    ilse = chat(COORDINATOR)
    await _coordinator(runtime, ilse, "GM0917")
    for number in range(count):
        midwife = FIRST_REGISTRANT + number
        await _submit(chat(midwife), SOPHIE)
        await ilse.press("Oppakken", message=_notification(ilse))
        async with runtime.sessions() as session:
            registration_id = (await session.execute(select(Registration.id).where(
                Registration.owner_id == midwife))).scalar_one()
        await ilse.press_data(f"r.case.{registration_id}", 1)
        await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    async with runtime.sessions() as session:
        return list((await session.execute(select(Meeting).order_by(Meeting.created_at)))
                    .scalars())


async def opt_in(runtime: Runtime, meetings: list[Meeting], families: int) -> dict[int, str]:
    """Family members who opened their invitation, chose a language and said yes, with
    their reminders scheduled. Returns chat -> meeting id."""
    core, now = runtime.env, runtime.clock.now()
    where: dict[int, str] = {}
    async with runtime.sessions() as session, session.begin():
        for number in range(families):
            user, meeting = FIRST_FAMILY + number, meetings[number % len(meetings)]
            session.add(Account(user_id=user, locale=LOCALES[number % len(LOCALES)],
                                locale_chosen=True, created_at=now, updated_at=now))
            token = secrets.token_urlsafe(18)
            contact = FamilyContact(
                id=str(uuid.uuid4()), registration_id=meeting.registration_id,
                token_hash=hashlib.sha256(token.encode()).hexdigest(), created_at=now,
                expires_at=now + timedelta(days=7), opted_in_at=now)
            family_ids.bind(core.cipher, contact, user)
            session.add(contact)
            schedule_reminders(core, session, meeting, 0, now, contact=contact.id)
            where[user] = meeting.id
    return where


def _serve(pipe: Connection) -> None:
    """In a process of its own: the fake Bot API, answering the bench's questions about
    what it received, so that the bot is not slowed by it (one interpreter lock each)."""
    api = FakeBotApi()
    with FakeBotApiServer(api) as server:
        pipe.send((api.token, server.url))
        while True:
            what, arg = pipe.recv()
            if what == "users":
                for user in arg:
                    api.add_user(user)
                pipe.send(None)
            elif what == "clear":
                api.clear_calls()
                pipe.send(None)
            elif what == "answered":
                pipe.send(bool(api.all_bot_messages(arg)))
            elif what == "report":
                pipe.send(_report(api, arg))
            else:
                return


def _report(api: FakeBotApi, where: dict[int, str]) -> dict[str, float]:
    per_chat = {user: api.all_bot_messages(user) for user in where}
    sends = [c for c in api.call_log if c.method == "sendMessage"]
    return {
        "sent": sum(1 for messages in per_chat.values() if messages),
        "duplicated": sum(len(m) - 1 for m in per_chat.values() if len(m) > 1),
        "wrong": sum(1 for user, messages in per_chat.items() for m in messages
                     if f"f.yes.{where[user]}" not in {d for _, d in m.buttons}),
        "stray": sum(1 for c in sends if c.params.get("chat_id") not in (COORDINATOR, *where)),
        "last": max(c.monotonic for c in sends) - min(c.monotonic for c in sends)
        if sends else 0.0,
        "sends": len(sends),
        "rate": api.max_rate_per_second(), "chat_rate": api.max_rate_per_chat_per_second(),
        "per_second": _per_second([c.monotonic for c in sends])}


def _per_second(stamps: list[float]) -> list[int]:
    """Sends in each second from the first."""
    if not stamps:
        return []
    first = min(stamps)
    counts = Counter(int(stamp - first) for stamp in stamps)
    return [counts[second] for second in range(max(counts) + 1)]


class RemoteFake:
    """The fake Bot API in its own process (see _serve)."""

    def __init__(self) -> None:
        self.pipe, theirs = multiprocessing.get_context("fork").Pipe()
        self.process = multiprocessing.get_context("fork").Process(
            target=_serve, args=(theirs,), daemon=True)
        self.process.start()
        self.token, self.url = self.pipe.recv()

    def ask(self, what: str, arg: object = None) -> Any:
        self.pipe.send((what, arg))
        return self.pipe.recv()

    def close(self) -> None:
        self.pipe.send(("stop", None))
        self.process.join(5)


async def settled(runtime: Runtime, first: int) -> bool:
    async with runtime.sessions() as session:
        busy = (await session.execute(select(func.count()).select_from(Outbox).where(
            Outbox.id > first, Outbox.status.in_(("pending", "sending"))))).scalar()
    return not busy


async def run(args: argparse.Namespace) -> None:
    fake = RemoteFake()
    db = args.database_url or "sqlite"
    with tempfile.TemporaryDirectory() as folder:
        config = _settings(Path(folder), db, telegram_bot_token=fake.token,
                           telegram_api_base_url=fake.url)
        clock = OffsetClock(SystemClock())  # real time, moved to the planning day
        clock.advance(seconds=(START - datetime.now(UTC)).total_seconds())
        runtime = await build(config, clock=clock)
        try:
            async with runtime.sessions() as session:
                if (await session.execute(select(func.count()).select_from(Registration))
                        ).scalar():
                    raise SystemExit("the database is not empty: give an empty one")
            setup = time.perf_counter()
            meetings = await plan_meetings(runtime, args.meetings)
            where = await opt_in(runtime, meetings, args.families)
            fake.ask("users", [COORDINATOR, *where])
            setup = time.perf_counter() - setup
            # The clock reaches the first reminder. What else fell due on the way (removing
            # the coordinator's case views) is delivered first, outside the measurement.
            clock.advance(seconds=(DUE - clock.now()).total_seconds() + 1)
            await runtime.worker(MemoryTransport(), FAST).deliver(limit=10_000)
            async with runtime.sessions() as session:
                first = int((await session.execute(select(func.max(Outbox.id)))).scalar()
                            or 0)

            bot = make_bot(config)  # the real HTTP client settings
            stop = asyncio.Event()
            async with bot:
                worker = runtime.worker(TelegramTransport(bot))  # the real limits
                task = asyncio.create_task(worker.run(stop))  # as the Poller runs it
                await asyncio.sleep(0.1)
                fake.ask("clear")
                start = time.perf_counter()
                # As the bot's job does: the worker is told after each batch.
                handled = await runtime.dispatch(worker.wakeup.set)
                dispatched = time.perf_counter() - start
                # Meanwhile the coordinator asks for the menu: the reply is urgent, the
                # reminders bulk, so it goes out between two reminders.
                await asyncio.sleep(1.0)
                asked = time.perf_counter()
                await runtime.kernel.handle(Inbound(
                    user_id=COORDINATOR, chat_id=COORDINATOR, kind=InKind.COMMAND,
                    command="start", text="", update_id=1, language_code="nl"))
                worker.wakeup.set()
                replied: float | None = None
                while not await settled(runtime, first):
                    if replied is None and fake.ask("answered", COORDINATOR):
                        replied = time.perf_counter() - asked
                    if time.perf_counter() - start > 600:
                        raise RuntimeError("not delivered within 10 minutes")
                    await asyncio.sleep(0.05)
                delivered = time.perf_counter() - start
                if replied is None and fake.ask("answered", COORDINATOR):
                    replied = time.perf_counter() - asked
                stop.set()
                worker.wakeup.set()
                await task
            async with runtime.sessions() as session:
                rows = Counter((await session.execute(
                    select(Outbox.status).where(Outbox.id > first))).scalars())
                reminders = Counter(f"{detail} {status}" for status, detail in (
                    await session.execute(
                        select(ScheduledMessage.status, ScheduledMessage.detail)
                        .where(ScheduledMessage.kind == "reminder"))).all())
        finally:
            await runtime.close()
    got = fake.ask("report", where)
    fake.close()
    sent, sends = int(got["sent"]), int(got["sends"])
    print(f"{len(where)} family reminders due at the same moment ({len(meetings)} meetings, "
          f"languages {'/'.join(LOCALES)}), database {db.split('@')[-1]}; "
          f"set-up {setup:.1f} s")
    print(f"  dispatch_due: {handled} rows -> outbox in {dispatched:.2f} s "
          f"({dispatched / max(handled, 1) * 1000:.2f} ms a row)")
    print(f"  time until all delivered (from the dispatch): {delivered:.1f} s "
          f"(first to last send {got['last']:.1f} s, {sends} sendMessage calls; "
          f"{len(where) / delivered:.1f} a second)")
    print(f"  sends in each second: {got['per_second']}")
    print(f"  highest rate in any second: {got['rate']} sends overall, "
          f"{got['chat_rate']} to one chat")
    print(f"  sent {sent}, lost {len(where) - sent}, duplicated {got['duplicated']}, with the "
          f"wrong meeting {got['wrong']}, to other chats {got['stray']}")
    print(f"  a coordinator's /start one second into the burst was answered after "
          f"{replied:.1f} s" if replied is not None else "  the coordinator got no reply")
    print(f"  outbox rows: {dict(sorted(rows.items()))}; scheduled reminders: "
          f"{dict(sorted(reminders.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=10)
    parser.add_argument("--database-url", default=None,
                        help="an empty PostgreSQL database (postgresql+asyncpg://...); "
                             "default: SQLite in a temporary folder")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
