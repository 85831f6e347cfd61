"""Random input at random steps of the walk: the bot never crashes, always answers,
and an answer it refuses leaves the draft exactly as it was."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.runtime import build
from tests.support.transcript import Chat, MemoryTransport

from .cases import SOPHIE
from .conftest import FAST, START, TEST_KEY
from .walking import do, drafts, make_profile

ACTIONS = ["o:ja", "o:nee", "o:zzz", "skip", "back", "keep", "help", "done", "t:relatie",
           "t:bogus", "g:add", "g:done", "m:GM0917", "m:GM9999", "m:other", "cf:yes",
           "cf:change", "s:0", "s:99", "submit", "e:moeder", "pick:moeder_naam", "fix:f:x",
           "go:7", "new:", "yes:", "no:", "lang:ar", "lang:xx", "menu:aanmelden", "pause"]

inputs = st.one_of(
    st.tuples(st.just("text"), st.text(max_size=200)),
    st.tuples(st.just("text"), st.sampled_from(
        ["", " ", "0", "31-2-2001", "١٢-٣-١٩٩٨", "6411", "6411 AB", "ja", "nee", "1", "99",
         "x" * 5000, "😀😀", "<b>hi</b>", "{name}", "%s", "Heerlen", "a@b"])),
    st.tuples(st.just("button-valid-seq"), st.sampled_from(ACTIONS)),
    st.tuples(st.just("button"), st.text(max_size=64)),
    st.tuples(st.just("media"), st.sampled_from(["photo", "sticker", "voice", "location"])),
    st.tuples(st.just("command"), st.sampled_from(
        ["start", "aanmelden", "taal", "help", "annuleren", "onzin", "mijnaanmeldingen",
         "profiel", "menu"])),
)


async def _scenario(folder: Path, stop_at: int, actions: list[tuple[str, str]]) -> None:
    config = Settings(data_dir=folder, encryption_keys=TEST_KEY,
                      database_url=f"sqlite+aiosqlite:///{folder / 'kks.sqlite3'}",
                      _env_file=None)  # type: ignore[call-arg]
    runtime = await build(config, clock=FrozenClock(START))
    try:
        transport = MemoryTransport()
        chat = Chat(runtime.kernel, runtime.worker(transport, FAST), transport)
        await make_profile(chat, SOPHIE)
        await chat.send("/aanmelden")
        for step in SOPHIE.form[:stop_at]:
            await do(chat, step)
        chat.text()
        for kind, value in actions:
            before = await drafts(runtime)
            if kind == "text":
                await chat.send(value if not value.startswith("/") else " " + value)
            elif kind == "command":
                await chat.send("/" + value)
            elif kind == "media":
                await chat.send_media(value)
            else:
                seq = await _seq(runtime, chat.user_id)
                data = f"{seq}.{value}" if kind == "button-valid-seq" else value
                await chat._do(Inbound(user_id=chat.user_id, chat_id=chat.user_id,
                                       kind=InKind.BUTTON, data=data,
                                       update_id=chat._next_update()))
            said = chat.text()
            assert said.strip(), f"no answer to {kind} {value!r}"
            assert "daar ging iets mis" not in said, f"internal error on {kind} {value!r}"
            # A refusal is said on top of the question asked again (the review's own
            # warnings, after a last answer that was accepted, are not refusals).
            if said.lstrip().startswith("⚠️"):
                after = await drafts(runtime)
                assert after == before, f"refused {kind} {value!r} changed the draft"
    finally:
        await runtime.close()


async def _seq(runtime, user_id: int) -> int:  # type: ignore[no-untyped-def]
    from kks_bot.db.models import Conversation

    async with runtime.sessions() as session:
        conv = await session.get(Conversation, user_id)
        return conv.seq if conv else 0


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(stop_at=st.integers(min_value=0, max_value=len(SOPHIE.form)),
       actions=st.lists(inputs, min_size=1, max_size=6))
def test_random_input_never_crashes_and_refusals_change_nothing(
        stop_at: int, actions: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(_scenario(Path(folder), stop_at, actions))
