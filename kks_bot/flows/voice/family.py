"""The family's side: the offer with the invitation (again with the first reminder while
they did not answer), at the evaluation the ratings again, after the meeting the
question how it went. Nothing for a family that did not opt in or said "no more
messages". Their buttons are ``v.<action>.<meeting id>``, checked against the opt-in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ... import families
from ...audit import audit
from ...db.models import FamilyContact, Meeting, Registration
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Ctx, Env
from ...kernel.events import Button
from ...people import coordinator_side
from . import store, view
from .texts import EXPERIENCE, EXPERIENCE_LABELS
from .walk import STATE, VOICE, ask_words, begin

ACTIONS = ("go-before", "go-evaluation", "later", "edit",
           *(f"exp-{key}" for key, *_ in EXPERIENCE))
FAMILY_ACTOR = 0  # the audit trail records "the family", without the id

OFFER = {
    store.BEFORE: N_("💬 Wil je vertellen wat voor jou belangrijk is? Dan weten de mensen "
                     "die je helpen dat al voor het gesprek.\nHet zijn 8 korte vragen. Dat "
                     "duurt ongeveer 2 minuten. Je hoeft niet mee te doen. Je kunt altijd "
                     "stoppen."),
    store.EVALUATION: N_("💬 Je had een tijd geleden een gesprek met de mensen die je kunnen "
                         "helpen. Hoe gaat het nu met je? Wil je weer cijfers geven? Dan "
                         "zien we of het beter gaat.\nHet zijn 6 korte vragen. Je hoeft niet "
                         "mee te doen."),
}


def offer_rows(env: Env, locale: str, moment: str, meeting_id: str) -> list[list[Button]]:
    t = env.tr.t
    return [[Button("✅ " + t(locale, N_("Ja, ik doe mee")),
                    routed(VOICE, f"go-{moment}", meeting_id)),
             Button(t(locale, N_("Nu niet")), routed(VOICE, "later", meeting_id))]]


async def offer(env: Env, session: AsyncSession, now: datetime, chat: int, meeting: Meeting,
                moment: str) -> None:
    await env.tell(session, chat, now, lambda loc: env.tr.t(loc, OFFER[moment]),
                   lambda loc: offer_rows(env, loc, moment, meeting.id))


async def on_family_message(env: Env, *, session: AsyncSession, now: datetime,
                            meeting: Meeting, chat: int, reminder: bool = False,
                            **_: Any) -> None:
    """With the invitation: the offer. With the first reminder: once more, while the
    family did not answer it (neither began nor said "not now")."""
    contact = await store.contact_of(env, session, chat, meeting.registration_id)
    if contact is None or meeting.status != "planned" or meeting.starts_at <= now:
        return
    row = await store.find(session, meeting.id, store.BEFORE, contact_id=contact.id)
    if row is None and not reminder:
        store.new(session, meeting, store.BEFORE, now, contact_id=contact.id)
        await offer(env, session, now, chat, meeting, store.BEFORE)
    elif row is not None and reminder and row.status == "offered" and row.offers == 1:
        row.offers, row.updated_at = 2, now
        await offer(env, session, now, chat, meeting, store.BEFORE)


async def _first_time(env: Env, session: AsyncSession, now: datetime, meeting: Meeting,
                      moment: str) -> list[int]:
    """The chats of the family members who still want messages and were not asked this
    ``moment`` of this meeting yet; their row is made now, so it happens once."""
    chats = []
    for contact in await store.contacts(session, meeting.registration_id):
        chat = families.chat_of(env.cipher, contact)
        if chat is None or await store.find(session, meeting.id, moment,
                                            contact_id=contact.id):
            continue
        store.new(session, meeting, moment, now, contact_id=contact.id)
        chats.append(chat)
    return chats


async def offer_evaluation(env: Env, session: AsyncSession, now: datetime,
                           meeting: Meeting) -> None:
    """At the evaluation nudge: each family member who still wants messages, once."""
    for chat in await _first_time(env, session, now, meeting, store.EVALUATION):
        await offer(env, session, now, chat, meeting, store.EVALUATION)


async def ask_experience(env: Env, session: AsyncSession, now: datetime,
                         meeting: Meeting) -> None:
    """Once, after the meeting was recorded: how was it for you?"""
    for chat in await _first_time(env, session, now, meeting, store.EXPERIENCE):
        await env.tell(session, chat, now, lambda loc: env.tr.t(
            loc, N_("Je had een gesprek met de mensen die je kunnen helpen. Hoe vond je het "
                    "gesprek?")),
            lambda loc: [[Button(f"{icon} " + env.tr.t(loc, label),
                                 routed(VOICE, f"exp-{key}", meeting.id))]
                         for key, icon, label in EXPERIENCE])


async def guard(ctx: Ctx, action: str, meeting_id: str, _policy: Any) -> Any:
    """The meeting and the presser's contact, when they opted in for its case."""
    meeting = await ctx.session.get(Meeting, meeting_id)
    contact = await store.contact_of(ctx.env, ctx.session, ctx.account.user_id,
                                     meeting.registration_id) if meeting else None
    if meeting is None or contact is None or action not in ACTIONS:
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused",
              meeting.registration_id if meeting else None, f"v.{action}.{meeting_id}")
        ctx.say(ctx.t(N_("Dat kan ik niet doen.")), tag=None)
        return None
    return meeting, contact


def _open(meeting: Meeting, moment: str, now: datetime) -> bool:
    if moment == store.BEFORE:
        return meeting.status == "planned" and meeting.starts_at > now
    return meeting.status == "held" and meeting.evaluated_at is None


async def go(ctx: Ctx, found: tuple[Meeting, FamilyContact], moment: str) -> None:
    """"Yes, I'll take part" (or "tell it anyway"): the first question."""
    meeting, contact = found
    if not _open(meeting, moment, ctx.now):
        ctx.say(ctx.t(N_("Dit kan niet meer: het gesprek is al geweest, of het gaat niet "
                         "door.")), tag=None)
        return
    row = await store.find(ctx.session, meeting.id, moment, contact_id=contact.id) or \
        store.new(ctx.session, meeting, moment, ctx.now, contact_id=contact.id)
    if row.status != "done":
        row.status, row.updated_at = "started", ctx.now
    ctx.state["contact"] = contact.id
    begin(ctx, row, store.answers(ctx.env, row))


def starter(moment: str) -> Any:
    async def handler(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
        await go(ctx, found, moment)
    return handler


async def edit(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
    await go(ctx, found, store.BEFORE)


async def later(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
    """"Not now" is an answer too: the reminder does not offer it again."""
    meeting, contact = found
    for moment in (store.BEFORE, store.EVALUATION):
        row = await store.find(ctx.session, meeting.id, moment, contact_id=contact.id)
        if row is not None and row.status == "offered":
            row.status, row.updated_at = "declined", ctx.now
    ctx.say(ctx.t(N_("Goed. Wil je later toch iets vertellen? Druk dan op 'Ja, ik doe mee'.")),
            tag=None)


async def experience(ctx: Ctx, found: tuple[Meeting, FamilyContact], key: str) -> None:
    """One of the three buttons: passed on at once; then an optional sentence."""
    meeting, contact = found
    row = await store.find(ctx.session, meeting.id, store.EXPERIENCE, contact_id=contact.id)
    if row is None or row.status == "done" or key not in EXPERIENCE_LABELS:
        ctx.say(ctx.t(N_("Je hebt hier al op geantwoord. Dank je!")), tag=None)
        return
    store.keep(ctx.env, row, {"experience": key}, ctx.now)
    audit(ctx.session, ctx.now, FAMILY_ACTOR, "family_experience", meeting.registration_id)
    registration = await ctx.session.get(Registration, meeting.registration_id)
    if registration is not None:
        icon, label = EXPERIENCE_LABELS[key]
        await view.tell_side(ctx.env, ctx.session, ctx.now, registration,
                             lambda loc: ctx.env.tr.t(
                                 loc, N_("Het gezin van {reference} vond het overleg: {value}"),
                                 reference=registration.reference,
                                 value=f"{icon} " + ctx.env.tr.t(loc, label)),
                             [row.id], await coordinator_side(ctx.session, registration))
    ctx.state["contact"] = contact.id
    ctx.state["voice"] = {"id": row.id, "moment": store.EXPERIENCE, "by": "family",
                          "step": "words", "a": {}, "editing": False}
    ctx.tag = None
    ctx.go(STATE)
    ask_words(ctx)
