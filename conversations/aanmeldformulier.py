"""The aanmeldformulier of the Knooppunt Kansrijke Start, as a conversation.

Source: ../shared/domain/aanmeldformulier.md (the handbook's summary of the form,
with the GP template's lists of vulnerabilities). The order here is the order of
the conversation. Labels are the words professionals know; questions are how
the bot asks them; both are Dutch source strings, translated through Babel.
"""

from __future__ import annotations

from kks_bot.i18n_markers import N_

from .schema import DateRule, Field, Form, Group, Kind, Option, Section, When

LANGUAGES = (
    Option("Nederlands", N_("Nederlands")),
    Option("Engels", N_("Engels")),
    Option("Arabisch", N_("Arabisch")),
    Option("Turks", N_("Turks")),
    Option("Pools", N_("Pools")),
    Option("Tigrinya", N_("Tigrinya")),
    Option("Papiaments", N_("Papiaments")),
)

BURGERLIJKE_STAAT = (
    Option("ongehuwd", N_("ongehuwd")),
    Option("samenwonend", N_("samenwonend")),
    Option("gehuwd", N_("gehuwd")),
    Option("geregistreerd_partnerschap", N_("geregistreerd partnerschap")),
    Option("gescheiden", N_("gescheiden")),
    Option("weduwe", N_("weduwe/weduwnaar")),
)

OPLEIDING = (
    Option("geen", N_("geen opleiding")),
    Option("lager_onderwijs", N_("lager onderwijs")),
    Option("lbo", N_("lager of voorbereidend beroepsonderwijs"), N_("lbo/vbo")),
    Option("mavo_vmbo", N_("MAVO/VMBO-G/T (of MBO-kort, MBO-1)"), N_("mavo/vmbo/mbo-1")),
    Option("mbo", N_("MBO 2-4")),
    Option("havo_vwo", N_("HAVO/VWO")),
    Option("hbo", N_("HBO")),
    Option("wo", N_("WO")),
    Option("onbekend", N_("onbekend")),
)

FUNCTIES = (
    Option("verloskundige", N_("verloskundige")),
    Option("huisarts", N_("huisarts")),
    Option("poh", N_("POH")),
    Option("gynaecoloog", N_("gynaecoloog")),
    Option("kinderarts", N_("kinderarts")),
    Option("kraamverzorgende", N_("kraamverzorgende")),
    Option("jgz_verpleegkundige", N_("jeugdverpleegkundige (JGZ)")),
    Option("jeugdarts", N_("jeugdarts")),
    Option("maatschappelijk_werker", N_("(medisch) maatschappelijk werker")),
    Option("gemeente", N_("gemeente")),
    Option("ggz", N_("GGZ")),
    Option("jeugdhulp", N_("jeugdhulp")),
    Option("wmo", N_("Wmo")),
    Option("kinderopvang", N_("kinderopvang")),
    Option("anders", N_("anders")),
)

HULPVERLENER_TYPES = (
    Option("ziekenhuis", N_("ziekenhuis")),
    Option("verloskundige", N_("verloskundige")),
    Option("kraamzorg", N_("kraamzorg")),
    Option("jgz", N_("JGZ")),
    Option("voorzorg", N_("VoorZorg")),
    Option("stevig_ouderschap", N_("Stevig Ouderschap")),
    Option("huisarts", N_("huisarts")),
    Option("ggz", N_("GGZ")),
    Option("schuldhulpverlening", N_("schuldhulpverlening")),
    Option("maatschappelijk_werk", N_("maatschappelijk werk")),
    Option("jeugdhulp", N_("jeugdhulp")),
    Option("wmo", N_("Wmo")),
    Option("veilig_thuis", N_("Veilig Thuis")),
    Option("anders", N_("anders")),
)

URGENTE_KWETSBAARHEDEN = (
    Option(
        "psychiatrie_nu",
        N_("psychologische of psychiatrische problemen in deze zwangerschap "
           "(actueel, nu in behandeling)"),
        N_("psychische problemen nu"),
    ),
    Option("huiselijk_geweld", N_("huiselijk geweld")),
    Option("veilig_thuis", N_("betrokkenheid Veilig Thuis in de anamnese"),
           N_("Veilig Thuis eerder")),
    Option(
        "raad_kinderbescherming",
        N_("betrokkenheid Raad voor de Kinderbescherming in de anamnese"),
        N_("Raad v.d. Kinderbescherming eerder"),
    ),
    Option("lvb", N_("(licht) verstandelijke beperking"), N_("(L)VB")),
    Option("verslaving", N_("verslavingsproblematiek")),
    Option("dakloos", N_("dak- of thuisloos")),
)

KWETSBAARHEDEN = (
    Option(
        "psychosociaal_vrouw",
        N_("overige psychosociale problematiek vrouw (in de anamnese, eerdere ervaring "
           "met huiselijk geweld/kindermishandeling)"),
        N_("psychosociaal vrouw"),
    ),
    Option(
        "problematiek_partner",
        N_("problematiek partner (psychosociaal, chronische ziekte, verslaving)"),
        N_("problematiek partner"),
    ),
    Option("leefstijl", N_("ongezonde leefstijl moeder (roken, alcohol)"), N_("leefstijl")),
    Option("financien", N_("financiële problematiek / schulden"), N_("geld / schulden")),
    Option("huisvesting", N_("huisvestingsproblemen"), N_("huisvesting")),
    Option("taalbarriere", N_("taalbarrière")),
    Option("relatie", N_("relatieproblemen")),
    Option("tienerzwangerschap", N_("tienerzwangerschap")),
    Option("alleenstaand", N_("alleenstaande moeder")),
    Option("woonomgeving", N_("woonomgeving onveilig of ontoereikend"), N_("woonomgeving")),
    Option("ongepland", N_("ongepland en ongewenst zwanger"), N_("ongepland/ongewenst")),
    Option("opleiding", N_("laag opleidingsniveau")),
    Option("zorggebruik", N_("suboptimaal zorggebruik")),
    Option("samengesteld_gezin", N_("problemen n.a.v. samengesteld gezin"),
           N_("samengesteld gezin")),
    Option(
        "laaggeletterdheid",
        N_("laaggeletterdheid en/of onvoldoende gezondheidsvaardigheden"),
        N_("laaggeletterdheid"),
    ),
    Option("opvoedvaardigheden", N_("beperkte opvoedingsvaardigheden"), N_("opvoedvaardigheden")),
    Option("onverzekerd", N_("onverzekerd")),
    Option("stress", N_("stress / overbelasting")),
    Option("anders", N_("anders")),
)

BESCHERMENDE_FACTOREN = (
    Option("veerkracht", N_("veerkracht")),
    Option("stabiel_gezinsklimaat", N_("stabiel gezinsklimaat")),
    Option("stabiele_woonsituatie", N_("stabiele woonsituatie")),
    Option("sociaal_netwerk", N_("steun van sociaal netwerk"), N_("sociaal netwerk")),
    Option("open_voor_hulp", N_("open voor / bereid hulp te aanvaarden"), N_("open voor hulp")),
    Option("anders", N_("anders")),
)


_MOTHER_QUESTIONS = {
    "telefoon": N_("Wat is het telefoonnummer van de moeder?"),
    "email": N_("Wat is het e-mailadres van de moeder?"),
    "burgerlijke_staat": N_("Wat is de burgerlijke staat van de moeder?"),
    "nationaliteit": N_("Wat is de nationaliteit van de moeder?"),
    "spreektaal": N_("Welke taal spreekt de moeder?"),
    "opleiding": N_("Wat is het opleidingsniveau van de moeder?"),
    "hoeveelste_kind": N_("Het hoeveelste kind van de moeder wordt dit?"),
}

_PARTNER_QUESTIONS = {
    "telefoon": N_("Wat is het telefoonnummer van de partner?"),
    "email": N_("Wat is het e-mailadres van de partner?"),
    "burgerlijke_staat": N_("Wat is de burgerlijke staat van de partner?"),
    "nationaliteit": N_("Wat is de nationaliteit van de partner?"),
    "spreektaal": N_("Welke taal spreekt de partner?"),
    "opleiding": N_("Wat is het opleidingsniveau van de partner?"),
    "hoeveelste_kind": N_("Het hoeveelste kind van de partner wordt dit?"),
}


def _person_fields(
    prefix: str, questions: dict[str, str], when: tuple[When, ...] = ()
) -> tuple[Field, ...]:
    """Contact and background fields that the mother and the partner share."""
    return (
        Field(
            f"{prefix}_telefoon",
            N_("Telefoonnummer"),
            questions["telefoon"],
            Kind.PHONE,
            help=N_("Een mobiel of vast nummer, met of zonder +31. "
                    "Buitenlandse nummers met landcode, bijvoorbeeld +32."),
            when=when,
        ),
        Field(
            f"{prefix}_email",
            N_("E-mailadres"),
            questions["email"],
            Kind.EMAIL,
            help=N_("Alleen als het gezin goedvindt dat de coördinator mailt."),
            when=when,
            max_length=254,
        ),
        Field(
            f"{prefix}_burgerlijke_staat",
            N_("Burgerlijke staat"),
            questions["burgerlijke_staat"],
            Kind.CHOICE,
            options=BURGERLIJKE_STAAT,
            help=N_("Kies wat op dit moment geldt."),
            when=when,
        ),
        Field(
            f"{prefix}_nationaliteit",
            N_("Nationaliteit"),
            questions["nationaliteit"],
            Kind.TEXT,
            help=N_("Bijvoorbeeld Nederlandse, Syrische of Poolse."),
            when=when,
            max_length=80,
        ),
        Field(
            f"{prefix}_spreektaal",
            N_("Spreektaal"),
            questions["spreektaal"],
            Kind.TEXT,
            suggestions=LANGUAGES,
            help=N_("Kies een taal of typ een andere. Dit helpt bij het regelen van een tolk."),
            when=when,
            max_length=80,
        ),
        Field(
            f"{prefix}_opleiding",
            N_("Opleidingsniveau"),
            questions["opleiding"],
            Kind.CHOICE,
            options=OPLEIDING,
            help=N_("De hoogst afgeronde opleiding. Weet je het niet, kies dan 'onbekend'."),
            when=when,
        ),
        Field(
            f"{prefix}_hoeveelste_kind",
            N_("Hoeveelste kind"),
            questions["hoeveelste_kind"],
            Kind.NUMBER,
            minimum=1,
            maximum=20,
            help=N_("Typ een getal, bijvoorbeeld 1 voor het eerste kind."),
            when=when,
        ),
    )


PARTNER = (When("partner_in_beeld", True),)
PARTNER_OWN_ADDRESS = (*PARTNER, When("partner_zelfde_adres", False))

_PARTNER_ADDRESS = (
    Field(
        "partner_zelfde_adres",
        N_("Zelfde adres als moeder"),
        N_("Woont de partner op hetzelfde adres als de moeder?"),
        Kind.YESNO,
        required=True,
        help=N_("Kies 'nee' als de partner ergens anders woont; dan vraag ik dat adres."),
        when=PARTNER,
    ),
    Field(
        "partner_adres",
        N_("Adres (straat, huisnummer)"),
        N_("Wat is het adres van de partner (straat en huisnummer)?"),
        Kind.TEXT,
        help=N_("Straat en huisnummer, bijvoorbeeld Akerstraat 12a."),
        when=PARTNER_OWN_ADDRESS,
        max_length=120,
    ),
    Field(
        "partner_postcode",
        N_("Postcode"),
        N_("Wat is de postcode van de partner?"),
        Kind.POSTCODE,
        help=N_("Vier cijfers en twee letters, bijvoorbeeld 6411 AB."),
        when=PARTNER_OWN_ADDRESS,
    ),
    Field(
        "partner_plaats",
        N_("Woonplaats"),
        N_("In welke plaats woont de partner?"),
        Kind.TEXT,
        help=N_("De woonplaats, bijvoorbeeld Heerlen."),
        when=PARTNER_OWN_ADDRESS,
        max_length=80,
    ),
)

ZWANGER = (When("zwanger", True),)

TOESTEMMING = Section(
    "toestemming",
    N_("Toestemming en route"),
    (
        Field(
            "toestemming_gezin",
            N_("Mondelinge toestemming gezin"),
            N_("Heeft het gezin mondeling toestemming gegeven voor aanmelding "
               "en voor het delen van gegevens?"),
            Kind.YESNO,
            required=True,
            family_data=False,
            help=N_("Aanmelden mag alleen na overleg met en toestemming van het gezin. "
                    "Zonder toestemming kun je wel anoniem overleggen met de coördinator."),
        ),
        Field(
            "toestemming_vastgelegd",
            N_("Toestemming vastgelegd"),
            N_("Heb je de toestemming schriftelijk vastgelegd in je eigen verslaglegging?"),
            Kind.YESNO,
            required=True,
            family_data=False,
            help=N_("Mondelinge toestemming leg je zelf vast in je dossier, "
                    "met datum en wat je hebt besproken."),
        ),
        Field(
            "toestemming_onderzoek",
            N_("Toestemming monitoring/onderzoek"),
            N_("Geeft het gezin toestemming voor anoniem gebruik van de gegevens "
               "voor monitoring en onderzoek?"),
            Kind.CHOICE,
            options=(
                Option("ja", N_("ja")),
                Option("nee", N_("nee")),
                Option("niet_gevraagd", N_("niet gevraagd")),
            ),
            family_data=False,
            help=N_("Alleen met toestemming tellen de gegevens anoniem mee in de cijfers "
                    "van het Knooppunt. Nee of niet gevraagd is geen bezwaar voor aanmelding."),
        ),
        Field(
            "aanmelding_voor",
            N_("Aanmelding voor"),
            N_("Waarvoor meld je het gezin aan? Kies één of meer."),
            Kind.MULTI,
            required=True,
            options=(
                Option("knooppunt", N_("Knooppunt Kansrijke Start"), N_("Knooppunt")),
                Option("prenataal_huisbezoek", N_("Prenataal huisbezoek JGZ"),
                       N_("prenataal huisbezoek")),
                Option("ozks", N_("OZKS")),
            ),
            default=["knooppunt"],
            family_data=False,
            help=N_("Eén formulier voor het Knooppunt, het prenataal huisbezoek van de JGZ "
                    "en het OZKS (overleg zwangere in een kwetsbare situatie)."),
        ),
        Field(
            "gemeente",
            N_("Woongemeente gezin"),
            N_("In welke gemeente woont het gezin? Kies de gemeente, "
               "of typ de postcode van het gezin."),
            Kind.GEMEENTE,
            required=True,
            family_data=True,
            remember="_postcode",
            help=N_("De gemeente bepaalt welke Knooppuntcoördinator de aanmelding krijgt. "
                    "Typ je de postcode, dan stel ik de gemeente voor."),
        ),
        Field(
            "spoed",
            N_("Spoed"),
            N_("Kan dit wachten tot het volgende geplande Knooppuntoverleg?"),
            Kind.CHOICE,
            required=True,
            options=(
                Option("kan_wachten", N_("kan wachten")),
                Option("spoed", N_("spoed")),
            ),
            family_data=False,
            # The handbook ("Praktische organisatie"): each municipality chooses a fixed
            # moment (e.g. monthly) or plans when a registration comes in; urgent at once.
            help=N_("Spoed: de coördinator plant meteen een overleg. Anders komt het in het "
                    "volgende overleg. Wanneer dat is, verschilt per gemeente: op een vast "
                    "moment (bijvoorbeeld elke maand) of zodra er een aanmelding is. Bij een "
                    "zwangerschap telt ook mee hoe ver die al is."),
        ),
    ),
)

AANMELDER = Section(
    "aanmelder",
    N_("Aanvraag door"),
    (
        Field(
            "aanmelder_organisatie",
            N_("Naam organisatie/praktijk"),
            N_("Bij welke organisatie of praktijk werk je?"),
            Kind.TEXT,
            required=True,
            profile="organisatie",
            family_data=False,
            help=N_("De naam van je organisatie of praktijk, bijvoorbeeld "
                    "Verloskundigenpraktijk Heerlen-Noord."),
            max_length=120,
        ),
        Field(
            "aanmelder_naam",
            N_("Naam aanmelder"),
            N_("Wat is je naam?"),
            Kind.TEXT,
            required=True,
            profile="naam",
            family_data=False,
            help=N_("Je voor- en achternaam. De coördinator neemt zo nodig contact met je op."),
            max_length=120,
        ),
        Field(
            "aanmelder_functie",
            N_("Functie"),
            N_("Wat is je functie?"),
            Kind.CHOICE,
            required=True,
            options=FUNCTIES,
            profile="functie",
            family_data=False,
            help=N_("Kies je functie. Staat die er niet bij, kies dan 'anders'."),
        ),
        Field(
            "aanmelder_functie_anders",
            N_("Functie (anders)"),
            N_("Welke functie heb je?"),
            Kind.TEXT,
            required=True,
            when=(When("aanmelder_functie", "anders"),),
            profile="functie_anders",
            family_data=False,
            help=N_("Typ je functie, bijvoorbeeld schoolmaatschappelijk werker."),
            max_length=80,
        ),
        Field(
            "aanmelder_email",
            N_("E-mailadres"),
            N_("Wat is je e-mailadres op het werk?"),
            Kind.EMAIL,
            required=True,
            profile="email",
            family_data=False,
            help=N_("Je e-mailadres op het werk, zodat de coördinator je kan bereiken."),
            max_length=254,
        ),
        Field(
            "aanmelder_telefoon",
            N_("Telefoonnummer"),
            N_("Op welk telefoonnummer ben je bereikbaar?"),
            Kind.PHONE,
            required=True,
            profile="telefoon",
            family_data=False,
            help=N_("Een nummer waarop de coördinator je overdag kan bellen."),
        ),
        Field(
            "aanmelder_aanwezig",
            N_("Zelf aanwezig bij overleg"),
            N_("Wil je zelf aanwezig zijn bij het Knooppuntoverleg?"),
            Kind.YESNO,
            required=True,
            family_data=False,
            help=N_("Het overleg is met het gezin, de coördinator en de JGZ. "
                    "Jij mag erbij zijn, maar het hoeft niet."),
        ),
    ),
    confirm_prefilled=True,
)

MOEDER = Section(
    "moeder",
    N_("Gegevens moeder / zwangere"),
    (
        Field(
            "moeder_naam",
            N_("Naam"),
            N_("Wat is de naam van de moeder (of zwangere)?"),
            Kind.TEXT,
            required=True,
            help=N_("Voor- en achternaam. Je bericht wordt na het opslaan uit de chat gewist."),
            max_length=120,
        ),
        Field(
            "moeder_geboortedatum",
            N_("Geboortedatum"),
            N_("Wat is de geboortedatum van de moeder?"),
            Kind.DATE,
            required=True,
            date_rule=DateRule.BIRTH_MOTHER,
            help=N_("Bijvoorbeeld 12-3-1998 of 12 maart 1998."),
        ),
        Field(
            "moeder_adres",
            N_("Adres (straat, huisnummer)"),
            N_("Wat is het adres van de moeder (straat en huisnummer)?"),
            Kind.TEXT,
            required=True,
            help=N_("Straat en huisnummer, bijvoorbeeld Akerstraat 12a."),
            max_length=120,
        ),
        Field(
            "moeder_postcode",
            N_("Postcode"),
            N_("Wat is de postcode van de moeder?"),
            Kind.POSTCODE,
            required=True,
            suggest_from="_postcode",  # typed for the municipality: one tap
            help=N_("Vier cijfers en twee letters, bijvoorbeeld 6411 AB."),
        ),
        Field(
            "moeder_plaats",
            N_("Woonplaats"),
            N_("In welke plaats woont de moeder?"),
            Kind.TEXT,
            required=True,
            help=N_("De woonplaats, bijvoorbeeld Heerlen."),
            max_length=80,
        ),
        *_person_fields("moeder", _MOTHER_QUESTIONS),
        Field(
            "zwanger",
            N_("Zwanger"),
            N_("Is de moeder zwanger?"),
            Kind.YESNO,
            required=True,
            help=N_("Bij 'ja' vraag ik ook de vermoedelijke bevallingsdatum."),
        ),
        Field(
            "vermoedelijke_bevallingsdatum",
            N_("Vermoedelijke bevallingsdatum"),
            N_("Wat is de vermoedelijke bevallingsdatum?"),
            Kind.DATE,
            required=True,
            date_rule=DateRule.DUE,
            when=ZWANGER,
            help=N_("Een datum vanaf vandaag tot over 42 weken, bijvoorbeeld 15-2-2027."),
        ),
        Field(
            "hoeveelste_zwangerschap",
            N_("Hoeveelste zwangerschap"),
            N_("De hoeveelste zwangerschap is dit?"),
            Kind.NUMBER,
            minimum=1,
            maximum=20,
            when=ZWANGER,
            help=N_("Typ een getal, bijvoorbeeld 1 voor de eerste zwangerschap."),
        ),
        Field(
            "hoofdbehandelaar",
            N_("Verloskundig hoofdbehandelaar"),
            N_("Wie is de verloskundig hoofdbehandelaar? (naam, praktijk, telefoon)"),
            Kind.TEXT,
            when=ZWANGER,
            help=N_("De verloskundige of gynaecoloog die de zwangerschap begeleidt."),
            max_length=200,
        ),
        Field(
            "huisarts",
            N_("Huisarts"),
            N_("Wie is de huisarts? (naam, praktijk, telefoon)"),
            Kind.TEXT,
            help=N_("De huisarts van het gezin, met praktijk en telefoonnummer als je die weet."),
            max_length=200,
        ),
    ),
)

PARTNER_SECTION = Section(
    "partner",
    N_("Gegevens partner"),
    (
        Field(
            "partner_in_beeld",
            N_("Partner in beeld"),
            N_("Is er een partner in beeld?"),
            Kind.YESNO,
            required=True,
            help=N_("Een partner of (aanstaande) vader die betrokken is bij het gezin. "
                    "Bij 'nee' sla ik de vragen over de partner over."),
        ),
        Field(
            "partner_naam",
            N_("Naam"),
            N_("Wat is de naam van de partner?"),
            Kind.TEXT,
            required=True,
            when=PARTNER,
            help=N_("Voor- en achternaam."),
            max_length=120,
        ),
        Field(
            "partner_geboortedatum",
            N_("Geboortedatum"),
            N_("Wat is de geboortedatum van de partner?"),
            Kind.DATE,
            date_rule=DateRule.BIRTH_ADULT,
            when=PARTNER,
            help=N_("Bijvoorbeeld 12-3-1998 of 12 maart 1998."),
        ),
        *_PARTNER_ADDRESS,
        *_person_fields("partner", _PARTNER_QUESTIONS, PARTNER),
    ),
)

GEZIN = Section(
    "gezin",
    N_("Gezinssamenstelling"),
    (
        Field(
            "gezinssamenstelling",
            N_("Gezinssamenstelling"),
            N_("Hoe is het gezin samengesteld?"),
            Kind.CHOICE,
            required=True,
            options=(
                Option("ouders_samen", N_("ouders samen")),
                Option("eenouder_moeder", N_("eenoudergezin (moeder)")),
                Option("eenouder_vader", N_("eenoudergezin (vader)")),
                Option(
                    "anders",
                    N_("anders (relatie met partner onduidelijk of wisselend)"),
                    N_("anders / wisselend"),
                ),
            ),
            help=N_("Kies wat nu het beste past."),
        ),
        Group(
            "kinderen",
            N_("Overige kinderen"),
            N_("Zijn er andere kinderen in het gezin?"),
            N_("Kind {n}"),
            N_("Kind toevoegen"),
            N_("Nog een kind"),
            N_("Geen andere kinderen"),
            (
                Field("naam", N_("Naam"), N_("Wat is de naam van het kind?"), Kind.TEXT,
                      required=True, help=N_("De voornaam is genoeg."), max_length=120),
                Field("geboortedatum", N_("Geboortedatum"),
                      N_("Wat is de geboortedatum van het kind?"), Kind.DATE, required=True,
                      date_rule=DateRule.PAST,
                      help=N_("Bijvoorbeeld 3-5-2022.")),
                Field("geslacht", N_("Geslacht"), N_("Wat is het geslacht van het kind?"),
                      Kind.CHOICE,
                      options=(Option("jongen", N_("jongen")), Option("meisje", N_("meisje")),
                               Option("anders", N_("anders"))),
                      help=N_("Kies wat past.")),
                Field("inwonend", N_("Inwonend"), N_("Woont het kind bij het gezin?"),
                      Kind.YESNO, help=N_("Ja als het kind (meestal) thuis woont.")),
                Field("gezag_gi", N_("Gezag bij gecertificeerde instelling"),
                      N_("Ligt het gezag bij een gecertificeerde instelling?"), Kind.YESNO,
                      help=N_("Bijvoorbeeld bij een voogdijmaatregel. Weet je het niet, "
                              "sla deze vraag dan over.")),
            ),
            help=N_("Broers en zussen van het (verwachte) kind, ook als ze niet thuis wonen."),
        ),
    ),
)

HULPVERLENING = Section(
    "hulpverlening",
    N_("Betrokken hulpverlening"),
    (
        Group(
            "hulpverleners",
            N_("Betrokken hulpverleners"),
            N_("Zijn er andere hulpverleners betrokken bij het gezin?"),
            N_("Hulpverlener {n}"),
            N_("Hulpverlener toevoegen"),
            N_("Nog een hulpverlener"),
            N_("Geen andere hulpverleners"),
            (
                Field("type", N_("Soort"), N_("Van welke organisatie of discipline?"),
                      Kind.CHOICE, required=True, options=HULPVERLENER_TYPES,
                      family_data=False, help=N_("Kies de soort hulp.")),
                Field("naam", N_("Naam"), N_("Wat is de naam van de hulpverlener?"),
                      Kind.TEXT, required=True, family_data=False,
                      help=N_("Naam van de persoon of de organisatie."), max_length=120),
                Field("functie", N_("Functie"), N_("Wat is de functie van de hulpverlener?"),
                      Kind.TEXT, family_data=False,
                      help=N_("Bijvoorbeeld wijkverpleegkundige."), max_length=80),
                Field("email", N_("E-mailadres"),
                      N_("Wat is het e-mailadres van de hulpverlener?"), Kind.EMAIL,
                      family_data=False, help=N_("Een e-mailadres op het werk."),
                      max_length=254),
                Field("telefoon", N_("Telefoonnummer"),
                      N_("Wat is het telefoonnummer van de hulpverlener?"), Kind.PHONE,
                      family_data=False, help=N_("Met of zonder +31.")),
            ),
            help=N_("Wie helpt het gezin nu al? Denk aan ziekenhuis, kraamzorg, JGZ, "
                    "GGZ of schuldhulp."),
        ),
    ),
)

KWETSBAARHEDEN_SECTION = Section(
    "kwetsbaarheden",
    N_("Kwetsbaarheden en beschermende factoren"),
    (
        Field(
            "urgente_kwetsbaarheden",
            N_("Urgente kwetsbaarheden"),
            N_("Welke urgente kwetsbaarheden zijn er? Tik aan wat geldt en kies dan 'Klaar'."),
            Kind.MULTI,
            options=URGENTE_KWETSBAARHEDEN,
            help=N_("Bij een zwangere met een urgente kwetsbaarheid past soms het OZKS "
                    "of een prenataal huisbezoek. Geen van deze? Kies dan meteen 'Geen van deze'."),
        ),
        Field(
            "kwetsbaarheden",
            N_("Kwetsbaarheden"),
            N_("Welke andere kwetsbaarheden zijn er? Tik aan wat geldt en kies dan 'Klaar'."),
            Kind.MULTI,
            options=KWETSBAARHEDEN,
            help=N_("Een stapeling van kwetsbaarheden past bij het Knooppunt."),
        ),
        Field(
            "kwetsbaarheden_anders",
            N_("Andere kwetsbaarheid"),
            N_("Welke andere kwetsbaarheid? Beschrijf het kort."),
            Kind.TEXT,
            required=True,
            when=(When("kwetsbaarheden", contains="anders"),),
            help=N_("Een paar woorden zijn genoeg."),
            max_length=300,
        ),
        Field(
            "beschermende_factoren",
            N_("Beschermende factoren"),
            N_("Welke beschermende factoren zijn er? Tik aan wat geldt en kies dan 'Klaar'."),
            Kind.MULTI,
            options=BESCHERMENDE_FACTOREN,
            help=N_("Wat gaat goed, en wie of wat helpt het gezin?"),
        ),
        Field(
            "beschermende_factoren_anders",
            N_("Andere beschermende factor"),
            N_("Welke andere beschermende factor? Beschrijf het kort."),
            Kind.TEXT,
            required=True,
            when=(When("beschermende_factoren", contains="anders"),),
            help=N_("Een paar woorden zijn genoeg."),
            max_length=300,
        ),
    ),
)

OVERIG = Section(
    "overig",
    N_("Hulpvraag en overig"),
    (
        Field(
            "hulpvraag",
            N_("Hulpvraag"),
            N_("Wat is de hulpvraag van het gezin en/of van jou?"),
            Kind.TEXT,
            required=True,
            help=N_("Beschrijf in je eigen woorden waar het gezin hulp bij nodig heeft. "
                    "Maximaal 2.000 tekens."),
            max_length=2000,
        ),
        Field(
            "tolk_gewenst",
            N_("Professionele tolk gewenst"),
            N_("Is een professionele tolk gewenst bij het overleg?"),
            Kind.YESNO,
            required=True,
            help=N_("Altijd een professionele tolk, nooit een kind als tolk."),
        ),
        Field(
            "tolk_taal",
            N_("Taal tolk"),
            N_("Voor welke taal is een tolk nodig?"),
            Kind.TEXT,
            required=True,
            suggestions=LANGUAGES,
            when=(When("tolk_gewenst", True),),
            help=N_("Kies een taal of typ een andere."),
            max_length=80,
        ),
        Field(
            "eerdere_bevindingen",
            N_("Eerdere bevindingen"),
            N_("Zijn er bevindingen van een prenataal huisbezoek JGZ, "
               "een eerder Knooppuntoverleg of het OZKS?"),
            Kind.TEXT,
            help=N_("Kort wat al bekend is. Geen bevindingen? Sla deze vraag over."),
            max_length=2000,
        ),
    ),
)

AANMELDFORMULIER = Form(
    "aanmeldformulier",
    N_("Aanmeldformulier Knooppunt Kansrijke Start"),
    (
        TOESTEMMING,
        AANMELDER,
        MOEDER,
        PARTNER_SECTION,
        GEZIN,
        HULPVERLENING,
        KWETSBAARHEDEN_SECTION,
        OVERIG,
    ),
    consent="toestemming_gezin",
    municipality="gemeente",
    urgent=When("spoed", equals="spoed"),
)
