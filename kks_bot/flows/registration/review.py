"""Check and send: the whole registration by section with the triage advice, changing a
section, a group's items or a missing field, submitting it (a reference, the hand-off to
the coordinators), and cancelling the draft."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from conversations.schema import Group

from ...audit import audit
from ...db.models import Draft, ReferenceCounter, Registration, RegistrationEvent
from ...directory import gemeente_label
from ...forms import positions as pos
from ...forms.answers import save
from ...forms.display import item_summary, section_summary
from ...forms.screen import ask
from ...forms.walk import Walk
from ...i18n import N_, NP_
from ...kernel.buttons import grid
from ...kernel.context import HOME, Ctx
from ...kernel.events import Button
from ...text import Markup, bold, chunks, labelled, lines
from ...triage import advise
from .names import State

CHUNK_LIMIT = 3500  # a message's text, with room to spare under Telegram's 4,096


def review(ctx: Ctx, walk: Walk) -> None:
    """The whole registration, the advice, what is missing, and what can be done."""
    ctx.go(State.REVIEW, "review")
    if isinstance(walk.record, Draft):
        walk.record.position = "review"
    ctx.state.pop("history", None)
    ctx.state.pop("fill", None)
    form = walk.form
    parts = [ctx.t(N_("<b>Controleer je aanmelding.</b> Tik op een deel om het te "
                      "wijzigen."))]
    parts += [section_summary(ctx, walk.answers, s, n)
              for n, s in enumerate(form.sections, start=1)]
    advice = advise(walk.answers)
    parts.append(lines(
        "🧭 " + ctx.t(advice.text),
        *("· " + (ctx.tn(r.message, r.n) if isinstance(r.message, tuple)
                  else ctx.t(r.message)) for r in advice.reasons),
        ctx.t(N_("Dit is een advies; de coördinator beslist."))))
    municipality = walk.answers.get(form.municipality)
    if isinstance(municipality, str) and municipality not in ctx.covered:
        parts.append("⚠️ " + ctx.t(
            N_("{name} heeft nog geen actieve Knooppuntcoördinator in de bot. Je kunt "
               "toch versturen: de aanmelding wordt bewaard en doorgestuurd zodra er een "
               "coördinator is."), name=gemeente_label(municipality, ctx.env.directory)))
    missing = pos.missing_required(form, walk.answers, ctx.today())
    rows: list[list[Button]] = grid(
        [ctx.btn("✏️ " + Markup("{}. {}").format(n, ctx.t(s.title)), f"e:{s.key}")
         for n, s in enumerate(form.sections, start=1)], 1)
    if missing:
        parts.append(lines(
            "⚠️ " + ctx.tn(NP_("Nog {n} verplicht veld in te vullen:",
                               "Nog {n} verplichte velden in te vullen:"), len(missing)),
            *(Markup("· {} ({})").format(
                ctx.t(field.label), ctx.t(pos.parse_pos(form, at).section.title))
              for at, field in missing)))
        rows.insert(0, [ctx.btn("✏️ " + ctx.t(N_("Vul aan: {label}"),
                                              label=ctx.t(missing[0][1].label)),
                                f"fix:{missing[0][0]}")])
    else:
        rows.insert(0, [ctx.btn("📨 " + ctx.t(N_("Versturen")), "submit")])
    rows.append([ctx.btn("⏸ " + ctx.t(N_("Pauzeren")), "pause"),
                 ctx.btn("🗑 " + ctx.t(N_("Annuleren")), "cancel")])
    messages = chunks(parts, CHUNK_LIMIT)
    for message in messages[:-1]:
        ctx.say(message)
    ctx.say(messages[-1], rows)


def back_to_review(ctx: Ctx, walk: Walk) -> None:
    """"Back" at the first question of a change: the review again."""
    ctx.conv.step = walk.pos = "review"
    save(ctx, walk)
    review(ctx, walk)


async def review_action(ctx: Ctx, walk: Walk, kind: str, arg: str) -> None:
    if kind == "submit":
        await submit(ctx, walk)
    elif kind == "e":
        try:
            walk.form.section(arg)
        except KeyError:
            review(ctx, walk)
            return
        ctx.go(State.EDIT, arg)
        edit_menu(ctx, walk, arg)
    elif kind == "fix" and pos.is_valid_pos(walk.form, arg):
        start_edit(ctx, walk, arg)
    elif kind == "pause" and walk.spec.pause is not None:
        walk.spec.pause(ctx, walk)
    elif kind == "cancel":
        ask_cancel(ctx)
    else:
        review(ctx, walk)


def edit_menu(ctx: Ctx, walk: Walk, section_key: str) -> None:
    section = walk.form.section(section_key)
    rows: list[list[Button]] = []
    for item in pos.applicable_fields(section, walk.answers):
        rows.append([ctx.btn("✏️ " + ctx.t(item.label), f"pick:{item.key}")])
    rows.append([ctx.btn("⬅️ " + ctx.t(N_("Terug naar controleren")), "review")])
    ctx.say(ctx.t(N_("Wat wil je wijzigen in '{title}'?"), title=ctx.t(section.title)), rows)


def edit_action(ctx: Ctx, walk: Walk, kind: str, arg: str) -> None:
    if kind == "pick" and arg in walk.form.keys():
        item = walk.form.item(arg)
        if isinstance(item, Group):
            ctx.go(State.GROUPEDIT, item.key)
            group_menu(ctx, walk, item.key)
            return
        start_edit(ctx, walk, f"f:{arg}")
        return
    review(ctx, walk)


def start_edit(ctx: Ctx, walk: Walk, at: str) -> None:
    """Change one answer: what it opens is asked next, then back to the review."""
    ctx.go(State.FORM, at)
    ctx.state["fill"] = True
    ctx.state["history"] = []
    walk.pos = at
    walk.fill = True
    save(ctx, walk)
    ask(ctx, walk)


def group_menu(ctx: Ctx, walk: Walk, group_key: str) -> None:
    group = walk.form.item(group_key)
    assert isinstance(group, Group)
    items = walk.answers.get(group.key) or []
    shown = [bold(ctx.t(group.label))]
    rows: list[list[Button]] = []
    for index, entry in enumerate(items):
        title = ctx.t(group.item_label, n=index + 1)
        shown.append(labelled(title, item_summary(ctx, group, entry)))
        rows.append([ctx.btn("✏️ " + title, f"ge:{index}"),
                     ctx.btn("🗑 " + title, f"gd:{index}")])
    rows.append([ctx.btn("➕ " + ctx.t(group.add_first), "ga:")])
    rows.append([ctx.btn("⬅️ " + ctx.t(N_("Terug naar controleren")), "review:")])
    ctx.say(lines(*shown), rows)


def groupedit_action(ctx: Ctx, walk: Walk, kind: str, arg: str) -> None:
    group = walk.form.item(ctx.conv.step)
    assert isinstance(group, Group)
    items = list(walk.answers.get(group.key) or [])
    if kind == "gd" and arg.isdigit() and int(arg) < len(items):
        del items[int(arg)]
        walk.answers[group.key] = items
        save(ctx, walk)
        group_menu(ctx, walk, group.key)
    elif kind in ("ge", "ga"):
        if kind == "ga":
            items.append({})
            walk.answers[group.key] = items
            index = len(items) - 1
        elif arg.isdigit() and int(arg) < len(items):
            index = int(arg)
        else:
            group_menu(ctx, walk, group.key)
            return
        ctx.go(State.FORM, ctx.conv.step)
        ctx.state["fill"] = True
        ctx.state["history"] = []
        walk.fill = True
        walk.pos = pos.first_item_pos(group, index)
        ctx.conv.step = walk.pos
        save(ctx, walk)
        ask(ctx, walk)
    else:
        review(ctx, walk)


async def submit(ctx: Ctx, walk: Walk) -> None:
    """Send it: a reference, the registration sealed, the draft and its chat gone, the
    coordinators of the municipality told at once (the hand-off's entry)."""
    env = ctx.env
    missing = pos.missing_required(walk.form, walk.answers, ctx.today())
    draft = walk.record
    if missing or not isinstance(draft, Draft):
        review(ctx, walk)
        return
    data = pos.clean_answers(walk.form, walk.answers)
    reference = await next_reference(ctx)
    registration_id = str(uuid.uuid4())
    municipality = data.get(walk.form.municipality)
    registration = Registration(
        id=registration_id, reference=reference, owner_id=ctx.account.user_id,
        form=walk.form.key,
        gemeente_code=municipality if isinstance(municipality, str)
        and env.directory.get(municipality) is not None else None,
        status="ingediend",
        data_sealed=env.cipher.seal_json({"answers": data, "locale": ctx.locale},
                                         f"registration:{registration_id}"),
        started_at=draft.created_at, submitted_at=ctx.now, updated_at=ctx.now,
    )
    ctx.session.add(registration)
    await ctx.session.flush()
    audit(ctx.session, ctx.now, ctx.account.user_id, "submitted", registration_id)
    delivered = await ctx.enter("handoff", registration=registration)
    ctx.session.add(RegistrationEvent(registration_id=registration_id, status="ingediend",
                                      actor_id=ctx.account.user_id, at=ctx.now))
    await ctx.session.delete(draft)
    ctx.delete_tags.append(f"d:{draft.id}")
    ctx.go(HOME)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.tag = None
    name = gemeente_label(municipality, env.directory)
    urgent = walk.form.urgent is not None and walk.form.urgent.holds(data)
    ctx.say(lines(
        "✅ " + ctx.t(N_("Je aanmelding is verstuurd.")),
        ctx.t(N_("Kenmerk: {reference}"), reference=reference),
        ctx.t(N_("Gemeente: {name}"), name=name),
        "",
        ctx.t(N_("Wat nu? De Knooppuntcoördinator van {name} bekijkt je aanmelding en neemt "
                 "contact met je op als er vragen zijn."), name=name) if delivered
        else ctx.t(N_("{name} heeft nog geen actieve Knooppuntcoördinator in de bot. Je "
                      "aanmelding is bewaard en gaat naar de coördinator zodra die er is; "
                      "de beheerder is gewaarschuwd."), name=name),
        ctx.t(N_("Bij spoed plant de coördinator meteen een Knooppuntoverleg.")) if urgent
        else ctx.t(N_("Kan het wachten, dan plant de coördinator het gezin in voor het "
                      "eerstvolgende Knooppuntoverleg.")),
        ctx.t(N_("De status zie je met /mijnaanmeldingen.")),
        "",
        ctx.t(N_("De vragen en je antwoorden haal ik nu uit deze chat."))),
        ctx.menu_buttons(), tag=None)


async def next_reference(ctx: Ctx) -> str:
    """KKS-<year>-<number>: counted per year, under a row lock on PostgreSQL."""
    year = ctx.now.astimezone(ctx.env.tz).year
    counter = (await ctx.session.execute(
        select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
    )).scalar_one_or_none()
    if counter is None:
        counter = ReferenceCounter(year=year, last=0)
        ctx.session.add(counter)
    counter.last += 1
    return f"KKS-{year}-{counter.last:04d}"


# ------------------------------------------------------------------ cancel


def ask_cancel(ctx: Ctx) -> None:
    """Really delete the draft? (Where to return is remembered.)"""
    ctx.state["cancel_return"] = [ctx.conv.flow, ctx.conv.step]
    ctx.go(State.CANCEL, ctx.conv.step)
    show_cancel(ctx)


def show_cancel(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Weet je zeker dat je deze aanmelding wilt annuleren? Het concept "
                     "wordt dan gewist.")),
            [[ctx.btn("🗑 " + ctx.t(N_("Ja, wis het concept")), "yes:"),
              ctx.btn(ctx.t(N_("Nee, ga door")), "no:")]])


async def cancel_answer(ctx: Ctx, kind: str) -> None:
    if kind == "yes":
        draft = await ctx.session.get(Draft, ctx.conv.draft_id) if ctx.conv.draft_id \
            else None
        if draft is not None and draft.owner_id == ctx.account.user_id:
            await ctx.session.delete(draft)
            ctx.delete_tags.append(f"d:{draft.id}")
        ctx.go(HOME)
        ctx.conv.draft_id = None
        ctx.state.clear()
        ctx.tag = None
        ctx.say(ctx.t(N_("Het concept is gewist.")), ctx.menu_buttons(), tag=None)
        return
    flow, step = ctx.state.pop("cancel_return", [State.FORM, ctx.conv.step])
    ctx.go(flow, step)
    await ctx.reprompt()
