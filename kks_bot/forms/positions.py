"""Walking a declarative form: positions, what comes next, and what an answer means.

Pure functions over ``(form, answers)``; no database, no channel. A *position* is
a short string naming where the user is:

- ``f:<key>``             a top-level field
- ``confirm:<section>``   confirm the section's prefilled answers with one tap
- ``g:<group>``           a repeatable group: add an item, or done
- ``gi:<group>:<n>:<sub>`` a field of item ``n`` of a group

Answers are a JSON-able dict. A key that is absent was never visited; ``None``
means skipped; a group holds a list of dicts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from conversations.schema import DateRule, Field, Form, Group, Item, Kind, Section

from . import dates, parsers

Answers = dict[str, Any]

MOTHER_AGE = (12, 55)
ADULT_AGE = (12, 99)


@dataclass(frozen=True)
class Step:
    """A resolved position: the field asked there and where its value lives."""

    pos: str
    section: Section
    field: Field | None = None  # None for group and confirm steps
    group: Group | None = None
    item_index: int | None = None


def parse_pos(form: Form, pos: str) -> Step:
    kind, _, rest = pos.partition(":")
    if kind == "f":
        return Step(pos, form.section_of(rest), field=form.field(rest))
    if kind == "confirm":
        return Step(pos, form.section(rest))
    if kind == "g":
        group = form.item(rest)
        assert isinstance(group, Group)
        return Step(pos, form.section_of(rest), group=group)
    if kind == "gi":
        group_key, index, sub = rest.split(":")
        group = form.item(group_key)
        assert isinstance(group, Group)
        return Step(pos, form.section_of(group_key), field=group.field(sub), group=group,
                    item_index=int(index))
    raise KeyError(pos)


def is_valid_pos(form: Form, pos: str) -> bool:
    try:
        parse_pos(form, pos)
    except (KeyError, ValueError, AssertionError):
        return False
    return True


def _visited(item: Item, answers: Answers) -> bool:
    return item.key in answers


def _has_value(value: object) -> bool:
    return value is not None and value != "" and value != []


def prefilled_fields(section: Section) -> list[Field]:
    return [i for i in section.items if isinstance(i, Field) and i.profile]


def _confirmable(section: Section, answers: Answers) -> bool:
    if not section.confirm_prefilled:
        return False
    fields = [f for f in prefilled_fields(section) if f.applies(answers)]
    return bool(fields) and all(_has_value(answers.get(f.key)) for f in fields)


def _item_pos(item: Item) -> str:
    return f"g:{item.key}" if isinstance(item, Group) else f"f:{item.key}"


def next_pos(form: Form, pos: str | None, answers: Answers, *, fill: bool = False) -> str | None:
    """The position after ``pos`` (``None``: from the start); ``None`` at the end.

    ``fill``: only stop at items not visited yet (after an edit from the review,
    so that a change that opens new questions asks just those).
    """
    items = list(form.items())
    start = 0
    if pos is not None:
        step = parse_pos(form, pos)
        if step.group is not None and step.item_index is not None:
            nxt = _next_in_item(step, answers)
            return nxt if nxt is not None else f"g:{step.group.key}"
        if pos.startswith("confirm:"):
            for section_, item in items:
                if section_.key == step.section.key and isinstance(item, Field) \
                        and not item.profile and item.applies(answers) \
                        and not (fill and _visited(item, answers)):
                    return _item_pos(item)
            later = [i for i, (s, _) in enumerate(items) if s.key == step.section.key]
            start = later[-1] + 1
        else:
            key = pos.partition(":")[2]
            start = next(i for i, (_, item) in enumerate(items) if item.key == key) + 1
    previous_section = parse_pos(form, pos).section.key if pos else None
    for section, item in items[start:]:
        if not item.applies(answers):
            continue
        entering = section.key != previous_section
        previous_section = section.key
        if entering and not fill and _confirmable(section, answers):
            return f"confirm:{section.key}"
        if fill and _visited(item, answers):
            if isinstance(item, Field) and item.required and not _has_value(answers[item.key]):
                return _item_pos(item)
            continue
        return _item_pos(item)
    return None


def _next_in_item(step: Step, answers: Answers) -> str | None:
    assert step.group is not None and step.field is not None and step.item_index is not None
    items = answers.get(step.group.key) or []
    item = items[step.item_index] if step.item_index < len(items) else {}
    keys = [f.key for f in step.group.fields]
    for sub in step.group.fields[keys.index(step.field.key) + 1:]:
        if sub.applies(item):
            return f"gi:{step.group.key}:{step.item_index}:{sub.key}"
    return None


def first_item_pos(group: Group, index: int) -> str:
    return f"gi:{group.key}:{index}:{group.fields[0].key}"


def get_value(step: Step, answers: Answers) -> Any:
    if step.field is None:
        return None
    if step.group is not None and step.item_index is not None:
        items = answers.get(step.group.key) or []
        if step.item_index < len(items):
            return items[step.item_index].get(step.field.key)
        return None
    return answers.get(step.field.key)


def has_answer(step: Step, answers: Answers) -> bool:
    if step.field is None:
        return False
    if step.group is not None and step.item_index is not None:
        items = answers.get(step.group.key) or []
        return step.item_index < len(items) and step.field.key in items[step.item_index]
    return step.field.key in answers


def set_value(step: Step, answers: Answers, value: Any) -> Answers:
    """A copy of ``answers`` with this step's value set."""
    assert step.field is not None
    new = dict(answers)
    if step.group is not None and step.item_index is not None:
        items = [dict(i) for i in (new.get(step.group.key) or [])]
        while len(items) <= step.item_index:
            items.append({})
        items[step.item_index][step.field.key] = value
        new[step.group.key] = items
    else:
        new[step.field.key] = value
    # Nothing is deleted when a condition flips (the user may flip it back); the
    # review and the submitted data only ever use applicable fields (clean_answers).
    return new


def applicable_fields(section: Section, answers: Answers) -> list[Item]:
    return [item for item in section.items if item.applies(answers)]


def clean_answers(form: Form, answers: Answers) -> Answers:
    """Only the answers of applicable items: what is stored on submit."""
    result: Answers = {}
    for _, item in form.items():
        if not item.applies(answers) or item.key not in answers:
            continue
        if isinstance(item, Group):
            result[item.key] = [
                {f.key: entry.get(f.key) for f in item.fields if f.applies(entry)
                 and f.key in entry}
                for entry in (answers.get(item.key) or [])
            ]
        else:
            result[item.key] = answers[item.key]
    return result


def missing_required(form: Form, answers: Answers, today: date) -> list[tuple[str, Field]]:
    """Required fields without a valid value, as ``(position, field)`` in form order.

    Values are checked again here: a due date that was valid when it was typed
    may be in the past by the time the draft is submitted.
    """
    missing: list[tuple[str, Field]] = []
    for _, item in form.items():
        if not item.applies(answers):
            continue
        if isinstance(item, Group):
            for index, entry in enumerate(answers.get(item.key) or []):
                for sub in item.fields:
                    if sub.applies(entry) and sub.required and \
                            not _valid_stored(sub, entry.get(sub.key), today):
                        missing.append((f"gi:{item.key}:{index}:{sub.key}", sub))
            continue
        if item.required and not _valid_stored(item, answers.get(item.key), today):
            missing.append((f"f:{item.key}", item))
    return missing


def _valid_stored(field: Field, value: object, today: date) -> bool:
    if not _has_value(value):
        return False
    if field.kind is Kind.DATE and isinstance(value, str):
        try:
            check_date(field, date.fromisoformat(value), today)
        except parsers.ParseError:
            return False
    return True


def check_date(field: Field, value: date, today: date) -> None:
    """Raise ParseError when a stored date no longer fits the field's rule."""
    parsers_today = today
    iso = value.isoformat()
    if field.date_rule is DateRule.DUE:
        dates.parse_due_date(iso, today=parsers_today)
    elif field.date_rule is DateRule.BIRTH_MOTHER:
        dates.parse_birth_date(iso, today=today, min_age=MOTHER_AGE[0],
                                 max_age=MOTHER_AGE[1])
    elif field.date_rule is DateRule.BIRTH_ADULT:
        dates.parse_birth_date(iso, today=today, min_age=ADULT_AGE[0], max_age=ADULT_AGE[1])
    elif field.date_rule is DateRule.PAST:
        dates.parse_past_date(iso, today=today)


def parse_typed(field: Field, text: str, today: date) -> Any:
    """Turn typed text into the value stored for ``field``; raise ParseError."""
    kind = field.kind
    if kind is Kind.TEXT:
        return parsers.parse_text(text, max_length=field.max_length)
    if kind is Kind.DATE:
        if field.date_rule is DateRule.DUE:
            value = dates.parse_due_date(text, today=today)
        elif field.date_rule is DateRule.BIRTH_MOTHER:
            value = dates.parse_birth_date(text, today=today, min_age=MOTHER_AGE[0],
                                             max_age=MOTHER_AGE[1])
        elif field.date_rule is DateRule.BIRTH_ADULT:
            value = dates.parse_birth_date(text, today=today, min_age=ADULT_AGE[0],
                                             max_age=ADULT_AGE[1])
        elif field.date_rule is DateRule.PAST:
            value = dates.parse_past_date(text, today=today)
        elif field.date_rule is DateRule.FUTURE:
            value = dates.parse_future_date(text, today=today)
        else:
            value = dates.parse_date(text, today=today)
        return value.isoformat()
    if kind is Kind.PHONE:
        return parsers.parse_phone(text)
    if kind is Kind.EMAIL:
        return parsers.parse_email(text)
    if kind is Kind.POSTCODE:
        return parsers.parse_postcode(text)
    if kind is Kind.NUMBER:
        return parsers.parse_int(text, minimum=field.minimum, maximum=field.maximum)
    if kind is Kind.TIME:
        return dates.parse_time(text)
    raise ValueError(f"{field.key}: typed answers are not parsed for {kind}")
