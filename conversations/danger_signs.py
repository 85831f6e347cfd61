"""Signs of acute danger in a sparring question: the word lists of the safety detector.

kks_bot.flows.sparring.danger reads these; they are content, kept here so that anyone can
read and extend them. Two kinds: ``violence`` (domestic violence, child abuse, neglect,
threats, also by an ex-partner, a child or adult in danger) and ``suicide`` (thoughts of
suicide or self-harm). High recall over precision: a false alarm costs one paragraph, a
miss can cost a life.

Everything is matched on *normalised* text (kks_bot.flows.sparring.lexical.normalise:
casefolded, no accents or Arabic diacritics or tatweel, one alef form, ى→ي, ة→ه, ؤ→و,
ئ→ي), with words separated by one space:

- ``INSIDE``: found anywhere inside a word (Dutch compounds such as "kindermishandeling",
  Arabic words with their clitics such as "بيضربها", "كيهددها");
- ``WORDS``: whole words, as they stand;
- ``TYPOS``: whole words, also with one typo (two from ten letters), so "gewelt" and
  "mishandelling" count; a word in ``NOT_TYPOS`` is never read as a typo ("gemeld" is not
  "geweld");
- ``PHRASES``: regular expressions over the words (``\\b`` marks a word's edge);
- ``NOT_DANGER``: removed before anything else ("middelenmisbruik", "substance abuse" are
  not violence).

Write new test questions (bench/data/safety_*.json) before adding words here.
"""

from __future__ import annotations

VIOLENCE = "violence"
SUICIDE = "suicide"

# Any word: an Arabic word with its clitics (و ف ب ل ك، ال، بي/كي/عم).
_W = r"\w*"
# Oneself, in Arabic: نفسها (standard, Egyptian, Iraqi), حالها (Levantine), راسها (Maghrebi),
# روحها (Gulf, Maghrebi).
_SELF_AR = r"(?:نفس|حال|راس|روح)\w*"

NOT_DANGER: tuple[str, ...] = (
    r"\w*(?:middelen|alcohol|drugs|drug|medicijn|medicatie)misbruik\w*",
    r"\b(?:substance|alcohol|drug|drugs|medication|opioid|cannabis) (?:ab)?use\w*",
    r"\b(?:اساءه|سوء) (?:ال)?(?:استخدام|استعمال)\w*",
)

INSIDE: dict[str, tuple[str, ...]] = {
    VIOLENCE: (
        # nl
        "geweld", "mishandel", "verwaarloo", "verwaarlos", "bedreig", "dreig", "stalk",
        "verkracht", "aanrand", "vermoord", "ondervoed", "kindermisbruik", "wurg",
        "eergerelateerd", "huisverbod", "contactverbod", "vrouwenopvang", "gevaar",
        "onveilig", "brandwond", "brandplek", "botbreuk",
        # en
        "violen", "mistreat", "maltreat", "neglect", "bruis", "threat", "assault", "molest",
        "harass", "strangl", "unsafe", "danger", "injur", "aggress", "agress", "abus",
        "malnourish", "starv", "underfed",
        # ar (standard and colloquial)
        "عنف", "ضرب", "ضروب", "كدم", "رضوض", "زرق", "هدد", "تهديد", "اعتدا", "عتدي",
        "غتصب", "غتصاب", "تحرش", "اساءه", "اساء", "اهمال", "مهمل", "يهمل", "تهمل", "خطر",
        "اذي", "وذي", "ايذا", "تعذيب", "يعذب", "محبوس", "يحبس", "حبسها", "حبسو", "شرطه",
        "بوليس", "جوعان", "جيعان", "جايع",
        "خنق", "يلاحق", "بيلاحق", "كيتبعها", "يتبعها", "توعد", "جروح", "شتم", "يهين", "بيهين",
        "تهين", "اهان", "جرح", "مهمول", "عنيف", "تخويف", "يخوف", "كيخوف", "حروق",
    ),
    SUICIDE: (
        # nl
        "zelfmoord", "zelfdoding", "suicid", "zelfbeschadig", "zelfverwond", "automutil",
        "doodsgedacht", "doodswens", "levensmoe", "afscheidsbrie",
        # en
        "selfharm", "suicid",
        # ar
        "نتحر", "نتحار", "نتاحر",
    ),
}

WORDS: dict[str, tuple[str, ...]] = {
    VIOLENCE: (
        # nl
        "geweld", "mishandeling", "mishandeld", "mishandelt", "verwaarlozing", "verwaarloosd",
        "kindermishandeling", "huiselijk", "bedreigd", "bedreigt", "agressief", "agressie",
        "slaat", "sloeg", "sloegen", "slaan", "geslagen", "klap", "klappen", "klapt", "mept",
        "gemept", "schopt", "schoppen", "geschopt", "trapt", "getrapt", "schudt", "geschud",
        "duwt", "geduwd", "knijpt", "geknepen", "letsel", "verwondingen", "gewond",
        "opgesloten", "opsluit", "opsluiten", "meldcode", "politie", "112", "honger",
        "hongerig", "misbruik", "misbruikt", "seksueel",
        # en
        "violence", "violent", "abuse", "abused", "abusive", "neglect", "neglected",
        "bruises", "bruised", "threatens", "threatened", "threatening", "domestic", "hits",
        "hitting", "beats", "beaten", "beating", "slaps", "slapped", "punched", "punches",
        "kicks", "kicked", "kicking", "rape", "raped", "choked", "choking", "throat",
        "police", "emergency", "unfed", "fractures", "fractured", "burns", "sexual",
        "controlling", "coercive", "maltreatment",
        "shoves", "shoved", "shoving", "slaag", "bult", "builen", "gescheurd", "gescheurde",
    ),
    SUICIDE: (
        # nl
        "zelfmoord", "suicide", "suicidaal", "zelfdoding", "zelfbeschadiging",
        # en
        "suicidal", "overdose",
        "overdosis",
    ),
}

TYPOS: dict[str, tuple[str, ...]] = {
    VIOLENCE: (
        "geweld", "huiselijk", "mishandeling", "kindermishandeling", "mishandeld", "verwaarlozing",
        "verwaarloosd", "bedreiging", "agressief", "violence", "domestic", "neglected",
        "neglect", "abused", "bruises", "threatening", "threatened", "maltreatment",
        "abuse",
    ),
    SUICIDE: (
        "zelfmoord", "suicide", "suicidaal", "zelfdoding", "zelfbeschadiging", "suicidal",
    ),
}

NOT_TYPOS: frozenset[str] = frozenset((
    "gemeld", "gewild", "geweest", "geleid", "gebeld", "gevuld", "domestica", "bedreven",
    "bruiser", "neglects",
))

PHRASES: dict[str, tuple[str, ...]] = {
    VIOLENCE: (
        # nl: marks and injuries
        r"\b(?:blauwe|rare|vreemde|onverklaarbare|rode) (?:plek|plekken|vlekken|ogen|oog)\b",
        r"\bplek(?:ken)? (?:op|in|aan|bij) (?:haar|zijn|de|het|hun)\b",
        r"\bgebroken (?:pols|arm|armen|been|rib|ribben|neus|kaak|vinger)\b",
        r"\bdoor elkaar (?:geschud|schudt|schudden|te schudden)\b",
        r"\bbij de keel\b",
        # nl: fear, threats, being kept in
        r"\bbang (?:voor|van) (?:hem|haar (?:man|partner|vriend|ex|echtgenoot|vader|schoon\w*)"
        r"|de (?:man|partner|vader|ex|vriend))\b",
        r"\bdurft niet (?:meer )?(?:naar )?(?:huis|thuis)\b",
        r"\b(?:haar|hem|hen|jou|mij|de baby|het kind|de kinderen|de moeder) (?:iets|wat|pijn)"
        r" (?:aan te doen|aandoet|aandoen|doet|doen|aangedaan|te doen)\b",
        r"\b(?:haar|hem|hen|de baby|het kind) dood (?:te )?maken\b|\bdoodslaan\b|\bdoodmaakt\b",
        r"\bmag (?:niet|nooit) (?:naar buiten|het huis uit|de deur uit|alleen weg)\b",
        # nl: a child alone, hungry, uncared for
        r"\balleen (?:thuis|gelaten|achtergelaten|laten)\b"
        r"|\balleen met (?:de|het|een|haar|zijn) (?:baby|kind|kinderen|pasgeborene)\b",
        r"\b(?:te weinig|geen|niet genoeg|nauwelijks) "
        r"(?:eten|voeding|melk|te eten|flesje|fles|verwarming)\b",
        r"\bvieze? luiers?\b",
        # nl: safety itself
        r"\bniet veilig\b|\bveilig thuis\b",
        r"\bveiligheid (?:van|voor) (?:het|de|een|haar|zijn|dit|deze|die) (?:\w+ )?(?:kind\w*|baby"
        r"|moeder|vrouw|zwangere|gezin|kinderen|meisje|jongen|pasgeborene)\b",
        r"\b(?:zorgen|bezorgd|bang|ongerust) (?:\w+ )?(?:om|over|voor) (?:de|haar|zijn|hun) "
        r"veiligheid\b",
        # en: marks and injuries
        r"\b(?:burn|bite|finger|strange|unexplained) marks?\b|\bmarks? on (?:her|his|the|their)\b",
        r"\bblack eye\b",
        r"\bsplit lip\b|\bmake (?:her|him|them) pay\b|\bkeeps? following (?:her|him)\b",
        r"\buncared for\b|\blooks? neglected\b",
        r"\bshak\w* (?:the|her|his|a|their) (?:baby|child|kid|infant|toddler|newborn)\b",
        r"\bshaken baby\b",
        r"\bpush\w* (?:her|him|them|the kids|the children) (?:around|over|down|away)?\b",
        r"\bgrab\w* (?:her|him|them) by\b",
        r"\bhurt(?:s|ing)? (?:her|him|them|mum|mummy|mom|mommy|mother"
        r"|the (?:baby|child|kids|children|mother|mum))\b",
        r"\bhit (?:her|him|them|the|his|my)\b",
        r"\bkill\w* (?:her|him|them|you|the (?:baby|child|kids|mother|mum))\b",
        # en: fear, being kept in, left alone, hungry
        r"\b(?:scared|afraid|frightened|terrified) (?:to go home|of (?:him|her (?:husband|partner"
        r"|boyfriend|ex|in-laws|father)|the (?:father|partner|husband|boyfriend|ex)))\b",
        r"\b(?:not|isnt|arent|wasnt|never) allowed (?:to )?(?:leave|go out)\b|\blocked (?:in|up)\b",
        r"\b(?:home alone|left (?:home )?alone|alone at home)\b",
        r"\bnot (?:enough )?(?:food|fed|feeding)\b|\bdirty (?:nappies|nappy|diapers|diaper)\b",
        # a carer too drunk or high to look after a baby (within eight words of each other)
        r"\b(?:stoned|dronken|bezopen|straalbezopen|onder invloed|drunk|wasted|intoxicated"
        r"|sloshed|high on)\b(?: \w+){0,8} (?:baby|babys|kind|kindje|kinderen|pasgeborene"
        r"|zuigeling|child|children|kid|kids|infant|newborn|toddler|peuter)\b",
        r"\b(?:baby|kind|kindje|kinderen|child|children|kids|infant|newborn)\b(?: \w+){0,8} "
        r"(?:stoned|dronken|bezopen|onder invloed|drunk|wasted|intoxicated)\b",
        # forced marriage
        r"\bgedwongen (?:te )?(?:trouwen|huwelijk|huwen)\b|\buithuwelijk\w*"
        r"|\bforced (?:in)?to marry\b|\bforced (?:into )?(?:a )?marriage\b",
        r"\bغصب عن\w*|\bبالغصب\b|\bزواج (?:قسري|بالاكراه|بالقوه)\b"
        r"|\b\w*(?:اجبار|يجبر|تجبر|يجبرو|اجبر)\w* (?:\w+ )?(?:علي )?(?:ال)?"
        r"(?:زواج|الجواز|تتزوج|تتجوز)\w*",
        # en: without food or heating, the parents away (safety_blind2, the one it missed)
        r"\b(?:no|without) (?:\w+ )?(?:food|heating|heat)\b|\bnothing to eat\b",
        r"\b(?:parents?|mum|mom|mother|father|dad) (?:\w+ )?(?:gone|away|left|disappeared) "
        r"(?:for|all|the whole|over)\b",
        r"\b(?:not|isnt|doesnt|dont|arent) (?:\w+ )?safe\b|\breporting code\b|\bveilig thuis\b",
        r"\balone with (?:the|her|his|a|their) (?:baby|newborn|child|kids|children|infant)\b",
        r"\bsafety of (?:the|this|a|her|his|their|my) (?:\w+ )?(?:baby|child|newborn|mother|mum"
        r"|kids|children|woman|family)\b",
        # ar: bad treatment, hitting (Gulf يطق), fear of the husband, not allowed out
        r"\b\w?سوء (?:ال)?معامل\w*",
        r"\b(?:كي|بي|ي|ت)?تعدي (?:علي|عليها|عليه|عليهم)\b",
        r"\b(?:[وف]?(?:ي|ت|بي|بت|كي|كت|عم ي)?طق(?:ها|ه|هم|ني|ون|وها|وه)?)\b",
        rf"\b\w*قتل(?:ها|ه|هم|ني|ك|وها|وه)?\b(?! {_SELF_AR})",
        r"\b(?:خايف|خايفه|خايفين|خايفا|تخاف|بتخاف|كتخاف|خوف|اخاف|اخشي|نخاف|يخاف)\w* "
        r"(?:\w+ )?(?:من )?(?:\w*زوج|\w*جوز|\w*رجل|\w*راجل|\w*طليق|\w*شريك|\w*ابو|ترجع"
        r"|\w*البيت|\w*الدار)\w*",
        r"\b(?:لا|ما|مش|مو|ماشي) (?:\w+ )?(?:يسمح|يخلي|بيخلي|تسمح|كيخلي|يخليها|بيخليها|كيخليها)"
        r"\w* (?:\w+ )?(?:بالخروج|تطلع|تخرج|الخروج|تخرج)\w*",
        r"\bممنوع\w* (?:من )?(?:ال)?خروج\b",
        r"\b(?:ليس|ليست|مش|مو|غير|ما|ماشي|مب)\w* (?:\w+ )?(?:في |ب)?(?:امان|امن|امنه|امنا|امنين)\b",
        # ar: a child alone, hungry
        r"\b(?:لوحده|لوحدها|لوحدهم|بوحده|بوحدها|بوحدهم|لحاله|لحالها|لحالهم|بروحه|بروحهم)\b",
        r"\b\w*(?:طفل|اطفال|ولاد|اولاد|عيال|دراري|رضيع|صغار|بيبي)\w* (?:\w+ )?(?:\w+ )?وحد\w*",
        r"\b(?:ما|مش|لا|مو|ماكي?|مب) (?:\w+ )?(?:ياكل|بياكل|تاكل|بتاكل|ياكلش|يطعم|تطعم|بيطعم"
        r"|بتطعم|يرضع|ترضع)\w*",
        r"\b(?:بلا|بدون|بدو|من غير|من دون) (?:ماكله|اكل|طعام|اكله|ماكلا)\b",
        r"\bجوع\w*",
        r"\b\w*(?:يدفع|يدز|يزق|دفع|دز|زق)(?:ها|هم|ه)\b",
        # Veilig Thuis, the meldcode, 112 in Arabic letters
        r"\bفيليخ تاوس\b|\bفيلغ\b",
    ),
    SUICIDE: (
        # a goodbye letter (nl afscheidsbrief is in INSIDE)
        r"\b(?:goodbye|farewell|suicide) (?:letter|note|message)s?\b",
        r"\b(?:رساله|رسايل|رسائل|مكتوب|جواب) (?:ال)?وداع\b|\bوداع\w* (?:ل|الي )\w*",
        # nl
        r"\ber niet meer (?:wil|wilt|willen|te|zou willen) zijn\b",
        r"\bniet meer (?:wil|wilt|willen|zou willen) (?:leven|zijn|verder)\b",
        r"\beinde? (?:te )?(?:aan|maken aan) (?:haar|zijn|mijn|het|hun|d'r) (?:eigen )?leven\b",
        r"\buit het leven (?:stappen|te stappen|stapt|gaan)\b",
        r"\ber een einde? aan (?:\w+ )?(?:\w+ )?maken\b",
        r"\b(?:aan de dood|aan doodgaan|aan sterven) (?:denkt|denken|dacht)\b"
        r"|\bdenkt aan (?:de dood|doodgaan|sterven)\b",
        r"\bniet meer wakker (?:\w+ )?(?:worden|wordt|te worden)\b",
        r"\bsnijdt (?:zich|in haar|in zijn)\b",
        r"\bzichzelf (?:\w+ )?(?:gesneden|gekrast|verwond|beschadigd|pijn gedaan)\b",
        r"\bgeen zin meer\b",
        r"\b(?:pillen|medicijnen|tabletten) (?:\w+ )?(?:gespaard|opgespaard|verzameld)\b",
        r"\b(?:wil|wilt|willen|wou) (?:\w+ )?dood\b|\bdood (?:wil|wilt|willen|te gaan|gaan)\b",
        r"\bzichzelf (?:iets |wat |pijn )?(?:aan te doen|aandoen|aandoet|pijn|snijdt|snijden"
        r"|krast|krassen|verwondt|beschadigt|van kant)\b",
        r"\b(?:krast|snijdt|verwondt|beschadigt|doet|brandt|slaat|bijt|hongert) zichzelf\b",
        r"\bbeter af (?:is |zijn |zou zijn )?zonder (?:haar|hem|mij|mama|moeder)\b",
        # en
        r"\bself[ -]?(?:harm|harming|injury|injuring|injure|destructive)\b",
        r"\b(?:end|ending|ended|take|taking|took) (?:her|his|my|their|your) (?:own )?life\b",
        r"\bkill\w* (?:her|him|my|them|your)sel(?:f|ves)\b",
        r"\b(?:hurt|hurts|hurting|harm|harms|harming|cut|cuts|cutting|injure|injures|injuring"
        r"|burn|burns|burning|scratch\w*|starv\w*|hit|hits|hitting|punch\w*) "
        r"(?:her|him|my|them)sel(?:f|ves)\b",
        r"\bcuts on (?:her|his) (?:arms|wrists|legs|thighs)\b",
        r"\bcuts? (?:her|his) (?:arms|wrists|legs|thighs)\b",
        r"\bthinks? (?:about|of) (?:death|dying)\b|\b(?:not|never) (?:to )?wake up\b",
        r"\bdo something to (?:her|him|my|them)sel(?:f|ves)\b",
        r"\blife (?:has|had) no (?:point|meaning|purpose)\b|\bno point (?:in )?living\b",
        r"\b(?:saving|saved|hoarding|stockpiling) (?:up )?(?:pills|tablets|medication)\b",
        r"\b(?:want|wants|wanted|wanting|wish|wishes|wishing) (?:to be |she was |he was |i was )?"
        r"(?:to )?(?:die|dead)\b",
        r"\b(?:doesnt|dont|does not|do not|not|no longer|didnt) (?:\w+ )?want to (?:live|be alive"
        r"|be here|go on)\b",
        r"\bbetter off (?:dead|without (?:her|him|me))\b|\bend it all\b|\bno reason to live\b",
        # ar: harming or killing oneself (نفسها / حالها / راسها / روحها)
        r"\b\w*(?:قتل|موت|مات|خلص|وذي|اذي|ايذاء|جرح|ضرب|حرق|ذبح)\w* (?:\w+ )?(?:على |من |ب)?"
        + _SELF_AR,
        # ar: wanting to die, thinking of death
        r"\b\w*(?:بد|ودها|وده|ودي|عايز|عاوز|تبي|يبي|ابي|بغا|بغي|باغ|تريد|يريد|اريد|ترغب|تفكر|يفكر|بتفكر"
        r"|كتفكر|تتمني|حاب|تحب|افكار|فكر)\w* (?:\w+ )?(?:\w+ )?(?:في |ب)?(?:ال)?(?:موت|تموت|يموت"
        r"|اموت|نموت|بتموت|تنتحر|ينتحر)\b",
        # ar: not wanting to live (any more)
        r"\b(?:ما|مش|لا|مو|مب|ماعاد|ماعادش|مابقاتش|مابقت|ماعادت)\w*(?: \w+){0,2} (?:تعيش|يعيش"
        r"|اعيش|العيش|الحياه|بالحياه|تكمل|تبقي عايشه)\b",
        # ar: ending one's life
        r"\b\w*(?:انهاء|تنهي|ينهي|انهي|بتنهي|تخلص|يخلص|وضع حد)\w* (?:\w+ )?(?:ل|من |على )?"
        r"(?:حيات|حياه|عمر)\w*",
        r"\bتنهي كل (?:شي|شيء)\b|\bترتاح من (?:كل|الدنيا|الحياه)\b",
        r"\b(?:لم|ما|مش|لا|ماعاد) (?:تستيقظ|تصحي|تفيق|تقوم|تصحا)\b",
        r"\b\w*جرح\w* (?:يد|ايد|ذراع|معصم|رسغ)\w*",
        r"\b(?:ما|مش|لا) \w*(?:بد|تريد|تبي|عايز|عاوز)\w* (?:تضل|تبقي|تظل|تبقا) عايش\w*",
        r"\b(?:الحياه|حياتها|حياته|عيشه)\w* (?:\w+ )?(?:\w+ )?"
        r"(?:ما|مالها|مش|لا|بلا|ليس|بدون|مفيش|مافي)\w* (?:\w+ )?(?:\w+ )?(?:معني|فايده|طعم|قيمه)\b",
        r"\bمفيش فايده من (?:حيات|الحياه|عيش)\w*",
        r"\b\w*(?:جمع|خزن|خبي|مخبي)\w* (?:\w+ )?(?:حبوب|دوا|ادويه)\b",
    ),
}
