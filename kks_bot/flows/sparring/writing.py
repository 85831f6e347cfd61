"""Writing a new FAQ entry in the bot, from a question on the review list.

"✍️ Nieuw antwoord schrijven" under a review question (``fr.new.<review id>``) starts
the state ``faq_write``: one message per text - the title and the answer in Dutch, then
English, then Arabic - and a review with Opslaan / Wijzigen / Annuleren. A text that is
empty, too long or holds HTML gets a kind message and the same question again. The texts
wait in the conversation state (sealed like every state) until saved
(:func:`learned.create`); every press checks again that the user is an administrator.
"""

from __future__ import annotations

from ...db.models import FaqReview
from ...forms import parsers
from ...i18n import N_
from ...kernel.context import HOME, Ctx, Flow
from ...roles import is_admin
from ...services.figures.faq import LANGUAGE_NAMES
from ...text import Markup, bold, chunks, italic, lines
from . import learned, learning

STATE = "faq_write"
REVIEW = "review"
CHUNK_LIMIT = 3500
PROMPTS = {
    "question": N_("Stap {n} van 6 · de vraag zoals hij boven het antwoord komt te staan, in "
                   "het {language}:"),
    "answer": N_("Stap {n} van 6 · het antwoord in het {language}:"),
}
LABELS = {"question": N_("Vraag ({language})"), "answer": N_("Antwoord ({language})")}


def _label(ctx: Ctx, name: str) -> Markup:
    kind, language = name.split("_", 1)
    return ctx.t(LABELS[kind], language=ctx.t(LANGUAGE_NAMES[language]))


def _texts(ctx: Ctx) -> dict[str, str]:
    texts = ctx.state.get("texts")
    return dict(texts) if isinstance(texts, dict) else {}


async def start(ctx: Ctx, review: FaqReview, _arg: str = "") -> None:
    """"Nieuw antwoord schrijven" under a review question (its guard checked the
    administrator and that the question is still open)."""
    await ctx.leave()
    ctx.go(STATE, learned.FIELDS[0])
    ctx.state.clear()
    ctx.state.update({"review": review.id, "texts": {}})
    text = ctx.env.cipher.open_json(review.text_sealed, review.aad)
    ctx.note(ctx.t(N_("Een nieuw antwoord bij deze vraag ({locale}), in drie talen. De vraag "
                      "wordt het eerste voorbeeld van hoe mensen het vragen:"),
                   locale=review.locale) + "\n" + italic(str(text)))
    ask(ctx)


def ask(ctx: Ctx) -> None:
    """The question of the current step; with the text so far when it is corrected."""
    name = ctx.conv.step
    kind, language = name.split("_", 1)
    shown = ctx.t(PROMPTS[kind], n=learned.FIELDS.index(name) + 1,
                  language=ctx.t(LANGUAGE_NAMES[language]))
    now = _texts(ctx).get(name)
    rows = [[ctx.btn("✖️ " + ctx.t(N_("Annuleren")), "fw:cancel")]]
    if now:
        shown = lines(shown, "", ctx.t(N_("Nu staat er:")), italic(now))
        rows.insert(0, [ctx.btn(ctx.t(N_("Zo laten")), "fw:review")])
    ctx.say(shown, rows, tag=None)


def review(ctx: Ctx) -> None:
    """Every text, and Opslaan / Wijzigen / Annuleren."""
    ctx.conv.step = REVIEW
    texts = _texts(ctx)
    parts: list[object] = [bold(ctx.t(N_("Het nieuwe antwoord, nagekeken:")))]
    parts += [lines(bold(_label(ctx, name)), texts.get(name, "—")) for name in learned.FIELDS]
    messages = chunks(parts, CHUNK_LIMIT)
    for message in messages[:-1]:
        ctx.say(message, tag=None)
    ctx.say(messages[-1], [
        [ctx.btn("💾 " + ctx.t(N_("Opslaan")), "fw:save")],
        [ctx.btn("✏️ " + ctx.t(N_("Wijzigen")), "fw:change"),
         ctx.btn("✖️ " + ctx.t(N_("Annuleren")), "fw:cancel")]], tag=None)


def _choose(ctx: Ctx) -> None:
    rows = [[ctx.btn(str(_label(ctx, name)), f"fw:edit:{name}")] for name in learned.FIELDS]
    rows.append([ctx.btn(ctx.t(N_("Terug naar het overzicht")), "fw:review")])
    ctx.say(ctx.t(N_("Wat wil je wijzigen?")), rows, tag=None)


async def _save(ctx: Ctx) -> None:
    texts = _texts(ctx)
    entry = await learned.create(ctx.session, str(ctx.state.get("review")), texts,
                                 ctx.account.user_id, ctx.now)
    ctx.state.clear()
    ctx.go(HOME)
    if entry is None:
        ctx.note(ctx.t(N_("Over deze vraag is al besloten; het nieuwe antwoord is niet "
                          "opgeslagen.")))
    else:
        ctx.note(ctx.t(N_("Opgeslagen: \u2018{question}\u2019. De bot beantwoordt het binnen "
                          "een paar minuten, in de drie talen."),
                       question=entry.question(ctx.locale)))
    if not await learning.show_next(ctx):
        ctx.say(ctx.t(N_("Er zijn geen te leren vragen meer.")), tag=None)


async def _cancel(ctx: Ctx) -> None:
    ctx.state.clear()
    ctx.go(HOME)
    ctx.note(ctx.t(N_("Niets opgeslagen. De vraag staat nog op de lijst.")))
    if not await learning.show_next(ctx):
        ctx.say(ctx.t(N_("Er zijn geen te leren vragen meer.")), tag=None)


class WriteState(Flow):
    name = STATE

    async def text(self, ctx: Ctx) -> None:
        name = ctx.conv.step
        if not is_admin(ctx) or name not in learned.FIELDS:
            await ctx.reprompt()
            return
        try:
            value = learned.clean(name, ctx.event.text)
        except parsers.ParseError as exc:
            ctx.note("⚠️ " + ctx.t(exc.message, **exc.params))
            ask(ctx)
            return
        texts = _texts(ctx)
        texts[name] = value
        ctx.state["texts"] = texts
        missing = [f for f in learned.FIELDS if not texts.get(f)]
        if missing:
            ctx.conv.step = missing[0]
            ask(ctx)
        else:
            review(ctx)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind != "fw" or not is_admin(ctx):
            await ctx.reprompt()
            return
        what, _, value = arg.partition(":")
        if what == "save" and ctx.conv.step == REVIEW:
            await _save(ctx)
        elif what == "cancel":
            await _cancel(ctx)
        elif what == "change":
            _choose(ctx)
        elif what == "edit" and value in learned.FIELDS:
            ctx.conv.step = value
            ask(ctx)
        elif what == "review" and all(_texts(ctx).get(f) for f in learned.FIELDS):
            review(ctx)
        else:
            await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        if not is_admin(ctx):
            ctx.state.clear()
            ctx.home()
        elif ctx.conv.step in learned.FIELDS:
            ask(ctx)
        else:
            review(ctx)

    async def cancel(self, ctx: Ctx) -> None:
        await _cancel(ctx)
