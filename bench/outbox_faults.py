"""Notifications to coordinators while the Bot API misbehaves.

Runs the outbox worker with its real pacing (25 messages a second in total, one a
second per chat with bursts of three) and the real clock, through the Telegram adapter
over real HTTP against the fake Bot API server, which fails a fraction of the sends at
random: 429 (retry_after 1 s) and 500 without effect, and timeouts whose message did
arrive (the server answers after the client gave up). Coordinators join through the
core with an invitation; then registrations are stored and handed off at once, as the
submit does. Prints the time until every row is settled, what arrived (lost and
duplicated notifications), the faults injected, and the highest rates Telegram saw.

    .venv/bin/python bench/outbox_faults.py [--coordinators 20] [--registrations 100]
        [--fault-rate 0.2] [--seed 0] [--db sqlite|postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select
from telegram.request import HTTPXRequest

from bench.walk import _settings
from kks_bot import people
from kks_bot.channels.telegram.transport import TelegramTransport, make_bot
from kks_bot.db.models import Outbox, Registration
from kks_bot.flows.casework import handoff, onboarding
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.runtime import Runtime, build
from tests.support.fakebot import FakeBotApi, FakeBotApiServer

REFERENCE = re.compile(r"KKS-\d{4}-\d{4}")
FAULTY = ("sendMessage", "editMessageText", "deleteMessage", "deleteMessages")
CLIENT_TIMEOUT, SERVER_DELAY = 0.5, 1.0  # a "timeout" answers after the client gave up
ANSWERS = {"spoed": "spoed", "aanmelding_voor": ["gezin"], "zwanger": False}


async def busy(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(
            select(func.count()).select_from(Outbox)
            .where(Outbox.status.in_(("pending", "sending"))))).scalar() or 0)


async def until_settled(runtime: Runtime, within: float = 600.0) -> None:
    deadline = time.monotonic() + within
    while await busy(runtime):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the outbox was not settled within {within} s")
        await asyncio.sleep(0.05)


async def join(runtime: Runtime, api: FakeBotApi, user: int, code: str) -> None:
    """A coordinator redeems an invitation and an administrator approves the request
    (as ``kks-bot admin approve`` does)."""
    async with runtime.sessions() as session, session.begin():
        token = await people.create_invitation(session, [code], runtime.clock.now(),
                                                timedelta(days=1))
    api.add_user(user)
    await runtime.kernel.handle(Inbound(user_id=user, chat_id=user, kind=InKind.COMMAND,
                                      command="start", text=token, update_id=user,
                                      language_code="nl"))
    async with runtime.sessions() as session, session.begin():
        for invitation in await onboarding.pending_requests(session):
            await onboarding.approve(runtime.env, session, invitation, 0, runtime.clock.now())


async def submit(runtime: Runtime, codes: list[str], *,
                 official_copy: bool = False) -> dict[str, str]:
    """Registrations handed off as the submit does (``official_copy``: the copy for the
    municipality's mailbox queued too); reference -> municipality."""
    core, now = runtime.env, runtime.clock.now()
    where: dict[str, str] = {}
    async with runtime.sessions() as session, session.begin():
        for number, code in enumerate(codes, start=1):
            registration_id = str(uuid.uuid4())
            registration = Registration(
                id=registration_id, reference=f"KKS-2026-{number:04d}", owner_id=4242,
                form="aanmeldformulier", gemeente_code=code, status="ingediend",
                data_sealed=core.cipher.seal_json({"answers": ANSWERS, "locale": "nl"},
                                                  f"registration:{registration_id}"),
                started_at=now, submitted_at=now, updated_at=now)
            session.add(registration)
            await session.flush()
            await handoff.notify_coordinators(core, session, registration, now)
            if official_copy:
                await handoff.queue_official_copy(core, session, registration, now)
            where[registration.reference] = code
    return where


async def run(args: argparse.Namespace) -> None:
    api = FakeBotApi(seed=args.seed)
    with tempfile.TemporaryDirectory() as folder, \
            FakeBotApiServer(api, timeout_delay=SERVER_DELAY) as server:
        config = _settings(Path(folder), args.db, telegram_bot_token=api.token,
                           telegram_api_base_url=server.url)
        runtime = await build(config)
        bot = make_bot(config, request=HTTPXRequest(
            connection_pool_size=8, read_timeout=CLIENT_TIMEOUT, write_timeout=5,
            connect_timeout=5))
        stop = asyncio.Event()
        try:
            async with bot:
                worker = runtime.worker(TelegramTransport(bot))  # the real limits
                task = asyncio.create_task(worker.run(stop, idle=0.05))
                everywhere = sorted(m.code for m in runtime.env.directory.all())
                codes = everywhere[:max(1, args.coordinators // 2)]
                coordinators = {600 + n: codes[n % len(codes)]
                                for n in range(args.coordinators)}
                for user, code in coordinators.items():
                    await join(runtime, api, user, code)
                await until_settled(runtime)
                api.clear_calls()
                async with runtime.sessions() as session:
                    first = int((await session.execute(select(func.max(Outbox.id)))).scalar()
                                or 0)
                api.set_fault_rate(args.fault_rate, methods=FAULTY)
                start = time.perf_counter()
                where = await submit(runtime, [codes[n % len(codes)]
                                               for n in range(args.registrations)])
                worker.wakeup.set()
                await until_settled(runtime)
                elapsed = time.perf_counter() - start
                stop.set()
                worker.wakeup.set()
                await task
            async with runtime.sessions() as session:
                statuses = Counter((await session.execute(
                    select(Outbox.status).where(Outbox.id > first))).scalars())
        finally:
            await runtime.close()
    expected = Counter((user, ref) for user, code in coordinators.items()
                       for ref, at in where.items() if at == code)
    seen: Counter[tuple[int, str]] = Counter()
    for user in coordinators:
        for message in api.bot_messages(user):
            match = REFERENCE.search(message.text or "")
            if match and "Nieuwe aanmelding" in (message.text or ""):
                seen[(user, match.group())] += 1
    delivered = sum(1 for key in expected if seen[key])
    duplicated = sum(count - 1 for count in seen.values() if count > 1)
    wrong = sum(1 for key in seen if key not in expected)
    sends = [c for c in api.call_log if c.method == "sendMessage"]
    answers = Counter(c.status for c in sends)
    timeouts = statuses["uncertain"]
    waits = []
    for index, call in enumerate(sends):
        if call.status == 429:
            chat = call.params.get("chat_id")
            later = next((c for c in sends[index + 1:] if c.params.get("chat_id") == chat),
                         None)
            if later is not None:
                waits.append(later.monotonic - call.monotonic)
    print(f"{len(expected)} notifications ({args.registrations} registrations, "
          f"{args.coordinators} coordinators in {len(codes)} municipalities), "
          f"fault rate {args.fault_rate:.0%} on {', '.join(FAULTY)}, "
          f"database {args.db.split('@')[-1]}")
    print(f"  total time until every row settled: {elapsed:.1f} s")
    print(f"  delivered {delivered}, lost {len(expected) - delivered}, duplicated "
          f"{duplicated}, to the wrong coordinator {wrong}")
    print(f"  outbox rows of the notifications: {dict(sorted(statuses.items()))}")
    print(f"  sendMessage calls {len(sends)}: injected 429s {answers[429]}, "
          f"500s {answers[500]}, timeouts {timeouts} (client gave up after "
          f"{CLIENT_TIMEOUT} s; the message had arrived)")
    if waits:
        print(f"  after a 429 (retry_after 1 s) the chat waited at least {min(waits):.2f} s")
    print(f"  highest rate in any second: {api.max_rate_per_second()} sends overall, "
          f"{api.max_rate_per_chat_per_second()} to one chat (attempts, faults included)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--coordinators", type=int, default=20)
    parser.add_argument("--registrations", type=int, default=100)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--db", default="sqlite")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
