"""The outbox through the real Telegram adapter while the Bot API misbehaves.

python-telegram-bot's ``Bot`` (made by :func:`make_bot`) talks to the fake Bot API
in-process (:class:`FakeRequest`: PTB's own serialisation and error mapping), and the
fake fails a fifth of the sends, edits and deletions at random (seeded): 429 with
``retry_after``, 500, and timeouts whose effect did happen. Coordinators join through
the core with an invitation; registrations are stored and handed off with
:func:`handoff.notify_coordinators`, as the submit does in its transaction. The worker
runs with the test's clock, which jumps to the next retry (the fake's clock with it).
"""

from __future__ import annotations

import contextlib
import itertools
import re
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kks_bot import people
from kks_bot.channels.telegram.transport import TelegramTransport, make_bot
from kks_bot.clock import FrozenClock
from kks_bot.config import Settings
from kks_bot.db.models import Account, Outbox, Registration
from kks_bot.delivery.outbox import mark_reachable
from kks_bot.delivery.worker import OutboxWorker
from kks_bot.flows.casework import handoff
from kks_bot.i18n import translator
from kks_bot.kernel.events import Inbound, InKind
from kks_bot.runtime import Runtime
from tests.support.fakebot import FakeBotApi, FakeClock, FakeRequest

from .conftest import FAST, START, TEST_KEY
from .telegram_driver import bot_settings
from .walking import approve_requests, unlock_chat

FAULTY = ("sendMessage", "editMessageText", "deleteMessage", "deleteMessages")
REFERENCE = re.compile(r"KKS-\d{4}-\d{4}")
ADMINS = (9001, 9002)
#: Coordinators and their municipalities (some serve two, two share Heerlen).
COORDINATORS = {
    601: ("GM0917",),            # Heerlen
    602: ("GM0917", "GM0928"),   # Heerlen, Kerkrade
    603: ("GM0928",),            # Kerkrade
    604: ("GM0935",),            # Maastricht
    605: ("GM0935", "GM1883"),   # Maastricht, Sittard-Geleen
    606: ("GM1883",),            # Sittard-Geleen
    607: ("GM0882",),            # Landgraaf
}
MUNICIPALITIES = ("GM0917", "GM0928", "GM0935", "GM1883", "GM0882", "GM0888")  # Beek: nobody
#: A registration's answers (the notification shows only urgency, purpose, pregnancy and
#: the triage advice; no family details).
ANSWERS: dict[str, Any] = {
    "spoed": "spoed", "aanmelding_voor": ["gezin"], "zwanger": True,
    "vermoedelijke_bevallingsdatum": "2027-02-14",
    "urgente_kwetsbaarheden": ["huiselijk_geweld"], "moeder_naam": "Sophie Jansen",
}
TR = translator()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    encryption_keys=TEST_KEY,
                    admin_ids=",".join(map(str, ADMINS)),
                    _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def api() -> FakeBotApi:
    # The fake's clock starts where the core's FrozenClock starts and moves with it.
    api = FakeBotApi(clock=FakeClock(START.timestamp()))
    for admin, locale in zip(ADMINS, ("nl", "en"), strict=True):  # they approve coordinators
        api.add_user(admin, language_code=locale)
    return api


@contextlib.asynccontextmanager
async def telegram_worker(runtime: Runtime, api: FakeBotApi) -> AsyncIterator[OutboxWorker]:
    """The runtime's outbox worker (admins and all) delivering through the Telegram
    adapter to ``api``, without pacing (pacing has its own tests)."""
    bot = make_bot(bot_settings(runtime.settings, api), request=FakeRequest(api),
                   get_updates_request=FakeRequest(api))
    async with bot:
        yield runtime.worker(TelegramTransport(bot), FAST)


async def drain(worker: OutboxWorker, runtime: Runtime, api: FakeBotApi,
                clock: FrozenClock) -> None:
    """Deliver until no row is pending, moving both clocks to each next retry (rows of
    a chat whose earlier row waits for its retry wait with it)."""
    for _ in range(500):
        await worker.deliver()
        now = clock.now()
        async with runtime.sessions() as session:
            busy, due = (await session.execute(
                select(func.count(), func.min(Outbox.next_attempt_at).filter(
                    Outbox.next_attempt_at > now))
                .where(Outbox.status.in_(("pending", "sending"))))).one()
        if not busy:
            return
        if due is not None:
            step = (due - now).total_seconds()
            clock.advance(seconds=step)
            api.advance(step)
    raise AssertionError("the outbox never emptied")


_updates = itertools.count(1)


async def join(runtime: Runtime, api: FakeBotApi, user: int, codes: Iterable[str]) -> None:
    """A coordinator redeems an invitation (``/start <token>``) through the core."""
    async with runtime.sessions() as session, session.begin():
        token = await people.create_invitation(session, list(codes), runtime.clock.now(),
                                                timedelta(days=1))
    api.add_user(user)
    await runtime.kernel.handle(Inbound(user_id=user, chat_id=user, kind=InKind.COMMAND,
                                      command="start", text=token, update_id=next(_updates),
                                      language_code="nl"))
    await approve_requests(runtime)


async def admins(runtime: Runtime, api: FakeBotApi, locales: dict[int, str]) -> None:
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        for user, locale in locales.items():
            api.add_user(user, language_code=locale)
            session.add(Account(user_id=user, locale=locale, locale_chosen=True,
                                created_at=now, updated_at=now))


async def submit(runtime: Runtime, codes: Iterable[str]) -> list[str]:
    """Stored registrations for these municipalities, handed off as the submit does.
    Returns their references."""
    core, now = runtime.env, runtime.clock.now()
    references = []
    async with runtime.sessions() as session, session.begin():
        last = (await session.execute(select(func.count()).select_from(Registration))).scalar()
        for number, code in enumerate(codes, start=int(last or 0) + 1):
            registration_id = str(uuid.uuid4())
            registration = Registration(
                id=registration_id, reference=f"KKS-2026-{number:04d}", owner_id=4242,
                form="aanmeldformulier", gemeente_code=code, status="ingediend",
                data_sealed=core.cipher.seal_json({"answers": ANSWERS, "locale": "nl"},
                                                  f"registration:{registration_id}"),
                started_at=now, submitted_at=now, updated_at=now)
            session.add(registration)
            await session.flush()
            await handoff.notify_coordinators(core, session, registration, now)
            references.append(registration.reference)
    return references


def notified(api: FakeBotApi, user: int) -> Counter[str]:
    """The references of the notifications visible in the user's chat, with counts."""
    return Counter(match.group() for m in api.bot_messages(user)
                   if "Nieuwe aanmelding" in (m.text or "")
                   and (match := REFERENCE.search(m.text or "")) is not None)


async def rows(runtime: Runtime) -> list[Outbox]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(Outbox).order_by(Outbox.id))).scalars())


def assert_retry_after_honoured(api: FakeBotApi) -> int:
    """After a 429 (retry_after 1 s) nothing reached that chat for a second. Returns 429s."""
    log = [c for c in api.call_log if c.method in FAULTY]
    too_many = 0
    for index, call in enumerate(log):
        if call.status != 429:
            continue
        too_many += 1
        chat = call.params.get("chat_id")
        later = next((c for c in log[index + 1:] if c.params.get("chat_id") == chat), None)
        assert later is not None, f"the 429'd call to {chat} was never retried"
        assert later.time - call.time >= 1.0, (call, later)
    return too_many


# --------------------------------------------------------------------------- faults


async def test_every_coordinator_gets_each_notification_once_despite_faults(
        runtime: Runtime, api: FakeBotApi, clock: FrozenClock) -> None:
    async with telegram_worker(runtime, api) as worker:
        api.set_fault_rate(0.2, methods=FAULTY)
        for user, codes in COORDINATORS.items():
            await join(runtime, api, user, codes)
        references = []
        for _ in range(5):  # registrations arrive in batches while earlier ones are retried
            references += await submit(runtime, MUNICIPALITIES * 2)
            await worker.deliver()
            clock.advance(seconds=0.5)
            api.advance(0.5)
        await drain(worker, runtime, api, clock)
    assert len(references) == 60
    async with runtime.sessions() as session:
        where = {r.reference: r.gemeente_code
                 for r in (await session.execute(select(Registration))).scalars()}
    for user, codes in COORDINATORS.items():
        expected = Counter(ref for ref in references if where[ref] in codes)
        # None missing, none twice, none of another municipality.
        assert notified(api, user) == expected, user
    assert not any(notified(api, a) for a in ADMINS)
    statuses = Counter(r.status for r in await rows(runtime))
    assert set(statuses) <= {"sent", "uncertain"}, statuses
    assert statuses["uncertain"] > 0  # timeouts happened (and were not sent again)
    statuses_seen = Counter(c.status for c in api.call_log if c.method == "sendMessage")
    assert statuses_seen[500] > 0
    assert assert_retry_after_honoured(api) > 0


async def test_view_is_removed_despite_faults(
        runtime: Runtime, api: FakeBotApi, clock: FrozenClock) -> None:
    async with telegram_worker(runtime, api) as worker:
        api.set_fault_rate(0.2, methods=FAULTY)
        for user, codes in COORDINATORS.items():
            await join(runtime, api, user, codes)
        await submit(runtime, MUNICIPALITIES * 2)
        await drain(worker, runtime, api, clock)
        before = {user: notified(api, user) for user in COORDINATORS}
        async with runtime.sessions() as session:
            ids = {r.gemeente_code: r.id
                   for r in (await session.execute(select(Registration))).scalars()}
        for user, codes in COORDINATORS.items():  # each opens one registration
            await unlock_chat(runtime, user)  # (past the PIN)
            message = next(m for m in api.bot_messages(user) if "Nieuwe aanmelding" in
                           (m.text or ""))
            await runtime.kernel.handle(Inbound(
                user_id=user, chat_id=user, kind=InKind.BUTTON, data=f"r.view.{ids[codes[0]]}",
                button_message_id=message.message_id, update_id=next(_updates),
                language_code="nl"))
        await worker.deliver()
        await drain(worker, runtime, api, clock)  # runs the removal 12 hours later, too
    for user in COORDINATORS:
        shown = [m.text or "" for m in api.all_bot_messages(user)]
        assert any("Sophie Jansen" in t for t in shown), user  # the view arrived
        assert not any("Sophie Jansen" in (m.text or "") for m in api.bot_messages(user))
        # The notifications stay, each once: one whose send timed out may have been in
        # the gap deleted for a view chunk whose id is unknown too; it is sent again.
        assert notified(api, user) == before[user]
    for row in await rows(runtime):
        assert row.status in ("sent", "uncertain") or (
            row.status == "dropped" and row.error == "removed with a gap; sent again"), row
    assert api.calls_to("deleteMessages") or api.calls_to("deleteMessage")
    assert_retry_after_honoured(api)


# --------------------------------------------------------------------------- 403


def alerts(api: FakeBotApi, user: int) -> list[str]:
    return [m.text or "" for m in api.bot_messages(user) if "geblokkeerd" in (m.text or "")]


def alert_text(user: int, locale: str = "nl") -> str:
    return "⚠️ " + TR.t(locale, "Let op: een bericht kon niet worden bezorgd, omdat gebruiker "
                              "{user} de bot heeft geblokkeerd. Wat er niet aankwam, staat in "
                              "de zaak.", user=user)


async def unreachable_since(runtime: Runtime, user: int) -> datetime | None:
    async with runtime.sessions() as session:
        account = await session.get(Account, user)
        assert account is not None
        return account.unreachable_at


async def test_blocked_user_is_marked_and_the_admins_hear_it_once(
        runtime: Runtime, api: FakeBotApi, clock: FrozenClock) -> None:
    async with telegram_worker(runtime, api) as worker:
        await admins(runtime, api, {9001: "nl", 9002: "en"})
        await join(runtime, api, 602, ["GM0928"])
        await join(runtime, api, 603, ["GM0928"])
        await drain(worker, runtime, api, clock)
        api.block_bot(603)
        api.block_bot(9002)  # an administrator who blocked the bot too
        blocked_at = clock.now()
        before = max(r.id for r in await rows(runtime))  # (the approval requests)
        await submit(runtime, ["GM0928"])
        await drain(worker, runtime, api, clock)

        (failed,) = [r for r in await rows(runtime) if r.status == "failed" and r.chat_id == 603]
        assert failed.error == "unreachable"
        assert await unreachable_since(runtime, 603) == blocked_at
        assert notified(api, 602) == Counter(["KKS-2026-0001"])
        assert alerts(api, 9001) == [alert_text(603)]
        # The alert went to each admin in their language (9002's failed: blocked too),
        # and nobody hears about an administrator's own chat.
        sent_alerts = [r for r in await rows(runtime) if r.chat_id in ADMINS and r.id > before]
        assert [(r.chat_id, r.status) for r in sent_alerts] == [(9001, "sent"), (9002, "failed")]
        payload = runtime.cipher.open_json(sent_alerts[1].payload_sealed, sent_alerts[1].aad)
        assert payload["locale"] == "en"
        assert payload["text"] == alert_text(603, "en")
        assert await unreachable_since(runtime, 9002) is not None

        # A second message to the blocked user fails without a new alert.
        clock.advance(minutes=5)
        api.advance(300)
        await submit(runtime, ["GM0928"])
        await drain(worker, runtime, api, clock)
        assert len([r for r in await rows(runtime)
                    if r.chat_id == 603 and r.status == "failed"]) == 2
        assert await unreachable_since(runtime, 603) == blocked_at
        assert alerts(api, 9001) == [alert_text(603)]

        # Once the user writes again (and is reachable), a new block alerts again.
        async with runtime.sessions() as session, session.begin():
            assert await mark_reachable(session, 603) is True
            assert await mark_reachable(session, 603) is False
        assert await unreachable_since(runtime, 603) is None
        await submit(runtime, ["GM0928"])
        await drain(worker, runtime, api, clock)
        assert alerts(api, 9001) == [alert_text(603)] * 2
    assert {r.status for r in await rows(runtime)} <= {"sent", "failed"}


# --------------------------------------------------------------------------- an outage


async def test_an_hour_without_smtp_and_ten_minutes_of_api_faults_lose_nothing(
        database_url: str) -> None:
    """bench/outage.py, small: 5 registrations to 4 coordinators (20 notifications, 5
    official copies) over real HTTP and real SMTP, with the real limits; the SMTP server
    refuses everything for an hour and the Bot API fails a fifth of the sends for ten
    minutes, while the bot's clock is moved on. Seed 4 makes 429s, 500s and timeouts."""
    from bench.outage import scenario

    figures = await scenario(db=database_url, registrations=5, coordinators=4,
                             municipalities=1, smtp_outage_minutes=60, api_fault_minutes=10,
                             fault_rate=0.2, seed=4)
    # Every notification once, to the right coordinator; every copy once, well-formed.
    assert (figures.notifications, figures.delivered) == (20, 20)
    assert (figures.lost, figures.duplicated, figures.wrong_chat) == (0, 0, 0)
    assert (figures.copies_received, figures.copies_lost, figures.copies_duplicated,
            figures.copies_bad) == (5, 0, 0, 0)
    # Nothing given up ("failed") or left waiting; a timed-out send is "uncertain" (it
    # arrived) and was not sent again.
    assert {status for _kind, status in figures.statuses} <= {"sent", "uncertain"}, \
        figures.statuses
    assert figures.statuses[("mail", "sent")] == 5
    # The faults happened: each kind from the Bot API, and the mail server's hour of
    # refusals; every SMTP attempt but the five that went through was a refusal.
    assert figures.api_answers[429] and figures.api_answers[500], figures.api_answers
    assert figures.statuses[("send", "uncertain")] > 0
    assert figures.smtp_refused >= 10
    assert figures.attempts["mail"][1] == figures.smtp_refused + 5
    # The administrators heard it once after 15 minutes, and once when it was over.
    assert (figures.alerts_failing, figures.alerts_recovered, figures.given_up) == (1, 1, 0)
    assert figures.alerted_at is not None and 15 <= figures.alerted_at < 20
    assert figures.recovered_at is not None and figures.recovered_at >= 60
    # Telegram's limits held, and a 429's retry_after was kept (in real time).
    assert figures.max_rate <= 30 and figures.max_rate_chat <= 4
    assert figures.min_wait_after_429 is not None and figures.min_wait_after_429 >= 1.0
