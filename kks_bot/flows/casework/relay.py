"""Texts the two sides of a case write to each other: the coordinator's question, the
registrant's answer and supplement, the reasons for closing, withdrawing and referring.
Each is typed in the ``relay`` state, stored sealed with the case, and passed on."""

from __future__ import annotations

from ...audit import audit
from ...cases import FINAL, case_buttons, owner_buttons
from ...db.models import CaseMessage, Registration, RegistrationEvent, row_uid
from ...forms import parsers
from ...i18n import N_
from ...kernel.context import HOME, Ctx, Flow, RouteHandler
from ...people import coordinator_codes, coordinator_side, person
from ...text import Markup, italic
from . import case

RELAY = "relay"
RELAY_MAX = 2000
COORDINATOR_ACTIONS = ("ask", "close")  # typed, on a case of the coordinator's municipality
OWNER_ACTIONS = ("answer", "add", "withdraw")  # the registrant's, on their own registration
PROMPTS = {
    "ask": N_("Typ je vraag aan de aanmelder over {reference}."),
    "answer": N_("Typ je antwoord aan de coördinator over {reference}."),
    "close": N_("Waarom sluit je {reference} af? De aanmelder krijgt de status te zien, "
                "niet je reden."),
    "withdraw": N_("Waarom trek je {reference} in? De coördinator krijgt je reden."),
    "add": N_("Typ wat je wilt toevoegen aan {reference}. Het gaat naar de coördinator."),
    "refer": N_("Waarom verwijs je {reference} door naar {destination}? De aanmelder "
                "krijgt je reden te zien."),
}


def quote(text: str) -> Markup:
    """Someone's own words inside a bot message: escaped, in italics."""
    return italic(text)


async def start_relay(ctx: Ctx, action: str, registration: Registration,
                      destination: str | None = None) -> None:
    """Ask for the text of a question, answer, supplement or reason."""
    destination = destination or ctx.state.get("refer_to")
    ctx.go(RELAY, action)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["relay"] = registration.id
    if action == "refer" and destination:
        ctx.state["refer_to"] = destination
    ctx.tag = None
    ctx.say(ctx.t(PROMPTS[action], reference=registration.reference,
                  destination=case.destination_label(ctx.env, ctx.locale, destination)),
            [[ctx.btn(ctx.t(N_("Annuleren")), "menu:menu")]], tag=None)


def asks_for(action: str) -> RouteHandler:
    """The case button that asks for a text (r.ask, r.answer, r.add, r.close, r.withdraw)."""
    async def handler(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
        await start_relay(ctx, action, registration)

    return handler


async def refer_to(ctx: Ctx, registration: Registration, destination: str) -> None:
    """r.rf-<destination>: the reason for referring it there."""
    if destination in case.REFER_TO:
        await start_relay(ctx, "refer", registration, destination)
    else:
        await ctx.reprompt()


async def refer_to_municipality(ctx: Ctx, registration: Registration, code: str) -> None:
    """r.rg-<CBS code>: the reason for handing it to another municipality's Knooppunt."""
    if ctx.env.directory.get(code) is not None and code != registration.gemeente_code:
        await start_relay(ctx, "refer", registration, "gemeente:" + code)
    else:
        await ctx.reprompt()


class RelayState(Flow):
    """Typing the text a case button asked for."""

    name = RELAY

    async def text(self, ctx: Ctx) -> None:
        await relay_text(ctx)

    async def reprompt(self, ctx: Ctx) -> None:
        registration = await ctx.session.get(Registration, ctx.state.get("relay", ""))
        if registration is not None:
            await start_relay(ctx, ctx.conv.step, registration)
        else:
            ctx.home()


async def relay_text(ctx: Ctx) -> None:
    """The typed question/answer/reason: stored in the case and passed on."""
    env = ctx.env
    action = ctx.conv.step
    registration = await ctx.session.get(Registration, ctx.state.get("relay", ""))
    destination = str(ctx.state.get("refer_to") or "")
    allowed = registration is not None and registration.status not in FINAL and (
        (action in (*COORDINATOR_ACTIONS, "refer") and registration.gemeente_code
         in await coordinator_codes(ctx.session, ctx.account.user_id))
        or (action in OWNER_ACTIONS and registration.owner_id == ctx.account.user_id))
    if registration is None or not allowed:
        ctx.state.clear()
        ctx.go(HOME)
        ctx.say(ctx.t(N_("Dat kan niet (meer).")), tag=None)
        return
    try:
        text = parsers.parse_text(ctx.event.text, max_length=RELAY_MAX)
    except parsers.ParseError as exc:
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        await start_relay(ctx, action, registration)
        return
    me = ctx.account.user_id
    kind = {"ask": "question", "add": "supplement"}.get(action, action)
    message = CaseMessage(registration_id=registration.id, kind=kind, author_id=me,
                          at=ctx.now, uid=row_uid())
    message.text_sealed = env.cipher.seal_json(text, message.aad)
    ctx.session.add(message)
    if action != "refer":
        audit(ctx.session, ctx.now, me, action, registration.id)
    ctx.state.clear()
    ctx.go(HOME)
    ref = registration.reference
    rid = registration.id
    code = registration.gemeente_code or ""
    if action == "refer":
        await case.refer(ctx, registration, destination or "anders", text)
    elif action == "add":
        await case.supplement(ctx, registration, text)
    elif action == "ask":
        if registration.handler_id is None:
            registration.handler_id = me
        await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
            loc, N_("Vraag van {person} over je aanmelding {reference}:"),
            person=person(env, ctx.account, loc), reference=ref) + "\n\n" + quote(text),
            lambda loc: owner_buttons(env, loc, rid), expires=env.chat_ttl)
        ctx.say(ctx.t(N_("Je vraag is doorgestuurd naar de aanmelder.")), tag=None)
    elif action == "answer":
        registrant = ctx.account
        for target in await coordinator_side(ctx.session, registration):
            await ctx.tell(target, lambda loc: env.tr.t(
                loc, N_("Antwoord van {person} over {reference}:"),
                person=person(env, registrant, loc), reference=ref) + "\n\n" + quote(text),
                lambda loc: case_buttons(env, loc, rid), coordinator_of=code,
                expires=env.chat_ttl)
        ctx.say(ctx.t(N_("Je antwoord is doorgestuurd naar de coördinator.")), tag=None)
    elif action in ("close", "withdraw"):
        status = "afgesloten" if action == "close" else "ingetrokken"
        registration.status, registration.updated_at = status, ctx.now
        ctx.session.add(RegistrationEvent(registration_id=rid, status=status,
                                          actor_id=me, at=ctx.now))
        if action == "close":
            await ctx.tell(registration.owner_id, lambda loc: env.tr.t(
                loc, N_("Je aanmelding {reference} is afgesloten door de coördinator."),
                reference=ref))
            ctx.say(ctx.t(N_("{reference} is afgesloten. De aanmelder krijgt bericht."),
                          reference=ref), tag=None)
        else:
            for target in await coordinator_side(ctx.session, registration):
                await ctx.tell(target, lambda loc: env.tr.t(
                    loc, N_("De aanmelder heeft {reference} ingetrokken. Reden:"),
                    reference=ref) + "\n\n" + quote(text), coordinator_of=code,
                    expires=env.chat_ttl)
            ctx.say(ctx.t(N_("Je aanmelding {reference} is ingetrokken."), reference=ref),
                    tag=None)
