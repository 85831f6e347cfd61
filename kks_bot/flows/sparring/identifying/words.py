"""The word lists the name heuristics use: titles, kin words, naming phrases, the
stoplist of capitalised words that are not names, common Arabic given names."""


from __future__ import annotations

import functools
import re
from typing import Final

from babel import Locale
from babel.dates import get_day_names, get_month_names

from ....directory import Directory
from .text import fold_arabic, values

# --- Names: word lists -------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {w.casefold() for w in text.split()}


# Titles: followed by a capitalised word, that word is a name (unless it is a pronoun or such).
TITLES: Final = frozenset(
    _words(
        """
        mevrouw mevr mw mej mejuffrouw meneer mijnheer mnr dhr heer familie fam
        mr mrs ms mx miss madam family
        """
    )
)
# Titles that are abbreviations, so a full stop may follow: "mevr. Jansen", "Mrs. Smith".
ABBREVIATED_TITLES: Final = frozenset(_words("mevr mw mej mnr dhr fam mr mrs ms mx"))
# Kin and role words: followed by a capitalised word not on the stoplist, it is a name.
KIN_WORDS: Final = frozenset(
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
PARTICLES: Final = frozenset(
    _words("van de der den het ten ter te von vd el al la le du da di dos bin ben ibn abu")
)
NAMING_STRONG: Final = frozenset(_words("genaamd named"))
NAMING_WEAK: Final = frozenset(_words("heet called heten"))  # "heet" is also "hot"
PRONOUNS_BEFORE_HEET: Final = frozenset(_words("ze zij hij moeder vader baby kind dochter zoon"))
NAME_NOUNS: Final = frozenset(_words("naam name voornaam achternaam surname firstname"))
# What may follow a naming phrase without being a name.
NOT_A_NAME_AFTER_NAMING: Final = frozenset(
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
                words.update(w.casefold().rstrip(".") for w in values(names))
    words.discard("jan")  # Jan is a common Dutch given name
    return words


def _municipality_words() -> set[str]:
    words: set[str] = set()
    for municipality in Directory.shipped().all():
        name = municipality.name.casefold()
        words.add(name)
        words.update(re.split(r"[\s-]+", name))
    return words


COMMON: Final = frozenset(_words(_PRONOUNS_AND_COMMON))


@functools.cache
def non_names() -> frozenset[str]:
    """Words that are no name. Made with the first question checked: Babel's territory,
    month and day names and the municipalities are about 60 ms and 5 MB that a start
    does not need."""
    return frozenset(
        COMMON
        | TITLES
        | KIN_WORDS
        | _words(_ROLES_AND_ORGANISATIONS)
        | _words(_PLACES)
        | _words(_NATIONALITIES_AND_LANGUAGES)
        | _territories()
        | _calendar_words()
        | _municipality_words()
    )


# "Heerlense", "Limburgse", "Monday's": a known place or people with an adjective ending.
ADJECTIVE_ENDINGS: Final = ("se", "'s", "’s")
# Dutch compounds naming a service or a role: "Verloskundigenpraktijk", "Jeugdarts".
SERVICE_ENDINGS: Final = (
    "praktijk", "team", "teams", "zorg", "centrum", "overleg", "bureau", "dienst",
    "instelling", "organisatie", "afdeling", "kundige", "kundigen", "huisarts", "jeugdarts",
    "kinderarts", "artsen", "werker", "hulp", "verlening", "traject", "loket", "punt", "pad",
)

# Arabic (folded by ``fold_arabic``). Arabic script has no capitals, so names are found only
# after titles and naming words, and from a short list of common given names.
AR_TITLES: Final = frozenset(fold_arabic(w) for w in "السيدة السيده السيد عائلة عائله".split())
AR_KUNYA: Final = frozenset(fold_arabic(w) for w in "أبو ابو أبي".split())
AR_UMM: Final = fold_arabic("أم")
AR_NAMING: Final = frozenset(
    fold_arabic(w) for w in "اسمها اسمه اسم تدعى يدعى تسمى يسمى واسمها واسمه".split()
)
AR_NAMING_FILLER: Final = frozenset(
    fold_arabic(w) for w in "هو هي الأول الاول الكامل الأم الام الطفل الطفلة الأب الاب :".split()
)
AR_STOP: Final = frozenset(
    fold_arabic(w)
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
AR_DEFINITE_KIN: Final = frozenset(
    fold_arabic(w)
    for w in """
        الأب الاب الأم الام الزوج الزوجة الطفل الطفلة الأطفال الاطفال الحامل
        الولد البنت الرضيع الأهل الاهل المريضة الكبيرة الصغيرة الممتدة اللاجئة السورية
        """.split()
)
# Common given names (folded spelling), the only Arabic names found without a title. Names
# that are also common words are left out: علي (also "on me"), عمر ("age"), صالح ("valid"),
# رضا, آية, دعاء, شهد, أمل, نور, هدى, إيمان.
AR_GIVEN_NAMES: Final = frozenset(
    fold_arabic(w)
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

