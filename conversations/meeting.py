"""The coordinator's forms around the Knooppuntoverleg: planning it, and recording it
afterwards (the action and decision list and the monitoring fields of the
registratieformulier). Source: ../shared/domain/registratie.md."""

from __future__ import annotations

from kks_bot.i18n_markers import N_

from .schema import DateRule, Field, Form, Kind, Option, Section, When

TOLK_OPTIONS = (
    Option("geen", N_("Geen tolk nodig")),
    Option("ar", N_("Arabisch")),
    Option("en", N_("Engels")),
    Option("tr", N_("Turks")),
    Option("pl", N_("Pools")),
    Option("ti", N_("Tigrinya")),
    Option("anders", N_("Andere taal")),
)

PLANNING = Section(
    "overleg",
    N_("Knooppuntoverleg plannen"),
    (
        Field("datum", N_("Datum"), N_("Op welke datum is het overleg?"), Kind.DATE,
              required=True, date_rule=DateRule.FUTURE,
              help=N_("Bijvoorbeeld 14-12-2026. Vandaag of later.")),
        Field("tijd", N_("Tijd"), N_("Hoe laat begint het overleg?"), Kind.TIME, required=True,
              help=N_("Bijvoorbeeld 14:30. De tijd is Nederlandse tijd.")),
        Field("plaats", N_("Plaats of link"),
              N_("Waar is het overleg? Typ het adres, of de link als het online is."),
              Kind.TEXT, required=True, max_length=300, family_data=False,
              help=N_("Het gezin ziet dit in de uitnodiging en de herinneringen.")),
        Field("aanmelder_uitnodigen", N_("Aanmelder uitgenodigd"),
              N_("Nodig je de aanmelder uit?"), Kind.YESNO, required=True,
              help=N_("Als de aanmelder dat wilde. De aanmelder krijgt dan bericht in de bot.")),
        Field("jgz_uitgenodigd", N_("Jeugdverpleegkundige uitgenodigd"),
              N_("Is de jeugdverpleegkundige (JGZ) uitgenodigd?"), Kind.YESNO, required=True,
              help=N_("De JGZ is bij elk Knooppuntoverleg.")),
        Field("deelnemers", N_("Andere deelnemers"),
              N_("Wie nodig je nog meer uit? Naam, functie of expertise, e-mail."), Kind.TEXT,
              max_length=800, family_data=False,
              help=N_("Voor het verslag. Sla over als er verder niemand komt.")),
        Field("tolk", N_("Tolk"), N_("Is er een tolk nodig?"), Kind.CHOICE, required=True,
              options=TOLK_OPTIONS,
              help=N_("Altijd een professionele tolk, nooit een kind.")),
        Field("tolk_taal", N_("Taal van de tolk"), N_("Welke taal?"), Kind.TEXT,
              required=True, max_length=60, family_data=False,
              when=(When("tolk", "anders"),), help=N_("Bijvoorbeeld Somalisch.")),
    ),
)

MEETING_FORM = Form("overleg", N_("Knooppuntoverleg plannen"), (PLANNING,))

AANWEZIGEN = (
    Option("gezin", N_("gezin")), Option("coordinator", N_("coördinator")),
    Option("jgz", N_("jeugdverpleegkundige (JGZ)")), Option("aanmelder", N_("aanmelder")),
    Option("voorliggend_veld", N_("voorliggend veld")),
    Option("verloskundige", N_("verloskundige")), Option("gemeente", N_("gemeente")),
    Option("ggz", N_("GGZ")), Option("huisarts", N_("huisarts/POH")),
    Option("jeugdhulp", N_("jeugdhulp")),
    Option("mmw", N_("medisch maatschappelijk werk")), Option("kraamzorg", N_("kraamzorg")),
    Option("veilig_thuis", N_("Veilig Thuis")), Option("anders", N_("anders")),
)
HULPVRAGEN = (
    Option("medicatie", N_("medicatiegebruik")),
    Option("opvoeding", N_("opvoedondersteuning gewenst")),
    Option("huisvesting", N_("huisvesting")), Option("onverzekerd", N_("onverzekerd")),
    Option("lvb", N_("licht verstandelijke beperking")),
    Option("huiselijk_geweld", N_("huiselijk geweld")), Option("psychiatrie", N_("psychiatrie")),
    Option("financien", N_("inkomen/schulden")),
    Option("tienerzwangerschap", N_("tienerzwangerschap")),
    Option("voorgeschiedenis", N_("belaste voorgeschiedenis")),
    Option("werk", N_("arbeidsomstandigheden")), Option("anders", N_("anders")),
)
ONDERSTEUNING = (
    Option("voorliggend_veld", N_("voorliggend veld")), Option("jeugdwet", N_("Jeugdwet")),
    Option("veilig_thuis", N_("Veilig Thuis")),
    Option("smi", N_("sociaal medische indicatie kinderopvang")),
    Option("netwerk", N_("eigen sociaal netwerk")),
    Option("bestaande_hulp", N_("signaleren en voortzetten bestaande hulp")),
    Option("wmo", N_("Wmo")), Option("jgz", N_("jeugdgezondheidszorg")),
    Option("financien", N_("gemeentelijk loket financiën")),
    Option("woningcorporatie", N_("woningcorporatie")),
    Option("flex", N_("Proeftuin Geboortezorg Flex")), Option("anders", N_("anders")),
)

OUTCOME = Section(
    "verslag",
    N_("Actie- en besluitenlijst"),
    (
        Field("aanwezigen", N_("Aanwezigen"), N_("Wie waren er bij het overleg?"), Kind.MULTI,
              options=AANWEZIGEN, help=N_("Tik aan wie er was en kies dan 'Klaar'.")),
        Field("afspraken", N_("Afspraken: wie doet wat"),
              N_("Wat is afgesproken? Wie doet wat, en wanneer?"), Kind.TEXT, required=True,
              max_length=1500,
              help=N_("Kort, per regel één afspraak. Dit gaat naar de deelnemers.")),
        Field("procesregie", N_("Procesregie"), N_("Wie heeft de procesregie?"), Kind.TEXT,
              required=True, max_length=120, family_data=False,
              help=N_("Naam en organisatie.")),
        Field("casusregisseur", N_("Casusregisseur"),
              N_("Is er een casusregisseur? Wie?"), Kind.TEXT, max_length=120,
              family_data=False, help=N_("Sla over als dat niet nodig is.")),
        Field("regisseur_aanmelder", N_("Aanmelder is casusregisseur"),
              N_("Is de aanmelder de casusregisseur? Dan krijgt die ook de "
                 "evaluatieherinnering."), Kind.YESNO,
              when=(When("casusregisseur", filled=True),),
              help=N_("Alleen als de aanmelder de bot gebruikt. Sla anders over.")),
        Field("aanspreekpunt", N_("Eerste aanspreekpunt gezin"),
              N_("Wie is het eerste aanspreekpunt voor het gezin?"), Kind.TEXT, required=True,
              max_length=120, family_data=False, help=N_("Naam en organisatie.")),
        Field("gezin_akkoord", N_("Gezin akkoord"), N_("Is het gezin akkoord met de afspraken?"),
              Kind.YESNO, required=True, help=N_("Praat met, niet over het gezin.")),
        Field("hulpvragen", N_("Hulpvragen"), N_("Welke hulpvragen kwamen aan bod?"),
              Kind.MULTI, options=HULPVRAGEN, help=N_("Voor de monitoring (anoniem).")),
        Field("ondersteuning", N_("Ingezette ondersteuning"),
              N_("Welke ondersteuning is ingezet?"), Kind.MULTI, options=ONDERSTEUNING,
              help=N_("Voor de monitoring (anoniem).")),
        Field("vervolg", N_("Vervolg-Knooppunt gewenst"),
              N_("Is er een vervolg-Knooppunt gewenst?"), Kind.YESNO, required=True,
              help=N_("Een nieuw overleg plan je daarna vanuit de zaak.")),
        Field("vervolg_termijn", N_("Vervolg: wanneer"), N_("Wanneer ongeveer?"), Kind.TEXT,
              max_length=80, family_data=False, when=(When("vervolg", True),),
              help=N_("Bijvoorbeeld: na de bevalling.")),
        Field("evaluatie_weken", N_("Evaluatie na (weken)"),
              N_("Over hoeveel weken evalueer je?"), Kind.NUMBER, required=True, minimum=1,
              maximum=52,
              help=N_("Standaard zes weken. Ik herinner je eraan.")),
    ),
)

OUTCOME_FORM = Form("verslag", N_("Actie- en besluitenlijst"), (OUTCOME,))

__all__ = ["MEETING_FORM", "OUTCOME_FORM"]
