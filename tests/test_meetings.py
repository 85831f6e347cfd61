"""The Knooppuntoverleg: planned by the coordinator, an Arabic-speaking family opts in
and gets the invitation and both reminders in Arabic, answers, the meeting is recorded,
and six weeks later the coordinator is nudged and closes the case - with the clock
moved, not waited for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from kks_bot.clock import FrozenClock
from kks_bot.db.models import AuditEvent, Meeting, ScheduledMessage
from kks_bot.delivery.mail import mail_settings
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, press_action

from .cases import SOPHIE
from .test_handoff import _coordinator, _notification, _submit
from .walking import registrations

FSI, PDI = "\u2068", "\u2069"


async def _plan(ilse: Chat, date: str, time: str, *, registrant: bool = True) -> str:
    await ilse.press("Overleg plannen")
    await ilse.send(date)
    await ilse.send(time)
    await ilse.send("Gemeentehuis Heerlen, Geleenstraat 27")
    await press_action(ilse, "o:ja" if registrant else "o:nee")
    await press_action(ilse, "o:ja")  # youth nurse invited
    await ilse.send("MEE, Sandra Wolters, s.wolters@mee.example")
    await press_action(ilse, "o:ar")  # an Arabic interpreter
    return ilse.text()


async def _deliver(runtime: Runtime, chat: Chat) -> int:
    count = await runtime.dispatch()
    await chat.worker.deliver()
    return count


async def _case(runtime: Runtime, chat_factory) -> tuple[Chat, Chat, str]:  # type: ignore[no-untyped-def]
    ilse: Chat = chat_factory(user_id=501)
    await _coordinator(runtime, ilse, "GM0917")
    anna: Chat = chat_factory(user_id=1001)
    await _submit(anna, SOPHIE)
    await ilse.press("Oppakken", message=_notification(ilse))
    ilse.text()
    (stored,) = await registrations(runtime)
    await ilse.press_data(f"r.case.{stored['id']}", 1)
    return ilse, anna, stored["id"]


async def _record(ilse: Chat, registration_id: str, agreements: str, *,
                  director: str | None = None, weeks: str | None = None) -> None:
    """The action and decision list, short: nobody ticked, the coordinator leads, no
    follow-up; ``director`` names the case director (then: "is it the registrant?" yes)."""
    await ilse.press_data(f"r.held.{registration_id}", 1)
    await press_action(ilse, "done")
    await ilse.send(agreements)
    await ilse.send("Ilse Coenen")
    if director is None:
        await press_action(ilse, "skip")
    else:
        await ilse.send(director)
        assert "casusregisseur" in ilse.text()
        await press_action(ilse, "o:ja")  # ... is the registrant
    await ilse.send("JGZ")
    await press_action(ilse, "o:ja")
    await press_action(ilse, "done")
    await press_action(ilse, "done")
    await press_action(ilse, "o:nee")
    if weeks is None:
        await press_action(ilse, "keep")
    else:
        await ilse.send(weeks)


async def test_meeting_family_reminders_record_and_evaluation(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, anna, registration_id = await _case(runtime, chat_factory)
    planned = await _plan(ilse, "15-12-2026", "14:30")
    assert "gepland op dinsdag 15 december 2026 om 14:30" in planned
    assert "nooit een kind" in planned  # the handbook's checklist
    invited = [m.plain for m in anna.transport.visible(1001) if "uitgenodigd" in m.text]
    assert invited and "15 december 2026 om 14:30" in invited[-1]

    # The family's invitation: a link and a QR code, handed over in person.
    await ilse.press("Uitnodiging voor het gezin")
    shown = ilse.transport.visible(501)
    link = [m.plain for m in shown if "/start f_" in m.plain][-1]
    token = link.rsplit("/start ", 1)[1].strip()
    (qr,) = [m for m in shown if m.document is not None]
    assert qr.document[1].startswith(b"\x89PNG")
    assert "Sophie" not in link and registration_id not in token

    family: Chat = chat_factory(user_id=3003, language_code="nl")
    await family.send(f"/start {token}")
    await press_action(family, "fam:lang:ar")
    consent = family.text()
    assert "رسائل" in consent  # asked in Arabic whether they want messages
    await press_action(family, "fam:yes")
    said = family.shown()
    assert "15" in said and "14:30" in said and "ديسمبر" in said  # an Arabic-locale date
    assert f"{FSI}Gemeentehuis Heerlen, Geleenstraat 27{PDI}" in said  # isolated place
    assert any("العربية" in m.plain or "Arabisch" in m.plain
               for m in ilse.transport.visible(501) if "Het gezin" in m.text)

    # Two days before, and two hours before: in Arabic, once each.
    clock.set(datetime(2026, 12, 13, 13, 29, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 0
    clock.set(datetime(2026, 12, 13, 13, 31, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 1
    clock.set(datetime(2026, 12, 15, 11, 31, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 1
    assert await _deliver(runtime, ilse) == 0
    reminders = [m for m in family.transport.visible(3003) if "14:30" in m.plain
                 and m.buttons]
    assert len(reminders) == 3  # invitation + two reminders
    await family.press_data(reminders[-1].buttons[0][0][1], reminders[-1].message_id)
    assert any("komt naar het overleg" in m.plain for m in ilse.transport.visible(501))

    # After the meeting: the action and decision list.
    clock.set(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
    await ilse.press_data(f"r.held.{registration_id}", 1)
    for tick in ("gezin", "coordinator", "jgz"):
        await press_action(ilse, f"t:{tick}")
    await press_action(ilse, "done")
    await ilse.send("MEE helpt met de administratie; JGZ komt na de geboorte op huisbezoek.")
    await ilse.send("Ilse Coenen, Gemeente Heerlen")
    await press_action(ilse, "skip")  # no case director
    await ilse.send("Jeugdverpleegkundige Mira Smit")
    await press_action(ilse, "o:ja")
    await press_action(ilse, "t:financien")
    await press_action(ilse, "done")
    await press_action(ilse, "t:wmo")
    await press_action(ilse, "done")
    await press_action(ilse, "o:nee")
    await press_action(ilse, "keep")  # six weeks, the default
    recorded = ilse.text()
    assert "Vastgelegd" in recorded and "26 januari 2027" in recorded
    told = [m.plain for m in anna.transport.visible(1001) if "plaatsgevonden" in m.text]
    assert told and "MEE helpt" in told[-1]  # the registrant attended: gets the list

    # Six weeks later: the nudge; closing it tells the registrant (status only).
    clock.set(datetime(2027, 1, 26, 13, 31, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 1
    nudge = [m for m in ilse.transport.visible(501) if "Tijd om" in m.text][-1]
    await ilse.press("Geëvalueerd, afsluiten", message=nudge)
    assert "afgesloten" in ilse.text()
    closed = [m.plain for m in anna.transport.visible(1001) if "afgesloten" in m.text]
    assert closed and "MEE" not in closed[-1]
    (stored,) = await registrations(runtime)
    assert stored["status"] == "afgesloten"
    clock.set(datetime(2027, 2, 3, 13, 31, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 0  # no weekly nudge after closing
    async with runtime.sessions() as session:
        actions = {a.action for a in (await session.execute(select(AuditEvent))).scalars()}
    assert {"meeting_planned", "family_invitation", "family_opt_in", "meeting_recorded",
            "evaluated_close"} <= actions


async def test_unhandled_evaluation_is_nudged_weekly(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "1-12-2026", "10:00", registrant=False)
    clock.set(datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    await _record(ilse, registration_id, "Afspraken gemaakt.", weeks="2")  # two weeks
    assert "Over 2 weken" in ilse.text()
    for week in range(3):
        clock.set(datetime(2026, 12, 15, 9, 1, tzinfo=UTC) + timedelta(weeks=week))
        assert await _deliver(runtime, ilse) == 1
    nudges = [m for m in ilse.transport.visible(501) if "Tijd om" in m.text]
    assert len(nudges) == 3
    await ilse.send("/evaluaties")
    assert "te laat" in ilse.text()
    await ilse.press("Herinner me over een week", message=nudges[-1])
    assert "herinner je er op" in ilse.text()


async def test_daylight_saving_time_both_ways(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "29-3-2027", "14:30", registrant=False)  # summer time (CEST)
    async with runtime.sessions() as session:
        meeting = (await session.execute(select(Meeting))).scalar_one()
        assert meeting.starts_at == datetime(2027, 3, 29, 12, 30, tzinfo=UTC)
    await ilse.press_data(f"r.meet.{registration_id}", 1)  # move it to after summer
    await ilse.send("1-11-2027")
    await ilse.send("9:00")  # only date and time are asked again
    moved = ilse.text()
    assert "verplaatst naar maandag 1 november 2027 om 09:00" in moved
    async with runtime.sessions() as session:
        meeting = (await session.execute(select(Meeting))).scalar_one()
        assert meeting.starts_at == datetime(2027, 11, 1, 8, 0, tzinfo=UTC), moved


async def test_reminder_for_a_passed_meeting_is_dropped_after_downtime(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "en")
    # The bot was down from before the first reminder until after the meeting.
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))
    await _deliver(runtime, ilse)
    async with runtime.sessions() as session:
        statuses = [r.status for r in (await session.execute(
            select(ScheduledMessage).where(ScheduledMessage.kind == "reminder"))).scalars()]
    assert statuses == ["dropped", "dropped"]
    assert not [m for m in family.transport.visible(3003) if "Reminder" in m.plain]


async def test_family_stops_messages_and_is_forgotten(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "nl")
    invitation = [m for m in family.transport.visible(3003) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1]
    # Plain words, and whom to call: the coordinator's name, phone and e-mail (profile).
    assert "Knooppunt" not in invitation.plain and "overleg" not in invitation.plain
    assert "gesprek met de mensen die je kunnen helpen" in invitation.plain
    assert ("Voor vragen: bel Ilse Coenen op 045 560 4000 of mail naar "
            "i.coenen@heerlen.nl.") in invitation.plain
    await family.send("Hoe laat moet ik er zijn?")  # nobody reads it: say so, and whom to call
    said = family.text()
    assert "kan ik niet antwoorden" in said and "Ilse Coenen" in said
    await family.press("Geen berichten meer", message=invitation)
    assert "geen berichten meer" in family.text()
    await family.press("wis mijn gegevens")
    assert "gewist" in family.text()
    clock.set(datetime(2026, 12, 15, 12, 0, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 0
    # The same link does not work twice.
    stranger: Chat = chat_factory(user_id=3004)
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    await stranger.send("/start " + link.rsplit("/start ", 1)[1].strip())
    assert "werkt niet" in stranger.text()


async def test_action_list_goes_to_the_secure_mailbox_as_pdf(
        runtime: Runtime, chat_factory, clock: FrozenClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import email
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
        ilse, _anna, registration_id = await _case(runtime, chat_factory)
        mail = mail_settings(runtime.settings)
        assert mail is not None
        mail.tls_context = ssl.create_default_context(cadata=certificate.pem.decode())
        ilse.worker.mail = mail
        await _plan(ilse, "15-12-2026", "14:30", registrant=False)
        clock.set(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
        await ilse.press_data(f"r.held.{registration_id}", 1)
        await press_action(ilse, "t:gezin")
        await press_action(ilse, "done")
        await ilse.send("Woningcorporatie zoekt met het gezin naar een huis.")
        await ilse.send("Ilse Coenen, Gemeente Heerlen")
        await press_action(ilse, "skip")
        await ilse.send("Maatschappelijk werk, Karin Bos")
        await press_action(ilse, "o:ja")
        await press_action(ilse, "done")
        await press_action(ilse, "done")
        await press_action(ilse, "o:ja")
        await ilse.send("na de bevalling")
        await press_action(ilse, "keep")
        await ilse.worker.deliver()
        attachments = []
        for received in mailbox.messages:
            message = email.message_from_bytes(received.content)
            attachments += [p for p in message.walk()
                            if p.get_filename() == "KKS-2026-0001-actielijst.pdf"]
        (attachment,) = attachments
        path = tmp_path / "actielijst.pdf"
        path.write_bytes(attachment.get_payload(decode=True))
        text = " ".join(page.extract_text() for page in PdfReader(path).pages)
        assert "Woningcorporatie zoekt" in text and "Karin Bos" in text
        assert "na de bevalling" in text and "Actie- en besluitenlijst" in text
    finally:
        server.stop()


async def _family_in(runtime: Runtime, ilse: Chat, chat_factory, locale: str = "en") -> Chat:  # type: ignore[no-untyped-def]
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    family: Chat = chat_factory(user_id=3003, language_code=locale)
    await family.send("/start " + link.rsplit("/start ", 1)[1].strip())
    await press_action(family, f"fam:lang:{locale}")
    await press_action(family, "fam:yes")
    return family


async def test_family_answers_reach_the_coordinator(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory)
    invitation = [m for m in family.transport.visible(3003) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1]
    assert invitation.labels() == [
        "✅ I will come", "🕑 I can't come, please find another time",
        "👥 I will bring someone", "🔕 No more messages"]
    await family.press_data(invitation.buttons[1][0][1], invitation.message_id)
    await family.press_data(invitation.buttons[2][0][1], invitation.message_id)
    told = [m.plain for m in ilse.transport.visible(501) if "Het gezin van" in m.text]
    assert any("kan niet en vraagt een andere tijd" in t for t in told)
    assert any("neemt iemand mee" in t for t in told)


async def test_cancelling_the_meeting_tells_the_family_and_stops_the_reminders(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=True)
    family = await _family_in(runtime, ilse, chat_factory, "ar")
    await ilse.press_data(f"r.mcancel.{registration_id}", 1)
    assert "afgezegd" in ilse.text()
    assert any("15" in m.plain and "ديسمبر" in m.plain and m.plain.count("\n") <= 2
               and "045 560 4000" in m.plain  # whom to call, in the same message
               for m in family.transport.visible(3003) if not m.buttons)
    assert any("gaat niet door" in m.plain for m in anna.transport.visible(1001))
    clock.set(datetime(2026, 12, 15, 12, 0, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 0  # no reminder for a cancelled meeting
    async with runtime.sessions() as session:
        statuses = sorted(r.status for r in (await session.execute(
            select(ScheduledMessage))).scalars())
    assert statuses == ["cancelled", "cancelled"]


async def test_family_link_expires_and_a_press_from_a_stranger_is_refused(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _rid = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    clock.advance(days=7, minutes=1)
    late: Chat = chat_factory(user_id=3005)
    await late.send("/start " + link.rsplit("/start ", 1)[1].strip())
    assert "werkt niet" in late.text()
    async with runtime.sessions() as session:
        meeting = (await session.execute(select(Meeting))).scalar_one()
    stranger: Chat = chat_factory(user_id=3006)
    await stranger.press_data(f"f.yes.{meeting.id}", 1)
    assert "kan ik niet doen" in stranger.text()
    assert not [m for m in ilse.transport.visible(501) if "Het gezin van" in m.text]


async def test_the_registrant_as_case_director_is_nudged_too(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "1-12-2026", "10:00", registrant=False)
    clock.set(datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    await _record(ilse, registration_id, "Afspraken gemaakt.",
                  director="Anna de Vries, verloskundige", weeks="2")
    clock.set(datetime(2026, 12, 15, 9, 1, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 2  # the coordinator and the case director
    (nudge,) = [m for m in anna.transport.visible(1001) if "Tijd om" in m.text]
    assert "casusregisseur" in nudge.plain
    labels = [label for row in nudge.buttons for label, _ in row]
    assert not any("afsluiten" in label for label in labels)  # closing is the coordinator's
    # The coordinator snoozes their own nudge; the case director's stays.
    coordinator_nudge = [m for m in ilse.transport.visible(501) if "Tijd om" in m.text][-1]
    await ilse.press("Herinner me over een week", message=coordinator_nudge)
    async with runtime.sessions() as session:
        pending = {r.recipient_id for r in (await session.execute(select(ScheduledMessage)
                   .where(ScheduledMessage.kind == "evaluation",
                          ScheduledMessage.status == "pending"))).scalars()}
    assert pending == {501, 1001}
    await anna.press("Nieuw Knooppuntoverleg nodig", message=nudge)
    assert "Doorgegeven" in anna.text()
    wants = [m for m in ilse.transport.visible(501) if "wil een nieuw" in m.text]
    assert wants and any(d == f"r.meet.{registration_id}" for row in wants[-1].buttons
                         for _, d in row)
    # Answered: the case director is not nudged again; the coordinator still is.
    clock.set(datetime(2026, 12, 22, 9, 2, tzinfo=UTC))
    assert await _deliver(runtime, ilse) == 1
    assert len([m for m in anna.transport.visible(1001) if "Tijd om" in m.text]) == 1
    # A stranger cannot answer for the case director.
    stranger: Chat = chat_factory(user_id=4444, language_code="nl")
    await stranger.send("/start")
    await stranger.press_data(f"r.evok.{registration_id}", 1)
    assert "kan ik niet tonen" in stranger.text()


async def test_a_professional_on_the_bot_gets_invitation_reminders_and_the_list(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    """The coordinator sends a one-time link; the youth nurse opens it in the bot and
    from then on hears of the meeting as the family does - without family details."""
    from .cases import LISA
    from .walking import make_profile

    ilse, _anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor een professional")
    link = [m.plain for m in ilse.transport.visible(501) if "/start p_" in m.plain][-1]
    token = link.rsplit("/start ", 1)[1].strip()
    assert registration_id not in token

    nurse: Chat = chat_factory(user_id=2002, language_code="en")
    await make_profile(nurse, LISA)
    await nurse.send(f"/start {token}")
    invited = nurse.text()
    assert "invited" in invited and "14:30" in invited and "Geleenstraat" in invited
    assert "Sophie" not in invited  # no family details
    joined = [m.plain for m in ilse.transport.visible(501) if "doet via de bot mee" in m.text]
    assert joined and "Dr. P. Hermans" in joined[-1]

    # The link is single use: someone else cannot join with it.
    other: Chat = chat_factory(user_id=2003)
    await other.send(f"/start {token}")
    assert "werkt niet" in other.text()

    # Moving the meeting tells the professional, and the reminders follow the move.
    await ilse.press_data(f"r.meet.{registration_id}", 1)
    await ilse.send("16-12-2026")
    await ilse.send("10:00")
    moved = [m.plain for m in nurse.transport.visible(2002) if "moved" in m.plain]
    assert moved and "16 December 2026" in moved[-1], [
        m.plain for m in nurse.transport.visible(2002)]
    clock.set(datetime(2026, 12, 14, 9, 1, tzinfo=UTC))  # 48 h before the new time
    await _deliver(runtime, ilse)
    reminders = [m.plain for m in nurse.transport.visible(2002) if "Reminder" in m.plain]
    assert len(reminders) == 1 and "10:00" in reminders[0]
    clock.set(datetime(2026, 12, 16, 7, 1, tzinfo=UTC))  # 2 h before
    await _deliver(runtime, ilse)
    sent = [m for m in nurse.transport.messages.values()
            if m.chat_id == 2002 and "Reminder" in m.plain]
    assert len(sent) == 2
    # Meeting details leave a professional's chat after a day (KKS_CHAT_TTL_HOURS).
    assert sent[0].deleted and not sent[1].deleted

    # After the meeting: the action and decision list reaches the professional.
    clock.set(datetime(2026, 12, 16, 11, 0, tzinfo=UTC))
    await _record(ilse, registration_id, "JGZ komt op huisbezoek.")
    held = [m.plain for m in nurse.transport.visible(2002) if "has taken place" in m.plain]
    assert held, ([m.plain for m in nurse.transport.visible(2002)][-2:], ilse.text())
    assert "JGZ komt op huisbezoek" in held[-1]


async def test_whom_the_family_calls_without_a_coordinator_profile(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    """No one coordinator with a profile for the case: the municipality's coordinator."""
    from kks_bot.flows.meetings.common import contact_line

    env = runtime.env
    line = contact_line(env, "nl", {"municipality": "Heerlen"})
    assert line == f"Voor vragen: bel of mail de coördinator van de gemeente {FSI}Heerlen{PDI}."
    assert "المنسق" in contact_line(env, "ar", {}) or "بمنسق" in contact_line(env, "ar", {})
    assert contact_line(env, "en", {"name": "Ilse Coenen", "phone": "045 560 4000",
                                    "email": "i.coenen@heerlen.nl"}).startswith(
        f"For questions: call {FSI}Ilse Coenen{PDI} on {FSI}045 560 4000{PDI}")


def test_the_form_says_how_often_the_meeting_is_as_the_handbook_does() -> None:
    """The handbook ("Praktische organisatie"): each municipality plans at a fixed moment
    (e.g. monthly) or when a registration comes in; urgent cases at once - as the FAQ's
    "spoed" answer says. The form's help said "the fixed monthly meeting"."""
    from conversations import AANMELDFORMULIER

    help_text = str(AANMELDFORMULIER.field("spoed").help)
    assert "maandelijkse overleg" not in help_text
    assert "verschilt per gemeente" in help_text and "zodra er een aanmelding is" in help_text
