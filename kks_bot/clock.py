"""Time, injectable so that tests move the clock instead of waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)

    def set(self, when: datetime) -> None:
        self._now = when


class OffsetClock:
    """Another clock moved forward on request (the console's /klok, demos)."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta()

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)
