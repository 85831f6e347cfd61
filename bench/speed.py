"""Our bot beside the floor: a bare python-telegram-bot echo bot, in one run, through the
same fake Bot API server (real HTTP), each in its own process.

Prints, for both and as a ratio: a typed message -> the bot's next message (median over
the typed steps among the first ``--n`` of Sophie's walk: each answer answered with the
next question; the echo gets as many messages); cold start (a restart: process start ->
the reply to a message that was waiting; the database exists, as after an update or a
crash; the very first start, which creates it, is printed too); idle memory (resident set
after the run, idle).
Targets (issue 15): typed answer <= 1.5x, cold start <= 2x, idle memory <= 1.5x the echo's.

Both run as installed, the way the Docker image runs them: with bytecode (``pip install``
compiles it; PYTHONDONTWRITEBYTECODE is not passed on, so the first start writes ours) and
our catalogues compiled to ``.mo`` (``scripts/i18n.py compile``, into a copy).

    .venv/bin/python bench/speed.py [--n 30]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.walk import _steps, step_and_wait
from kks_bot.crypto import generate_key
from scripts.i18n import compiled_copy
from tests.cases import SOPHIE
from tests.support.fakebot import FakeBotApi, FakeBotApiServer

ROOT = Path(__file__).resolve().parent.parent
USER = 4242
FIRST = 4343  # the user of the very first start


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _reply(api: FakeBotApi, before: int) -> float:
    start = time.perf_counter()
    if not await api.wait_for_async(
            lambda a: len(a.all_bot_messages(USER)) > before, timeout=60):
        raise RuntimeError("no reply")
    return time.perf_counter() - start


async def measure(command: list[str], env: dict[str, str], steps: list[tuple[str, str]],
                  api: FakeBotApi) -> tuple[float, list[float], float]:
    """Cold start, the typed messages' reply times, idle memory (MB)."""
    api.push_text(USER, steps[0][1], language_code="nl")
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*command, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)

    try:
        await _reply(api, 0)
        cold = time.perf_counter() - started
        latencies = []
        for kind, value in steps[1:]:
            await asyncio.sleep(1.1)  # a person reads and types: the chat's pace is not measured
            took = await step_and_wait(api, USER, kind, value)
            if kind == "type":
                latencies.append(took)
        await asyncio.sleep(2)
        memory = _rss_mb(process.pid)
    finally:
        process.terminate()
        await process.wait()
    return cold, latencies, memory


async def first_start(command: list[str], env: dict[str, str], api: FakeBotApi) -> float:
    """The very first start (the database made and migrated): until /start is answered."""
    api.push_text(FIRST, "/start", language_code="nl")
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*command, env=env,
                                                   stdout=asyncio.subprocess.DEVNULL,
                                                   stderr=asyncio.subprocess.DEVNULL)
    try:
        if not await api.wait_for_async(lambda a: len(a.all_bot_messages(FIRST)) > 0,
                                        timeout=60):
            raise RuntimeError("no reply")
        return time.perf_counter() - started
    finally:
        process.terminate()
        await process.wait()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40, help="steps of the walk")
    args = parser.parse_args()
    # Our bot: the professional's walk (profile, then the registration), typed answers
    # measured; the echo: as many typed messages.
    ours_steps = _steps(SOPHIE)[:args.n]
    typed = sum(1 for kind, _ in ours_steps if kind == "type")
    echo_steps = [("type", f"hallo {n}") for n in range(typed)]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KKS_", "TELEGRAM_")) and k != "PYTHONDONTWRITEBYTECODE"}
    results = {}
    for name, texts in (("echo", echo_steps), ("kks-bot", ours_steps)):
        api = FakeBotApi()
        with FakeBotApiServer(api) as server, tempfile.TemporaryDirectory() as folder:
            env["KKS_LOCALES_DIR"] = str(compiled_copy(Path(folder)))
            run_env = {**env, "TELEGRAM_BOT_TOKEN": api.token,
                       "TELEGRAM_API_BASE_URL": server.url, "PYTHONPATH": str(ROOT),
                       "KKS_DATA_DIR": folder, "KKS_ENCRYPTION_KEYS": f"b1:{generate_key()}",
                       "KKS_POLL_TIMEOUT": "10"}
            command = [sys.executable, str(ROOT / "bench" / "echo_bot.py")] if name == "echo" \
                else [sys.executable, "-m", "kks_bot", "run"]
            if name == "kks-bot":
                # A restart, as after an update or a crash: the database exists and has
                # the newest schema (the very first start also creates it).
                results["first start"] = await first_start(command, run_env, api)
            results[name] = await measure(command, run_env, texts, api)
    echo, ours = results["echo"], results["kks-bot"]
    print(f"{'':<28}{'echo':>10}{'kks-bot':>10}{'ratio':>8}  target")
    rows = [("typed -> reply, median ms", statistics.median(echo[1]) * 1000,
             statistics.median(ours[1]) * 1000, 1.5),
            ("cold start, s", echo[0], ours[0], 2.0),
            ("idle memory, MB", echo[2], ours[2], 1.5)]
    for label, a, b, target in rows:
        print(f"{label:<28}{a:>10.1f}{b:>10.1f}{b / a:>8.2f}  <= {target}")
    print(f"{'first start ever, s':<28}{'':>10}{results['first start']:>10.1f}"
          "          (the database created and migrated)")


if __name__ == "__main__":
    asyncio.run(main())
