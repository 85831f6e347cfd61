"""The sparring FAQ: the questions professionals ask about the Knooppunt, with answers.

Source: ../shared/seeds/000 (the handbook: "Wie kan aanmelden?", "Overleggen of
aanmelden?", the aanmeldformulier and mondelinge toestemming, Stap 2 "Praten met en
niet over het gezin", the checklist, OZKS, the zorgpaden, AVG) and
../shared/domain/triage.md. ``question`` and ``answer`` are Dutch source strings,
translated through Babel; answers are short, plain text for a phone screen.

``phrasings`` are example questions per language ("nl", "en", "ar") from which
kks_bot.core.faq builds its matcher; ``CONCEPTS`` groups words that mean the same
thing across the three languages, so a synonym or a translation of a word in a
phrasing counts as that word. Neither is shown to users.
"""

from __future__ import annotations

from dataclasses import dataclass

from kks_bot.i18n_markers import N_

LANGUAGES = ("nl", "en", "ar")


@dataclass(frozen=True)
class FaqEntry:
    id: str
    question: str
    answer: str
    phrasings: dict[str, tuple[str, ...]]


FAQ: tuple[FaqEntry, ...] = (
    FaqEntry(
        "wie_kan_aanmelden",
        N_("Wie kan een gezin aanmelden?"),
        N_("Iedere zorg- of hulpverlener met zorgen over een zwangere of een gezin met een "
           "jong kind.\n"
           "Bijvoorbeeld: huisarts of POH, verloskundige, gynaecoloog, kinderarts, "
           "kraamzorg, JGZ, (medisch) maatschappelijk werk, gemeente, GGZ, jeugdhulp, Wmo "
           "en kinderopvang.\n"
           "Aanmelden kan na overleg met en toestemming van het gezin."),
        {
            "nl": (
                "Wie mag aanmelden bij het Knooppunt?",
                "Mag ik als huisarts aanmelden?",
                "Kan een verloskundige een zwangere aanmelden?",
                "Mag de JGZ-verpleegkundige ook een gezin aanmelden?",
                "Welke professionals kunnen aanmelden?",
                "Kan ik als maatschappelijk werker iemand aanmelden",
                "mag de kinderopvang een gezin aanmelden",
                "ben ik bevoegd om aan te melden",
                "kan iedere hulpverlener aanmelden",
            ),
            "en": (
                "Who can register a family?",
                "Who is allowed to make a registration?",
                "Can I register a family as a midwife?",
                "Can a GP refer to the Knooppunt?",
                "Which professionals can register?",
                "Can a youth nurse register a pregnant woman?",
                "Can social workers refer families?",
                "can childcare staff register a family",
                "am I allowed to register as a maternity carer",
            ),
            "ar": (
                "من يستطيع تسجيل أسرة؟",
                "من يحق له التسجيل في نقطة الالتقاء؟",
                "هل يمكنني التسجيل بصفتي طبيب أسرة؟",
                "هل يستطيع العامل الاجتماعي تسجيل عائلة؟",
                "أي المهنيين يمكنهم التسجيل؟",
                "هل تستطيع ممرضة صحة الشباب تسجيل امرأة حامل؟",
                "هل يحق لي أن أسجل عائلة وأنا أعمل في رعاية ما بعد الولادة",
                "هل يمكن لأي مقدم رعاية أن يسجل",
            ),
        },
    ),
    FaqEntry(
        "hoe_aanmelden",
        N_("Hoe meld ik een gezin aan?"),
        N_("Typ /aanmelden in deze bot. De bot loopt het aanmeldformulier stap voor stap met "
           "je door; je kunt pauzeren en later verdergaan.\n"
           "Vraag eerst toestemming aan het gezin.\n"
           "Vul zo compleet mogelijk in: gegevens van het gezin, de hulpvraag, de "
           "kwetsbaarheden en beschermende factoren, en wie er al betrokken is.\n"
           "Na het indienen gaat de aanmelding naar de coördinator van de gemeente van het "
           "gezin."),
        {
            "nl": (
                "Hoe werkt aanmelden?",
                "Hoe doe ik een aanmelding?",
                "Hoe vul ik het aanmeldformulier in?",
                "Waar kan ik het aanmeldformulier invullen?",
                "Ik wil een gezin aanmelden, hoe gaat dat",
                "Waar moet ik de aanmelding naartoe sturen",
                "welke gegevens heb ik nodig voor de aanmelding",
                "kan ik via deze bot aanmelden",
            ),
            "en": (
                "How do I make a registration?",
                "How does registering work?",
                "Where do I fill in the registration form?",
                "I want to register a family, how?",
                "Where do I send the referral form?",
                "How can I refer a family to the Knooppunt?",
                "what information do I need for the registration form",
                "steps to register a family",
            ),
            "ar": (
                "كيف أقوم بالتسجيل؟",
                "كيف تتم عملية التسجيل؟",
                "أريد تسجيل أسرة، كيف أفعل ذلك؟",
                "من أين أحصل على نموذج التسجيل",
                "كيف أملأ نموذج التسجيل",
                "إلى أين أرسل استمارة التسجيل؟",
                "ما المعلومات التي أحتاجها للتسجيل",
                "خطوات تسجيل عائلة",
            ),
        },
    ),
    FaqEntry(
        "overleggen_of_aanmelden",
        N_("Wat is het verschil tussen overleggen en aanmelden?"),
        N_("Overleggen (sparren) is een vraag aan de coördinator over de mogelijkheden, zonder "
           "namen of andere herkenbare gegevens. Daar is geen toestemming voor nodig.\n"
           "Aanmelden doe je met het aanmeldformulier, na overleg met en toestemming van het "
           "gezin. Dan plant de coördinator een Knooppuntoverleg.\n"
           "Twijfel je? Overleg dan eerst."),
        {
            "nl": (
                "Moet ik aanmelden of kan ik eerst sparren?",
                "Kan ik eerst overleggen met de coördinator?",
                "Ik weet niet zeker of een aanmelding nodig is",
                "Kan ik een situatie anoniem voorleggen?",
                "sparren zonder naam van het gezin",
                "Twijfel over aanmelden, wat nu?",
                "Eerst even laagdrempelig overleggen, kan dat?",
                "wanneer overleggen en wanneer aanmelden",
            ),
            "en": (
                "What's the difference between consulting and registering?",
                "Can I discuss a case with the coordinator without registering?",
                "Not sure if I should register, can I talk it through first?",
                "Can I spar with the coordinator first?",
                "consult or register?",
                "can I ask advice anonymously about a family",
                "do I need to register or is a consultation enough",
                "when should I consult and when should I register",
            ),
            "ar": (
                "ما الفرق بين التشاور والتسجيل؟",
                "لست متأكدا إن كان التسجيل ضروريا",
                "أريد التشاور مع المنسق قبل أي تسجيل",
                "هل يمكن الاستشارة بشكل مجهول؟",
                "متى أتشاور ومتى أسجل؟",
                "عندي شك هل أسجل العائلة",
                "هل الاستشارة تكفي أم يجب التسجيل",
            ),
        },
    ),
    FaqEntry(
        "toestemming",
        N_("Heb ik toestemming nodig, en hoe leg ik die vast?"),
        N_("Ja. Aanmelden kan alleen met toestemming van het gezin.\n"
           "Bespreek de aanmelding met het gezin en vraag mondeling om toestemming.\n"
           "Leg die toestemming altijd schriftelijk vast in je eigen verslaglegging, "
           "bijvoorbeeld in het dossier.\n"
           "Zegt het gezin nee? Dan meld je niet aan. Overleggen zonder namen kan wel, "
           "daarvoor is geen toestemming nodig."),
        {
            "nl": (
                "Heb ik toestemming nodig?",
                "Hoe leg ik de toestemming vast?",
                "Moet het gezin toestemming geven?",
                "Is mondelinge toestemming genoeg?",
                "Moet de toestemming schriftelijk?",
                "Waar registreer ik de toestemming van de ouders",
                "Wat als het gezin geen toestemming geeft?",
                "toestemming in het dossier zetten",
                "moeten de ouders ermee instemmen",
            ),
            "en": (
                "Do I need consent?",
                "How do I record consent?",
                "Does the family have to give permission?",
                "Is verbal consent enough?",
                "Does consent need to be in writing?",
                "Where do I write down the parents' consent",
                "What if the family refuses consent?",
                "must the family approve the registration",
            ),
            "ar": (
                "هل الموافقة ضرورية؟",
                "كيف أسجل الموافقة؟",
                "هل يجب أن توافق العائلة؟",
                "هل تكفي الموافقة الشفوية؟",
                "هل يجب أن تكون الموافقة مكتوبة؟",
                "أين أدون موافقة الوالدين",
                "ماذا لو رفضت الأسرة",
                "إذن الأهل قبل الإحالة",
            ),
        },
    ),
    FaqEntry(
        "na_aanmelding",
        N_("Wat gebeurt er na mijn aanmelding?"),
        N_("De coördinator van de gemeente van het gezin krijgt je aanmelding en beoordeelt "
           "die.\n"
           "Soms neemt de coördinator contact met je op voor meer informatie en om te "
           "bespreken wie erbij moet zijn.\n"
           "Daarna plant de coördinator, zo nodig samen met het gezin, het Knooppuntoverleg "
           "en nodigt het gezin en de professionals uit.\n"
           "Met /mijnaanmeldingen zie je hoe het ervoor staat."),
        {
            "nl": (
                "Wat is de volgende stap na het aanmelden?",
                "Hoe verder nadat ik heb aangemeld?",
                "Ik heb het formulier ingediend, en nu?",
                "Wat doet de coördinator met mijn aanmelding?",
                "Wat is de status van mijn aanmelding",
                "Neemt de coördinator contact met mij op?",
                "wanneer neemt de coördinator contact op na het indienen",
            ),
            "en": (
                "What happens after I register?",
                "What is the next step after registering?",
                "I submitted the form, now what?",
                "What does the coordinator do with my registration?",
                "Will the coordinator contact me?",
                "status of my registration",
                "How does it continue after the referral?",
            ),
            "ar": (
                "ماذا بعد التسجيل؟",
                "كيف تستمر العملية بعد التسجيل",
                "قدمت الاستمارة، والآن؟",
                "ماذا يفعل المنسق بتسجيلي؟",
                "هل سيتصل بي المنسق؟",
                "ما هي حالة تسجيلي",
            ),
        },
    ),
    FaqEntry(
        "zelf_bij_overleg",
        N_("Moet ik zelf bij het overleg zijn?"),
        N_("Nee, dat hoeft niet. In het aanmeldformulier geef je aan of je erbij wilt zijn.\n"
           "Vaste deelnemers zijn het gezin, de coördinator en de jeugdverpleegkundige "
           "(JGZ).\n"
           "Je aanwezigheid helpt vaak wel: jij kent het gezin en de vraag.\n"
           "Na het overleg krijg je standaard een terugkoppeling."),
        {
            "nl": (
                "Moet ik als aanmelder aanwezig zijn?",
                "Kan ik het Knooppuntoverleg bijwonen?",
                "Hoef ik niet naar het overleg te komen?",
                "Is mijn aanwezigheid nodig bij het Knooppuntoverleg?",
                "Mag ik aansluiten bij het overleg als aanmelder",
                "ik heb geen tijd om bij het overleg te zijn",
                "kan ik ook wegblijven bij het overleg",
            ),
            "en": (
                "Do I have to attend the meeting?",
                "Do I need to be at the Knooppunt meeting myself?",
                "Can I join the meeting as the registrant?",
                "Is my presence required?",
                "I don't have time to attend, is that a problem?",
                "Should the referrer be present at the meeting?",
                "may I take part in the meeting myself",
            ),
            "ar": (
                "هل يجب أن أحضر الاجتماع؟",
                "هل حضوري ضروري في اجتماع نقطة الالتقاء؟",
                "هل يمكنني المشاركة في الاجتماع بصفتي مقدم التسجيل؟",
                "ليس لدي وقت للحضور، هل هذا مشكلة؟",
                "هل على مقدم التسجيل أن يكون موجودا؟",
                "هل أستطيع حضور الاجتماع أنا أيضا",
            ),
        },
    ),
    FaqEntry(
        "wie_aanwezig",
        N_("Wie zijn er bij het Knooppuntoverleg?"),
        N_("Vaste deelnemers: het gezin, de Knooppuntcoördinator en de jeugdverpleegkundige "
           "(JGZ).\n"
           "Als je dat wilt: jij als aanmelder.\n"
           "Verder professionals die bij de vraag van het gezin passen, bijvoorbeeld "
           "maatschappelijk werk, gemeente, verloskundige of huisarts. De coördinator kiest "
           "ze samen met de aanmelder.\n"
           "De coördinator zit het overleg voor."),
        {
            "nl": (
                "Wie nemen deel aan het overleg?",
                "Welke professionals zitten bij het overleg?",
                "Wie worden er uitgenodigd voor het Knooppuntoverleg?",
                "Is de jeugdverpleegkundige er altijd bij?",
                "Wie zit het overleg voor?",
                "Komen de huisarts en verloskundige ook?",
                "wie zijn de vaste deelnemers",
            ),
            "en": (
                "Who attends the Knooppunt meeting?",
                "Who is at the meeting?",
                "Which professionals are invited?",
                "Who are the fixed participants?",
                "Is the youth nurse always there?",
                "Who chairs the meeting?",
                "does the GP also come to the meeting",
            ),
            "ar": (
                "من يشارك في الاجتماع؟",
                "من يكون موجودا في الاجتماع؟",
                "أي المهنيين تتم دعوتهم؟",
                "هل تحضر ممرضة صحة الشباب دائما؟",
                "من يرأس الاجتماع؟",
                "من هم المشاركون الدائمون",
            ),
        },
    ),
    FaqEntry(
        "gezin_erbij",
        N_("Is het gezin bij het overleg?"),
        N_("Ja, altijd. Het Knooppunt praat met het gezin, niet over het gezin.\n"
           "De (aanstaande) ouders vertellen zelf wat hun vraag is en beslissen mee over de "
           "steun.\n"
           "Er is geen apart vooroverleg zonder het gezin.\n"
           "Aan het eind gaat het gezin akkoord met de afspraken en weet het wie het eerste "
           "aanspreekpunt is."),
        {
            "nl": (
                "Zitten de ouders aan tafel?",
                "Wordt er over het gezin gepraat zonder het gezin?",
                "Is de zwangere zelf aanwezig?",
                "Komt de cliënt ook naar het Knooppuntoverleg?",
                "Is er een vooroverleg zonder ouders?",
                "Praten jullie met de ouders of over de ouders?",
                "moet de moeder ook komen",
            ),
            "en": (
                "Is the family present at the meeting?",
                "Do the parents attend?",
                "Is the meeting without the family?",
                "Does the pregnant woman come to the meeting herself?",
                "Do you talk about the family behind their back?",
                "is there a professionals-only meeting first",
                "will the parents be there",
                "must the client attend",
            ),
            "ar": (
                "هل يكون الوالدان موجودين في الاجتماع؟",
                "هل تشارك الأم الحامل في الاجتماع بنفسها؟",
                "هل تتحدثون عن العائلة في غيابها؟",
                "هل يوجد اجتماع للمهنيين بدون الأهل؟",
                "هل يجب أن يأتي الأهل إلى الاجتماع",
            ),
        },
    ),
    FaqEntry(
        "iemand_meenemen",
        N_("Mag het gezin iemand meenemen?"),
        N_("Ja. Het gezin mag iemand meenemen naar het overleg, bijvoorbeeld een familielid, "
           "een vriend of vriendin, of iemand die het gezin vertrouwt.\n"
           "De coördinator zegt dit ook in de uitnodiging."),
        {
            "nl": (
                "Mag er een familielid mee naar het overleg?",
                "Mag een vriendin van de cliënt ook komen?",
                "Mag oma mee naar het gesprek?",
                "Mag de cliënt een vertrouwenspersoon meebrengen?",
                "Mogen ouders steun meenemen naar het Knooppunt",
                "mag de partner mee",
            ),
            "en": (
                "Can the family bring someone?",
                "May the parents bring a relative to the meeting?",
                "Can grandma come along?",
                "Can she bring a support person?",
                "is a partner or family member allowed to join them",
                "can they bring someone they trust",
            ),
            "ar": (
                "هل يسمح للأسرة باصطحاب شخص؟",
                "هل يمكن أن يرافقها أحد الأقارب؟",
                "هل تستطيع الجدة المجيء معهم؟",
                "هل يسمح بمرافق في الاجتماع؟",
                "هل يمكن للوالدين إحضار شخص يثقون به",
            ),
        },
    ),
    FaqEntry(
        "tolk",
        N_("Hoe zit het met een tolk?"),
        N_("Spreekt het gezin weinig of geen Nederlands? Geef in het aanmeldformulier aan dat "
           "een professionele tolk gewenst is, en in welke taal.\n"
           "De coördinator regelt de tolk voor het overleg.\n"
           "Zet nooit een kind in als tolk."),
        {
            "nl": (
                "Kan er een tolk bij het overleg?",
                "Het gezin spreekt geen Nederlands",
                "Wie regelt de tolk?",
                "Is het goed als een kind als tolk optreedt?",
                "Is er een vertaler beschikbaar?",
                "taalbarrière, hoe los ik dat op",
                "professionele tolk aanvragen",
            ),
            "en": (
                "What about an interpreter?",
                "Can an interpreter join the meeting?",
                "language barrier, what to do",
                "Who arranges a translator?",
                "Can a child act as interpreter?",
                "is a professional interpreter available",
                "the family speaks another language",
            ),
            "ar": (
                "ماذا عن المترجم؟",
                "هل يمكن إحضار مترجم فوري إلى الاجتماع؟",
                "من يرتب المترجم؟",
                "هل يمكن الاستعانة بطفل كمترجم؟",
                "حاجز اللغة مع العائلة",
                "مترجم محترف",
            ),
        },
    ),
    FaqEntry(
        "knooppunt_ozks",
        N_("Wat is het verschil tussen het Knooppunt en het OZKS?"),
        N_("Het OZKS (Overleg Zwangere in een Kwetsbare Situatie) is voor zwangeren met "
           "urgente kwetsbaarheden, zoals huiselijk geweld of verslaving.\n"
           "Daar overleggen alleen professionals; de zwangere is er niet bij. Veilig Thuis "
           "en de Raad voor de Kinderbescherming geven er (anoniem) advies.\n"
           "Het Knooppunt is voor zwangeren en gezinnen met jonge kinderen, en het gezin is "
           "er altijd bij.\n"
           "Voor beide gebruik je hetzelfde aanmeldformulier."),
        {
            "nl": (
                "Wanneer OZKS en wanneer Knooppunt?",
                "Wat is het OZKS?",
                "Overleg Zwangere in een Kwetsbare Situatie, wat is dat?",
                "Moet ik naar het OZKS of het Knooppunt?",
                "Hoort deze zwangere bij het OZKS?",
            ),
            "en": (
                "What is the difference between the Knooppunt and OZKS?",
                "When do I choose OZKS instead of the Knooppunt?",
                "What is OZKS?",
                "OZKS or Knooppunt?",
                "how is the OZKS different",
            ),
            "ar": (
                "متى أختار OZKS ومتى نقطة الالتقاء؟",
                "ما هو OZKS؟",
                "ما هو اجتماع الحوامل في وضع هش؟",
                "هل تذهب هذه الحالة إلى OZKS؟",
                "كيف يختلف OZKS عن الكنوبونت",
            ),
        },
    ),
    FaqEntry(
        "spoed",
        N_("Hoe snel wordt het overleg gepland?"),
        N_("Dat verschilt per gemeente: sommige hebben een vast moment, bijvoorbeeld "
           "maandelijks, andere plannen zodra er een aanmelding is.\n"
           "Spoed wordt altijd direct gepland. Schrijf in de aanmelding waarom het niet kan "
           "wachten; bij een zwangere ook de zwangerschapsduur.\n"
           "Acuut gevaar? Bel 112. Zorgen over veiligheid: Veilig Thuis, 0800-2000."),
        {
            "nl": (
                "Hoe lang duurt het voor er een overleg is?",
                "Het is spoed, kan het sneller?",
                "Wat als het niet kan wachten?",
                "Is er een wachttijd?",
                "Hoe vaak is er een Knooppuntoverleg?",
                "Wordt een spoedcasus direct ingepland?",
                "wanneer vindt het overleg plaats",
            ),
            "en": (
                "How fast is the meeting planned?",
                "How long is the waiting time?",
                "It's urgent, can it be faster?",
                "What if it cannot wait?",
                "How often are meetings held?",
                "are urgent cases scheduled straight away",
                "when will the meeting take place",
            ),
            "ar": (
                "ما مدى سرعة تحديد موعد الاجتماع؟",
                "كم مدة الانتظار؟",
                "الأمر عاجل، هل يمكن الإسراع؟",
                "ماذا لو لم تحتمل الحالة الانتظار؟",
                "كم مرة يعقد الاجتماع؟",
                "هل تتم جدولة الحالات الطارئة فورا",
            ),
        },
    ),
    FaqEntry(
        "privacy_avg",
        N_("Wat gebeurt er met de gegevens (AVG)?"),
        N_("In het Knooppunt wordt alleen noodzakelijke informatie gedeeld, met uitdrukkelijke "
           "toestemming van het gezin. Iedereen houdt zich aan de AVG.\n"
           "Het aanmeldformulier en de mondelinge toestemming zijn juridisch getoetst.\n"
           "De actie- en besluitenlijst gaat via beveiligde mail.\n"
           "Voor anonieme cijfers (monitoring) vraagt de coördinator apart toestemming; het "
           "gezin mag nee zeggen."),
        {
            "nl": (
                "Hoe zit het met de AVG?",
                "Is dit privacyproof?",
                "Met wie worden de gegevens gedeeld?",
                "Hoe lang worden gegevens bewaard?",
                "Worden de gegevens veilig verstuurd?",
                "Is het aanmeldformulier AVG-proof?",
                "beroepsgeheim en het knooppunt",
                "gebruiken jullie gegevens voor onderzoek",
            ),
            "en": (
                "What happens to the data?",
                "How is privacy handled?",
                "does this comply with the GDPR rules",
                "Who is the information shared with?",
                "How long is data kept?",
                "Is the data sent securely?",
                "is the family's information confidential",
                "is data used for research",
            ),
            "ar": (
                "ماذا يحدث للبيانات؟",
                "كيف تتم حماية الخصوصية؟",
                "مع من تتم مشاركة المعلومات؟",
                "كم من الوقت تحفظ البيانات؟",
                "هل ترسل المعلومات بشكل آمن؟",
                "هل تستخدم البيانات للبحث؟",
                "قانون حماية البيانات AVG",
            ),
        },
    ),
    FaqEntry(
        "wie_coordinator",
        N_("Wie is de coördinator in mijn gemeente?"),
        N_("Elke gemeente heeft een eigen Knooppuntcoördinator, vaak bij de gemeente of het "
           "maatschappelijk werk.\n"
           "Je aanmelding gaat vanzelf naar de coördinator van de gemeente waar het gezin "
           "woont.\n"
           "Wil je eerst iets vragen? Kies \"Vraag aan de coördinator\" en kies de gemeente. "
           "De bot geeft je vraag door aan de coördinator van die gemeente."),
        {
            "nl": (
                "Wie is de Knooppuntcoördinator hier?",
                "Hoe bereik ik de coördinator?",
                "Contactgegevens van de coördinator",
                "Bij wie kan ik terecht in mijn gemeente?",
                "Naar welke coördinator gaat mijn aanmelding?",
                "Ik wil de coördinator iets vragen",
                "wie is het aanspreekpunt voor het knooppunt in mijn gemeente",
            ),
            "en": (
                "Who is the coordinator in my municipality?",
                "How do I reach the coordinator?",
                "Contact details of the coordinator",
                "Who do I contact in my town?",
                "I have a question for the coordinator",
                "which coordinator gets my registration",
            ),
            "ar": (
                "من منسق نقطة الالتقاء في مدينتي",
                "كيف أتواصل مع المنسق؟",
                "معلومات الاتصال بالمنسق",
                "أريد أن أسأل المنسق سؤالا",
                "إلى أي منسق يذهب تسجيلي",
                "بمن أتصل في بلديتي",
            ),
        },
    ),
    FaqEntry(
        "voor_wie",
        N_("Voor wie is het Knooppunt?"),
        N_("Voor zwangeren en gezinnen met kinderen tot 2 jaar (de eerste 1000 dagen) die een "
           "extra steuntje in de rug nodig hebben.\n"
           "Bijvoorbeeld bij een stapeling van problemen: schulden, stress, huisvesting, "
           "huiselijk geweld, middelengebruik, laaggeletterdheid of beperkte "
           "opvoedvaardigheden.\n"
           "Ook de partner en de tijd na de bevalling tellen mee."),
        {
            "nl": (
                "Wat is de doelgroep?",
                "Welke gezinnen kan ik aanmelden?",
                "Kan ik ook een gezin met een peuter aanmelden?",
                "Geldt het ook voor kinderen ouder dan 2 jaar?",
                "Is het alleen voor zwangeren?",
                "Komt dit gezin in aanmerking?",
                "Voor welke problemen is het Knooppunt bedoeld?",
                "Telt de vader of partner ook mee?",
            ),
            "en": (
                "Who is the Knooppunt for?",
                "What is the target group?",
                "Which families qualify?",
                "Is it only for pregnant women?",
                "What age do the children have to be?",
                "does it apply to families with a toddler",
                "which problems is it intended for",
            ),
            "ar": (
                "لمن نقطة الالتقاء؟",
                "ما هي الفئة المستهدفة؟",
                "أي العائلات يمكن تسجيلها؟",
                "هل هي للحوامل فقط؟",
                "ما هو عمر الأطفال المسموح؟",
                "هل تشمل العائلات التي لديها طفل صغير؟",
                "هل يشمل الأب أيضا",
            ),
        },
    ),
    FaqEntry(
        "wat_is_knooppunt",
        N_("Wat is het Knooppunt Kansrijke Start?"),
        N_("Een overleg van professionals samen met het gezin, om de hulpvraag helder te "
           "krijgen en snel de best passende steun te regelen.\n"
           "Het gezin praat mee en beslist mee; de wensen van het gezin zijn leidend.\n"
           "De afspraken komen in een actie- en besluitenlijst. De coördinator bewaakt dat "
           "ze worden uitgevoerd en na enkele weken volgt een evaluatie."),
        {
            "nl": (
                "Wat doet het Knooppunt?",
                "Hoe werkt het Knooppunt?",
                "Wat houdt een Knooppuntoverleg in?",
                "Wat is Kansrijke Start?",
                "Uitleg over het Knooppunt",
                "wat is het doel van het knooppunt",
            ),
            "en": (
                "What is the Knooppunt Kansrijke Start?",
                "What does the Knooppunt do?",
                "How does the Knooppunt work?",
                "What is a Knooppunt meeting?",
                "explain the Knooppunt",
                "what is the goal of the Knooppunt",
            ),
            "ar": (
                "ماذا تفعل نقطة الالتقاء؟",
                "كيف تعمل نقطة الالتقاء؟",
                "اشرح لي Knooppunt Kansrijke Start",
                "ما الهدف من نقطة الالتقاء",
                "ما معنى بداية واعدة",
            ),
        },
    ),
    FaqEntry(
        "acuut_onveilig",
        N_("Wat doe ik als een kind of moeder niet veilig is?"),
        N_("Acuut gevaar: bel 112.\n"
           "Zorgen over onveiligheid, huiselijk geweld of kindermishandeling: volg de "
           "meldcode en neem contact op met Veilig Thuis, 0800-2000. Gratis, dag en nacht "
           "bereikbaar; advies kan anoniem.\n"
           "Daarna kun je overleggen met de coördinator of aanmelden."),
        {
            "nl": (
                "Wat doe ik als een kind niet veilig is?",
                "De moeder is in gevaar",
                "Ik vermoed huiselijk geweld",
                "Zorgen over kindermishandeling",
                "Wanneer bel ik Veilig Thuis?",
                "Acuut onveilige situatie thuis",
                "Wat is de meldcode?",
                "Er wordt geslagen in het gezin",
                "spoedeisend gevaar voor de baby",
                "Moet ik 112 bellen?",
            ),
            "en": (
                "What do I do if a child is unsafe?",
                "The mother is in danger",
                "I suspect domestic violence",
                "concerns about child abuse",
                "When do I call Veilig Thuis?",
                "acute danger at home",
                "what is the reporting code",
                "the partner is violent",
                "should I call 112",
            ),
            "ar": (
                "الأم ليست في أمان",
                "الأم في خطر",
                "أشك في وجود عنف منزلي",
                "قلق من إساءة معاملة طفل",
                "متى أتصل بـ Veilig Thuis؟",
                "خطر فوري على الرضيع",
                "الزوج عنيف",
                "هل أتصل بالرقم 112؟",
            ),
        },
    ),
    FaqEntry(
        "kosten",
        N_("Kost het Knooppunt het gezin geld?"),
        N_("Nee. Het Knooppuntoverleg is gratis voor het gezin; de gemeente regelt de "
           "financiering.\n"
           "Voor de hulp die daarna wordt ingezet gelden de gewone regels van die hulp. "
           "Eventuele kosten komen in het overleg aan bod."),
        {
            "nl": (
                "Kost het Knooppunt geld?",
                "Zijn er kosten voor de ouders?",
                "Is het gratis voor het gezin?",
                "Wie betaalt het overleg?",
                "Is er een eigen bijdrage?",
                "wat kost een aanmelding",
            ),
            "en": (
                "Does it cost money?",
                "Is it free for the family?",
                "Are there costs for the parents?",
                "Who pays for the meeting?",
                "is there a personal contribution",
                "what does it cost",
            ),
            "ar": (
                "هل هذه الخدمة مجانية؟",
                "هل هناك تكاليف على الأهل؟",
                "من يدفع تكلفة الاجتماع؟",
                "كم يكلف التسجيل؟",
                "هل على الأسرة رسوم",
            ),
        },
    ),
    FaqEntry(
        "zorgpaden",
        N_("Wat zijn de zorgpaden Kansrijke Start?"),
        N_("Digitale zorgpaden per gemeente voor één duidelijke hulpvraag, zoals huisvesting, "
           "inkomen of schulden, een psychische hulpvraag, laaggeletterdheid of een klein "
           "sociaal netwerk.\n"
           "Daarvoor is geen Knooppunt nodig; je vindt er de hulp in de buurt:\n"
           "zorgpadenkansrijkestart.pharos.nl\n"
           "Bij een stapeling van problemen past het Knooppunt beter."),
        {
            "nl": (
                "Er is één duidelijk probleem, moet dat naar het Knooppunt?",
                "Alleen een huisvestingsprobleem, wat nu?",
                "Waar vind ik de zorgpaden?",
                "Wat als het gezin alleen hulp nodig heeft bij geld?",
                "enkelvoudige hulpvraag",
                "Pharos zorgpaden",
            ),
            "en": (
                "What are the care paths?",
                "Only a single problem, is the Knooppunt needed?",
                "single issue like debts, where to go",
                "where do I find the Kansrijke Start care pathways",
                "only low literacy, what support is there",
                "one clear question, no stacking of problems",
            ),
            "ar": (
                "ما هي مسارات الرعاية؟",
                "سؤال واحد واضح عن الديون",
                "أين أجد مسارات الرعاية بداية واعدة",
                "هل أحتاج نقطة الالتقاء لمشكلة واحدة؟",
                "العائلة تحتاج مساعدة في الدخل فقط",
            ),
        },
    ),
    FaqEntry(
        "terugkoppeling",
        N_("Hoor ik wat er is afgesproken?"),
        N_("Ja. In het overleg wordt afgesproken wie een terugkoppeling krijgt. Standaard is "
           "dat de aanmelder; bij een zwangere ook de verloskundig hoofdbehandelaar en de "
           "kraamzorg.\n"
           "De coördinator deelt de actie- en besluitenlijst via beveiligde mail met het "
           "gezin en de aanwezigen.\n"
           "Na enkele weken volgt een evaluatie met het gezin."),
        {
            "nl": (
                "Krijg ik terugkoppeling?",
                "Word ik op de hoogte gehouden?",
                "Krijg ik de actie- en besluitenlijst?",
                "Wie krijgt het verslag van het overleg?",
                "Wordt de verloskundige geïnformeerd over de afspraken?",
                "Is er een evaluatie na het overleg?",
            ),
            "en": (
                "Will I hear what was agreed?",
                "Do I get feedback?",
                "Will I be kept informed?",
                "Who receives the action and decision list?",
                "Do I get the minutes of the meeting?",
                "is there an evaluation afterwards",
            ),
            "ar": (
                "هل يتم إبلاغي بالقرارات؟",
                "هل أحصل على قائمة الإجراءات والقرارات؟",
                "هل سأبقى على اطلاع؟",
                "من يستلم محضر الاجتماع؟",
                "هل يوجد تقييم بعد الاجتماع؟",
            ),
        },
    ),
)

FAQ_BY_ID: dict[str, FaqEntry] = {entry.id: entry for entry in FAQ}

# Words that mean the same thing, in any of the three languages. The matcher reads
# each word (or phrase) below as its concept, in the phrasings and in the question
# alike; a word may belong to more than one concept (a compound such as
# "knooppuntoverleg"). Only add words that mean the concept in every context.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "register": (
        "aanmelden", "aanmelding", "aanmeldingen", "aangemeld", "aanmelder", "meld", "melden",
        "meldt", "aan te melden", "aanmeldformulier", "inschrijven", "doorverwijzen", "verwijzen",
        "verwijzing", "register", "registers", "registered", "registering", "registration",
        "registrant", "refer", "refers", "referral", "referring", "referred", "referrer", "sign up",
        "signing up", "enrol", "enroll", "تسجيل", "التسجيل", "اسجل", "يسجل", "تسجل", "نسجل", "سجل",
        "تسجيلها", "تسجيلي", "احاله", "الاحاله", "احيل", "مقدم التسجيل",
    ),
    "form": (
        "formulier", "aanmeldformulier", "form", "forms", "استماره", "الاستماره", "نموذج",
    ),
    "consult": (
        "overleggen", "sparren", "spar", "sparring", "sparringpartner", "voorleggen", "bespreken",
        "bespreek", "consult", "consulting", "consultation", "spar with", "talk it through",
        "advice", "ask advice", "discuss", "discussing", "تشاور", "التشاور", "اتشاور", "استشير",
        "استشاره", "الاستشاره", "مشوره", "المشوره", "مناقشه",
    ),
    "meeting": (
        "overleg", "knooppuntoverleg", "vooroverleg", "gesprek", "vergadering", "bijeenkomst",
        "meeting", "meetings", "اجتماع", "الاجتماع", "لقاء", "جلسه", "عقد", "يعقد", "held", "hold",
    ),
    "knooppunt": (
        "knooppunt", "knooppunten", "knooppuntoverleg", "knooppuntcoordinator", "kks",
        "knooppunt kansrijke start", "hub", "service", "voorziening", "خدمه", "نقطه الالتقاء",
        "الكنوبونت", "كنوبونت",
    ),
    "kansrijke_start": (
        "kansrijke start", "good start", "بدايه واعده",
    ),
    "coordinator": (
        "coordinator", "coordinatoren", "knooppuntcoordinator", "coordinators", "منسق", "المنسق",
        "منسقه", "المنسقه", "contactpersoon", "contact person", "aanspreekpunt", "المسؤول", "مسؤول",
    ),
    "consent": (
        "toestemming", "akkoord", "instemmen", "instemming", "goedkeuring", "consent", "permission",
        "agree", "agreement to", "approve", "approval", "موافقه", "الموافقه", "اذن", "يوافق",
        "توافق", "يوافقوا",
    ),
    "record": (
        "vastleggen", "vastgelegd", "leg vast", "noteren", "noteer", "opschrijven", "schriftelijk",
        "verslaglegging", "dossier", "record", "recorded", "document", "documented", "write down",
        "in writing", "written", "file", "اوثق", "توثيق", "ادون", "تدوين", "مكتوبه", "كتابيا",
        "كتابه", "ملف", "write", "writing", "schrijf", "schrijven", "اكتب", "يكتب",
    ),
    "verbal": (
        "mondeling", "mondelinge", "verbal", "verbally", "oral", "شفهيه", "شفويه", "شفهيا",
    ),
    "refuse": (
        "weigert", "weigeren", "nee zegt", "refuses", "refuse", "says no", "رفض", "رفضت", "يرفض",
        "ترفض",
    ),
    "family": (
        "gezin", "gezinnen", "ouders", "ouder", "moeder", "vader", "client", "clienten", "patient",
        "familie", "family", "families", "parents", "parent", "mother", "mum", "mom", "father",
        "dad", "clients", "patients", "اسره", "الاسره", "عائله", "العائله", "العائلات", "الوالدين",
        "الوالدان", "الاهل", "اهل", "الام", "اب", "الاب", "mw", "mevr", "mevrouw", "dhr", "meneer",
        "الاباء", "اباء",
    ),
    "pregnant": (
        "zwanger", "zwangere", "zwangeren", "zwangerschap", "aanstaande", "pregnant", "pregnancy",
        "expecting", "expectant", "حامل", "الحامل", "حوامل", "الحوامل", "حمل", "الحمل", "المنتظرين",
        "منتظرين", "المنتظر",
    ),
    "child": (
        "kind", "kinderen", "kindje", "baby", "babys", "zuigeling", "pasgeborene", "peuter", "zoon",
        "dochter", "child", "children", "kid", "kids", "infant", "newborn", "toddler", "son",
        "daughter", "طفل", "الطفل", "اطفال", "الاطفال", "رضيع", "الرضيع", "مولود", "ابن", "ابنه",
        "بنت",
    ),
    "age": (
        "leeftijd", "jaar", "jaren", "oud", "ouder dan", "maanden", "age", "year", "years", "old",
        "months", "عمر", "عمره", "سنه", "سنتين", "سنوات", "شهر", "اشهر",
    ),
    "present": (
        "aanwezig", "aanwezigheid", "erbij", "bijwonen", "aansluiten", "deelnemen", "deelnemers",
        "meedoen", "aan tafel", "zitten", "zit", "present", "presence", "attend", "attends",
        "attending", "join", "participate", "participants", "take part", "be there", "يحضر", "تحضر",
        "احضر", "حضور", "حضوري", "الحضور", "موجود", "موجودا", "موجودين", "يشارك", "تشارك",
        "المشاركه", "المشاركون", "meegaan", "meega", "at the table", "table", "tafel", "sit",
        "sits", "sitting", "part of", "deel van", "onderdeel van", "يجلس", "جزء من", "be in",
        "aanschuiven", "aan te schuiven", "schuif aan", "حاضر", "حاضره", "حاضرين", "komen", "komt",
        "come", "comes", "ياتي", "تاتي",
    ),
    "me": (
        "ik", "mij", "mijzelf", "myself", "me", "i", "انا", "بنفسي", "هل علي", "يجب علي", "علي ان",
    ),
    "must": (
        "moet", "moeten", "verplicht", "nodig", "hoef", "hoeven", "vereist", "must", "have to",
        "need", "needed", "required", "mandatory", "obligatory", "يجب", "لازم", "ضروري", "ضروريا",
        "مطلوب", "احتاج", "نحتاج", "يحتاج", "تحتاج", "needs", "هل علي", "يجب علي", "علي ان",
        "verwacht", "verwachten", "expected", "expect", "متوقع", "المتوقع",
    ),
    "bring": (
        "meenemen", "meebrengen", "mee", "meekomen", "bring", "bringing", "accompany", "come along",
        "along", "اصطحاب", "يصطحب", "تصطحب", "احضار", "يرافق", "يرافقها", "ترافق", "مرافق", "معها",
        "معهم",
    ),
    "companion": (
        "familielid", "vriend", "vriendin", "vertrouwenspersoon", "zus", "broer", "oma", "opa",
        "tante", "buurvrouw", "relative", "friend", "sister", "brother", "grandma", "grandmother",
        "support person", "aunt", "neighbour", "قريب", "الاقارب", "صديق", "صديقه", "اخت", "اخ",
        "الجده", "جده", "schoonmoeder", "schoonzus", "oom", "neef", "nicht", "buurman",
        "mother-in-law", "uncle", "cousin", "عمه", "خاله", "حماه", "ابن عم", "neighbor", "جاره",
        "جار", "جارتها",
    ),
    "interpreter": (
        "tolk", "tolken", "vertaler", "vertalen", "vertaling", "vertaalt", "interpreter",
        "interpreting", "interpret", "translator", "translate", "translation", "translates",
        "مترجم", "المترجم", "ترجمه", "يترجم", "تترجم", "الترجمه",
    ),
    "language": (
        "taal", "taalbarriere", "nederlands", "spreekt", "spreken", "arabisch", "turks", "pools",
        "engels", "tigrinya", "papiaments", "language", "dutch", "speak", "speaks", "english",
        "arabic", "turkish", "polish", "لغه", "اللغه", "الهولنديه", "هولندي", "يتكلم", "تتكلم",
        "يتحدث", "تتحدث", "العربيه", "farsi", "perzisch", "persian", "somalisch", "somali",
        "koerdisch", "kurdish", "oekraiens", "ukrainian", "russisch", "russian", "frans", "french",
        "spaans", "spanish", "urdu", "dari", "pashto", "فارسي", "الفارسيه", "الفارسي", "التركيه",
        "الكرديه", "الصوماليه", "الانجليزيه",
    ),
    "ozks": (
        "ozks", "overleg zwangere in een kwetsbare situatie", "اجتماع الحوامل في وضع هش",
    ),
    "difference": (
        "verschil", "verschillen", "verschilt", "anders dan", "versus", "vs", "hetzelfde", "zelfde",
        "difference", "different", "differ", "compared", "same", "نفس", "فرق", "الفرق", "يختلف",
        "تختلف",
    ),
    "urgent": (
        "spoed", "spoedcasus", "dringend", "urgent", "haast", "snel", "sneller", "direct",
        "urgently", "quickly", "fast", "faster", "asap", "straight away", "عاجل", "مستعجل",
        "مستعجله", "بسرعه", "الاسراع", "سرعه", "فورا", "طارئه", "الطارئه",
    ),
    "wait": (
        "wachten", "wachttijd", "hoe lang", "duurt", "duren", "duur", "takes", "lasts", "duration",
        "يستغرق", "مده", "wanneer", "gepland", "plannen", "ingepland", "planning", "termijn",
        "hoe vaak", "wait", "waiting", "how long", "when", "planned", "scheduled", "schedule",
        "how often", "انتظار", "الانتظار", "متى", "موعد", "جدوله", "تحديد موعد", "كم مره",
        "how long until", "كم من الوقت", "كم المده", "لحين", "week", "deze week", "this week",
        "الاسبوع", "اسبوع",
    ),
    "data": (
        "gegevens", "persoonsgegevens", "privacy", "privacyproof", "avg", "informatie", "info",
        "vertrouwelijk", "beroepsgeheim", "geheim", "persoonlijke gegevens", "data", "gdpr",
        "information", "personal data", "confidential", "confidentiality", "بيانات", "البيانات",
        "معلومات", "المعلومات", "خصوصيه", "الخصوصيه", "سري", "سريه", "حمايه البيانات",
        "البيانات الشخصيه", "بيانات شخصيه", "المعلومات الشخصيه",
    ),
    "share": (
        "delen", "gedeeld", "doorgeven", "share", "shared", "sharing", "مشاركه", "تبادل",
    ),
    "keep": (
        "bewaren", "bewaard", "opgeslagen", "kept", "stored", "retention", "تحفظ", "حفظ",
    ),
    "municipality": (
        "gemeente", "gemeentes", "woonplaats", "stad", "dorp", "municipality", "town", "city",
        "council", "بلديه", "البلديه", "بلديتي", "مدينه", "مدينتي", "beek", "beekdaelen",
        "brunssum", "eijsden-margraten", "eijsden", "margraten", "gulpen-wittem", "gulpen",
        "heerlen", "kerkrade", "landgraaf", "maastricht", "meerssen", "simpelveld",
        "sittard-geleen", "sittard", "geleen", "stein", "vaals", "valkenburg", "voerendaal",
        "ماستريخت", "ماسترخت", "هيرلن", "هيرلين", "كيركراده", "سيتارد",
    ),
    "who": (
        "wie", "who", "whom", "من", "مين", "من هو", "من هي", "من هم", "بمن", "mensen", "people",
        "persons", "الاشخاص", "اشخاص",
    ),
    "which": (
        "welke", "welk", "which", "اي", "ايه", "ايهما",
    ),
    "how": (
        "hoe", "how", "كيف",
    ),
    "where": (
        "waar", "waarheen", "where", "اين", "وين", "من اين", "الي اين",
    ),
    "after": (
        "na", "nadat", "daarna", "hierna", "vervolg", "volgende", "verder", "after", "afterwards",
        "next", "once", "continue", "بعد", "التاليه", "تستمر",
    ),
    "happen": (
        "gebeurt", "gebeuren", "happens", "happen", "happening", "يحدث", "يصير", "يجري",
    ),
    "send": (
        "indienen", "ingediend", "sturen", "versturen", "verstuurd", "opsturen", "insturen",
        "verzenden", "send", "sent", "submit", "submitted", "ارسل", "ارسال", "ارسلت", "قدمت",
    ),
    "target": (
        "doelgroep", "bedoeld", "in aanmerking", "geschikt", "criteria", "voor wie", "target group",
        "qualify", "eligible", "eligibility", "intended", "meant for", "الفئه المستهدفه",
        "المستهدفه", "لمن", "لاي", "مؤهل", "يستحق", "تشمل", "يشمل", "applies", "apply", "geldt",
        "gelden", "van toepassing", "ينطبق", "تنطبق",
    ),
    "professional": (
        "professional", "professionals", "hulpverlener", "zorgverlener", "huisarts", "poh",
        "verloskundige", "kraamzorg", "kraamverzorgende", "jeugdverpleegkundige", "jgz",
        "maatschappelijk werker", "maatschappelijk werk", "gynaecoloog", "kinderarts", "jeugdarts",
        "kinderopvang", "wijkteam", "ggz", "consultatiebureau", "verpleegkundige", "gp", "doctor",
        "midwife", "nurse", "youth nurse", "practice nurse", "social worker", "social workers",
        "maternity carer", "health visitor", "childcare", "baby clinic", "مهني", "المهنيين",
        "المهنيون", "طبيب", "طبيب اسره", "قابله", "القابله", "ممرضه", "العامل الاجتماعي", "اخصائي",
        "مقدم رعايه", "رعايه ما بعد الولاده", "paediatrician", "pediatrician", "obstetrician",
        "gynaecologist", "gynecologist", "طبيب الاطفال", "طبيب النساء", "طبيب نساء",
        "wijkverpleegkundige", "community nurse", "district nurse", "ممرضه الحي",
    ),
    "danger": (
        "onveilig", "onveilige", "gevaar", "veiligheid", "niet veilig", "mishandeling",
        "kindermishandeling", "huiselijk geweld", "geweld", "agressief", "agressie", "geslagen",
        "slaan", "bedreigd", "verwaarlozing", "misbruik", "unsafe", "not safe", "danger",
        "dangerous", "abuse", "violence", "violent", "neglect", "aggressive", "threatened",
        "beaten", "خطر", "عنف", "عنيف", "اساءه", "ضرب", "غير امن", "ليست في امان", "اهمال", "تهديد",
        "عدواني", "mishandeld", "mishandelen", "misbruikt", "سوء المعامله", "سوء معامله",
        "يتعرض للعنف",
    ),
    "emergency": (
        "112", "acuut", "nood", "noodgeval", "acute", "emergency", "طوارئ", "اسعاف",
    ),
    "veilig_thuis": (
        "veilig thuis", "meldcode", "0800-2000", "reporting code", "الابلاغ",
    ),
    "call": (
        "bellen", "bel", "call", "phone", "اتصل", "اتصال",
    ),
    "cost": (
        "kosten", "kost", "betalen", "betaalt", "gratis", "eigen bijdrage", "geld", "prijs", "cost",
        "costs", "pay", "pays", "paid", "free", "fee", "fees", "money", "charge",
        "personal contribution", "price", "تكلفه", "تكاليف", "يكلف", "يدفع", "تدفع", "مجاني",
        "مجانيه", "رسوم", "مال", "سعر",
    ),
    "carepath": (
        "zorgpad", "zorgpaden", "pharos", "care path", "care paths", "care pathway",
        "care pathways", "pathway", "مسار", "مسارات", "مسار الرعايه", "مسارات الرعايه",
    ),
    "single": (
        "enkelvoudig", "enkelvoudige", "een probleem", "een duidelijk", "maar een", "single",
        "just one", "one clear", "واحده", "واحد", "one problem", "one issue",
    ),
    "problem": (
        "probleem", "problemen", "problematiek", "hulpvraag", "issue", "issues", "problem",
        "problems", "مشكله", "مشاكل", "مشكلات",
    ),
    "topic": (
        "schulden", "schuld", "huisvesting", "wonen", "woning", "dakloos", "inkomen",
        "laaggeletterd", "laaggeletterdheid", "eenzaam", "netwerk", "debt", "debts", "housing",
        "homeless", "income", "low literacy", "literacy", "network", "ديون", "الديون", "سكن",
        "السكن", "دخل", "الدخل", "الامية",
    ),
    "feedback": (
        "terugkoppeling", "terugkoppelen", "terughoren", "op de hoogte", "geinformeerd",
        "informeren", "horen", "feedback", "hear back", "hear", "informed", "kept informed",
        "ابلاغي", "ابلاغ", "اطلاع", "على اطلاع", "اعرف", "ساعرف", "اخبار", "يخبر", "يخبرون", "يبلغ",
        "receive", "receives", "received", "ontvangen", "ontvang", "استلم", "يستلم", "تستلم",
        "استلام", "hoor", "bericht", "told", "اخباري", "يخبرني",
    ),
    "agreements": (
        "afspraken", "afgesproken", "besluiten", "besluitenlijst", "actielijst",
        "actie- en besluitenlijst", "verslag", "notulen", "agreed", "agreements", "decisions",
        "decision list", "action list", "minutes", "اتفاق", "الاتفاق", "قرارات", "القرارات", "محضر",
        "قائمه الاجراءات", "besloten", "besluit", "beslist", "decided", "decide", "تقرر", "قرر",
        "القرار",
    ),
    "evaluation": (
        "evaluatie", "evalueren", "evaluation", "evaluate", "تقييم", "التقييم",
    ),
    "anonymous": (
        "anoniem", "anonymous", "anonymously", "zonder naam", "zonder namen", "without names",
        "no names", "naam", "namen", "name", "names", "مجهول", "بشكل مجهول", "اسم", "اسماء",
    ),
    "doubt": (
        "twijfel", "twijfelen", "niet zeker", "weet niet", "unsure", "not sure", "doubt", "شك",
        "متاكد", "متاكدا", "متردد", "متاكده", "onzeker", "uncertain",
    ),
    "first": (
        "eerst", "vooraf", "eerder", "first", "beforehand", "اولا", "قبل",
    ),
    "contact": (
        "contact", "contactgegevens", "bereiken", "bereik", "mailen", "mail", "email",
        "contact details", "reach", "تواصل", "اتواصل", "الاتصال", "get hold of", "hold of",
        "contact opnemen", "اصل", "الوصول",
    ),
    "details": (
        "contactgegevens", "telefoonnummer", "e-mailadres", "adres", "contact details",
        "phone number", "email address", "details", "معلومات الاتصال", "رقم الهاتف", "عنوان",
    ),
    "ask": (
        "vraag", "vragen", "question", "ask", "asking", "سؤال", "اسال", "سؤالا",
    ),
    "explain": (
        "wat is", "wat houdt", "uitleg", "wat doet", "what is", "whats", "what does", "explain",
        "explanation", "ما هو", "ما هي", "اشرح", "معنى", "ماذا تفعل", "wat voor", "what kind of",
        "uitleggen", "leg uit", "شرح", "تشرح", "يشرح",
    ),
    "goal": (
        "doel", "goal", "purpose", "aim", "الهدف", "هدف", "الغرض", "غرض",
    ),
    "case": (
        "casus", "casussen", "casuistiek", "situatie", "case", "cases", "situation", "حاله",
        "الحاله", "الحالات",
    ),
    "procedure": (
        "procedure", "proces", "werkwijze", "stap", "stappen", "process", "steps", "step", "manier",
        "way", "method", "خطوات", "خطوه", "عمليه", "الاجراءات", "طريقه", "كيفيه", "aanpak",
        "aanpakken", "pak aan", "hoe pak", "route", "via welke weg",
    ),
    "allowed": (
        "bevoegd", "toegestaan", "allowed", "permitted", "entitled", "مسموح", "يحق", "يجوز", "يسمح",
    ),
    "fill": (
        "invullen", "vul", "vullen", "ingevuld", "fill", "fill in", "filled", "complete", "املا",
        "ملء", "يملا",
    ),
    "arrange": (
        "regelen", "regelt", "geregeld", "organiseren", "organiseert", "arrange", "arranges",
        "arranged", "organise", "organize", "يرتب", "ترتيب", "ينظم", "تنظيم",
    ),
    "home": (
        "thuis", "huis", "home", "house", "بيت", "البيت", "منزل", "المنزل",
    ),
    "worry": (
        "zorgen", "bezorgd", "zorgen maken", "concern", "concerns", "concerned", "worried", "worry",
        "قلق", "اخشي", "اخاف", "خائف", "قلقه",
    ),
    "only": (
        "alleen", "enkel", "slechts", "only", "فقط",
    ),
    "comply": (
        "voldoen", "voldoet", "compliant", "comply", "complies", "compliance", "يتوافق", "متوافق",
    ),
    "without": (
        "zonder", "without", "بدون", "دون", "غياب", "في غيابها", "afwezig", "absent",
    ),
    "start": (
        "start", "begin", "starten", "beginnen", "ابدا", "البدء", "بدء",
    ),
    "enough": (
        "genoeg", "voldoende", "enough", "sufficient", "يكفي", "تكفي", "كافيه", "كافي",
    ),
}

# Concepts that say little about which answer is wanted ("who", "how", "I"): they
# count, but never for more than a light weight.
LIGHT_CONCEPTS = frozenset({"who", "which", "how", "where", "must", "ask", "explain",
                            "only", "happen"})
