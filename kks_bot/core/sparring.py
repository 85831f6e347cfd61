"""Sparring: "overleggen of aanmelden?" before (or instead of) a registration.

Three ways in, from the menu or ``/sparren``:

* the guided check (a few taps, the walk engine over ``conversations.sparcheck``),
  ending in advice with its reasons (:mod:`kks_bot.core.triage`);
* a question in the professional's own words, answered from the FAQ
  (:mod:`kks_bot.core.faq`), or "I don't know" with the offer to ask the coordinator;
* an anonymous question to the coordinators of a municipality: a thread both sides
  can go on writing in, relayed through the outbox. Before it goes, the text is
  checked for details that identify a family (:mod:`kks_bot.core.identifying`).

Thread buttons carry the thread id only ("s.<action>.<thread_id>"); every press is
checked: the professional who asked, or an active coordinator of that municipality.
"""

from __future__ import annotations

import functools
import unicodedata
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..db.models import Account, SparMessage, SparThread
from ..i18n import N_, NP_
from ..text import Markup, bold, lines
from . import parsers
from .events import Button
from .handoff import _person, active_coordinators, audit, coordinator_codes, quote, tell

if TYPE_CHECKING:
    from .app import Core, Ctx, Walk
    from .faq import FaqMatcher
    from .faq_semantic import HybridMatcher

QUESTION_MAX = 2000
LIST_LIMIT = 10
CARE_PATHS_URL = "https://zorgpadenkansrijkestart.pharos.nl/"

_KIND_LABELS = {
    "name": N_("een naam"),
    "birthdate": N_("een (geboorte)datum"),
    "postcode": N_("een postcode"),
    "phone": N_("een telefoonnummer"),
    "email": N_("een e-mailadres"),
    "number": N_("een nummer van 9 cijfers (zoals een BSN)"),
}


# ------------------------------------------------------------------ safety


def safety_text(ctx: Ctx) -> Markup:
    """The acute-safety way out: 112, Veilig Thuis, the meldcode."""
    return lines(
        "🚨 " + bold(ctx.t(N_("Acuut onveilig?"))),
        ctx.t(N_("Direct gevaar voor moeder of kind: bel 112.")),
        ctx.t(N_("Geen direct gevaar, wel zorgen over veiligheid: volg de meldcode en bel "
                 "Veilig Thuis: 0800-2000. Gratis, dag en nacht; advies kan anoniem.")),
        ctx.t(N_("Meldcode: de KNMG-meldcode kindermishandeling en huiselijk geweld, of de "
                 "meldcode van je eigen beroep.")),
    )


def safety_button(ctx: Ctx) -> Button:
    return ctx.btn("🚨 " + ctx.t(N_("Acuut onveilig")), "safety")


# ------------------------------------------------------------------ the menu


def menu(core: Core, ctx: Ctx) -> None:
    ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "spar", "", None
    ctx.state.clear()
    ctx.tag = None
    ctx.say("<b>" + ctx.t(N_("Overleggen of aanmelden?")) + "</b>\n"
            + ctx.t(N_("Sparren is anoniem en vraagt geen toestemming van het gezin. Noem "
                       "geen namen of andere gegevens waaraan het gezin te herkennen is.")),
            [[ctx.btn("🧭 " + ctx.t(N_("Korte check (6 vragen)")), "sp:check")],
             [ctx.btn("❓ " + ctx.t(N_("Stel een vraag")), "sp:faq")],
             [ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
             [ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list")],
             [safety_button(ctx), ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)


async def action(core: Core, ctx: Ctx, arg: str) -> None:
    """A press on a "sp:" button of the sparring screens."""
    kind, _, value = arg.partition(":")
    if kind == "check":
        start_check(core, ctx)
    elif kind == "faq":
        ctx.conv.flow, ctx.conv.step = "spar", "faq"
        ask_faq(ctx)
    elif kind == "coord" and ctx.account.profile_sealed is None:
        # The coordinator sees who asks: name, function, organisation. Once.
        ctx.note(ctx.t(N_("De coördinator ziet wie de vraag stelt. Vul daarom eerst (eenmalig) "
                          "je profiel in; daarna kun je je vraag stellen.")))
        await core._start(ctx)
    elif kind == "coord":
        choose_municipality(core, ctx)
    elif kind == "gem" and core.directory.get(value) is not None:
        ctx.state["gemeente"] = value
        if ctx.state.get("pending"):  # a question typed before: straight to the check
            await _check_question(core, ctx, str(ctx.state["pending"]))
        else:
            ask_question(core, ctx)
    elif kind == "send" and ctx.conv.step == "warn" and ctx.state.get("pending"):
        await send_question(core, ctx, str(ctx.state.pop("pending")))
    elif kind == "rewrite" and ctx.state.get("gemeente"):
        ctx.state.pop("pending", None)
        ask_question(core, ctx)
    elif kind == "list":
        await thread_list(core, ctx)
    elif kind == "register":
        await core._register_from_check(ctx)
    elif kind == "menu":
        menu(core, ctx)
    else:
        await reprompt(core, ctx)


async def reprompt(core: Core, ctx: Ctx) -> None:
    step = ctx.conv.step
    if step == "faq":
        ask_faq(ctx)
    elif step == "gem":
        choose_municipality(core, ctx)
    elif step == "ask" and ctx.state.get("gemeente"):
        ask_question(core, ctx)
    elif step == "warn" and ctx.state.get("pending"):
        await _check_question(core, ctx, str(ctx.state["pending"]))
    elif step == "reply" and ctx.state.get("thread"):
        thread = await ctx.session.get(SparThread, str(ctx.state["thread"]))
        if thread is not None:
            _ask_reply(ctx, thread)
        else:
            menu(core, ctx)
    else:
        menu(core, ctx)


async def text(core: Core, ctx: Ctx) -> None:
    """Typed text in the sparring flow."""
    step = ctx.conv.step
    if step == "faq":
        await answer_faq(core, ctx, ctx.event.text)
    elif step == "ask" and ctx.state.get("gemeente"):
        try:
            question = _question_text(ctx.event.text)
        except parsers.ParseError as exc:
            ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
            ask_question(core, ctx)
            return
        await _check_question(core, ctx, question)
    elif step == "reply" and ctx.state.get("thread"):
        await reply_text(core, ctx)
    else:
        # A question typed at the sparring menu: try the FAQ.
        await answer_faq(core, ctx, ctx.event.text)


def _question_text(raw: str) -> str:
    """Clean text that has at least one letter (not only emoji or digits)."""
    cleaned = parsers.parse_text(raw, max_length=QUESTION_MAX)
    if not any(unicodedata.category(ch).startswith("L") for ch in cleaned):
        raise parsers.ParseError(N_("Typ je vraag in woorden."))
    return cleaned


# ------------------------------------------------------------ guided check


def start_check(core: Core, ctx: Ctx) -> None:
    from . import formflow as ff

    walk = check_walk(core, ctx, fresh=True)
    ctx.conv.flow, ctx.conv.draft_id = "check", None
    walk.pos = ff.next_pos(walk.form, None, walk.answers) or ""
    ctx.conv.step = walk.pos
    core._ask(ctx, walk)


def check_walk(core: Core, ctx: Ctx, *, fresh: bool = False) -> Walk:
    if fresh:
        ctx.state.clear()
        ctx.state["answers"] = {}
    ctx.conv.flow = "check"
    return core._state_walk(ctx)


def check_result(core: Core, ctx: Ctx, answers: dict[str, Any]) -> None:
    """The end of the check: advice with its reasons, and what to do next."""
    from ..triage import advise

    ctx.conv.flow, ctx.conv.step = "spar", "advice"
    ctx.state["prefill"] = {k: answers[k] for k in
                            ("zwanger", "urgente_kwetsbaarheden", "kwetsbaarheden",
                             "beschermende_factoren") if answers.get(k) not in (None, [])}
    if answers.get("acuut") is True:
        ctx.say(safety_text(ctx) + "\n\n" + ctx.t(N_("Veiligheid gaat voor. Daarna kun je "
                                                     "altijd nog overleggen met de "
                                                     "Knooppuntcoördinator.")),
                [[ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
                 [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)
        return
    advice = advise(answers)
    reasons = [ctx.tn(r.message, r.n) if isinstance(r.message, tuple) else ctx.t(r.message)
               for r in advice.reasons]
    shown = ["🧭 " + bold(ctx.t(N_("Advies"))) + " "
             + ctx.t(N_("(geen besluit: de coördinator beslist)")),
             ctx.t(advice.text),
             ctx.t(N_("Waarom: {reasons}."), reasons=Markup("; ").join(reasons))]
    if advice.route == "zorgpaden":
        shown.append(ctx.t(N_("Zorgpaden Kansrijke Start:")) + " " + CARE_PATHS_URL)
    consent = answers.get("toestemming")
    if consent == "nog_niet":
        shown.append(ctx.t(N_("Aanmelden kan pas na toestemming van het gezin. Bespreek het "
                              "eerst met hen; overleggen kan nu al.")))
    elif consent == "nee":
        shown.append(ctx.t(N_("Het gezin wil (nog) niet: dan meld je niet aan. Overleg "
                              "anoniem met de coördinator over wat wel kan.")))
    rows = [[ctx.btn("📝 " + ctx.t(N_("Aanmelden")), "sp:register")]]
    rows.append([ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")])
    rows.append([safety_button(ctx), ctx.btn(ctx.t(N_("Menu")), "menu:menu")])
    audit(ctx, ctx.now, ctx.account.user_id, "spar_check", None, advice.route)
    ctx.say(lines(*shown), rows, tag=None)


# -------------------------------------------------------------------- FAQ


def ask_faq(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Typ je vraag in je eigen woorden, bijvoorbeeld: \"Heb ik toestemming "
                     "nodig?\" of \"Wat is het verschil met het OZKS?\"")),
            [[ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)


async def answer_faq(core: Core, ctx: Ctx, raw: str, *, only_if_known: bool = False) -> bool:
    """Answer from the FAQ. With ``only_if_known`` (text typed at the main menu) nothing
    is said unless the FAQ knows the answer; returns whether something was said."""
    from conversations.faq import FAQ

    try:
        question = _question_text(raw)
    except parsers.ParseError as exc:
        if only_if_known:
            return False
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        ctx.conv.flow, ctx.conv.step = "spar", "faq"
        ask_faq(ctx)
        return True
    hit = _matcher().match(question, ctx.locale)
    if hit is None and only_if_known:
        return False
    ctx.conv.flow, ctx.conv.step = "spar", "faq"
    if hit is None:
        ctx.state["pending"] = question
        audit(ctx, ctx.now, ctx.account.user_id, "faq_unknown")
        ctx.say(ctx.t(N_("Daar heb ik geen goed antwoord op. Zal ik je vraag doorsturen naar "
                         "de Knooppuntcoördinator? Of typ hem anders.")),
                [[ctx.btn("✉️ " + ctx.t(N_("Ja, naar de coördinator")), "sp:coord")],
                 [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)
        return True
    entry = next(e for e in FAQ if e.id == hit.faq_id)
    audit(ctx, ctx.now, ctx.account.user_id, "faq", None, entry.id)
    ctx.state.pop("pending", None)
    ctx.say(lines(bold(ctx.t(entry.question)), ctx.t(entry.answer), "",
                  ctx.t(N_("Nog een vraag? Typ hem. Was dit niet wat je zocht? Vraag het de "
                           "coördinator."))),
            [[ctx.btn("✉️ " + ctx.t(N_("Vraag aan de coördinator")), "sp:coord")],
             [ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)]], tag=None)
    return True


# ------------------------------------------------------ ask the coordinator


def choose_municipality(core: Core, ctx: Ctx) -> None:
    ctx.conv.flow, ctx.conv.step = "spar", "gem"
    ctx.state.pop("gemeente", None)
    choices = [m for m in core.directory.all() if m.code in ctx.covered]
    if not choices:
        ctx.say(ctx.t(N_("Er is nog geen Knooppuntcoördinator in de bot. Probeer het later of "
                         "neem contact op met je gemeente.")),
                [[ctx.btn(ctx.t(N_("Terug")), "sp:menu")]], tag=None)
        return
    buttons = [ctx.btn(m.name, f"sp:gem:{m.code}") for m in choices]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([ctx.btn(ctx.t(N_("Terug")), "sp:menu"), safety_button(ctx)])
    ctx.say(ctx.t(N_("Met de coördinator van welke gemeente wil je overleggen?")), rows,
            tag=None)


def ask_question(core: Core, ctx: Ctx) -> None:
    ctx.conv.flow, ctx.conv.step = "spar", "ask"
    municipality = core.directory.get(str(ctx.state.get("gemeente")))
    ctx.say(ctx.t(N_("Typ je vraag aan de coördinator van {gemeente}. Zonder namen, "
                     "geboortedata, adressen of telefoonnummers van het gezin."),
                  gemeente=municipality.name if municipality else "—"),
            [[ctx.btn(ctx.t(N_("Terug")), "sp:coord"), safety_button(ctx)]], tag=None)


async def _check_question(core: Core, ctx: Ctx, question: str) -> None:
    """Warn when the text looks like it identifies a family; otherwise send it."""
    from .identifying import identifying_details

    if not ctx.state.get("gemeente"):
        ctx.state["pending"] = question
        choose_municipality(core, ctx)
        return
    found = identifying_details(question)
    if not found:
        await send_question(core, ctx, question)
        return
    ctx.conv.step = "warn"
    ctx.state["pending"] = question
    if ctx.event.message_id is not None and ctx.event.kind.value == "text":
        ctx.delete_message_ids.append(ctx.event.message_id)  # off the screen for now
    ctx.say("⚠️ " + ctx.t(N_("Je vraag lijkt iets te bevatten waaraan het gezin te herkennen "
                            "is: {kinds}. Sparren is anoniem."),
                         kinds=Markup(", ").join(ctx.t(_KIND_LABELS[k]) for k in found))
            + "\n\n" + quote(question) + "\n\n"
            + ctx.t(N_("Schrijf je vraag liever opnieuw, zonder die gegevens.")),
            [[ctx.btn("✏️ " + ctx.t(N_("Opnieuw schrijven")), "sp:rewrite")],
             [ctx.btn(ctx.t(N_("Toch versturen")), "sp:send")],
             [ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)


async def send_question(core: Core, ctx: Ctx, question: str) -> None:
    code = str(ctx.state.get("gemeente") or "")
    coordinators = await active_coordinators(ctx.session, code)
    if not coordinators:
        ctx.note(ctx.t(N_("Deze gemeente heeft op dit moment geen actieve coördinator in de "
                          "bot. Kies een andere of probeer het later.")))
        ctx.state["pending"] = question
        choose_municipality(core, ctx)
        return
    thread_id = str(uuid.uuid4())
    reference = "SP-" + thread_id[:6].upper()
    me = ctx.account.user_id
    thread = SparThread(id=thread_id, reference=reference, professional_id=me,
                        gemeente_code=code, status="open", created_at=ctx.now,
                        updated_at=ctx.now)
    ctx.session.add(thread)
    await ctx.session.flush()
    _store(core, ctx, thread, question)
    audit(ctx, ctx.now, me, "spar_question", None, reference)
    municipality = core.directory.get(code)
    asker = ctx.account
    for user in coordinators:
        await _send(core, ctx, user, thread, lambda loc: core.tr.t(
            loc, N_("💬 Sparvraag {reference} voor {gemeente}, van {person}:"),
            reference=reference, gemeente=municipality.name if municipality else code,
            person=_person(core, asker, loc)) + "\n\n" + quote(question))
    ctx.state.clear()
    ctx.conv.flow, ctx.conv.step = "spar", ""
    ctx.say(ctx.t(N_("Je vraag {reference} is doorgestuurd naar de coördinator van "
                     "{gemeente}. Het antwoord komt hier, in deze chat."),
                  reference=reference, gemeente=municipality.name if municipality else code),
            [[ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list")],
             [ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)


# ------------------------------------------------------------ the thread


async def _role(ctx: Ctx, thread: SparThread) -> str | None:
    if thread.professional_id == ctx.account.user_id:
        return "professional"
    if thread.gemeente_code in await coordinator_codes(ctx.session, ctx.account.user_id):
        return "coordinator"
    return None


async def thread_button(core: Core, ctx: Ctx, action: str, thread_id: str) -> None:
    """A press on "s.<action>.<thread_id>": checked, then done."""
    thread = await ctx.session.get(SparThread, thread_id)
    role = await _role(ctx, thread) if thread is not None else None
    if thread is None or role is None or action not in ("reply", "close", "show"):
        audit(ctx, ctx.now, ctx.account.user_id, "refused", None, ("s." + action)[:20])
        ctx.note(ctx.t(N_("Dat kan ik niet tonen: deze sparvraag is niet van jou of van jouw "
                          "gemeente(n).")))
        await core._reprompt(ctx)
        return
    if action == "show":
        await show_thread(core, ctx, thread)
    elif thread.status != "open":
        ctx.say(ctx.t(N_("Sparvraag {reference} is gesloten."), reference=thread.reference),
                tag=None)
    elif action == "reply":
        ctx.conv.flow, ctx.conv.step, ctx.conv.draft_id = "spar", "reply", None
        ctx.state.clear()
        ctx.state["thread"] = thread.id
        ctx.tag = None
        _ask_reply(ctx, thread)
    else:
        await _close(core, ctx, thread)


def _ask_reply(ctx: Ctx, thread: SparThread) -> None:
    ctx.say(ctx.t(N_("Typ je bericht voor sparvraag {reference}."),
                  reference=thread.reference),
            [[ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)


async def reply_text(core: Core, ctx: Ctx) -> None:
    thread = await ctx.session.get(SparThread, str(ctx.state.get("thread")))
    role = await _role(ctx, thread) if thread is not None else None
    if thread is None or role is None or thread.status != "open":
        ctx.state.clear()
        ctx.conv.flow, ctx.conv.step = "menu", ""
        ctx.say(ctx.t(N_("Dat kan niet (meer).")), tag=None)
        return
    try:
        message = _question_text(ctx.event.text)
    except parsers.ParseError as exc:
        ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
        _ask_reply(ctx, thread)
        return
    if role == "professional" and not ctx.state.get("warned"):
        from .identifying import identifying_details

        found = identifying_details(message)
        if found:
            ctx.state["warned"] = True
            if ctx.event.message_id is not None:
                ctx.delete_message_ids.append(ctx.event.message_id)
            ctx.say("⚠️ " + ctx.t(N_("Je bericht lijkt iets te bevatten waaraan het gezin te "
                                    "herkennen is: {kinds}. Typ het opnieuw zonder die "
                                    "gegevens; typ je het nog eens zo, dan gaat het toch."),
                                 kinds=Markup(", ").join(ctx.t(_KIND_LABELS[k]) for k in found)),
                    [[ctx.btn(ctx.t(N_("Annuleren")), "sp:menu")]], tag=None)
            return
    _store(core, ctx, thread, message)
    thread.updated_at = ctx.now
    audit(ctx, ctx.now, ctx.account.user_id, "spar_message", None, thread.reference)
    author = ctx.account
    targets = [thread.professional_id] if role == "coordinator" \
        else await _coordinator_side(ctx, thread)
    for user in targets:
        await _send(core, ctx, user, thread, lambda loc: core.tr.t(
            loc, N_("💬 {person} over sparvraag {reference}:"),
            person=_person(core, author, loc), reference=thread.reference)
            + "\n\n" + quote(message))
    ctx.state.clear()
    ctx.conv.flow, ctx.conv.step = "spar", ""
    ctx.say(ctx.t(N_("Verstuurd.")),
            [[ctx.btn("💬 " + ctx.t(N_("Mijn sparvragen")), "sp:list"),
              ctx.btn(ctx.t(N_("Menu")), "menu:menu")]], tag=None)


async def _close(core: Core, ctx: Ctx, thread: SparThread) -> None:
    thread.status, thread.closed_by, thread.updated_at = "closed", ctx.account.user_id, ctx.now
    audit(ctx, ctx.now, ctx.account.user_id, "spar_close", None, thread.reference)
    me = ctx.account
    others = [thread.professional_id] if thread.professional_id != me.user_id \
        else await _coordinator_side(ctx, thread)
    for user in others:
        if user != me.user_id:
            await tell(core, ctx.session, user, ctx.now, lambda loc: core.tr.t(
                loc, N_("Sparvraag {reference} is gesloten door {person}."),
                reference=thread.reference, person=_person(core, me, loc)))
    ctx.say(ctx.t(N_("Sparvraag {reference} is gesloten."), reference=thread.reference),
            tag=None)


async def _coordinator_side(ctx: Ctx, thread: SparThread) -> list[int]:
    """The coordinator who answered first, while still active; else all of them."""
    coordinators = await active_coordinators(ctx.session, thread.gemeente_code)
    first = (await ctx.session.execute(
        select(SparMessage.author_id).where(SparMessage.thread_id == thread.id,
                                            SparMessage.author_id != thread.professional_id)
        .order_by(SparMessage.at, SparMessage.id).limit(1))).scalar_one_or_none()
    if first is not None and int(first) in coordinators:
        return [int(first)]
    return coordinators


async def show_thread(core: Core, ctx: Ctx, thread: SparThread) -> None:
    messages = (await ctx.session.execute(
        select(SparMessage).where(SparMessage.thread_id == thread.id)
        .order_by(SparMessage.at, SparMessage.id))).scalars().all()
    municipality = core.directory.get(thread.gemeente_code)
    shown = [ctx.t(N_("<b>Sparvraag {reference}</b> · {gemeente} · {status}"),
                   reference=thread.reference,
                   gemeente=municipality.name if municipality else thread.gemeente_code,
                   status=ctx.t(N_("open")) if thread.status == "open"
                   else ctx.t(N_("gesloten")))]
    people: dict[int, str] = {}
    for message in messages[-8:]:
        if message.author_id not in people:
            people[message.author_id] = _person(
                core, await ctx.session.get(Account, message.author_id), ctx.locale)
        body = core.cipher.open_json(message.text_sealed, f"spar:{thread.id}")
        shown.append(lines("", bold(people[message.author_id]), quote(str(body))))
    audit(ctx, ctx.now, ctx.account.user_id, "spar_view", None, thread.reference)
    ctx.say(lines(*shown), thread_buttons(core, ctx.locale, thread) if
            thread.status == "open" else [], tag=None)


async def thread_list(core: Core, ctx: Ctx) -> None:
    """/sparvragen: open threads of the coordinator's municipalities and one's own."""
    codes = await coordinator_codes(ctx.session, ctx.account.user_id)
    query = select(SparThread).where(SparThread.status == "open")
    mine = SparThread.professional_id == ctx.account.user_id
    query = query.where(mine | SparThread.gemeente_code.in_(codes)) if codes \
        else query.where(mine)
    threads = (await ctx.session.execute(
        query.order_by(SparThread.updated_at.desc()).limit(LIST_LIMIT))).scalars().all()
    ctx.conv.flow, ctx.conv.step = "spar", ""
    if not threads:
        ctx.say(ctx.t(N_("Er zijn geen open sparvragen.")),
                [[ctx.btn(ctx.t(N_("Terug")), "sp:menu")]], tag=None)
        return
    shown = [ctx.tn(NP_("{n} open sparvraag:", "{n} open sparvragen:"), len(threads))]
    rows: list[list[Button]] = []
    for thread in threads:
        municipality = core.directory.get(thread.gemeente_code)
        shown.append(Markup("• {} · {}").format(
            thread.reference, municipality.name if municipality else thread.gemeente_code))
        rows.append([Button(thread.reference, f"s.show.{thread.id}")])
    ctx.say(lines(*shown), rows, tag=None)


def thread_buttons(core: Core, locale: str, thread: SparThread) -> list[list[Button]]:
    t = core.tr.t
    return [[Button("↩️ " + t(locale, N_("Reageren")), f"s.reply.{thread.id}"),
             Button("✅ " + t(locale, N_("Sluiten")), f"s.close.{thread.id}")]]


def _store(core: Core, ctx: Ctx, thread: SparThread, body: str) -> None:
    ctx.session.add(SparMessage(
        thread_id=thread.id, author_id=ctx.account.user_id, at=ctx.now,
        text_sealed=core.cipher.seal_json(body, f"spar:{thread.id}")))


async def _send(core: Core, ctx: Ctx, user_id: int, thread: SparThread,
                render: Callable[[str], Markup]) -> None:
    await tell(core, ctx.session, user_id, ctx.now, render,
               lambda loc: thread_buttons(core, loc, thread))


@functools.cache
def _matcher() -> HybridMatcher | FaqMatcher:
    """Built once per process, on the first question (about half a second: the sentence
    model is mapped into memory, the classifier read from the package)."""
    from .faq_semantic import default_matcher

    return default_matcher()

