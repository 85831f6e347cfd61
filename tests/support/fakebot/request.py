"""An in-process :class:`telegram.request.BaseRequest`: a real :class:`telegram.Bot` talks to
the fake without sockets, and python-telegram-bot's own serialisation and error mapping run."""


from __future__ import annotations

import json
from typing import IO, Any, cast
from urllib.parse import unquote, urlsplit

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from .api import FakeBotApi
from .common import FILE_URL_RE, URL_RE, FakeUpload, error_body

# ---------------------------------------------------------------------------------------------
# In-process transport for python-telegram-bot
# ---------------------------------------------------------------------------------------------


def _upload_from_field(name: str, field_tuple: Any) -> FakeUpload:
    filename, content, mime = field_tuple
    if not isinstance(content, bytes):
        handle = cast(IO[bytes], content)
        content = handle.read()
    return FakeUpload(str(filename or name), str(mime or "application/octet-stream"), content)


class FakeRequest(BaseRequest):
    """A python-telegram-bot request object that calls :class:`FakeBotApi` in-process.

    Parameters arrive exactly as python-telegram-bot would put them on the wire
    (``RequestData.json_parameters`` strings plus multipart files), and the response goes
    through python-telegram-bot's own status/error handling.
    """

    __slots__ = ("_read_timeout", "api")

    def __init__(self, api: FakeBotApi, *, read_timeout: float | None = 5.0) -> None:
        self.api = api
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        # File URLs arrive percent-encoded (python-telegram-bot quotes the path, token
        # included: ":" -> "%3A"), so decode before matching.
        path = unquote(urlsplit(url).path)
        file_match = FILE_URL_RE.search(path)
        if file_match:
            if file_match.group(1) != self.api.token:
                return 401, json.dumps(error_body(401, "Unauthorized")).encode()
            data = self.api._file_by_path(file_match.group(2))
            if data is None:
                return 404, json.dumps(error_body(404, "Not Found")).encode()
            return 200, data
        match = URL_RE.search(path)
        if match is None:
            return 404, json.dumps(error_body(404, "Not Found")).encode()
        if match.group(1) != self.api.token:
            return 401, json.dumps(error_body(401, "Unauthorized")).encode()
        params: dict[str, Any] = {}
        if request_data is not None:
            params.update(request_data.json_parameters)
            for name, field_tuple in request_data.multipart_data.items():
                params[name] = _upload_from_field(name, field_tuple)
        outcome = await self.api._handle_async(match.group(2), params)
        if outcome.hang:
            raise TimedOut("Timed out (injected by FakeBotApi; the call took effect)")
        return outcome.status, json.dumps(outcome.body).encode()


