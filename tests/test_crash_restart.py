"""The crash test: the real ``kks-bot run`` process, killed with SIGKILL in the middle of a
registration and started again, must neither lose nor repeat anything.

The bot runs as ``python -m kks_bot run`` against a :class:`FakeBotApiServer` on 127.0.0.1
and the test's database (SQLite file, or PostgreSQL when configured). The professional walks
the Sophie case; at several steps the process is killed

* ``before``: while the bot is down the user acts (Telegram keeps the update);
* ``inflight``: right after the update was pushed (fetched or not, handled or not);
* ``after``: right after the bot's reply reached the chat (the outbox row may not be
  settled yet);

and started again. At the end the stored registration must equal the one from the same
script walked without crashes, with no toggle or group "add" applied twice, and the user
never had to repeat anything.

The bot paces its messages as in production, but five a second per chat instead of one
(``KKS_OUTBOX_CHAT_RATE``): at one a second the walk alone took a minute. Replies still
wait for their turn after a burst; ``test_killed_while_the_reply_waits_for_its_turn`` kills
the bot at Telegram's own pace.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.db.models import ProcessedUpdate
from kks_bot.runtime import Runtime, build
from tests.support.fakebot import FakeBotApi, FakeBotApiServer
from tests.support.transcript import Chat, MemoryTransport, press_action

from .cases import SOPHIE, Case, Step
from .telegram_driver import FAST, TelegramChat, keyboard_message, outbox_rows
from .walking import fill_form, make_profile, registrations

ROOT = Path(__file__).resolve().parent.parent
USER = 5151
WAIT = 15.0  # seconds for any one thing the bot has to do


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


def sophie_now() -> Case:
    """Sophie with a due date relative to today (the bot runs on the real clock)."""
    due = _today() + timedelta(weeks=12)
    form = [("type", f"{due.day}-{due.month}-{due.year}") if step == ("type", "15 februari 2027")
            else step for step in SOPHIE.form]
    assert form != SOPHIE.form
    return dataclasses.replace(SOPHIE, form=form, expect={
        **SOPHIE.expect, "vermoedelijke_bevallingsdatum": due.isoformat()})


def script(case: Case) -> list[Step]:
    return [("type", "/start"), *case.profile, ("type", "/aanmelden"), *case.form,
            ("press", "submit")]


def at(steps: list[Step], step: Step, occurrence: int = 1) -> int:
    """The index of the ``occurrence``-th ``step`` in ``steps``."""
    found = [i for i, s in enumerate(steps) if s == step]
    return found[occurrence - 1]


# ------------------------------------------------------------------------- the bot process


class BotProcess:
    """``python -m kks_bot run`` against the fake; each start gets a fresh process and its
    own stderr file."""

    def __init__(self, api: FakeBotApi, env: dict[str, str], workdir: Path) -> None:
        self.api = api
        self.env = env
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.kills = 0
        self.logs: list[Path] = []

    async def start(self) -> None:
        assert self.proc is None
        self.starts += 1
        log = self.workdir / f"bot-{self.starts}.stderr"
        self.logs.append(log)
        polls = len(self.api.calls_to("getUpdates"))
        with log.open("wb") as stderr:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 - starting it does not block
                [sys.executable, "-m", "kks_bot", "run"], env=self.env, cwd=self.workdir,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
        # Up when it polls (the process before it is dead: every new poll is this one's).
        if not await self.api.wait_for_async(
                lambda a: len(a.calls_to("getUpdates")) > polls, timeout=WAIT):
            raise AssertionError(f"the bot did not start polling\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind in the bot."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=WAIT)
        assert self.proc.returncode == -signal.SIGKILL, self.tail()
        self.proc = None
        self.kills += 1

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(timeout=WAIT)
            self.proc = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def tail(self, lines: int = 30) -> str:
        parts = []
        for log in self.logs[-3:]:
            text = log.read_text(errors="replace").splitlines() if log.exists() else []
            parts.append(f"--- {log.name}\n" + "\n".join(text[-lines:]))
        return "\n".join(parts)


def bot_env(api: FakeBotApi, url: str, settings: Settings, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KKS_", "TELEGRAM_"))}
    env.update({
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": url,
        "KKS_DATA_DIR": str(data_dir),
        "KKS_DATABASE_URL": settings.database_url,
        "KKS_ENCRYPTION_KEYS": settings.encryption_keys.get_secret_value(),
        "KKS_POLL_TIMEOUT": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        "PYTHONUNBUFFERED": "1",
    })
    return env


@pytest.fixture
def fake() -> Iterator[tuple[FakeBotApi, str]]:
    api = FakeBotApi()  # real time: the bot in the other process has no other clock
    # An injected "timeout" fault holds the answer to a call that took effect this long.
    with FakeBotApiServer(api, timeout_delay=5.0) as server:
        yield api, server.url


@pytest.fixture
async def bot(fake: tuple[FakeBotApi, str], settings: Settings, runtime: Runtime,
              tmp_path: Path) -> AsyncIterator[BotProcess]:
    """The bot process (not started). ``runtime`` (the test's view of the same database)
    has migrated the database already."""
    api, url = fake
    process = BotProcess(api, bot_env(api, url, settings, tmp_path / "bot-data"), tmp_path)
    try:
        yield process
    finally:
        process.stop()
        print(process.tail(60))  # noqa: T201 - shown by pytest when the test failed


# ----------------------------------------------------------------------------- helpers


def snapshot(api: FakeBotApi) -> tuple[int, int, str] | None:
    """What the user's newest keyboard looks like (a reply changes it: a new message, or
    the toggle list edited in place)."""
    message = keyboard_message(api, USER)
    return (message.message_id, message.edited_count, message.text or "") if message else None


async def reference_answers(case: Case, tmp_path: Path, settings: Settings) -> dict[str, Any]:
    """The registration from the same script walked through the core, without crashes."""
    reference = Settings(data_dir=tmp_path / "reference",
                         database_url=f"sqlite+aiosqlite:///{tmp_path / 'reference.sqlite3'}",
                         encryption_keys=settings.encryption_keys,
                         _env_file=None)  # type: ignore[call-arg]
    runtime = await build(reference, clock=FrozenClock(datetime.now(UTC)))
    try:
        transport = MemoryTransport()
        chat = Chat(runtime.kernel, runtime.worker(transport, FAST), transport, user_id=USER,
                    language_code=case.language)
        await make_profile(chat, case)
        await fill_form(chat, case)
        await press_action(chat, "submit")
        (stored,) = await registrations(runtime)
        answers: dict[str, Any] = stored["answers"]
        return answers
    finally:
        await runtime.close()


# ------------------------------------------------------------------------------ the test


@pytest.mark.once  # half a minute of real processes; what it proves is the transaction design
async def test_killed_at_any_moment_loses_and_repeats_nothing(
        fake: tuple[FakeBotApi, str], bot: BotProcess, runtime: Runtime, settings: Settings,
        tmp_path: Path) -> None:
    api, _url = fake
    case = sophie_now()
    steps = script(case)
    expected = await reference_answers(case, tmp_path, settings)

    review = len(steps) - 2  # the form's last step: the review appears
    assert steps[review] == ("press", "skip") and steps[review + 1] == ("press", "submit")
    kills: dict[int, str] = {
        at(steps, ("type", "Anna Verhoeven")): "before",            # profile, typed
        at(steps, ("press", "o:ja")): "fetched",                    # a button
        at(steps, ("type", "6411 AB")): "after",                    # typed, gemeente
        at(steps, ("type", "Sophie Jansen")): "inflight",           # typed family data
        at(steps, ("press", "o:samenwonend")): "after",             # a button
        at(steps, ("press", "g:add")): "fetched",                   # a group item added
        at(steps, ("press", "t:relatie")): "inflight",              # tick-list toggles
        at(steps, ("press", "t:financien")): "after",
        at(steps, ("press", "t:stress")): "before",
        at(steps, ("press", "t:opvoedvaardigheden")): "fetched",
        review: "after",                                            # the review appears
        review + 1: "fetched",                                      # submitting
    }

    chat = TelegramChat(api, runtime.sessions, user_id=USER, language=case.language,
                        timeout=WAIT)
    bot.env["KKS_OUTBOX_CHAT_RATE"] = "5"
    started = time.monotonic()
    await bot.start()
    for index, step in enumerate(steps):
        mode = kills.get(index)
        before = snapshot(api)
        answered = len(api.callback_answers())
        if mode == "before":  # the bot is down when the user acts
            bot.kill()
            update_id = await chat.push_step(step)
            await bot.start()
        else:
            update_id = await chat.push_step(step)
        if mode == "inflight":  # at once: not fetched yet, or being fetched
            bot.kill()
        elif mode == "fetched":  # the poller answered the press and is handling it
            assert step[0] == "press"
            assert await api.wait_for_async(
                lambda a, n=answered: len(a.callback_answers()) > n, timeout=WAIT), bot.tail()
            bot.kill()
        elif mode == "after":  # the reply reached the chat
            assert await api.wait_for_async(
                lambda a, was=before: snapshot(a) != was, timeout=WAIT), \
                f"no reply to step {index} {step}\n{bot.tail()}"
            bot.kill()
        if mode in ("inflight", "fetched", "after"):
            await bot.start()
        try:
            await chat.settle(update_id)
        except AssertionError as exc:
            raise AssertionError(f"step {index} {step} ({mode}): {exc}\n{bot.tail()}") from None
        if snapshot(api) == before:
            rows = [(r.id, r.kind, r.status, r.error) for r in await outbox_rows(runtime.sessions)
                    if r.status != "sent"]
            raise AssertionError(f"step {index} {step} ({mode}): the reply never came; "
                                 f"outbox: {rows}\n{bot.tail()}")
    walked = time.monotonic() - started
    assert bot.alive(), bot.tail()
    assert bot.kills == len(kills) and bot.starts == len(kills) + 1

    # The user never had to repeat anything: every step was given exactly once.
    assert chat.inputs == steps
    # Every update took effect (the inbox holds each update id once: it is the key).
    async with runtime.sessions() as session:
        inbox = set((await session.execute(select(ProcessedUpdate.update_id))).scalars())
    assert {update_id for update_id, _before, _step in chat.history} <= inbox

    # The registration is exactly the one walked without crashes.
    stored = await registrations(runtime)
    assert len(stored) == 1, [r["reference"] for r in stored]
    registration = stored[0]
    assert registration["reference"] == f"KKS-{_today().year}-0001"
    assert registration["status"] == "ingediend"
    answers = registration["answers"]
    for key, value in case.expect.items():
        assert answers.get(key) == value, (key, answers.get(key))
    # The sensitive ones: a toggle applied twice would untick, an "add" applied twice would
    # leave an empty item.
    assert answers["kwetsbaarheden"] == ["financien", "relatie", "opvoedvaardigheden", "stress"]
    assert answers["beschermende_factoren"] == ["open_voor_hulp"]
    assert answers["aanmelding_voor"] == ["knooppunt"]
    assert answers["kinderen"] == []
    assert len(answers["hulpverleners"]) == 1
    assert answers["hulpverleners"][0]["naam"] == "Kraamzorg De Wieg"
    assert answers == expected

    # The user sees the confirmation, once, and none of the family answers they typed.
    texts = [m.text or "" for m in api.bot_messages(USER)]
    assert sum(registration["reference"] in text for text in texts) == 1
    assert registration["reference"] in texts[-1]
    typed = {m.text for m in api.user_messages(USER)}
    for family in ("6411 AB", "Sophie Jansen", "12-3-2001", "Akerstraat 12", "06 12345678"):
        assert family not in typed
    print(f"walk of {len(steps)} steps with {bot.kills} kills: {walked:.1f}s")  # noqa: T201


# ------------------------------------------- regressions for bugs this test once found


class LostReply(AssertionError):
    pass


class LeftInChat(AssertionError):
    pass


async def _wait_db(runtime: Runtime, predicate: Any, within: float = WAIT) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if predicate(await outbox_rows(runtime.sessions)):
            return True
        await asyncio.sleep(0.005)
    return False


async def test_killed_while_the_reply_waits_for_its_turn(
        fake: tuple[FakeBotApi, str], bot: BotProcess, runtime: Runtime) -> None:
    api, _url = fake
    chat = TelegramChat(api, runtime.sessions, user_id=USER, language="nl", timeout=WAIT)
    await bot.start()
    await chat.send("/aanmelden")  # no profile needed: the form asks for it
    await chat.press("yes")
    await chat.press("o:ja")  # four messages in a moment: from here on each waits ~1 s
    before = snapshot(api)
    update_id = await chat.push_step(("press", "o:ja"))
    # The reply waits for the chat's turn (one message a second): it must still be
    # pending then, so that a kill while waiting leaves it to be sent after the restart.
    waiting = await _wait_db(runtime, lambda rows: any(
        r.kind == "send" and r.status == "pending" for r in rows))
    bot.kill()
    assert waiting and snapshot(api) == before, "precondition: queued, not sent"
    await bot.start()
    await chat.settle(update_id)
    if snapshot(api) == before:
        rows = [(r.kind, r.status, r.error) for r in await outbox_rows(runtime.sessions)]
        raise LostReply(f"the next question never came: {rows}")


async def test_killed_while_a_walk_message_was_sent_it_is_still_wiped(
        fake: tuple[FakeBotApi, str], bot: BotProcess, runtime: Runtime) -> None:
    api, _url = fake
    chat = TelegramChat(api, runtime.sessions, user_id=USER, language="nl", timeout=WAIT)
    await bot.start()
    await chat.send("/aanmelden")
    consent = chat.keyboard()
    # Telegram shows the message but its answer to the bot is slow (5 s) ...
    api.set_fault_rate(1.0, kinds=("timeout",), methods=["sendMessage"])
    shown_before = len(api.bot_messages(USER))
    update_id = await chat.push_step(("press", "yes"))
    assert await api.wait_for_async(
        lambda a: len(a.bot_messages(USER)) > shown_before, timeout=WAIT)
    shown = api.bot_messages(USER)[-1]
    bot.kill()  # ... and the bot dies waiting for it
    api.clear_faults()
    await bot.start()
    await chat.settle(update_id)
    await chat.press("cancel")
    await chat.press("yes:")
    left = [m for m in api.bot_messages(USER)
            if consent.message_id < m.message_id and m is not api.last_bot_message(USER)]
    assert "gewist" in chat.last_text()
    assert api.message(USER, shown.message_id) is not None
    if left:
        raise LeftInChat(f"still in the chat after the draft was wiped: "
                         f"{[m.text for m in left]}")
