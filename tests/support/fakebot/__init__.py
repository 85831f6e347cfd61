"""A fake Telegram Bot API for tests and for trying the real bot without Telegram.

Its parts share one in-memory state (:class:`FakeBotApi`, ``api.py`` and ``methods.py``):

* :class:`FakeBotApi` - the state and logic of a Bot API server. Tests push updates from
  simulated users (``push_text``, ``push_callback``, ...) and inspect what the bot did
  (``calls``, ``bot_messages``, ...). Faults (429/500/timeouts, failing methods) can be
  injected. Texts are parsed as strictly as Telegram does (``markup.py``).
* :class:`FakeRequest` (``request.py``) - an in-process :class:`telegram.request.BaseRequest`,
  so that a real :class:`telegram.Bot` talks to the fake without sockets while
  python-telegram-bot's own response parsing and error mapping still run.
* :class:`FakeBotApiServer` (``server.py``) - the same API over real HTTP on 127.0.0.1, for
  running the bot in another process (``base_url=server_url + "/bot"``).
* ``phone.py`` - ``python -m tests.support.fakebot --port 8081`` starts the server with an
  interactive terminal "phone" for a developer.
"""

from .api import FakeBotApi
from .common import DEFAULT_TOKEN, FakeCall, FakeClock, FakeMessage, FakeUpload, buttons
from .request import FakeRequest
from .server import FakeBotApiServer

__all__ = ["DEFAULT_TOKEN", "FakeBotApi", "FakeBotApiServer", "FakeCall", "FakeClock",
           "FakeMessage", "FakeRequest", "FakeUpload", "buttons"]
