"""The registration walk as a professional experiences it: every step's controls,
bad input, drafts, the review, and what is (not) stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kks_bot.clock import FrozenClock
from kks_bot.db.models import Draft, Registration
from kks_bot.flows.registration.drafts import sweep
from kks_bot.runtime import Runtime
from tests.support.transcript import Chat, find_action, press_action

from .cases import LISA, SOPHIE
from .walking import do, drafts, fill_form, make_profile, registrations, walk_until


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_no_consent_stores_nothing_and_points_to_sparring(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await chat.send("/aanmelden")
    assert "toestemming" in chat.text()
    await press_action(chat, "no")
    said = chat.text()
    assert "Zonder toestemming" in said
    assert "anoniem overleggen" in said
    assert "niets over het gezin bewaard" in said
    assert await _count(runtime, Draft) == 0
    assert await _count(runtime, Registration) == 0


async def test_draft_starts_with_its_expiry_date(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await chat.send("/aanmelden")
    await press_action(chat, "yes")
    said = chat.text()
    assert "concept tot 7 december 2026" in said  # 14 days after 23 November
    assert "Deel 1 van 8" in said  # progress: section and step
    (draft,) = await drafts(runtime)
    assert draft["answers"]["toestemming_gezin"] is True


async def test_back_changes_an_earlier_answer(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_geboortedatum", runtime)
    await press_action(chat, "back")
    said = chat.text()
    assert "naam van de moeder" in said
    assert "Nu: Sophie Jansen" in said
    await chat.send("Sophie de Jong")
    assert "geboortedatum" in chat.text()
    (draft,) = await drafts(runtime)
    assert draft["answers"]["moeder_naam"] == "Sophie de Jong"


async def test_keep_current_answer_after_going_back(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_adres", runtime)
    await press_action(chat, "back")
    await press_action(chat, "keep")
    assert "adres van de moeder" in chat.text()
    (draft,) = await drafts(runtime)
    assert draft["answers"]["moeder_geboortedatum"] == "2001-03-12"


async def test_skip_only_for_optional_fields(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_naam", runtime)
    question = chat.last_with_buttons()
    assert find_action(question, "skip") is None  # required: no skip button
    # A forged "skip" on a required field changes nothing.
    data = f"{question.buttons[0][0][1].split('.')[0]}.skip"
    await chat.press_data(data, question.message_id)
    assert "naam van de moeder" in chat.text()
    (draft,) = await drafts(runtime)
    assert "moeder_naam" not in draft["answers"]
    await walk_until_from(chat, runtime, "f:moeder_telefoon")
    assert find_action(chat.last_with_buttons(), "skip") is not None  # optional


async def walk_until_from(chat: Chat, runtime: Runtime, prefix: str) -> None:
    steps = iter(SOPHIE.form[9:])
    while not (await drafts(runtime))[-1]["position"].startswith(prefix):
        await do(chat, next(steps))


async def test_help_explains_the_field(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_postcode", runtime)
    await press_action(chat, "help")
    said = chat.text()
    assert "Vier cijfers en twee letters" in said
    assert "postcode van de moeder" in said  # and the question again
    await chat.send("/help")
    assert "Vier cijfers en twee letters" in chat.text()


BAD_INPUT = [
    ("f:moeder_geboortedatum", "31-2-2001", "bestaat niet"),
    ("f:moeder_geboortedatum", "morgenochtend", "geen datum die ik herken"),
    ("f:moeder_geboortedatum", "12-3-2030", "toekomst"),
    ("f:moeder_geboortedatum", "12-3-2020", "pas 6 jaar"),
    ("f:moeder_postcode", "64111 AB", "postcode"),
    ("f:moeder_postcode", "6411", "twee letters"),
    ("f:moeder_telefoon", "12345", "Dat nummer bestaat niet"),
    ("f:moeder_telefoon", "bel maar", "cijfers"),
    ("f:moeder_email", "sophie at home", "@"),
    ("f:vermoedelijke_bevallingsdatum", "1-1-2026", "al voorbij"),
    ("f:vermoedelijke_bevallingsdatum", "1-1-2029", "weken na vandaag"),
    ("f:moeder_hoeveelste_kind", "vijfentwintig", "getal"),
    ("f:moeder_hoeveelste_kind", "25", "van 1 tot en met 20"),
    ("f:moeder_burgerlijke_staat", "verloofd", "niet in de lijst"),
    ("f:zwanger", "misschien", "'ja' of 'nee'"),
    ("f:hulpvraag", "x" * 5000, "5000 tekens. Het maximum is 2000"),
    ("f:hulpvraag", "   ", "nog niets"),
]


@pytest.mark.parametrize(("position", "text", "message"), BAD_INPUT,
                         ids=[f"{p}-{t[:12]}" for p, t, _ in BAD_INPUT])
async def test_bad_input_gets_a_clear_message_and_loses_nothing(
        runtime: Runtime, chat: Chat, position: str, text: str, message: str):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, position, runtime)
    (before,) = await drafts(runtime)
    await chat.send(text)
    said = chat.text()
    assert message in said, said
    assert "⚠️" in said
    (after,) = await drafts(runtime)
    assert after["position"] == position == before["position"]
    assert after["answers"] == before["answers"]


@pytest.mark.parametrize("media", ["photo", "sticker", "voice", "location"])
async def test_media_where_text_is_expected(runtime: Runtime, chat: Chat, media: str):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_adres", runtime)
    (before,) = await drafts(runtime)
    await chat.send_media(media)
    said = chat.text()
    assert "alleen tekst en de knoppen" in said
    assert "adres van de moeder" in said
    (after,) = await drafts(runtime)
    assert after == before


async def test_old_button_and_unknown_command_mid_form(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:toestemming_onderzoek", runtime)
    old = chat.last_with_buttons()
    await press_action(chat, "o:ja")
    (before,) = await drafts(runtime)
    # The old message's "nee" button: stale, nothing changes.
    data = find_action(old, "o:nee")
    assert data is not None
    await chat.press_data(data, old.message_id)
    said = chat.text()
    assert "eerder bericht" in said
    assert "Waarvoor meld je het gezin aan" in said
    await chat.send("/onzin")
    said = chat.text()
    assert "Dat commando ken ik niet" in said
    assert "Waarvoor meld je het gezin aan" in said
    (after,) = await drafts(runtime)
    assert after["answers"] == before["answers"]


async def test_language_switch_mid_form(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_naam", runtime)
    await chat.send("/language")
    await press_action(chat, "lang:en")
    said = chat.text()
    assert "The language is now English." in said
    assert "mother" in said.lower()
    await press_action(chat, "pause")
    await chat.send("/taal")
    await press_action(chat, "lang:ar")
    assert "العربية" in chat.text()


async def test_cancel_asks_first_then_deletes_the_draft(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_plaats", runtime)
    await press_action(chat, "cancel")
    assert "Weet je zeker" in chat.text()
    await press_action(chat, "no:")
    assert "plaats woont de moeder" in chat.text()
    assert len(await drafts(runtime)) == 1
    await chat.send("/annuleren")
    await press_action(chat, "yes:")
    assert "Het concept is gewist" in chat.text()
    assert await drafts(runtime) == []


async def test_pause_resume_and_several_drafts(runtime: Runtime, chat: Chat,
                                               clock: FrozenClock):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_adres", runtime)
    await press_action(chat, "pause")
    clock.advance(minutes=20)
    assert "bewaard tot 7 december 2026" in chat.text()
    await chat.send("/aanmelden")
    said = chat.text()
    assert "1 open concept" in said
    await press_action(chat, "new:")
    await press_action(chat, "yes")
    await press_action(chat, "o:nee")
    await chat.send("/aanmelden")
    said = chat.text()
    assert "2 open concepten" in said
    assert "Gegevens moeder / zwangere" in said  # where the first one stands
    await press_action(chat, "go:1")
    said = chat.text()
    assert "verder met je concept" in said
    assert "adres van de moeder" in said
    (first, second) = await drafts(runtime)
    assert first["answers"]["moeder_naam"] == "Sophie Jansen"
    assert second["answers"]["toestemming_vastgelegd"] is False


async def test_draft_expires_with_warning(runtime: Runtime, chat: Chat, clock: FrozenClock):
    await make_profile(chat, SOPHIE)
    await walk_until(chat, SOPHIE, "f:moeder_adres", runtime)
    clock.advance(days=12, hours=1)
    await sweep(runtime.env)
    await chat.worker.deliver()
    assert "verloopt op 7 december 2026" in chat.last.plain
    await sweep(runtime.env)  # warned once only
    await chat.worker.deliver()
    assert len([m for m in chat.transport.messages.values() if "verloopt op" in m.text]) == 1
    clock.advance(days=2)
    assert await sweep(runtime.env) == 1
    await chat.worker.deliver()
    said = "\n".join(m.plain for m in chat.transport.visible(chat.user_id))
    assert "verlopen en gewist" in said
    # The walk's messages are older than 48 hours now: the bot says it could not remove them.
    assert "kon ik niet wissen" in said
    assert await drafts(runtime) == []
    await chat.send("Akerstraat 12")  # the user was mid-walk: told, not crashed
    assert "menu" in chat.text().lower() or "Wat wil je doen" in chat.last.plain


async def test_review_edit_opens_new_questions(runtime: Runtime, chat: Chat):
    await make_profile(chat, LISA)
    chat.language_code = "nl"
    review = (await fill_form(chat, LISA))[-1]
    assert "Controleer je aanmelding" in review
    assert "Vermoedelijke bevallingsdatum" not in review  # not pregnant
    await press_action(chat, "e:moeder")
    await press_action(chat, "pick:zwanger")
    await press_action(chat, "o:ja")
    assert "vermoedelijke bevallingsdatum" in chat.text()
    await chat.send("1-3-2027")
    await chat.send("2")
    await press_action(chat, "skip")  # hoofdbehandelaar, optional
    said = chat.text()
    assert "Controleer je aanmelding" in said
    assert "1 maart 2027" in said
    await press_action(chat, "submit")
    (stored,) = await registrations(runtime)
    assert stored["answers"]["zwanger"] is True
    assert stored["answers"]["vermoedelijke_bevallingsdatum"] == "2027-03-01"
    assert stored["answers"]["hoeveelste_zwangerschap"] == 2


async def test_cannot_submit_with_an_invalid_required_field(
        runtime: Runtime, chat: Chat, clock: FrozenClock):
    runtime.settings = runtime.settings.model_copy(update={"draft_ttl_days": 120})
    await make_profile(chat, SOPHIE)
    await fill_form(chat, SOPHIE)
    chat.text()
    clock.advance(days=90)  # the due date (15 Feb 2027) is now in the past
    await chat.send("/aanmelden")
    await press_action(chat, "go:1")
    said = chat.text()
    assert "Nog 1 verplicht veld in te vullen" in said
    assert "Vermoedelijke bevallingsdatum" in said
    review = chat.last_with_buttons()
    assert find_action(review, "submit") is None
    forged = f"{review.buttons[0][0][1].split('.')[0]}.submit"
    await chat.press_data(forged, review.message_id)
    assert await registrations(runtime) == []
    await press_action(chat, "fix:f:vermoedelijke_bevallingsdatum")
    await chat.send("1-4-2027")
    assert find_action(chat.last_with_buttons(), "submit") is not None


async def test_group_items_edited_from_review(runtime: Runtime, chat: Chat):
    await make_profile(chat, LISA)
    await fill_form(chat, LISA)
    await press_action(chat, "e:gezin")
    await press_action(chat, "pick:kinderen")
    said = chat.text()
    assert "Kind 1: Noah" in said
    await press_action(chat, "ga:")
    await chat.send("Mila")
    await chat.send("1-1-2024")
    for _ in range(3):
        await press_action(chat, "skip")
    assert "Mila" in chat.text()
    await press_action(chat, "g:done")
    await press_action(chat, "submit")
    (stored,) = await registrations(runtime)
    names = [k["naam"] for k in stored["answers"]["kinderen"]]
    assert names == ["Noah", "Mila"]


async def test_my_registrations_shows_status(runtime: Runtime, chat: Chat):
    await make_profile(chat, SOPHIE)
    await fill_form(chat, SOPHIE)
    await press_action(chat, "submit")
    await chat.send("/mijnaanmeldingen")
    said = chat.text()
    assert "KKS-2026-0001" in said
    assert "ingediend" in said
    assert "Heerlen" in said


async def test_references_count_up_and_restart_each_year(
        runtime: Runtime, chat_factory, clock: FrozenClock):
    for user in (1, 2):
        chat = chat_factory(user_id=user)
        await make_profile(chat, SOPHIE)
        await fill_form(chat, SOPHIE)
        await press_action(chat, "submit")
    clock.set(clock.now() + timedelta(days=40))  # 2027
    chat = chat_factory(user_id=3)
    await make_profile(chat, LISA)
    await fill_form(chat, LISA)
    await press_action(chat, "submit")
    refs = sorted(r["reference"] for r in await registrations(runtime))
    assert refs == ["KKS-2026-0001", "KKS-2026-0002", "KKS-2027-0001"]
