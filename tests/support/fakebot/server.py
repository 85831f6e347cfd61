"""The fake over real HTTP on 127.0.0.1, for a bot in another process
(``base_url=server_url + "/bot"``), and for a webhook it delivers to."""


from __future__ import annotations

import json
import threading
import time
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP as HTTP_POLICY
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from .api import FakeBotApi
from .common import FILE_URL_RE, URL_RE, FakeUpload, JSONDict, error_body

# ---------------------------------------------------------------------------------------------
# HTTP server
# ---------------------------------------------------------------------------------------------


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP_POLICY).parsebytes(head + body)
    params: dict[str, Any] = {}
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        return params
    for part in message.iter_parts():
        if not isinstance(part, EmailMessage):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            charset = part.get_content_charset() or "utf-8"
            params[name] = data.decode(charset, "replace")
        else:
            params[name] = FakeUpload(filename, part.get_content_type(), data)
    return params


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        return None  # never log: the request line contains the bot token

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _send_json(self, status: int, body: JSONDict) -> None:
        self._send(status, json.dumps(body).encode())

    def _serve(self) -> None:
        api = self.server.api
        parts = urlsplit(self.path)
        path = unquote(parts.path)  # file URLs arrive percent-encoded, token included
        file_match = FILE_URL_RE.fullmatch(path)
        if file_match:
            if file_match.group(1) != api.token:
                self._send_json(401, error_body(401, "Unauthorized"))
                return
            data = api._file_by_path(file_match.group(2))
            if data is None:
                self._send_json(404, error_body(404, "Not Found"))
            else:
                self._send(200, data, "application/octet-stream")
            return
        match = URL_RE.fullmatch(path)
        if match is None:
            self._send_json(404, error_body(404, "Not Found"))
            return
        if match.group(1) != api.token:
            self._send_json(401, error_body(401, "Unauthorized"))
            return
        params: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
        body = self._read_body()
        content_type = self.headers.get("Content-Type") or ""
        media_type = content_type.split(";", 1)[0].strip().lower()
        try:
            if media_type == "application/json" and body:
                decoded = json.loads(body)
                if not isinstance(decoded, dict):
                    raise ValueError("JSON body must be an object")
                # JSON bodies carry typed values; objects stay objects.
                params.update(decoded)
            elif media_type == "multipart/form-data":
                params.update(_parse_multipart(content_type, body))
            elif body:
                params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (ValueError, UnicodeDecodeError):
            self._send_json(400, error_body(400, "Bad Request: can't parse request body"))
            return
        self.server.content_types.append(media_type)
        outcome = api._handle_blocking(match.group(2), params)
        if outcome.hang:
            time.sleep(self.server.timeout_delay)
        self._send_json(outcome.status, outcome.body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: FakeBotApi, timeout_delay: float) -> None:
        super().__init__(address, _Handler)
        self.api = api
        self.timeout_delay = timeout_delay
        self.content_types: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that went away (timeouts, closed long polls) are normal here; stay quiet.
        return None


class FakeBotApiServer:
    """Serves a :class:`FakeBotApi` over HTTP on 127.0.0.1 (port 0 = a free port).

    ``start()`` returns the base URL; python-telegram-bot uses ``base_url=url + "/bot"``.
    """

    def __init__(
        self,
        api: FakeBotApi | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        timeout_delay: float = 3.0,
    ) -> None:
        self.api = api if api is not None else FakeBotApi()
        self.host = host
        self.port = port
        self.timeout_delay = timeout_delay
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_address[1]}"

    @property
    def content_types(self) -> list[str]:
        """Content types of the request bodies received so far (for tests)."""
        return list(self._server.content_types) if self._server else []

    def start(self) -> str:
        if self._server is None:
            self._server = _Server((self.host, self.port), self.api, self.timeout_delay)
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name="fake-bot-api",
                daemon=True,
            )
            self._thread.start()
        return self.url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self.api.wake_pollers()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeBotApiServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


