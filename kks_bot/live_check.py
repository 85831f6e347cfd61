"""``kks-bot check --live``: can the bot reach what it needs, here, now? The database,
the Bot API (``getMe``), the SMTP server (STARTTLS and login) and the Mini App's address.
Each line says what was checked and how it went; exit 1 if anything failed."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiohttp
import aiosmtplib
from sqlalchemy import text

from .config import Settings
from .db.session import make_engine
from .delivery.mail import mail_settings


async def _database(settings: Settings) -> str:
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    return settings.database_url.split("://", 1)[0]


async def _bot_api(settings: Settings) -> str:
    from .channels.telegram.transport import make_bot  # only this check needs PTB

    bot = make_bot(settings)
    async with bot:
        me = await bot.get_me()
    return f"@{me.username} at {settings.telegram_api_base_url}"


async def _smtp(settings: Settings) -> str:
    mail = mail_settings(settings)
    if mail is None:
        return "not configured (official copies are not mailed)"
    client = aiosmtplib.SMTP(hostname=mail.host, port=mail.port, timeout=mail.timeout,
                             start_tls=mail.starttls, tls_context=mail.tls_context)
    await client.connect()
    try:
        if mail.username:
            await client.login(mail.username, mail.secret() or "")
    finally:
        await client.quit()
    return f"{mail.host}:{mail.port} (STARTTLS{', login' if mail.username else ''})"


async def _web(settings: Settings) -> str:
    if not settings.web_url:
        return "not configured (case content in the chat after the PIN)"
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(timeout=timeout) as session, \
            session.get(settings.web_url) as response:
        if response.status >= 500:
            raise RuntimeError(f"HTTP {response.status}")
    return f"{settings.web_url} (HTTP {response.status})"


CHECKS: list[tuple[str, Callable[[Settings], Awaitable[str]]]] = [
    ("database", _database), ("Bot API", _bot_api), ("SMTP", _smtp),
    ("Mini App", _web)]


async def live(settings: Settings) -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            found = await asyncio.wait_for(check(settings), 30)
            print(f"{name}: ok, {found}")  # noqa: T201
        except (Exception, SystemExit) as exc:
            failed += 1
            print(f"{name}: FAILED, {type(exc).__name__}: {str(exc)[:200]}")  # noqa: T201
    return 1 if failed else 0
