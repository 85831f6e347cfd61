"""Access that ends when it should: an invitation waits for an administrator's approval,
a deactivated coordinator hears nothing more (whatever was queued or comes later), a
re-invitation binds exactly what it names, and a family link is spent at its first use.

Each of the defects of issue 12 has a test here that failed on the code before it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kks_bot.db.models import (
    AccessSession,
    CoordinatorMunicipality,
    Outbox,
    Registration,
    ScheduledMessage,
)
from kks_bot.flows.casework import onboarding
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import LISA, SOPHIE
from .test_handoff import _coordinator, _invite, _notification, _submit
from .test_meetings import _case, _plan
from .walking import approve_requests, give_pin, registrations


async def _deactivate(runtime: Runtime, user: int) -> None:
    async with runtime.sessions() as session, session.begin():
        assert await onboarding.deactivate(runtime.env, session, user, 0, runtime.clock.now())


def _said_to(chat: Chat, user: int, text: str) -> list[str]:
    """Every message ever delivered to ``user`` (deleted since or not) containing ``text``."""
    return [m.plain for m in chat.transport.messages.values()
            if m.chat_id == user and m.from_bot and text in m.plain]


async def test_a_redeemed_invitation_waits_for_approval_and_nothing_reaches_it(
        runtime: Runtime, chat_factory) -> None:
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/start")
    stranger: Chat = chat_factory(user_id=666)
    await stranger.send(f"/start {await _invite(runtime, 'GM0917')}")
    assert "keurt je account eerst goed" in stranger.text()
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    # Not delivered to the account waiting for approval; the admin hears it waits.
    assert not _said_to(stranger, 666, "KKS-2026-0001")
    assert _said_to(admin, 900, "KKS-2026-0001 voor Heerlen wacht")
    # The administrator rejects it: still nothing, and the person hears so.
    await admin.deliver()
    await admin.press("Afwijzen", message=[m for m in admin.transport.visible(900)
                                           if "Aanvraag" in m.plain][-1])
    assert "Afgewezen" in admin.text()
    assert not _said_to(stranger, 666, "KKS-2026-0001")
    assert _said_to(stranger, 666, "niet goedgekeurd")
    # Only an administrator may decide: a forged press is refused.
    async with runtime.sessions() as session:
        assert await onboarding.pending_requests(session) == []


async def test_only_an_administrator_approves(runtime: Runtime, chat_factory) -> None:
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    ilse: Chat = chat_factory(user_id=501)
    token = await _invite(runtime, "GM0917")
    await ilse.send(f"/start {token}")
    async with runtime.sessions() as session:
        (request,) = await onboarding.pending_requests(session)
    rid = request.token_hash[:onboarding.REQUEST_ID]
    await ilse.press_data(f"co.ok.{rid}", 1)  # approving oneself
    assert "alleen voor beheerders" in ilse.text()
    async with runtime.sessions() as session:
        assert len(await onboarding.pending_requests(session)) == 1


async def test_after_deactivation_the_registrant_reaches_the_other_coordinator(
        runtime: Runtime, chat_factory) -> None:
    """The defect: supplement and answer texts still went to the deactivated handler."""
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    ruud: Chat = chat_factory(user_id=502)
    await _coordinator(runtime, ruud, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    (stored,) = await registrations(runtime)
    await _deactivate(runtime, 501)
    await ruud.deliver()
    # Ruud hears the case has no handler any more, with a button to take it on.
    (notice,) = [m for m in ruud.transport.visible(502) if "geen behandelaar meer" in m.plain]
    assert "KKS-2026-0001" in notice.plain and "Oppakken" in notice.labels()[0]
    await anna.press_data(f"r.add.{stored['id']}", 1)
    await anna.send("Het gezin heeft een nieuw telefoonnummer: 06 12345678.")
    await anna.press_data(f"r.answer.{stored['id']}", 1)
    await anna.send("De verloskundige komt donderdag.")
    assert not _said_to(ilse, 501, "06 12345678")
    assert not _said_to(ilse, 501, "donderdag")
    assert _said_to(ruud, 502, "06 12345678") and _said_to(ruud, 502, "donderdag")
    async with runtime.sessions() as session:
        registration = await session.get(Registration, stored["id"])
        assert registration is not None and registration.handler_id is None


async def test_what_was_queued_before_deactivation_is_not_sent_after(
        runtime: Runtime, chat_factory) -> None:
    """A message queued for a coordinator is checked again when it goes out."""
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    (stored,) = await registrations(runtime)
    await anna.press_data(f"r.add.{stored['id']}", 1)
    # The supplement is queued, not yet sent, when an administrator deactivates Ilse
    # (in another process: straight in the database, as the CLI would).
    await runtime.kernel.handle(_typed(anna, "Nieuw adres: Akerstraat 1."))
    async with runtime.sessions() as session, session.begin():
        from kks_bot.db.models import Coordinator

        coordinator = await session.get(Coordinator, 501)
        assert coordinator is not None
        coordinator.active = False  # no clean-up ran: only the gate stands between
    await anna.deliver()
    assert not _said_to(ilse, 501, "Akerstraat")
    async with runtime.sessions() as session:
        dropped = (await session.execute(select(Outbox).where(
            Outbox.chat_id == 501, Outbox.error == "revoked"))).scalars().all()
    assert dropped


def _typed(chat: Chat, text: str):  # type: ignore[no-untyped-def]
    from kks_bot.kernel.events import Inbound, InKind

    chat.update_id += 1
    return Inbound(user_id=chat.user_id, chat_id=chat.user_id, kind=InKind.TEXT, text=text,
                   update_id=chat.user_id * 100_000 + chat.update_id, language_code="nl")


async def test_deactivation_ends_views_sessions_and_nudges_at_once(
        runtime: Runtime, chat_factory, clock) -> None:  # type: ignore[no-untyped-def]
    ilse, _anna, rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press_data(f"r.view.{rid}", 1)
    await give_pin(ilse)
    assert any("Sophie Jansen" in m.plain for m in ilse.transport.visible(501))
    async with runtime.sessions() as session, session.begin():
        session.add(AccessSession(id_hash="x" * 64, user_id=501, channel="web",
                                  created_at=clock.now(), seen_at=clock.now()))
        session.add(ScheduledMessage(kind="evaluation", meeting_id=None, recipient_id=501,
                                     due_at=datetime(2027, 1, 1, tzinfo=UTC),
                                     status="pending", detail="weekly"))
    await _deactivate(runtime, 501)
    await ilse.deliver()
    # The view is gone now, not in twelve hours.
    assert not any("Sophie Jansen" in m.plain for m in ilse.transport.visible(501))
    async with runtime.sessions() as session:
        assert (await session.execute(select(AccessSession))).first() is None
        nudges = (await session.execute(select(ScheduledMessage).where(
            ScheduledMessage.recipient_id == 501))).scalars().all()
        assert nudges and {n.status for n in nudges} == {"dropped"}


async def test_a_reinvitation_binds_exactly_the_municipalities_it_names(
        runtime: Runtime, chat_factory) -> None:
    """The defect: re-invited for GM0928 only, they got GM0917 and GM0928."""
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    await _deactivate(runtime, 501)
    await ilse.send(f"/start {await _invite(runtime, 'GM0928')}")
    await approve_requests(runtime, ilse)
    async with runtime.sessions() as session:
        codes = set((await session.execute(select(CoordinatorMunicipality.code).where(
            CoordinatorMunicipality.user_id == 501))).scalars())
    assert codes == {"GM0928"}
    sophie: Chat = chat_factory(user_id=1001)
    await _submit(sophie, SOPHIE)  # Heerlen
    lisa: Chat = chat_factory(user_id=1002)
    await _submit(lisa, LISA)  # Kerkrade
    notified = [m.plain for m in ilse.transport.visible(501) if "Nieuwe aanmelding KKS" in m.plain]
    assert len(notified) == 1 and "Kerkrade" in notified[0]


async def test_an_active_coordinator_invited_for_another_municipality_keeps_the_first(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    await ilse.send(f"/start {await _invite(runtime, 'GM0928')}")
    async with runtime.sessions() as session:  # before approval: only Heerlen
        codes = set((await session.execute(select(CoordinatorMunicipality.code).where(
            CoordinatorMunicipality.user_id == 501))).scalars())
    assert codes == {"GM0917"}
    await approve_requests(runtime, ilse)
    async with runtime.sessions() as session:
        codes = set((await session.execute(select(CoordinatorMunicipality.code).where(
            CoordinatorMunicipality.user_id == 501))).scalars())
    assert codes == {"GM0917", "GM0928"}


async def test_a_family_link_is_spent_at_its_first_use_whatever_the_answer(
        runtime: Runtime, chat_factory) -> None:
    """The defect: after the family said "Nee", the QR code worked again for anyone."""
    ilse, _anna, _rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    token = link.rsplit("/start ", 1)[1].strip()
    family: Chat = chat_factory(user_id=3003)
    await family.send(f"/start {token}")
    await press_action(family, "fam:lang:nl")
    await press_action(family, "fam:no")
    assert "geen berichten" in family.text()
    finder: Chat = chat_factory(user_id=4004)
    await finder.send(f"/start {token}")
    said = finder.text()
    assert "werkt niet" in said and "overleg" not in said.replace("Knooppuntoverleg", "")
    assert "15 december" not in said and "14:30" not in said
    # The family itself cannot bring it back either once they said no.
    await family.send(f"/start {token}")
    assert "werkt niet" in family.text()
