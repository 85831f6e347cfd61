"""What the user does at a walk's question: a typed answer (parsed, or refused kindly with
the question asked again and nothing changed), a button (an option, a tick, a suggestion,
skip, back, help), and moving on to the next question that applies."""

from __future__ import annotations

from typing import Any

from conversations.schema import Field, Kind, Option

from ..i18n_markers import N_
from ..kernel.context import Ctx
from . import parsers
from . import positions as pos
from .screen import ask, show_help
from .walk import Act, Walk, yes_no


class Refusal(Exception):
    """An answer we refuse with a friendly message (asked again, nothing changed)."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


_PENDING = object()  # a municipality typed as a postcode: asked to confirm first


async def typed(ctx: Ctx, walk: Walk) -> None:
    """A typed answer at the current step."""
    if not walk.pos or walk.pos == "review":
        await ctx.reprompt()
        return
    step = pos.parse_pos(walk.form, walk.pos)
    field = step.field
    if field is not None and field.family_data and walk.spec.private \
            and ctx.env.settings.delete_answer_messages:
        ctx.delete_message(ctx.event.message_id)
    if field is None:
        if step.group is None and (value := yes_no(ctx.event.text)) is not None:
            await pressed(ctx, walk, Act.CONFIRM, "yes" if value else "change")
            return
        ctx.note(ctx.t(N_("Kies een van de knoppen.")))
        ask(ctx, walk)
        return
    try:
        value = _value(ctx, walk, field, ctx.event.text)
    except (parsers.ParseError, Refusal) as exc:
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        ask(ctx, walk)
        return
    if value is _PENDING:
        ask(ctx, walk)
        return
    answer(ctx, walk, step, value)


def _value(ctx: Ctx, walk: Walk, field: Field, text: str) -> Any:
    if field.kind is Kind.MULTI:
        raise Refusal(N_("Tik de knoppen aan die passen en kies daarna 'Klaar'."))
    if field.kind is Kind.YESNO:
        value = yes_no(text)
        if value is None:
            raise Refusal(N_("Kies 'ja' of 'nee' met de knoppen."))
        return value
    if field.kind is Kind.CHOICE:
        option = match_option(ctx, field.options, text)
        if option is None:
            raise Refusal(N_("Dat staat niet in de lijst. Kies een van de knoppen."))
        return option.id
    if field.kind is Kind.GEMEENTE:
        return _typed_municipality(ctx, walk, field, text)
    if field.kind is Kind.TEXT and field.suggestions:
        option = match_option(ctx, field.suggestions, text, numbers=False)
        if option is not None:
            return option.id
    return pos.parse_typed(field, text, ctx.today())


def match_option(ctx: Ctx, options: tuple[Option, ...], text: str, *,
                 numbers: bool = True) -> Option | None:
    """The option whose number, label or id was typed (in any of the languages)."""
    wanted = " ".join(parsers.normalize_digits(text).casefold().split())
    if numbers and wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1]
    for option in options:
        names = {option.label, option.button, ctx.tr.gettext(ctx.locale, option.label),
                 ctx.tr.gettext(ctx.locale, option.button), option.id}
        if wanted in {" ".join(n.casefold().split()) for n in names}:
            return option
    return None


def _typed_municipality(ctx: Ctx, walk: Walk, field: Field, text: str) -> Any:
    directory = ctx.env.directory
    if ctx.state.get("gem_other"):
        name = parsers.parse_text(text, max_length=80)
        known = directory.find_by_name(name)
        ctx.state.pop("gem_other", None)
        return known.code if known else f"anders:{name}"
    known = directory.find_by_name(text)
    if known is not None:
        return known.code
    digits = parsers.normalize_digits(text).replace(" ", "")
    try:
        if len(digits) == 4 and digits.isdigit():
            number = int(digits)
        else:
            postcode = parsers.parse_postcode(text)
            number = parsers.postcode_digits(postcode)
            if field.remember:
                walk.answers[field.remember] = postcode
                save(ctx, walk)
    except parsers.ParseError:
        raise Refusal(N_("Dat herken ik niet als gemeente of postcode. Kies de gemeente "
                         "met een knop, of typ een postcode als 6411 AB.")) from None
    matches = directory.suggest(number)
    if not matches:
        ctx.say(ctx.t(N_("Bij postcode {postcode} ken ik geen gemeente. Kies de gemeente "
                         "hieronder."), postcode=digits[:4]))
        ctx.state.pop("gem_suggest", None)
        return _PENDING
    ctx.state["gem_suggest"] = [m.code for m in matches]
    return _PENDING


async def pressed(ctx: Ctx, walk: Walk, kind: str, arg: str) -> None:
    """A button of the current step."""
    if not walk.pos or walk.pos == "review":
        await ctx.reprompt()
        return
    step = pos.parse_pos(walk.form, walk.pos)
    field = step.field
    if kind == Act.BACK:
        back(ctx, walk)
    elif kind == Act.HELP:
        show_help(ctx, walk)
        ask(ctx, walk)
    elif kind == Act.PAUSE and walk.spec.pause is not None:
        walk.spec.pause(ctx, walk)
    elif kind == Act.CANCEL:
        await ctx.flow.cancel(ctx)
    elif kind == Act.SKIP and field is not None and not field.required:
        answer(ctx, walk, step, None)
    elif kind == Act.KEEP and field is not None and pos.has_answer(step, walk.answers):
        answer(ctx, walk, step, pos.get_value(step, walk.answers))
    elif kind == Act.OPTION and field is not None and field.kind in (Kind.CHOICE, Kind.YESNO):
        if field.kind is Kind.YESNO and arg in ("ja", "nee"):
            answer(ctx, walk, step, arg == "ja")
        elif field.option(arg) is not None:
            answer(ctx, walk, step, arg)
        else:
            ask(ctx, walk)
    elif kind == Act.SUGGESTION and field is not None and arg.isdigit():
        hint = walk.answers.get(field.suggest_from) if field.suggest_from else None
        if hint:
            answer(ctx, walk, step, hint)
        elif int(arg) < len(field.suggestions):
            answer(ctx, walk, step, field.suggestions[int(arg)].id)
        else:
            ask(ctx, walk)
    elif kind == Act.TOGGLE and field is not None and field.kind is Kind.MULTI \
            and field.option(arg):
        _toggle(ctx, walk, field, arg)
    elif kind == Act.DONE and field is not None and field.kind is Kind.MULTI:
        selection = ctx.state.get("sel") or []
        if field.required and not selection:
            ctx.note("⚠️ " + ctx.t(N_("Kies minstens één.")))
            ask(ctx, walk)
            return
        ctx.state.pop("sel", None)
        ctx.state.pop("sel_pos", None)
        answer(ctx, walk, step, list(selection))
    elif kind == Act.MUNICIPALITY and field is not None and field.kind is Kind.GEMEENTE:
        _municipality(ctx, walk, step, arg)
    elif kind == Act.CONFIRM and walk.pos.startswith("confirm:"):
        if arg == "yes":
            move(ctx, walk, pos.next_pos(walk.form, walk.pos, walk.answers))
        else:
            first = next(f for f in step.section.items if f.applies(walk.answers))
            move(ctx, walk, f"f:{first.key}")
    elif kind == Act.GROUP and step.group is not None and step.field is None:
        _group(ctx, walk, step, arg)
    else:
        ask(ctx, walk)


def _toggle(ctx: Ctx, walk: Walk, field: Field, option: str) -> None:
    selection: list[str] = ctx.state.get("sel") or []
    if option in selection:
        selection.remove(option)
    else:
        selection.append(option)
    ctx.state["sel"] = [o.id for o in field.options if o.id in selection]
    ctx.keep_seq()  # same message, same buttons: keep the nonce
    ask(ctx, walk, replace=ctx.event.button_message_id)


def _municipality(ctx: Ctx, walk: Walk, step: pos.Step, arg: str) -> None:
    ctx.state.pop("gem_suggest", None)
    if arg == "list":
        ask(ctx, walk)
    elif arg == "other":
        ctx.state["gem_other"] = True
        ask(ctx, walk)
    elif ctx.env.directory.get(arg) is not None:
        answer(ctx, walk, step, arg)
    else:
        ask(ctx, walk)


def _group(ctx: Ctx, walk: Walk, step: pos.Step, arg: str) -> None:
    group = step.group
    assert group is not None
    items = list(walk.answers.get(group.key) or [])
    if arg == "add":
        if len(items) >= group.max_items:
            ctx.note("⚠️ " + ctx.t(N_("Meer kan ik er niet toevoegen.")))
            ask(ctx, walk)
            return
        items.append({})
        walk.answers[group.key] = items
        move(ctx, walk, pos.first_item_pos(group, len(items) - 1))
    elif arg == "done":
        walk.answers[group.key] = items
        move(ctx, walk, following(walk, walk.pos))
    else:
        ask(ctx, walk)


def following(walk: Walk, at: str) -> str | None:
    """The next position after ``at`` (in fill mode: only what is new or missing)."""
    return pos.next_pos(walk.form, at, walk.answers, fill=walk.fill)


def answer(ctx: Ctx, walk: Walk, step: pos.Step, value: Any) -> None:
    """Store ``value`` at ``step`` and go on."""
    walk.answers = pos.set_value(step, walk.answers, value)
    ctx.state.pop("gem_suggest", None)
    ctx.state.pop("gem_other", None)
    move(ctx, walk, following(walk, walk.pos))


def move(ctx: Ctx, walk: Walk, nxt: str | None) -> None:
    """Go to ``nxt`` (None: the end), remembering where we came from."""
    history: list[str] = ctx.state.setdefault("history", [])
    if walk.pos and walk.pos != nxt:
        history.append(walk.pos)
        del history[:-80]
    walk.pos = nxt or "review"
    if walk.spec.moved is not None:
        walk.spec.moved(ctx, walk)
    ctx.conv.step = walk.pos
    save(ctx, walk)
    ask(ctx, walk)


def save(ctx: Ctx, walk: Walk) -> None:
    walk.spec.save(ctx, walk)


def back(ctx: Ctx, walk: Walk) -> None:
    """To the previous question that still exists."""
    history: list[str] = ctx.state.get("history", [])
    ctx.state.pop("sel", None)
    ctx.state.pop("gem_suggest", None)
    ctx.state.pop("gem_other", None)
    while history:
        previous = history.pop()
        if pos.is_valid_pos(walk.form, previous):
            walk.pos = previous
            ctx.conv.step = previous
            save(ctx, walk)
            ask(ctx, walk)
            return
    if ctx.state.get("fill") and walk.spec.back_from_fill is not None:
        walk.spec.back_from_fill(ctx, walk)
        return
    ctx.note(ctx.t(N_("Dit is de eerste vraag.")))
    ask(ctx, walk)
