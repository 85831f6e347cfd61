"""The sentence model runs in a process of its own: a crash there, a hang or a CPU without
AVX2 costs the FAQ its second reading (the words answer), never an update, and is logged
once; the bot's own process never loads the native code."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kks_bot.db.models import ProcessedUpdate
from kks_bot.flows.sparring import questions, semantic, threads
from kks_bot.flows.sparring.embedding import (
    CachedEmbedder,
    ModelProcess,
    cpu_supported,
    key,
    model_name,
)
from kks_bot.flows.sparring.lexical import FaqMatcher
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi
from tests.support.transcript import Chat, press_action
from tests.telegram_driver import running_poller

QUESTION = "moet ik toestemming hebben van het gezin voordat ik aanmeld"


def crash(_texts: list[str]) -> None:
    os.kill(os.getpid(), signal.SIGKILL)  # what an illegal instruction does to a process


def hang(_texts: list[str]) -> None:
    time.sleep(30)


def nothing() -> None:
    """An initializer that loads no model (the workers above never use one)."""


def _matcher(process: ModelProcess) -> semantic.HybridMatcher:
    process.name = model_name()
    matcher = semantic.load_matcher(FaqMatcher.default(), embedder=CachedEmbedder(process))
    assert matcher is not None
    return matcher


@pytest.mark.parametrize("worker", [crash, hang])
async def test_a_broken_model_leaves_the_answer_to_the_words_and_says_so_once(
        worker, caplog) -> None:  # type: ignore[no-untyped-def]
    process = ModelProcess(supported=True, worker=worker, initializer=nothing, timeout=1.0)
    process._ready = True
    matcher = _matcher(process)
    with caplog.at_level(logging.WARNING):
        await process.prepare([QUESTION])
        await process.prepare([QUESTION])  # not started again for a while
    said = [r.getMessage() for r in caplog.records if "sentence model" in r.getMessage()]
    assert len(said) == 1 and ("crashed" in said[0] or "too slow" in said[0])
    lexical = FaqMatcher.default().match(QUESTION, "nl")
    assert lexical is not None and matcher.match(QUESTION, "nl") == lexical
    process.close()


def test_the_cpu_check(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx\n")
    assert not cpu_supported(info)
    info.write_text("processor\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma\n")
    assert cpu_supported(info) == (os.uname().machine in ("x86_64", "amd64"))


async def test_the_bot_asks_the_model_process_and_survives_its_crash(
        runtime: Runtime, chat_factory, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    # The normal way: the vector comes from the worker, the answer from the model.
    chat: Chat = chat_factory(user_id=1001)
    await chat.send("/sparren")
    await press_action(chat, "sp:faq")
    await chat.send(QUESTION)
    assert "geen goed antwoord" not in chat.text()
    # ... computed by the worker process before the transaction, and read from its cache.
    assert key(QUESTION) in semantic.model_process().cache
    # The worker dies on the next question: the words answer, the update counts once.
    broken = ModelProcess(supported=True, worker=crash, initializer=nothing)
    broken._ready = True
    matcher = _matcher(broken)
    monkeypatch.setattr(semantic, "model_process", lambda: broken)
    for module in (semantic, questions, threads):
        monkeypatch.setattr(module, "shared_matcher", lambda: matcher)
    async with runtime.sessions() as session:
        before = (await session.execute(select(func.count()).select_from(ProcessedUpdate))
                  ).scalar_one()
    with caplog.at_level(logging.WARNING):
        await chat.send(QUESTION)
    said = chat.text()
    assert "ging iets mis" not in said and "geen goed antwoord" not in said  # the words
    assert any("sentence model crashed" in r.getMessage() for r in caplog.records)
    async with runtime.sessions() as session:
        after = (await session.execute(select(func.count()).select_from(ProcessedUpdate))
                 ).scalar_one()
    assert after == before + 1
    broken.close()


def worker_pid(_texts: list[str]) -> int:
    return os.getpid()


ORPHAN = """
import asyncio
from kks_bot.flows.sparring.embedding import ModelProcess
from tests.test_model_process import nothing, worker_pid

async def main():
    process = ModelProcess(supported=True, worker=worker_pid, initializer=nothing, timeout=60)
    print(await process.vectors(["x"]), flush=True)
    await asyncio.sleep(120)

asyncio.run(main())
"""


def _gone(pid: int) -> bool:
    try:  # a zombie (no init to reap it, as in some containers) is gone as well
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_the_model_process_ends_when_the_bot_is_killed() -> None:
    """SIGKILL or the out-of-memory killer: the model's process (100 MB) does not stay."""
    root = Path(__file__).resolve().parent.parent
    bot = subprocess.Popen([sys.executable, "-c", ORPHAN], cwd=root, stdout=subprocess.PIPE,
                           env={**os.environ, "PYTHONPATH": str(root)})
    try:
        assert bot.stdout is not None
        child = int(bot.stdout.readline())
        assert child != bot.pid and not _gone(child)
    finally:
        bot.kill()
        bot.wait()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert _gone(child), "the model's process outlived the bot"
    finally:
        if not _gone(child):
            os.kill(child, signal.SIGKILL)


async def test_questions_of_one_batch_go_to_the_model_in_one_call(
        runtime: Runtime, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Three professionals ask at the same moment: the model gets one call with the three
    questions (not three calls in a row while the others wait), and each gets an answer."""
    process = semantic.model_process()
    calls: list[list[str]] = []
    vectors = process.vectors

    async def counted(texts):  # type: ignore[no-untyped-def]
        calls.append(list(texts))
        return await vectors(texts)

    monkeypatch.setattr(process, "vectors", counted)
    monkeypatch.setattr(process, "cache", OrderedDict())  # asked before, in other tests
    asked = {2001: QUESTION, 2002: "wat gebeurt er in een knooppuntoverleg",
             2003: "hoe lang bewaren jullie de gegevens van een gezin"}
    api = FakeBotApi()
    for user, question in asked.items():  # waiting before the bot polls: one batch
        api.push_text(user, question, language_code="nl")
    async with running_poller(runtime, api):
        assert await api.wait_for_async(
            lambda a: all(a.all_bot_messages(u) for u in asked), timeout=60)
    assert len(calls) == 1 and {key(q) for q in asked.values()} <= set(map(key, calls[0]))
    for user in asked:
        assert "geen goed antwoord" not in api.all_bot_messages(user)[0].text


async def test_a_big_batch_is_asked_in_small_calls_and_stays_in_the_cache(
        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Each call has one question's time limit, so a batch goes in calls of CHUNK texts;
    and at most half the cache is filled at once, so no vector is pushed out before its
    update is handled."""
    import numpy as np

    from kks_bot.flows.sparring.embedding import CACHE, CHUNK

    process = ModelProcess(supported=True, worker=worker_pid, initializer=nothing)
    sizes: list[int] = []

    async def vectors(texts):  # type: ignore[no-untyped-def]
        sizes.append(len(texts))
        return np.zeros((len(texts), 4), dtype=np.float32)

    monkeypatch.setattr(process, "vectors", vectors)
    questions = [f"vraag nummer {n} over het knooppunt" for n in range(CACHE)]
    await process.prepare(questions)
    assert max(sizes) <= CHUNK and sum(sizes) == CACHE // 2
    assert all(process.has(q) for q in questions[:CACHE // 2])
