"""Helpers for the Mini App's tests: launch data signed as Telegram signs it, and a client
that keeps the session cookie the way a phone's web view does."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from kks_bot.channels.web.app import COOKIE
from kks_bot.channels.web.initdata import sign

TOKEN = "123456:TEST-token-for-the-mini-app"
WEB_URL = "https://kks.example/app"
ORIGIN = "https://kks.example"


def launch_data(user_id: int, at: datetime, *, token: str = TOKEN,
                language: str = "nl", **changes: str) -> str:
    """``initData`` as Telegram builds it for ``user_id`` at ``at``; ``changes`` are
    applied after signing (an altered field)."""
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
              "user": json.dumps({"id": user_id, "first_name": "Test",
                                  "language_code": language}, separators=(",", ":")),
              "auth_date": str(int(at.timestamp()))}
    fields["hash"] = sign(fields, token)
    fields.update(changes)
    return urlencode(fields)


@dataclass
class Browser:
    """One web view: its cookie, and what it last got."""

    client: TestClient  # type: ignore[type-arg]
    cookie: str = ""
    history: list[str] = field(default_factory=list)

    def _headers(self, origin: str | None) -> dict[str, str]:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        if origin:
            headers["Origin"] = origin
        return headers

    async def get(self, path: str) -> ClientResponse:
        response = await self.client.get("/app" + path, headers=self._headers(None),
                                          allow_redirects=False)
        await response.read()
        return response

    async def post(self, path: str, data: dict[str, str], *,
                   origin: str | None = ORIGIN) -> ClientResponse:
        response = await self.client.post("/app" + path, data=data,
                                           headers=self._headers(origin),
                                           allow_redirects=False)
        await response.read()
        found = response.cookies.get(COOKIE)
        if found is not None:
            self.cookie = found.value
        return response

    async def launch(self, init_data: str, to: str = "home") -> ClientResponse:
        return await self.post("/session", {"init_data": init_data, "to": to})

    async def csrf(self) -> str:
        page = await (await self.get("/pin")).text()
        found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
        assert found, page
        return found.group(1)

    async def pin(self, pin: str, repeat: str | None = None, to: str = "home") -> ClientResponse:
        data = {"csrf": await self.csrf(), "pin": pin, "to": to}
        if repeat is not None:
            data["repeat"] = repeat
        return await self.post("/pin", data)


def location(response: ClientResponse) -> str:
    return response.headers.get("Location", "")


async def text(response: ClientResponse) -> str:
    body: Any = await response.text()
    return str(body)
