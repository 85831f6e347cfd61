"""The outbox: messages survive failures, are not sent twice, and keep Telegram's pace."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.db.models import Outbox, WorkerLease
from kks_bot.delivery import outbox
from kks_bot.delivery.outbox import (
    ButtonRows,
    Limits,
    Rejected,
    RetryLater,
    TemporaryFailure,
    Uncertain,
    Unreachable,
)
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.runtime import Runtime, build
from tests.support.transcript import unisolated


class ScriptedTransport:
    """Fails the first calls as told, then delivers."""

    def __init__(self, failures: list[Exception] | None = None) -> None:
        self.failures = list(failures or [])
        self.sent: list[tuple[int, str, float]] = []

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((chat_id, text, time.monotonic()))
        return len(self.sent)

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        raise Rejected("Message to edit not found")

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        return True


async def _queue(runtime: Runtime, chat_id: int, *texts: str) -> None:
    async with runtime.sessions() as session, session.begin():
        for text in texts:
            runtime.env.enqueue(session, chat_id, "send",
                                      {"text": text, "buttons": [], "locale": "nl"},
                                      runtime.clock.now())


async def _statuses(runtime: Runtime) -> list[tuple[str, int]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Outbox).order_by(Outbox.id))).scalars().all()
        return [(r.status, r.attempts) for r in rows]


FAST = Limits(global_rate=1000, chat_rate=1000, chat_burst=1000)


async def test_retry_after_and_server_errors_are_retried_in_order(
        runtime: Runtime, clock: FrozenClock) -> None:
    transport = ScriptedTransport([RetryLater(3), TemporaryFailure("502")])
    worker = runtime.worker(transport, FAST)
    await _queue(runtime, 1, "one", "two")
    await _queue(runtime, 2, "other chat")
    await worker.deliver()
    # Chat 1 waits (429: retry after 3 s) and keeps its order: "two" waits behind "one".
    # Chat 2's message met a 502 and waits for its backoff (2 s after the first attempt).
    assert transport.sent == []
    clock.advance(seconds=2)
    await worker.deliver()
    assert [t for _, t, _ in transport.sent] == ["other chat"]
    clock.advance(seconds=1)
    await worker.deliver()
    assert [t for _, t, _ in transport.sent] == ["other chat", "one", "two"]
    assert [s for s, _ in await _statuses(runtime)] == ["sent", "sent", "sent"]


async def test_timeout_is_uncertain_and_not_sent_again(runtime: Runtime,
                                                       clock: FrozenClock) -> None:
    transport = ScriptedTransport([Uncertain()])
    worker = runtime.worker(transport, FAST)
    await _queue(runtime, 1, "maybe delivered")
    await worker.deliver()
    clock.advance(minutes=10)
    await worker.deliver()
    assert transport.sent == []
    assert await _statuses(runtime) == [("uncertain", 1)]


async def test_blocked_user_and_bad_request_fail_without_retry(runtime: Runtime) -> None:
    transport = ScriptedTransport([Unreachable(), Rejected("chat not found")])
    worker = runtime.worker(transport, FAST)
    await _queue(runtime, 1, "a")
    await _queue(runtime, 2, "b")
    await worker.deliver()
    assert [s for s, _ in await _statuses(runtime)] == ["failed", "failed"]


async def test_gives_up_after_max_attempts(runtime: Runtime, clock: FrozenClock) -> None:
    transport = ScriptedTransport([TemporaryFailure("500")] * 20)
    worker = runtime.worker(transport, Limits(1000, 1000, 1000, max_attempts=3))
    await _queue(runtime, 1, "x")
    for _ in range(5):
        await worker.deliver()
        clock.advance(minutes=10)
    assert await _statuses(runtime) == [("failed", 3)]


async def test_crash_mid_send_makes_the_row_uncertain(runtime: Runtime) -> None:
    await _queue(runtime, 1, "x")
    async with runtime.sessions() as session, session.begin():
        row = (await session.execute(select(Outbox))).scalar_one()
        row.status = "sending"  # what a kill between claim and settle leaves behind
    worker = runtime.worker(ScriptedTransport(), FAST)
    assert await worker.recover() == 1
    await worker.deliver()
    assert await _statuses(runtime) == [("uncertain", 0)]


async def test_edit_of_a_vanished_message_sends_it_anew(runtime: Runtime) -> None:
    transport = ScriptedTransport()
    worker = runtime.worker(transport, FAST)
    async with runtime.sessions() as session, session.begin():
        runtime.env.enqueue(session, 1, "edit", {"text": "t", "buttons": [],
                                                        "locale": "nl"},
                                  runtime.clock.now(), target=99)
    await worker.deliver()
    assert [t for _, t, _ in transport.sent] == ["t"]


async def test_pace_one_message_a_second_per_chat_after_a_burst(runtime: Runtime) -> None:
    transport = ScriptedTransport()
    worker = runtime.worker(transport, Limits(global_rate=30, chat_rate=4, chat_burst=2))
    await _queue(runtime, 1, *[f"m{i}" for i in range(6)])
    await worker.drain()
    stamps = [t for _, _, t in transport.sent]
    assert len(stamps) == 6
    # Two at once (the burst), then one every quarter second (4 a second).
    assert stamps[-1] - stamps[0] >= 0.9
    gaps = [b - a for a, b in itertools.pairwise(stamps[2:])]
    assert min(gaps) >= 0.2


async def test_a_chat_waiting_for_its_pace_does_not_hold_up_the_others(
        runtime: Runtime) -> None:
    """One chat with ten messages queued first, then one message each for three others:
    round robin, so each of the three goes out right after the busy chat's first, and
    all before that chat's pace lets its fourth through."""
    transport = ScriptedTransport()
    worker = runtime.worker(transport, Limits(global_rate=30, chat_rate=1, chat_burst=3))
    await _queue(runtime, 1, *[f"flood{i}" for i in range(10)])
    for chat in (2, 3, 4):
        await _queue(runtime, chat, f"reply{chat}")
    await worker.deliver()  # one pass: nobody waits for chat 1's pace
    first = [text for _, text, _ in transport.sent]
    assert first == ["flood0", "reply2", "reply3", "reply4", "flood1", "flood2"]
    assert worker.paced is not None and 0 < worker.paced <= 1.0
    await worker.drain()
    assert [t for _, t, _ in transport.sent][6:] == [f"flood{i}" for i in range(3, 10)]


async def test_round_robin_the_chat_served_longest_ago_goes_first(
        runtime: Runtime) -> None:
    """Chat 1 has two replies waiting (two messages, then one), chat 2 one message that
    came after both: chat 2 waits for one of chat 1's messages, not for all three."""
    transport = ScriptedTransport()
    worker = runtime.worker(transport, FAST)
    await _queue(runtime, 1, "a1", "a2")
    await _queue(runtime, 1, "b")
    await _queue(runtime, 2, "c")
    await worker.deliver()
    assert [text for _, text, _ in transport.sent] == ["a1", "c", "a2", "b"]


class ChatTransport:
    """One chat as Telegram keeps it: ids in order; a timeout still delivers."""

    def __init__(self, time_out: Sequence[str] = ()) -> None:
        self.time_out = list(time_out)  # texts whose send times out after taking effect
        self.delete_time_outs = 0
        self.messages: dict[int, tuple[int, str]] = {}
        self.deleted: set[int] = set()

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        message_id = len(self.messages) + 1
        self.messages[message_id] = (chat_id, text)
        if text in self.time_out:
            self.time_out.remove(text)
            raise Uncertain()
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        raise Rejected("Message to edit not found")

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        self.deleted.update(m for m in message_ids if m in self.messages)
        if self.delete_time_outs:
            self.delete_time_outs -= 1
            raise Uncertain()
        return True

    def visible(self) -> list[str]:
        return [text for i, (_, text) in sorted(self.messages.items()) if i not in self.deleted]


async def _rows(runtime: Runtime) -> list[tuple[str, str, str | None]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(Outbox).order_by(Outbox.id))).scalars().all()
        return [(r.kind, r.status, r.error) for r in rows]


async def test_a_deleted_gap_does_not_take_an_untagged_message_along(
        runtime: Runtime) -> None:
    transport = ChatTransport(time_out=["notification", "view"])
    worker = runtime.worker(transport, FAST)
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        for text, tag in [("menu", None), ("notification", None), ("view", "v:1")]:
            runtime.env.enqueue(session, 1, "send",
                                      {"text": text, "buttons": [], "locale": "nl"}, now,
                                      tag=tag)
        runtime.env.enqueue(session, 1, "delete_tag", {"locale": "nl"}, now, tag="v:1")
    await worker.deliver()
    # The view's id is unknown, so the gap after "menu" went - with the notification,
    # whose id is unknown as well. It is sent again: in the chat exactly once.
    assert transport.visible() == ["menu", "notification"]
    assert [(k, s) for k, s, _ in await _rows(runtime)] == [
        ("send", "sent"), ("send", "dropped"), ("send", "uncertain"), ("delete_tag", "sent"),
        ("send", "sent")]


async def test_timed_out_deletion_is_retried_but_a_timed_out_send_is_not(
        runtime: Runtime, clock: FrozenClock) -> None:
    transport = ChatTransport(time_out=["maybe"])
    transport.delete_time_outs = 1
    worker = runtime.worker(transport, FAST)
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        runtime.env.enqueue(session, 1, "send",
                                  {"text": "maybe", "buttons": [], "locale": "nl"}, now)
        runtime.env.enqueue(session, 2, "send",
                                  {"text": "answer", "buttons": [], "locale": "nl"}, now)
        runtime.env.enqueue(session, 2, "delete", {"locale": "nl"}, now, target=2)
    await worker.deliver()
    assert await _rows(runtime) == [("send", "uncertain", "timeout"), ("send", "sent", None),
                                    ("delete", "pending", "timeout")]
    clock.advance(seconds=2)
    await worker.deliver()
    assert [s for _, s, _ in await _rows(runtime)] == ["uncertain", "sent", "sent"]
    assert transport.visible() == ["maybe"]


async def test_edit_sent_anew_that_times_out_is_uncertain(runtime: Runtime,
                                                          clock: FrozenClock) -> None:
    transport = ChatTransport(time_out=["screen"])
    worker = runtime.worker(transport, FAST)
    async with runtime.sessions() as session, session.begin():
        runtime.env.enqueue(session, 1, "edit", {"text": "screen", "buttons": [],
                                                        "locale": "nl"},
                                  runtime.clock.now(), target=99)
    await worker.deliver()
    clock.advance(minutes=10)
    await worker.deliver()
    assert await _rows(runtime) == [("edit", "uncertain", "timeout")]
    assert transport.visible() == ["screen"]


async def test_no_alert_for_a_chat_without_an_account(runtime: Runtime) -> None:
    from kks_bot.delivery.worker import OutboxWorker

    worker = OutboxWorker(runtime.sessions, runtime.cipher, ScriptedTransport([Unreachable()]),
                          runtime.clock, runtime.env.tr, FAST, admin_ids=[7, 8])
    await _queue(runtime, 1, "to nobody we know")
    await worker.deliver()
    assert await _statuses(runtime) == [("failed", 1)]  # nothing to mark, nobody alerted


async def test_never_more_than_thirty_a_second_in_total(runtime: Runtime) -> None:
    transport = ScriptedTransport()
    worker = runtime.worker(transport, Limits(chat_rate=1000, chat_burst=1000))
    for chat in range(40):
        await _queue(runtime, chat, "broadcast")
    await worker.deliver()
    stamps = sorted(t for _, _, t in transport.sent)
    assert len(stamps) == 40
    # A burst of five, then 25 a second: never more than Telegram's 30 in one second.
    assert max(sum(1 for t in stamps if s <= t < s + 1) for s in stamps) <= 30
    assert stamps[-1] - stamps[0] >= 1.3


async def _queue_bulk(runtime: Runtime, chats: range) -> None:
    async with runtime.sessions() as session, session.begin():
        for chat in chats:
            outbox.enqueue(session, runtime.cipher, chat, "send",
                           {"text": f"reminder {chat}", "buttons": [], "locale": "nl"},
                           runtime.clock.now(), bulk=True)


async def test_a_reply_does_not_wait_behind_a_burst_of_reminders(runtime: Runtime) -> None:
    """200 reminders queued first, then a reply to someone else: at 30 a second the
    reply would leave after ~7 s in queue order; it leaves among the first sends."""
    transport = ScriptedTransport()
    worker = runtime.worker(transport, Limits(global_rate=1000, global_burst=1000))
    await _queue_bulk(runtime, range(1000, 1200))
    await _queue(runtime, 7, "your answer")
    await worker.deliver()
    order = [t for _, t, _ in transport.sent]
    assert len(order) == 201 and order.count("your answer") == 1
    assert order.index("your answer") <= outbox.URGENT_EVERY


async def test_within_one_chat_the_order_stays_even_for_a_reply(runtime: Runtime) -> None:
    """A family's reminder queued before the bot's reply to them stays first."""
    transport = ScriptedTransport()
    worker = runtime.worker(transport, Limits(global_rate=1000, global_burst=1000))
    await _queue_bulk(runtime, range(1000, 1020))
    await _queue_bulk(runtime, range(7, 8))
    await _queue(runtime, 7, "your answer")
    await _queue(runtime, 8, "other reply")
    await worker.deliver()
    order = [t for _, t, _ in transport.sent]
    assert order.index("other reply") <= outbox.URGENT_EVERY
    assert order.index("reminder 7") < order.index("your answer")
    assert len(order) == len(set(order)) == 23


async def test_one_process_at_a_time_delivers_the_outbox(
        runtime: Runtime, settings: Settings, clock: FrozenClock) -> None:
    """Two bot processes (two runtimes, two engines) on one database: only the holder of
    the outbox lease sends, so together they keep Telegram's pace; when it stops, the
    other takes over at once."""
    other = await build(settings, clock=clock)
    first, second = ScriptedTransport(), ScriptedTransport()
    one, two = runtime.worker(first, FAST), other.worker(second, FAST)
    # As two hosts would be (in one test process both would have our pid).
    one.holder, two.holder = "host-a:101:aaaa", "host-b:202:bbbb"
    stop_one, stop_two = asyncio.Event(), asyncio.Event()
    try:
        task_one = asyncio.create_task(one.run(stop_one, idle=0.05, lease=True))
        await asyncio.sleep(0.2)
        task_two = asyncio.create_task(two.run(stop_two, idle=0.05, lease=True))
        await _queue(runtime, 1, "a", "b")
        await _queue(runtime, 2, "c")
        for _ in range(100):
            if len(first.sent) == 3:
                break
            await asyncio.sleep(0.05)
        sent = [t for _, t, _ in first.sent]  # round robin: "c" may come before "b"
        assert sorted(sent) == ["a", "b", "c"] and sent.index("a") < sent.index("b")
        assert second.sent == []
        stop_one.set()
        one.wakeup.set()
        await task_one  # a clean stop releases the lease
        await _queue(runtime, 3, "d")
        for _ in range(100):
            if second.sent:
                break
            await asyncio.sleep(0.05)
        assert [t for _, t, _ in second.sent] == ["d"]
        assert len(first.sent) == 3
    finally:
        stop_one.set()
        stop_two.set()
        two.wakeup.set()
        await asyncio.gather(task_two, return_exceptions=True)
        await other.close()


async def test_a_dead_holders_lease_is_taken_over_and_its_sends_are_uncertain(
        runtime: Runtime, clock: FrozenClock) -> None:
    """A process on this host that was killed holds the lease with a pid that no longer
    runs: a new process need not wait for it to run out; what it left mid-send is
    uncertain, not sent again."""
    dead = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await dead.wait()
    async with runtime.sessions() as session, session.begin():
        session.add(WorkerLease(name=outbox.LEASE, holder=f"{socket.gethostname()}:"
                                f"{dead.pid}:0000", expires_at=clock.now() + timedelta(
                                    seconds=outbox.LEASE_SECONDS)))
    await _queue(runtime, 1, "interrupted")
    async with runtime.sessions() as session, session.begin():
        await session.execute(update(Outbox).values(status="sending"))
    alive = runtime.worker(ScriptedTransport(), FAST)
    alive.holder = f"{socket.gethostname()}:{os.getppid()}:1111"  # a running process
    assert not outbox.holder_gone(f"elsewhere:{dead.pid}:0000", alive.holder)
    assert await alive.hold_lease()
    assert [s for s, _ in await _statuses(runtime)] == ["uncertain"]
    # A live holder's lease is not taken before it runs out.
    waiting = runtime.worker(ScriptedTransport(), FAST)
    waiting.holder = f"{socket.gethostname()}:{os.getppid()}:2222"
    assert not await waiting.hold_lease()
    clock.advance(seconds=outbox.LEASE_SECONDS + 1)
    assert await waiting.hold_lease()


async def test_a_user_who_floods_is_asked_once_to_slow_down(
        runtime: Runtime, chat_factory) -> None:  # type: ignore[no-untyped-def]
    """30 messages typed before any reply could go out (the outbox worker has not run):
    the first ones are answered, then one "slow down" and nothing more is read; another
    user is answered as always; once the replies went out, the flooder is read again."""
    flooder, other = chat_factory(user_id=1001), chat_factory(user_id=1002)
    for n in range(30):
        assert await runtime.kernel.handle(Inbound(
            user_id=1001, chat_id=1001, kind=InKind.TEXT, text=f"hallo {n}",
            update_id=10_000 + n, language_code="en"))
    async with runtime.sessions() as session:
        waiting = (await session.execute(select(Outbox).where(
            Outbox.chat_id == 1001, Outbox.status == "pending"))).scalars().all()
    assert len(waiting) <= runtime.settings.flood_pending + 2
    await other.send("/start")
    assert other.text()
    await flooder.deliver()
    told = [m for m in flooder.transport.visible(1001) if "Slow down" in m.plain]
    assert len(told) == 1 and "send it again" in told[0].plain
    await flooder.send("/start")
    assert "Slow down" not in flooder.text()


class DownFor:
    """Telegram answering 500 for one chat until told it is back."""

    def __init__(self, chat: int) -> None:
        self.chat, self.down = chat, True
        self.sent: list[tuple[int, str]] = []

    async def send(self, chat_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> int:
        if chat_id == self.chat and self.down:
            raise TemporaryFailure("500")
        self.sent.append((chat_id, text))
        return len(self.sent)

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: ButtonRows, *,
                   html: bool = True) -> None:
        raise Rejected("Message to edit not found")

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> bool:
        return True


async def test_an_outage_is_retried_for_days_and_reported_once_and_when_it_ends(
        runtime: Runtime, clock: FrozenClock, capsys) -> None:  # type: ignore[no-untyped-def]
    from kks_bot.admin import run_admin
    from kks_bot.delivery.worker import OutboxWorker

    transport = DownFor(1)
    worker = OutboxWorker(runtime.sessions, runtime.cipher, transport, clock, runtime.env.tr,
                          Limits(1000, 1000, 1000, give_up_after=3 * 86400.0,
                                 alert_after=900.0), admin_ids=[9001])
    await _queue(runtime, 1, "De zaak KKS-2026-0001 is aan je toegewezen.")
    alerts = []
    for _ in range(2 * 24 * 6):  # two days, every ten minutes
        await worker.deliver()
        await worker.alerts.check()
        await worker.deliver()
        alerts += [unisolated(text) for chat, text in transport.sent if chat == 9001]
        transport.sent = [(c, t) for c, t in transport.sent if c != 9001]
        clock.advance(minutes=10)
    assert await _statuses(runtime) and (await _statuses(runtime))[0][0] == "pending"
    assert len(alerts) == 1 and "Bezorgen lukt al een tijd niet: 1 bericht" in alerts[0]
    assert "500" in alerts[0]
    transport.down = False
    await worker.deliver()
    await worker.alerts.check()
    await worker.deliver()
    assert [t for c, t in transport.sent if c == 1] == [
        "De zaak KKS-2026-0001 is aan je toegewezen."]
    assert [t for c, t in transport.sent if c == 9001] == [
        "⚠️ Bezorgen lukt weer: wat wachtte, is verstuurd."]
    # Given up only after the configured days, and then said; the command line re-queues.
    transport.down, transport.sent = True, []
    await _queue(runtime, 1, "Nog een bericht")
    for _ in range(4):
        await worker.deliver()
        await worker.alerts.check()
        clock.advance(days=1)
    await worker.deliver()
    said = [unisolated(t) for c, t in transport.sent if c == 9001]
    assert any("Opgegeven na 72 uur proberen" in t for t in said)
    # Nothing waits any more because it was given up, not because it went: said so.
    assert "⚠️ Er wacht niets meer, maar niet alles is aangekomen: 1 bericht is opgegeven. " \
           "Zie kks-bot admin outbox." in said
    assert not any("Bezorgen lukt weer" in t for t in said)
    capsys.readouterr()
    args = argparse.Namespace(admin_command="outbox", requeue=False)
    assert await run_admin(runtime.settings, args) == 0
    listed = capsys.readouterr().out
    assert "\tfailed\tsend\tchat 1\t" in listed and "1 can be tried again" in listed
    args.requeue = True
    assert await run_admin(runtime.settings, args) == 0
    clock.set(datetime.now(UTC) + timedelta(minutes=1))  # the command ran on the real clock
    transport.down = False
    await worker.deliver()
    assert "Nog een bericht" in [t for c, t in transport.sent if c == 1]


def test_a_batch_of_updates_is_taken_round_robin_and_a_flood_is_marked() -> None:
    from telegram import Update

    from kks_bot.channels.telegram.polling import FLOOD_READ, PER_USER_BATCH, fair_order

    def text(update_id: int, user: int) -> Update:
        return Update.de_json({"update_id": update_id, "message": {
            "message_id": update_id, "date": 0, "text": "hallo",
            "chat": {"id": user, "type": "private"},
            "from": {"id": user, "is_bot": False, "first_name": "X"}}}, None)

    batch = [text(n, 1) for n in range(1, 31)] + [text(31, 2), text(32, 3), text(33, 2)]
    order = [(u.update_id, flooding) for u, flooding in fair_order(batch)]
    # The others' come right after the first of the flooder's, each user's in order.
    assert order[:5] == [(1, False), (31, False), (32, False), (2, False), (33, False)]
    assert [i for i, f in order if f] == list(range(FLOOD_READ + 1, 31))
    assert sorted(i for i, _ in order) == list(range(1, 34))
    # As many as a paste of several lines is all read.
    paste = [text(n, 1) for n in range(1, PER_USER_BATCH + 1)]
    assert [f for _, f in fair_order(paste)] == [False] * PER_USER_BATCH
    # The next batch of a user who flooded is not read at all, until they calm down.
    flooders: set[int] = set()
    fair_order(batch, flooders)
    assert flooders == {1}
    more = [text(n, 1) for n in range(40, 45)] + [text(45, 2)]
    assert [(u.update_id, f) for u, f in fair_order(more, flooders)][:2] == [
        (40, True), (45, False)]
    calm = [text(50, 1), text(51, 2)]
    assert [f for _, f in fair_order(calm, flooders)] == [False, False] and not flooders
