"""The PIP content built from facts + decision + dates + policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from intake_app.i18n import Catalog
from intake_app.plan import (
    AdviceStatus,
    ContentPolicy,
    EducationLevel,
    LanguageLevel,
    LbtResult,
    ModulePlan,
    PlanDates,
    PlanPolicy,
    PlanValidationError,
    Route,
    RouteDecision,
    SocialAssistance,
    TargetGroup,
    TermExtension,
    advise_route,
    build_pip_content,
    decide_route,
)
from intake_app.plan.content import ExamComponent, OntzorgenItem, PaidBy, Signatory
from intake_app.plan.text import render

from plan_factories import intake, plan_facts

DECIDED_ON = date(2024, 2, 20)
PIP_DATE = date(2024, 2, 28)
LOW_LBT = LbtResult.taken(15, date(2024, 1, 20))


def _decision(route: Route | None = None, **facts: Any) -> RouteDecision:
    advice = advise_route(intake(reference_date=date(2024, 2, 1), **facts))
    chosen = route or advice.proposed_route
    assert chosen is not None
    motivation = (
        ""
        if chosen is advice.proposed_route
        else ("Zij wil binnen twee jaar werken als verzorgende en leert snel, ondanks de lage toetsscore.")
    )
    return decide_route(advice, chosen, decided_on=DECIDED_ON, motivation=motivation)


def test_refugee_on_social_assistance_in_the_z_route() -> None:
    facts = plan_facts(social_assistance=SocialAssistance(start=date(2024, 1, 15)))
    content = build_pip_content(facts, _decision(lbt=LOW_LBT), PlanDates(PIP_DATE))
    assert content.route.route is Route.Z
    assert content.route.target_level is None and content.exams.target_level is None
    assert (content.route.course_hours, content.route.participation_hours) == (800, 800)
    assert content.participation.required_participation_hours == 800
    assert content.exams.components == () and content.exams.final_conversation
    assert content.map is not None and content.map.min_hours == content.map.planned_hours == 40
    assert content.pvt is not None and content.pvt.min_hours == 12
    assert content.ontzorgen is not None
    assert content.ontzorgen.items == {
        OntzorgenItem.RENT,
        OntzorgenItem.ENERGY,
        OntzorgenItem.HEALTH_INSURANCE,
    }
    assert (content.ontzorgen.from_date, content.ontzorgen.review_date) == (
        date(2024, 1, 15),
        date(2024, 7, 15),
    )
    assert content.support.social_guidance
    assert content.provider.chosen_and_paid_by is PaidBy.MUNICIPALITY
    assert content.route.lbt.score == 15 and content.route.lbt.pass_mark == 28


def test_deadlines_in_the_plan_follow_the_pip_date_including_a_leap_day() -> None:
    dates = PlanDates(PIP_DATE, term_extensions=(TermExtension("Ziekte", months=2),))
    content = build_pip_content(plan_facts(), _decision(), dates)
    assert content.deadlines.term_start == date(2024, 2, 29)
    assert content.deadlines.regular_term_end == date(2027, 2, 28)
    assert content.deadlines.term_end == date(2027, 4, 30)
    assert content.deadlines.route_switch_last_day == date(2025, 8, 28)
    assert content.monitoring.first_progress_conversation == date(2024, 5, 22)
    assert "12 weken" in render(content.monitoring.text.text, content.monitoring.text.params)


def test_family_migrant_gets_no_ontzorgen_and_pays_the_school() -> None:
    facts = plan_facts(social_assistance=SocialAssistance(start=date(2024, 1, 15)))
    decision = _decision(target_group=TargetGroup.GEZINSMIGRANT, lbt=LOW_LBT)
    content = build_pip_content(facts, decision, PlanDates(PIP_DATE))
    assert content.route.route is Route.Z
    assert content.route.course_hours == 800 and content.route.participation_hours is None
    assert content.ontzorgen is None
    assert not content.support.social_guidance
    assert content.provider.chosen_and_paid_by is PaidBy.NEWCOMER


def test_b1_route_has_four_exams_and_knm() -> None:
    content = build_pip_content(plan_facts(), _decision(), PlanDates(PIP_DATE))
    assert content.route.target_level is LanguageLevel.B1
    assert content.exams.components == (
        ExamComponent.READING,
        ExamComponent.LISTENING,
        ExamComponent.WRITING,
        ExamComponent.SPEAKING,
        ExamComponent.KNM,
    )
    assert not content.exams.final_conversation
    assert content.route.course_hours is None


ONDERWIJS_FACTS: dict[str, Any] = dict(
    date_of_birth=date(2003, 1, 1), education_level=EducationLevel.UPPER_SECONDARY, study_ambition=True
)


def test_onderwijsroute_has_no_map() -> None:
    decision = _decision(**ONDERWIJS_FACTS)
    assert decision.route is Route.ONDERWIJS
    content = build_pip_content(plan_facts(), decision, PlanDates(PIP_DATE))
    assert content.map is None
    assert content.pvt is not None
    with pytest.raises(PlanValidationError) as raised:
        build_pip_content(plan_facts(map=ModulePlan(40)), decision, PlanDates(PIP_DATE))
    assert raised.value.code == "content.map_not_in_route"
    with pytest.raises(ValueError):
        replace(content, map=replace(content.pvt, min_hours=40))


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        ({"pvt": ModulePlan(10)}, "content.pvt_below_minimum"),
        ({"map": ModulePlan(39, hours_per_week=4)}, "content.map_below_minimum"),
        (
            {"social_assistance": SocialAssistance(date(2024, 1, 15), frozenset())},
            "content.ontzorgen_items_missing",
        ),
    ],
)
def test_plan_facts_that_break_a_rule_are_refused(facts: dict[str, object], code: str) -> None:
    with pytest.raises(PlanValidationError) as raised:
        build_pip_content(plan_facts(**facts), _decision(), PlanDates(PIP_DATE))
    assert raised.value.code == code


def test_planned_intensity_above_the_minimum_is_kept() -> None:
    facts = plan_facts(map=ModulePlan(60, hours_per_week=4, description="Werkplekleren"), pvt=ModulePlan(16))
    content = build_pip_content(facts, _decision(), PlanDates(PIP_DATE))
    assert content.map is not None and (content.map.planned_hours, content.map.hours_per_week) == (60, 4)
    assert content.pvt is not None and content.pvt.planned_hours == 16


def test_pip_cannot_predate_the_decision() -> None:
    with pytest.raises(PlanValidationError) as raised:
        build_pip_content(plan_facts(), _decision(), PlanDates(date(2024, 2, 19)))
    assert raised.value.code == "content.pip_before_decision"


def test_reasoning_records_advice_deviation_and_alternatives() -> None:
    decision = _decision(Route.B1, lbt=LOW_LBT)  # the advice is Z; the officer motivates B1
    content = build_pip_content(plan_facts(), decision, PlanDates(PIP_DATE))
    reasoning = content.reasoning
    assert reasoning.advice_status is AdviceStatus.PROPOSED
    assert reasoning.advised_route is Route.Z
    assert reasoning.deviates_from_advice and reasoning.motivation.startswith("Zij wil")
    assert [rule.rule_id for rule in reasoning.fired_rules] == [
        "lbt.below_pass_mark",
        "onderwijs.no_study_ambition",
    ]
    assert {alternative.route for alternative in reasoning.alternatives} == {Route.Z, Route.ONDERWIJS}


def test_person_comes_from_the_advice_facts() -> None:
    content = build_pip_content(plan_facts(), _decision(), PlanDates(PIP_DATE))
    assert content.person.full_name == "Amina Yusuf"
    assert content.person.date_of_birth == date(1990, 1, 15)
    assert content.person.target_group is TargetGroup.ASIELSTATUSHOUDER


def test_objection_clause_default_and_configurable() -> None:
    content = build_pip_content(plan_facts(), _decision(), PlanDates(PIP_DATE))
    clause = render(content.objection_clause.text, content.objection_clause.params)
    assert "binnen 6 weken" in clause and "Algemene wet bestuursrecht" in clause
    policy = PlanPolicy(content=ContentPolicy(objection_weeks=4))
    changed = build_pip_content(plan_facts(), _decision(), PlanDates(PIP_DATE), policy)
    assert "binnen 4 weken" in render(changed.objection_clause.text, changed.objection_clause.params)
    with pytest.raises(ValueError):
        ContentPolicy(objection_clause="Bezwaar binnen {dagen} dagen.")


def test_binding_language_note_and_signatures() -> None:
    content = build_pip_content(plan_facts(), _decision(), PlanDates(PIP_DATE))
    note = render(content.binding_language_note.text, {}, Catalog("nl"))
    assert "Nederlandse tekst" in note and "bindend" in note
    assert [(block.signatory, block.name) for block in content.signatures] == [
        (Signatory.OFFICER, "J. de Vries"),
        (Signatory.NEWCOMER, "Amina Yusuf"),
    ]
    assert all(block.signed_on is None for block in content.signatures)
