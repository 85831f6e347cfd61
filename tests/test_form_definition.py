"""The form as data: complete against the domain, and checked when it loads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conversations import AANMELDFORMULIER
from conversations.schema import (
    Field,
    Form,
    FormError,
    Group,
    Kind,
    Option,
    Section,
    When,
    validate_form,
)
from kks_bot.directory import Directory
from kks_bot.forms import positions as ff
from kks_bot.triage import advise

DOMAIN = Path(__file__).resolve().parents[2] / "shared" / "domain" / "aanmeldformulier.md"


def test_every_field_of_the_domain_form_is_asked() -> None:
    if not DOMAIN.exists():
        pytest.skip("shared/domain not beside the checkout")
    text = DOMAIN.read_text(encoding="utf-8")
    keys = set(re.findall(r"^\| ([a-z_]+) \|", text, flags=re.M))
    keys |= set(re.findall(r"(partner_[a-z_]+)", text))
    keys -= {"key"}
    keys |= {"kinderen", "hulpverleners"}
    defined = set(AANMELDFORMULIER.keys())
    assert keys - defined == set()


def test_conditions_hide_and_show_fields() -> None:
    form = AANMELDFORMULIER
    answers: dict[str, object] = {"zwanger": False, "partner_in_beeld": False}
    assert not form.field("vermoedelijke_bevallingsdatum").applies(answers)
    assert not form.field("partner_naam").applies(answers)
    answers.update(zwanger=True, partner_in_beeld=True, partner_zelfde_adres=True)
    assert form.field("vermoedelijke_bevallingsdatum").applies(answers)
    assert form.field("partner_naam").applies(answers)
    assert not form.field("partner_adres").applies(answers)  # same address as the mother
    answers["partner_zelfde_adres"] = False
    assert form.field("partner_adres").applies(answers)


def test_every_required_field_is_reachable() -> None:
    # With every yes/no answered "ja" and every tick list fully ticked, each
    # conditional required field applies: none is behind an impossible condition.
    answers: dict[str, object] = {}
    for _, item in AANMELDFORMULIER.items():
        if isinstance(item, Field) and item.kind is Kind.YESNO:
            answers[item.key] = True
        if isinstance(item, Field) and item.kind is Kind.MULTI:
            answers[item.key] = [o.id for o in item.options]
    answers["partner_zelfde_adres"] = False
    answers["aanmelder_functie"] = "anders"
    for _, item in AANMELDFORMULIER.items():
        assert item.applies(answers), item.key


def _field(key: str, **kw: object) -> Field:
    return Field(key, "L", "Q?", kw.pop("kind", Kind.TEXT), help="h", **kw)  # type: ignore[arg-type]


def test_validation_catches_dangling_and_dead_steps() -> None:
    broken = Form("f", "F", (Section("s", "S", (
        _field("a", when=(When("later", True),)),  # condition on a field asked after it
        _field("b", kind=Kind.YESNO),
        _field("c", required=True, when=(When("b", "misschien"),)),  # can never hold
        _field("b"),  # duplicate key
        _field("d", kind=Kind.CHOICE),  # a choice without options
        _field("later", kind=Kind.YESNO),
    )),))
    with pytest.raises(FormError) as error:
        validate_form(broken)
    message = str(error.value)
    assert "not asked before it" in message
    assert "can never hold" in message
    assert "duplicate key 'b'" in message
    assert "a choice without options" in message


def test_the_shipped_form_is_valid() -> None:
    validate_form(AANMELDFORMULIER)


def test_next_position_follows_conditions() -> None:
    form = AANMELDFORMULIER
    answers = {"zwanger": False}
    assert ff.next_pos(form, "f:zwanger", answers) == "f:huisarts"
    answers = {"zwanger": True}
    assert ff.next_pos(form, "f:zwanger", answers) == "f:vermoedelijke_bevallingsdatum"
    assert ff.next_pos(form, "f:huisarts", {}) == "f:partner_in_beeld"
    assert ff.next_pos(form, "f:partner_in_beeld", {"partner_in_beeld": False}) == \
        "f:gezinssamenstelling"
    assert ff.next_pos(form, "f:eerdere_bevindingen", {}) is None


def test_fill_mode_only_asks_new_questions() -> None:
    form = AANMELDFORMULIER
    answers = {k: None for k in form.keys()}
    answers.update(zwanger=True)
    del answers["vermoedelijke_bevallingsdatum"]
    assert ff.next_pos(form, "f:zwanger", answers, fill=True) == \
        "f:vermoedelijke_bevallingsdatum"


def test_groups_walk_their_items() -> None:
    form = AANMELDFORMULIER
    group = form.item("kinderen")
    assert isinstance(group, Group)
    pos = ff.first_item_pos(group, 0)
    assert pos == "gi:kinderen:0:naam"
    assert ff.next_pos(form, pos, {"kinderen": [{"naam": "Noah"}]}) == \
        "gi:kinderen:0:geboortedatum"
    assert ff.next_pos(form, "gi:kinderen:0:gezag_gi", {}) == "g:kinderen"


def test_postcode_suggests_but_straddles() -> None:
    directory = Directory.shipped()
    assert [m.name for m in directory.suggest(6411)] == ["Heerlen"]
    assert [m.name for m in directory.suggest(6285)] == ["Gulpen-Wittem"]
    assert directory.suggest(1012) == []  # Amsterdam: asked, not guessed
    assert directory.find_by_name(" heerlen ") is not None
    assert len(directory.all()) == 16
    assert all(m.code.startswith("GM") for m in directory.all())


@pytest.mark.parametrize(("answers", "route"), [
    ({"zwanger": True, "urgente_kwetsbaarheden": ["huiselijk_geweld"]}, "ozks"),
    ({"zwanger": False, "urgente_kwetsbaarheden": ["verslaving"]}, "knooppunt"),
    ({"kwetsbaarheden": ["relatie", "financien", "stress"]}, "knooppunt"),
    ({"kwetsbaarheden": ["huisvesting"]}, "zorgpaden"),
    ({}, "overleggen"),
])
def test_triage_advice(answers: dict[str, object], route: str) -> None:
    advice = advise(answers)
    assert advice.route == route
    assert advice.reasons


def test_options_have_stable_ids() -> None:
    for _, item in AANMELDFORMULIER.items():
        fields = item.fields if isinstance(item, Group) else (item,)
        for fld in fields:
            for option in fld.options:
                assert isinstance(option, Option)
                assert re.fullmatch(r"[a-z_]+", option.id), option.id
                assert len(f"999999.t:{option.id}".encode()) <= 64
