"""Webhook mode: Telegram posts updates; 200 only after they took effect, once each."""

from __future__ import annotations

import asyncio

import httpx
from pydantic import SecretStr
from sqlalchemy import func, select

from kks_bot.channels.telegram.transport import make_bot
from kks_bot.channels.telegram.webhook import WebhookReceiver
from kks_bot.config import Settings
from kks_bot.db.models import ProcessedUpdate
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeRequest

from .telegram_driver import bot_settings

SECRET = "s3cret-token-for-the-webhook_0123"
USER = 4343


async def _receiver(runtime: Runtime, api: FakeBotApi) -> WebhookReceiver:
    runtime.settings = bot_settings(
        runtime.settings, api, webhook_url="https://bot.example.test/kks/hook",
        webhook_listen="127.0.0.1:0", webhook_secret=SecretStr(SECRET))
    bot = make_bot(runtime.settings, request=FakeRequest(api),
                   get_updates_request=FakeRequest(api))
    return WebhookReceiver(runtime, bot)


async def test_updates_posted_to_the_webhook_are_answered_once(runtime: Runtime) -> None:
    api = FakeBotApi()
    receiver = await _receiver(runtime, api)
    task = asyncio.create_task(receiver.run())
    try:
        await asyncio.wait_for(receiver.ready.wait(), timeout=15)
        assert api.webhook is not None
        assert api.webhook["url"] == "https://bot.example.test/kks/hook"
        assert api.webhook["secret_token"] == SECRET
        assert not api.calls_to("getUpdates")  # no polling beside the webhook
        url = f"http://127.0.0.1:{receiver.bound_port}/kks/hook"

        # A stranger who found the URL is refused and nothing is handled.
        async with httpx.AsyncClient() as client:
            forged = await client.post(url, json={"update_id": 1}, headers={
                "X-Telegram-Bot-Api-Secret-Token": "wrong"})
            missing = await client.post(url, json={"update_id": 1})
            garbage = await client.post(url, content=b"not json", headers={
                "X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert (forged.status_code, missing.status_code, garbage.status_code) == (403, 403, 400)

        api.push_text(USER, "/start", language_code="en")
        assert await api.deliver_webhook(url) == [200]
        await _until(lambda: bool(api.all_bot_messages(USER)))
        first = api.all_bot_messages(USER)
        assert "Knooppunt" in (first[0].text or "")

        # Telegram posts an update again when it did not see the 200: handled once.
        async with httpx.AsyncClient() as client:
            update = {"update_id": 7, "message": {
                "message_id": 99, "date": 1764770000, "text": "/help",
                "chat": {"id": USER, "type": "private"},
                "from": {"id": USER, "is_bot": False, "first_name": "T"}}}
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            answers = [(await client.post(url, json=update, headers=headers)).status_code
                       for _ in range(2)]
        assert answers == [200, 200]
        async with runtime.sessions() as session:
            seen = (await session.execute(select(func.count()).select_from(ProcessedUpdate)
                                          .where(ProcessedUpdate.update_id == 7))).scalar()
        assert seen == 1
    finally:
        receiver.stop.set()
        await asyncio.wait_for(task, timeout=15)


async def test_an_update_that_failed_is_answered_500_and_posted_again(
        runtime: Runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    api = FakeBotApi()
    receiver = await _receiver(runtime, api)
    real = runtime.kernel.handle
    calls = {"n": 0}

    async def flaky(event):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("database gone")
        return await real(event)

    monkeypatch.setattr(runtime.kernel, "handle", flaky)
    task = asyncio.create_task(receiver.run())
    try:
        await asyncio.wait_for(receiver.ready.wait(), timeout=15)
        url = f"http://127.0.0.1:{receiver.bound_port}/kks/hook"
        api.push_text(USER, "/start", language_code="nl")
        assert await api.deliver_webhook(url) == [500]  # kept by Telegram
        assert await api.deliver_webhook(url) == [200]  # posted again: now it works
        await _until(lambda: bool(api.all_bot_messages(USER)))
    finally:
        receiver.stop.set()
        await asyncio.wait_for(task, timeout=15)


def test_a_webhook_needs_a_secret() -> None:
    import pytest

    with pytest.raises(ValueError, match="KKS_WEBHOOK_SECRET"):
        Settings(webhook_url="https://bot.example.test/hook", webhook_secret=SecretStr("x"))


async def _until(condition) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):  # ten seconds
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")
