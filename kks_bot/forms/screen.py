"""Asking the question at a walk's position: one message with the progress line, the
question, what is filled in now, and buttons for every choice plus the navigation."""

from __future__ import annotations

from conversations.schema import Field, Kind, Option

from ..i18n_markers import N_, NP_
from ..kernel.buttons import grid
from ..kernel.context import Ctx
from ..kernel.events import Button
from ..safety import safety_button
from ..text import Markup, bold, italic, labelled, lines
from . import positions as pos
from .display import display, item_summary, option_list
from .walk import Act, Walk, option_value

YES_NO = (Option("ja", N_("Ja")), Option("nee", N_("Nee")))


def progress(ctx: Ctx, walk: Walk, step: pos.Step) -> Markup | None:
    """Where the user is: "Deel 3 van 8 · Gegevens moeder · vraag 2 van 17"."""
    if not walk.spec.progress:
        return None
    sections = walk.form.sections
    # Questions that apply, or may still apply (their condition is not answered yet).
    items = [i for i in step.section.items if i.applies(walk.answers)
             or any(c.key not in walk.answers for c in i.when)]
    key = step.group.key if step.group else (step.field.key if step.field else "")
    keys = [i.key for i in items]
    number = keys.index(key) + 1 if key in keys else 1
    if len(sections) == 1:
        return ctx.t(N_("{title} · vraag {number} van {count}"),
                     title=ctx.t(step.section.title), number=number,
                     count=max(len(items), 1))
    return ctx.t(N_("Deel {section} van {sections} · {title} · vraag {number} van {count}"),
                 section=sections.index(step.section) + 1, sections=len(sections),
                 title=ctx.t(step.section.title), number=number, count=max(len(items), 1))


def nav(ctx: Ctx, walk: Walk, field: Field | None, *, can_skip: bool) -> list[list[Button]]:
    """Back, skip, help, and what this kind of walk carries on every step."""
    spec = walk.spec
    first = []
    if ctx.state.get("history") or ctx.state.get("fill"):
        first.append(ctx.btn("⬅️ " + ctx.t(N_("Terug")), Act.BACK))
    if can_skip:
        first.append(ctx.btn("⏭ " + ctx.t(N_("Overslaan")), Act.SKIP))
    rows = [first] if first else []
    second = []
    if field is not None:
        second.append(ctx.btn("❓ " + ctx.t(N_("Uitleg")), Act.HELP))
    if spec.pause_cancel:
        second.append(ctx.btn("⏸ " + ctx.t(N_("Pauzeren")), Act.PAUSE))
        second.append(ctx.btn("🗑 " + ctx.t(N_("Annuleren")), Act.CANCEL))
    elif spec.stop_action:
        second.append(ctx.btn(ctx.t(N_("Stoppen")), spec.stop_action))
    if second:
        rows.append(second)
    if spec.safety:
        rows.append([safety_button(ctx)])  # one tap away, on every step
    return rows


def ask(ctx: Ctx, walk: Walk, *, replace: int | None = None) -> None:
    """Show the question at ``walk.pos`` (or end the walk there)."""
    if walk.pos in ("", "review"):
        walk.spec.end(ctx, walk)
        return
    step = pos.parse_pos(walk.form, walk.pos)
    header = progress(ctx, walk, step)
    head = italic(header) + "\n" if header else Markup("")
    if walk.pos.startswith("confirm:"):
        _ask_confirm(ctx, walk, step, head)
        return
    if step.field is None:
        _ask_group(ctx, walk, step, head)
        return
    field = step.field
    if step.group is not None and step.item_index is not None:
        head += italic(ctx.t(step.group.item_label, n=step.item_index + 1)) + "\n"
    shown = [head + bold(ctx.t(field.question))]
    current = pos.get_value(step, walk.answers)
    known = pos.has_answer(step, walk.answers) and current is not None
    rows: list[list[Button]] = []
    if field.kind is Kind.MULTI:
        selection = ctx.state.get("sel")
        if selection is None or ctx.state.get("sel_pos") != walk.pos:
            selection = list(current) if isinstance(current, list) else \
                list(field.default) if isinstance(field.default, list) else []
            ctx.state["sel"], ctx.state["sel_pos"] = selection, walk.pos
        shown.append(option_list(ctx, field.options))
        rows = _toggle_rows(ctx, field, selection)
    elif field.kind in (Kind.CHOICE, Kind.YESNO):
        options = field.options if field.kind is Kind.CHOICE else YES_NO
        rows = grid([ctx.btn(("✅ " if current == option_value(field, o) else "")
                             + ctx.t(o.button), f"{Act.OPTION}:{o.id}") for o in options],
                    2 if field.kind is Kind.YESNO or len(options) > 6 else 1)
        if known:
            shown.append(ctx.t(N_("Nu: {value}"), value=display(ctx, field, current)))
    elif field.kind is Kind.GEMEENTE:
        suggested = [m for m in (ctx.env.directory.get(c)
                                 for c in ctx.state.get("gem_suggest", [])) if m]
        if len(suggested) == 1:
            shown = [head + bold(ctx.t(N_("Gemeente {name}, klopt dat?"),
                                       name=suggested[0].name))]
        elif suggested:
            shown = [head + bold(ctx.t(N_("Deze postcode ligt in meer gemeenten. "
                                          "Welke is het?")))]
        elif ctx.state.get("gem_other"):
            shown = [head + bold(ctx.t(N_("Typ de naam van de gemeente.")))]
        elif known:
            shown.append(ctx.t(N_("Nu: {value}"), value=display(ctx, field, current)))
        rows = _municipality_rows(ctx, current)
    else:
        if known:
            shown.append(ctx.t(N_("Nu: {value}"), value=display(ctx, field, current)))
            rows.append([ctx.btn("✔️ " + ctx.t(N_("Zo laten")), Act.KEEP)])
        suggestions = list(field.suggestions)
        hint = walk.answers.get(field.suggest_from) if field.suggest_from else None
        if hint and step.group is None and not known:
            suggestions = [Option(str(hint), str(hint))]
        if suggestions:
            rows.extend(grid([ctx.btn(ctx.t(o.button) if o.id != hint else o.button,
                                      f"{Act.SUGGESTION}:{i}")
                              for i, o in enumerate(suggestions)], 2))
        if field.kind is Kind.TEXT and field.max_length > 300:
            shown.append(ctx.tn(NP_("Typ je antwoord (maximaal {n} teken).",
                                    "Typ je antwoord (maximaal {n} tekens)."), field.max_length))
    can_skip = not field.required and field.kind is not Kind.MULTI
    rows.extend(nav(ctx, walk, field, can_skip=can_skip))
    ctx.say(lines(*shown), rows, replace=replace)


def _toggle_rows(ctx: Ctx, field: Field, selection: list[str]) -> list[list[Button]]:
    buttons = [ctx.btn(("☑️ " if o.id in selection else "⬜ ") + f"{n}. " + ctx.t(o.button),
                       f"{Act.TOGGLE}:{o.id}") for n, o in enumerate(field.options, start=1)]
    rows = grid(buttons, 1)
    done = ctx.t(N_("Klaar")) if selection else ctx.t(N_("Geen van deze"))
    rows.append([ctx.btn("✅ " + done, Act.DONE)])
    return rows


def _municipality_rows(ctx: Ctx, current: object) -> list[list[Button]]:
    directory = ctx.env.directory
    suggested = [m for m in (directory.get(c) for c in ctx.state.get("gem_suggest", []))
                 if m is not None]
    if len(suggested) == 1:
        return [[ctx.btn("✅ " + ctx.t(N_("Ja, {name}"), name=suggested[0].name),
                         f"{Act.MUNICIPALITY}:{suggested[0].code}"),
                 ctx.btn(ctx.t(N_("Andere gemeente")), f"{Act.MUNICIPALITY}:list")]]
    if suggested:
        return [[ctx.btn(m.name, f"{Act.MUNICIPALITY}:{m.code}")] for m in suggested] + [
            [ctx.btn(ctx.t(N_("Andere gemeente")), f"{Act.MUNICIPALITY}:list")]]
    rows = grid([ctx.btn(("✅ " if current == m.code else "") + m.name,
                         f"{Act.MUNICIPALITY}:{m.code}") for m in directory.all()], 2)
    rows.append([ctx.btn(ctx.t(N_("Andere gemeente (buiten Zuid-Limburg)")),
                         f"{Act.MUNICIPALITY}:other")])
    return rows


def _ask_confirm(ctx: Ctx, walk: Walk, step: pos.Step, head: Markup) -> None:
    shown = [head + bold(ctx.t(step.section.title))]
    for field in pos.prefilled_fields(step.section):
        if field.applies(walk.answers):
            shown.append(labelled(ctx.t(field.label),
                                  display(ctx, field, walk.answers.get(field.key))))
    shown.append(Markup(""))
    shown.append(ctx.t(N_("Klopt dit?")))
    rows = [[ctx.btn("✅ " + ctx.t(N_("Ja, klopt")), f"{Act.CONFIRM}:yes"),
             ctx.btn("✏️ " + ctx.t(N_("Wijzigen")), f"{Act.CONFIRM}:change")]]
    rows.extend(nav(ctx, walk, None, can_skip=False))
    ctx.say(lines(*shown), rows)


def _ask_group(ctx: Ctx, walk: Walk, step: pos.Step, head: Markup) -> None:
    group = step.group
    assert group is not None
    items = walk.answers.get(group.key) or []
    shown = [head + bold(ctx.t(group.question))]
    for index, entry in enumerate(items):
        shown.append(labelled(ctx.t(group.item_label, n=index + 1),
                              item_summary(ctx, group, entry)))
    if items:
        rows = [[ctx.btn("➕ " + ctx.t(group.add_more), f"{Act.GROUP}:add"),
                 ctx.btn("✅ " + ctx.t(N_("Klaar")), f"{Act.GROUP}:done")]]
    else:
        rows = [[ctx.btn("➕ " + ctx.t(group.add_first), f"{Act.GROUP}:add")],
                [ctx.btn(ctx.t(group.none_label), f"{Act.GROUP}:done")]]
    rows.extend(nav(ctx, walk, None, can_skip=False))
    ctx.say(lines(*shown), rows)


def show_help(ctx: Ctx, walk: Walk) -> None:
    """The current question's explanation, on top of the question asked again."""
    if walk.pos in ("", "review"):
        return
    step = pos.parse_pos(walk.form, walk.pos)
    text = ctx.t(step.field.help) if step.field else \
        ctx.t(step.group.help) if step.group else ctx.t(N_("Kies een knop."))
    ctx.note("ℹ️ " + text)
