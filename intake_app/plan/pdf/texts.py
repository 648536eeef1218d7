"""Every fixed text of the PIP PDF, marked with ``N_`` (translated at render time, client domain).

The plan addresses the newcomer ("u"), in plain Dutch. Values are named placeholders; plurals are
``ngettext`` calls with literal strings at the call site (``sections``), so Babel extracts them.
"""

from __future__ import annotations

from intake_app.i18n import N_
from intake_app.i18n.notes import UNREVIEWED_NOTE

TITLE = N_("Plan Inburgering en Participatie (PIP)")
SUBTITLE = N_("Datum van dit plan: {date}. Versie {version}.")
DUTCH_BINDING = N_("Nederlandse tekst (bindend)")
TRANSLATION_NOTICE = N_(
    "Dit is een vertaling van uw Plan Inburgering en Participatie, alleen ter informatie. "
    "Alleen de Nederlandse tekst is bindend."
)
# One note for screens and PDFs alike, so translators translate it once.
CONCEPT_TRANSLATION = UNREVIEWED_NOTE
DEMO_BANNER = N_("DEMO: fictieve gegevens, geen echt besluit")

# Section headings, in the order of the plan.
H_PERSON = N_("Persoon en doelgroep")
H_ROUTE = N_("Leerroute en taalniveau")
H_REASONING = N_("Waarom deze route")
H_EXAMS = N_("Examens en KNM")
H_MODULES = N_("PVT en MAP")
H_PARTICIPATION = N_("Participatie en duaal traject")
H_SUPPORT = N_("Ondersteuning en begeleiding")
H_PRECONDITIONS = N_("Randvoorwaarden: kinderopvang en vve")
H_PROVIDER = N_("Taalschool")
H_ONTZORGEN = N_("Ontzorgen")
H_MONITORING = N_("Voortgang")
H_DEADLINES = N_("Termijnen")
H_CONTACT = N_("Contactpersoon")
H_OBJECTION = N_("Bezwaar")
H_SIGNATURES = N_("Ondertekening")
SECTION_HEADINGS = (
    H_PERSON,
    H_ROUTE,
    H_REASONING,
    H_EXAMS,
    H_MODULES,
    H_PARTICIPATION,
    H_SUPPORT,
    H_PRECONDITIONS,
    H_PROVIDER,
    H_ONTZORGEN,
    H_MONITORING,
    H_DEADLINES,
    H_CONTACT,
    H_OBJECTION,
    H_SIGNATURES,
)

YES = N_("ja")
NO = N_("nee")
NONE = N_("geen")

# Person and target group.
L_NAME = N_("Naam")
L_BIRTH_DATE = N_("Geboortedatum")
L_TARGET_GROUP = N_("Doelgroep")
L_SUB_GROUP = N_("Subgroep")
L_BSN = N_("BSN")
L_V_NUMBER = N_("V-nummer")

# Route and level.
L_ROUTE = N_("Leerroute")
L_TARGET_LEVEL = N_("Taalniveau")
Z_ROUTE_NO_LEVEL = N_("geen taalniveau: de Z-route heeft geen taalexamens")
L_LBT = N_("Leerbaarheidstoets")
LBT_TAKEN = N_("score {score} van {max_score} (cesuur {pass_mark}), afgenomen op {date}")
L_ALFABETISERING = N_("Alfabetisering")
L_COURSE_HOURS = N_("Lesuren")
L_PARTICIPATION_HOURS = N_("Participatie-uren")

# Reasoning.
L_ADVICE = N_("Advies")
L_ADVISED_ROUTE = N_("Geadviseerde route")
L_DECIDED_ON = N_("Besloten op")
ADVICE_RULES = N_("Waarop het advies steunt:")
DEVIATES = N_("De gekozen route wijkt af van het advies. De consulent licht dat zo toe:")
MOTIVATION = N_("Toelichting van de consulent:")
ALTERNATIVES = N_("Andere routes die zijn overwogen:")
ALTERNATIVE = N_("Niet gekozen: de {route}.")
OFFICER_NOTE = N_("Toelichting van de consulent: {note}")

# Exams and KNM.
EXAMS_INTRO = N_("U doet examen op {level} in deze onderdelen:")
NO_EXAMS = N_("De Z-route heeft geen examens.")
FINAL_CONVERSATION = N_("U sluit de route af met een eindgesprek.")

# PVT and MAP.
L_PVT = N_("Participatieverklaringstraject (PVT)")
L_MAP = N_("Module Arbeidsmarkt en Participatie (MAP)")
MODULE_HOURS = N_("ten minste {min_hours} uur; gepland: {planned_hours} uur")
MODULE_PER_WEEK = N_("ongeveer {hours} uur per week")
NO_PVT = N_("Deze route heeft geen PVT.")
NO_MAP_ONDERWIJS = N_("De onderwijsroute heeft geen MAP.")
NO_MAP = N_("Deze route heeft geen MAP.")

# Participation.
L_GOAL = N_("Doel")
L_DESCRIPTION = N_("Beschrijving")
L_DUAL = N_("Duaal traject (taal leren naast werk of opleiding)")
L_ACTIVITIES = N_("Activiteiten")
L_REQUIRED_PARTICIPATION = N_("Verplichte participatie-uren")

# Support and guidance.
L_SOCIAL_GUIDANCE = N_("Maatschappelijke begeleiding")
L_ARRANGEMENTS = N_("Afspraken over ondersteuning")

# Preconditions.
L_CHILDCARE = N_("Kinderopvang nodig")
L_CHILDCARE_ARRANGEMENT = N_("Afspraak over kinderopvang")
L_VVE_INFORMATION = N_("Informatie over voorschoolse educatie (vve) gekregen")
L_VVE_CHILDREN = N_("Kinderen voor wie vve geldt")
L_OTHER_PRECONDITIONS = N_("Andere randvoorwaarden")

# Provider.
L_PROVIDER = N_("Taalschool")
L_PROVIDER_CONTACT = N_("Contact")
L_PAID_BY = N_("Keuze en betaling")

# Ontzorgen.
ONTZORGEN_INTRO = N_("De gemeente betaalt deze vaste lasten voor u uit uw bijstandsuitkering:")
L_ONTZORGEN_FROM = N_("Vanaf")
L_ONTZORGEN_DURATION = N_("Duur")
L_ONTZORGEN_REVIEW = N_("Evaluatie op")
ONTZORGEN_NO_ASSISTANCE = N_("Ontzorgen geldt nu niet: u heeft (nog) geen bijstandsuitkering.")
ONTZORGEN_NOT_REFUGEE = N_("Ontzorgen geldt alleen voor asielstatushouders.")

# Deadlines.
L_PIP_DATE = N_("Datum van dit plan")
L_TERM_START = N_("Begin van uw inburgeringstermijn")
L_TERM_END = N_("Einde van uw inburgeringstermijn")
L_REGULAR_TERM_END = N_("Einde zonder verlenging")
L_ROUTE_SWITCH = N_("Laatste dag om van route te wisselen")
EXTENSION = N_("Verlenging: {length}. Reden: {reason}")

# Contact.
L_ROLE = N_("Functie")
L_MUNICIPALITY = N_("Gemeente")
L_PHONE = N_("Telefoon")
L_EMAIL = N_("E-mail")

# Signatures.
TOGETHER = N_("Dit plan is zo veel mogelijk samen met de inburgeraar opgesteld.")
INTERPRETER = N_("tolk")
L_SIGNED_ON = N_("Datum")
L_PLACE = N_("Plaats")
L_SIGNATURE = N_("Handtekening")

# Footer and document information.
FOOTER_VERSIONS = N_("Plan versie {plan} · vragenlijst {questionnaire} · vertaling {translation}")
FOOTER_DIGEST = N_("SHA-256 van de Nederlandse inhoud: {digest}")
PAGE_OF = N_("pagina {page} van {pages}")
SOURCE_TEXT = N_("geen (Nederlandse brontekst)")
SUBJECT_BINDING = N_("Bindende Nederlandse tekst")
SUBJECT_TRANSLATION = N_("Vertaling ter informatie; alleen de Nederlandse tekst is bindend")
