"""The family's own voice (issue 16): Positieve Gezondheid before the meeting, how it
went after, the ratings again at the evaluation - in Dutch, English and Arabic, with the
clock moved; what the coordinator and the case director see; nothing for a family that
did not opt in or stopped; nothing left after a family's wipe."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kks_bot.clock import FrozenClock
from kks_bot.db.models import FamilyVoice, Outbox
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, ShownMessage, press_action

from .test_meetings import _case, _deliver, _family_in, _plan, _record

FAMILY = 3003


def _offers(family: Chat) -> list[ShownMessage]:
    return [m for m in family.transport.visible(FAMILY)
            if any(data.startswith("v.later.") for row in m.buttons for _, data in row)]


def _charts(chat: Chat, user: int) -> list[bytes]:
    return [m.document[1] for m in chat.transport.visible(user)
            if m.document is not None and m.document[0].startswith("positieve-gezondheid")]


async def _rate(family: Chat, *ratings: int | None) -> None:
    for value in ratings:
        await press_action(family, "vskip" if value is None else f"vr:{value}")


async def _voices(runtime: Runtime) -> list[FamilyVoice]:
    async with runtime.sessions() as session:
        return list((await session.execute(select(FamilyVoice))).scalars())


async def test_dutch_family_tells_what_matters_and_the_coordinator_sees_it(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "nl")
    (offer,) = _offers(family)
    assert "Wil je vertellen wat voor jou belangrijk is?" in offer.plain
    assert "Je hoeft niet mee te doen" in offer.plain
    await family.press("Ja, ik doe mee", message=offer)
    first = family.text()
    assert "Vraag 1 van 8" in first and "Je lichaam" in first and "slapen" in first
    assert family.last_with_buttons().labels()[:11] == [str(n) for n in range(11)]
    await _rate(family, 6, None, 7, 3, 5, 6)  # "how you feel": skipped
    assert "Wat gaat goed?" in family.text()
    await press_action(family, "vt:steun")
    await press_action(family, "vnext")
    assert "Waarover wil je praten" in family.text()
    await press_action(family, "vt:geld")
    await family.send("Een rustige plek om te slapen voor de baby")
    summary = family.text()
    assert "Klopt dit?" in summary
    assert "Je lichaam: 6" in summary and "Hoe je je voelt: —" in summary
    assert "Wat goed gaat: Hulp van mensen om ons heen" in summary
    assert "Geld, Een rustige plek" in summary
    await press_action(family, "vok")
    assert "Ik heb het doorgegeven aan de coördinator" in family.text()

    told = [m.plain for m in ilse.transport.visible(501) if "vertelt wat voor hen" in m.plain]
    assert told and "Lichaamsfuncties: 6" in told[-1] and "Mentaal welbevinden: —" in told[-1]
    assert "Een rustige plek om te slapen" in told[-1]
    (chart,) = _charts(ilse, 501)
    assert chart.startswith(b"\x89PNG")
    # The typed words are out of the family's chat; the answers are sealed.
    assert not [m for m in family.transport.visible(FAMILY)
                if not m.from_bot and "rustige plek" in m.text]
    (row,) = await _voices(runtime)
    assert row.status == "done" and "rustige" not in (row.answers_sealed or "")


async def test_arabic_family_stops_halfway_tells_it_anyway_and_changes_it(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "ar")
    (offer,) = _offers(family)
    assert "هل تريدون أن تخبرونا بما هو مهم لكم؟" in offer.plain  # plural address
    await family.press("نعم، نشارك", message=offer)
    assert "السؤال 1 من 8" in family.text()
    await _rate(family, 4, 3)
    await press_action(family, "vstop")  # halfway
    assert "لن أنقل شيئًا" in family.text()
    assert not [m for m in ilse.transport.visible(501) if "vertelt wat voor hen" in m.plain]
    (row,) = await _voices(runtime)
    assert row.status == "stopped" and row.answers_sealed is None
    # The first reminder does not ask again: they stopped it.
    clock.set(datetime(2026, 12, 13, 13, 31, tzinfo=UTC))
    await _deliver(runtime, family)
    assert len(_offers(family)) == 1

    stopped = [m for m in family.transport.visible(FAMILY) if "نتوقف" in m.plain][-1]
    await family.press("أريد أن أخبركم بشيء", message=stopped)  # "tell something after all"
    await _rate(family, 4, 3, 8, 2, 5, 6)
    await press_action(family, "vt:baby")
    await press_action(family, "vnext")
    await press_action(family, "vt:wonen")
    await press_action(family, "vnext")
    summary = family.text()
    assert "جسمكم: 4" in summary and "الحمل والطفل" in summary and "السكن" in summary
    await press_action(family, "vok")
    assert "نقلتُ ذلك إلى المنسق" in family.text()
    # Changing it before the meeting: the same questions, the old marks kept on "skip".
    await family.press("تغيير")
    assert "الآن: 4" in family.text()
    await _rate(family, 7, None, None, None, None, None)
    await press_action(family, "vnext")
    await press_action(family, "vnext")
    assert "جسمكم: 7" in family.text()
    await press_action(family, "vok")
    told = [m.plain for m in ilse.transport.visible(501) if "vertelt wat voor hen" in m.plain]
    assert len(told) == 2 and "Lichaamsfuncties: 7" in told[-1]
    assert "Wonen" in told[-1]  # the coordinator reads the family's topics in Dutch
    assert len(_charts(ilse, 501)) == 2
    # After the meeting began, it cannot be changed any more.
    clock.set(datetime(2026, 12, 15, 14, 0, tzinfo=UTC))
    await family.press("تغيير", message=[m for m in family.transport.visible(FAMILY)
                                         if "تغيير" in " ".join(m.labels())][-1])
    assert "اللقاء قد تم" in family.text()


async def test_english_family_whole_path_experience_evaluation_and_before_after(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "en")
    assert "Would you like to tell us what matters to you?" in _offers(family)[0].plain
    # Not answered: offered once more with the first reminder, not with the second.
    clock.set(datetime(2026, 12, 13, 13, 31, tzinfo=UTC))
    await _deliver(runtime, family)
    assert len(_offers(family)) == 2
    clock.set(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    await family.press("Yes, I will take part", message=_offers(family)[-1])
    await _rate(family, 3, 2, 5, 2, 4, 5)
    await press_action(family, "vnext")
    await press_action(family, "vt:geld")
    await family.send("Help with the forms from the municipality")
    await press_action(family, "vok")
    clock.set(datetime(2026, 12, 15, 11, 31, tzinfo=UTC))
    await _deliver(runtime, family)
    assert len(_offers(family)) == 2  # answered: the second reminder comes alone

    # The coordinator opens it from the case, and it is there again when recording.
    await ilse.press_data(f"r.voice.{registration_id}", 1)
    view = ilse.text()
    assert "Wat het gezin van" in view and "Waarover het gezin wil praten: Geld, Help with" \
        in view
    clock.set(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
    await _record(ilse, registration_id, "MEE helpt met de formulieren.",
                  director="Anna de Vries, wijkverpleegkundige")
    views = [m.plain for m in ilse.transport.visible(501) if "Wat het gezin van" in m.plain]
    assert len(views) == 2 and "Lichaamsfuncties: 3" in views[-1]  # the case; recording
    assert "Het gezin wilde praten over:" in ilse.text()
    await press_action(ilse, "vw:tgeld")
    await press_action(ilse, "vtied")
    assert "Afspraken bij wat het gezin vroeg: Geld" in ilse.text()
    await ilse.press_data(f"r.voice.{registration_id}", 1)
    assert "Afspraken bij wat het gezin vroeg: Geld" in ilse.text()

    # After the meeting: asked once how it was.
    (asked,) = [m for m in family.transport.visible(FAMILY) if "How was the meeting" in m.plain]
    assert asked.labels() == ["🙂 Good", "😐 It was all right", "🙁 Not good"]
    await family.press("Good", message=asked)
    assert "Would you like to say something" in family.text()
    await family.send("Everyone listened to us.")
    assert "I have passed it on" in family.text()
    heard = [m.plain for m in ilse.transport.visible(501) if "over het overleg" in m.plain
             or "vond het overleg" in m.plain]
    assert any("🙂 Goed" in h for h in heard) and any("Everyone listened" in h for h in heard)
    await family.press("Good", message=asked)
    assert "already answered" in family.text()

    # Six weeks later: the nudge; the family is offered the marks again.
    clock.set(datetime(2027, 1, 26, 13, 31, tzinfo=UTC))
    await _deliver(runtime, family)
    (again,) = [m for m in _offers(family) if "How are you now?" in m.plain]
    await family.press("Yes, I will take part", message=again)
    assert "Question 1 of 6" in family.text()
    await _rate(family, 6, 5, 7, 6, 6, 7)
    await press_action(family, "vok")
    after = [m.plain for m in ilse.transport.visible(501) if "bij de evaluatie weer" in m.plain]
    assert after and "Lichaamsfuncties: 3 → 6" in after[-1]
    assert "Hoe het gezin het overleg vond: 🙂 Goed — Everyone listened" in after[-1]
    # The case director sees before and after too, in one chart with both lines.
    director = [m.plain for m in anna.transport.visible(1001) if "bij de evaluatie" in m.plain]
    assert director and "Mentaal welbevinden: 2 → 5" in director[-1]
    charts = _charts(ilse, 501)
    assert charts and charts[-1].startswith(b"\x89PNG") and len(_charts(anna, 1001)) == 1
    async with runtime.sessions() as session:
        payloads = [runtime.env.cipher.open_json(r.payload_sealed, r.aad) for r in
                    (await session.execute(select(Outbox).where(
                        Outbox.kind == "document"))).scalars()]
    series = [p["series"] for p in payloads if p.get("render") == "radar"][-1]
    assert [values for _name, values in series] == [[3, 2, 5, 2, 4, 5], [6, 5, 7, 6, 6, 7]]


async def test_nothing_is_asked_of_a_family_that_said_no_or_stopped(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    await ilse.press("Uitnodiging voor het gezin")
    link = [m.plain for m in ilse.transport.visible(501) if "/start f_" in m.plain][-1]
    declined: Chat = chat_factory(user_id=3005, language_code="nl")
    await declined.send("/start " + link.rsplit("/start ", 1)[1].strip())
    await press_action(declined, "fam:lang:nl")
    await press_action(declined, "fam:no")
    family = await _family_in(runtime, ilse, chat_factory, "nl")
    invitation = [m for m in family.transport.visible(FAMILY) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1]
    await family.press("Geen berichten meer", message=invitation)
    await family.press("Ja, ik doe mee", message=_offers(family)[0])  # an old button
    assert "Dat kan ik niet doen" in family.text()
    clock.set(datetime(2026, 12, 15, 15, 0, tzinfo=UTC))
    await _record(ilse, registration_id, "Afspraken gemaakt.", weeks="2")
    clock.set(datetime(2026, 12, 29, 13, 31, tzinfo=UTC))
    await _deliver(runtime, family)
    assert len(_offers(family)) == 1  # only the first, before they stopped
    assert not [m for m in family.transport.visible(FAMILY) if "Hoe vond je" in m.plain]
    assert [m for m in declined.transport.visible(3005) if m.buttons and any(
        d.startswith("v.") for row in m.buttons for _, d in row)] == []
    assert {v.status for v in await _voices(runtime)} == {"offered"}


async def test_a_family_that_wipes_its_details_leaves_no_answers_anywhere(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, _registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    family = await _family_in(runtime, ilse, chat_factory, "nl")
    await family.press("Ja, ik doe mee", message=_offers(family)[0])
    await _rate(family, 5, 5, 5, 5, 5, 5)
    await press_action(family, "vnext")
    await family.send("Mijn schoonmoeder woont bij ons")
    await press_action(family, "vok")
    assert [m for m in ilse.transport.visible(501) if "schoonmoeder" in m.plain]
    assert _charts(ilse, 501)
    invitation = [m for m in family.transport.visible(FAMILY) if m.buttons
                  and m.buttons[0][0][1].startswith("f.yes.")][-1]
    await family.press("Geen berichten meer", message=invitation)
    await family.press("wis mijn gegevens")
    await ilse.deliver()
    assert await _voices(runtime) == []
    # Out of the coordinator's chat as well, and out of the outbox.
    assert not [m for m in ilse.transport.visible(501) if "schoonmoeder" in m.plain]
    assert not _charts(ilse, 501)
    async with runtime.sessions() as session:
        for row in (await session.execute(select(Outbox))).scalars():
            assert "schoonmoeder" not in str(runtime.env.cipher.open_json(
                row.payload_sealed, row.aad))


async def test_the_coordinator_fills_it_in_with_the_family_during_the_meeting(
        runtime: Runtime, chat_factory, clock: FrozenClock) -> None:
    ilse, _anna, registration_id = await _case(runtime, chat_factory)
    await _plan(ilse, "15-12-2026", "14:30", registrant=False)
    clock.set(datetime(2026, 12, 15, 13, 45, tzinfo=UTC))
    await ilse.press_data(f"r.voice.{registration_id}", 1)
    assert "Het gezin heeft nog niets ingevuld" in ilse.text()
    await ilse.press("Samen met het gezin invullen")
    assert "Samen met het gezin" in ilse.text()
    await _rate(ilse, 4, 4, 6, 3, 2, 5)
    await press_action(ilse, "vt:steun")
    await press_action(ilse, "vnext")
    await press_action(ilse, "vnext")
    assert "samen met het gezin invulde" in ilse.text()
    await press_action(ilse, "vok")
    shown = ilse.text()
    assert "Bewaard bij" in shown
    assert "samen met het gezin ingevuld tijdens het overleg" in shown
    assert "Meedoen: 2" in shown
    (row,) = await _voices(runtime)
    assert (row.by, row.contact_id, row.status) == ("coordinator", None, "done")


def test_arabic_chart_text_is_not_turned_twice() -> None:
    """matplotlib with libraqm orders right-to-left text itself: shaping it beforehand
    drew "الصحة الإيجابية – أسرة" with its words the wrong way round (seen)."""
    from matplotlib import ft2font

    from kks_bot.charts import radar_png, visual

    title = "الصحة الإيجابية، أسرة KKS-2026-0001"
    if getattr(ft2font, "__libraqm_version__", None):
        assert visual(title, True) == title
    else:
        assert visual(title, True) != title
    png = radar_png(["وظائف الجسم"] * 6, [("قبل", [1, 2, None, 4, 5, 6])], title, rtl=True)
    assert png.startswith(b"\x89PNG")
