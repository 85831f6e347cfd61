"""Start, health and metrics: /healthz, /readyz and /metrics answer as an orchestrator and
Prometheus expect; an unreachable database or Bot API at start is a clear line and a
retry, not a traceback; a bad setting is named at start; ``kks-bot check --live``."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from kks_bot.channels.web.health import Health
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeBotApiServer
from tests.support.transcript import MemoryTransport

from .conftest import TEST_KEY

ROOT = Path(__file__).resolve().parents[1]


async def test_health_ready_and_metrics(runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    app = web.Application()
    Health(runtime).add_to(app)
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/healthz")).status == 200
        # Nobody delivers the outbox yet: not ready.
        response = await client.get("/readyz")
        assert response.status == 503 and "outbox" in await response.text()
        worker = runtime.worker(MemoryTransport())
        assert await worker.hold_lease()
        assert (await client.get("/readyz")).status == 200
        chat = chat_factory(user_id=1001)
        await chat.send("/start")
        metrics = await (await client.get("/metrics")).text()
    assert "kks_outbox_pending 0.0" in metrics
    assert 'kks_updates_total{outcome="handled"}' in metrics
    assert 'kks_outbox_settled_total{outcome="sent"}' in metrics
    assert "1001" not in metrics  # counts and kinds only


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _start_and_stop(env: dict[str, str], seconds: float = 4.0) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kks_bot", "run", env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    if seconds:
        await asyncio.sleep(seconds)
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    out, err = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, (out + err).decode()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KKS_", "TELEGRAM_"))}
    env.update({"KKS_DATA_DIR": str(tmp_path / "data"), "KKS_ENCRYPTION_KEYS": TEST_KEY,
                "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN", "PYTHONPATH": str(ROOT), **extra})
    return env


async def test_an_unreachable_bot_api_or_database_at_start_is_waited_for(
        tmp_path: Path) -> None:
    _code, said = await _start_and_stop(_env(
        tmp_path, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{_closed_port()}"))
    assert "the Bot API at http://127.0.0.1:" in said and "does not answer" in said
    assert "trying again in 2 s" in said and "Traceback" not in said
    _code, said = await _start_and_stop(_env(
        tmp_path, KKS_DATABASE_URL=f"postgresql+asyncpg://kks@127.0.0.1:{_closed_port()}/kks"))
    assert "the database (127.0.0.1:" in said and "does not answer" in said
    assert "Traceback" not in said


async def test_a_bad_setting_is_named_at_start(tmp_path: Path) -> None:
    code, said = await _start_and_stop(_env(tmp_path, KKS_ADMIN_IDS="12,abc"), seconds=0)
    assert code != 0 and "configuration error" in said and "admin_ids" in said
    assert "Traceback" not in said


async def test_check_live_reaches_what_the_bot_needs(tmp_path: Path) -> None:
    api = FakeBotApi()
    with FakeBotApiServer(api) as server:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "kks_bot", "check", "--live",
            env=_env(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=server.url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(process.communicate(), 60)
    said = out.decode()
    assert process.returncode == 0, said
    assert "database: ok, sqlite+aiosqlite" in said and "Bot API: ok, @" in said
    assert "SMTP: ok, not configured" in said
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "kks_bot", "check", "--live",
        env=_env(tmp_path, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{_closed_port()}"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1 and "Bot API: FAILED" in out.decode()
