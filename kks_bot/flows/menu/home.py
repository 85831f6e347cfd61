"""The main menu, /start, the language, and the general help."""

from __future__ import annotations

from ...i18n import LANGUAGE_NAMES, N_
from ...kernel.buttons import web_app
from ...kernel.context import HOME, Ctx, Flow, Redeemed
from ...kernel.events import Button
from ...text import Markup
from . import profile

LANGUAGE = "language"

#: Menu buttons that do what a command does: menu:<arg> -> /<command>.
MENU_COMMANDS = {"aanmelden": "aanmelden", "mijn": "mijnaanmeldingen", "sparren": "sparren",
                 "cases": "aanmeldingen", "beheer": "beheer", "profiel": "profiel",
                 "taal": "taal"}
WELCOME = N_("Welkom bij de bot van het Knooppunt Kansrijke Start. Hier meld je een "
             "(aanstaand) gezin aan bij de Knooppuntcoördinator van de gemeente.")


def menu_buttons(ctx: Ctx) -> list[list[Button]]:
    rows = [
        [ctx.btn("💬 " + ctx.t(N_("Overleggen of aanmelden?")), "menu:sparren")],
        [ctx.btn("📝 " + ctx.t(N_("Aanmelden")), "menu:aanmelden")],
        [ctx.btn("📂 " + ctx.t(N_("Mijn aanmeldingen")), "menu:mijn")],
    ]
    if "coordinator" in ctx.roles:
        rows.append([ctx.btn("📥 " + ctx.t(N_("Open aanmeldingen (coördinator)")),
                             "menu:cases")])
    if ctx.env.settings.web_url:  # the Mini App: cases and registrations behind the PIN
        rows.append([Button("🔐 " + ctx.t(N_("Openen in de app")),
                            web_app(ctx.env.settings.web_url + "/?to=home"))])
    if "admin" in ctx.roles:
        rows.append([ctx.btn("🛠 " + ctx.t(N_("Beheer")), "menu:beheer")])
    rows.append([ctx.btn("👤 " + ctx.t(N_("Profiel")), "menu:profiel"),
                 ctx.btn("🌐 " + ctx.t(N_("Taal")), "menu:taal")])
    return rows


def to_menu(ctx: Ctx, greet: bool = False) -> None:
    ctx.go(HOME)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.tag = None
    text = ctx.t(N_("Wat wil je doen?"))
    if greet:
        text = ctx.t(WELCOME) + Markup("\n\n") + text
    ctx.say(text, menu_buttons(ctx), tag=None)


class MenuFlow(Flow):
    """The main menu: a question typed here that the FAQ knows is answered."""

    name = HOME

    async def text(self, ctx: Ctx) -> None:
        if "faq" in ctx.env.registry.entries and await ctx.enter(
                "faq", question=ctx.event.text, only_if_known=True):
            return
        await super().text(ctx)

    async def reprompt(self, ctx: Ctx) -> None:
        to_menu(ctx)


class LanguageFlow(Flow):
    """The language screen, when it is not shown inside a walk."""

    name = LANGUAGE

    async def reprompt(self, ctx: Ctx) -> None:
        ask_language(ctx)


async def start(ctx: Ctx) -> None:
    """/start: a new user makes their profile (once); everyone else gets the menu."""
    await ctx.leave()
    if ctx.account.profile_sealed is None:
        ctx.tag = None
        ctx.say(
            ctx.t(WELCOME) + Markup("\n\n")
            + ctx.t(N_("Ik spreek Nederlands, Engels en Arabisch. Wissel met /taal."))
            + Markup("\n\n")
            + ctx.t(N_("Eerst een paar vragen over jou. Dat is eenmalig: ik vul ze daarna "
                       "in bij elke aanmelding.")),
            [[ctx.btn("🌐 " + ctx.t(N_("Taal")), "menu:taal")]], tag=None)
        ctx.conv.draft_id = None
        ctx.state.clear()
        profile.PROFILE.start(ctx)
        return
    to_menu(ctx, greet=True)


async def start_command(ctx: Ctx) -> None:
    """/start, or /start <token> from an invitation link."""
    token = ctx.event.text.strip()
    if token:
        for redeem in ctx.env.registry.start_tokens:
            redeemed = await redeem(ctx, token)
            if redeemed is Redeemed.NOT_MINE:
                continue
            if redeemed is Redeemed.WHO_ARE_YOU and ctx.account.profile_sealed is None:
                await start(ctx)  # who are you (once): the other side sees it
            return
    await start(ctx)


async def menu_action(ctx: Ctx, arg: str) -> None:
    """A main-menu button, pressed on any screen."""
    command = MENU_COMMANDS.get(arg)
    if command is not None:
        await ctx.env.registry.commands[command](ctx)
    elif arg == "profiel_wijzig":
        await ctx.leave()
        profile.change(ctx)
    else:
        await ctx.leave()
        to_menu(ctx)


async def menu_command(ctx: Ctx) -> None:
    await ctx.leave()
    to_menu(ctx)


def ask_language(ctx: Ctx) -> None:
    if not ctx.flow.keeps_place_on_language:
        ctx.go(LANGUAGE, ctx.conv.step)
    ctx.say(ctx.t(N_("Kies je taal.")),
            [[ctx.btn(name, f"lang:{code}")] for code, name in LANGUAGE_NAMES.items()])


async def language_command(ctx: Ctx) -> None:
    ask_language(ctx)


async def set_language(ctx: Ctx, code: str) -> None:
    if code not in LANGUAGE_NAMES:
        await ctx.reprompt()
        return
    ctx.account.locale = code
    ctx.account.locale_chosen = True
    ctx.account.updated_at = ctx.now
    ctx.say(ctx.t(N_("De taal is nu Nederlands.")))
    if ctx.conv.flow == LANGUAGE:
        to_menu(ctx)
    else:
        await ctx.reprompt()


async def help_command(ctx: Ctx) -> None:
    if await ctx.flow.help(ctx):
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
    await ctx.reprompt()


async def cancel_command(ctx: Ctx) -> None:
    await ctx.flow.cancel(ctx)
