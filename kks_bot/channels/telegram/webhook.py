"""Webhook mode: Telegram posts each update to our own small aiohttp server."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from ...runtime import Runtime
from ..web.app import mount
from ..web.health import Health
from .polling import Poller, run_until_signal
from .updates import ALLOWED_UPDATES

log = logging.getLogger(__name__)


class WebhookReceiver(Poller):
    """Webhook mode: Telegram posts each update; the answer is 200 only after the update
    took effect (inbox and effects committed), so an update that failed or was caught
    by a crash is posted again by Telegram, and a repeat is skipped by the inbox.

    A small aiohttp server listens on ``KKS_WEBHOOK_LISTEN`` (behind a TLS reverse
    proxy) at the path of ``KKS_WEBHOOK_URL``; a request without the right
    ``X-Telegram-Bot-Api-Secret-Token`` is refused (403) and never read.
    """

    def __init__(self, runtime: Runtime, bot: Bot) -> None:
        super().__init__(runtime, bot)
        settings = runtime.settings
        self.url = settings.webhook_url
        self.path = urlsplit(self.url).path or "/"
        host, _, port = settings.webhook_listen.rpartition(":")
        self.host, self.port = host, int(port)
        self._secret = settings.webhook_secret.get_secret_value().encode()
        self.bound_port: int | None = None
        self.ready = asyncio.Event()

    async def run(self) -> None:
        await self._start()
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.path, self._receive)
        mount(app, self.runtime, self.bot.token)  # the Mini App, with KKS_WEB_URL
        Health(self.runtime).add_to(app)  # /healthz, /readyz, /metrics
        runner = web.AppRunner(app, access_log=None)  # the URL path is not secret, but quiet
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            await site.start()
            self.bound_port = int(runner.addresses[0][1])  # the port, also when 0 was asked
            await self.bot.set_webhook(self.url, secret_token=self._secret.decode(),
                                       allowed_updates=list(ALLOWED_UPDATES),
                                       max_connections=10)
            log.info("webhook listening on %s:%s", self.host, self.bound_port)
            self.ready.set()
            await self.stop.wait()
        finally:
            await runner.cleanup()
            await self._shutdown()

    async def _receive(self, request: Any) -> Any:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request with a wrong secret refused")
            return web.Response(status=403)
        try:
            data = await request.json()
            update = Update.de_json(data, self.bot)
        except Exception:  # not an update: nothing Telegram would resend
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            await self._handle(update)
        except Exception as exc:  # Telegram posts it again later
            log.error("update %s not handled: %s", update.update_id, type(exc).__name__)
            return web.Response(status=500)
        return web.Response(status=200)


async def run_webhook(runtime: Runtime, bot: Bot) -> None:
    await run_until_signal(WebhookReceiver(runtime, bot))

