"""The PIN in the chat, for a bot without a web address: the whole registration and its
PDF are shown in the chat only after the person's PIN (the same PIN as the Mini App's,
:mod:`kks_bot.pins`). A typed PIN is deleted from the chat at once; a correct one opens
the chat's session for a short while, and what was asked for follows."""

from __future__ import annotations

from ...audit import audit
from ...cases import guard, policy_of
from ...i18n import N_
from ...kernel.context import HOME, Ctx, Flow, RouteHandler
from ...pins import (
    PIN_WRONG,
    Checked,
    Lifetimes,
    chat_session_id,
    check,
    choose,
    current,
    has_pin,
    open_session,
    provisional,
    same,
    tries_left,
    weak,
)

PIN = "pin"


async def unlocked(ctx: Ctx) -> bool:
    """Whether the chat's session is past the PIN (and still alive: touched)."""
    row = await current(ctx.session, chat_session_id(ctx.account.user_id), ctx.now,
                        Lifetimes.of(ctx.env.settings))
    return row is not None and row.pin_ok_at is not None


async def ask(ctx: Ctx, action: str, registration_id: str) -> None:
    """Ask for the PIN (or to choose one); ``action`` on the case follows."""
    ctx.go(PIN, "enter" if await has_pin(ctx.session, ctx.account.user_id) else "choose")
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["then"] = [action, registration_id]
    ctx.tag = None
    prompt(ctx)


def prompt(ctx: Ctx) -> None:
    texts = {
        "choose": N_("Zaken open je met een persoonlijke PIN. Kies er een van 5 tot 8 cijfers "
                     "en typ hem hier. Ik wis hem meteen uit de chat."),
        "repeat": N_("Typ dezelfde PIN nog een keer."),
        "enter": N_("Typ je PIN. Ik wis hem meteen uit de chat."),
    }
    ctx.say(ctx.t(texts.get(ctx.conv.step, texts["enter"])),
            [[ctx.btn(ctx.t(N_("Annuleren")), "menu:menu")]], tag=None)


class PinState(Flow):
    """Typing a PIN."""

    name = PIN
    private_input = True

    async def text(self, ctx: Ctx) -> None:
        ctx.delete_message(ctx.event.message_id)  # a PIN never stays in the chat
        typed = ctx.event.text.strip()
        me = ctx.account.user_id
        if ctx.conv.step == "choose":
            if weak(typed):
                ctx.note(ctx.t(N_("Kies 5 tot 8 cijfers, niet allemaal hetzelfde en geen "
                                  "reeks als 12345.")))
                prompt(ctx)
                return
            ctx.state["chosen"] = provisional(typed)  # its argon2 hash, never the PIN
            ctx.conv.step = "repeat"
            prompt(ctx)
            return
        if ctx.conv.step == "repeat":
            chosen = str(ctx.state.pop("chosen", ""))
            if not same(chosen, typed) or not await choose(ctx.session, me, typed, ctx.now):
                ctx.note(ctx.t(N_("De twee PIN's zijn niet gelijk. Probeer het opnieuw.")))
                ctx.conv.step = "choose"
                prompt(ctx)
                return
            audit(ctx.session, ctx.now, me, "pin_chosen")
        else:
            checked = await check(ctx.session, me, typed, ctx.now)
            if checked is Checked.LOCKED:
                audit(ctx.session, ctx.now, me, "pin_locked")
                ctx.state.clear()
                ctx.go(HOME)
                ctx.say(ctx.t(N_("Je PIN is geblokkeerd na vijf foute pogingen. Vraag de "
                                 "beheerder om hem vrij te geven; daarna kies je een nieuwe.")),
                        tag=None)
                for admin in sorted(ctx.env.settings.admins):
                    await ctx.tell(admin, lambda loc: ctx.env.tr.t(
                        loc, N_("⚠️ De PIN van gebruiker {user} is geblokkeerd na vijf foute "
                                "pogingen. Vrijgeven: kks-bot admin unlock-pin {user}"),
                        user=me))
                return
            if checked is not Checked.OK:
                audit(ctx.session, ctx.now, me, "refused", None, "chat:pin_wrong")
                ctx.note(ctx.tn(PIN_WRONG, await tries_left(ctx.session, me)))
                prompt(ctx)
                return
        raw = await open_session(ctx.session, me, "chat", ctx.now, chat_session_id(me))
        row = await current(ctx.session, raw, ctx.now, Lifetimes.of(ctx.env.settings))
        assert row is not None
        row.pin_ok_at = ctx.now
        then = ctx.state.get("then") or []
        ctx.state.clear()
        ctx.go(HOME)
        if len(then) == 2:
            await follow(ctx, str(then[0]), str(then[1]))

    async def reprompt(self, ctx: Ctx) -> None:
        prompt(ctx)


#: What may follow a PIN: the case actions that show case content in the chat.
FOLLOWS: dict[str, RouteHandler] = {}


async def follow(ctx: Ctx, action: str, registration_id: str) -> None:
    """Do what the PIN was asked for, checked again as a press would be."""
    handler = FOLLOWS.get(action)
    registration = await guard(ctx, action, registration_id, policy_of(ctx.env, action))
    if handler is not None and registration is not None:
        await handler(ctx, registration, "")
