"""The FAQ learns, with a person in the loop.

Every question the FAQ could not answer, and every answer a professional marked "👎", goes
into a review list (``faq_review``) - sealed, without who asked, and not at all when it
holds identifying details (the same check as a question to the coordinator). An
administrator attaches a question to the entry that answers it (``kks-bot admin faq``):
it becomes an example question in its language; or writes a new entry from it in three
languages (:mod:`.learned`, :mod:`.writing`). The running bot notices (a job every few
minutes), embeds the new examples in the sentence model's process and fits the classifier
again in a thread - the shipped examples' vectors are in the model file, so only the new
ones are computed - and answers with it from then on, without a restart. Nothing learned
goes live without that approval, and every decision is audited.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.faq import CONCEPTS, FAQ, LIGHT_CONCEPTS

from ... import lazy
from ...audit import audit
from ...db.faq_tables import LANGUAGES, FaqEntry
from ...db.models import FaqReview
from ...i18n import N_, NP_
from ...kernel.buttons import routed
from ...kernel.context import Ctx, Env
from ...kernel.events import Button
from ...metrics import FAQ_FEEDBACK
from ...roles import admin_or_refuse
from ...services.figures.faq import tally
from ...text import italic
from . import learned, semantic
from .identifying import identifying_details
from .lexical import FaqMatcher

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy.module("numpy")  # only when something learnt is fitted

log = logging.getLogger(__name__)

ENTRIES = tuple(entry.id for entry in FAQ)


def feedback_row(ctx: Ctx) -> list[Button]:
    """👍 / 👎 under an answer."""
    return [ctx.btn("👍 " + ctx.t(N_("Nuttig")), "sp:fb:up"),
            ctx.btn("👎 " + ctx.t(N_("Niet nuttig")), "sp:fb:down")]


def remember(ctx: Ctx, question: str, entry: str | None) -> None:
    """The last question and what was answered, for the feedback buttons."""
    ctx.state["asked"] = {"q": question, "faq": entry}


def keep_for_review(ctx: Ctx, question: str, reason: str, answered: str | None) -> bool:
    """Put the question on the review list; False (and nothing kept) when it looks like
    it identifies a family."""
    if identifying_details(question):
        log.info("a question for the review list held identifying details: not kept")
        return False
    review = FaqReview(id=str(uuid.uuid4()), locale=ctx.locale, reason=reason,
                       answered=answered, status="open", created_at=ctx.now)
    review.text_sealed = ctx.env.cipher.seal_json(question, review.aad)
    ctx.session.add(review)
    return True


async def feedback(ctx: Ctx, value: str) -> None:
    """A press on 👍 or 👎 under the last answer."""
    asked = ctx.state.pop("asked", None)
    if not isinstance(asked, dict) or value not in ("up", "down"):
        ctx.say(ctx.t(N_("Dank je.")), tag=None)
        return
    entry = str(asked.get("faq") or "")
    FAQ_FEEDBACK.labels(ctx.locale, entry or "-", value).inc()
    await tally(ctx.session, ctx.now, ctx.env.tz, ctx.locale, entry or None,
                "helpful" if value == "up" else "unhelpful")
    audit(ctx.session, ctx.now, 0, "faq_helpful" if value == "up" else "faq_unhelpful",
          None, entry or None)
    if value == "down":
        keep_for_review(ctx, str(asked.get("q") or ""), "unhelpful", entry or None)
        ctx.say(ctx.t(N_("Dank je. Een beheerder bekijkt je vraag, zodat ik het een "
                         "volgende keer beter weet. Wil je nu overleggen? Vraag het de "
                         "coördinator.")), tag=None)
    else:
        ctx.say(ctx.t(N_("Dank je.")), tag=None)


async def open_reviews(env: Env, session: AsyncSession) -> list[tuple[FaqReview, str]]:
    rows = (await session.execute(select(FaqReview).where(FaqReview.status == "open")
                                  .order_by(FaqReview.created_at))).scalars().all()
    return [(row, str(env.cipher.open_json(row.text_sealed, row.aad))) for row in rows]


async def attach(session: AsyncSession, review_id: str, entry: str, admin: int,
                 now: datetime) -> bool:
    """Teach the question as an example of ``entry`` (shipped or written in the bot);
    False for an unknown id or entry."""
    review = await session.get(FaqReview, review_id)
    if review is None or review.status != "open" or (
            entry not in ENTRIES and await learned.find(session, entry) is None):
        return False
    review.status, review.entry, review.decided_at, review.decided_by = (
        "attached", entry, now, admin)
    audit(session, now, admin, "faq_attached", None, f"{review.id[:8]}:{entry}")
    return True


async def discard(session: AsyncSession, review_id: str, admin: int, now: datetime) -> bool:
    """Nothing to learn from it: the question is deleted."""
    review = await session.get(FaqReview, review_id)
    if review is None or review.status != "open":
        return False
    await session.delete(review)
    audit(session, now, admin, "faq_discarded", None, review.id[:8])
    return True


async def _learned(env: Env, session: AsyncSession,
                   known: set[str]) -> list[tuple[str, str, str]]:
    """The approved questions of the entries in ``known``: (entry, locale, text)."""
    rows = (await session.execute(select(FaqReview).where(FaqReview.status == "attached")
                                  .order_by(FaqReview.decided_at))).scalars().all()
    return [(row.entry or "", row.locale, str(env.cipher.open_json(row.text_sealed, row.aad)))
            for row in rows if row.entry in known]


def _lexical(written: list[learned.Written]) -> FaqMatcher:
    """The lexical matcher over the shipped entries and the ones written in the bot."""
    if not written:
        return FaqMatcher.default()
    return FaqMatcher.from_entries([*FAQ, *written], CONCEPTS, LIGHT_CONCEPTS)


class Learner:
    """Keeps the bot's classifier in step with the approved examples."""

    def __init__(self) -> None:
        self.base: semantic.SemanticModel | None = None  # the model file as shipped
        # Nothing approved, nothing written: the shipped model is right.
        self.signature: tuple[Any, ...] = (0, None, 0, None, None)

    async def run(self, env: Env) -> bool:
        """Retrain when the approved examples or the written entries changed since the
        last time; whether it did. The lexical matcher learns the written entries too
        (also when it answers alone, on a CPU without the sentence model)."""
        async with env.sessions() as session:
            signature = (*(await session.execute(
                select(func.count(), func.max(FaqReview.decided_at)).where(
                    FaqReview.status == "attached"))).one(), *(await session.execute(
                        select(func.count(), func.max(FaqEntry.created_at),
                               func.max(FaqEntry.retired_at)))).one())
            if signature == self.signature:
                return False
            entries = await learned.active(session)
            examples = await _learned(env, session, {*ENTRIES, *(e.id for e in entries)})
        written = [learned.as_entry(row, [(loc, text) for ent, loc, text in examples
                                          if ent == row.id]) for row in entries]
        lexical = await asyncio.to_thread(_lexical, written)
        matcher = semantic.shared_matcher()
        if isinstance(matcher, semantic.HybridMatcher):
            # The model as shipped (the matcher's may hold what was learnt before).
            if self.base is None:
                self.base = await asyncio.to_thread(semantic.SemanticModel.load)
            base = self.base
            # The written entries' titles in every language are examples too.
            taught = [(entry, text) for entry, _loc, text in examples] + [
                (row.id, row.question(language)) for row in entries for language in LANGUAGES]
            vectors = await semantic.model_process().vectors([text for _, text in taught]) \
                if taught else np.zeros((0, base.vectors.shape[1]), dtype=np.float32)
            if vectors is None:
                return False  # the model is down: the next run tries again
            classes = (*base.classes, *(row.id for row in entries))
            labels = [classes.index(entry) for entry, _ in taught]
            model = await asyncio.to_thread(_fit, base, np.asarray(vectors), labels, classes)
            matcher.model, matcher.lexical = model, lexical
        else:
            semantic.use_lexical(lexical)
        self.signature = signature
        log.info("FAQ matcher trained again with %s approved example(s) and %s written "
                 "entr(y/ies)", len(examples), len(entries))
        return True


def _weights(shipped: Any, labels: list[int]) -> Any:
    """Each shipped example counts once; an approved one counts as much as its class needs
    to weigh like an average shipped entry (a written entry starts with four examples
    against about a hundred of every other class, the out-of-scope class's included), at
    least three times and at most thirty."""
    mean = len(shipped) / max(1, len(set(shipped.tolist())))
    counts: dict[int, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    approved = [min(30.0, max(3.0, mean / counts[label])) for label in labels]
    return np.concatenate([np.ones(len(shipped), dtype=np.float64), np.array(approved)])


def _fit(base: semantic.SemanticModel, extra: Any, labels: list[int],
         classes: tuple[str, ...]) -> semantic.SemanticModel:
    """The shipped examples' vectors and the approved ones, fitted anew; ``classes`` are
    the shipped ones and the written entries after them."""
    # Lazy: scikit-learn takes a second to load and is needed only when something was
    # learned.
    from sklearn.linear_model import LogisticRegression

    vectors = np.vstack([base.vectors, extra.astype(np.float32)])
    of = np.concatenate([base.vector_classes, np.array(labels, dtype=np.int32)])
    classifier = LogisticRegression(C=float(semantic.TRAINING["C"]), max_iter=5000)
    classifier.fit(vectors, of, sample_weight=_weights(base.vector_classes, labels))
    return semantic.SemanticModel(
        classes=classes, weights=classifier.coef_.astype(np.float32),
        bias=classifier.intercept_.astype(np.float32), vectors=vectors,
        vector_classes=of, fingerprint=base.fingerprint, embedder=base.embedder)


LEARNER = Learner()


async def learn(env: Env) -> bool:
    """The job: take up what the administrators approved."""
    return await LEARNER.run(env)


# -- the review list in /beheer (routed buttons "fr.<action>.<review id>") --------------

REVIEW = "fr"


def _entry_question(ctx: Ctx, entry: str, written: FaqEntry | None = None) -> str:
    found = next((e for e in FAQ if e.id == entry), None)
    if found is None and written is not None:
        return written.question(ctx.locale)
    return str(ctx.t(found.question)) if found else entry


def _suggestion(text: str) -> str | None:
    """The entry the classifier ranks first, if any (to offer as the likely one)."""
    matcher = semantic.shared_matcher()
    if not isinstance(matcher, semantic.HybridMatcher):
        return None
    try:
        ranked = matcher.ranked(text)
    except Exception:
        return None
    return next((name for name, _p, _c in ranked if name in ENTRIES), None)


async def show_next(ctx: Ctx) -> int:
    """The oldest open question with its buttons; how many are open."""
    reviews = await open_reviews(ctx.env, ctx.session)
    if not reviews:
        return 0
    review, text = reviews[0]
    await semantic.model_process().prepare([text])
    suggestion = _suggestion(text)
    written = await ctx.session.get(FaqEntry, review.answered) if review.answered else None
    why = (ctx.t(N_("Niet nuttig gevonden (antwoord: {entry})"),
                 entry=_entry_question(ctx, review.answered, written))
           if review.reason == "unhelpful" and review.answered
           else ctx.t(N_("Geen antwoord gevonden")))
    rows = []
    if suggestion:
        rows.append([Button("✅ " + ctx.t(N_("Hoort bij: {question}"),
                                         question=_entry_question(ctx, suggestion)),
                             routed(REVIEW, f"as-{ENTRIES.index(suggestion)}", review.id))])
    rows.append([Button("📚 " + ctx.t(N_("Ander antwoord kiezen")),
                         routed(REVIEW, "pick", review.id)),
                 Button("🗑 " + ctx.t(N_("Weggooien")), routed(REVIEW, "drop", review.id))])
    rows.append([Button("✍️ " + ctx.t(N_("Nieuw antwoord schrijven")),
                        routed(REVIEW, "new", review.id))])
    ctx.say(ctx.tn(NP_("Te leren vraag ({n} open):", "Te leren vragen ({n} open):"),
                   len(reviews)) + "\n" + ctx.t(N_("Taal: {locale} · {why}"),
                                                locale=review.locale, why=why)
            + "\n\n" + italic(text), rows, tag=None)
    return len(reviews)


async def reviews_entry(ctx: Ctx, _args: dict[str, Any]) -> int:
    return await show_next(ctx)


async def guard(ctx: Ctx, action: str, review_id: str, _policy: Any) -> Any:
    """The open review, when an administrator pressed; else refused and audited."""
    if not admin_or_refuse(ctx, "faq_review"):
        return None
    review = await ctx.session.get(FaqReview, review_id)
    if review is None or review.status != "open":
        ctx.say(ctx.t(N_("Over deze vraag is al besloten.")), tag=None)
        return None
    return review


async def attach_pressed(ctx: Ctx, review: FaqReview, arg: str = "") -> None:
    if not arg.isdigit() or int(arg) >= len(ENTRIES):
        await pick_pressed(ctx, review)
        return
    entry = ENTRIES[int(arg)]
    await attach(ctx.session, review.id, entry, ctx.account.user_id, ctx.now)
    ctx.note(ctx.t(N_("Geleerd: dit is een vraag bij \u2018{question}\u2019. De bot weet het "
                      "binnen een paar minuten."), question=_entry_question(ctx, entry)))
    if not await show_next(ctx):
        ctx.say(ctx.t(N_("Er zijn geen te leren vragen meer.")), tag=None)


async def attach_written_pressed(ctx: Ctx, review: FaqReview, arg: str = "") -> None:
    """Attached to an entry written in the bot (``aw-<its id's letters>``)."""
    written = await learned.find(ctx.session, learned.PREFIX + arg)
    if written is None:
        await pick_pressed(ctx, review)
        return
    await attach(ctx.session, review.id, written.id, ctx.account.user_id, ctx.now)
    ctx.note(ctx.t(N_("Geleerd: dit is een vraag bij \u2018{question}\u2019. De bot weet het "
                      "binnen een paar minuten."), question=written.question(ctx.locale)))
    if not await show_next(ctx):
        ctx.say(ctx.t(N_("Er zijn geen te leren vragen meer.")), tag=None)


async def pick_pressed(ctx: Ctx, review: FaqReview, _arg: str = "") -> None:
    rows = [[Button(_entry_question(ctx, entry), routed(REVIEW, f"as-{index}", review.id))]
            for index, entry in enumerate(ENTRIES)]
    rows += [[Button(row.question(ctx.locale),
                     routed(REVIEW, f"aw-{row.id.removeprefix(learned.PREFIX)}", review.id))]
             for row in await learned.active(ctx.session)]
    ctx.say(ctx.t(N_("Bij welke vraag hoort het?")), rows, tag=None)


async def drop_pressed(ctx: Ctx, review: FaqReview, _arg: str = "") -> None:
    await discard(ctx.session, review.id, ctx.account.user_id, ctx.now)
    ctx.note(ctx.t(N_("Weggegooid.")))
    if not await show_next(ctx):
        ctx.say(ctx.t(N_("Er zijn geen te leren vragen meer.")), tag=None)
