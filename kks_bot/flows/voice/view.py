"""What the coordinator (and the case director) see of the family's voice: the six
ratings, the family's words and how they experienced the meeting as text, and a
spider-web chart (before, or before and after side by side) made at delivery. The
messages name the rows they show, so that a family's "wipe my details" finds them."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ...cases import CASE, when_text
from ...db.models import FamilyVoice, Meeting, Registration
from ...delivery.outbox import coordinator_gate, gate_open
from ...i18n import N_
from ...kernel.buttons import routed
from ...kernel.context import Env
from ...kernel.events import Button
from ...text import Markup, italic, lines
from . import store
from .texts import DIMENSIONS, EXPERIENCE_LABELS, coordinator_summary

FILL = "voicefill"  # r.voicefill.<registration id>: fill it in together with the family
VIEW = "voice"  # r.voice.<registration id>: show it


def who(env: Env, locale: str, row: FamilyVoice) -> Markup:
    if row.by == "coordinator":
        return env.tr.t(locale, N_("samen met het gezin ingevuld tijdens het overleg"))
    return env.tr.t(locale, N_("ingevuld door het gezin op {date}"),
                    date=env.date(locale, row.updated_at))


def chart(env: Env, locale: str, reference: str, before: FamilyVoice | None,
          after: FamilyVoice | None) -> dict[str, Any]:
    """The document row's payload: the picture is drawn at delivery (delivery/documents)."""
    t = env.tr.t
    series = []
    for row, name in ((before, N_("Voor het overleg ({date})")),
                      (after, N_("Bij de evaluatie ({date})"))):
        if row is not None:
            ratings = store.answers(env, row).get("ratings") or {}
            series.append([str(t(locale, name, date=env.date(locale, row.updated_at))),
                           [ratings.get(key) for key, *_ in DIMENSIONS]])
    return {"render": "radar", "filename": f"positieve-gezondheid-{reference}.png",
            "labels": [str(t(locale, pro)) for _key, pro, *_ in DIMENSIONS],
            "series": series, "rtl": locale == "ar",
            "title": str(t(locale, N_("Positieve Gezondheid, gezin van {reference}"),
                           reference=reference)),
            "note": str(t(locale, N_("0 is heel slecht, 10 is heel goed. Geen punt: "
                                     "overgeslagen."))),
            "caption": str(t(locale, N_("Positieve Gezondheid van het gezin van {reference}"),
                             reference=reference)),
            "voice": [row.id for row in (before, after) if row is not None]}


async def rows_of(session: AsyncSession, meeting: Meeting) -> dict[str, list[FamilyVoice]]:
    return {moment: await store.done(session, meeting.id, moment) for moment in store.MOMENTS}


def text(env: Env, locale: str, registration: Registration, meeting: Meeting,
         found: dict[str, list[FamilyVoice]]) -> Markup:
    """The family's voice about ``meeting`` as the professionals read it."""
    t = env.tr.t
    shown: list[Any] = [Markup("💬 ") + t(locale, N_("Wat het gezin van {reference} vertelt "
                                                     "(overleg van {when})"),
                                          reference=registration.reference,
                                          when=when_text(env, locale, meeting.starts_at))]
    before = found[store.BEFORE][0] if found[store.BEFORE] else None
    after = found[store.EVALUATION][0] if found[store.EVALUATION] else None
    if before is None and after is None:
        shown.append(t(locale, N_("Het gezin heeft nog niets ingevuld.")))
    elif before is not None:
        shown.append(t(locale, N_("Positieve Gezondheid (0 tot 10), {who}:"),
                       who=who(env, locale, before))
                     + (Markup(" → ") + t(locale, N_("bij de evaluatie, {who}"),
                                          who=who(env, locale, after)) if after else ""))
        shown.append(coordinator_summary(env, locale, store.answers(env, before),
                                         store.answers(env, after) if after else None))
        tied = store.answers(env, before).get("tied")
        if tied:
            shown.append(t(locale, N_("Afspraken bij wat het gezin vroeg: {value}"),
                           value=", ".join(tied)))
    else:
        assert after is not None
        shown.append(t(locale, N_("Positieve Gezondheid (0 tot 10) bij de evaluatie, {who}:"),
                       who=who(env, locale, after)))
        shown.append(coordinator_summary(env, locale, store.answers(env, after)))
    for row in found[store.EXPERIENCE]:
        said = store.answers(env, row)
        icon, label = EXPERIENCE_LABELS.get(str(said.get("experience")), ("", "—"))
        line = t(locale, N_("Hoe het gezin het overleg vond: {value}"),
                 value=f"{icon} " + t(locale, label))
        shown.append(line + (Markup(" — ") + italic(said["words"]) if said.get("words")
                             else ""))
    return lines(*shown)


async def send(env: Env, session: AsyncSession, now: datetime, user: int,
               registration: Registration, meeting: Meeting, *, head: str | None = None,
               coordinator: bool = True, fill: bool = False) -> bool:
    """The text (with ``head`` on top) and, when there are ratings, the chart, to ``user``:
    deleted from the chat after ``KKS_CHAT_TTL_HOURS`` like all case content."""
    gate = coordinator_gate(registration.gemeente_code or "") if coordinator else None
    if gate is not None and not await gate_open(session, gate, user):
        return False
    locale = await env.locale_of(session, user)
    found = await rows_of(session, meeting)
    shown = text(env, locale, registration, meeting, found)
    if head:
        shown = Markup("👪 ") + env.tr.t(locale, head, reference=registration.reference) + \
            "\n\n" + shown
    ids = [row.id for rows in found.values() for row in rows]
    buttons = [[Button("💬 " + env.tr.t(locale, N_("Samen met het gezin invullen")),
                       routed(CASE, FILL, registration.id))]] if fill else []
    tag = "x:" + secrets.token_hex(8)
    env.enqueue(session, user, "send", {
        "text": shown, "buttons": [[[b.label, b.data] for b in row] for row in buttons],
        "locale": locale, "voice": ids}, now, gate=gate, tag=tag)
    before = found[store.BEFORE][0] if found[store.BEFORE] else None
    after = found[store.EVALUATION][0] if found[store.EVALUATION] else None
    if before is not None or after is not None:
        env.enqueue(session, user, "document",
                    chart(env, locale, registration.reference, before, after), now,
                    gate=gate, tag=tag)
    env.enqueue(session, user, "delete_tag", {"locale": locale}, now, tag=tag,
                due=now + env.chat_ttl)
    return True


async def tell_side(env: Env, session: AsyncSession, now: datetime,
                    registration: Registration, render: Any, ids: list[str],
                    users: list[int]) -> None:
    """A short message about the family's voice to the coordinator side (``users``): it
    names the rows (``ids``), so that a family's wipe takes it out of their chats too."""
    gate = coordinator_gate(registration.gemeente_code or "")
    for user in users:
        if not await gate_open(session, gate, user):
            continue
        locale = await env.locale_of(session, user)
        tag = "x:" + secrets.token_hex(8)
        env.enqueue(session, user, "send", {"text": Markup("👪 ") + render(locale),
                                            "buttons": [], "locale": locale, "voice": ids},
                    now, gate=gate, tag=tag)
        env.enqueue(session, user, "delete_tag", {"locale": locale}, now, tag=tag,
                    due=now + env.chat_ttl)
