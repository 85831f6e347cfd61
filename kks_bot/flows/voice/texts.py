"""The words of the family's voice: the six dimensions in our own plain sentences (not
the Institute for Positive Health's questionnaire items), the topics to choose instead
of typing, the three answers about the meeting; and the summaries built from them."""

from __future__ import annotations

from typing import Any

from ...i18n import N_
from ...kernel.context import Env
from ...text import Markup, bold, italic, lines

#: (key, the professionals' name, the family's name, our own explanation in plain words).
DIMENSIONS = (
    ("lichaam", N_("Lichaamsfuncties"), N_("Je lichaam"),
     N_("Hoe voelt je lichaam? Denk aan slapen, energie, pijn en de zwangerschap.")),
    ("mentaal", N_("Mentaal welbevinden"), N_("Hoe je je voelt"),
     N_("Hoe voel je je van binnen? Ben je rustig, of maak je je veel zorgen? Voel je je "
        "vaak somber?")),
    ("zingeving", N_("Zingeving"), N_("Hoop en zin"),
     N_("Heb je hoop voor later? Zijn er dingen die je leven de moeite waard maken?")),
    ("kwaliteit", N_("Kwaliteit van leven"), N_("Je leven"),
     N_("Geniet je van je leven? Denk ook aan zorgen over geld of over je huis.")),
    ("meedoen", N_("Meedoen"), N_("Mensen om je heen"),
     N_("Heb je contact met andere mensen? Zijn er mensen die je helpen? Werk of school "
        "hoort hier ook bij.")),
    ("dagelijks", N_("Dagelijks functioneren"), N_("Je dag"),
     N_("Lukt het om je dag te doen? Denk aan het huishouden, de zorg voor je kind en je "
        "afspraken.")),
)
KEYS = tuple(key for key, *_ in DIMENSIONS)

#: Topics for "what goes well" and "what to talk about", for those who rather not type.
TOPICS = (("geld", N_("Geld")), ("wonen", N_("Wonen")),
          ("baby", N_("Zwangerschap en baby")), ("somber", N_("Me somber voelen")),
          ("steun", N_("Hulp van mensen om ons heen")), ("werk", N_("Werk of school")))
TOPIC_LABELS = dict(TOPICS)

#: How the family experienced the meeting: (key, icon, words).
EXPERIENCE = (("good", "🙂", N_("Goed")), ("ok", "😐", N_("Het ging wel")),
              ("bad", "🙁", N_("Niet goed")))
EXPERIENCE_LABELS = {key: (icon, label) for key, icon, label in EXPERIENCE}

#: Where the answers of a step are kept: "well" and "talk" (topics and typed words).
WORDS = {"well": (N_("Wat goed gaat"), N_("Wat goed gaat")),
         "talk": (N_("Waarover je wilt praten"), N_("Waarover het gezin wil praten"))}


def said(env: Env, locale: str, part: dict[str, Any] | None) -> Markup | str:
    """Topics and typed words of one step, or a dash."""
    part = part or {}
    shown: list[Markup | str] = [env.tr.t(locale, TOPIC_LABELS[t])
                                 for t in part.get("topics", []) if t in TOPIC_LABELS]
    if part.get("text"):
        shown.append(italic(part["text"]))
    return Markup(", ").join(shown) if shown else "—"


def rating(value: Any) -> str:
    return "—" if value is None else str(value)


def family_summary(env: Env, locale: str, answers: dict[str, Any], *,
                   words: bool = True) -> Markup:
    """What the family will pass on, in their words."""
    t = env.tr.t
    ratings = answers.get("ratings") or {}
    shown = [Markup("{}: {}").format(t(locale, family), rating(ratings.get(key)))
             for key, _pro, family, _explain in DIMENSIONS]
    if words:
        for step in ("well", "talk"):
            shown.append(Markup("{}: {}").format(t(locale, WORDS[step][0]),
                                                 said(env, locale, answers.get(step))))
    return lines(*shown)


def coordinator_summary(env: Env, locale: str, answers: dict[str, Any],
                        after: dict[str, Any] | None = None) -> Markup:
    """The six ratings (before -> at the evaluation) and the family's words."""
    t = env.tr.t
    ratings = answers.get("ratings") or {}
    later = (after or {}).get("ratings") or {}
    shown = []
    for key, pro, _family, _explain in DIMENSIONS:
        value = rating(ratings.get(key))
        if after is not None:
            value += " → " + rating(later.get(key))
        shown.append(Markup("{}: {}").format(bold(t(locale, pro)), value))
    if any(answers.get(step) for step in WORDS):
        for step in ("well", "talk"):
            shown.append(Markup("{}: {}").format(t(locale, WORDS[step][1]),
                                                 said(env, locale, answers.get(step))))
    return lines(*shown)


def wishes(env: Env, locale: str, answers: dict[str, Any]) -> list[tuple[str, Markup | str]]:
    """What the family asked to talk about, one by one: (id, words) - a topic, or their
    own typed words."""
    talk = answers.get("talk") or {}
    found: list[tuple[str, Markup | str]] = [
        (f"t{t}", env.tr.t(locale, TOPIC_LABELS[t])) for t in talk.get("topics", [])
        if t in TOPIC_LABELS]
    if talk.get("text"):
        found.append(("own", str(talk["text"])))
    return found
