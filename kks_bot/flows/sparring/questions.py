"""Sparring's screens: the menu, questions the FAQ answers (on the machine), and an
anonymous question to the coordinator of a municipality - with a warning first when it
seems to identify the family."""

from __future__ import annotations

import uuid
from typing import Any

from conversations.faq import FAQ_BY_ID

from ...audit import audit
from ...db.models import SparThread
from ...directory import load_directory
from ...forms import parsers
from ...i18n import N_
from ...kernel.buttons import grid
from ...kernel.context import Ctx, Flow
from ...metrics import FAQ_ANSWERS
from ...people import active_coordinators, person
from ...safety import danger_text, safety_button
from ...services.figures.faq import tally
from ...text import Markup, bold, italic, lines
from . import check, learned, learning, threads, where
from .danger import SAFETY_ENTRY, sensed
from .identifying import identifying_details
from .names import KIND_LABELS, SPAR, Step, question_text
from .semantic import shared_matcher

#: The FAQ entry the directory answers better when a place is named.
WHO_ENTRY = "wie_coordinator"
#: Entries that answer questions about a case: their answer offers the guided check.
CASE_ENTRIES = frozenset({"overleggen_of_aanmelden", "zorgpaden", "voor_wie", "toestemming"})


def menu(ctx: Ctx) -> None:
    ctx.go(SPAR)
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.tag = None
    ctx.say(lines(bold(ctx.t(N_("Overleggen of aanmelden?"))),
                  ctx.t(N_("Sparren is anoniem en vraagt geen toestemming van het gezin. "
                           "Noem geen namen of andere gegevens waaraan het gezin te "
                           "herkennen is."))),
            [[ctx.btn("🧭 " + ctx.t(N_("Korte check (6 vragen)")), "sp:check")],
             [ctx.btn("❓ " + ctx.t(N_("Stel een vraag")), "sp:faq")],
             [ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
             [ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list")],
             [safety_button(ctx), ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)


class SparState(Flow):
    """The sparring screens: what typed text means depends on the step."""

    name = SPAR

    async def text(self, ctx: Ctx) -> None:
        step = ctx.conv.step
        if step == Step.ASK and ctx.state.get("gemeente"):
            try:
                question = question_text(ctx.event.text)
            except parsers.ParseError as exc:
                ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
                ask_question(ctx)
                return
            kinds = sensed(question, shared_matcher())
            if kinds:  # the coordinator answers later: the numbers now
                audit(ctx.session, ctx.now, ctx.account.user_id, "spar_safety", None,
                      ",".join(sorted(kinds)))
                ctx.note(danger_text(ctx, kinds))
            await check_question(ctx, question)
        elif step == Step.REPLY and ctx.state.get("thread"):
            await threads.reply_text(ctx)
        else:  # a question typed at the sparring menu, or for the FAQ
            await answer_faq(ctx, ctx.event.text)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind == "sp":
            await action(ctx, arg)
        else:
            await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        step = ctx.conv.step
        if step == Step.FAQ:
            ask_faq(ctx)
        elif step == Step.MUNICIPALITY:
            choose_municipality(ctx)
        elif step == Step.ASK and ctx.state.get("gemeente"):
            ask_question(ctx)
        elif step == Step.WARN and ctx.state.get("pending"):
            await check_question(ctx, str(ctx.state["pending"]))
        elif step == Step.REPLY and ctx.state.get("thread"):
            thread = await ctx.session.get(SparThread, str(ctx.state["thread"]))
            if thread is not None:
                threads.ask_reply(ctx, thread)
            else:
                menu(ctx)
        else:
            menu(ctx)


async def action(ctx: Ctx, arg: str) -> None:
    """A press on a "sp:" button of the sparring screens (and the check's "Stoppen")."""
    kind, _, value = arg.partition(":")
    if kind == "check":
        check.start(ctx)
    elif kind == "fb":
        await learning.feedback(ctx, value)
    elif kind == "faq":
        ctx.go(SPAR, Step.FAQ)
        ask_faq(ctx)
    elif kind in ("coord", "ask") and ctx.account.profile_sealed is None:
        # The coordinator sees who asks: name, function, organisation. Once.
        ctx.note(ctx.t(N_("De coördinator ziet wie de vraag stelt. Vul daarom eerst (eenmalig) "
                          "je profiel in; daarna kun je je vraag stellen.")))
        await ctx.env.registry.commands["start"](ctx)
    elif kind == "coord":
        choose_municipality(ctx)
    elif kind == "ask" and ctx.env.directory.get(value) is not None:  # from a place named
        ctx.state.pop("pending", None)
        ctx.state["gemeente"] = value
        ask_question(ctx)
    elif kind == "gem" and ctx.env.directory.get(value) is not None:
        ctx.state["gemeente"] = value
        if ctx.state.get("pending"):  # a question typed before: straight to the check
            await check_question(ctx, str(ctx.state["pending"]))
        else:
            ask_question(ctx)
    elif kind == "send" and ctx.conv.step == Step.WARN and ctx.state.get("pending"):
        await send_question(ctx, str(ctx.state.pop("pending")))
    elif kind == "rewrite" and ctx.state.get("gemeente"):
        ctx.state.pop("pending", None)
        ask_question(ctx)
    elif kind == "list":
        await threads.thread_list(ctx)
    elif kind == "register":
        await ctx.enter("registration", prefill=dict(ctx.state.get("prefill") or {}))
    elif kind == "menu":
        menu(ctx)
    else:
        await ctx.reprompt()


def ask_faq(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Typ je vraag in je eigen woorden, bijvoorbeeld: \"Heb ik toestemming "
                     "nodig?\" of \"Wat is het verschil met het OZKS?\"")),
            [[ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)


async def faq_entry(ctx: Ctx, args: dict[str, Any]) -> bool:
    """The entry for a question typed elsewhere (the main menu): answered only when the
    FAQ knows it."""
    return await answer_faq(ctx, str(args["question"]),
                            only_if_known=bool(args.get("only_if_known")))


async def answer_faq(ctx: Ctx, raw: str, *, only_if_known: bool = False) -> bool:
    """Answer from the FAQ. With ``only_if_known`` (text typed at the main menu) nothing
    is said unless the FAQ knows the answer or the question touches danger; returns
    whether something was said. A question about danger gets the safety text first,
    whatever the FAQ makes of it."""
    try:
        question = question_text(raw)
    except parsers.ParseError as exc:
        if only_if_known:
            return False
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        ctx.go(SPAR, Step.FAQ)
        ask_faq(ctx)
        return True
    kinds = sensed(question, shared_matcher())
    hit = shared_matcher().match(question, ctx.locale)
    shipped = FAQ_BY_ID.get(hit.faq_id) if hit is not None else None
    written = await learned.find(ctx.session, hit.faq_id) \
        if hit is not None and shipped is None else None
    if shipped is None and written is None:
        hit = None  # or an entry retired since the matcher learnt it
    # The directory as the administrators keep it now (active or not), from the database.
    found, postcode = where.named(question, await load_directory(ctx.session)) \
        if where.asks_who(question) else ([], None)
    if hit is None and only_if_known and not kinds and not found:
        return False
    ctx.go(SPAR, Step.FAQ)
    if kinds:
        audit(ctx.session, ctx.now, ctx.account.user_id, "faq_safety", None,
              ",".join(sorted(kinds)))
        ctx.note(danger_text(ctx, kinds))
        # Nothing else to say: the safety text is the answer.
        if not found and (hit is None or hit.faq_id == SAFETY_ENTRY):
            ctx.state["pending"] = question  # "Vraag aan de coördinator" takes it along
            ctx.say(ctx.t(N_("Wil je daarna overleggen? Vraag het de coördinator. Nog een "
                             "vraag? Typ hem.")),
                    [[ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
                     [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)
            return True
    if found and (hit is None or hit.faq_id == WHO_ENTRY):  # the directory answers
        audit(ctx.session, ctx.now, ctx.account.user_id, "faq_directory", None,
              ",".join(m.code for m in found))
        ctx.state.pop("pending", None)
        text, rows = await where.knooppunt_text(ctx, found, postcode)
        ctx.say(text + "\n\n" + ctx.t(N_("Nog een vraag? Typ hem.")),
                [*rows, [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]],
                tag=None)
        return True
    if hit is None:
        ctx.state["pending"] = question
        audit(ctx.session, ctx.now, ctx.account.user_id, "faq_unknown")
        FAQ_ANSWERS.labels(ctx.locale, "unknown").inc()
        await tally(ctx.session, ctx.now, ctx.env.tz, ctx.locale, None, "unknown")
        learning.keep_for_review(ctx, question, "unknown", None)
        ctx.say(ctx.t(N_("Daar heb ik geen goed antwoord op. Zal ik je vraag doorsturen naar "
                         "de Knooppuntcoördinator? Of typ hem anders.")),
                [[ctx.btn("✉️ " + ctx.t(N_("Ja, naar de coördinator")), "sp:coord")],
                 [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)
        return True
    entry_id = hit.faq_id
    audit(ctx.session, ctx.now, ctx.account.user_id, "faq", None, entry_id)
    FAQ_ANSWERS.labels(ctx.locale, entry_id).inc()
    await tally(ctx.session, ctx.now, ctx.env.tz, ctx.locale, entry_id, "answered")
    ctx.state.pop("pending", None)
    learning.remember(ctx, question, entry_id)
    # A shipped entry through the catalogues; one written in the bot as it was typed.
    shown: list[object] = [bold(ctx.t(shipped.question)), ctx.t(shipped.answer)] \
        if shipped else [bold(written.question(ctx.locale)), written.answer(ctx.locale)] \
        if written else []
    rows = [[ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")]]
    if entry_id in CASE_ENTRIES:  # a question about a case: the guided check helps decide
        rows.insert(0, [ctx.btn("🧭 " + ctx.t(N_("Korte check (6 vragen)")), "sp:check")])
    if found:  # and what the directory knows of the place named
        text, place_rows = await where.knooppunt_text(ctx, found, postcode)
        shown += [Markup(""), text]
        if place_rows:  # the named municipality's coordinator, not the general choice
            rows = [*rows[:-1], *place_rows]
    ctx.say(lines(*shown, "", ctx.t(N_("Nog een vraag? Typ hem. Was dit niet wat je zocht? "
                                       "Vraag het de coördinator."))),
            [*rows, learning.feedback_row(ctx),
             [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)
    return True


def choose_municipality(ctx: Ctx) -> None:
    ctx.go(SPAR, Step.MUNICIPALITY)
    ctx.state.pop("gemeente", None)
    choices = [m for m in ctx.env.directory.all() if m.code in ctx.covered]
    if not choices:
        ctx.say(ctx.t(N_("Er is nog geen Knooppuntcoördinator in de bot. Probeer het later of "
                         "neem contact op met je gemeente.")),
                [[ctx.btn(ctx.t(N_("Terug")), "sp:menu")]], tag=None)
        return
    rows = grid([ctx.btn(m.name, f"sp:gem:{m.code}") for m in choices], 2)
    rows.append([ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)])
    ctx.say(ctx.t(N_("Met de coördinator van welke gemeente wil je overleggen?")), rows,
            tag=None)


def ask_question(ctx: Ctx) -> None:
    ctx.go(SPAR, Step.ASK)
    municipality = ctx.env.directory.get(str(ctx.state.get("gemeente")))
    ctx.say(ctx.t(N_("Typ je vraag aan de coördinator van {gemeente}. Zonder namen, "
                     "geboortedata, adressen of telefoonnummers van het gezin."),
                  gemeente=municipality.name if municipality else "—"),
            [[ctx.btn(ctx.t(N_("Terug")), "sp:coord"), safety_button(ctx)]], tag=None)


async def check_question(ctx: Ctx, question: str) -> None:
    """Warn when the text looks like it identifies a family; otherwise send it."""
    if not ctx.state.get("gemeente"):
        ctx.state["pending"] = question
        choose_municipality(ctx)
        return
    found = identifying_details(question)
    if not found:
        await send_question(ctx, question)
        return
    ctx.conv.step = Step.WARN
    ctx.state["pending"] = question
    if ctx.event.kind.value == "text":
        ctx.delete_message(ctx.event.message_id)  # off the screen for now
    ctx.say("⚠️ " + ctx.t(N_("Je vraag lijkt iets te bevatten waaraan het gezin te herkennen "
                            "is: {kinds}. Sparren is anoniem."),
                         kinds=Markup(", ").join(ctx.t(KIND_LABELS[k]) for k in found))
            + "\n\n" + italic(question) + "\n\n"
            + ctx.t(N_("Schrijf je vraag liever opnieuw, zonder die gegevens.")),
            [[ctx.btn("✏️ " + ctx.t(N_("Opnieuw schrijven")), "sp:rewrite")],
             [ctx.btn(ctx.t(N_("Toch versturen")), "sp:send")],
             [ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)


async def send_question(ctx: Ctx, question: str) -> None:
    env = ctx.env
    code = str(ctx.state.get("gemeente") or "")
    coordinators = await active_coordinators(ctx.session, code)
    if not coordinators:
        ctx.note(ctx.t(N_("Deze gemeente heeft op dit moment geen actieve coördinator in de "
                          "bot. Kies een andere of probeer het later.")))
        ctx.state["pending"] = question
        choose_municipality(ctx)
        return
    thread_id = str(uuid.uuid4())
    reference = await threads.new_reference(ctx.session)
    me = ctx.account.user_id
    thread = SparThread(id=thread_id, reference=reference, professional_id=me,
                        gemeente_code=code, status="open", created_at=ctx.now,
                        updated_at=ctx.now)
    ctx.session.add(thread)
    await ctx.session.flush()
    threads.store(ctx, thread, question)
    audit(ctx.session, ctx.now, me, "spar_question", None, reference)
    municipality = env.directory.get(code)
    asker = ctx.account
    for user in coordinators:
        await threads.send(ctx, user, thread, lambda loc: env.tr.t(
            loc, N_("💬 Sparvraag {reference} voor {gemeente}, van {person}:"),
            reference=reference, gemeente=municipality.name if municipality else code,
            person=person(env, asker, loc)) + "\n\n" + italic(question))
    ctx.state.clear()
    ctx.go(SPAR)
    ctx.say(ctx.t(N_("Je vraag {reference} is doorgestuurd naar de coördinator van "
                     "{gemeente}. Het antwoord komt hier, in deze chat."),
                  reference=reference, gemeente=municipality.name if municipality else code),
            [[ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list")],
             [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)
