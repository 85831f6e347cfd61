"""The hand-off: a registration reaches the coordinators of the family's municipality,
who view and take it on; the registrant hears of it; nobody else sees anything."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kks_bot import people, tokens
from kks_bot.clock import FrozenClock
from kks_bot.db.models import AuditEvent, Invitation, Registration
from kks_bot.delivery.mail import mail_settings
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import LISA, SOPHIE, Case
from .walking import PIN, approve_requests, fill_form, give_pin, make_profile, registrations

COORDINATOR_PROFILE = Case("coordinator", "nl", profile=[
    ("type", "Gemeente Heerlen, Sociaal Team"), ("type", "Ilse Coenen"), ("press", "o:gemeente"),
    ("type", "i.coenen@heerlen.nl"), ("type", "045 560 4000")], form=[])


async def _invite(runtime: Runtime, *codes: str, days: int = 7) -> str:
    async with runtime.sessions() as session, session.begin():
        return await people.create_invitation(session, list(codes), runtime.clock.now(),
                                               timedelta(days=days))


async def _coordinator(runtime: Runtime, chat: Chat, *codes: str) -> None:
    token = await _invite(runtime, *codes)
    await chat.send(f"/start {token}")
    for kind, value in COORDINATOR_PROFILE.profile:
        if kind == "type":
            await chat.send(value)
        else:
            await press_action(chat, value)
    assert await approve_requests(runtime, chat) == 1
    chat.text()


async def _submit(chat: Chat, case: Case) -> str:
    await make_profile(chat, case)
    await fill_form(chat, case)
    review = chat.log[-1].plain
    await press_action(chat, "submit")
    chat.text()
    return review


def _notification(chat: Chat) -> str:
    return [m for m in chat.transport.visible(chat.user_id) if "Nieuwe aanmelding" in m.text][-1]


async def _audit(runtime: Runtime) -> list[tuple[int, str]]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(AuditEvent).order_by(AuditEvent.id))).scalars()
        return [(r.actor_id, r.action) for r in rows]


async def test_registration_reaches_the_coordinator_who_takes_it_on(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    assert "Knooppuntcoördinator voor Heerlen" in ilse.log[1].plain or any(
        "Knooppuntcoördinator voor Heerlen" in m.plain for m in ilse.log)
    peer: Chat = chat_factory(user_id=502)
    await _coordinator(runtime, peer, "GM0917", "GM0928")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    (stored,) = await registrations(runtime)
    # Both coordinators of Heerlen got a notification - without family details.
    for coordinator in (ilse, peer):
        note = _notification(coordinator)
        assert "KKS-2026-0001" in note.plain
        assert "Heerlen" in note.plain and "Kan wachten" in note.plain
        assert "Anna Verhoeven, verloskundige" in note.plain
        assert "Sophie" not in note.plain and "Akerstraat" not in note.plain
        # Not even the pregnancy, the due month or the advice (issue 12).
        assert "februari" not in note.plain and "wanger" not in note.plain
        assert "🧭" not in note.plain
        assert [d for row in note.buttons for _, d in row] == [
            f"r.view.{stored_id(stored)}", f"r.take.{stored_id(stored)}"]
    # View: the whole registration, removed again after 12 hours.
    await ilse.press("Bekijken", message=_notification(ilse))
    assert "persoonlijke PIN" in ilse.text()  # first the PIN (chosen now), then the view
    assert await give_pin(ilse)
    view = ilse.text()
    assert "Sophie Jansen" in view and "Akerstraat 12" in view
    typed = [m for m in ilse.transport.messages.values() if m.chat_id == 501 and not m.from_bot]
    assert typed and all(m.deleted for m in typed if m.text == PIN)
    clock.advance(hours=12, minutes=1)
    await ilse.worker.deliver()
    assert not any("Akerstraat 12" in m.text for m in ilse.transport.visible(501))
    # Take on: the registrant and the other coordinator are told.
    await ilse.press("Oppakken", message=_notification(ilse))
    assert "Je hebt KKS-2026-0001 opgepakt" in ilse.text()
    told = [m.plain for m in anna.transport.visible(1001) if "opgepakt door" in m.text]
    assert told == ["Je aanmelding KKS-2026-0001 is opgepakt door Ilse Coenen, gemeente, "
                    "Gemeente Heerlen, Sociaal Team, Knooppuntcoördinator van Heerlen. Status: "
                    "in behandeling."]
    assert any("opgepakt door Ilse Coenen" in m.plain for m in peer.transport.visible(502))
    await peer.press("Oppakken", message=_notification(peer))
    assert "al opgepakt door Ilse Coenen" in peer.text()
    await anna.send("/mijnaanmeldingen")
    assert "in behandeling" in anna.text()
    actions = [a for _, a in await _audit(runtime)]
    assert actions.count("notified") == 2
    assert "view" in actions and "take_on" in actions


def stored_id(stored: dict) -> str:  # type: ignore[type-arg]
    return str(stored["id"])


@pytest.mark.parametrize("who", ["registrant", "other_municipality", "deactivated", "stranger",
                                 "forged_id"])
async def test_nobody_else_sees_or_takes_a_registration(
        runtime: Runtime, chat_factory, who: str) -> None:
    heerlen: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, heerlen, "GM0917")
    kerkrade: Chat = chat_factory(user_id=503)
    await _coordinator(runtime, kerkrade, "GM0928")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    (stored,) = await registrations(runtime)
    target = {"registrant": anna, "other_municipality": kerkrade, "deactivated": heerlen,
              "stranger": chat_factory(user_id=777), "forged_id": heerlen}[who]
    if who == "deactivated":
        async with runtime.sessions() as session, session.begin():
            from kks_bot.db.models import Coordinator

            (await session.get(Coordinator, 501)).active = False  # type: ignore[union-attr]
    registration_id = stored_id(stored)
    if who == "forged_id":
        registration_id = registration_id[:-1] + ("0" if registration_id[-1] != "0" else "1")
    for action in ("view", "take"):
        await target.press_data(f"r.{action}.{registration_id}", 1)
        said = target.text()
        assert "Dat kan ik niet tonen" in said
        assert "Sophie" not in said
    async with runtime.sessions() as session:
        registration = (await session.execute(select(Registration))).scalar_one()
        assert registration.status == "ingediend" and registration.handler_id is None
    refused = [a for actor, a in await _audit(runtime) if actor == target.user_id]
    assert refused.count("refused") == 2


async def test_invitation_is_single_use_expires_and_is_stored_hashed(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    token = await _invite(runtime, "GM0917")
    async with runtime.sessions() as session:
        (invitation,) = (await session.execute(select(Invitation))).scalars().all()
        assert invitation.token_hash != token and token not in invitation.token_hash
        assert len(token) >= 22  # at least 128 bits
    first: Chat = chat_factory(user_id=601)
    await first.send(f"/start {token}")
    assert "keurt je account eerst goed" in first.text()
    await approve_requests(runtime, first)
    assert "Knooppuntcoördinator voor Heerlen" in first.text()
    second: Chat = chat_factory(user_id=602)
    await second.send(f"/start {token}")
    assert "al gebruikt of verlopen" in second.text()
    late = await _invite(runtime, "GM0917", days=7)
    clock.advance(days=8)
    third: Chat = chat_factory(user_id=603)
    await third.send(f"/start {late}")
    assert "al gebruikt of verlopen" in third.text()


async def test_without_a_coordinator_it_waits_and_the_admin_hears_of_it(
        runtime: Runtime, chat_factory) -> None:
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/start")
    lisa_gp: Chat = chat_factory(user_id=1002)
    review = await _submit(lisa_gp, LISA)  # Kerkrade: nobody there yet
    assert "Kerkrade heeft nog geen actieve Knooppuntcoördinator" in review
    assert any("nog geen actieve" in m.plain and "bewaard" in m.plain
               for m in lisa_gp.transport.visible(1002))
    assert any("KKS-2026-0001 voor Kerkrade wacht" in m.plain
               for m in admin.transport.visible(900))
    # A coordinator for Kerkrade joins: the waiting registration is delivered at once.
    coordinator: Chat = chat_factory(user_id=503)
    token = await _invite(runtime, "GM0928")
    await coordinator.send(f"/start {token}")
    await approve_requests(runtime, coordinator)
    assert any("KKS-2026-0001" in m.plain and "Nieuwe aanmelding" in m.plain
               for m in coordinator.transport.visible(503))


async def test_question_answer_and_closing_reach_the_other_side(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    ilse.text()
    await ilse.press("Vraag aan aanmelder")
    assert "Typ je vraag" in ilse.text()
    await ilse.send("Is er al contact met de kraamzorg?")
    assert "doorgestuurd naar de aanmelder" in ilse.text()
    question = [m for m in anna.transport.visible(1001) if "Vraag van" in m.text][-1]
    assert "Vraag van Ilse Coenen" in question.plain
    assert "Is er al contact met de kraamzorg?" in question.plain
    await anna.press("Antwoorden", message=question)
    await anna.send("Ja, Kraamzorg De Wieg start in week 36.")
    assert "doorgestuurd naar de coördinator" in anna.text()
    answer = [m for m in ilse.transport.visible(501) if "Antwoord van" in m.text][-1]
    assert "Anna Verhoeven" in answer.plain and "week 36" in answer.plain
    await ilse.press("Afsluiten", message=answer)
    await ilse.send("Geëvalueerd, hulp loopt.")
    assert "is afgesloten" in ilse.text()
    assert any("KKS-2026-0001 is afgesloten door de coördinator" in m.plain
               for m in anna.transport.visible(1001))
    (stored,) = await registrations(runtime)
    assert stored["status"] == "afgesloten"
    actions = [a for _, a in await _audit(runtime)]
    assert {"ask", "answer", "close"} <= set(actions)
    # A closed case takes no more questions.
    await ilse.press("Vraag aan aanmelder", message=answer)
    assert "al afgerond" in ilse.text()


async def test_registrant_withdraws_and_the_coordinator_hears_why(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await anna.send("/mijnaanmeldingen")
    await anna.press("KKS-2026-0001")
    page = anna.text()
    assert "Status: ingediend" in page and "ingediend door Anna Verhoeven" in page
    await anna.press("Intrekken")
    await anna.send("Het gezin is verhuisd naar Utrecht.")
    assert "is ingetrokken" in anna.text()
    told = [m.plain for m in ilse.transport.visible(501) if "ingetrokken" in m.text]
    assert told and "verhuisd naar Utrecht" in told[-1]
    (stored,) = await registrations(runtime)
    assert stored["status"] == "ingetrokken"


# Every action on a case, pressed by someone it is not for. One registration serves the
# whole matrix: a refusal changes nothing, which the end of the test checks as well.
NOT_THEIRS = [
    ("registrant", "ask"), ("registrant", "close"), ("coordinator", "answer"),
    ("coordinator", "withdraw"), ("stranger", "answer"), ("stranger", "ask"),
    ("other_municipality", "close"), ("registrant", "refer"), ("registrant", "rf-ozks"),
    ("registrant", "pdf"), ("registrant", "view"), ("registrant", "take"),
    ("coordinator", "add"), ("stranger", "case"), ("stranger", "view"), ("stranger", "add"),
    ("other_municipality", "case"), ("other_municipality", "pdf"),
    ("other_municipality", "rg-GM0928"), ("other_municipality", "take")]


async def test_case_actions_are_only_for_their_side(runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    kerkrade: Chat = chat_factory(user_id=503)
    await _coordinator(runtime, kerkrade, "GM0928")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    (stored,) = await registrations(runtime)
    actors = {"registrant": anna, "coordinator": ilse, "stranger": chat_factory(user_id=777),
              "other_municipality": kerkrade}
    for who, action in NOT_THEIRS:
        actor = actors[who]
        await actor.press_data(f"r.{action}.{stored['id']}", 1)
        said = actor.text()
        assert "Dat kan ik niet tonen" in said, (who, action, said)
        assert "Typ je" not in said, (who, action, said)
    async with runtime.sessions() as session:
        registration = (await session.execute(select(Registration))).scalar_one()
        assert registration.status == "ingediend" and registration.handler_id is None
    refused = [a for _actor, a in await _audit(runtime)]
    assert refused.count("refused") == len(NOT_THEIRS)


async def test_official_copy_is_mailed_to_the_municipality(
        runtime: Runtime, chat_factory, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from pydantic import SecretStr
    from pypdf import PdfReader

    from kks_bot.db.models import Municipality

    from .test_mail import PASSWORD, USER, Mailbox, _start, make_certificate

    certificate = make_certificate(tmp_path)
    mailbox = Mailbox()
    server = _start(mailbox, certificate)
    try:
        runtime.settings = runtime.settings.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": server.port, "smtp_username": USER,
            "smtp_password": SecretStr(PASSWORD), "smtp_sender": "kks-bot@example.nl"})
        async with runtime.sessions() as session, session.begin():
            heerlen = await session.get(Municipality, "GM0917")
            assert heerlen is not None
            heerlen.mailbox = "knooppunt@heerlen.example"
        anna: Chat = chat_factory(user_id=1001)
        mail = mail_settings(runtime.settings)
        assert mail is not None
        mail.tls_context = ssl.create_default_context(cadata=certificate.pem.decode())
        anna.worker.mail = mail
        await _submit(anna, SOPHIE)
        await anna.worker.deliver()
        (received,) = mailbox.messages
        assert received.rcpt_tos == ["knooppunt@heerlen.example"] and received.tls
        import email

        message = email.message_from_bytes(received.content)
        (attachment,) = [p for p in message.walk() if p.get_filename() == "KKS-2026-0001.pdf"]
        pdf_path = tmp_path / "copy.pdf"
        pdf_path.write_bytes(attachment.get_payload(decode=True))
        text = " ".join(page.extract_text() for page in PdfReader(pdf_path).pages)
        assert "Sophie Jansen" in text and "KKS-2026-0001" in text
        assert "Sophie" not in str(message.get("Subject"))
        assert ("mail_sent" in [a for _, a in await _audit(runtime)])
    finally:
        server.stop()


async def test_forged_and_altered_ids_are_refused(runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    (stored,) = await registrations(runtime)
    altered = stored["id"][:-1] + ("0" if stored["id"][-1] != "0" else "1")
    for data in (f"r.view.{altered}", "r.view.", "r.take.../../etc", f"r.{stored['id']}",
                 "r.view.' OR 1=1 --"):
        await ilse.press_data(data, 1)
        assert "Dat kan ik niet tonen" in ilse.text()
    assert not any("Aanmelding KKS" in m.plain for m in ilse.transport.visible(501))


async def test_referral_to_ozks_reaches_the_registrant_with_the_reason(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    await ilse.press("Doorverwijzen")
    assert "Waarheen verwijs je KKS-2026-0001 door?" in ilse.text()
    await ilse.press("OZKS")
    assert "De aanmelder krijgt je reden te zien" in ilse.text()
    await ilse.send("Zwanger met urgente kwetsbaarheden: eerst het OZKS.")
    assert "doorverwezen naar OZKS" in ilse.text()
    told = [m.plain for m in anna.transport.visible(1001) if "doorverwezen" in m.text][-1]
    assert "KKS-2026-0001" in told and "eerst het OZKS" in told
    (stored,) = await registrations(runtime)
    assert stored["status"] == "doorverwezen"
    # The registrant's case page shows the whole history, oldest first.
    await anna.send("/mijnaanmeldingen")
    await anna.press("KKS-2026-0001")
    page = anna.text()
    assert page.index("ingediend door Anna") < page.index("opgepakt door Ilse") \
        < page.index("doorverwezen naar OZKS")
    assert "eerst het OZKS" not in page  # history names events, not their texts
    assert "Intrekken" not in [label for label in anna.log[-1].labels()]


async def test_referral_to_another_municipality_moves_the_case(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    maastricht: Chat = chat_factory(user_id=504)
    await _coordinator(runtime, maastricht, "GM0935")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Doorverwijzen", message=_notification(ilse)) if False else None
    await ilse.press("Bekijken", message=_notification(ilse))
    (stored,) = await registrations(runtime)
    await ilse.press_data(f"r.refer.{stored['id']}", 1)
    await ilse.press("Knooppunt van een andere gemeente")
    assert "welke gemeente" in ilse.text()
    assert "Maastricht" in ilse.log[-1].labels()
    await ilse.press("Maastricht", exact=True)
    await ilse.send("Het gezin woont sinds deze week in Maastricht.")
    assert "doorverwezen naar Knooppunt Maastricht" in ilse.text()
    note = _notification(maastricht)
    assert "KKS-2026-0001" in note.plain and "Maastricht" in note.plain
    (stored,) = await registrations(runtime)
    assert stored["status"] == "ingediend"
    # Heerlen no longer sees it; Maastricht does.
    await ilse.press_data(f"r.view.{stored['id']}", 1)
    assert "Dat kan ik niet tonen" in ilse.text()
    await maastricht.press("Oppakken", message=note)
    assert "opgepakt" in maastricht.text()


async def test_registrant_adds_information_to_a_submitted_registration(
        runtime: Runtime, chat_factory) -> None:
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    await anna.send("/mijnaanmeldingen")
    await anna.press("KKS-2026-0001")
    await anna.press("Aanvullen")
    assert "Typ wat je wilt toevoegen" in anna.text()
    await anna.send("")
    assert "Typ wat je wilt toevoegen" in anna.text()  # empty: asked again, nothing sent
    await anna.send("Sinds gisteren is er ook een schuldhulpverlener betrokken.")
    assert "Je aanvulling is toegevoegd" in anna.text()
    extra = [m for m in ilse.transport.visible(501) if "Aanvulling van" in m.text]
    assert len(extra) == 1 and "schuldhulpverlener" in extra[0].plain
    assert "Anna Verhoeven" in extra[0].plain
    await ilse.send("/aanmeldingen")
    listing = ilse.text()
    assert "1 open aanmelding" in listing and "⭐ KKS-2026-0001" in listing
    await ilse.press("KKS-2026-0001")
    assert "aanvulling van Anna Verhoeven" in ilse.text()


async def test_coordinator_list_is_only_for_coordinators(runtime: Runtime, chat_factory) -> None:
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await anna.send("/aanmeldingen")
    assert "Dit overzicht is voor Knooppuntcoördinatoren" in anna.text()
    assert "KKS-2026-0001" not in anna.text()


async def test_administrator_invites_and_deactivates_a_coordinator_in_the_bot(
        runtime: Runtime, chat_factory) -> None:
    runtime.settings = runtime.settings.model_copy(update={"admin_ids": "900"})
    stranger: Chat = chat_factory(user_id=1001)
    await stranger.send("/beheer")
    assert "alleen voor beheerders" in stranger.text()
    admin: Chat = chat_factory(user_id=900)
    await admin.send("/beheer")
    screen = admin.text()
    assert "Zonder actieve coördinator" in screen and "Heerlen" in screen
    await admin.press("Coördinator uitnodigen")
    await admin.press("Heerlen")
    await admin.press("Maak de uitnodiging")
    invitation = [m.plain for m in admin.transport.visible(900) if "/start " in m.plain][-1]
    token = invitation.rsplit("/start ", 1)[1].strip()
    ilse: Chat = chat_factory(user_id=501)
    await ilse.send(f"/start {token}")
    assert not any("Knooppuntcoördinator voor Heerlen" in m.plain for m in ilse.log)
    # The administrator sees who redeemed it, and approves.
    await admin.deliver()
    request = [m for m in admin.transport.visible(900) if "Aanvraag" in m.plain][-1]
    assert "Tester 501" in request.plain and "@tester501" in request.plain
    assert "501" in request.plain and "Heerlen" in request.plain
    await admin.press("Goedkeuren", message=request)
    assert "Goedgekeurd" in admin.text()
    assert any("Knooppuntcoördinator voor Heerlen" in m.plain
               for m in ilse.transport.visible(501))
    await admin.send("/beheer")
    await admin.press("Coördinatoren")
    await admin.press("Deactiveren")
    await admin.press("Ja, deactiveren")
    assert "Gedeactiveerd" in admin.text()
    anna: Chat = chat_factory(user_id=1002)
    await _submit(anna, SOPHIE)  # Heerlen, whose only coordinator is now deactivated
    assert not [m for m in ilse.transport.visible(501) if "KKS-2026-0001" in m.text]
    assert any("KKS-2026-0001 voor Heerlen wacht" in m.plain
               for m in admin.transport.visible(900))
    actions = [a for _, a in await _audit(runtime)]
    assert "invitation_created" in actions and "coordinator_deactivated" in actions


async def test_coordinator_gets_the_pdf_in_the_chat_and_it_is_removed_later(
        runtime: Runtime, chat_factory, clock: FrozenClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    await ilse.press("PDF")
    await give_pin(ilse)
    (document,) = [m for m in ilse.transport.visible(501) if m.document is not None]
    name, data = document.document
    assert name == "KKS-2026-0001.pdf" and "12 uur" in document.plain
    path = tmp_path / name
    path.write_bytes(data)
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Sophie Jansen" in text
    assert not list(runtime.settings.data_dir.rglob("*.pdf"))  # never written to disk
    clock.advance(hours=12, minutes=1)
    await ilse.worker.deliver()
    assert not [m for m in ilse.transport.visible(501) if m.document is not None]
    assert "export_pdf" in [a for _, a in await _audit(runtime)]


async def test_a_coordinator_token_that_starts_like_a_family_link_still_works(
        runtime: Runtime, chat_factory) -> None:
    from kks_bot.db.models import Invitation

    token = "f_" + "A" * 30  # token_urlsafe can produce this (1 in 4,096)
    async with runtime.sessions() as session, session.begin():
        now = runtime.clock.now()
        session.add(Invitation(token_hash=tokens.token_hash(token), municipalities="GM0917",
                               created_at=now, expires_at=now + timedelta(days=7)))
    ilse: Chat = chat_factory(user_id=501)
    await ilse.send(f"/start {token}")
    await approve_requests(runtime, ilse)
    assert any("Knooppuntcoördinator voor Heerlen" in m.plain for m in ilse.log)
