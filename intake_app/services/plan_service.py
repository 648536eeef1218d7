"""From the intake's answers to route advice, the PIP and its versions in the vault, for UI and CLI.

Only *relevant* answers count (``Interview.relevant_answers``): an answer the officer gave before
switching the target group, say, never reaches the plan. The mapping from question ids and choice
values (``forms/brede_intake.toml``) to the plan's vocabulary lives here, in one place.

Saving follows the law's rhythm: "Concept opslaan" and "Vaststellen" each append version N+1 with
its dagtekening (nothing is overwritten); once a version is fixed, a new one is an amendment for one
of the three legal reasons. The Dutch PDF and the client's translation are stored with each version;
a PDF reaches the disk only through :func:`export_pdf`, which leaves an ``export`` audit entry.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import typing
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any, Final, Union

from intake_app.forms import AnswerKey, AnswerValue, Form, Interview, load_intake_form
from intake_app.i18n import N_, Catalog
from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.plan import (
    AdviceInput,
    AdviceStatus,
    AmendmentReason,
    CaseDates,
    ContactPerson,
    EducationLevel,
    InburgeringTerm,
    LbtResult,
    Literacy,
    OfficerAssessment,
    ParticipationPlan,
    PersonDetails,
    PipContent,
    PipDeadline,
    PlanAmendment,
    PlanDates,
    PlanFacts,
    PlanPolicy,
    PlanValidationError,
    Preconditions,
    Provider,
    Route,
    RouteAdvice,
    RouteDecision,
    SocialAssistance,
    StartEventDates,
    TargetGroup,
    advise_route,
    build_pip_content,
    decide_route,
    inburgering_term,
    last_route_switch_date,
    move_to_municipality,
    next_deadline,
    ontzorgen_review_date,
    pip_deadline,
    step_down_to_a2,
    switch_route,
)
from intake_app.plan import content as c
from intake_app.plan.amendments import StepDownEvidence
from intake_app.plan.enums import LanguageLevel, LbtStatus
from intake_app.plan.text import ParamValue
from intake_app.services.vault_service import VaultSession
from intake_app.storage.plans import PlanDocumentRecord, PlanVersionRecord, VersionState

__all__ = [
    "AmendmentReason",
    "CasePlan",
    "PlanDeadlines",
    "PlanExtras",
    "PlanProposal",
    "PlanValidationError",
    "PlanVersionInfo",
    "Route",
    "VersionState",
    "advice_for",
    "advice_input_from_answers",
    "build_plan",
    "export_pdf",
    "open_plan",
    "pdf_for_version",
    "plan_facts_from_answers",
    "preview_pdf",
    "save_plan",
]

NO_PLAN_YET = N_("Dit dossier heeft nog geen plan. Stel eerst een plan op in de app (stap Plan).")
ANSWERS_MISSING = N_("Voor het route-advies ontbreken nog deze antwoorden: {questions}.")
UNKNOWN_LANGUAGE = N_("Onbekende taal ‘{language}’. Kies uit: {languages}.")
AMENDMENT_REASON_NEEDED = N_(
    "Dit plan is al vastgesteld. Kies de wettelijke reden van de wijziging: wijziging van de "
    "leerroute, afschalen naar A2 of verhuizing naar een andere gemeente."
)
MOVE_KEEPS_ROUTE = N_("Bij een verhuizing blijft de route gelijk; een andere route is een wijziging van de leerroute.")
STEP_DOWN_KEEPS_ROUTE = N_("Afschalen naar A2 gebeurt binnen de B1-route: kies de B1-route.")
PROVIDER_TO_CHOOSE = N_("nog te kiezen")

_TARGET_GROUPS: Final = {
    "asylum_permit_holder": TargetGroup.ASIELSTATUSHOUDER,
    "family_migrant": TargetGroup.GEZINSMIGRANT,
    "other_migrant": TargetGroup.OVERIGE_MIGRANT,
}
_EDUCATION: Final = {
    "primary": EducationLevel.PRIMARY,
    "lower_secondary": EducationLevel.LOWER_SECONDARY,
    "upper_secondary": EducationLevel.UPPER_SECONDARY,
    "vocational": EducationLevel.VOCATIONAL,
    "bachelor": EducationLevel.BACHELOR,
    "master": EducationLevel.MASTER,
}
# "unknown" is not "cannot read": it counts as limited, so alfabetisering stays in view.
_LITERACY: Final = {"yes": Literacy.LITERATE, "no": Literacy.NONE, "unknown": Literacy.LIMITED}
_STUDY_AMBITIONS: Final = frozenset({"vocational", "higher_professional", "university"})
_GOALS: Final = {
    "paid_work": c.ParticipationGoal.PAID_WORK,
    "work_and_study": c.ParticipationGoal.WORK_AND_STUDY,
    "study": c.ParticipationGoal.STUDY,
    "entrepreneurship": c.ParticipationGoal.ENTREPRENEURSHIP,
    "volunteering": c.ParticipationGoal.VOLUNTEERING,
}
_ONTZORGEN_ITEMS: Final = {
    "ontzorgen_rent": c.OntzorgenItem.RENT,
    "ontzorgen_energy": c.OntzorgenItem.ENERGY,
    "ontzorgen_water": c.OntzorgenItem.WATER,
    "ontzorgen_health_insurance": c.OntzorgenItem.HEALTH_INSURANCE,
    "ontzorgen_municipal_taxes": c.OntzorgenItem.MUNICIPAL_TAXES,
}
# Help the newcomer asked for: the question's officer label goes into the plan's support section.
_SUPPORT_QUESTIONS: Final = ("digid_help_needed", "cv_help_needed", "buddy_wanted", "debt_help_referral",
                             "budget_coaching")


# --- reading the answers ------------------------------------------------------------------------


class _Answers:
    """The relevant answers of one intake on a reference date, with typed getters."""

    def __init__(self, form: Form, answers: Mapping[Any, AnswerValue], reference_date: date) -> None:
        self.form = form
        self.interview = Interview(form, {AnswerKey(*key): value for key, value in answers.items()},
                                   reference_date=reference_date)
        self.values = self.interview.relevant_answers()

    def get(self, question_id: str, entry_id: str = "") -> AnswerValue | None:
        return self.values.get(AnswerKey(question_id, entry_id))

    def text(self, question_id: str, entry_id: str = "") -> str:
        value = self.get(question_id, entry_id)
        return value.strip() if isinstance(value, str) else ""

    def date(self, question_id: str, entry_id: str = "") -> date | None:
        value = self.get(question_id, entry_id)
        try:
            return date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def integer(self, question_id: str) -> int | None:
        value = self.get(question_id)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def yes(self, question_id: str, entry_id: str = "") -> bool:
        return self.get(question_id, entry_id) == "yes"

    def choice_label(self, question_id: str) -> str:
        value = self.get(question_id)
        labels = {choice.value: choice.label for choice in self.form.question(question_id).options}
        return labels.get(value, "") if isinstance(value, str) else ""

    def choice_labels(self, question_id: str) -> tuple[str, ...]:
        value = self.get(question_id)
        labels = {choice.value: choice.label for choice in self.form.question(question_id).options}
        return tuple(labels[item] for item in value if item in labels) if isinstance(value, list) else ()

    def entries(self, group_id: str) -> tuple[str, ...]:
        return self.interview.entries(group_id) if self.get(group_id) is not None else ()


def _missing(answers: _Answers, question_ids: list[str]) -> PlanValidationError:
    labels = ", ".join(answers.form.question(question_id).label for question_id in question_ids)
    return PlanValidationError("plan.answers_missing", ANSWERS_MISSING, questions=labels)


def _lbt(answers: _Answers) -> tuple[LbtResult, list[str]]:
    status = answers.get("lbt_status")
    if status == "not_done_sensory":
        return LbtResult.skipped_sensory(), []
    if status != "done":  # planned, not done for another reason, or not asked yet: no result
        return LbtResult.not_taken(), []
    score, test_date = answers.integer("lbt_score"), answers.date("lbt_date")
    if score is None or test_date is None:
        return LbtResult.not_taken(), [q for q, v in (("lbt_score", score), ("lbt_date", test_date)) if v is None]
    return LbtResult.taken(score, test_date), []


def _officer_view(answers: _Answers, lbt: LbtResult) -> OfficerAssessment | None:
    """The officer's own judgement of learnability (``lbt_outcome``) where it adds something: after a
    skipped test, or when it departs from the test result (then it comes with its motivation)."""
    outcome = answers.get("lbt_outcome")
    suggested = {"b1_feasible": Route.B1, "b1_not_feasible": Route.Z}.get(outcome) if isinstance(outcome, str) else None
    if suggested is None:
        return None
    if lbt.status is LbtStatus.SKIPPED_SENSORY:
        note = answers.text("lbt_not_done_reason")
    else:
        note = answers.text("lbt_outcome_motivation")
    return OfficerAssessment(suggested, note) if note else None


def _education(answers: _Answers) -> EducationLevel:
    highest = answers.interview.computed_value("highest_education_level")
    return _EDUCATION.get(highest, EducationLevel.NONE) if isinstance(highest, str) else EducationLevel.NONE


def advice_input_from_answers(
    answers: Mapping[Any, AnswerValue], reference_date: date, *, form: Form | None = None,
    officer: OfficerAssessment | None = None,
) -> AdviceInput:
    """The facts the route advice reads. Raises :class:`PlanValidationError` naming missing answers.

    ``officer`` replaces the assessment derived from the LBT outcome (the plan step's own view).
    """
    return _advice_input(_Answers(form or load_intake_form(), answers, reference_date), reference_date, officer)


def _advice_input(answers: _Answers, reference_date: date, officer: OfficerAssessment | None) -> AdviceInput:
    target_group = _TARGET_GROUPS.get(str(answers.get("target_group")))
    birth = answers.date("date_of_birth")
    lbt, missing = _lbt(answers)
    own, latin = _LITERACY.get(str(answers.get("literate_own_script"))), _LITERACY.get(
        str(answers.get("literate_latin_script")))
    ambition = answers.get("study_ambition")
    required: dict[str, object] = {
        "target_group": target_group, "date_of_birth": birth, "literate_own_script": own,
        "literate_latin_script": latin, "has_education": answers.get("has_education"), "study_ambition": ambition,
    }
    missing = [question for question, value in required.items() if value is None] + missing
    if missing:
        raise _missing(answers, missing)
    assert target_group is not None and birth is not None and own is not None and latin is not None
    return AdviceInput(
        target_group=target_group,
        date_of_birth=birth,
        reference_date=reference_date,
        lbt=lbt,
        education_level=_education(answers),
        study_ambition=ambition in _STUDY_AMBITIONS,
        literacy_own_script=own,
        literacy_latin_script=latin,
        health_limits_learning=answers.yes("health_limitations_affect_learning"),
        officer=officer if officer is not None else _officer_view(answers, lbt),
    )


def advice_for(
    answers: Mapping[Any, AnswerValue], reference_date: date, *, form: Form | None = None,
    policy: PlanPolicy | None = None, officer: OfficerAssessment | None = None,
) -> RouteAdvice:
    """Route advice from a case's stored answers (``{(question_id, entry_id): value}``) on a date."""
    advice_input = advice_input_from_answers(answers, reference_date, form=form, officer=officer)
    return advise_route(advice_input, (policy or PlanPolicy()).advice)


# --- the plan's other facts ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlanExtras:
    """What the plan needs that the intake does not ask: the school and the municipality's contact."""

    provider_name: str = ""
    provider_contact: str = ""
    municipality: str = ""
    officer_phone: str = ""
    officer_email: str = ""


def plan_facts_from_answers(
    answers: Mapping[Any, AnswerValue], reference_date: date, officer: str, extras: PlanExtras = PlanExtras(),
    *, form: Form | None = None,
) -> PlanFacts:
    return _plan_facts(_Answers(form or load_intake_form(), answers, reference_date), officer, extras)


def _plan_facts(answers: _Answers, officer: str, extras: PlanExtras) -> PlanFacts:
    name = " ".join(part for part in (answers.text("given_names"), answers.text("family_name")) if part)
    sub_group = (answers.choice_label("refugee_subgroup") or answers.choice_label("family_migrant_subgroup")
                 or answers.text("other_migrant_description"))
    goal = _GOALS.get(str(answers.get("main_goal")), c.ParticipationGoal.OTHER)
    description = answers.text("main_goal_explanation") or answers.text("desired_occupation")
    vve_children = tuple(
        f"kind geboren op {answers.text('child_date_of_birth', entry)}"
        for entry in answers.entries("children")
        if answers.get("child_vve", entry) is not None
    )
    return PlanFacts(
        person=PersonDetails(name, sub_group, answers.text("bsn") or None, answers.text("v_number") or None),
        participation=ParticipationPlan(goal, description, answers.yes("dual_trajectory_interest"),
                                        answers.choice_labels("participation_activities")),
        provider=Provider(extras.provider_name.strip() or PROVIDER_TO_CHOOSE, extras.provider_contact.strip()),
        contact=ContactPerson(officer, extras.municipality.strip(), extras.officer_phone, extras.officer_email),
        support_arrangements=tuple(
            answers.form.question(question).label for question in _SUPPORT_QUESTIONS if answers.yes(question)
        ),
        preconditions=Preconditions(
            childcare_needed=answers.yes("childcare_needed_for_course"),
            vve_information_given=answers.yes("vve_information_given"),
            vve_children=vve_children,
        ),
        social_assistance=_social_assistance(answers),
    )


def _social_assistance(answers: _Answers) -> SocialAssistance | None:
    if answers.get("social_assistance") != "receiving":
        return None
    start = answers.date("ontzorgen_start_date") or answers.date("social_assistance_start_date")
    if start is None:
        return None
    items = frozenset(item for question, item in _ONTZORGEN_ITEMS.items() if answers.yes(question))
    return SocialAssistance(start, items)


@dataclass(frozen=True)
class PlanDeadlines:
    """What the plan step shows: the PIP due date (if known) and the dates that follow from the PIP."""

    pip_due: PipDeadline | None
    pip_date: date
    term: InburgeringTerm
    route_switch_last_day: date
    ontzorgen_review: date | None


def _start_events(answers: _Answers) -> StartEventDates:
    return StartEventDates(answers.date("duo_notification_date"), answers.date("brp_registration_date"),
                           answers.date("municipality_link_date"))


def _deadlines(answers: _Answers, target_group: TargetGroup, pip_date: date, policy: PlanPolicy) -> PlanDeadlines:
    term = inburgering_term(pip_date, (), policy.deadlines)
    assistance = _social_assistance(answers)
    return PlanDeadlines(
        pip_due=pip_deadline(target_group, _start_events(answers), (), policy.deadlines),
        pip_date=pip_date,
        term=term,
        route_switch_last_day=last_route_switch_date(term.start, policy.deadlines),
        ontzorgen_review=(
            ontzorgen_review_date(assistance.start, policy.deadlines)
            if assistance is not None and target_group.is_refugee else None
        ),
    )


# --- a case's plan: open, build, save -------------------------------------------------------------


@dataclass(frozen=True)
class PlanVersionInfo:
    number: int
    dagtekening: date
    route: Route
    state: VersionState
    amendment_reason: AmendmentReason | None
    created_by: str
    created_at: str
    motivation: str
    extras: PlanExtras


@dataclass(frozen=True)
class CasePlan:
    """One case seen from the plan step: the advice (or why there is none yet) and the versions."""

    case_id: str
    display_name: str
    client_language: str
    is_demo: bool
    reference_date: date
    advice: RouteAdvice | None
    advice_error: PlanValidationError | None
    versions: tuple[PlanVersionInfo, ...]
    officer: str
    _answers: _Answers = dataclasses.field(repr=False, compare=False)

    @property
    def latest(self) -> PlanVersionInfo | None:
        return self.versions[-1] if self.versions else None

    @property
    def fixed_version(self) -> PlanVersionInfo | None:
        fixed = [version for version in self.versions if version.state is VersionState.FIXED]
        return fixed[-1] if fixed else None

    @property
    def form_version(self) -> str:
        return self._answers.form.version

    def deadlines(self, pip_date: date, policy: PlanPolicy | None = None) -> PlanDeadlines | None:
        if self.advice is None:
            return None
        return _deadlines(self._answers, self.advice.input.target_group, pip_date, policy or PlanPolicy())


def open_plan(
    session: VaultSession, case_id: str, reference_date: date, *, officer_view: OfficerAssessment | None = None,
    policy: PlanPolicy | None = None,
) -> CasePlan:
    """Read the case's answers and versions and advise a route as of ``reference_date``."""
    summary = session.case(case_id)
    answers = _Answers(load_intake_form(), session.answers(case_id), reference_date)
    advice: RouteAdvice | None = None
    error: PlanValidationError | None = None
    try:
        advice = advise_route(_advice_input(answers, reference_date, officer_view), (policy or PlanPolicy()).advice)
    except PlanValidationError as problem:
        error = problem
    return CasePlan(
        case_id=case_id, display_name=summary.display_name, client_language=summary.client_language,
        is_demo=summary.is_demo, reference_date=reference_date, advice=advice, advice_error=error,
        versions=tuple(_info(record) for record in session.plan_versions(case_id)), officer=session.officer,
        _answers=answers,
    )


@dataclass(frozen=True)
class PlanProposal:
    """A decision and the plan built on it, ready to preview or to save as the next version."""

    decision: RouteDecision
    content: PipContent
    extras: PlanExtras
    amendment: PlanAmendment | None = None


def build_plan(
    plan: CasePlan, route: Route, *, on: date, motivation: str = "", extras: PlanExtras = PlanExtras(),
    amendment_reason: AmendmentReason | None = None, fixed_content: PipContent | None = None,
    step_down: StepDownEvidence | None = None, policy: PlanPolicy | None = None,
) -> PlanProposal:
    """Decide ``route`` on ``on`` and build the plan. Raises :class:`PlanValidationError` (Dutch).

    After a fixed version the plan can only be amended: ``amendment_reason`` is then required and
    ``fixed_content`` (the fixed plan) keeps the inburgeringstermijn where it was.
    """
    policy = policy or PlanPolicy()
    if plan.advice is None:
        raise plan.advice_error or PlanValidationError("plan.no_advice", NO_PLAN_YET)
    decision = decide_route(plan.advice, route, decided_on=on, motivation=motivation, policy=policy.decision)
    number = (plan.latest.number if plan.latest else 0) + 1
    facts = _plan_facts(plan._answers, plan.officer, extras)
    content = build_pip_content(facts, decision, PlanDates(on), policy, version=number)
    fixed = plan.fixed_version
    if fixed is None:
        return PlanProposal(decision, content, extras)
    if amendment_reason is None:
        raise PlanValidationError("plan.amendment_reason_missing", AMENDMENT_REASON_NEEDED)
    if fixed_content is None:
        raise ValueError("an amendment needs the fixed plan's content")
    if amendment_reason is AmendmentReason.ROUTE_SWITCH:
        amendment = switch_route(fixed.route, route, on=on, term_start=fixed_content.deadlines.term_start,
                                 motivation=motivation, deadline_policy=policy.deadlines, policy=policy.amendments)
    elif amendment_reason is AmendmentReason.MUNICIPALITY_MOVE:
        if route is not fixed.route:
            raise PlanValidationError("plan.move_keeps_route", MOVE_KEEPS_ROUTE)
        amendment = move_to_municipality(extras.municipality, on=on, motivation=motivation, policy=policy.amendments)
    else:
        if route is not Route.B1:
            raise PlanValidationError("plan.step_down_keeps_route", STEP_DOWN_KEEPS_ROUTE)
        amendment = step_down_to_a2(
            fixed.route, fixed_content.route.target_level,
            step_down or StepDownEvidence(course_hours_followed=0, effort_demonstrated=False, effort_description=""),
            on=on, motivation=motivation, policy=policy.amendments,
        )
        # Same route, lower target: the exams aim at A2 from now on.
        content = replace(
            content,
            route=replace(content.route, target_level=LanguageLevel.A2),
            exams=replace(content.exams, target_level=LanguageLevel.A2),
        )
    # An amendment does not restart the three years: the term stays that of the fixed plan.
    return PlanProposal(decision, replace(content, deadlines=fixed_content.deadlines), extras, amendment)


def save_plan(
    session: VaultSession, plan: CasePlan, proposal: PlanProposal, *, fix: bool, today: date | None = None,
    policy: PlanPolicy | None = None,
) -> PlanVersionInfo:
    """Append the proposal as version N+1 (concept or fixed) with the Dutch and the client's PDF."""
    policy = policy or PlanPolicy()
    state = VersionState.FIXED if fix else VersionState.CONCEPT
    content = proposal.content
    decision_json = json.dumps(
        {
            "state": state.value,
            "decision": _encode(proposal.decision, RouteDecision),
            "amendment": _encode(proposal.amendment, PlanAmendment | None),
            "extras": dataclasses.asdict(proposal.extras),
        },
        ensure_ascii=False, sort_keys=True,
    )
    content_json = json.dumps(_encode(content, PipContent), ensure_ascii=False, sort_keys=True)
    target_group = content.person.target_group
    assistance = plan._answers.date("ontzorgen_start_date") or plan._answers.date("social_assistance_start_date")
    case_dates = CaseDates(
        target_group=target_group, start_events=_start_events(plan._answers),
        pip_date=content.deadlines.pip_date if fix or plan.fixed_version else None,
        social_assistance_start=assistance if content.ontzorgen is not None else None,
    )
    upcoming = next_deadline(case_dates, today or date.today(), policy.deadlines)
    record = session.save_plan_version(
        plan.case_id, number=content.version, state=state, dagtekening=content.pip_date,
        route=proposal.decision.route.value, form_version=plan.form_version, decision_json=decision_json,
        content_json=content_json,
        amendment_reason=proposal.amendment.reason.value if proposal.amendment is not None else None,
        next_deadline=upcoming.due if upcoming is not None else None,
    )
    for language in dict.fromkeys(("nl", plan.client_language)):
        if language in CLIENT_LANGUAGES:
            pdf = render_pdf(content, language, is_demo=plan.is_demo, questionnaire_version=plan.form_version)
            session.store_plan_document(plan.case_id, record.number, language, pdf)
    return _info(record)


def _info(record: PlanVersionRecord) -> PlanVersionInfo:
    data = json.loads(record.decision_json)
    reason = AmendmentReason(record.amendment_reason) if record.amendment_reason else None
    return PlanVersionInfo(
        number=record.number, dagtekening=record.dagtekening, route=Route(record.route), state=record.state,
        amendment_reason=reason, created_by=record.created_by, created_at=record.created_at,
        motivation=str(data.get("decision", {}).get("motivation", "")), extras=PlanExtras(**data.get("extras", {})),
    )


def stored_content(session: VaultSession, case_id: str, number: int | None = None) -> PipContent:
    """The content of a stored version (the latest by default), exactly as it was saved."""
    record = session.plan_version(case_id, number)
    if record is None:
        raise PlanValidationError("plan.no_version", NO_PLAN_YET)
    content = _decode(PipContent, json.loads(record.content_json))
    assert isinstance(content, PipContent)
    return content


def stored_decision(session: VaultSession, case_id: str, number: int | None = None) -> RouteDecision:
    record = session.plan_version(case_id, number)
    if record is None:
        raise PlanValidationError("plan.no_version", NO_PLAN_YET)
    decision = _decode(RouteDecision, json.loads(record.decision_json)["decision"])
    assert isinstance(decision, RouteDecision)
    return decision


# --- PDFs ---------------------------------------------------------------------------------------------


def check_language(language: str) -> str:
    locale = language.replace("-", "_")
    if locale not in CLIENT_LANGUAGES:
        raise PlanValidationError("plan.unknown_language", UNKNOWN_LANGUAGE, language=language,
                                  languages=", ".join(CLIENT_LANGUAGES))
    return locale


def render_pdf(content: PipContent, language: str, *, is_demo: bool = False, questionnaire_version: str = "") -> bytes:
    """The plan as PDF bytes in memory (nothing is written to disk)."""
    from intake_app.plan.pdf import PdfMeta, render_pip_pdf

    locale = check_language(language)
    meta = PdfMeta(questionnaire_version=questionnaire_version or load_intake_form().version, is_demo=is_demo)
    return render_pip_pdf(content, locale=locale, catalog=Catalog(locale, "client"), meta=meta)


def preview_pdf(plan: CasePlan, proposal: PlanProposal, language: str) -> bytes:
    """The draft as it would print, for the preview: rendered in memory, never stored."""
    return render_pdf(proposal.content, language, is_demo=plan.is_demo, questionnaire_version=plan.form_version)


def pdf_for_version(
    session: VaultSession, case_id: str, language: str, number: int | None = None
) -> PlanDocumentRecord:
    """The stored PDF of a version (the latest by default) in ``language``; rendered and stored once
    if this version has none in that language yet. Raises CaseNotFound / PlanValidationError."""
    summary = session.case(case_id)
    locale = check_language(language)
    record = session.plan_version(case_id, number)
    if record is None:
        raise PlanValidationError("plan.no_version", NO_PLAN_YET)
    stored = session.plan_document(case_id, record.number, locale)
    if stored is not None:
        return stored
    content = stored_content(session, case_id, record.number)
    pdf = render_pdf(content, locale, is_demo=summary.is_demo, questionnaire_version=record.form_version)
    return session.store_plan_document(case_id, record.number, locale, pdf)


def export_pdf(
    session: VaultSession, case_id: str, language: str, path: Path, number: int | None = None
) -> PlanDocumentRecord:
    """Write the version's PDF to ``path`` — the only way a plan leaves the vault — and audit it.

    The file appears under its name only once the audit entry is committed.
    """
    document = pdf_for_version(session, case_id, language, number)
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".pip-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(document.pdf)
            stream.flush()
            os.fsync(stream.fileno())
        session.record_plan_export(case_id, document.number, document.language)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return document


# --- JSON for the stored versions ---------------------------------------------------------------------
# Typed both ways from the dataclasses' own annotations; a placeholder value (int, text, date or enum)
# is tagged, so "b1_route" comes back as Route.B1 and is shown as "B1-route" in every language.

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
_PARAM_TYPES: Final = frozenset(typing.get_args(ParamValue))
_ENUMS: Final[dict[str, type[Enum]]] = {
    enum.__name__: enum
    for enum in (TargetGroup, Route, LanguageLevel, EducationLevel, Literacy, LbtStatus, AdviceStatus,
                 AmendmentReason, c.ExamComponent, c.ParticipationGoal, c.OntzorgenItem, c.PaidBy, c.Signatory)
}


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _union_args(hint: Any) -> tuple[Any, ...] | None:
    return typing.get_args(hint) if typing.get_origin(hint) in (Union, UnionType) else None


def _encode(value: Any, hint: Any) -> Json:
    args = _union_args(hint)
    if args is not None:
        if frozenset(args) == _PARAM_TYPES:
            return _encode_param(value)
        others = [arg for arg in args if arg is not type(None)]
        hint = others[0] if len(others) == 1 else Any
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return _encode(value.value, Any)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        hints = _hints(type(value))
        return {f.name: _encode(getattr(value, f.name), hints[f.name]) for f in dataclasses.fields(value)}
    inner = typing.get_args(hint)
    if isinstance(value, Mapping):
        return {str(key): _encode(item, inner[1] if inner else Any) for key, item in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        items = [_encode(item, inner[0] if inner else Any) for item in value]
        return sorted(items, key=json.dumps) if isinstance(value, frozenset | set) else items
    raise TypeError(f"cannot store a {type(value).__name__}")


def _encode_param(value: ParamValue) -> Json:
    if isinstance(value, Enum):
        return {"enum": type(value).__name__, "value": _encode(value.value, Any)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _decode(hint: Any, data: Any) -> Any:
    args = _union_args(hint)
    if args is not None:
        if frozenset(args) == _PARAM_TYPES:
            return _decode_param(data)
        if data is None and type(None) in args:
            return None
        others = [arg for arg in args if arg is not type(None)]
        if len(others) != 1:
            raise TypeError(f"ambiguous stored value for {hint}")
        return _decode(others[0], data)
    origin, inner = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple:
        return tuple(_decode(inner[0], item) for item in data)
    if origin is frozenset:
        return frozenset(_decode(inner[0], item) for item in data)
    if origin in (Mapping, dict):
        return {key: _decode(inner[1], item) for key, item in data.items()}
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if hint is date:
        return date.fromisoformat(data)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        return hint(**{f.name: _decode(hints[f.name], data[f.name])
                       for f in dataclasses.fields(hint) if f.init and f.name in data})
    if hint in (int, str, bool, float) or hint is Any:
        return data
    raise TypeError(f"cannot read a stored {hint}")


def _decode_param(data: Any) -> ParamValue:
    if isinstance(data, dict) and "enum" in data:
        return _ENUMS[data["enum"]](data["value"])
    if isinstance(data, dict) and "date" in data:
        return date.fromisoformat(data["date"])
    if isinstance(data, int | str):
        return data
    raise TypeError("cannot read a stored placeholder value")
