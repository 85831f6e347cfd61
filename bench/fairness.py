"""Fairness: one user floods the bot while twenty others walk the registration form.

Through the Telegram adapter over real HTTP against the fake Bot API server, with the
real pacing (one message a second per chat after a burst of three, 25 a second in
total). Twenty professionals walk Sophie's registration, each waiting for the bot's
answer and then thinking ``--think`` seconds; the time from their message to the bot's
next message is measured. Run twice: nobody floods, then one user sends ``--flood``
messages as fast as possible at the start. Prints the walkers' p95 and maximum both
times, their ratio, and what the flooder got back.

    .venv/bin/python bench/fairness.py [--walkers 20] [--steps 30] [--flood 300]
        [--think 1.0] [--db sqlite|postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.walk import _settings, _steps, step_and_wait
from kks_bot.channels.telegram.polling import Poller
from kks_bot.channels.telegram.transport import make_bot
from kks_bot.runtime import build
from tests.cases import SOPHIE
from tests.support.fakebot import FakeBotApi, FakeBotApiServer

FLOODER = 9999


async def _walker(api: FakeBotApi, user: int, steps: list[tuple[str, str]],
                  think: float) -> list[float]:
    waits = []
    for kind, value in steps:
        waits.append(await step_and_wait(api, user, kind, value, within=120))
        await asyncio.sleep(think)
    return waits


async def run(args: argparse.Namespace, flood: int) -> tuple[list[float], int, list[float]]:
    api = FakeBotApi()
    steps = _steps(SOPHIE)[:args.steps]
    with tempfile.TemporaryDirectory() as folder, FakeBotApiServer(api) as server:
        config = _settings(Path(folder), args.db, telegram_bot_token=api.token,
                           telegram_api_base_url=server.url, poll_timeout=10)
        runtime = await build(config)
        poller = Poller(runtime, make_bot(config))
        task = asyncio.create_task(poller.run())
        try:
            # Warm: the first free text loads the sentence model (a cold start, not the
            # flood; bench/startup figures are elsewhere).
            api.push_text(4999, "hallo", language_code="nl")
            if not await api.wait_for_async(lambda a: bool(a.all_bot_messages(4999)), 60):
                raise RuntimeError("no reply to the warm-up")
            for n in range(flood):
                api.push_text(FLOODER, f"hallo {n}", language_code="nl")
            results = await asyncio.gather(*[
                _walker(api, 5000 + i, steps, args.think) for i in range(args.walkers)])
        finally:
            poller.stop.set()
            await task
            await runtime.close()
        return [w for waits in results for w in waits], len(api.all_bot_messages(FLOODER)), \
            [w for waits in results for w in waits[1:]]


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--walkers", type=int, default=20)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--flood", type=int, default=300)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--db", default="sqlite")
    args = parser.parse_args()
    quiet, _, _ = await run(args, 0)
    flooded, flooder_got, later = await run(args, args.flood)
    print(f"{args.walkers} walkers x {args.steps} steps, think {args.think} s; "
          f"database {args.db.split('@')[-1]}")
    for name, waits in (("nobody floods", quiet), (f"one user sends {args.flood}", flooded)):
        print(f"  {name:<22} median {statistics.median(waits) * 1000:7.0f} ms  "
              f"p95 {_p95(waits) * 1000:7.0f} ms  max {max(waits) * 1000:7.0f} ms")
    print(f"  p95 ratio {_p95(flooded) / _p95(quiet):.2f} (target <= 2); longest wait "
          f"{max(flooded):.2f} s (target <= 1 s), after each walker's first message "
          f"{max(later):.2f} s; the flooder got {flooder_got} messages")
    print("  (the walkers' first messages all arrive at the same moment as the flood; a walker "
          "who answers within a second meets Telegram's one message a second per chat)")


if __name__ == "__main__":
    asyncio.run(main())
