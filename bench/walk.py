"""How long the registration walk takes, per handbook case.

Prints, for each case: how many messages the professional sends (typed answers and
button taps), how many messages the bot shows, and the time from a submitted answer
to the bot's next question - through the core alone (database, encryption, outbox),
and through the Telegram adapter over real HTTP against the fake Bot API server
(python-telegram-bot's serialisation, long polling, our inbox and outbox).

    .venv/bin/python bench/walk.py [--db sqlite|postgresql+asyncpg://...]

The per-chat pacing (one message a second, bursts of three) is switched off here so
that the figures show processing time; pacing only delays a reply when a user taps
faster than once a second.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kks_bot.channels.telegram.polling import Poller
from kks_bot.channels.telegram.transport import make_bot
from kks_bot.config import Settings
from kks_bot.crypto import generate_key
from kks_bot.delivery.outbox import Limits
from kks_bot.runtime import build
from tests.cases import CASES, Case
from tests.support.fakebot import FakeBotApi, FakeBotApiServer
from tests.support.transcript import Chat, MemoryTransport, press_action

FAST = Limits(global_rate=10_000, chat_rate=10_000, chat_burst=10_000)


def _settings(folder: Path, db: str, **extra: object) -> Settings:
    url = f"sqlite+aiosqlite:///{folder / 'kks.sqlite3'}" if db == "sqlite" else db
    return Settings(data_dir=folder, database_url=url, encryption_keys=f"b1:{generate_key()}",
                    _env_file=None, **extra)  # type: ignore[call-arg]


def _steps(case: Case) -> list[tuple[str, str]]:
    return [("type", "/start"), *case.profile, ("type", "/aanmelden"), *case.form,
            ("press", "submit")]


def _summary(latencies: list[float]) -> str:
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"median {statistics.median(ms):6.1f} ms  p95 {p95:6.1f} ms  max {ms[-1]:6.1f} ms"


async def core_walk(case: Case, db: str) -> tuple[list[float], int]:
    with tempfile.TemporaryDirectory() as folder:
        runtime = await build(_settings(Path(folder), db))
        transport = MemoryTransport()
        chat = Chat(runtime.kernel, runtime.worker(transport, FAST), transport, user_id=77,
                    language_code=case.language)
        latencies = []
        for kind, value in _steps(case):
            start = time.perf_counter()
            if kind == "type":
                await chat.send(value)
            else:
                await press_action(chat, value)
            latencies.append(time.perf_counter() - start)
        shown = len([m for m in transport.messages.values() if m.from_bot])
        await runtime.close()
        return latencies, shown


async def telegram_walk(case: Case, db: str) -> tuple[list[float], int]:
    api = FakeBotApi()
    user = 4242
    with tempfile.TemporaryDirectory() as folder, FakeBotApiServer(api) as server:
        config = _settings(Path(folder), db, telegram_bot_token=api.token,
                           telegram_api_base_url=server.url, poll_timeout=10)
        runtime = await build(config)
        bot = make_bot(config)
        poller = Poller(runtime, bot)
        original = runtime.worker
        runtime.worker = lambda transport, limits=None: original(transport, FAST)  # type: ignore[method-assign]
        task = asyncio.create_task(poller.run())
        latencies = []

        def snapshot() -> tuple[int, int]:
            messages = api.all_bot_messages(user)
            return (max((m.message_id for m in messages), default=0),
                    sum(m.edited_count for m in messages))

        try:
            for kind, value in _steps(case):
                before = snapshot()
                start = time.perf_counter()
                if kind == "type":
                    api.push_text(user, value, language_code=case.language)
                else:
                    message = next(m for m in reversed(api.bot_messages(user)) if m.buttons)
                    data = next(d for _, d in message.buttons if d.partition(".")[2] == value)
                    api.push_callback(user, data, message.message_id,
                                      language_code=case.language)
                ok = await api.wait_for_async(lambda a, b=before: snapshot() != b, timeout=10)
                if not ok:
                    raise RuntimeError(f"no reply to {kind} {value!r}")
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(0.02)  # let the rest of a multi-message reply arrive
        finally:
            poller.stop.set()
            await task
            await runtime.close()
        return latencies, len(api.all_bot_messages(user))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sqlite")
    args = parser.parse_args()
    print(f"database: {args.db.split('@')[-1]}")
    for case in CASES:
        steps = _steps(case)
        typed = sum(1 for kind, value in steps if kind == "type")
        taps = len(steps) - typed
        core_latency, shown = await core_walk(case, args.db)
        tg_latency, tg_shown = await telegram_walk(case, args.db)
        print(f"\n{case.name} ({case.language}): the professional sends {len(steps)} messages "
              f"({typed} typed, {taps} taps; profile {len(case.profile) + 1}, "
              f"registration {len(case.form) + 2}); the bot shows {shown} messages")
        print(f"  core only           {_summary(core_latency)}")
        print(f"  Telegram over HTTP  {_summary(tg_latency)}  ({tg_shown} bot messages)")


if __name__ == "__main__":
    asyncio.run(main())


async def step_and_wait(api: FakeBotApi, user: int, kind: str, value: str, *,
                        language: str = "nl", within: float = 60) -> float:
    """One step of a walk through the fake Bot API ("type" a text, or "press" the button
    whose action is ``value`` on the newest message with buttons); the seconds until the
    bot's next message or edit in that chat."""
    def snapshot() -> tuple[int, int]:
        messages = api.all_bot_messages(user)
        return (max((m.message_id for m in messages), default=0),
                sum(m.edited_count for m in messages))

    def button() -> tuple[int, str] | None:
        for message in reversed(api.bot_messages(user)):
            if message.buttons:
                return next(((message.message_id, d) for _, d in message.buttons
                             if d.partition(".")[2] == value), None)
        return None

    if kind == "press" and not await api.wait_for_async(lambda a: button() is not None,
                                                        timeout=within):
        # A busy bot may still be sending the rest of its reply: the user waits for it.
        raise RuntimeError(f"user {user}: no button {value!r}")
    before = snapshot()
    start = time.perf_counter()
    if kind == "type":
        api.push_text(user, value, language_code=language)
    else:
        message_id, data = button()  # type: ignore[misc]
        api.push_callback(user, data, message_id, language_code=language)
    if not await api.wait_for_async(lambda a: snapshot() != before, timeout=within):
        raise RuntimeError(f"user {user}: no reply to {kind} {value!r}")
    return time.perf_counter() - start
