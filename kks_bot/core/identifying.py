"""Does a sparring question look like it identifies a family?

Sparring is anonymous: a professional asks a coordinator for advice without names or other
identifying details. Before such a question is sent, :func:`identifying_details` looks for
what would identify a family and returns the kinds it found, so the bot can warn (the
professional decides; this is a warning, never a block).

Pure and fast: no I/O, no clock, no dateparser (about 1 ms a call, too slow for scanning free
text); regular expressions, the ``phonenumbers`` matcher, and word lists. Month names come
from Babel's locale data (nl, en, ar and the Levantine ar_SY months such as آذار), digits are
normalised with :func:`kks_bot.core.parsers.normalize_digits` (Arabic-Indic digits become
ASCII) and municipality names come from the shipped :class:`~kks_bot.core.directory.Directory`.

Names are found by heuristics, since there is no offline named-entity recogniser:

(a) a title or kin word followed by a capitalised word ("mevrouw Jansen", "mevr. de Vries",
    "moeder Fatima", "Mrs Smith"); Arabic السيدة/السيد/عائلة/أبو followed by a word that is
    not a known non-name, and أم (which also means "or") only before a common given name or
    at the start of a sentence;
(b) a naming phrase followed by a word: "heet"/"called" (then capitalised), "genaamd",
    "named", "haar naam is", "her name is", "naam:", "ze heet", "اسمها", "اسمه", "تدعى";
(c) a capitalised word inside a sentence that is not on the stoplist of known non-names
    (days, months, countries, languages, nationalities, Zuid-Limburg places, organisations,
    roles, pronouns); acronyms in capitals and the first word of a sentence or line do not
    count, except a first word followed by an age ("Fatima (23)", "Sarah, 19,") or by
    "is zwanger"/"is pregnant"/"is 19";
(d) a common Arabic given name anywhere (Arabic script has no capitals).

Before names are looked for, e-mail addresses, links, dates and phone numbers are blanked
out, so "Fatima.Jansen@ziggo.nl" counts as an e-mail address only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Final

import phonenumbers
from babel.dates import get_day_names, get_month_names
from babel.localedata import LocaleDataDict
from phonenumbers import PhoneNumberType

from ..directory import Directory
from .parsers import normalize_digits

__all__ = ["KINDS", "identifying_details"]

KINDS: Final = ("name", "birthdate", "postcode", "phone", "email", "number")

# --- Normalisation -----------------------------------------------------------------------------

# Arabic: drop harakat and tatweel, fold the alef variants, so spelling variants match.
_ARABIC_FOLD: Final[dict[int, str | None]] = {
    **{cp: None for cp in range(0x064B, 0x0653)},  # fathatan .. sukun, shadda, maddah
    0x0670: None,  # superscript alef
    0x0640: None,  # tatweel
    0x0622: "ا",  # آ
    0x0623: "ا",  # أ
    0x0625: "ا",  # إ
    0x0671: "ا",  # ٱ
}


def _fold_arabic(text: str) -> str:
    return text.translate(_ARABIC_FOLD)


def _normalize(text: str) -> str:
    """NFC, ASCII digits, no invisible marks, Arabic spelling folded (see ``_ARABIC_FOLD``)."""
    return _fold_arabic(normalize_digits(unicodedata.normalize("NFC", text)))


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Replace each span by spaces (same length), so later checks skip what was found."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


# --- E-mail and links --------------------------------------------------------------------------

# The look-behind makes a match start only where a run starts (no quadratic rescans).
_EMAIL: Final = re.compile(r"(?<![\w.+%'-])[\w.+%'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_URL: Final = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)

# --- Dates -------------------------------------------------------------------------------------


def _values(names: LocaleDataDict) -> list[str]:
    return [str(v) for v in names.values()]


def _month_words() -> list[str]:
    """Month names and abbreviations (nl, en, ar, Levantine ar_SY), longest first."""
    words: set[str] = {"sept", "mrt", "mar", "okt", "oct"}
    for locale in ("nl", "en", "ar", "ar_SY"):
        for width in ("wide", "abbreviated"):
            words.update(_values(get_month_names(width, locale=locale)))
    folded = {_fold_arabic(w).casefold().rstrip(".") for w in words}
    return sorted(folded, key=len, reverse=True)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)


_NOT_LETTER_AFTER: Final = r"(?![^\W\d_])"
_NOT_LETTER_BEFORE: Final = r"(?<![^\W\d_])"
_MONTH: Final = rf"{_NOT_LETTER_BEFORE}(?:{_alternation(_month_words())}){_NOT_LETTER_AFTER}\.?"
_DAY: Final = r"(?:[12][0-9]|3[01]|0?[1-9])"
_DAY_ORD: Final = rf"(?<!\d){_DAY}(?:st|nd|rd|th|ste|de|e)?(?![\w])"
_MONTH_NUM: Final = r"(?:1[0-2]|0?[1-9])"
_YEAR4: Final = r"(?:1[89]|20)[0-9]{2}"
# "12 maart", "3rd of March", "١٢ من شهر آذار", "March 3rd", "the 3rd of March".
_DAY_MONTH_WORDS: Final = (
    rf"(?:(?:the\s+)?{_DAY_ORD}[\s./-]*(?:of\s+|van\s+|من\s+)?(?:شهر\s+)?{_MONTH}"
    rf"|{_MONTH}\s*(?:the\s+)?{_DAY_ORD})"
)
_FULL_DATE: Final = re.compile(
    # 12-03-2024, 12/3/24, 12.03.2024 (one separator throughout), 2024-03-12.
    rf"(?<![\d/.-])(?:{_DAY}(?P<s1>[-/.]){_MONTH_NUM}(?P=s1)(?:{_YEAR4}|[0-9]{{2}})"
    rf"|{_YEAR4}(?P<s2>[-/.]){_MONTH_NUM}(?P=s2){_DAY})(?![0-9]|[-/.][0-9])"
    # 12 maart 2024, 3 March, 2024, March 3rd, 2024, 12 mrt. '24, ١٢ آذار ٢٠٢٤.
    rf"|{_DAY_MONTH_WORDS}[\s,./-]*(?:{_YEAR4}|'[0-9]{{2}})(?![0-9])",
    re.IGNORECASE,
)
# A day and a month without a year only count after a word about birth.
_BIRTH_WORD: Final = (
    r"geboren|geb\.|geboortedatum|geboortedag|verjaardag|born|birthday|birth\s*date"
    r"|date\s+of\s+birth|d\.?o\.?b\b\.?"
    r"|مولود|مولوده|مولودة|ولد|ولدت|تاريخ\s+الميلاد|تاريخ\s+ميلاد|ميلاد|ميلادها|ميلاده"
    r"|مواليد|عيد\s+ميلاد"
)
_BIRTH_DATE: Final = re.compile(
    rf"{_NOT_LETTER_BEFORE}(?:{_BIRTH_WORD}){_NOT_LETTER_AFTER}[^\n]{{0,25}}?"
    rf"(?:{_DAY_MONTH_WORDS}|(?<![\d/.-]){_DAY}[-/.]{_MONTH_NUM}(?![0-9]))",
    re.IGNORECASE,
)

# --- Phone numbers -----------------------------------------------------------------------------

# Public service numbers professionals mention: 0800 (Veilig Thuis 0800-2000), 0900, and
# organisation numbers (088 and the municipalities' 14 0xx). 112 is never matched.
_PUBLIC_PHONE_TYPES: Final = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.UAN,
    }
)
# Runs of digits and phone punctuation; each run with enough digits goes to the matcher on
# its own (the matcher is linear per run, but slow on long texts with many numbers).
_PHONE_RUN: Final = re.compile(r"\+?[0-9(](?:[0-9]|[ \u00a0.()/-]{1,3}(?=[0-9(]))*")
_MIN_PHONE_DIGITS: Final = 7
_MAX_PHONE_CHUNK: Final = 40  # a longer run is a list of numbers: cut it at spaces
# The matcher takes about 1 ms for 40 characters of digits; past this many characters the
# text is a list of numbers rather than a question, and the rest is judged by digit count.
_PHONE_BUDGET: Final = 400

# --- Postcodes and numbers ---------------------------------------------------------------------

_POSTCODE: Final = re.compile(
    r"(?<![\w.,/-])([1-9][0-9]{3})([ \u00a0]?)([A-Za-z]{2})(?![\w])", re.ASCII
)
# "in 2024 en ...", "1000 mg": a year or amount followed by a two-letter word is no postcode.
_TWO_LETTER_WORDS: Final = frozenset(
    "en in op is de te er ze je we al nu na om of ja ik zo uw he hè ca at on an to or as it "
    "by be me my no so up us do go if am pm hi ok km kg mg ml cl dl cm mm gr st nd rd th eu "
    "uu ct jr nr".split()
)
_UNITS: Final = frozenset("km kg mg ml cl dl cm mm gr uu pm am st nd rd th ct eu".split())
_POSTCODE_NOT_ISSUED: Final = frozenset({"SA", "SD", "SS"})
# Digit groups joined by one space or dot: 123456782, 1234.56.782, 123 456 782.
_DIGIT_RUN: Final = re.compile(r"(?<![0-9])[0-9]+(?:[ .][0-9]+)*(?![0-9])")

# --- Names: word lists -------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {w.casefold() for w in text.split()}


# Titles: followed by a capitalised word, that word is a name (unless it is a pronoun or such).
_TITLES: Final = frozenset(
    _words(
        """
        mevrouw mevr mw mej mejuffrouw meneer mijnheer mnr dhr heer familie fam
        mr mrs ms mx miss madam family
        """
    )
)
# Titles that are abbreviations, so a full stop may follow: "mevr. Jansen", "Mrs. Smith".
_ABBREVIATED_TITLES: Final = frozenset(_words("mevr mw mej mnr dhr fam mr mrs ms mx"))
# Kin and role words: followed by a capitalised word not on the stoplist, it is a name.
_KIN_WORDS: Final = frozenset(
    _words(
        """
        moeder vader mama papa mam pap oma opa tante oom zus zusje broer broertje dochter
        dochtertje zoon zoontje baby kindje neef nicht partner vriend vriendin man echtgenoot
        echtgenote ex cliënt cliënte client gezin
        mother father mum mom mommy dad daddy grandma grandmother granny aunt uncle sister
        brother daughter son husband wife boyfriend girlfriend fiance fiancé cousin
        """
    )
)
# Tussenvoegsels and particles that may stand between a title and the capitalised name.
_PARTICLES: Final = frozenset(
    _words("van de der den het ten ter te von vd el al la le du da di dos bin ben ibn abu")
)
_NAMING_STRONG: Final = frozenset(_words("genaamd named"))
_NAMING_WEAK: Final = frozenset(_words("heet called heten"))  # "heet" is also "hot"
_PRONOUNS_BEFORE_HEET: Final = frozenset(_words("ze zij hij moeder vader baby kind dochter zoon"))
_NAME_NOUNS: Final = frozenset(_words("naam name voornaam achternaam surname firstname"))
# What may follow a naming phrase without being a name.
_NOT_A_NAME_AFTER_NAMING: Final = frozenset(
    _words(
        """
        de het een the a an niet not ook also zo so dat that die this dit is was eigenlijk
        onbekend unknown bekend known anoniem anonymous geheim secret privé private weet
        know geen no none nvt n.v.t x xx xxx hetzelfde same zoiets something iets en and
        """
    )
)

_PRONOUNS_AND_COMMON: Final = """
    ik je jij u uw wij we ze zij hij het hem haar hun hen mijn onze ons jullie men iemand
    niemand iedereen die dat dit deze wie wat welke waar wanneer waarom hoe hoi hallo hey
    beste dag goedemorgen goedemiddag dank bedankt groet groeten mvg gr graag alvast ok oke
    oké okay ja nee
    i me you he she it we they him her his hers its our ours their them my your mine who
    what which where when why how hi hello dear thanks thank regards kind best yes no
    moeder vader mama papa moeders ouders ouder cliënt cliënte client cliënten clients
    vrouw vrouwen man meisje kind kinderen baby zwangere jonge alleenstaande
    mother father mum mom mothers parents parent woman women girl boy child children
    pregnant young single teen tiener tienermoeder casus case vraag question situatie
    situation context achtergrond background leeftijd age update info zwanger
    alles niets iets er daar hier dan nu toen ook maar en of want dus omdat als wel niet
    geen nog al zo echt veel weinig meer verder daarnaast bovendien eerst toch
    everything nothing something anything there here this that these those now then also
    but and or so because if as not still already very much more also first however
    mevrouw meneer familie gezin family sir madam
"""
_ROLES_AND_ORGANISATIONS: Final = """
    ggd jgz ozks knooppunt knooppunten kansrijke start raad kinderbescherming veilig thuis
    avg bsn cjg gp jeugdzorg jeugdbescherming jeugdarts jeugdverpleegkundige huisarts
    huisartsen huisartsenpraktijk praktijkondersteuner poh verloskundige verloskundigen
    verloskunde gynaecoloog gynaecologie kraamzorg kraamverzorgende consultatiebureau
    wijkteam wijkteams sociaal domein gemeente gemeenten zorgpad zorgpaden zorgverzekeraar
    wijkverpleging wijkverpleegkundige buurtzorg maatschappelijk werk smw ggz ggz-instelling
    mondriaan zuyderland mumc umc maastricht-umc ziekenhuis coa ind azc vluchtelingenwerk
    voedselbank schuldhulp schuldhulpverlening schuldsanering kredietbank uwv duo svb
    belastingdienst toeslagen zorgtoeslag huurtoeslag kinderopvangtoeslag kinderbijslag
    bijstand participatiewet wmo jeugdwet voorzorg stevig ouderschap nurse partnership
    centrum jeugd gezin zorg team coördinator coordinator coordinatoren coördinatoren
    overleg sparren sparring aanmelding aanmelden registratie handboek basisstructuur
    telegram whatsapp signal teams zoom outlook zorgmail siilo google chatgpt facebook
    instagram tiktok internet covid corona
    youth care midwife midwives gynaecologist hospital municipality council child
    protection board safe home health service social work general practitioner
    mdo zat vng nji rivm cbs lvb adhd ptss ptsd ass iq hiv soa
    humanitas home-start moeders voor stichting vereniging xonar rubicon alcander meander
    impuls radar levanto koraal trajekt jeugdgezondheidszorg meldcode verwijsindex wet
    wetten artikel samenstarten babyspreekuur centering centeringpregnancy triple signs
    safety services service nurse kwetsbaar kwetsbare zwangeren zwangerschap praktijk
    multidisciplinair multidisciplinaire stap step fase phase week weken dag day
    god allah inshallah islam moslim moslima muslim christen christian christelijk
    katholiek catholic protestant joods jewish ramadan kerst kerstmis pasen pinksteren
    carnaval koningsdag suikerfeest offerfeest christmas easter eid
"""
_PLACES: Final = """
    nederland holland limburg zuid-limburg zuid noord oost west parkstad mijnstreek
    westelijke heuvelland maastricht-heuvelland europa europe afrika africa azië asia
    amerika america midden-oosten middle east noord-afrika north
    hoensbroek geleen sittard nuth schinnen schinveld onderbanken amstenrade oirsbeek
    eygelshoven hulsberg klimmen ubachsberg margraten eijsden gulpen wittem mechelen epen
    elsloo urmond born susteren echt roermond venlo weert munstergeleen limbricht
    schaesberg nieuwenhagen bocholtz cadier keer bunde ulestraten rothem
    terblijt schin geul valkenburg maastrichts heerlenaar heerlenaren maastrichtenaar
    maastrichtenaren
    amsterdam rotterdam utrecht den haag bosch helder eindhoven nijmegen tilburg breda arnhem zwolle
    groningen aken aachen luik liège genk hasselt brussel brussels antwerpen
    damascus aleppo homs idlib bagdad baghdad erbil mosul asmara kabul mogadishu istanbul
    ankara casablanca rabat tanger nador beirut amman gaza
"""
_NATIONALITIES_AND_LANGUAGES: Final = """
    nederlands nederlandse nederlander nederlanders dutch engels engelse english arabisch
    arabische arabic arab arabier syrisch syrische syriër syriërs syrian syrians iraaks
    iraakse iraqi iraans iraanse iranian perzisch farsi persian dari pashtu pasjtoe pashto
    afghaans afghaanse afghan marokkaans marokkaanse marokkaan moroccan turks turkse turk
    turkish koerdisch koerdische koerd kurdish kurd eritrees eritrese eritreeër eritrean
    ethiopisch ethiopische ethiopian somalisch somalische somaliër somali tigrinya
    tigrinia amhaars amharic pools poolse pool polish oekraïens oekraïense oekraïner
    ukrainian russisch russische russian roemeens roemeense romanian bulgaars bulgaarse
    bulgarian hongaars hongaarse hungarian duits duitse german belgisch belgische belg
    belgian frans franse french spaans spaanse spanish portugees portugese portuguese
    italiaans italiaanse italian grieks griekse greek surinaams surinaamse surinamer
    surinamese antilliaans antilliaanse antilliaan antillean papiaments papiamento
    kaapverdisch chinees chinese vietnamees vietnamese indonesisch indonesian
    limburgs limburgse limburger limburgers limburgish berbers berber amazigh tamazight
    palestijns palestijnse palestinian libanees libanese lebanese jordaans jordanian
    egyptisch egyptische egyptian soedanees soedanese sudanese jemenitisch yemeni
    algerijns algerijnse algerian tunesisch tunesische tunisian libisch libyan
    europees europese european afrikaans afrikaanse african aziatisch asian
    westers westerse western niet-westers niet-westerse nederlandstalig nederlandstalige
    engelstalig engelstalige arabischtalig arabischtalige anderstalig anderstalige
"""
# Countries whose English name is also a common given name stay out of the stoplist.
_COUNTRY_NAMES_THAT_ARE_GIVEN_NAMES: Final = frozenset(
    _words("jordan georgia chad israel jersey")
)


def _territories() -> set[str]:
    from babel import Locale

    words: set[str] = set()
    for locale in ("nl", "en"):
        for code, name in Locale.parse(locale).territories.items():
            if not code.isdigit() and " " not in name:
                words.add(name.casefold())
    return words - _COUNTRY_NAMES_THAT_ARE_GIVEN_NAMES


def _calendar_words() -> set[str]:
    words: set[str] = set()
    for locale in ("nl", "en"):
        for width in ("wide", "abbreviated"):
            for names in (get_month_names(width, locale=locale),
                          get_day_names(width, locale=locale)):
                words.update(w.casefold().rstrip(".") for w in _values(names))
    words.discard("jan")  # Jan is a common Dutch given name
    return words


def _municipality_words() -> set[str]:
    words: set[str] = set()
    for municipality in Directory.shipped().all():
        name = municipality.name.casefold()
        words.add(name)
        words.update(re.split(r"[\s-]+", name))
    return words


_COMMON: Final = frozenset(_words(_PRONOUNS_AND_COMMON))
_NON_NAMES: Final = frozenset(
    _COMMON
    | _TITLES
    | _KIN_WORDS
    | _words(_ROLES_AND_ORGANISATIONS)
    | _words(_PLACES)
    | _words(_NATIONALITIES_AND_LANGUAGES)
    | _territories()
    | _calendar_words()
    | _municipality_words()
)
# "Heerlense", "Limburgse", "Monday's": a known place or people with an adjective ending.
_ADJECTIVE_ENDINGS: Final = ("se", "'s", "’s")
# Dutch compounds naming a service or a role: "Verloskundigenpraktijk", "Jeugdarts".
_SERVICE_ENDINGS: Final = (
    "praktijk", "team", "teams", "zorg", "centrum", "overleg", "bureau", "dienst",
    "instelling", "organisatie", "afdeling", "kundige", "kundigen", "huisarts", "jeugdarts",
    "kinderarts", "artsen", "werker", "hulp", "verlening", "traject", "loket", "punt", "pad",
)

# Arabic (folded by ``_fold_arabic``). Arabic script has no capitals, so names are found only
# after titles and naming words, and from a short list of common given names.
_AR_TITLES: Final = frozenset(_fold_arabic(w) for w in "السيدة السيده السيد عائلة عائله".split())
_AR_KUNYA: Final = frozenset(_fold_arabic(w) for w in "أبو ابو أبي".split())
_AR_UMM: Final = _fold_arabic("أم")
_AR_NAMING: Final = frozenset(
    _fold_arabic(w) for w in "اسمها اسمه اسم تدعى يدعى تسمى يسمى واسمها واسمه".split()
)
_AR_NAMING_FILLER: Final = frozenset(
    _fold_arabic(w) for w in "هو هي الأول الاول الكامل الأم الام الطفل الطفلة الأب الاب :".split()
)
_AR_STOP: Final = frozenset(
    _fold_arabic(w)
    for w in """
        في من مع على عن إلى الى او أو ثم لا لم لن هل أن ان إن ما ماذا كيف متى لماذا هي هو
        هم هن أنا انا نحن انت أنت التي الذي كانت كان يكون تكون لديها لديه لديهم عندها عنده
        عمرها عمره عمر حامل حاملة تعيش يعيش تسكن يسكن تحتاج يحتاج تريد يريد ليس ليست وحيدة
        وحيد صغيرة صغير كبيرة كبير شابة شاب لاجئة لاجئ جديدة جديد فقيرة فقير حزينة مريضة
        مريض متزوجة متزوج عزباء مطلقة مطلق أرملة ارملة بدون بلا فقط أيضا ايضا جدا قد كل بعض
        منذ عند بعد قبل حتى لكن لأن لان يجب ممكن هذه هذا ذلك تلك هنا هناك
        سورية سوري عراقية عراقي مغربية مغربي هولندية هولندي عربية عربي كردية كردي
        تركية تركي اريترية اريتري صومالية صومالي أفغانية افغانية أفغاني افغاني
        """.split()
)
# "عائلة الزوج" (the husband's family) is no family name.
_AR_DEFINITE_KIN: Final = frozenset(
    _fold_arabic(w)
    for w in """
        الأب الاب الأم الام الزوج الزوجة الطفل الطفلة الأطفال الاطفال الحامل
        الولد البنت الرضيع الأهل الاهل المريضة الكبيرة الصغيرة الممتدة اللاجئة السورية
        """.split()
)
# Common given names (folded spelling), the only Arabic names found without a title. Names
# that are also common words are left out: علي (also "on me"), عمر ("age"), صالح ("valid"),
# رضا, آية, دعاء, شهد, أمل, نور, هدى, إيمان.
_AR_GIVEN_NAMES: Final = frozenset(
    _fold_arabic(w)
    for w in """
        محمد أحمد احمد محمود مصطفى مصطفي حسن حسين عثمان خالد يوسف إبراهيم ابراهيم
        إسماعيل اسماعيل عبدالله عبدالرحمن عبدالكريم طارق ماهر سامر باسل وليد زياد رامي
        فادي حمزة بلال أنس ايمن أيمن أسامة اسامة عماد نبيل فراس مازن آدم ادم ياسين يحيى
        يحيي مراد جعفر سليمان داود موسى موسي عيسى عيسي هشام حسام سعد فيصل ناصر منصور
        فاطمة فاطمه عائشة عائشه خديجة خديجه مريم زينب سارة ساره ليلى ليلي رنا هبة ياسمين
        نادية ناديه سلمى سلمي رهف لينا أسماء اسماء بتول رغد حلا سميرة نسرين هالة رشا لمى
        ديما رزان زهراء رقية سمية خولة صفية حليمة آمنة امنة نورا
        """.split()
)

# --- Names: matching ---------------------------------------------------------------------------

_TOKEN: Final = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# A word after these (or an opening quote) starts a sentence, a line or a quotation.
_SENTENCE_END: Final = frozenset(".!?:;…\n؟؛\"“”„«»")
_AGE: Final = (
    r"[0-9]{1,2}(?:\s*(?:jaar|jr|j|years?(?:\s+old)?|yrs?|y|maanden|mnd|months?|weken|"
    r"wk|weeks?)\b\.?)?"
)
# After a first word: "(23)", "(23 jaar)", ", 19,", ", 19 years old.", " is zwanger", " is 19".
_AGE_AFTER: Final = re.compile(
    rf"\s*\(\s*{_AGE}\s*\)"
    rf"|\s*,\s*{_AGE}\s*(?:[,.;:!?)]|$)"
    r"|\s+(?:is|was)\s+(?:zwanger|pregnant|in\s+verwachting|[0-9]{1,2}(?![0-9]))",
    re.IGNORECASE,
)


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_non_name(word: str) -> bool:
    """True for a word on the stoplist, also with an adjective ending ("Heerlense")."""
    folded = word.casefold()
    if folded in _NON_NAMES:
        return True
    for ending in _ADJECTIVE_ENDINGS:
        stem = folded.removesuffix(ending)
        if stem != folded and len(stem) >= 5 and stem in _NON_NAMES:
            return True
    if any(folded.endswith(e) and len(folded) > len(e) + 2 for e in _SERVICE_ENDINGS):
        return True
    parts = re.split(r"['’-]", word)
    if len(parts) > 1:
        # "Sittard-Geleen", "JGZ-verpleegkundige", "Zuid-Limburgse": every capitalised part
        # is known or an acronym.
        capitalised = [p for p in parts if p and _is_capitalised(p)]
        return all(_is_acronym(p) or _is_non_name(p) for p in capitalised)
    return False


def _looks_like_latin_name(word: str) -> bool:
    """A capitalised word that is not an acronym, a single letter ("I") or a known non-name."""
    head = re.split(r"['’]", word)[0]
    return (
        _is_capitalised(word)
        and len(head) >= 2
        and not _is_acronym(word)
        and not _is_non_name(word)
    )


class _Tokens:
    """The words of a text with, for each, whether it starts a sentence or line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.matches = list(_TOKEN.finditer(text))
        self.words = [m.group() for m in self.matches]
        self.folded = [w.casefold() for w in self.words]
        self.initial: list[bool] = []
        previous_end = 0
        for index, match in enumerate(self.matches):
            gap = text[previous_end : match.start()]
            self.initial.append(index == 0 or any(ch in _SENTENCE_END for ch in gap))
            previous_end = match.end()

    def gap_before(self, index: int) -> str:
        start = self.matches[index - 1].end() if index > 0 else 0
        return self.text[start : self.matches[index].start()]

    def next_word(self, index: int, *, skip: frozenset[str] = frozenset()) -> int | None:
        """Index of the word after ``index`` on the same line, skipping ``skip`` words."""
        following = index + 1
        while following < len(self.words):
            if "\n" in self.gap_before(following):
                return None
            if self.folded[following] not in skip:
                return following
            following += 1
        return None


def _latin_title_name(tokens: _Tokens, index: int) -> bool:
    """(a) "mevrouw Jansen", "mevr. van der Berg", "moeder Fatima", "Mrs. Smith"."""
    title = tokens.folded[index]
    is_title = title in _TITLES
    if not is_title and title not in _KIN_WORDS:
        return False
    following = tokens.next_word(index, skip=_PARTICLES)
    if following is None:
        return False
    gap = tokens.gap_before(following) if following == index + 1 else " "
    allowed = " \u00a0." if title in _ABBREVIATED_TITLES else " \u00a0"
    if gap.strip(allowed):
        return False
    word = tokens.words[following]
    if not _is_capitalised(word) or len(word) < 2:
        return False
    if is_title:  # "mevrouw Beek" is a name even though Beek is a municipality
        return word.casefold() not in _COMMON
    return not _is_non_name(word)


def _naming_phrase_name(tokens: _Tokens, index: int) -> bool:
    """(b) "genaamd Fatima", "she is called Sarah", "haar naam is Noor", "naam: Jansen"."""
    word = tokens.folded[index]
    after = tokens.next_word(index)
    if after is None:
        return False
    strong = word in _NAMING_STRONG
    may_start_sentence = False
    if word in _NAME_NOUNS:
        if ":" in tokens.gap_before(after):  # "naam: Jansen"
            strong = may_start_sentence = True
        elif tokens.folded[after] in ("is", "was"):  # "haar naam is Noor"
            strong = True
            after = tokens.next_word(after)
        else:
            return False
    elif word in _NAMING_WEAK:
        before = tokens.folded[index - 1] if index > 0 else ""
        if before in _PRONOUNS_BEFORE_HEET:  # "ze heet Noor"
            strong = True
        elif tokens.folded[after] in ("ze", "zij", "hij"):  # "heet ze Noor"
            strong = True
            after = tokens.next_word(after)
    elif not strong:
        return False
    while after is not None and tokens.folded[after] in _PARTICLES:
        after = tokens.next_word(after)
    if after is None or (tokens.initial[after] and not may_start_sentence):
        return False
    name = tokens.words[after]
    if name.casefold() in _NOT_A_NAME_AFTER_NAMING or _is_non_name(name):
        return False
    if _is_arabic(name):
        return name not in _AR_STOP
    return strong or _looks_like_latin_name(name)


def _is_arabic(word: str) -> bool:
    return "\u0600" <= word[0] <= "\u06ff"


def _arabic_name(tokens: _Tokens, index: int) -> bool:
    """(a), (b), (d) for Arabic: titles, kunya, naming words, common given names."""
    word = tokens.words[index]
    if word in _AR_GIVEN_NAMES or word.removeprefix("و") in _AR_GIVEN_NAMES:
        return True
    is_title = word in _AR_TITLES
    is_kunya = word in _AR_KUNYA
    is_umm = word == _AR_UMM
    if word in _AR_NAMING:
        following = tokens.next_word(index, skip=_AR_NAMING_FILLER)
        if following is None:
            return False
        name = tokens.words[following]
        return name not in _AR_STOP and not (_is_arabic(name) and name.startswith("ال"))
    if not (is_title or is_kunya or is_umm):
        return False
    following = tokens.next_word(index)
    if following is None or tokens.initial[following]:
        return False
    name = tokens.words[following]
    if not _is_arabic(name):
        return _is_capitalised(name) and not _is_non_name(name)
    if name in _AR_GIVEN_NAMES:
        return True
    if word.startswith("عائل") and name.startswith("ال"):
        return name not in _AR_DEFINITE_KIN  # "عائلة الحلبي", but "عائلة الزوج"
    if name in _AR_STOP or name.startswith(("ال", "لل")):
        return False
    if name.startswith(("ل", "ب", "ك")) or name.endswith(("ها", "هم", "كم")):
        return False  # "أم لطفلين": mother of two; "أبو طفلها": her child's father
    if is_umm and not tokens.initial[index]:
        return False  # inside a sentence أم is mostly "or"
    if is_umm or word.startswith("عائل"):
        # "أم عزباء", "عائلة كبيرة": an adjective agrees with the feminine noun.
        return not name.endswith(("ة", "اء"))
    if is_kunya:
        return True
    # السيد/السيدة then a verb ("السيد يعمل", "السيدة تعيش"): no name.
    if name.startswith("ت" if word.endswith(("ة", "ه")) else "ي"):
        return False
    # السيدة/السيد: nisba adjectives (سورية) and participles (متزوجة) describe, not name.
    return not (name.endswith(("ية", "يه")) or (name.startswith("م") and name.endswith("ة")))


def _has_name(text: str) -> bool:
    tokens = _Tokens(text)
    for index, word in enumerate(tokens.words):
        if _is_arabic(word):
            if _arabic_name(tokens, index):
                return True
            continue
        if _latin_title_name(tokens, index) or _naming_phrase_name(tokens, index):
            return True
        if not _looks_like_latin_name(word):
            continue
        if not tokens.initial[index]:
            return True  # (c) a capitalised word inside a sentence
        if _AGE_AFTER.match(text, tokens.matches[index].end()):
            return True  # (c) "Fatima (23) is zwanger", "Sarah, 19, ..."
    return False


# --- The detector ------------------------------------------------------------------------------


def _phone_chunks(run: re.Match[str]) -> Iterator[tuple[int, str]]:
    """The run with its offset; a long run (a list of numbers) in pieces cut at spaces."""
    start, rest = run.start(), run.group()
    while len(rest) > _MAX_PHONE_CHUNK:
        cut = rest.rfind(" ", 0, _MAX_PHONE_CHUNK)
        if cut <= 0:
            cut = _MAX_PHONE_CHUNK
        yield start, rest[:cut]
        start, rest = start + cut, rest[cut:]
    yield start, rest


def _digit_count(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _phones(text: str) -> tuple[bool, list[tuple[int, int]]]:
    """Whether a personal phone number occurs; the spans of phone numbers to blank out.

    The matcher runs on each run of digits and phone punctuation separately (on a whole text
    with many numbers it is slow), for at most ``_PHONE_BUDGET`` characters. Once a personal
    number is found, or the budget is spent, a further piece of 10 or more digits is taken to
    be a personal phone number without asking the matcher (a BSN has 9).
    """
    found = False
    spans: list[tuple[int, int]] = []
    budget = _PHONE_BUDGET
    for run in _PHONE_RUN.finditer(text):
        if _digit_count(run.group()) < _MIN_PHONE_DIGITS:
            continue
        for start, chunk in _phone_chunks(run):
            if found or budget <= 0:
                if _digit_count(chunk) >= 10:
                    spans.append((start, start + len(chunk)))
                    found = True
                continue
            budget -= len(chunk)
            for match in phonenumbers.PhoneNumberMatcher(chunk, "NL"):
                spans.append((start + match.start, start + match.end))
                if phonenumbers.number_type(match.number) not in _PUBLIC_PHONE_TYPES:
                    found = True
    return found, spans


def _has_postcode(text: str) -> bool:
    for match in _POSTCODE.finditer(text):
        separator, letters = match.group(2), match.group(3)
        if letters.upper() in _POSTCODE_NOT_ISSUED:
            continue
        if separator:
            if letters.isupper() or letters.casefold() not in _TWO_LETTER_WORDS:
                return True
        elif letters.casefold() not in _UNITS:
            return True
    return False


def _has_nine_digit_number(text: str) -> bool:
    for match in _DIGIT_RUN.finditer(text):
        groups = re.split(r"[ .]", match.group())
        if sum(len(g) for g in groups) == 9 or any(len(g) == 9 for g in groups):
            return True
    return False


def identifying_details(text: str) -> list[str]:
    """The kinds of identifying detail that ``text`` seems to contain, in :data:`KINDS` order.

    An empty list means the text looks anonymous. Kinds: ``"name"`` (heuristics, see the
    module docstring), ``"birthdate"`` (a full date, or a day and month after a word about
    birth), ``"postcode"`` (1234 AB), ``"phone"`` (not 0800/0900/088/14 0xx numbers nor 112),
    ``"email"`` and ``"number"`` (a 9-digit number such as a BSN, with or without spaces or
    dots). This only warns: it misses what it cannot see and sometimes sees too much.
    """
    normalized = _normalize(text)
    if not normalized:
        return []
    found: set[str] = set()

    emails = [m.span() for m in _EMAIL.finditer(normalized)]
    if emails:
        found.add("email")
    rest = _blank(normalized, [*emails, *(m.span() for m in _URL.finditer(normalized))])

    dates = [m.span() for m in _FULL_DATE.finditer(rest)]
    dates += [m.span() for m in _BIRTH_DATE.finditer(rest)]
    if dates:
        found.add("birthdate")
    rest = _blank(rest, dates)

    has_phone, phone_spans = _phones(rest)
    if has_phone:
        found.add("phone")
    rest = _blank(rest, phone_spans)

    if _has_postcode(rest):
        found.add("postcode")
    if _has_nine_digit_number(rest):
        found.add("number")
    if _has_name(rest):
        found.add("name")
    return [kind for kind in KINDS if kind in found]
