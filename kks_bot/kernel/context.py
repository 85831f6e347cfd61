"""What a flow works with, and how it plugs in.

* :class:`Env` - the bot's environment: settings, database, keys, clock, translations,
  municipalities, the form, and the registry.
* :class:`Ctx` - one event's context, whose small public API is all a flow needs to read
  the user's state, say something, offer buttons, move on, and queue messages for others,
  in this event's transaction.
* :class:`Flow` and :class:`Registry` - how features plug into the kernel: one registry,
  filled at start by each feature's ``register(registry)`` (kks_bot/flows/__init__.py
  lists them; the kernel imports none). A flow declares what it answers to:

  - **states** (:class:`Flow`): what typed text, a button of the current screen, "show it
    again", "cancel" and leaving mean while the user is in that state
    (``Conversation.flow``);
  - **commands** ("/aanmelden", "/register", ...);
  - **actions** of every screen: a screen button kind that works wherever the user is
    ("menu", "safety", "lang");
  - **routes**: button data ``"<prefix>.<action>.<id>"`` with a guard that checks the
    presser against the object and per action a handler (and a policy the guard reads);
  - **start tokens**: "/start <token>" links (an invitation, a family's opt-in);
  - **entries**: a named way into a flow for another flow ("registration" with a check's
    ticks), so that flows never import each other;
  - **context hooks**: what the flow adds to every event's context (roles);
  - **jobs** and **scheduled renderers** for the background (delivery imports no flow);
  - **listeners**: what a flow does when another flow announces a moment
    (:meth:`Env.emit`: "family_message", "meeting_held", ...), without either importing
    the other.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.schema import Form

from ..clock import Clock
from ..config import Settings
from ..crypto import Cipher
from ..db.models import Account, Conversation, ScheduledMessage
from ..delivery.outbox import coordinator_gate, enqueue, gate_open
from ..directory import Directory
from ..i18n import N_, Translator
from ..text import Markup
from . import buttons
from .events import Button, Inbound, Outbound

#: A text in the recipient's language (for messages to other users).
Render = Callable[[str], Markup]
Rows = Callable[[str], list[list[Button]]]


#: The state every user returns to; the feature that owns it registers it.
HOME = "menu"


class Flow:
    """A conversation state. Subclass it, set :attr:`name`, override what differs."""

    name: str = ""
    #: What the user sends here is family data: media and typed text are deleted from the
    #: chat (the form's answers and the consent question).
    private_input: ClassVar[bool] = False
    #: The language screen keeps the user here (and shows this screen again after it),
    #: instead of becoming a state of its own that returns to the menu.
    keeps_place_on_language: ClassVar[bool] = False

    async def text(self, ctx: Ctx) -> None:
        """Typed text. By default: a hint, and the screen again."""
        ctx.note(ctx.t(N_("Kies hieronder wat je wilt doen.")))
        await ctx.reprompt()

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        """A press on a button of the current screen (``kind[:arg]``)."""
        await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        """Show the current screen again (after a note, a stale button, a restart)."""
        ctx.home()

    async def cancel(self, ctx: Ctx) -> None:
        """/annuleren: stop what you are doing."""
        ctx.home()

    async def help(self, ctx: Ctx) -> bool:
        """/help: explain the current question; False when there is none (general help)."""
        return False

    async def leave(self, ctx: Ctx) -> None:
        """The user goes elsewhere (a command, a menu button): say what stays behind."""


Handler = Callable[["Ctx"], Awaitable[None]]
ActionHandler = Callable[["Ctx", str], Awaitable[None]]
Guard = Callable[["Ctx", str, str, Any], Awaitable[Any]]
RouteHandler = Callable[["Ctx", Any, str], Awaitable[None]]  # (ctx, object, argument)
Entry = Callable[["Ctx", dict[str, Any]], Awaitable[object]]  # truthy: it took the event
Home = Callable[["Ctx", bool], None]
MenuButtons = Callable[["Ctx"], "list[list[Button]]"]
ContextHook = Callable[["Ctx"], Awaitable[None]]
PrepareHook = Callable[["Env", Sequence["Inbound"]], Awaitable[None]]
Renderer = Callable[["Env", "AsyncSession", "ScheduledMessage", "datetime"], Awaitable[bool]]
JobRun = Callable[["Env"], Awaitable[object]]
Listener = Callable[..., Awaitable[None]]  # (env, **what happened)


class Redeemed(Enum):
    """What a start-token handler made of "/start <token>"."""

    NOT_MINE = "not_mine"  # not this handler's token: ask the next one
    DONE = "done"
    WHO_ARE_YOU = "who_are_you"  # done; a new user makes their profile next


TokenHandler = Callable[["Ctx", str], Awaitable[Redeemed]]


@dataclass
class RouteAction:
    handler: RouteHandler
    policy: Any = None


@dataclass
class Route:
    """A button prefix: its guard, and per action a handler. An action registered with a
    trailing "-" ("rf-") takes an argument: "rf-ozks" calls it with "ozks"."""

    guard: Guard
    actions: dict[str, RouteAction] = field(default_factory=dict)

    def match(self, action: str) -> tuple[RouteAction | None, str]:
        if action in self.actions:
            return self.actions[action], ""
        for key, target in self.actions.items():
            if key.endswith("-") and action.startswith(key):
                return target, action[len(key):]
        return None, ""


@dataclass(frozen=True)
class BackgroundJob:
    name: str
    every: timedelta
    run: JobRun
    at_start: bool = True


@dataclass
class Registry:
    """What every feature registered; the kernel dispatches on it."""

    flows: dict[str, Flow] = field(default_factory=dict)
    commands: dict[str, Handler] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    start_tokens: list[TokenHandler] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    context_hooks: list[ContextHook] = field(default_factory=list)
    # Before the transaction of a typed message: slow work that needs no database
    # rows locked (the sentence model, in its own process), its result cached.
    prepare_hooks: list[PrepareHook] = field(default_factory=list)
    jobs: list[BackgroundJob] = field(default_factory=list)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    listeners: dict[str, list[Listener]] = field(default_factory=dict)
    home: Home | None = None
    menu_buttons: MenuButtons | None = None

    def flow(self, flow: Flow) -> None:
        self._new(self.flows, flow.name, flow)

    def command(self, names: tuple[str, ...], handler: Handler) -> None:
        for name in names:
            self._new(self.commands, name, handler)

    def action(self, kind: str, handler: ActionHandler) -> None:
        self._new(self.actions, kind, handler)

    def route(self, prefix: str, guard: Guard) -> None:
        self._new(self.routes, prefix, Route(guard))

    def route_action(self, prefix: str, action: str, handler: RouteHandler,
                     policy: Any = None) -> None:
        self._new(self.routes[prefix].actions, action, RouteAction(handler, policy))

    def start_token(self, handler: TokenHandler) -> None:
        self.start_tokens.append(handler)

    def entry(self, name: str, handler: Entry) -> None:
        self._new(self.entries, name, handler)

    def context_hook(self, hook: ContextHook) -> None:
        self.context_hooks.append(hook)

    def prepare_hook(self, hook: PrepareHook) -> None:
        self.prepare_hooks.append(hook)

    def job(self, job: BackgroundJob) -> None:
        self.jobs.append(job)

    def renderer(self, kind: str, render: Renderer) -> None:
        self._new(self.renderers, kind, render)

    def listen(self, moment: str, listener: Listener) -> None:
        """Call ``listener(env, **what)`` when a flow emits ``moment``."""
        self.listeners.setdefault(moment, []).append(listener)

    def set_home(self, home: Home, menu_buttons: MenuButtons) -> None:
        self.home, self.menu_buttons = home, menu_buttons

    @staticmethod
    def _new(table: dict[str, Any], key: str, value: Any) -> None:
        if not key or key in table:
            raise ValueError(f"registered twice or without a name: {key!r}")
        table[key] = value


@dataclass
class Env:
    """The bot's environment, the same for every event: settings, database, keys, clock,
    translations, the municipalities, the registration form, and the registry."""

    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    cipher: Cipher
    clock: Clock
    tr: Translator
    directory: Directory
    form: Form
    registry: Registry

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def date(self, locale: str, when: datetime) -> str:
        """A moment's date in the bot's time zone, as the locale writes it."""
        return self.tr.format_date(locale, when.astimezone(self.tz).date())

    async def locale_of(self, session: AsyncSession, user_id: int) -> str:
        account = await session.get(Account, user_id)
        return account.locale if account else self.settings.default_locale

    def enqueue(self, session: AsyncSession, chat_id: int, kind: str, payload: dict[str, Any],
                now: datetime, *, tag: str | None = None, target: int | None = None,
                due: datetime | None = None, gate: str | None = None) -> None:
        """Queue a message (or deletion) in the outbox, sealed, in this transaction."""
        enqueue(session, self.cipher, chat_id, kind, payload, now, tag=tag, target=target,
                due=due, gate=gate)

    def send(self, session: AsyncSession, chat_id: int, locale: str, now: datetime,
             text: Markup, rows: list[list[Button]] | None = None, *,
             gate: str | None = None, tag: str | None = None) -> None:
        """Queue a message with its buttons."""
        self.enqueue(session, chat_id, "send", {
            "text": text, "buttons": [[[b.label, b.data] for b in row] for row in rows or []],
            "locale": locale}, now, gate=gate, tag=tag)

    async def emit(self, moment: str, **what: Any) -> None:
        """A flow announces a moment (in the caller's transaction: ``session=``, and a
        ``ctx=`` when there is one); whoever listens acts on it. Nobody listening: nothing."""
        for listener in self.registry.listeners.get(moment, ()):
            await listener(self, **what)

    @property
    def chat_ttl(self) -> timedelta:
        """How long case content written by one side stays in the other side's chat."""
        return timedelta(hours=self.settings.chat_ttl_hours)

    async def tell(self, session: AsyncSession, user_id: int, now: datetime, render: Render,
                   rows: Rows | None = None, *, coordinator_of: str | None = None,
                   expires: timedelta | None = None) -> bool:
        """Queue a message for another user, in their own language, with their buttons.

        ``coordinator_of``: the message is for the coordinator side of a case of this
        municipality; it is queued only while the user is an active coordinator of it,
        and checked again when it is sent. ``expires``: it is deleted from their chat
        after this long (case content; the whole history stays in the case). Returns
        whether it was queued."""
        gate = coordinator_gate(coordinator_of) if coordinator_of is not None else None
        if gate is not None and not await gate_open(session, gate, user_id):
            return False
        locale = await self.locale_of(session, user_id)
        tag = "x:" + secrets.token_hex(8) if expires is not None else None
        self.send(session, user_id, locale, now, render(locale), rows(locale) if rows else [],
                  gate=gate, tag=tag)
        if expires is not None:  # queued after the message: it removes what came before
            self.enqueue(session, user_id, "delete_tag", {"locale": locale}, now, tag=tag,
                         due=now + expires)
        return True


@dataclass
class Ctx:
    """One event's handling: who, where they are, and what it produces."""

    env: Env
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
    tag: str | None = None
    _bumped: bool = False

    # -- words

    @property
    def locale(self) -> str:
        return self.account.locale

    @property
    def tr(self) -> Translator:
        return self.env.tr

    def t(self, message: str | tuple[str, str], /, **params: object) -> Markup:
        return self.env.tr.t(self.locale, message, **params)

    def tn(self, forms: tuple[str, str], n: int, /, **params: object) -> Markup:
        return self.env.tr.tn(self.locale, forms, n, **params)

    def today(self) -> date:
        return self.now.astimezone(self.env.tz).date()

    def date(self, when: datetime) -> str:
        return self.env.date(self.locale, when)

    # -- screens

    def seq(self) -> int:
        """The nonce for buttons of the message(s) made now; old buttons go stale."""
        if not self._bumped:
            self.conv.seq += 1
            self._bumped = True
        return self.conv.seq

    def keep_seq(self) -> None:
        """This event edits the screen in place (a tick list): its buttons stay valid."""
        self._bumped = True

    def btn(self, label: str, action: str) -> Button:
        """A button of the screen made now; ``action`` is "kind" or "kind:arg"."""
        return Button(label, buttons.screen(self.seq(), action))

    def note(self, text: Markup) -> None:
        """Something to say on top of the next screen (an error, a hint) - one message."""
        self.notes.append(text)

    def say(self, text: Markup, rows: list[list[Button]] | None = None, *,
            replace: int | None = None, tag: str | None = "default") -> None:
        """A message to the user (notes go on top of it)."""
        if self.notes:
            text = Markup("\n\n").join([*self.notes, text])
            self.notes.clear()
        self.out.append(Outbound(text, rows or [], tag=self.tag if tag == "default" else tag,
                                 replace_message_id=replace))

    def say_for_a_while(self, text: Markup, rows: list[list[Button]] | None = None) -> None:
        """A message with case content (meeting details, an action list): deleted from the
        chat after ``KKS_CHAT_TTL_HOURS``, like what the other side wrote."""
        tag = "x:" + secrets.token_hex(8)
        self.say(text, rows, tag=tag)
        self.delete_later(tag, self.now + self.env.chat_ttl)

    # -- where the user is

    @property
    def flow(self) -> Flow:
        """The state the user is in (home for an unknown one)."""
        flows = self.env.registry.flows
        return flows.get(self.conv.flow) or flows[HOME]

    def go(self, flow: str, step: str = "") -> None:
        """Move the user to ``flow`` at ``step`` (the state's answers stay as they are)."""
        self.conv.flow, self.conv.step = flow, step

    def home(self, *, greet: bool = False) -> None:
        """Back to the main menu."""
        assert self.env.registry.home is not None
        self.env.registry.home(self, greet)

    def menu_buttons(self) -> list[list[Button]]:
        assert self.env.registry.menu_buttons is not None
        return self.env.registry.menu_buttons(self)

    async def reprompt(self) -> None:
        """Show the current screen again."""
        await self.flow.reprompt(self)

    async def leave(self) -> None:
        """Leaving the current state for another: it may say what stays behind."""
        await self.flow.leave(self)
        self.conv.draft_id = None
        self.tag = None

    async def enter(self, entry: str, **args: Any) -> object:
        """Start another flow's entry (e.g. "registration"), without importing it; what
        it returns is truthy when it took the event."""
        return await self.env.registry.entries[entry](self, args)

    def then(self, step: Callable[[], Awaitable[None]]) -> None:
        """Async work a synchronous screen asks for, run when the handler returns."""
        self.after.append(step)

    # -- messages beyond the reply

    def enqueue(self, chat_id: int, kind: str, payload: dict[str, Any], *,
                tag: str | None = None, target: int | None = None,
                due: datetime | None = None) -> None:
        """An outbox row in this event's transaction (a document, a mail, a deletion)."""
        self.env.enqueue(self.session, chat_id, kind, payload, self.now, tag=tag,
                         target=target, due=due)

    async def tell(self, user_id: int, render: Render, rows: Rows | None = None, *,
                   coordinator_of: str | None = None, expires: timedelta | None = None) -> bool:
        """A message for another user, in their own language (see :meth:`Env.tell`)."""
        return await self.env.tell(self.session, user_id, self.now, render, rows,
                                   coordinator_of=coordinator_of, expires=expires)

    def delete_message(self, message_id: int | None) -> None:
        """Remove the user's own message (typed family data) from the chat."""
        if message_id is not None:
            self.delete_message_ids.append(message_id)

    def delete_later(self, tag: str, when: datetime) -> None:
        """Remove every message with ``tag`` at ``when`` (a view after 12 hours)."""
        self.later_deletes.append((tag, when))
