"""From stored answers to route advice: newcomer profiles as the wizard stores them (no Qt, no disk)."""

from __future__ import annotations

from typing import Any

import pytest
from planstep_profiles import REFERENCE, answers, family_migrant, refugee

from intake_app.plan import AdviceStatus, EducationLevel, LbtStatus, Literacy, PlanValidationError, Route
from intake_app.services.plan_service import advice_for, advice_input_from_answers, plan_facts_from_answers

# (profile, proposed route, status, rule ids that must have fired, rule ids that must not have)
PROFILES: dict[str, tuple[dict[Any, Any], Route | None, AdviceStatus, set[str], set[str]]] = {
    "refugee-low-lbt-z-route": (
        refugee(lbt_score=14, lbt_outcome="b1_not_feasible"),
        Route.Z, AdviceStatus.PROPOSED, {"lbt.below_pass_mark", "onderwijs.no_study_ambition"},
        {"lbt.at_or_above_pass_mark"},
    ),
    "lbt-30-in-2022-below-pass-mark-31": (
        refugee(lbt_score=30, lbt_date="2022-09-01", lbt_outcome="b1_not_feasible"),
        Route.Z, AdviceStatus.PROPOSED, {"lbt.below_pass_mark"}, {"lbt.at_or_above_pass_mark"},
    ),
    "lbt-30-in-2024-at-pass-mark-28": (
        refugee(lbt_score=30, lbt_date="2024-05-01"),
        Route.B1, AdviceStatus.PROPOSED, {"lbt.at_or_above_pass_mark"}, {"lbt.below_pass_mark"},
    ),
    "young-upper-secondary-wants-to-study-onderwijsroute": (
        refugee(date_of_birth="2003-02-01", lbt_score=35, has_education="yes", study_ambition="vocational",
                entries={"educations": [{"education_level": "upper_secondary", "education_completed": "yes"}]}),
        Route.ONDERWIJS, AdviceStatus.PROPOSED,
        {"onderwijs.study_ambition", "onderwijs.age_below_target", "onderwijs.education_sufficient"},
        {"onderwijs.no_study_ambition"},
    ),
    "illiterate-z-route-with-alfabetisering": (
        refugee(literate_own_script="no", literate_latin_script="no", literacy_need="full_literacy",
                lbt_score=20, lbt_outcome="b1_not_feasible"),
        Route.Z, AdviceStatus.PROPOSED,
        {"literacy.not_literate_own_script", "literacy.alfabetisering_needed", "lbt.below_pass_mark"}, set(),
    ),
    "sensory-impairment-skip-needs-officer": (
        refugee(lbt_status="not_done_sensory", lbt_not_done_reason="Slechtziend; toets niet aangepast.",
                lbt_outcome="inconclusive"),
        None, AdviceStatus.NEEDS_OFFICER_ASSESSMENT, {"lbt.skipped_sensory", "officer.assessment_missing"},
        {"lbt.at_or_above_pass_mark", "lbt.below_pass_mark"},
    ),
    "sensory-impairment-skip-officer-judges-z": (
        refugee(lbt_status="not_done_sensory", lbt_outcome="b1_not_feasible",
                lbt_not_done_reason="Doof; met gebarentolk beoordeeld: B1 is niet haalbaar."),
        Route.Z, AdviceStatus.OFFICER_ASSESSMENT, {"lbt.skipped_sensory", "officer.assessment_adopted"}, set(),
    ),
    "family-migrant-b1-over-28-with-study-wish": (
        family_migrant(),
        Route.B1, AdviceStatus.PROPOSED,
        {"lbt.at_or_above_pass_mark", "onderwijs.age_at_or_above_target", "onderwijs.education_sufficient"},
        {"education.higher_educated_refugee"},
    ),
    "higher-educated-refugee-b1-idw-and-uaf": (
        refugee(has_education="yes", lbt_score=36,
                entries={"educations": [{"education_level": "master", "education_completed": "yes"}]}),
        Route.B1, AdviceStatus.PROPOSED, {"education.higher_educated_refugee", "lbt.at_or_above_pass_mark"}, set(),
    ),
    "lbt-planned-no-advice-yet": (
        refugee(lbt_status="planned", lbt_planned_date="2024-07-01"),
        None, AdviceStatus.INCOMPLETE, {"lbt.not_taken"}, set(),
    ),
    "health-limits-learning-weighs-for-z": (
        refugee(health_limitations=["concentration_memory"], health_limitations_affect_learning="yes"),
        Route.B1, AdviceStatus.PROPOSED, {"health.limits_learning", "lbt.at_or_above_pass_mark"}, set(),
    ),
    "officer-doubts-the-test-result": (
        refugee(lbt_outcome="b1_not_feasible", lbt_outcome_motivation="Toets met veel hulp gemaakt; in de les "
                "blijkt B1 niet haalbaar."),
        Route.B1, AdviceStatus.PROPOSED, {"lbt.at_or_above_pass_mark", "officer.suggests_other_route"}, set(),
    ),
}


@pytest.mark.parametrize("name", list(PROFILES))
def test_profiles_get_their_route_and_reasons(name: str) -> None:
    stored, route, status, fired, not_fired = PROFILES[name]
    advice = advice_for(stored, REFERENCE)
    assert advice.proposed_route is route
    assert advice.status is status
    assert fired <= set(advice.fired_ids), advice.fired_ids
    assert not (not_fired & set(advice.fired_ids)), advice.fired_ids
    # Every route that was not proposed says why.
    for other in set(Route) - {route}:
        assert advice.why_not(other), other


def test_the_pass_mark_in_force_on_the_test_date_is_used() -> None:
    assert advice_for(refugee(lbt_score=30, lbt_date="2022-09-01"), REFERENCE).pass_mark == 31
    assert advice_for(refugee(lbt_score=30, lbt_date="2023-04-12"), REFERENCE).pass_mark == 28


def test_answers_map_onto_the_advice_vocabulary() -> None:
    advice_input = advice_input_from_answers(
        refugee(literate_own_script="unknown", literate_latin_script="no", literacy_need="latin_script",
                has_education="yes", entries={"educations": [{"education_level": "primary"},
                                                             {"education_level": "vocational"},
                                                             {"education_level": "other"}]}),
        REFERENCE,
    )
    assert advice_input.education_level is EducationLevel.VOCATIONAL  # highest, "other" does not count
    assert advice_input.literacy_own_script is Literacy.LIMITED
    assert advice_input.literacy_latin_script is Literacy.NONE
    assert advice_input.lbt.score == 32 and advice_input.age == 34


def test_only_relevant_answers_count() -> None:
    # The LBT was first recorded as done, then set back to "planned": the old score no longer counts.
    stale = refugee(lbt_status="planned", lbt_planned_date="2024-07-01", lbt_score=38)
    assert advice_input_from_answers(stale, REFERENCE).lbt.status is LbtStatus.NOT_TAKEN
    # Education entries of someone who (now) says they never went to school are ignored.
    no_school = refugee(has_education="no", entries={"educations": [{"education_level": "master"}]})
    assert advice_input_from_answers(no_school, REFERENCE).education_level is EducationLevel.NONE
    # Health details only count when there is a limitation at all.
    healthy = refugee(health_limitations=["none"], health_limitations_affect_learning="yes")
    assert advice_input_from_answers(healthy, REFERENCE).health_limits_learning is False


def test_missing_answers_are_named_in_dutch() -> None:
    with pytest.raises(PlanValidationError) as raised:
        advice_for(answers(target_group="family_migrant"), REFERENCE)
    assert raised.value.code == "plan.answers_missing"
    assert "Geboortedatum" in str(raised.value) and "Studiewens" in str(raised.value)


def test_plan_facts_come_from_the_answers() -> None:
    facts = plan_facts_from_answers(refugee(), REFERENCE, "J. de Vries")
    assert facts.person.full_name == "Meron Tesfamariam"
    assert facts.person.sub_group == "Zelf asiel aangevraagd"
    assert facts.participation.dual_trajectory is True
    assert facts.social_assistance is not None
    assert facts.social_assistance.start.isoformat() == "2024-04-01"
    assert {item.value for item in facts.social_assistance.ontzorgen_items} == {"huur", "energie", "zorgverzekering"}
    assert facts.contact.name == "J. de Vries"
