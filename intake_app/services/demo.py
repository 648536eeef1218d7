"""A demo vault with fictitious newcomers, so a fresh install shows a living workspace.

Every name, number and story here is invented. BSNs are generated to pass the 11-test but come
from a made-up range; V-numbers are random. Every case is marked DEMO (``is_demo``): the list shows a
banner and plan PDFs carry the mark. ``intake-app --demo`` makes a throwaway vault that is removed
when the app closes; ``intake-app demo create --vault DIR`` writes one to keep.

The 30 cases span every status, target group and client language, with deadlines around today
(overdue, under two weeks, later), intakes with and without an LBT result, cases imported from COA
and transferred in, and closed cases of which two are past the retention period.
"""

from __future__ import annotations

import logging
import random
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from intake_app.services.case_service import NewCase, Origin
from intake_app.services.vault_service import CaseStatus, VaultSession, create_vault
from intake_app.storage import keys

log = logging.getLogger(__name__)

DEMO_OFFICER = "Demo Consulent"
DEMO_PASSPHRASE = "demo"  # public on purpose: a demo vault holds only invented people
DEMO_MUNICIPALITY = "Gemeente Voorbeeldstad (demo)"

ASYLUM, FAMILY, OTHER = "asylum_permit_holder", "family_migrant", "other_migrant"


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    sex: str
    nationality: str
    country: str
    tongue: str  # the questionnaire's mother-tongue code
    language: str  # the client language of the app (interpreter window, plan translation)
    group: str
    subgroup: str = ""


@dataclass(frozen=True)
class Scenario:
    status: CaseStatus
    pip_due_in: int | None = None  # days from today to the PIP deadline (negative: overdue)
    lbt: bool = False  # an LBT score is known
    pip_days_ago: int | None = None  # fixed PIP: how long ago its dagtekening was
    assistance_days_ago: int | None = None  # social assistance started (ontzorgen review after 6 months)
    closed_days_ago: int | None = None
    origin: Origin = Origin.NONE


PEOPLE = (
    Person("Amina", "Haddad", "female", "Syrisch", "Syrië", "ar", "ar", ASYLUM, "asylum_applicant"),
    Person("Yonas", "Tesfamariam", "male", "Eritrees", "Eritrea", "ti", "ti", ASYLUM, "asylum_applicant"),
    Person("Farid", "Rahimi", "male", "Afghaans", "Afghanistan", "prs", "fa_AF", ASYLUM, "resettled"),
    Person("Sara", "Ahmadi", "female", "Iraans", "Iran", "fa", "fa", ASYLUM, "asylum_applicant"),
    Person("Hamid", "Karimi", "male", "Afghaans", "Afghanistan", "ps", "ps", ASYLUM, "asylum_applicant"),
    Person("Hodan", "Warsame", "female", "Somalisch", "Somalië", "so", "so", ASYLUM, "subsequent_traveller"),
    Person("Mehmet", "Yılmaz", "male", "Turks", "Turkije", "tr", "tr", FAMILY, "family_formation"),
    Person("Carmen", "García López", "female", "Colombiaans", "Colombia", "es", "es", FAMILY, "family_formation"),
    Person("Jean", "Dubois-Mukendi", "male", "Congolees", "DR Congo", "fr", "fr", OTHER),
    Person("Leyla", "Demir", "female", "Turks", "Turkije", "kmr", "ku", ASYLUM, "asylum_applicant"),
    Person("Rahel", "Ghebremedhin", "female", "Eritrees", "Eritrea", "ti", "ti", ASYLUM, "subsequent_traveller"),
    Person("Omar", "Mansour", "male", "Jemenitisch", "Jemen", "ar", "ar", ASYLUM, "asylum_applicant"),
    Person("Grace", "Mensah", "female", "Ghanees", "Ghana", "en", "en", FAMILY, "family_reunification"),
    Person("Karim", "Hussein", "male", "Iraaks", "Irak", "ckb", "ckb", ASYLUM, "asylum_applicant"),
    Person("Zahra", "Hosseini", "female", "Afghaans", "Afghanistan", "prs", "fa_AF", ASYLUM, "subsequent_traveller"),
    Person("Dawit", "Berhane", "male", "Eritrees", "Eritrea", "ti", "ti", ASYLUM, "asylum_applicant"),
    Person("Maryam", "Nazari", "female", "Iraans", "Iran", "fa", "fa", FAMILY, "family_reunification"),
    Person("Samir", "Said", "male", "Syrisch", "Syrië", "ar", "ar", ASYLUM, "asylum_applicant"),
    Person("Fatima", "Mohammed", "female", "Soedanees", "Soedan", "ar", "ar", ASYLUM, "asylum_applicant"),
    Person("Abdi", "Farah", "male", "Somalisch", "Somalië", "so", "so", ASYLUM, "asylum_applicant"),
    Person("Ayşe", "Kaya", "female", "Turks", "Turkije", "tr", "tr", FAMILY, "family_reunification"),
    Person("Luis", "Martínez", "male", "Venezolaans", "Venezuela", "es", "es", FAMILY, "family_formation"),
    Person("Marie-Claire", "Laurent", "female", "Haïtiaans", "Haïti", "fr", "fr", OTHER),
    Person("Reza", "Sultani", "male", "Afghaans", "Afghanistan", "ps", "ps", ASYLUM, "asylum_applicant"),
    Person("Nour", "Al-Khatib", "female", "Syrisch", "Syrië", "ar", "nl", ASYLUM, "subsequent_traveller"),
    Person("Tesfay", "Haile", "male", "Eritrees", "Eritrea", "ti", "ti", ASYLUM, "asylum_applicant"),
    Person("Lina", "Osman", "female", "Soedanees", "Soedan", "ar", "ar", ASYLUM, "resettled"),
    Person("Ahmad", "Noori", "male", "Afghaans", "Afghanistan", "prs", "fa_AF", ASYLUM, "asylum_applicant"),
    Person("Meron", "Abraha", "female", "Eritrees", "Eritrea", "ti", "ti", ASYLUM, "asylum_applicant"),
    Person("Yusuf", "Ali", "male", "Somalisch", "Somalië", "so", "so", ASYLUM, "asylum_applicant"),
)
S = CaseStatus
SCENARIOS = (
    Scenario(S.NEW, pip_due_in=58, origin=Origin.COA_IMPORT),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=-9, lbt=True),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=4),
    Scenario(S.DRAFT_PIP, pip_due_in=9, lbt=True),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=23, lbt=True),
    Scenario(S.NEW, pip_due_in=64, origin=Origin.COA_IMPORT),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=12),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=120),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=31, lbt=True),
    Scenario(S.DRAFT_PIP, pip_due_in=-3, lbt=True),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=200, assistance_days_ago=172),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=6, lbt=True),
    Scenario(S.CLOSED, lbt=True, pip_days_ago=1300, closed_days_ago=900),
    Scenario(S.NEW, pip_due_in=68),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=60, assistance_days_ago=190),
    Scenario(S.TRANSFERRED, lbt=True, pip_days_ago=90, closed_days_ago=20),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=-21),
    Scenario(S.DRAFT_PIP, pip_due_in=17, lbt=True),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=530),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=40, lbt=True, origin=Origin.TRANSFER_IN),
    Scenario(S.CLOSED, lbt=True, pip_days_ago=1200, closed_days_ago=800),
    Scenario(S.DRAFT_PIP, pip_due_in=2, lbt=True),
    Scenario(S.NEW, pip_due_in=70),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=300, origin=Origin.TRANSFER_IN),
    Scenario(S.INTAKE_IN_PROGRESS, pip_due_in=13),
    Scenario(S.CLOSED, lbt=True, pip_days_ago=700, closed_days_ago=45),
    Scenario(S.DRAFT_PIP, pip_due_in=26, lbt=True),
    Scenario(S.PIP_FIXED, lbt=True, pip_days_ago=30),
    Scenario(S.TRANSFERRED, pip_due_in=None, closed_days_ago=5),
    Scenario(S.CLOSED, lbt=False, closed_days_ago=10),
)
_AZC = ("AZC Budel-Cranendonck, Maarheezerweg 16, Budel", "AZC Ter Apel, Weiteveenseweg 200, Ter Apel",
        "AZC Zweeloo, Kerkweg 4, Zweeloo", "AZC Gilze, Generaal Maczekstraat 1, Gilze")
_JOBS = (
    ("Kapper", "trade"), ("Lasser", "manufacturing"), ("Verpleegkundige", "care"), ("Boekhouder", "administration"),
    ("Chauffeur", "transport"), ("Kok", "hospitality"), ("Leraar wiskunde", "education"),
    ("Elektricien", "construction"), ("Naaister", "manufacturing"), ("Landbouwer", "agriculture"),
    ("Programmeur", "ict"), ("Verkoper", "trade"),
)
_EDUCATION = ("primary", "lower_secondary", "upper_secondary", "vocational", "bachelor", "master")


def fictitious_bsn(rng: random.Random) -> str:
    """A 9-digit number that passes the 11-test (invented: never look one up)."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(last)


def _iso(day: date) -> str:
    return day.isoformat()


class _Builder:
    """The answers of one fictitious case, as far as its intake has come."""

    def __init__(self, person: Person, scenario: Scenario, index: int, today: date, rng: random.Random) -> None:
        self.person, self.scenario, self.today, self.rng, self.index = person, scenario, today, rng, index
        self.answers: dict[tuple[str, str], Any] = {}

    def put(self, question: str, value: Any, entry: str = "") -> None:
        self.answers[(question, entry)] = value

    def entry(self, group: str, values: dict[str, Any]) -> None:
        entry = uuid.UUID(int=self.rng.getrandbits(128)).hex
        entries = self.answers.setdefault((group, ""), [])
        entries.append(entry)
        for question, value in values.items():
            self.put(question, value, entry)

    def start_date(self) -> date:
        """The DUO notification: the PIP is due ten weeks later."""
        scenario = self.scenario
        if scenario.pip_due_in is not None:
            return self.today + timedelta(days=scenario.pip_due_in - 70)
        if scenario.pip_days_ago is not None:
            return self.today - timedelta(days=scenario.pip_days_ago + 50)
        return self.today - timedelta(days=60 + 7 * self.index)

    def build(self) -> dict[tuple[str, str], Any]:
        self.person_domain()
        if self.scenario.status is not S.NEW:
            self.language_domain()
            self.education_and_work()
        if self.scenario.status not in (S.NEW, S.INTAKE_IN_PROGRESS) or self.index % 3 == 0:
            self.health_and_finances()
        if self.scenario.status not in (S.NEW, S.INTAKE_IN_PROGRESS):
            self.ambitions_and_conversations()
        return self.answers

    def person_domain(self) -> None:
        p, rng, start = self.person, self.rng, self.start_date()
        refugee = p.group == ASYLUM
        self.put("family_name", p.family)
        self.put("given_names", p.given)
        birth = date(self.today.year - rng.randint(19, 58), rng.randint(1, 12), rng.randint(1, 28))
        self.put("date_of_birth", _iso(birth))
        self.put("sex", p.sex)
        self.put("bsn", fictitious_bsn(rng))
        self.put("v_number", "".join(str(rng.randint(0, 9)) for _ in range(10)))
        self.put("nationality", p.nationality)
        self.put("country_of_birth", p.country)
        self.put("target_group", p.group)
        if refugee:
            self.put("refugee_subgroup", p.subgroup)
        elif p.group == FAMILY:
            self.put("family_migrant_subgroup", p.subgroup)
            self.put("sponsor_relationship", "partner")
        else:
            kind = "Geestelijk bedienaar" if p.sex == "male" else "Partner van een kennismigrant"
            self.put("other_migrant_description", kind)
        self.put("residence_permit_start_date", _iso(start - timedelta(days=35)))
        self.put("duo_notification_date", _iso(start))
        if refugee:
            self.put("municipality_link_date", _iso(start - timedelta(days=2)))
            self.put("coa_profile_received", "yes")
            self.put("warm_handover_held", "yes" if self.index % 2 else "no")
            in_azc = self.scenario.status in (S.NEW, S.INTAKE_IN_PROGRESS)
            self.put("lives_in_azc", "yes" if in_azc else "no")
            if in_azc:
                self.put("azc_location", _AZC[self.index % len(_AZC)])
                self.put("azc_contact_person", "M. de Boer (COA)")
                self.put("azc_contact_phone", "088 715 7000")
        else:
            self.put("brp_registration_date", _iso(start - timedelta(days=12)))
        self.put("phone_number", f"06 {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}")
        self.put("has_digid", "yes" if self.scenario.status is not S.NEW else "no")
        married = self.index % 3 != 1
        self.put("marital_status", "married" if married else "single")
        if married:
            self.put("partner_in_netherlands", "yes" if self.index % 4 else "no")
        children = self.index % 4
        self.put("has_children", "yes" if children else "no")
        self.put("household_size", 1 + int(married) + children)
        for n in range(children):
            self.entry("children", {"child_date_of_birth": _iso(date(self.today.year - 2 - 3 * n, 3 + n, 10 + n)),
                                    "child_lives_with_client": "yes"})
        self.put("mother_tongues", [p.tongue])

    def language_domain(self) -> None:
        rng, schooled = self.rng, self.index % 5 != 4
        self.put("literate_own_script", "yes" if schooled else "no")
        if schooled:
            own = {"ar": "arabic", "fa": "arabic", "prs": "arabic", "ps": "arabic", "ckb": "arabic", "ti": "ethiopic"}
            self.put("own_script", own.get(self.person.tongue, "latin"))
        latin = schooled and (self.person.tongue in ("es", "fr", "en", "tr", "kmr", "so") or self.index % 2 == 0)
        self.put("literate_latin_script", "yes" if latin else "no")
        if not latin:
            self.put("literacy_need", "latin_script" if schooled else "full_literacy")
        self.put("dutch_level_speaking", rng.choice(("none", "a1", "a1", "a2")))
        self.put("dutch_level_writing", rng.choice(("none", "a1")))
        self.put("english_level", "fluent" if self.person.tongue == "en" else rng.choice(("none", "basic", "good")))
        self.put("digital_skills", rng.choice(("smartphone", "computer_basic", "computer_good")))
        if self.scenario.lbt:
            test = self.start_date() + timedelta(days=20)
            test = min(test, self.today - timedelta(days=1))
            score = rng.randint(14, 38) if schooled else rng.randint(8, 22)
            self.put("lbt_status", "done")
            self.put("lbt_date", _iso(test))
            self.put("lbt_score", score)
            self.put("lbt_outcome", "b1_feasible" if score >= 28 else "b1_not_feasible")
            self.put("lbt_supervisor", "Taalhuis Voorbeeldstad")
        else:
            self.put("lbt_status", "planned")
            self.put("lbt_planned_date", _iso(self.today + timedelta(days=7 + self.index % 10)))

    def education_and_work(self) -> None:
        rng = self.rng
        schooled = self.index % 5 != 4
        self.put("has_education", "yes" if schooled else "no")
        if schooled:
            level = _EDUCATION[self.index % len(_EDUCATION)]
            self.put("years_of_schooling", {"primary": 6, "lower_secondary": 9}.get(level, 12 + rng.randint(0, 4)))
            self.entry("educations", {"education_level": level, "education_country": self.person.country,
                                      "education_years": rng.randint(2, 6), "education_completed": "yes"})
        occupation, sector = _JOBS[self.index % len(_JOBS)]
        self.put("has_work_experience", "yes")
        self.entry("jobs", {"job_occupation": occupation, "job_sector": sector, "job_country": self.person.country,
                            "job_start_year": self.today.year - 12 + self.index % 5,
                            "job_end_year": self.today.year - 2 - self.index % 3, "job_employment_type": "employed"})
        self.put("works_in_netherlands", "no")
        self.put("uaf_contact", "none")
        if self.person.group == ASYLUM:
            self.put("has_driving_licence", "yes" if self.index % 3 == 0 else "no")

    def health_and_finances(self) -> None:
        self.put("health_physical", "some" if self.index % 7 == 0 else "none")
        self.put("health_mental", "some" if self.index % 5 == 0 else "none")
        self.put("health_limitations", ["hearing"] if self.index % 9 == 0 else ["none"])
        self.put("health_limitations_affect_learning", "no")
        self.put("gca_consent", "not_asked")
        self.put("health_route_impact", "none")
        assistance = self.scenario.assistance_days_ago
        if self.person.group == ASYLUM:
            started = self.today - timedelta(days=assistance if assistance is not None else 40 + self.index)
            self.put("social_assistance", "receiving")
            self.put("social_assistance_start_date", _iso(started))
            self.put("ontzorgen_start_date", _iso(started))
            self.put("ontzorgen_duration_months", 6)
            for item in ("ontzorgen_rent", "ontzorgen_energy", "ontzorgen_water", "ontzorgen_health_insurance"):
                self.put(item, "yes")
        else:
            self.put("social_assistance", "none")
        self.put("other_income", ["partner"] if self.person.group == FAMILY else ["none"])
        self.put("has_bank_account", "yes")
        self.put("financial_self_reliance", "some_support")

    def ambitions_and_conversations(self) -> None:
        occupation, _sector = _JOBS[self.index % len(_JOBS)]
        self.put("main_goal", "paid_work" if self.index % 4 else "work_and_study")
        self.put("desired_occupation", occupation)
        self.put("study_ambition", "vocational" if self.index % 4 == 0 else "none")
        self.put("availability_hours", 24 + self.index % 12)
        self.put("dual_trajectory_interest", "yes" if self.index % 2 else "no")
        first = self.start_date() + timedelta(days=14)
        for number in range(2):
            day = min(first + timedelta(days=14 * number), self.today - timedelta(days=1))
            interpreter = self.person.language not in ("nl", "en")
            values = {"conversation_date": _iso(day), "conversation_location": "town_hall",
                      "conversation_mode": "in_person", "interpreter_used": "yes" if interpreter else "no"}
            if interpreter:
                values |= {"interpreter_language": self.person.tongue,
                           "interpreter_mode": "phone" if number else "in_person"}
            self.entry("conversations", values)
        if self.answers.get(("marital_status", "")) == "married":
            self.put("one_to_one_offered", "yes")
            self.put("one_to_one_held", "held")
        if self.answers.get(("has_children", "")) == "yes":
            self.put("vve_information_given", "yes")


def fill_demo_cases(session: VaultSession, count: int = 30, seed: int = 2026, *, today: date | None = None,
                    with_plans: bool = True) -> list[str]:
    """Create ``count`` fictitious cases (at most 30 distinct; more repeat the pattern)."""
    rng = random.Random(seed)
    today = today or date.today()
    case_ids: list[str] = []
    for index in range(count):
        person, scenario = PEOPLE[index % len(PEOPLE)], SCENARIOS[index % len(SCENARIOS)]
        answers = _Builder(person, scenario, index, today, rng).build()
        pip_date = _iso(today - timedelta(days=scenario.pip_days_ago)) if scenario.pip_days_ago is not None else None
        closed_at = None
        if scenario.closed_days_ago is not None:
            closed = datetime.now(UTC) - timedelta(days=scenario.closed_days_ago)
            closed_at = closed.isoformat(timespec="microseconds")
        status = scenario.status
        days_ago = scenario.closed_days_ago if scenario.closed_days_ago is not None else (index * 7) % 23
        updated = datetime.now(UTC) - timedelta(days=days_ago, hours=(index * 5) % 9, minutes=index * 7 % 60)
        case_id, _ = session.cases.create(NewCase(
            answers=list(answers.items()), status=status, client_language=person.language,
            origin=scenario.origin.value,
            origin_detail={Origin.COA_IMPORT: "COA (demo)", Origin.TRANSFER_IN: "Gemeente Elders (demo)"}.get(
                scenario.origin, ""),
            pip_date=pip_date, is_demo=True, closed_at=closed_at, updated_at=updated.isoformat(timespec="microseconds"),
            closed_from_status=S.PIP_FIXED.value if closed_at and pip_date else (S.INTAKE_IN_PROGRESS.value
                                                                                  if closed_at else None),
        ))
        if with_plans and status in (S.DRAFT_PIP, S.PIP_FIXED):
            _add_plan(session, case_id, fix=status is S.PIP_FIXED,
                      on=today - timedelta(days=scenario.pip_days_ago or 1))
        case_ids.append(case_id)
    session.cases.refresh(case_ids, today)
    return case_ids


def _add_plan(session: VaultSession, case_id: str, *, fix: bool, on: date) -> None:
    """A real plan version through the plan service, so the plan step shows something. Best effort:
    the demo never fails over it (the case then shows its status without a plan)."""
    try:
        from intake_app.services import plan_service

        plan = plan_service.open_plan(session, case_id, on)
        if plan.advice is None or plan.advice.proposed_route is None:
            return
        proposal = plan_service.build_plan(
            plan, plan.advice.proposed_route, on=on,
            extras=plan_service.PlanExtras(provider_name="Taalschool De Brug (demo)", municipality=DEMO_MUNICIPALITY),
        )
        plan_service.save_plan(session, plan, proposal, fix=fix, today=on)
    except Exception as error:  # the plan service is someone else's and still changing
        log.warning("demo plan not made: %s", type(error).__name__)


def create_demo_vault(folder: Path, passphrase: str, officer: str = DEMO_OFFICER, *, count: int = 30,
                      kdf: keys.KdfParams | None = None, with_plans: bool = True) -> list[str]:
    """A demo vault to keep (``intake-app demo create``); refuses a folder that holds a vault."""
    session = create_vault(folder, officer, passphrase, kdf=kdf)
    try:
        return fill_demo_cases(session, count, with_plans=with_plans)
    finally:
        session.lock()


@dataclass
class DemoVault:
    folder: Path
    officer: str = DEMO_OFFICER
    passphrase: str = DEMO_PASSPHRASE

    @classmethod
    def create(cls, folder: Path | None = None, count: int = 30, *, with_plans: bool = False) -> DemoVault:
        """A throwaway demo vault. Without plan versions by default: rendering their PDFs would keep
        ``intake-app --demo`` from starting for seconds (``demo create`` includes them)."""
        folder = folder or Path(tempfile.mkdtemp(prefix="intake-demo-")) / "vault"
        create_demo_vault(folder, DEMO_PASSPHRASE, count=count, kdf=keys.KdfParams.FAST_FOR_TESTS,
                          with_plans=with_plans)
        return cls(folder)

    def remove(self) -> None:
        shutil.rmtree(self.folder.parent if self.folder.parent.name.startswith("intake-demo-")
                      else self.folder, ignore_errors=True)
