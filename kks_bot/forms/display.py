"""Answers as a reader sees them: a value in the reader's language, a group's item on one
line, a section of the form as "label: value" lines (the review, the coordinator's view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from conversations.schema import Field, Group, Kind, Option, Section

from ..directory import gemeente_label
from ..i18n import Translator
from ..i18n_markers import N_
from ..kernel.context import Env
from ..text import Markup, bold, labelled, lines
from . import parsers
from .positions import applicable_fields


class Reader(Protocol):
    """Who reads the answers: an event's context, or a page of the Mini App."""

    @property
    def env(self) -> Env: ...

    @property
    def locale(self) -> str: ...

    @property
    def tr(self) -> Translator: ...

    def t(self, message: str | tuple[str, str], /, **params: object) -> Markup: ...


@dataclass(frozen=True)
class PageReader:
    """A reader outside an event (a web page): the environment and a language."""

    env: Env
    locale: str

    @property
    def tr(self) -> Translator:
        return self.env.tr

    def t(self, message: str | tuple[str, str], /, **params: object) -> Markup:
        return self.env.tr.t(self.locale, message, **params)


def display(ctx: Reader, field: Field, value: Any) -> str | Markup:
    """One answer, in the reader's language ("—" when empty)."""
    if value is None or value == "" or value == []:
        return "—"
    if field.kind is Kind.YESNO:
        return ctx.t(N_("ja")) if value else ctx.t(N_("nee"))
    if field.kind is Kind.CHOICE:
        option = field.option(value)
        return ctx.t(option.label) if option else str(value)
    if field.kind is Kind.MULTI:
        labels = [ctx.t(o.label) for o in field.options if o.id in value]
        return ctx.tr.format_list(ctx.locale, labels)
    if field.kind is Kind.DATE:
        try:
            return ctx.tr.format_date(ctx.locale, datetime.fromisoformat(value).date())
        except (TypeError, ValueError):
            return str(value)
    if field.kind is Kind.PHONE:
        return parsers.format_phone(str(value))
    if field.kind is Kind.GEMEENTE:
        return gemeente_label(value, ctx.env.directory)
    for option in field.suggestions:
        if option.id == value:
            return ctx.t(option.label)
    return str(value)


def item_summary(ctx: Reader, group: Group, entry: dict[str, Any]) -> Markup:
    """One item of a group (a child, a professional) on one line."""
    parts = [display(ctx, f, entry.get(f.key)) for f in group.fields
             if f.applies(entry) and entry.get(f.key) not in (None, "")]
    return Markup("، " if ctx.locale == "ar" else ", ").join(parts) or Markup("—")


def section_items(ctx: Reader, answers: dict[str, Any],
                  section: Section) -> list[tuple[Markup, str | Markup]]:
    """A section's answers as (label, value): every required or answered field, and each
    item of a group on a line of its own."""
    shown: list[tuple[Markup, str | Markup]] = []
    for item in applicable_fields(section, answers):
        if isinstance(item, Group):
            entries = answers.get(item.key) or []
            if not entries:
                shown.append((ctx.t(item.label), "—"))
            for index, entry in enumerate(entries):
                shown.append((ctx.t(item.item_label, n=index + 1),
                              item_summary(ctx, item, entry)))
        elif item.required or answers.get(item.key) not in (None, "", []):
            shown.append((ctx.t(item.label), display(ctx, item, answers.get(item.key))))
    return shown


def section_summary(ctx: Reader, answers: dict[str, Any], section: Section,
                    number: int) -> Markup:
    """A section's answers: its title, then a "label: value" line for each."""
    return lines(bold(Markup("{}. {}").format(number, ctx.t(section.title))),
                 *(labelled(label, value) for label, value in
                   section_items(ctx, answers, section)))


def option_list(ctx: Reader, options: tuple[Option, ...]) -> Markup:
    """Numbered options (a number typed chooses one)."""
    return lines(*(Markup("{}. {}").format(n, ctx.t(o.label))
                   for n, o in enumerate(options, start=1)))
