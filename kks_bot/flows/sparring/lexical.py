"""Find the FAQ answer to a question typed in the professional's own words.

Offline and fast: no external service, no model. A question and every example
phrasing of conversations.faq go through the same analysis:

1. normalise: Unicode NFKC, casefold, strip accents and Arabic diacritics and
   tatweel, unify the alef forms, ى→ي, ة→ه, Arabic-Indic digits → 0-9;
2. split into words; read multi-word and single-word synonyms as their concept
   (``CONCEPTS``: "toestemming", "consent" and "موافقة" are all ``#consent``), after
   light stemming (Dutch/English suffixes, Arabic prefixes and suffixes);
3. drop stopwords; split unknown Dutch compounds into known parts; correct typos
   to the nearest known word (optimal string alignment distance, rapidfuzz);
4. weigh each term by how rare it is across the FAQ entries (IDF), so a word
   that points at one entry counts more than one that appears everywhere.

A question scores against each phrasing as the weighted F-measure of the shared
terms (how much of the question is explained, how much of the phrasing is
present); an entry's score is its best phrasing's. Words the FAQ does not know
weigh more than any word it knows, so a question about something else ("parkeren
bij het ziekenhuis") explains too little of itself to pass. The best entry wins
only with a score of at least ``min_score``, with its words covering at least
``min_coverage`` of the question, on more than a light word alone ("hoe", "wie":
``min_evidence``), and ``margin`` ahead of the runner-up; otherwise
the answer is "I don't know" (None). All languages are indexed together, so a
question in another language than the user's locale is found too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple, Protocol

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.faq import CONCEPTS, FAQ, LIGHT_CONCEPTS

MAX_CHARS = 600  # of a longer text (a question with context) only the start is read
MAX_TERMS = 60
MAX_WORD = 40  # longer "words" are not corrected as typos

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ARABIC_LETTERS = str.maketrans({"ى": "ي", "ة": "ه", "ٱ": "ا", "ـ": None, "’": None,
                                 "'": None, "`": None, "ʼ": None})
_WORD = re.compile(r"\w+(?:-\w+)*")
_ARABIC = re.compile(r"[\u0600-\u06ff]")

_STOPWORDS_NL = """
de het een je jij u jou jullie we wij ze zij hij haar hem hen mijn jouw uw ons onze
hun zijn ben bent is was waren wordt worden werd word heb hebt heeft hebben had hadden
doe doet doen dat dit die deze daar hier er en of maar als dan om te van in op aan met
voor bij naar uit over tot door nog al ook wel niet geen even eens eigenlijk gewoon toch
nu zo dus want ja nee hallo hoi graag alsjeblieft aub bedankt dank kan kun kunt kunnen
mag mogen mogelijk zou zouden wil wilt willen wat waarom iets zoiets allemaal zon iemand
vind vinden gaan gaat ga krijg krijgt krijgen precies nou maken maak tijd zichzelf andere
ander ivm hoeveel twee drie vier vijf zes zeven acht negen tien blijft blijven noemen
ding passend bot chatbot gedaan bedoeling tijdens ergens zien inzien via nieuw nieuwe
nieuws misschien trouwens alvast ongeveer enz etc oke ok oké he goedemorgen goedemiddag
vraagje collega collegas beste heel erg echt momenteel soms weet weten lieve verbonden tegen meestal
doorgaans normaal normaliter gebruikelijk typisch speelt spelen chat
"""
_STOPWORDS_EN = """
the a an you your yours we our they their them he she it its his her hers is are am was
were be been being do does did doing done to of in on at for with by from about and or
but if so that this these those there here can could may might would will shall should
please hi hello hey thanks thank my any anything some something what why get got also
too just like as into than very really dont doesnt isnt cant wont im ive id youre
someone somebody find go goes going exactly actually make makes making made time
other another still already yet up much many two three four
five six seven eight nine ten remain remains stay stays mention thing suitable
appropriate bot chatbot during until somewhere anywhere see down via new anyway btw maybe
perhaps okay ok know wondering wonder curious colleague colleagues dear morning currently
sometimes quite usually against through normally
typically generally chat
"""
_STOPWORDS_AR = """
في على الى عن مع هل و او ثم ان هذا هذه ذلك تلك التي الذي الذين هو هي هم هن نحن انت
انتم كان كانت يكون تكون قد لقد كل بعض عند لدي لدينا عندي عندها عنده لديها لديه
مرحبا شكرا لو اذا يمكن يمكنني يمكنه يمكنها ممكن استطيع يستطيع تستطيع ايضا ما ماذا
شو ايش لماذا لي له لها به بها فيه فيها منها منه الان والان ذلك كذلك لا ليس اريد
ال شخص احد بالضبط فعلا اجد يجد نجد احصل نحصل وقت الوقت اخري اخر
يوجد توجد هناك كم اثنين ثلاثه اربعه خمسه عندكم لديكم عندك لديك افعل تفعل يفعل
نفعل تفعلون تبقي يبقي شيء شيئا مناسب مناسبه ذكر بوت البوت يتم تتم حتي خلال اثناء
رؤيه يري جديد معي معنا لنا لك لكم ربما فضلك سمحت صباح مساء الخير حاليا يعني طيب زميل
عاده عادتا غالبا
زميلتي زميلي كمان عشان علشان لان ضد
"""
_LATIN_SUFFIXES = ("ingen", "ings", "ing", "en", "es", "ed", "er", "s", "e")
_AR_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_AR_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "نا", "ني", "ها", "ان", "ات", "ون", "ين", "يه",
                "ه", "ي", "ا")
_AR_CLITICS = ("و", "ب", "ل", "ف", "ك", "س")
# The prefix of an Arabic verb in the present tense (اسجل، يسجل، تسجل، نسجل).
_AR_VERB_PREFIXES = ("ي", "ت", "ن", "ا")


def normalise(text: str) -> str:
    """Casefolded text without accents, diacritics or tatweel, with one alef form."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(_ARABIC_DIGITS).translate(_ARABIC_LETTERS)
    # NFKD splits أ إ آ ؤ ئ and é ü ç into a base letter and a combining mark.
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


STOPWORDS = frozenset(normalise(w) for w in
                      (_STOPWORDS_NL + _STOPWORDS_EN + _STOPWORDS_AR).split())
# Stopwords only as they stand, never by their stem: "ام" is "or" in a question
# ("هل ... ام ..."), while "الام" (the mother) has the same stem.
BARE_STOPWORDS = frozenset(normalise(w) for w in "ام".split())
# Stems that stand for another word than the concept form they were cut from:
# "عمليه" (a process) → "عمل", which is work ("عملي": my work), not a procedure.
FOREIGN_STEMS = frozenset(normalise(w) for w in "عمل".split())
# Hedges that may sit inside a phrase ("what exactly is"): dropped before anything else.
FILLERS = frozenset(normalise(w) for w in
                    "eigenlijk precies nou even gewoon toch exactly actually really بالضبط فعلا"
                    .split())


# A sentence that ends in a question mark (Latin or Arabic).
_QUESTION = re.compile(r"[^.!?؟\n]*[?؟]")


def question_start(text: str) -> str:
    """The part of a message that is read: all of it, or its start up to a whole word."""
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS]
    space = max(cut.rfind(" "), cut.rfind("\n"))
    return cut[:space] if space > MAX_CHARS // 2 else cut


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def stem(word: str) -> str:
    """A light, deterministic stem: the same word in another form gets the same stem."""
    if _ARABIC.search(word):
        for prefix in _AR_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                word = word[len(prefix):]
                break
        else:
            if word.startswith("و") and len(word) >= 4:
                word = word[1:]
        for suffix in _AR_SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
        return word
    for suffix in _LATIN_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # Dutch doubles a consonant before -en: leggen, zitten, bellen.
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
                word = word[:-1]
            return word
    return word


def _variants(word: str) -> list[str]:
    """Other readings of a word: without an Arabic clitic (و ب ل ف ك س) first."""
    out = [word, stem(word)]
    if _ARABIC.search(word) and len(word) >= 4 and word[0] in _AR_CLITICS:
        out += [word[1:], stem(word[1:])]
        # Two clitics: "وبالتسجيل", "فسنسجل", "وللعائله".
        if len(word) >= 5 and word[1] in _AR_CLITICS:
            out += [word[2:], stem(word[2:])]
    if "-" in word:
        out.append(word.replace("-", ""))
    return out


def _arabic_stopword(word: str) -> bool:
    """An Arabic stopword, also with a clitic in front: "وماذا", "بكم", "فهل"."""
    if stem(word) in STOPWORDS:
        return True
    return len(word) >= 3 and word[0] in _AR_CLITICS and (
        word[1:] in STOPWORDS or stem(word[1:]) in STOPWORDS)


def _verb_root(word: str) -> str | None:
    """An Arabic word without its present-tense prefix (يتواصل، اتواصل → تواصل)."""
    if len(word) >= 4 and word[0] in _AR_VERB_PREFIXES and _ARABIC.search(word):
        return word[1:]
    return None


class Entry(Protocol):
    """What the matcher needs of an FAQ entry (conversations.faq.FaqEntry)."""

    @property
    def id(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def phrasings(self) -> Mapping[str, tuple[str, ...]]: ...


@dataclass(frozen=True)
class FaqHit:
    faq_id: str
    score: float
    runner_up: str | None = None
    runner_up_score: float = 0.0


class Score(NamedTuple):
    faq_id: str
    score: float  # 0..1: weighted F-measure of the best phrasing
    coverage: float  # 0..1: how much of the question the entry's words explain
    evidence: float  # the summed weight of the words shared with the best phrasing
    language: str  # the best phrasing's language


@dataclass(frozen=True)
class _Phrasing:
    faq_id: str
    language: str
    terms: frozenset[str]


class FaqMatcher:
    """Matches free text to FAQ entries; build once (``FaqMatcher.default()``)."""

    def __init__(self, phrasings: Mapping[str, Mapping[str, Iterable[str]]],
                 concepts: Mapping[str, Iterable[str]], *,
                 light: Iterable[str] = (), light_weight: float = 0.5, min_score: float = 0.5,
                 min_coverage: float = 0.5, min_evidence: float = 0.75, margin: float = 0.04,
                 unknown_weight: float = 3.2,
                 beta: float = 1.0) -> None:
        self.min_score = min_score
        self.min_coverage = min_coverage
        self.min_evidence = min_evidence
        self.margin = margin
        self.unknown_weight = unknown_weight
        self.beta2 = beta * beta
        self._single: dict[str, frozenset[str]] = {}
        self._multi: dict[tuple[str, ...], frozenset[str]] = {}
        grouped: dict[str, set[str]] = defaultdict(set)
        stemmed: dict[str, set[str]] = defaultdict(set)
        roots: dict[str, set[str]] = defaultdict(set)
        multi: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for concept, forms in concepts.items():
            for form in forms:
                parts = words(form)
                if len(parts) == 1:
                    grouped[parts[0]].add(concept)
                    stemmed[stem(parts[0])].add(concept)
                    for variant in (parts[0], stem(parts[0])):
                        root = _verb_root(variant)
                        if root is not None:
                            roots[root].add(concept)
                elif parts:
                    multi[tuple(stem(t) for t in parts)].add(concept)
        # A word listed as it is means its own concept, not that of a word it is the
        # stem of ("overleg" is a meeting; "overleggen" is to consult).
        for foreign in FOREIGN_STEMS:
            stemmed.pop(foreign, None)
        stemmed.update(grouped)
        self._single = {k: frozenset(f"#{c}" for c in v) for k, v in stemmed.items()}
        self._roots = {k: frozenset(f"#{c}" for c in v) for k, v in roots.items()}
        self._multi = {k: frozenset(f"#{c}" for c in v) for k, v in multi.items()}
        self._longest = max((len(k) for k in self._multi), default=1)

        self._phrasings: list[_Phrasing] = []
        surface = {t for form in (f for fs in concepts.values() for f in fs)
                   for t in words(form)}
        for faq_id, by_language in phrasings.items():
            for language, texts in by_language.items():
                for text in texts:
                    tokens = self._tokens(text)
                    terms = frozenset(t for t, _ in self._terms(tokens, learn=True))
                    if terms:
                        self._phrasings.append(_Phrasing(faq_id, language, terms))
                    surface.update(tokens)
        self.entries = tuple(dict.fromkeys(p.faq_id for p in self._phrasings))
        self._vocabulary = frozenset(t for p in self._phrasings for t in p.terms)
        # The words a typo may be corrected to: every word the FAQ knows.
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(surface - STOPWORDS):
            if len(word) > 2:
                by_initial[word[0]].append(word)
        self._surface_by_initial = dict(by_initial)
        df: dict[str, set[str]] = defaultdict(set)
        for p in self._phrasings:
            for term in p.terms:
                df[term].add(p.faq_id)
        self._entries_of = {t: frozenset(ids) for t, ids in df.items()}
        n = len(self.entries)
        self._idf = {t: math.log((n + 1) / (len(ids) + 0.5)) for t, ids in df.items()}
        for concept in light:
            if f"#{concept}" in self._idf:
                self._idf[f"#{concept}"] = min(self._idf[f"#{concept}"], light_weight)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for index, p in enumerate(self._phrasings):
            for term in p.terms:
                self._postings[term].append(index)
        self._weights = [sum(self._idf[t] for t in p.terms) for p in self._phrasings]
        self._lookup = lru_cache(maxsize=4096)(self._lookup_uncached)
        self._extract_one = process.extractOne
        self._distance = OSA.distance

    @classmethod
    def from_entries(cls, entries: Iterable[Entry], concepts: Mapping[str, Iterable[str]],
                     light: Iterable[str] = (), **options: float) -> FaqMatcher:
        """A matcher over FAQ entries; each entry's Dutch question counts as a phrasing."""
        phrasings: dict[str, dict[str, list[str]]] = {}
        for entry in entries:
            by_language = {k: list(v) for k, v in entry.phrasings.items()}
            by_language.setdefault("nl", []).append(entry.question)
            phrasings[entry.id] = by_language
        return cls(phrasings, concepts, light=light, **options)

    @classmethod
    def default(cls) -> FaqMatcher:
        return _default()

    # ------------------------------------------------------------------ analysis

    def _concepts(self, word: str) -> frozenset[str] | None:
        variants = _variants(word)
        for variant in variants:
            found = self._single.get(variant)
            if found is not None:
                return found
        for variant in variants:
            root = _verb_root(variant)
            if root is not None:
                found = self._roots.get(root) or self._roots.get(stem(root))
                if found is not None:
                    return found
        return None

    def _known(self, word: str) -> frozenset[str] | None:
        """The terms of a word the FAQ knows (a concept or a phrasing's word)."""
        found = self._concepts(word)
        if found is not None:
            return found
        for variant in _variants(word):
            if variant in self._vocabulary:
                return frozenset((variant,))
        return None

    def _split_compound(self, word: str) -> frozenset[str] | None:
        if len(word) < 7 or _ARABIC.search(word):
            return None
        head_only = None
        for cut in range(len(word) - 3, 2, -1):
            head, tail = word[:cut], word[cut:]
            right = self._known(tail)
            if right is None:
                continue
            left = self._known(head)
            if left is None and head.endswith(("s", "e")) and len(head) > 3:
                left = self._known(head[:-1])
            if left is not None:
                return left | right
            if head_only is None and len(tail) >= 6 and (
                    tail in self._single or tail in self._vocabulary):
                head_only = right  # a Dutch compound means mostly its last part
        return head_only

    def _lookup_uncached(self, word: str) -> tuple[frozenset[str], float]:
        """Terms for one query word and how sure we are (1.0 exact, less for a typo)."""
        known = self._known(word)
        if known is not None:
            return known, 1.0
        parts = self._split_compound(word)
        if parts is not None:
            return parts, 0.9
        if 5 <= len(word) <= MAX_WORD and not word.isdigit():
            # A typo: one edit (two in a long word) from a word the FAQ knows, never in
            # the first letter (that would make a different word too often).
            edits = 1 if len(word) < 9 else 2
            best = self._extract_one(word, self._surface_by_initial.get(word[0], ()),
                                     scorer=self._distance, score_cutoff=edits)
            if best is not None:
                known = self._known(best[0])
                if known is not None:
                    return known, 0.85 if best[1] == 1 else 0.7
        return frozenset((f"?{word}",)), 0.0

    def _tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for word in words(text):
            if word in FILLERS:
                continue
            if "-" in word and self._concepts(word) is None:
                out.extend(part for part in word.split("-") if part)
            else:
                out.append(word)
        return out

    def _terms(self, tokens: list[str], learn: bool = False) -> list[tuple[str, float]]:
        stems = [stem(t) for t in tokens]
        # A phrase may start with an Arabic clitic: "لنقطه الالتقاء", "ورعايه ما بعد".
        bare = [stem(t[1:]) if len(t) >= 4 and t[0] in _AR_CLITICS and _ARABIC.search(t)
                else s for t, s in zip(tokens, stems, strict=True)]
        out: list[tuple[str, float]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self._longest, len(tokens) - i), 1, -1):
                concepts = self._multi.get(tuple(stems[i:i + size]))
                if concepts is None and bare[i] != stems[i]:
                    concepts = self._multi.get((bare[i], *stems[i + 1:i + size]))
                if concepts is not None:
                    out.extend((c, 1.0) for c in concepts)
                    i += size
                    break
            else:
                word = tokens[i]
                i += 1
                if word in STOPWORDS or word in BARE_STOPWORDS or (
                        len(word) < 2 and word != "i") or (
                        _ARABIC.search(word) and _arabic_stopword(word)) or (
                        word.isdigit() and word != "112"):
                    continue
                if learn:
                    concepts_of = self._concepts(word)
                    out.extend((c, 1.0) for c in (concepts_of or (stem(word),)))
                else:
                    terms, sure = self._lookup(word)
                    out.extend((t, sure) for t in terms)
        return out

    # ------------------------------------------------------------------ matching

    def scores(self, text: str) -> list[Score]:
        """Every entry that shares a term with ``text``, best first."""
        if not text:
            return []
        text = question_start(text)
        terms: dict[str, float] = {}
        for term, sure in self._terms(self._tokens(text)):
            if term in terms or len(terms) < MAX_TERMS:
                terms[term] = max(sure, terms.get(term, 0.0))
        if not terms:
            return []
        weight = {t: self._idf.get(t, self.unknown_weight) for t in terms}
        total = sum(weight.values())
        if total <= 0:
            return []
        matched: dict[int, float] = defaultdict(float)
        present: dict[int, float] = defaultdict(float)
        for term, sure in terms.items():
            for index in self._postings.get(term, ()):
                matched[index] += weight[term] * sure
                present[index] += weight[term]
        coverage: dict[str, float] = defaultdict(float)
        for term, sure in terms.items():
            for faq_id in self._entries_of.get(term, ()):
                coverage[faq_id] += weight[term] * sure / total
        best: dict[str, Score] = {}
        for index, gained in matched.items():
            recall = gained / total
            precision = present[index] / self._weights[index]
            if recall <= 0 or precision <= 0:
                continue
            score = (1 + self.beta2) * precision * recall / (self.beta2 * precision + recall)
            p = self._phrasings[index]
            if p.faq_id not in best or score > best[p.faq_id].score:
                best[p.faq_id] = Score(p.faq_id, score, coverage[p.faq_id], gained, p.language)
        return sorted(best.values(), key=lambda x: -x.score)

    def match(self, text: str, locale: str = "nl") -> FaqHit | None:
        """The FAQ entry that answers ``text``, or None when nothing fits well enough.

        ``locale`` is the user's language; the text may be in any of nl, en, ar (or a
        mix). On an exact tie the entry whose best phrasing is in ``locale`` wins.
        """
        hit = self._match(text, locale)
        if hit is None:
            # A question with context around it: try each question in the message.
            questions = _QUESTION.findall(question_start(text))
            if len(questions) > 1 or (questions and len(questions[0]) < len(text.strip())):
                hits = [h for h in (self._match(q, locale) for q in questions[:8]) if h]
                hit = max(hits, key=lambda h: h.score, default=None)
        return hit

    def _match(self, text: str, locale: str) -> FaqHit | None:
        ranked = self.scores(text)
        if not ranked:
            return None
        ranked.sort(key=lambda x: (-round(x.score, 6), x.language != locale))
        first = ranked[0]
        second = ranked[1] if len(ranked) > 1 else None
        second_score = second.score if second else 0.0
        if (first.score < self.min_score or first.coverage < self.min_coverage
                or first.evidence < self.min_evidence
                or first.score - second_score < self.margin):
            return None
        return FaqHit(first.faq_id, round(first.score, 3),
                      second.faq_id if second else None, round(second_score, 3))


@cache
def _default() -> FaqMatcher:
    return FaqMatcher.from_entries(FAQ, CONCEPTS, LIGHT_CONCEPTS)
