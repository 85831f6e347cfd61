"""The building blocks of a declarative conversation: sections, fields, groups.

A form is plain, typed data. Every text a user sees is a Dutch source string
marked with ``N_`` so that Babel extracts it and translators see it in context.
The step graph is checked when the form is loaded (:func:`validate_form`): keys
are unique, every condition points at an earlier field with a value it can take,
and every required field can be reached.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What kind of answer a field takes, and so how it is asked and parsed."""

    TEXT = "text"
    DATE = "date"
    PHONE = "phone"
    EMAIL = "email"
    POSTCODE = "postcode"
    CHOICE = "choice"
    MULTI = "multi"
    YESNO = "yesno"
    NUMBER = "number"
    TIME = "time"  # a time of day, "HH:MM"
    GEMEENTE = "gemeente"


class DateRule(StrEnum):
    """Which dates are plausible for a date field."""

    ANY = "any"
    BIRTH_MOTHER = "birth_mother"  # in the past, age 12-55
    BIRTH_ADULT = "birth_adult"  # in the past, age 12-99
    PAST = "past"  # not in the future, at most 25 years ago
    DUE = "due"  # today .. today + 42 weeks
    FUTURE = "future"  # today .. a year ahead (a meeting)


@dataclass(frozen=True)
class Option:
    """One choice: a stable id (stored), a label (shown), a short button label."""

    id: str
    label: str
    short: str = ""

    @property
    def button(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer.

    ``equals``: the answer must equal this value (``True``/``False`` for yes/no,
    an option id for a choice). ``contains``: a multi answer must include it.
    ``filled``: the question was answered (not skipped).
    """

    key: str
    equals: object = None
    contains: str | None = None
    filled: bool = False

    def holds(self, answers: dict[str, object]) -> bool:
        value = answers.get(self.key)
        if self.filled:
            return value not in (None, "", [])
        if self.contains is not None:
            return isinstance(value, list) and self.contains in value
        return value == self.equals


@dataclass(frozen=True)
class Field:
    """One question of the form."""

    key: str
    label: str  # short label, used in the review and the official copy
    question: str  # the question as the bot asks it
    kind: Kind
    required: bool = False
    help: str = ""
    options: tuple[Option, ...] = ()
    suggestions: tuple[Option, ...] = ()  # buttons that fill in a text field
    when: tuple[When, ...] = ()
    date_rule: DateRule = DateRule.ANY
    minimum: int = 0
    maximum: int = 0
    max_length: int = 200
    default: object = None  # proposed value, confirmed with one tap
    profile: str = ""  # the professional's profile field that prefills this one
    family_data: bool = True  # a typed answer identifies the family: delete it from the chat
    # A municipality chosen by typing a postcode remembers that postcode under this key
    # (starting with "_": kept in the draft, never stored with the registration) ...
    remember: str = ""
    # ... and a field offers a remembered value as a button while it is still empty.
    suggest_from: str = ""

    def applies(self, answers: dict[str, object]) -> bool:
        return all(cond.holds(answers) for cond in self.when)

    def option(self, option_id: object) -> Option | None:
        for opt in self.options:
            if opt.id == option_id:
                return opt
        return None


@dataclass(frozen=True)
class Group:
    """A repeatable block of fields (other children, involved professionals)."""

    key: str
    label: str  # the block's label in the review
    question: str  # asked before the first item: add one, or none
    item_label: str  # "Kind {n}" - the item's title, with its number
    add_first: str  # button: add the first item
    add_more: str  # button: add another item
    none_label: str  # button: there are none
    fields: tuple[Field, ...]
    help: str = ""
    when: tuple[When, ...] = ()
    max_items: int = 15
    required: bool = False  # a group is never required to have items

    def applies(self, answers: dict[str, object]) -> bool:
        return all(cond.holds(answers) for cond in self.when)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


Item = Field | Group


@dataclass(frozen=True)
class Section:
    """A part of the form, with its items in the order they are asked."""

    key: str
    title: str
    items: tuple[Item, ...]
    # When the section's prefilled fields (from the profile) all have a value, the
    # bot shows them in one message to confirm with one tap instead of asking each.
    confirm_prefilled: bool = False
    intro: str = ""


@dataclass(frozen=True)
class Form:
    """A whole form: its sections in order."""

    key: str
    title: str
    sections: tuple[Section, ...]
    # What the registration flow needs to know of a form, declared here, not in its code:
    consent: str = ""  # the field asked before anything is stored (the family's consent)
    municipality: str = ""  # the field naming the municipality that receives it
    urgent: When | None = None  # the answer that makes it urgent
    _index: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for s_no, section in enumerate(self.sections):
            for i_no, item in enumerate(section.items):
                self._index[item.key] = (s_no, i_no)

    def items(self) -> Iterator[tuple[Section, Item]]:
        for section in self.sections:
            for item in section.items:
                yield section, item

    def keys(self) -> list[str]:
        return [item.key for _, item in self.items()]

    def item(self, key: str) -> Item:
        s_no, i_no = self._index[key]
        return self.sections[s_no].items[i_no]

    def section_of(self, key: str) -> Section:
        return self.sections[self._index[key][0]]

    def position(self, key: str) -> tuple[int, int]:
        return self._index[key]

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def field(self, key: str) -> Field:
        item = self.item(key)
        if not isinstance(item, Field):
            raise KeyError(key)
        return item


class FormError(ValueError):
    """The form definition is inconsistent."""


def _possible_values(item: Field) -> set[object] | None:
    if item.kind is Kind.YESNO:
        return {True, False}
    if item.kind in (Kind.CHOICE, Kind.MULTI):
        return {opt.id for opt in item.options}
    return None


def validate_form(form: Form) -> None:
    """Check the step graph; raise :class:`FormError` naming every problem found."""
    problems: list[str] = []
    seen: dict[str, Field] = {}
    all_keys: set[str] = set()
    for section, item in form.items():
        if item.key in all_keys:
            problems.append(f"{section.key}: duplicate key {item.key!r}")
        all_keys.add(item.key)
        if not item.question.strip() or not item.label.strip():
            problems.append(f"{item.key}: missing question or label")
        for cond in item.when:
            earlier = seen.get(cond.key)
            if earlier is None:
                problems.append(
                    f"{item.key}: condition on {cond.key!r}, which is not asked before it")
                continue
            values = _possible_values(earlier)
            wanted = cond.contains if cond.contains is not None else cond.equals
            if cond.contains is not None and earlier.kind is not Kind.MULTI:
                problems.append(f"{item.key}: 'contains' on {cond.key!r}, which is not a tick list")
            if values is not None and wanted not in values and not cond.filled:
                problems.append(
                    f"{item.key}: condition {cond.key}={wanted!r} can never hold "
                    "(a dead step: a required field behind it is unreachable)"
                )
        fields = item.fields if isinstance(item, Group) else (item,)
        sub_keys: set[str] = set()
        for f in fields:
            if isinstance(item, Group):
                if f.key in sub_keys:
                    problems.append(f"{item.key}: duplicate sub-field {f.key!r}")
                sub_keys.add(f.key)
                for cond in f.when:
                    if cond.key not in sub_keys:
                        problems.append(f"{item.key}.{f.key}: condition outside its item")
            if f.kind in (Kind.CHOICE, Kind.MULTI) and not f.options:
                problems.append(f"{f.key}: a choice without options")
            ids = [opt.id for opt in f.options]
            if len(ids) != len(set(ids)):
                problems.append(f"{f.key}: duplicate option ids")
            if f.kind is Kind.NUMBER and not f.minimum <= f.maximum:
                problems.append(f"{f.key}: number range is empty")
            if f.kind is Kind.TEXT and f.max_length <= 0:
                problems.append(f"{f.key}: text without a maximum length")
            if not f.help.strip():
                problems.append(f"{f.key}: no help text")
        if isinstance(item, Field):
            seen[item.key] = item
    remembered = {f.remember for f in seen.values() if f.remember}
    for f in seen.values():
        if f.remember and (not f.remember.startswith("_") or f.kind is not Kind.GEMEENTE):
            problems.append(f"{f.key}: only a municipality remembers, under a '_' key")
        if f.suggest_from and f.suggest_from not in remembered:
            problems.append(f"{f.key}: suggests {f.suggest_from!r}, which nothing remembers")
    for declared in (form.consent, form.municipality, form.urgent.key if form.urgent else ""):
        if declared and declared not in seen:
            problems.append(f"the form names {declared!r}, which is not one of its fields")
    if problems:
        raise FormError("; ".join(problems))
