"""The conversation engine: one inbound event in, state changes and outbox rows out.

Everything an event causes happens in one database transaction: the update id
is recorded in the inbox, the conversation and draft change, and every message
to send is written to the outbox. Either all of it happens or none of it, so a
crash at any moment loses nothing and repeats nothing; the outbox worker
delivers the messages afterwards.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations import AANMELDFORMULIER
from conversations.schema import Field, Form, Group, Kind, Option, Section

from ..clock import Clock, SystemClock
from ..config import Settings
from ..crypto import Cipher
from ..db.models import (
    Account,
    Conversation,
    Draft,
    ProcessedUpdate,
    ReferenceCounter,
    Registration,
    RegistrationEvent,
)
from ..delivery import outbox
from ..directory import Directory, gemeente_label
from ..i18n import LANGUAGE_NAMES, N_, NP_, Translator, supported_locale, translator
from ..text import Markup, bold, chunks, italic, labelled, lines
from ..triage import advise
from . import beheer, casework, guests, handoff, meetings, parsers, sparring
from . import formflow as ff
from .events import Button, Inbound, InKind, Outbound

log = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096
CHUNK_LIMIT = 3500

PROFILE_SECTION = Section(
    "profiel",
    N_("Je profiel"),
    tuple(f for f in AANMELDFORMULIER.section("aanmelder").items
          if isinstance(f, Field) and f.profile),
)
PROFILE_FORM = Form("profiel", N_("Je profiel"), (PROFILE_SECTION,))

# What the guided check may fill in of a new registration (ticks, never typed text).
CHECK_PREFILL = ("zwanger", "urgente_kwetsbaarheden", "kwetsbaarheden",
                 "beschermende_factoren")

STATUS_LABELS = {
    "ingediend": N_("ingediend"),
    "in_behandeling": N_("in behandeling"),
    "overleg_gepland": N_("overleg gepland"),
    "afgesloten": N_("afgesloten"),
    "ingetrokken": N_("ingetrokken"),
    "doorverwezen": N_("doorverwezen"),
    "overleg_gehouden": N_("overleg gehouden"),
}

# Walks whose answers live in the conversation state (not in a draft), with what ends them.
STATE_WALKS = ("check", "meeting", "outcome")

YES_WORDS = {"ja", "j", "yes", "y", "نعم", "ok", "oké", "oke"}
NO_WORDS = {"nee", "n", "no", "nein", "لا"}


class UserError(Exception):
    """Something the user did that we answer with a friendly message."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


@dataclass
class Ctx:
    """Everything one event's handling needs, and what it produces."""

    core: Core
    session: AsyncSession
    event: Inbound
    account: Account
    conv: Conversation
    state: dict[str, Any]
    now: datetime
    out: list[Outbound] = field(default_factory=list)
    delete_message_ids: list[int] = field(default_factory=list)
    delete_tags: list[str] = field(default_factory=list)
    notes: list[Markup] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)  # municipalities with a coordinator
    roles: set[str] = field(default_factory=set)  # "coordinator", "admin"
    # Async steps a synchronous screen asked for (the end of a state walk), run in order.
    after: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Scheduled removals (tag, when), queued after this event's messages.
    later_deletes: list[tuple[str, datetime]] = field(default_factory=list)
    _bumped: bool = False
    tag: str | None = None

    @property
    def locale(self) -> str:
        return self.account.locale

    @property
    def tr(self) -> Translator:
        return self.core.tr

    def t(self, message: str, /, **params: object) -> Markup:
        return self.core.tr.t(self.locale, message, **params)

    def tn(self, forms: tuple[str, str], n: int, /, **params: object) -> Markup:
        return self.core.tr.tn(self.locale, forms, n, **params)

    def seq(self) -> int:
        """The nonce for buttons of the message(s) made now; old buttons go stale."""
        if not self._bumped:
            self.conv.seq += 1
            self._bumped = True
        return self.conv.seq

    def btn(self, label: str, action: str) -> Button:
        return Button(label, f"{self.seq()}.{action}")

    def note(self, text: Markup) -> None:
        """Something to say on top of the next screen (an error, a hint) - one message."""
        self.notes.append(text)

    def say(self, text: Markup, buttons: list[list[Button]] | None = None, *,
            replace: int | None = None, tag: str | None = "default") -> None:
        if self.notes:
            text = Markup("\n\n").join([*self.notes, text])
            self.notes.clear()
        self.out.append(Outbound(text, buttons or [], tag=self.tag if tag == "default" else tag,
                                 replace_message_id=replace))

    def today(self) -> date:
        return self.now.astimezone(self.core.tz).date()


class Core:
    """The channel-agnostic bot: give it :class:`Inbound` events."""

    def __init__(
        self,
        *,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        cipher: Cipher,
        clock: Clock | None = None,
        tr: Translator | None = None,
        directory: Directory | None = None,
        form: Form = AANMELDFORMULIER,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.cipher = cipher
        self.clock = clock or SystemClock()
        self.tr = tr or translator()
        self.directory = directory or Directory.shipped()
        self.form = form
        self.tz = ZoneInfo(settings.timezone)
        from conversations.meeting import MEETING_FORM, OUTCOME_FORM
        from conversations.sparcheck import CHECK_FORM

        self.state_forms: dict[str, Form] = {"check": CHECK_FORM, "meeting": MEETING_FORM,
                                             "outcome": OUTCOME_FORM}

    # ------------------------------------------------------------------ entry

    async def handle(self, event: Inbound) -> bool:
        """Apply one event exactly once. Returns False for a repeated update."""
        try:
            async with self.sessions() as session, session.begin():
                if event.update_id is not None and await session.get(
                        ProcessedUpdate, event.update_id) is not None:
                    return False
                ctx = await self._context(session, event)
                await self._dispatch(ctx)
                while ctx.after:
                    await ctx.after.pop(0)()
                self._finish(ctx)
            return True
        except Exception as exc:
            if _is_duplicate_update(exc):
                return False
            _log_failure(exc)
        # The handler failed: its effects were rolled back. Record the update (so
        # it is not retried forever) and tell the user, in a fresh transaction.
        async with self.sessions() as session, session.begin():
            if event.update_id is not None:
                if await session.get(ProcessedUpdate, event.update_id) is not None:
                    return False
            ctx = await self._context(session, event)
            ctx.say(ctx.t(N_("Sorry, daar ging iets mis aan mijn kant. Je antwoorden zijn "
                             "bewaard. Probeer het nog eens.")))
            try:
                await self._reprompt(ctx)
            except Exception as exc:  # the state itself is broken: back to the menu
                _log_failure(exc)
                ctx.out = ctx.out[:1]
                self._to_menu(ctx)
            self._finish(ctx)
        return True

    async def _context(self, session: AsyncSession, event: Inbound) -> Ctx:
        now = self.clock.now()
        if event.update_id is not None:
            session.add(ProcessedUpdate(update_id=event.update_id, processed_at=now))
        account = await session.get(Account, event.user_id)
        if account is None:
            account = Account(
                user_id=event.user_id,
                locale=supported_locale(event.language_code, self.settings.default_locale),
                locale_chosen=False, created_at=now, updated_at=now,
            )
            session.add(account)
        elif not account.locale_chosen and event.language_code:
            account.locale = supported_locale(event.language_code, account.locale)
        if account.unreachable_at is not None:  # they wrote again: unblocked the bot
            account.unreachable_at = None
        conv = await session.get(Conversation, event.user_id)
        state: dict[str, Any] = {}
        if conv is None:
            conv = Conversation(user_id=event.user_id, flow="menu", step="", seq=0,
                                updated_at=now)
            session.add(conv)
        elif conv.state_sealed:
            state = self.cipher.open_json(conv.state_sealed, f"conversation:{event.user_id}")
        ctx = Ctx(self, session, event, account, conv, state, now)
        ctx.covered = await handoff.covered_codes(session)
        if await handoff.coordinator_codes(session, event.user_id):
            ctx.roles.add("coordinator")
        if event.user_id in self.settings.admins:
            ctx.roles.add("admin")
        if conv.draft_id:
            ctx.tag = f"d:{conv.draft_id}"
        return ctx

    def _finish(self, ctx: Ctx) -> None:
        if ctx.notes:  # nothing followed to put them on: on their own
            ctx.out.append(Outbound(Markup("\n\n").join(ctx.notes), [], tag=ctx.tag))
            ctx.notes.clear()
        ctx.conv.state_sealed = (
            self.cipher.seal_json(ctx.state, f"conversation:{ctx.conv.user_id}")
            if ctx.state else None
        )
        ctx.conv.updated_at = ctx.now
        chat = ctx.event.chat_id
        for message_id in ctx.delete_message_ids:
            self._enqueue(ctx, chat, "delete", {"locale": ctx.locale}, target=message_id)
        for tag in ctx.delete_tags:
            self._enqueue(ctx, chat, "delete_tag", {"locale": ctx.locale}, tag=tag)
        for msg in ctx.out:
            payload = {
                "text": msg.text,
                "buttons": [[[b.label, b.data] for b in row] for row in msg.buttons],
                "locale": ctx.locale,
            }
            if msg.replace_message_id is not None:
                self._enqueue(ctx, chat, "edit", payload, target=msg.replace_message_id,
                              tag=msg.tag)
            else:
                self._enqueue(ctx, chat, "send", payload, tag=msg.tag)
        for tag, due in ctx.later_deletes:
            self._enqueue_raw(ctx.session, chat, "delete_tag", {"locale": ctx.locale}, ctx.now,
                              tag=tag, due=due)

    def _enqueue(self, ctx: Ctx, chat_id: int, kind: str, payload: dict[str, Any], *,
                 target: int | None = None, tag: str | None = None) -> None:
        self._enqueue_raw(ctx.session, chat_id, kind, payload, ctx.now, tag=tag,
                          target=target)

    # --------------------------------------------------------------- dispatch

    async def _dispatch(self, ctx: Ctx) -> None:
        ev = ctx.event
        if ev.kind is InKind.COMMAND:
            await self._command(ctx)
            return
        if ev.kind is InKind.BUTTON and ev.data.startswith("r."):
            # A coordinator's notification: ids only, checked in handoff.button.
            _, action, registration_id = [*ev.data.split(".", 2), "", ""][:3]
            await handoff.button(self, ctx, action, registration_id)
            return
        if ev.kind is InKind.BUTTON and ev.data.startswith("f."):
            # A family's answer to an invitation or reminder: checked against the opt-in.
            _, action, meeting_id = [*ev.data.split(".", 2), "", ""][:3]
            await meetings.family_button(self, ctx, action, meeting_id)
            return
        if ev.kind is InKind.BUTTON and ev.data.startswith("s."):
            # A sparring thread: ids only, checked in sparring.thread_button.
            _, action, thread_id = [*ev.data.split(".", 2), "", ""][:3]
            await sparring.thread_button(self, ctx, action, thread_id)
            return
        if ev.kind is InKind.BUTTON:
            seq, _, action = ev.data.partition(".")
            if not seq.isdigit() or int(seq) != ctx.conv.seq:
                ctx.note(ctx.t(N_("Die knop hoort bij een eerder bericht. "
                                 "Hier is waar je nu bent:")))
                await self._reprompt(ctx)
                return
            await self._button(ctx, action)
            return
        if ev.kind is InKind.UNSUPPORTED:
            if ev.message_id is not None and ctx.conv.flow in ("form", "consent"):
                ctx.delete_message_ids.append(ev.message_id)
            ctx.note(ctx.t(N_("Ik kan alleen tekst en de knoppen lezen, geen foto's, "
                             "spraakberichten, stickers of locaties. Typ je antwoord "
                             "of kies een knop.")))
            await self._reprompt(ctx)
            return
        await self._text(ctx)

    async def _command(self, ctx: Ctx) -> None:
        cmd = ctx.event.command
        if cmd == "start" and ctx.event.text.strip():
            token = ctx.event.text.strip()
            # A coordinator's token is random and may itself start with "f_": look it up
            # first; only then is it a family's invitation.
            if await handoff.redeem(self, ctx, token):
                if ctx.account.profile_sealed is None:
                    await self._start(ctx)  # a new coordinator: who are you (once)
            elif token.startswith(meetings.FAMILY_PREFIX):
                await meetings.redeem_family(self, ctx, token[len(meetings.FAMILY_PREFIX):])
            elif token.startswith(guests.GUEST_PREFIX):
                await guests.redeem_guest(self, ctx, token[len(guests.GUEST_PREFIX):])
                if ctx.account.profile_sealed is None:
                    await self._start(ctx)  # who are you (once): the coordinator sees it
            else:
                await self._start(ctx)
        elif cmd == "start":
            await self._start(ctx)
        elif cmd in ("taal", "language", "lang", "لغة"):
            self._ask_language(ctx)
        elif cmd in ("aanmelden", "register", "nieuw"):
            await self._aanmelden(ctx)
        elif cmd in ("mijnaanmeldingen", "myregistrations"):
            await self._my_registrations(ctx)
        elif cmd in ("sparren", "spar", "sparring"):
            await self._leave_flow(ctx)
            sparring.menu(self, ctx)
        elif cmd in ("sparvragen", "threads"):
            await self._leave_flow(ctx)
            await sparring.thread_list(self, ctx)
        elif cmd in ("acuut", "veilig", "safety", "urgent"):
            ctx.note(sparring.safety_text(ctx))
            await self._reprompt(ctx)
        elif cmd in ("evaluaties", "evaluations"):
            await self._leave_flow(ctx)
            ctx.conv.flow, ctx.conv.step = "menu", ""
            await meetings.evaluations(self, ctx)
        elif cmd in ("aanmeldingen", "cases"):
            await self._leave_flow(ctx)
            ctx.conv.flow, ctx.conv.step = "menu", ""
            await casework.coordinator_list(self, ctx)
        elif cmd in ("beheer", "admin"):
            await self._leave_flow(ctx)
            if beheer.is_admin(self, ctx):
                beheer.menu(self, ctx)
            else:
                beheer.refuse(ctx)
        elif cmd in ("profiel", "profile"):
            self._show_profile(ctx)
        elif cmd in ("help", "uitleg"):
            await self._help(ctx)
        elif cmd in ("annuleren", "cancel", "stop"):
            await self._cancel(ctx)
        elif cmd in ("menu",):
            await self._leave_flow(ctx)
            self._to_menu(ctx)
        else:
            ctx.note(ctx.t(N_("Dat commando ken ik niet: /{command}."), command=cmd))
            await self._reprompt(ctx)

    async def _text(self, ctx: Ctx) -> None:
        flow = ctx.conv.flow
        if flow == "profile":
            await self._walk_text(ctx, self._profile_walk(ctx))
        elif flow == "form":
            walk = await self._draft_walk(ctx)
            if walk is None:
                return
            await self._walk_text(ctx, walk)
        elif flow == "relay":
            await handoff.relay_text(self, ctx)
        elif flow == "spar":
            await sparring.text(self, ctx)
        elif flow in STATE_WALKS:
            await self._walk_text(ctx, self._state_walk(ctx))
        elif flow == "family":
            await meetings.family_reprompt(self, ctx)
        elif flow == "consent":
            value = _yes_no(ctx.event.text)
            if value is None:
                ctx.note(ctx.t(N_("Kies 'ja' of 'nee' met de knoppen.")))
                self._ask_consent(ctx)
            else:
                await self._consent_answer(ctx, value)
        elif flow == "menu" and await sparring.answer_faq(self, ctx, ctx.event.text,
                                                         only_if_known=True):
            pass  # a question typed at the menu that the FAQ knows
        else:
            ctx.note(ctx.t(N_("Kies hieronder wat je wilt doen.")))
            await self._reprompt(ctx)

    async def _button(self, ctx: Ctx, action: str) -> None:
        kind, _, arg = action.partition(":")
        flow = ctx.conv.flow
        if kind == "menu":
            await self._menu_action(ctx, arg)
        elif kind == "adm" and flow == "beheer":
            await beheer.action(self, ctx, arg)
        elif kind == "safety":
            ctx.note(sparring.safety_text(ctx))
            await self._reprompt(ctx)
        elif kind == "sp" and flow in ("spar", "check"):
            await sparring.action(self, ctx, arg)
        elif kind == "fam" and flow == "family":
            await meetings.family_action(self, ctx, arg)
        elif flow in STATE_WALKS:
            await self._walk_button(ctx, self._state_walk(ctx), kind, arg)
        elif kind == "lang":
            await self._set_language(ctx, arg)
        elif flow == "consent" and kind in ("yes", "no"):
            await self._consent_answer(ctx, kind == "yes")
        elif flow == "drafts":
            await self._drafts_action(ctx, kind, arg)
        elif flow == "cancel":
            await self._cancel_action(ctx, kind)
        elif flow == "review":
            await self._review_action(ctx, kind, arg)
        elif flow == "edit":
            await self._edit_action(ctx, kind, arg)
        elif flow == "groupedit":
            await self._groupedit_action(ctx, kind, arg)
        elif flow == "profile":
            await self._walk_button(ctx, self._profile_walk(ctx), kind, arg)
        elif flow == "form":
            walk = await self._draft_walk(ctx)
            if walk is not None:
                await self._walk_button(ctx, walk, kind, arg)
        else:
            await self._reprompt(ctx)

    def _state_walk(self, ctx: Ctx) -> Walk:
        """The walk of a state-backed flow (check, meeting, outcome) at its step."""
        flow = ctx.conv.flow
        ctx.tag = None
        return Walk(self.state_forms[flow], ctx.state.setdefault("answers", {}), ctx.conv.step,
                    tag=None, kind=flow, fill=bool(ctx.state.get("fill")))

    async def _reprompt(self, ctx: Ctx) -> None:
        """Show the current question (or screen) again."""
        flow = ctx.conv.flow
        if flow == "profile":
            self._ask(ctx, self._profile_walk(ctx))
        elif flow == "form":
            walk = await self._draft_walk(ctx)
            if walk is not None:
                self._ask(ctx, walk)
        elif flow == "consent":
            self._ask_consent(ctx)
        elif flow == "drafts":
            await self._list_drafts(ctx)
        elif flow == "review":
            walk = await self._draft_walk(ctx)
            if walk is not None:
                self._review(ctx, walk)
        elif flow == "edit":
            walk = await self._draft_walk(ctx)
            if walk is not None:
                self._edit_menu(ctx, walk, ctx.conv.step)
        elif flow == "groupedit":
            walk = await self._draft_walk(ctx)
            if walk is not None:
                self._group_menu(ctx, walk, ctx.conv.step)
        elif flow == "cancel":
            self._ask_cancel(ctx)
        elif flow == "language":
            self._ask_language(ctx)
        elif flow == "beheer" and beheer.is_admin(self, ctx):
            beheer.menu(self, ctx)
        elif flow == "spar":
            await sparring.reprompt(self, ctx)
        elif flow in STATE_WALKS:
            self._ask(ctx, self._state_walk(ctx))
        elif flow == "family":
            await meetings.family_reprompt(self, ctx)
        elif flow == "relay":
            registration = await ctx.session.get(Registration, ctx.state.get("relay", ""))
            if registration is not None:
                await handoff.start_relay(self, ctx, ctx.conv.step, registration)
            else:
                self._to_menu(ctx)
        else:
            self._to_menu(ctx, greet=False)

    # ------------------------------------------------------------ menu, start

    def _menu_buttons(self, ctx: Ctx) -> list[list[Button]]:
        rows = [
            [ctx.btn("💬 " + ctx.t(N_("Overleggen of aanmelden?")), "menu:sparren")],
            [ctx.btn("📝 " + ctx.t(N_("Aanmelden")), "menu:aanmelden")],
            [ctx.btn("📂 " + ctx.t(N_("Mijn aanmeldingen")), "menu:mijn")],
        ]
        if "coordinator" in ctx.roles:
            rows.append([ctx.btn("📥 " + ctx.t(N_("Open aanmeldingen (coördinator)")),
                                 "menu:cases")])
        if "admin" in ctx.roles:
            rows.append([ctx.btn("🛠 " + ctx.t(N_("Beheer")), "menu:beheer")])
        rows.append([ctx.btn("👤 " + ctx.t(N_("Profiel")), "menu:profiel"),
                     ctx.btn("🌐 " + ctx.t(N_("Taal")), "menu:taal")])
        return rows

    def _to_menu(self, ctx: Ctx, *, greet: bool = False) -> None:
        ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "menu", "", None
        ctx.state.clear()
        ctx.tag = None
        text = ctx.t(N_("Wat wil je doen?"))
        if greet:
            text = ctx.t(N_("Welkom bij de bot van het Knooppunt Kansrijke Start. Hier meld je "
                            "een (aanstaand) gezin aan bij de Knooppuntcoördinator van de "
                            "gemeente.")) + "\n\n" + text
        ctx.say(text, self._menu_buttons(ctx), tag=None)

    async def _start(self, ctx: Ctx) -> None:
        await self._leave_flow(ctx)
        if ctx.account.profile_sealed is None:
            ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "profile", "", None
            ctx.state.clear()
            ctx.tag = None
            ctx.say(
                ctx.t(N_("Welkom bij de bot van het Knooppunt Kansrijke Start. Hier meld je "
                         "een (aanstaand) gezin aan bij de Knooppuntcoördinator van de "
                         "gemeente."))
                + "\n\n" + ctx.t(N_("Ik spreek Nederlands, Engels en Arabisch. Wissel met "
                                    "/taal.")) + "\n\n"
                + ctx.t(N_("Eerst een paar vragen over jou. Dat is eenmalig: ik vul ze "
                           "daarna in bij elke aanmelding.")),
                [[ctx.btn("🌐 " + ctx.t(N_("Taal")), "menu:taal")]],
                tag=None,
            )
            walk = self._profile_walk(ctx)
            walk.pos = ff.next_pos(PROFILE_FORM, None, walk.answers) or ""
            ctx.conv.step = walk.pos
            self._ask(ctx, walk)
            return
        self._to_menu(ctx, greet=True)

    async def _menu_action(self, ctx: Ctx, arg: str) -> None:
        if arg == "aanmelden":
            await self._aanmelden(ctx)
        elif arg == "mijn":
            await self._my_registrations(ctx)
        elif arg == "sparren":
            await self._leave_flow(ctx)
            sparring.menu(self, ctx)
        elif arg == "cases":
            await self._leave_flow(ctx)
            ctx.conv.flow, ctx.conv.step = "menu", ""
            await casework.coordinator_list(self, ctx)
        elif arg == "beheer" and beheer.is_admin(self, ctx):
            await self._leave_flow(ctx)
            beheer.menu(self, ctx)
        elif arg == "profiel":
            self._show_profile(ctx)
        elif arg == "profiel_wijzig":
            await self._leave_flow(ctx)
            ctx.conv.flow, ctx.conv.draft_id = "profile", None
            ctx.state.clear()
            ctx.state["answers"] = self._profile_answers(ctx)
            walk = self._profile_walk(ctx)
            walk.pos = ff.next_pos(PROFILE_FORM, None, {}) or ""
            ctx.conv.step = walk.pos
            self._ask(ctx, walk)
        elif arg == "taal":
            self._ask_language(ctx)
        else:
            await self._leave_flow(ctx)
            self._to_menu(ctx)

    async def _leave_flow(self, ctx: Ctx) -> None:
        """Leaving a draft keeps it; say so, with the date it expires."""
        if ctx.conv.draft_id and ctx.conv.flow in ("form", "review", "edit", "groupedit",
                                                   "cancel"):
            draft = await ctx.session.get(Draft, ctx.conv.draft_id)
            if draft is not None:
                ctx.say(ctx.t(N_("Je concept is bewaard tot {date}. Ga verder met /aanmelden."),
                              date=self._date(ctx, draft.expires_at)), tag=None)
        ctx.conv.draft_id = None
        ctx.tag = None

    def _ask_language(self, ctx: Ctx) -> None:
        if ctx.conv.flow not in ("form", "profile", "review", "consent", "edit", "groupedit"):
            ctx.conv.flow = "language"
        ctx.say(
            ctx.t(N_("Kies je taal.")),
            [[ctx.btn(name, f"lang:{code}")] for code, name in LANGUAGE_NAMES.items()],
        )

    async def _set_language(self, ctx: Ctx, code: str) -> None:
        if code not in LANGUAGE_NAMES:
            await self._reprompt(ctx)
            return
        ctx.account.locale = code
        ctx.account.locale_chosen = True
        ctx.account.updated_at = ctx.now
        ctx.say(ctx.t(N_("De taal is nu Nederlands.")))
        if ctx.conv.flow == "language":
            self._to_menu(ctx)
        else:
            await self._reprompt(ctx)

    async def _help(self, ctx: Ctx) -> None:
        if ctx.conv.flow in ("form", "profile"):
            walk = (await self._draft_walk(ctx)) if ctx.conv.flow == "form" \
                else self._profile_walk(ctx)
            if walk is not None:
                self._show_help(ctx, walk)
                self._ask(ctx, walk)
            return
        ctx.say(ctx.t(N_("Met deze bot meld je een gezin aan bij het Knooppunt Kansrijke "
                         "Start, na toestemming van het gezin.\n\n"
                         "/aanmelden - nieuwe aanmelding of verder met een concept\n"
                         "/mijnaanmeldingen - wat je hebt ingediend\n"
                         "/sparren - overleggen of aanmelden? Check, vragen, coördinator\n"
                         "/sparvragen - je open vragen aan de coördinator\n"
                         "/acuut - acuut onveilig: 112, Veilig Thuis\n"
                         "/profiel - je gegevens als aanmelder\n"
                         "/taal - Nederlands, English, العربية\n"
                         "/annuleren - stop met wat je nu doet")))
        await self._reprompt(ctx)

    # ------------------------------------------------------------- profile

    def _profile_answers(self, ctx: Ctx) -> dict[str, Any]:
        if ctx.account.profile_sealed is None:
            return {}
        profile = self.cipher.open_json(ctx.account.profile_sealed,
                                        f"account:{ctx.account.user_id}:profile")
        return {f.key: profile[f.profile] for f in PROFILE_SECTION.items
                if isinstance(f, Field) and f.profile in profile}

    def _save_profile(self, ctx: Ctx, answers: dict[str, Any]) -> None:
        profile = {f.profile: answers.get(f.key) for f in PROFILE_SECTION.items
                   if isinstance(f, Field) and f.applies(answers) and f.key in answers}
        ctx.account.profile_sealed = self.cipher.seal_json(
            profile, f"account:{ctx.account.user_id}:profile")
        ctx.account.updated_at = ctx.now

    def _show_profile(self, ctx: Ctx) -> None:
        answers = self._profile_answers(ctx)
        if not answers:
            ctx.say(ctx.t(N_("Je hebt nog geen profiel. Dat maak je met /start.")))
            return
        shown = [bold(ctx.t(N_("Je profiel")))]
        for item in PROFILE_SECTION.items:
            if isinstance(item, Field) and item.applies(answers):
                value = self._display(ctx, item, answers.get(item.key))
                shown.append(labelled(ctx.t(item.label), value))
        ctx.say(lines(*shown), [[ctx.btn("✏️ " + ctx.t(N_("Wijzigen")), "menu:profiel_wijzig"),
                                     ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)

    def _profile_walk(self, ctx: Ctx) -> Walk:
        answers = ctx.state.setdefault("answers", {})
        return Walk(PROFILE_FORM, answers, ctx.conv.step, tag=None, progress=False,
                    kind="profile")

    # ------------------------------------------------------- registrations

    async def _aanmelden(self, ctx: Ctx) -> None:
        await self._leave_flow(ctx)
        drafts = await self._open_drafts(ctx)
        if drafts:
            ctx.conv.flow, ctx.conv.step = "drafts", ""
            await self._list_drafts(ctx, drafts)
            return
        self._start_consent(ctx)

    def _start_consent(self, ctx: Ctx, prefill: dict[str, Any] | None = None) -> None:
        ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "consent", "", None
        ctx.state.clear()
        if prefill:
            ctx.state["prefill"] = prefill
        ctx.tag = None
        self._ask_consent(ctx)

    async def _register_from_check(self, ctx: Ctx) -> None:
        """"Aanmelden" after the guided check: a new registration, its ticks filled in."""
        prefill = dict(ctx.state.get("prefill") or {})
        self._start_consent(ctx, prefill)

    def _ask_consent(self, ctx: Ctx) -> None:
        question = self.form.field("toestemming_gezin")
        ctx.say(
            lines(italic(ctx.t(N_("Nieuwe aanmelding"))), bold(ctx.t(question.question)), "",
                  ctx.t(question.help)),
            [[ctx.btn(ctx.t(N_("Ja")), "yes"), ctx.btn(ctx.t(N_("Nee")), "no")],
             [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]],
        )

    async def _consent_answer(self, ctx: Ctx, consent: bool) -> None:
        if not consent:
            ctx.conv.flow, ctx.conv.step = "menu", ""
            ctx.say(
                ctx.t(N_("Zonder toestemming van het gezin kun je nog niet aanmelden. "
                         "Bespreek het eerst met het gezin: aanmelden gebeurt samen met hen."))
                + "\n\n" + ctx.t(N_("Je kunt wel anoniem overleggen (sparren) met de "
                                    "Knooppuntcoördinator van de gemeente. Noem dan geen "
                                    "namen of andere gegevens waaraan het gezin te "
                                    "herkennen is."))
                + "\n\n" + ctx.t(N_("Ik heb niets over het gezin bewaard.")),
                self._menu_buttons(ctx), tag=None,
            )
            return
        draft_id = str(uuid.uuid4())
        answers: dict[str, Any] = {"toestemming_gezin": True}
        answers.update(self._profile_answers(ctx))
        answers.update({k: v for k, v in (ctx.state.get("prefill") or {}).items()
                        if k in CHECK_PREFILL})
        expires = ctx.now + self.settings.draft_ttl
        ctx.conv.flow, ctx.conv.draft_id = "form", draft_id
        ctx.tag = f"d:{draft_id}"
        ctx.state.clear()
        walk = Walk(self.form, answers, "f:toestemming_gezin", tag=ctx.tag, kind="form")
        walk.pos = ff.next_pos(self.form, walk.pos, answers) or ""
        ctx.conv.step = walk.pos
        draft = Draft(id=draft_id, owner_id=ctx.account.user_id, form=self.form.key,
                      position=walk.pos, answers_sealed="", created_at=ctx.now,
                      updated_at=ctx.now, expires_at=expires)
        self._seal_draft(draft, answers)
        ctx.session.add(draft)
        ctx.say(ctx.t(N_("Je aanmelding is gestart. Ik bewaar je antwoorden als concept tot "
                         "{date}; daarna wis ik het. Stoppen en later verdergaan kan altijd "
                         "met /aanmelden."), date=self._date(ctx, expires)))
        self._ask(ctx, walk)

    async def _open_drafts(self, ctx: Ctx) -> list[Draft]:
        result = await ctx.session.execute(
            select(Draft).where(Draft.owner_id == ctx.account.user_id,
                                Draft.expires_at > ctx.now).order_by(Draft.created_at))
        return list(result.scalars())

    async def _list_drafts(self, ctx: Ctx, drafts: list[Draft] | None = None) -> None:
        if drafts is None:
            drafts = await self._open_drafts(ctx)
        if not drafts:
            self._start_consent(ctx)
            return
        shown = [ctx.tn(NP_("Je hebt {n} open concept.", "Je hebt {n} open concepten."),
                        len(drafts))]
        buttons: list[list[Button]] = []
        for number, draft in enumerate(drafts, start=1):
            where = self._position_title(ctx, draft.position)
            shown.append(ctx.t(N_("{number}. Gestart {started}, nu bij: {where}. "
                                  "Verloopt {expires}."),
                               number=number, started=self._date(ctx, draft.created_at),
                               where=where, expires=self._date(ctx, draft.expires_at)))
            buttons.append([ctx.btn(ctx.t(N_("Verder met concept {number}"), number=number),
                                    f"go:{number}")])
        buttons.append([ctx.btn("📝 " + ctx.t(N_("Nieuwe aanmelding")), "new:")])
        buttons.append([ctx.btn(ctx.t(N_("Menu")), "menu:menu")])
        ctx.state["drafts"] = [d.id for d in drafts]
        ctx.say(lines(*shown), buttons, tag=None)

    def _position_title(self, ctx: Ctx, pos: str) -> str:
        if pos in ("review", ""):
            return ctx.t(N_("controleren en versturen"))
        try:
            return ctx.t(ff.parse_pos(self.form, pos).section.title)
        except (KeyError, ValueError, AssertionError):
            return "?"

    async def _drafts_action(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind == "new":
            self._start_consent(ctx)
            return
        ids: list[str] = ctx.state.get("drafts", [])
        if kind == "go" and arg.isdigit() and 1 <= int(arg) <= len(ids):
            draft = await ctx.session.get(Draft, ids[int(arg) - 1])
            if draft is None or draft.owner_id != ctx.account.user_id \
                    or draft.expires_at <= ctx.now:
                ctx.say(ctx.t(N_("Dat concept bestaat niet meer.")))
                await self._list_drafts(ctx)
                return
            ctx.state.clear()
            ctx.conv.draft_id = draft.id
            ctx.tag = f"d:{draft.id}"
            answers = self._open_draft(draft)
            ctx.say(ctx.t(N_("We gaan verder met je concept. Het blijft bewaard tot {date}."),
                          date=self._date(ctx, draft.expires_at)))
            if draft.position == "review":
                ctx.conv.flow, ctx.conv.step = "review", "review"
                self._review(ctx, Walk(self.form, answers, "review", tag=ctx.tag, kind="form",
                                       draft=draft))
                return
            ctx.conv.flow, ctx.conv.step = "form", draft.position
            self._ask(ctx, Walk(self.form, answers, draft.position, tag=ctx.tag, kind="form",
                                draft=draft))
            return
        await self._list_drafts(ctx)

    def _seal_draft(self, draft: Draft, answers: dict[str, Any]) -> None:
        draft.answers_sealed = self.cipher.seal_json(answers, f"draft:{draft.id}")

    def _open_draft(self, draft: Draft) -> dict[str, Any]:
        value: dict[str, Any] = self.cipher.open_json(draft.answers_sealed, f"draft:{draft.id}")
        return value

    async def _draft_walk(self, ctx: Ctx) -> Walk | None:
        """The walk over the user's current draft, or back to the menu if it is gone."""
        draft = await ctx.session.get(Draft, ctx.conv.draft_id) if ctx.conv.draft_id else None
        if draft is None or draft.owner_id != ctx.account.user_id:
            ctx.say(ctx.t(N_("Dit concept bestaat niet meer (verlopen of gewist).")), tag=None)
            self._to_menu(ctx)
            return None
        fill = bool(ctx.state.get("fill"))
        return Walk(self.form, self._open_draft(draft), ctx.conv.step, tag=f"d:{draft.id}",
                    kind="form", draft=draft, fill=fill)

    # ---------------------------------------------------------- the walk

    def _progress(self, ctx: Ctx, walk: Walk, step: ff.Step) -> str:
        if not walk.progress:
            return ""
        sections = walk.form.sections
        s_no = sections.index(step.section) + 1
        # Questions that apply, or may still apply (their condition is not answered yet).
        items = [i for i in step.section.items if i.applies(walk.answers)
                 or any(c.key not in walk.answers for c in i.when)]
        key = step.group.key if step.group else (step.field.key if step.field else "")
        keys = [i.key for i in items]
        i_no = keys.index(key) + 1 if key in keys else 1
        if len(sections) == 1:
            return ctx.t(N_("{title} · vraag {number} van {count}"),
                         title=ctx.t(step.section.title), number=i_no,
                         count=max(len(items), 1))
        return ctx.t(N_("Deel {section} van {sections} · {title} · vraag {number} van {count}"),
                     section=s_no, sections=len(sections), title=ctx.t(step.section.title),
                     number=i_no, count=max(len(items), 1))

    def _nav(self, ctx: Ctx, walk: Walk, field: Field | None, *,
             can_skip: bool) -> list[list[Button]]:
        first = []
        if ctx.state.get("history") or ctx.state.get("fill"):
            first.append(ctx.btn("⬅️ " + ctx.t(N_("Terug")), "back"))
        if can_skip:
            first.append(ctx.btn("⏭ " + ctx.t(N_("Overslaan")), "skip"))
        rows = [first] if first else []
        second = []
        if field is not None:
            second.append(ctx.btn("❓ " + ctx.t(N_("Uitleg")), "help"))
        if walk.kind == "form":
            second.append(ctx.btn("⏸ " + ctx.t(N_("Pauzeren")), "pause"))
            second.append(ctx.btn("🗑 " + ctx.t(N_("Annuleren")), "cancel"))
        elif walk.kind == "check":
            second.append(ctx.btn(ctx.t(N_("Stoppen")), "sp:menu"))
        elif walk.kind in STATE_WALKS:
            second.append(ctx.btn(ctx.t(N_("Stoppen")), "menu:menu"))
        if second:
            rows.append(second)
        if walk.kind in ("form", "check"):
            rows.append([sparring.safety_button(ctx)])  # one tap away, on every step
        return rows

    def _ask(self, ctx: Ctx, walk: Walk, *, replace: int | None = None) -> None:
        """Show the question at ``walk.pos``."""
        if walk.pos in ("", "review"):
            if walk.kind == "form":
                self._review(ctx, walk)
            elif walk.kind == "check":
                sparring.check_result(self, ctx, walk.answers)
            elif walk.kind == "meeting":  # async work: run once this handler returns
                answers = walk.answers
                ctx.after.append(lambda: meetings.finish_planning(self, ctx, answers))
            elif walk.kind == "outcome":
                answers = walk.answers
                ctx.after.append(lambda: meetings.finish_outcome(self, ctx, answers))
            else:
                self._finish_profile(ctx, walk)
            return
        step = ff.parse_pos(walk.form, walk.pos)
        header = self._progress(ctx, walk, step)
        head = italic(header) + "\n" if header else Markup("")
        if walk.pos.startswith("confirm:"):
            self._ask_confirm(ctx, walk, step, head)
            return
        if step.field is None:
            self._ask_group(ctx, walk, step, head)
            return
        fld = step.field
        if step.group is not None and step.item_index is not None:
            head += italic(ctx.t(step.group.item_label, n=step.item_index + 1)) + "\n"
        shown = [head + bold(ctx.t(fld.question))]
        current = ff.get_value(step, walk.answers)
        known = ff.has_answer(step, walk.answers) and current is not None
        rows: list[list[Button]] = []
        if fld.kind is Kind.MULTI:
            selection = ctx.state.get("sel")
            if selection is None or ctx.state.get("sel_pos") != walk.pos:
                selection = list(current) if isinstance(current, list) else \
                    list(fld.default) if isinstance(fld.default, list) else []
                ctx.state["sel"], ctx.state["sel_pos"] = selection, walk.pos
            shown.append(self._option_list(ctx, fld.options))
            rows = self._toggle_rows(ctx, fld, selection)
        elif fld.kind in (Kind.CHOICE, Kind.YESNO):
            options = fld.options if fld.kind is Kind.CHOICE else self._yes_no_options()
            rows = _grid([ctx.btn(("✅ " if current == _opt_value(fld, o) else "")
                                  + ctx.t(o.button), f"o:{o.id}") for o in options],
                         2 if fld.kind is Kind.YESNO or len(options) > 6 else 1)
            if known:
                shown.append(ctx.t(N_("Nu: {value}"), value=self._display(ctx, fld, current)))
        elif fld.kind is Kind.GEMEENTE:
            suggested = [m for m in (self.directory.get(c)
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
                shown.append(ctx.t(N_("Nu: {value}"), value=self._display(ctx, fld, current)))
            rows = self._gemeente_rows(ctx, walk, current)
        else:
            if known:
                shown.append(ctx.t(N_("Nu: {value}"), value=self._display(ctx, fld, current)))
                rows.append([ctx.btn("✔️ " + ctx.t(N_("Zo laten")), "keep")])
            suggestions = list(fld.suggestions)
            hint = walk.answers.get("_postcode")
            if fld.kind is Kind.POSTCODE and step.group is None and hint and not known \
                    and fld.key == "moeder_postcode":
                suggestions = [Option(str(hint), str(hint))]
            if suggestions:
                rows.extend(_grid([ctx.btn(ctx.t(o.button) if o.id != hint else o.button,
                                           f"s:{i}") for i, o in enumerate(suggestions)], 2))
            if fld.kind is Kind.TEXT and fld.max_length > 300:
                shown.append(ctx.t(N_("Typ je antwoord (maximaal {limit} tekens)."),
                                   limit=fld.max_length))
        can_skip = not fld.required and fld.kind is not Kind.MULTI
        rows.extend(self._nav(ctx, walk, fld, can_skip=can_skip))
        ctx.say(lines(*shown), rows, replace=replace)

    def _yes_no_options(self) -> tuple[Option, ...]:
        return (Option("ja", N_("Ja")), Option("nee", N_("Nee")))

    def _option_list(self, ctx: Ctx, options: tuple[Option, ...]) -> Markup:
        return lines(*(Markup("{}. {}").format(n, ctx.t(o.label))
                       for n, o in enumerate(options, start=1)))

    def _toggle_rows(self, ctx: Ctx, fld: Field, selection: list[str]) -> list[list[Button]]:
        buttons = [ctx.btn(("☑️ " if o.id in selection else "⬜ ") + f"{n}. " + ctx.t(o.button),
                           f"t:{o.id}") for n, o in enumerate(fld.options, start=1)]
        rows = _grid(buttons, 1)
        done = ctx.t(N_("Klaar")) if selection else ctx.t(N_("Geen van deze"))
        rows.append([ctx.btn("✅ " + done, "done")])
        return rows

    def _gemeente_rows(self, ctx: Ctx, walk: Walk, current: object) -> list[list[Button]]:
        suggested = [m for m in (self.directory.get(c) for c in ctx.state.get("gem_suggest", []))
                     if m is not None]
        if len(suggested) == 1:
            return [[ctx.btn("✅ " + ctx.t(N_("Ja, {name}"), name=suggested[0].name),
                             f"m:{suggested[0].code}"),
                     ctx.btn(ctx.t(N_("Andere gemeente")), "m:list")]]
        if suggested:
            return [[ctx.btn(m.name, f"m:{m.code}")] for m in suggested] + [
                [ctx.btn(ctx.t(N_("Andere gemeente")), "m:list")]]
        rows = _grid([ctx.btn(("✅ " if current == m.code else "") + m.name, f"m:{m.code}")
                      for m in self.directory.all()], 2)
        rows.append([ctx.btn(ctx.t(N_("Andere gemeente (buiten Zuid-Limburg)")), "m:other")])
        return rows

    def _ask_confirm(self, ctx: Ctx, walk: Walk, step: ff.Step, head: str) -> None:
        shown = [head + bold(ctx.t(step.section.title))]
        for fld in ff.prefilled_fields(step.section):
            if fld.applies(walk.answers):
                shown.append(labelled(ctx.t(fld.label),
                                   self._display(ctx, fld, walk.answers.get(fld.key))))
        shown.append(Markup(""))
        shown.append(ctx.t(N_("Klopt dit?")))
        rows = [[ctx.btn("✅ " + ctx.t(N_("Ja, klopt")), "cf:yes"),
                 ctx.btn("✏️ " + ctx.t(N_("Wijzigen")), "cf:change")]]
        rows.extend(self._nav(ctx, walk, None, can_skip=False))
        ctx.say(lines(*shown), rows)

    def _ask_group(self, ctx: Ctx, walk: Walk, step: ff.Step, head: str) -> None:
        group = step.group
        assert group is not None
        items = walk.answers.get(group.key) or []
        shown = [head + bold(ctx.t(group.question))]
        for index, entry in enumerate(items):
            shown.append(labelled(ctx.t(group.item_label, n=index + 1),
                               self._item_summary(ctx, group, entry)))
        if items:
            buttons = [[ctx.btn("➕ " + ctx.t(group.add_more), "g:add"),
                        ctx.btn("✅ " + ctx.t(N_("Klaar")), "g:done")]]
        else:
            buttons = [[ctx.btn("➕ " + ctx.t(group.add_first), "g:add")],
                       [ctx.btn(ctx.t(group.none_label), "g:done")]]
        buttons.extend(self._nav(ctx, walk, None, can_skip=False))
        ctx.say(lines(*shown), buttons)

    def _item_summary(self, ctx: Ctx, group: Group, entry: dict[str, Any]) -> Markup:
        parts = [self._display(ctx, f, entry.get(f.key)) for f in group.fields
                 if f.applies(entry) and entry.get(f.key) not in (None, "")]
        return Markup("، " if ctx.locale == "ar" else ", ").join(parts) or Markup("—")

    def _show_help(self, ctx: Ctx, walk: Walk) -> None:
        if walk.pos in ("", "review"):
            return
        step = ff.parse_pos(walk.form, walk.pos)
        text = ctx.t(step.field.help) if step.field else \
            ctx.t(step.group.help) if step.group else ctx.t(N_("Kies een knop."))
        ctx.note("ℹ️ " + text)

    async def _walk_text(self, ctx: Ctx, walk: Walk) -> None:
        """A typed answer at the current step."""
        if not walk.pos or walk.pos == "review":
            await self._reprompt(ctx)
            return
        step = ff.parse_pos(walk.form, walk.pos)
        fld = step.field
        text = ctx.event.text
        if fld is not None and fld.family_data and walk.kind == "form" \
                and self.settings.delete_answer_messages and ctx.event.message_id is not None:
            ctx.delete_message_ids.append(ctx.event.message_id)
        if fld is None:
            if step.group is not None:
                ctx.note(ctx.t(N_("Kies een van de knoppen.")))
            else:
                value = _yes_no(text)
                if value is not None:
                    await self._walk_button(ctx, walk, "cf", "yes" if value else "change")
                    return
                ctx.note(ctx.t(N_("Kies een van de knoppen.")))
            self._ask(ctx, walk)
            return
        try:
            value = self._typed_value(ctx, walk, fld, text)
        except parsers.ParseError as exc:
            ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
            self._ask(ctx, walk)
            return
        except UserError as exc:
            ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
            self._ask(ctx, walk)
            return
        if value is _GEMEENTE_PENDING:
            self._ask(ctx, walk)
            return
        await self._answer(ctx, walk, step, value)

    def _typed_value(self, ctx: Ctx, walk: Walk, fld: Field, text: str) -> Any:
        if fld.kind is Kind.MULTI:
            raise UserError(N_("Tik de knoppen aan die passen en kies daarna 'Klaar'."))
        if fld.kind is Kind.YESNO:
            value = _yes_no(text)
            if value is None:
                raise UserError(N_("Kies 'ja' of 'nee' met de knoppen."))
            return value
        if fld.kind is Kind.CHOICE:
            option = self._match_option(ctx, fld.options, text)
            if option is None:
                raise UserError(N_("Dat staat niet in de lijst. Kies een van de knoppen."))
            return option.id
        if fld.kind is Kind.GEMEENTE:
            return self._typed_gemeente(ctx, walk, text)
        if fld.kind is Kind.TEXT and fld.suggestions:
            option = self._match_option(ctx, fld.suggestions, text, numbers=False)
            if option is not None:
                return option.id
        return ff.parse_typed(fld, text, ctx.today())

    def _match_option(self, ctx: Ctx, options: tuple[Option, ...], text: str, *,
                      numbers: bool = True) -> Option | None:
        wanted = " ".join(parsers.normalize_digits(text).casefold().split())
        if numbers and wanted.isdigit() and 1 <= int(wanted) <= len(options):
            return options[int(wanted) - 1]
        for option in options:
            names = {option.label, option.button, ctx.t(option.label), ctx.t(option.button),
                     option.id}
            if wanted in {" ".join(n.casefold().split()) for n in names}:
                return option
        return None

    def _typed_gemeente(self, ctx: Ctx, walk: Walk, text: str) -> Any:
        if ctx.state.get("gem_other"):
            name = parsers.parse_text(text, max_length=80)
            known = self.directory.find_by_name(name)
            ctx.state.pop("gem_other", None)
            return known.code if known else f"anders:{name}"
        known = self.directory.find_by_name(text)
        if known is not None:
            return known.code
        digits = parsers.normalize_digits(text).replace(" ", "")
        try:
            if len(digits) == 4 and digits.isdigit():
                number = int(digits)
            else:
                postcode = parsers.parse_postcode(text)
                number = parsers.postcode_digits(postcode)
                walk.answers["_postcode"] = postcode
                self._save_walk(ctx, walk)
        except parsers.ParseError:
            raise UserError(N_("Dat herken ik niet als gemeente of postcode. Kies de gemeente "
                               "met een knop, of typ een postcode als 6411 AB.")) from None
        matches = self.directory.suggest(number)
        if not matches:
            ctx.say(ctx.t(N_("Bij postcode {postcode} ken ik geen gemeente. Kies de gemeente "
                             "hieronder."), postcode=digits[:4]))
            ctx.state.pop("gem_suggest", None)
            return _GEMEENTE_PENDING
        ctx.state["gem_suggest"] = [m.code for m in matches]
        return _GEMEENTE_PENDING

    async def _walk_button(self, ctx: Ctx, walk: Walk, kind: str, arg: str) -> None:
        if not walk.pos or walk.pos == "review":
            await self._reprompt(ctx)
            return
        step = ff.parse_pos(walk.form, walk.pos)
        fld = step.field
        if kind == "back":
            await self._back(ctx, walk)
        elif kind == "help":
            self._show_help(ctx, walk)
            self._ask(ctx, walk)
        elif kind == "pause":
            self._pause(ctx, walk)
        elif kind == "cancel":
            await self._cancel(ctx)
        elif kind == "skip" and fld is not None and not fld.required:
            await self._answer(ctx, walk, step, None)
        elif kind == "keep" and fld is not None and ff.has_answer(step, walk.answers):
            await self._answer(ctx, walk, step, ff.get_value(step, walk.answers))
        elif kind == "o" and fld is not None and fld.kind in (Kind.CHOICE, Kind.YESNO):
            if fld.kind is Kind.YESNO and arg in ("ja", "nee"):
                await self._answer(ctx, walk, step, arg == "ja")
            elif fld.option(arg) is not None:
                await self._answer(ctx, walk, step, arg)
            else:
                self._ask(ctx, walk)
        elif kind == "s" and fld is not None and arg.isdigit():
            hint = walk.answers.get("_postcode")
            if fld.kind is Kind.POSTCODE and hint:
                await self._answer(ctx, walk, step, hint)
            elif int(arg) < len(fld.suggestions):
                await self._answer(ctx, walk, step, fld.suggestions[int(arg)].id)
            else:
                self._ask(ctx, walk)
        elif kind == "t" and fld is not None and fld.kind is Kind.MULTI and fld.option(arg):
            selection: list[str] = ctx.state.get("sel") or []
            if arg in selection:
                selection.remove(arg)
            else:
                selection.append(arg)
            ctx.state["sel"] = [o.id for o in fld.options if o.id in selection]
            ctx._bumped = True  # same message, same buttons: keep the nonce
            self._ask(ctx, walk, replace=ctx.event.button_message_id)
        elif kind == "done" and fld is not None and fld.kind is Kind.MULTI:
            selection = ctx.state.get("sel") or []
            if fld.required and not selection:
                ctx.note("⚠️ " + ctx.t(N_("Kies minstens één.")))
                self._ask(ctx, walk)
                return
            ctx.state.pop("sel", None)
            ctx.state.pop("sel_pos", None)
            await self._answer(ctx, walk, step, list(selection))
        elif kind == "m" and fld is not None and fld.kind is Kind.GEMEENTE:
            ctx.state.pop("gem_suggest", None)
            if arg == "list":
                self._ask(ctx, walk)
            elif arg == "other":
                ctx.state["gem_other"] = True
                self._ask(ctx, walk)
            elif self.directory.get(arg) is not None:
                await self._answer(ctx, walk, step, arg)
            else:
                self._ask(ctx, walk)
        elif kind == "cf" and walk.pos.startswith("confirm:"):
            if arg == "yes":
                self._move(ctx, walk, ff.next_pos(walk.form, walk.pos, walk.answers))
            else:
                first = next(f for f in step.section.items if f.applies(walk.answers))
                self._move(ctx, walk, f"f:{first.key}")
        elif kind == "g" and step.group is not None and step.field is None:
            items = list(walk.answers.get(step.group.key) or [])
            if arg == "add":
                if len(items) >= step.group.max_items:
                    ctx.note("⚠️ " + ctx.t(N_("Meer kan ik er niet toevoegen.")))
                    self._ask(ctx, walk)
                    return
                items.append({})
                walk.answers[step.group.key] = items
                self._move(ctx, walk, ff.first_item_pos(step.group, len(items) - 1))
            elif arg == "done":
                walk.answers[step.group.key] = items
                self._move(ctx, walk, self._after(walk, walk.pos))
            else:
                self._ask(ctx, walk)
        else:
            self._ask(ctx, walk)

    def _pause(self, ctx: Ctx, walk: Walk) -> None:
        """Stop for now; the draft stays where it is until it expires."""
        if walk.draft is not None:
            ctx.say(ctx.t(N_("Gepauzeerd. Je concept is bewaard tot {date}. Ga verder met "
                             "/aanmelden."), date=self._date(ctx, walk.draft.expires_at)),
                    tag=None)
        ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "menu", "", None
        ctx.state.clear()
        ctx.tag = None

    def _after(self, walk: Walk, pos: str) -> str | None:
        return ff.next_pos(walk.form, pos, walk.answers, fill=walk.fill)

    async def _answer(self, ctx: Ctx, walk: Walk, step: ff.Step, value: Any) -> None:
        walk.answers = ff.set_value(step, walk.answers, value)
        ctx.state.pop("gem_suggest", None)
        ctx.state.pop("gem_other", None)
        self._move(ctx, walk, self._after(walk, walk.pos))

    def _move(self, ctx: Ctx, walk: Walk, nxt: str | None) -> None:
        """Go to ``nxt`` (None: the end), remembering where we came from."""
        history: list[str] = ctx.state.setdefault("history", [])
        if walk.pos and walk.pos != nxt:
            history.append(walk.pos)
            del history[:-80]
        walk.pos = nxt or "review"
        if walk.kind == "form":
            # Crossing out of the registrant's section: keep a first profile.
            if ctx.account.profile_sealed is None and not walk.pos.startswith("f:aanmelder") \
                    and all(k in walk.answers for k in ("aanmelder_naam", "aanmelder_email")):
                self._save_profile(ctx, walk.answers)
        ctx.conv.step = walk.pos
        self._save_walk(ctx, walk)
        if walk.kind == "form" and walk.pos == "review":
            ctx.conv.flow = "review"
            ctx.state.pop("history", None)
            ctx.state.pop("fill", None)
        self._ask(ctx, walk)

    def _save_walk(self, ctx: Ctx, walk: Walk) -> None:
        if walk.kind == "form" and walk.draft is not None:
            self._seal_draft(walk.draft, walk.answers)
            walk.draft.position = walk.pos
            walk.draft.updated_at = ctx.now
        elif walk.kind == "profile" or walk.kind in STATE_WALKS:
            ctx.state["answers"] = walk.answers

    async def _back(self, ctx: Ctx, walk: Walk) -> None:
        history: list[str] = ctx.state.get("history", [])
        ctx.state.pop("sel", None)
        ctx.state.pop("gem_suggest", None)
        ctx.state.pop("gem_other", None)
        while history:
            previous = history.pop()
            if ff.is_valid_pos(walk.form, previous):
                walk.pos = previous
                ctx.conv.step = previous
                self._save_walk(ctx, walk)
                self._ask(ctx, walk)
                return
        if walk.kind == "form" and ctx.state.get("fill"):
            ctx.conv.flow = "review"
            ctx.conv.step = walk.pos = "review"
            self._save_walk(ctx, walk)
            self._review(ctx, walk)
            return
        ctx.note(ctx.t(N_("Dit is de eerste vraag.")))
        self._ask(ctx, walk)

    def _finish_profile(self, ctx: Ctx, walk: Walk) -> None:
        self._save_profile(ctx, walk.answers)
        ctx.say(ctx.t(N_("Dank je. Je profiel is opgeslagen. Ik vul het voortaan in bij elke "
                         "aanmelding; wijzigen kan met /profiel.")), tag=None)
        self._to_menu(ctx)

    # --------------------------------------------------------- review, submit

    def _display(self, ctx: Ctx, fld: Field, value: Any) -> str | Markup:
        if value is None or value == "" or value == []:
            return "—"
        if fld.kind is Kind.YESNO:
            return ctx.t(N_("ja")) if value else ctx.t(N_("nee"))
        if fld.kind is Kind.CHOICE:
            option = fld.option(value)
            return ctx.t(option.label) if option else str(value)
        if fld.kind is Kind.MULTI:
            labels = [ctx.t(o.label) for o in fld.options if o.id in value]
            return Markup("؛ " if ctx.locale == "ar" else "; ").join(labels)
        if fld.kind is Kind.DATE:
            try:
                return self.tr.format_date(ctx.locale, datetime.fromisoformat(value).date())
            except (TypeError, ValueError):
                return str(value)
        if fld.kind is Kind.PHONE:
            return parsers.format_phone(str(value))
        if fld.kind is Kind.GEMEENTE:
            return gemeente_label(value, self.directory)
        if fld.suggestions:
            for option in fld.suggestions:
                if option.id == value:
                    return ctx.t(option.label)
        return str(value)

    def section_summary(self, ctx: Ctx, walk: Walk, section: Section, number: int) -> Markup:
        shown = [bold(Markup("{}. {}").format(number, ctx.t(section.title)))]
        for item in ff.applicable_fields(section, walk.answers):
            if isinstance(item, Group):
                entries = walk.answers.get(item.key) or []
                if not entries:
                    shown.append(labelled(ctx.t(item.label), "—"))
                for index, entry in enumerate(entries):
                    shown.append(labelled(ctx.t(item.item_label, n=index + 1),
                                       self._item_summary(ctx, item, entry)))
            elif item.required or walk.answers.get(item.key) not in (None, "", []):
                shown.append(labelled(ctx.t(item.label),
                                   self._display(ctx, item, walk.answers.get(item.key))))
        return lines(*shown)

    def _review(self, ctx: Ctx, walk: Walk) -> None:
        ctx.conv.flow, ctx.conv.step = "review", "review"
        if walk.draft is not None:
            walk.draft.position = "review"
        ctx.state.pop("history", None)
        ctx.state.pop("fill", None)
        parts = [ctx.t(N_("<b>Controleer je aanmelding.</b> Tik op een deel om het te "
                          "wijzigen."))]
        parts += [self.section_summary(ctx, walk, s, n)
                  for n, s in enumerate(walk.form.sections, start=1)]
        advice = advise(walk.answers)
        parts.append(lines(
            "🧭 " + ctx.t(advice.text),
            *("· " + (ctx.tn(r.message, r.n) if isinstance(r.message, tuple)
                      else ctx.t(r.message)) for r in advice.reasons),
            ctx.t(N_("Dit is een advies; de coördinator beslist."))))
        gemeente = walk.answers.get("gemeente")
        if isinstance(gemeente, str) and gemeente not in ctx.covered:
            parts.append("⚠️ " + ctx.t(
                N_("{name} heeft nog geen actieve Knooppuntcoördinator in de bot. Je kunt "
                   "toch versturen: de aanmelding wordt bewaard en doorgestuurd zodra er een "
                   "coördinator is."), name=gemeente_label(gemeente, self.directory)))
        missing = ff.missing_required(walk.form, walk.answers, ctx.today())
        rows: list[list[Button]] = _grid(
            [ctx.btn("✏️ " + Markup("{}. {}").format(n, ctx.t(s.title)), f"e:{s.key}")
             for n, s in enumerate(walk.form.sections, start=1)], 1)
        if missing:
            parts.append(lines(
                "⚠️ " + ctx.tn(NP_("Nog {n} verplicht veld in te vullen:",
                                   "Nog {n} verplichte velden in te vullen:"), len(missing)),
                *(Markup("· {} ({})").format(
                    ctx.t(fld.label), ctx.t(ff.parse_pos(walk.form, pos).section.title))
                  for pos, fld in missing)))
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

    async def _review_action(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await self._draft_walk(ctx)
        if walk is None:
            return
        if kind == "submit":
            await self._submit(ctx, walk)
        elif kind == "e":
            try:
                walk.form.section(arg)
            except KeyError:
                self._review(ctx, walk)
                return
            ctx.conv.flow, ctx.conv.step = "edit", arg
            self._edit_menu(ctx, walk, arg)
        elif kind == "fix" and ff.is_valid_pos(walk.form, arg):
            self._start_edit(ctx, walk, arg)
        elif kind == "pause":
            self._pause(ctx, walk)
        elif kind == "cancel":
            await self._cancel(ctx)
        else:
            self._review(ctx, walk)

    def _edit_menu(self, ctx: Ctx, walk: Walk, section_key: str) -> None:
        section = walk.form.section(section_key)
        rows: list[list[Button]] = []
        for item in ff.applicable_fields(section, walk.answers):
            rows.append([ctx.btn("✏️ " + ctx.t(item.label), f"pick:{item.key}")])
        rows.append([ctx.btn("⬅️ " + ctx.t(N_("Terug naar controleren")), "review")])
        ctx.say(ctx.t(N_("Wat wil je wijzigen in '{title}'?"), title=ctx.t(section.title)), rows)

    async def _edit_action(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await self._draft_walk(ctx)
        if walk is None:
            return
        if kind == "pick" and arg in walk.form.keys():
            item = walk.form.item(arg)
            if isinstance(item, Group):
                ctx.conv.flow, ctx.conv.step = "groupedit", item.key
                self._group_menu(ctx, walk, item.key)
                return
            self._start_edit(ctx, walk, f"f:{arg}")
            return
        self._review(ctx, walk)

    def _start_edit(self, ctx: Ctx, walk: Walk, pos: str) -> None:
        ctx.conv.flow, ctx.conv.step = "form", pos
        ctx.state["fill"] = True
        ctx.state["history"] = []
        walk.pos = pos
        walk.fill = True
        self._save_walk(ctx, walk)
        self._ask(ctx, walk)

    def _group_menu(self, ctx: Ctx, walk: Walk, group_key: str) -> None:
        group = walk.form.item(group_key)
        assert isinstance(group, Group)
        items = walk.answers.get(group.key) or []
        shown = [bold(ctx.t(group.label))]
        rows: list[list[Button]] = []
        for index, entry in enumerate(items):
            title = ctx.t(group.item_label, n=index + 1)
            shown.append(labelled(title, self._item_summary(ctx, group, entry)))
            rows.append([ctx.btn("✏️ " + title, f"ge:{index}"),
                         ctx.btn("🗑 " + title, f"gd:{index}")])
        rows.append([ctx.btn("➕ " + ctx.t(group.add_first), "ga:")])
        rows.append([ctx.btn("⬅️ " + ctx.t(N_("Terug naar controleren")), "review:")])
        ctx.say(lines(*shown), rows)

    async def _groupedit_action(self, ctx: Ctx, kind: str, arg: str) -> None:
        walk = await self._draft_walk(ctx)
        if walk is None:
            return
        group = walk.form.item(ctx.conv.step)
        assert isinstance(group, Group)
        items = list(walk.answers.get(group.key) or [])
        if kind == "gd" and arg.isdigit() and int(arg) < len(items):
            del items[int(arg)]
            walk.answers[group.key] = items
            self._save_walk(ctx, walk)
            self._group_menu(ctx, walk, group.key)
        elif kind in ("ge", "ga"):
            if kind == "ga":
                items.append({})
                walk.answers[group.key] = items
                index = len(items) - 1
            elif arg.isdigit() and int(arg) < len(items):
                index = int(arg)
            else:
                self._group_menu(ctx, walk, group.key)
                return
            ctx.conv.flow = "form"
            ctx.state["fill"] = True
            ctx.state["history"] = []
            walk.fill = True
            walk.pos = ff.first_item_pos(group, index)
            ctx.conv.step = walk.pos
            self._save_walk(ctx, walk)
            self._ask(ctx, walk)
        else:
            self._review(ctx, walk)

    async def _submit(self, ctx: Ctx, walk: Walk) -> None:
        missing = ff.missing_required(walk.form, walk.answers, ctx.today())
        if missing or walk.draft is None:
            self._review(ctx, walk)
            return
        draft = walk.draft
        data = ff.clean_answers(walk.form, walk.answers)
        reference = await self._next_reference(ctx)
        registration_id = str(uuid.uuid4())
        gemeente = data.get("gemeente")
        registration = Registration(
            id=registration_id, reference=reference, owner_id=ctx.account.user_id,
            form=walk.form.key,
            gemeente_code=gemeente if isinstance(gemeente, str) and gemeente.startswith("GM")
            else None,
            status="ingediend",
            data_sealed=self.cipher.seal_json({"answers": data, "locale": ctx.locale},
                                              f"registration:{registration_id}"),
            started_at=draft.created_at, submitted_at=ctx.now, updated_at=ctx.now,
        )
        ctx.session.add(registration)
        await ctx.session.flush()
        handoff.audit(ctx, ctx.now, ctx.account.user_id, "submitted", registration_id)
        delivered = await handoff.notify_coordinators(self, ctx.session, registration, ctx.now)
        await handoff.queue_official_copy(self, ctx.session, registration, ctx.now)
        if not delivered:
            await handoff.alert_admins(self, ctx.session, registration, ctx.now)
        ctx.session.add(RegistrationEvent(registration_id=registration_id, status="ingediend",
                                          actor_id=ctx.account.user_id, at=ctx.now))
        await ctx.session.delete(draft)
        ctx.delete_tags.append(f"d:{draft.id}")
        ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "menu", "", None
        ctx.state.clear()
        ctx.tag = None
        name = gemeente_label(gemeente, self.directory)
        spoed = data.get("spoed") == "spoed"
        shown = [
            "✅ " + ctx.t(N_("Je aanmelding is verstuurd."), ),
            ctx.t(N_("Kenmerk: {reference}"), reference=reference),
            ctx.t(N_("Gemeente: {name}"), name=name),
            "",
            ctx.t(N_("Wat nu? De Knooppuntcoördinator van {name} bekijkt je aanmelding en neemt "
                     "contact met je op als er vragen zijn."), name=name) if delivered
            else ctx.t(N_("{name} heeft nog geen actieve Knooppuntcoördinator in de bot. Je "
                          "aanmelding is bewaard en gaat naar de coördinator zodra die er is; "
                          "de beheerder is gewaarschuwd."), name=name),
            ctx.t(N_("Bij spoed plant de coördinator meteen een Knooppuntoverleg.")) if spoed
            else ctx.t(N_("Kan het wachten, dan plant de coördinator het gezin in voor het "
                          "eerstvolgende Knooppuntoverleg.")),
            ctx.t(N_("De status zie je met /mijnaanmeldingen.")),
            "",
            ctx.t(N_("De vragen en je antwoorden haal ik nu uit deze chat.")),
        ]
        ctx.say(lines(*shown), self._menu_buttons(ctx), tag=None)

    async def _next_reference(self, ctx: Ctx) -> str:
        year = ctx.now.astimezone(self.tz).year
        counter = (await ctx.session.execute(
            select(ReferenceCounter).where(ReferenceCounter.year == year).with_for_update()
        )).scalar_one_or_none()
        if counter is None:
            counter = ReferenceCounter(year=year, last=0)
            ctx.session.add(counter)
        counter.last += 1
        return f"KKS-{year}-{counter.last:04d}"

    async def _my_registrations(self, ctx: Ctx) -> None:
        await self._leave_flow(ctx)
        ctx.conv.flow, ctx.conv.step = "menu", ""
        rows = (await ctx.session.execute(
            select(Registration).where(Registration.owner_id == ctx.account.user_id)
            .order_by(Registration.submitted_at.desc()).limit(20))).scalars().all()
        if not rows:
            ctx.say(ctx.t(N_("Je hebt nog geen aanmeldingen ingediend.")),
                    self._menu_buttons(ctx), tag=None)
            return
        shown = [ctx.tn(NP_("Je hebt {n} aanmelding ingediend:", "Je hebt {n} aanmeldingen "
                            "ingediend:"), len(rows))]
        buttons: list[list[Button]] = []
        for reg in rows:
            buttons.append([Button("📂 " + reg.reference, f"r.case.{reg.id}")])
            shown.append(ctx.t(N_("{reference} · {gemeente} · {status} sinds {date}"),
                               reference=reg.reference,
                               gemeente=gemeente_label(reg.gemeente_code, self.directory)
                               or "—",
                               status=ctx.t(STATUS_LABELS.get(reg.status, reg.status)),
                               date=self._date(ctx, reg.updated_at)))
        shown.append(ctx.t(N_("Kies een aanmelding voor de geschiedenis, om te antwoorden, "
                              "aan te vullen of in te trekken.")))
        ctx.say(lines(*shown), buttons[:8] + self._menu_buttons(ctx), tag=None)

    # ----------------------------------------------------------------- cancel

    async def _cancel(self, ctx: Ctx) -> None:
        if ctx.conv.flow in ("form", "review", "edit", "groupedit") and ctx.conv.draft_id:
            ctx.state["cancel_return"] = [ctx.conv.flow, ctx.conv.step]
            ctx.conv.flow = "cancel"
            self._ask_cancel(ctx)
            return
        if ctx.conv.flow == "profile" and ctx.account.profile_sealed is None:
            ctx.say(ctx.t(N_("Zonder profiel kun je geen aanmelding doen. Je kunt het later "
                             "invullen met /start.")), tag=None)
        self._to_menu(ctx)

    def _ask_cancel(self, ctx: Ctx) -> None:
        ctx.say(ctx.t(N_("Weet je zeker dat je deze aanmelding wilt annuleren? Het concept "
                         "wordt dan gewist.")),
                [[ctx.btn("🗑 " + ctx.t(N_("Ja, wis het concept")), "yes:"),
                  ctx.btn(ctx.t(N_("Nee, ga door")), "no:")]])

    async def _cancel_action(self, ctx: Ctx, kind: str) -> None:
        if kind == "yes":
            draft = await ctx.session.get(Draft, ctx.conv.draft_id) if ctx.conv.draft_id \
                else None
            if draft is not None and draft.owner_id == ctx.account.user_id:
                await ctx.session.delete(draft)
                ctx.delete_tags.append(f"d:{draft.id}")
            ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "menu", "", None
            ctx.state.clear()
            ctx.tag = None
            ctx.say(ctx.t(N_("Het concept is gewist.")), self._menu_buttons(ctx), tag=None)
            return
        flow, step = ctx.state.pop("cancel_return", ["form", ctx.conv.step])
        ctx.conv.flow, ctx.conv.step = flow, step
        await self._reprompt(ctx)

    # ------------------------------------------------------------ housekeeping

    def _date(self, ctx: Ctx, when: datetime) -> str:
        return self.tr.format_date(ctx.locale, when.astimezone(self.tz).date())

    async def sweep_drafts(self) -> int:
        """Warn about drafts that expire soon and delete expired ones; returns deletions."""
        now = self.clock.now()
        warn_before = now + timedelta(days=self.settings.draft_warning_days)
        deleted = 0
        async with self.sessions() as session, session.begin():
            expired = (await session.execute(
                select(Draft).where(Draft.expires_at <= now))).scalars().all()
            for draft in expired:
                account = await session.get(Account, draft.owner_id)
                locale = account.locale if account else self.settings.default_locale
                conv = await session.get(Conversation, draft.owner_id)
                if conv is not None and conv.draft_id == draft.id:
                    conv.flow, conv.step, conv.draft_id, conv.state_sealed = "menu", "", None, None
                await session.delete(draft)
                self._system_message(session, draft.owner_id, locale, now, self.tr.t(
                    locale, N_("Je concept-aanmelding van {date} is verlopen en gewist."),
                    date=self.tr.format_date(locale, draft.created_at.astimezone(self.tz).date())))
                self._enqueue_raw(session, draft.owner_id, "delete_tag", {"locale": locale},
                                  now, tag=f"d:{draft.id}")
                deleted += 1
            warn = (await session.execute(
                select(Draft).where(Draft.expires_at <= warn_before, Draft.expires_at > now,
                                    Draft.warned_at.is_(None)))).scalars().all()
            for draft in warn:
                account = await session.get(Account, draft.owner_id)
                locale = account.locale if account else self.settings.default_locale
                draft.warned_at = now
                self._system_message(session, draft.owner_id, locale, now, self.tr.t(
                    locale, N_("Je concept-aanmelding van {date} verloopt op {expires}. Maak het "
                               "af met /aanmelden, anders wis ik het dan."),
                    date=self.tr.format_date(locale, draft.created_at.astimezone(self.tz).date()),
                    expires=self.tr.format_date(locale,
                                                draft.expires_at.astimezone(self.tz).date())))
        return deleted

    def _system_message(self, session: AsyncSession, chat_id: int, locale: str, now: datetime,
                        text: str) -> None:
        self._enqueue_raw(session, chat_id, "send",
                          {"text": text, "buttons": [], "locale": locale}, now)

    def _enqueue_raw(self, session: AsyncSession, chat_id: int, kind: str,
                     payload: dict[str, Any], now: datetime, *, tag: str | None = None,
                     target: int | None = None, due: datetime | None = None) -> None:
        """Queue a message (or deletion) in the outbox, sealed, in this transaction."""
        outbox.enqueue(session, self.cipher, chat_id, kind, payload, now, tag=tag,
                       target=target, due=due)

    async def last_update_id(self) -> int | None:
        async with self.sessions() as session:
            value = (await session.execute(select(func.max(ProcessedUpdate.update_id)))).scalar()
            return int(value) if value is not None else None

    async def prune_inbox(self, keep: timedelta = timedelta(days=7)) -> None:
        """Forget old update ids, keeping the newest (the polling offset comes from it)."""
        async with self.sessions() as session, session.begin():
            newest = (await session.execute(select(func.max(ProcessedUpdate.update_id)))).scalar()
            await session.execute(delete(ProcessedUpdate).where(
                ProcessedUpdate.processed_at < self.clock.now() - keep,
                ProcessedUpdate.update_id != newest))


@dataclass
class Walk:
    """One walk through a form: the form, the answers so far, and where we are."""

    form: Form
    answers: dict[str, Any]
    pos: str
    tag: str | None
    kind: str  # "form" (a draft) or "profile"
    progress: bool = True
    draft: Draft | None = None
    fill: bool = False


_GEMEENTE_PENDING = object()


def _opt_value(fld: Field, option: Option) -> object:
    if fld.kind is Kind.YESNO:
        return option.id == "ja"
    return option.id


def _yes_no(text: str) -> bool | None:
    word = " ".join(text.casefold().strip(" .!?").split())
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    return None


def _grid(buttons: list[Button], per_row: int) -> list[list[Button]]:
    return [buttons[i:i + per_row] for i in range(0, len(buttons), per_row)]


def _is_duplicate_update(exc: BaseException) -> bool:
    from sqlalchemy.exc import IntegrityError

    return isinstance(exc, IntegrityError) and "processed_update" in str(exc.statement or "")


def _log_failure(exc: BaseException) -> None:
    # Never log the exception message: it may quote what the user typed.
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(frames[-6:]))
    log.error("handler failed: %s at %s", type(exc).__name__, where)
