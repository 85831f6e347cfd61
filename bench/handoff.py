"""Time from a submitted registration to the coordinators' notification.

Runs the Telegram adapter over real HTTP against the fake Bot API server: two
coordinators of Heerlen join with an invitation, a midwife walks Sophie's case and
presses "Versturen"; prints the time until each coordinator's notification is
visible, over several rounds.

    .venv/bin/python bench/handoff.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.walk import FAST, _settings
from kks_bot import people
from kks_bot.channels.telegram.polling import Poller
from kks_bot.channels.telegram.transport import make_bot
from kks_bot.runtime import build
from tests.cases import SOPHIE
from tests.support.fakebot import FakeBotApi, FakeBotApiServer

MIDWIFE, COORDINATORS = 4242, (501, 502)


def _press(api: FakeBotApi, user: int, action: str) -> None:
    message = next(m for m in reversed(api.bot_messages(user)) if m.buttons)
    data = next(d for _, d in message.buttons if d.partition(".")[2] == action)
    api.push_callback(user, data, message.message_id)


async def _settle(api: FakeBotApi, user: int) -> None:
    before = len(api.all_bot_messages(user))
    await api.wait_for_async(lambda a: len(a.all_bot_messages(user)) > before, timeout=10)
    await asyncio.sleep(0.02)


async def one_round() -> list[float]:
    api = FakeBotApi()
    with tempfile.TemporaryDirectory() as folder, FakeBotApiServer(api) as server:
        config = _settings(Path(folder), "sqlite", telegram_bot_token=api.token,
                           telegram_api_base_url=server.url, poll_timeout=10)
        runtime = await build(config)
        original = runtime.worker
        runtime.worker = lambda transport, limits=None: original(transport, FAST)  # type: ignore[method-assign]
        poller = Poller(runtime, make_bot(config))
        task = asyncio.create_task(poller.run())
        try:
            for user in COORDINATORS:
                async with runtime.sessions() as session, session.begin():
                    token = await people.create_invitation(
                        session, ["GM0917"], runtime.clock.now(), timedelta(days=1))
                api.push_text(user, f"/start {token}")
                await _settle(api, user)
            for kind, value in [("type", "/start"), *SOPHIE.profile, ("type", "/aanmelden"),
                                *SOPHIE.form]:
                if kind == "type":
                    api.push_text(MIDWIFE, value)
                else:
                    _press(api, MIDWIFE, value)
                await _settle(api, MIDWIFE)
            start = time.perf_counter()
            _press(api, MIDWIFE, "submit")
            times = []
            for user in COORDINATORS:
                await api.wait_for_async(lambda a, u=user: any(
                    "KKS-" in (m.text or "") for m in a.bot_messages(u)), timeout=10)
                times.append(time.perf_counter() - start)
            return times
        finally:
            poller.stop.set()
            await task
            await runtime.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    samples: list[float] = []
    for _ in range(args.rounds):
        samples.extend(await one_round())
    ms = sorted(s * 1000 for s in samples)
    print(f"submit -> coordinator notification over HTTP ({len(ms)} notifications, "
          f"{args.rounds} rounds, 2 coordinators): median {statistics.median(ms):.1f} ms, "
          f"max {ms[-1]:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
