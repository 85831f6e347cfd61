"""Starting a registration: the family's consent first (nothing is stored without it),
then a draft that expires; open drafts to go on with; pausing; the daily sweep that warns
before a draft expires and deletes it when it has."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ...db.models import Account, Conversation, Draft
from ...forms.positions import next_pos, parse_pos
from ...forms.screen import ask
from ...forms.walk import Walk, WalkSpec
from ...i18n import N_, NP_
from ...kernel.context import HOME, Ctx, Env
from ...kernel.events import Button
from ...profile import SOURCE, complete, profile_answers, save_profile
from ...text import bold, italic, lines
from .names import State

#: What the guided check may fill in of a new registration (ticks, never typed text).
CHECK_PREFILL = ("zwanger", "urgente_kwetsbaarheden", "kwetsbaarheden",
                 "beschermende_factoren")


def seal(env: Env, draft: Draft, answers: dict[str, Any]) -> None:
    draft.answers_sealed = env.cipher.seal_json(answers, f"draft:{draft.id}")


def unseal(env: Env, draft: Draft) -> dict[str, Any]:
    value: dict[str, Any] = env.cipher.open_json(draft.answers_sealed, f"draft:{draft.id}")
    return value


def save_draft(ctx: Ctx, walk: Walk) -> None:
    """The form walk's answers and position live in the draft (sealed)."""
    draft = walk.record
    if isinstance(draft, Draft):
        seal(ctx.env, draft, walk.answers)
        draft.position = walk.pos
        draft.updated_at = ctx.now


def keep_first_profile(ctx: Ctx, walk: Walk) -> None:
    """Crossing out of the registrant's section without a profile: keep it as one."""
    leaving = not (walk.pos.startswith("f:")
                   and walk.form.section_of(walk.pos[2:]).key == SOURCE.key)
    if ctx.account.profile_sealed is None and leaving and complete(walk.answers):
        save_profile(ctx, walk.answers)


def pause(ctx: Ctx, walk: Walk) -> None:
    """Stop for now; the draft stays where it is until it expires."""
    if isinstance(walk.record, Draft):
        ctx.say(ctx.t(N_("Gepauzeerd. Je concept is bewaard tot {date}. Ga verder met "
                         "/aanmelden."), date=ctx.date(walk.record.expires_at)), tag=None)
    ctx.go(HOME)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.tag = None


def form_spec(end: Any, back_from_fill: Any) -> WalkSpec:
    """The aanmeldformulier's walk (its end and "back" to the review are the review's)."""
    return WalkSpec("form", end=end, save=save_draft, pause_cancel=True, safety=True,
                    private=True, pause=pause, moved=keep_first_profile,
                    back_from_fill=back_from_fill)


async def draft_walk(ctx: Ctx, spec: WalkSpec) -> Walk | None:
    """The walk over the user's current draft, or back to the menu if it is gone."""
    draft = await ctx.session.get(Draft, ctx.conv.draft_id) if ctx.conv.draft_id else None
    if draft is None or draft.owner_id != ctx.account.user_id:
        ctx.say(ctx.t(N_("Dit concept bestaat niet meer (verlopen of gewist).")), tag=None)
        ctx.home()
        return None
    return Walk(ctx.env.form, unseal(ctx.env, draft), ctx.conv.step, spec,
                tag=f"d:{draft.id}", record=draft, fill=bool(ctx.state.get("fill")))


async def leave(ctx: Ctx) -> None:
    """Leaving a draft keeps it; say so, with the date it expires."""
    if ctx.conv.draft_id:
        draft = await ctx.session.get(Draft, ctx.conv.draft_id)
        if draft is not None:
            ctx.say(ctx.t(N_("Je concept is bewaard tot {date}. Ga verder met /aanmelden."),
                          date=ctx.date(draft.expires_at)), tag=None)


# ------------------------------------------------------------------ consent


async def aanmelden(ctx: Ctx) -> None:
    """/aanmelden: go on with an open draft, or start anew with the family's consent."""
    await ctx.leave()
    drafts = await open_drafts(ctx)
    if drafts:
        ctx.go(State.DRAFTS)
        await list_drafts(ctx, drafts)
        return
    start_consent(ctx)


async def from_check(ctx: Ctx, args: dict[str, Any]) -> bool:
    """The entry for the guided check's "Aanmelden": its ticks filled in."""
    start_consent(ctx, dict(args.get("prefill") or {}))
    return True


def start_consent(ctx: Ctx, prefill: dict[str, Any] | None = None) -> None:
    ctx.go(State.CONSENT)
    ctx.conv.draft_id = None
    ctx.state.clear()
    if prefill:
        ctx.state["prefill"] = prefill
    ctx.tag = None
    ask_consent(ctx)


def ask_consent(ctx: Ctx) -> None:
    question = ctx.env.form.field(ctx.env.form.consent)
    ctx.say(
        lines(italic(ctx.t(N_("Nieuwe aanmelding"))), bold(ctx.t(question.question)), "",
              ctx.t(question.help)),
        [[ctx.btn(ctx.t(N_("Ja")), "yes"), ctx.btn(ctx.t(N_("Nee")), "no")],
         [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]],
    )


async def consent_answer(ctx: Ctx, consent: bool, spec: WalkSpec) -> None:
    env = ctx.env
    if not consent:
        ctx.go(HOME)
        ctx.say(
            lines(ctx.t(N_("Zonder toestemming van het gezin kun je nog niet aanmelden. "
                           "Bespreek het eerst met het gezin: aanmelden gebeurt samen met "
                           "hen.")), "",
                  ctx.t(N_("Je kunt wel anoniem overleggen (sparren) met de "
                           "Knooppuntcoördinator van de gemeente. Noem dan geen namen of "
                           "andere gegevens waaraan het gezin te herkennen is.")), "",
                  ctx.t(N_("Ik heb niets over het gezin bewaard."))),
            ctx.menu_buttons(), tag=None)
        return
    draft_id = str(uuid.uuid4())
    answers: dict[str, Any] = {env.form.consent: True}
    answers.update(profile_answers(ctx))
    answers.update({k: v for k, v in (ctx.state.get("prefill") or {}).items()
                    if k in CHECK_PREFILL})
    expires = ctx.now + env.settings.draft_ttl
    ctx.go(State.FORM)
    ctx.conv.draft_id = draft_id
    ctx.tag = f"d:{draft_id}"
    ctx.state.clear()
    position = next_pos(env.form, f"f:{env.form.consent}", answers) or ""
    ctx.conv.step = position
    draft = Draft(id=draft_id, owner_id=ctx.account.user_id, form=env.form.key,
                  position=position, answers_sealed="", created_at=ctx.now,
                  updated_at=ctx.now, expires_at=expires)
    seal(env, draft, answers)
    ctx.session.add(draft)
    ctx.say(ctx.t(N_("Je aanmelding is gestart. Ik bewaar je antwoorden als concept tot "
                     "{date}; daarna wis ik het. Stoppen en later verdergaan kan altijd "
                     "met /aanmelden."), date=ctx.date(expires)))
    ask(ctx, Walk(env.form, answers, position, spec, tag=ctx.tag, record=draft))


# ------------------------------------------------------------------ open drafts


async def open_drafts(ctx: Ctx) -> list[Draft]:
    result = await ctx.session.execute(
        select(Draft).where(Draft.owner_id == ctx.account.user_id,
                            Draft.expires_at > ctx.now).order_by(Draft.created_at))
    return list(result.scalars())


async def list_drafts(ctx: Ctx, drafts: list[Draft] | None = None) -> None:
    if drafts is None:
        drafts = await open_drafts(ctx)
    if not drafts:
        start_consent(ctx)
        return
    shown = [ctx.tn(NP_("Je hebt {n} open concept.", "Je hebt {n} open concepten."),
                    len(drafts))]
    rows: list[list[Button]] = []
    for number, draft in enumerate(drafts, start=1):
        shown.append(ctx.t(N_("{number}. Gestart {started}, nu bij: {where}. "
                              "Verloopt {expires}."),
                           number=number, started=ctx.date(draft.created_at),
                           where=_position_title(ctx, draft.position),
                           expires=ctx.date(draft.expires_at)))
        rows.append([ctx.btn(ctx.t(N_("Verder met concept {number}"), number=number),
                             f"go:{number}")])
    rows.append([ctx.btn("📝 " + ctx.t(N_("Nieuwe aanmelding")), "new:")])
    rows.append([ctx.btn(ctx.t(N_("Menu")), "menu:menu")])
    ctx.state["drafts"] = [d.id for d in drafts]
    ctx.say(lines(*shown), rows, tag=None)


def _position_title(ctx: Ctx, position: str) -> str:
    if position in ("review", ""):
        return ctx.t(N_("controleren en versturen"))
    try:
        return ctx.t(parse_pos(ctx.env.form, position).section.title)
    except (KeyError, ValueError, AssertionError):
        return "?"


async def drafts_action(ctx: Ctx, kind: str, arg: str, spec: WalkSpec,
                        review: Any) -> None:
    if kind == "new":
        start_consent(ctx)
        return
    ids: list[str] = ctx.state.get("drafts", [])
    if kind == "go" and arg.isdigit() and 1 <= int(arg) <= len(ids):
        draft = await ctx.session.get(Draft, ids[int(arg) - 1])
        if draft is None or draft.owner_id != ctx.account.user_id \
                or draft.expires_at <= ctx.now:
            ctx.say(ctx.t(N_("Dat concept bestaat niet meer.")))
            await list_drafts(ctx)
            return
        ctx.state.clear()
        ctx.conv.draft_id = draft.id
        ctx.tag = f"d:{draft.id}"
        answers = unseal(ctx.env, draft)
        ctx.say(ctx.t(N_("We gaan verder met je concept. Het blijft bewaard tot {date}."),
                      date=ctx.date(draft.expires_at)))
        if draft.position == "review":
            ctx.go(State.REVIEW, "review")
            review(ctx, Walk(ctx.env.form, answers, "review", spec, tag=ctx.tag,
                             record=draft))
            return
        ctx.go(State.FORM, draft.position)
        ask(ctx, Walk(ctx.env.form, answers, draft.position, spec, tag=ctx.tag,
                      record=draft))
        return
    await list_drafts(ctx)


# ------------------------------------------------------------------ the sweep


async def sweep(env: Env) -> int:
    """Warn about drafts that expire soon and delete expired ones (with a message);
    returns how many were deleted."""
    now = env.clock.now()
    deleted = 0
    warn_before = now + timedelta(days=env.settings.draft_warning_days)
    async with env.sessions() as session, session.begin():
        expired = (await session.execute(
            select(Draft).where(Draft.expires_at <= now))).scalars().all()
        for draft in expired:
            account = await session.get(Account, draft.owner_id)
            locale = account.locale if account else env.settings.default_locale
            conv = await session.get(Conversation, draft.owner_id)
            if conv is not None and conv.draft_id == draft.id:
                conv.flow, conv.step, conv.draft_id, conv.state_sealed = "menu", "", None, None
            await session.delete(draft)
            env.send(session, draft.owner_id, locale, now, env.tr.t(
                locale, N_("Je concept-aanmelding van {date} is verlopen en gewist."),
                date=env.date(locale, draft.created_at)))
            env.enqueue(session, draft.owner_id, "delete_tag", {"locale": locale}, now,
                        tag=f"d:{draft.id}")
            deleted += 1
        warn = (await session.execute(
            select(Draft).where(Draft.expires_at <= warn_before, Draft.expires_at > now,
                                Draft.warned_at.is_(None)))).scalars().all()
        for draft in warn:
            account = await session.get(Account, draft.owner_id)
            locale = account.locale if account else env.settings.default_locale
            draft.warned_at = now
            env.send(session, draft.owner_id, locale, now, env.tr.t(
                locale, N_("Je concept-aanmelding van {date} verloopt op {expires}. Maak het "
                           "af met /aanmelden, anders wis ik het dan."),
                date=env.date(locale, draft.created_at),
                expires=env.date(locale, draft.expires_at)))
    return deleted


async def sweep_job(env: Env) -> bool:
    """The background job: a sweep may have queued warnings, not only deletions."""
    await sweep(env)
    return True

