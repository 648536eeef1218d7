"""Route advice on newcomer profiles: the proposed route AND exactly which rules fired, and why not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.plan import (
    AdviceInput,
    AdvicePolicy,
    AdviceStatus,
    EducationLevel,
    LanguageLevel,
    LbtResult,
    LbtStatus,
    Literacy,
    OfficerAssessment,
    PassMarkPeriod,
    PassMarkTable,
    PlanValidationError,
    Route,
    TargetGroup,
    advise_route,
)
from intake_app.plan.rules import Rule, at_least, is_
from intake_app.plan.text import placeholders

from plan_factories import intake

B1, ONDERWIJS, Z = Route.B1, Route.ONDERWIJS, Route.Z
LBT_2024 = date(2024, 5, 1)


@dataclass(frozen=True)
class Profile:
    name: str
    facts: dict[str, Any]
    route: Route | None
    fired: tuple[str, ...]
    why_not: dict[Route, tuple[str, ...]] = field(default_factory=dict)
    status: AdviceStatus = AdviceStatus.PROPOSED


PROFILES = [
    Profile(
        "young refugee, upper secondary, wants to study",
        dict(
            date_of_birth=date(2002, 5, 1),
            lbt=LbtResult.taken(33, LBT_2024),
            education_level=EducationLevel.UPPER_SECONDARY,
            study_ambition=True,
        ),
        ONDERWIJS,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_below_target",
            "onderwijs.education_sufficient",
        ),
        {B1: ("advice.preferred_route_first",), Z: ("lbt.at_or_above_pass_mark",)},
    ),
    Profile(
        "LBT 30 in 2022 is below the pass mark of 31 then",
        dict(lbt=LbtResult.taken(30, date(2022, 9, 15))),
        Z,
        ("lbt.below_pass_mark", "onderwijs.no_study_ambition"),
        {
            B1: ("lbt.below_pass_mark",),
            ONDERWIJS: ("lbt.below_pass_mark", "onderwijs.no_study_ambition"),
        },
    ),
    Profile(
        "LBT 30 in 2024 reaches the pass mark of 28",
        dict(lbt=LbtResult.taken(30, date(2024, 2, 1))),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition"),
        {ONDERWIJS: ("onderwijs.no_study_ambition",), Z: ("lbt.at_or_above_pass_mark",)},
    ),
    Profile(
        "illiterate in own script with a low score",
        dict(
            lbt=LbtResult.taken(12, LBT_2024),
            education_level=EducationLevel.NONE,
            literacy_own_script=Literacy.NONE,
            literacy_latin_script=Literacy.NONE,
        ),
        Z,
        (
            "lbt.below_pass_mark",
            "onderwijs.no_study_ambition",
            "literacy.not_literate_own_script",
            "literacy.alfabetisering_needed",
        ),
    ),
    Profile(
        "LBT skipped for a sensory impairment, no officer view yet",
        dict(lbt=LbtResult.skipped_sensory()),
        None,
        ("lbt.skipped_sensory", "onderwijs.no_study_ambition", "officer.assessment_missing"),
        {B1: ("lbt.skipped_sensory", "officer.assessment_missing")},
        AdviceStatus.NEEDS_OFFICER_ASSESSMENT,
    ),
    Profile(
        "LBT skipped for a sensory impairment, officer assesses B1",
        dict(
            lbt=LbtResult.skipped_sensory(),
            officer=OfficerAssessment(Route.B1, "Blind, leest braille vlot; volgde hoger onderwijs."),
        ),
        B1,
        ("lbt.skipped_sensory", "onderwijs.no_study_ambition", "officer.assessment_adopted"),
        {Z: ("lbt.skipped_sensory", "officer.assessment_adopted")},
        AdviceStatus.OFFICER_ASSESSMENT,
    ),
    Profile(
        "35-year-old bachelor who wants to study",
        dict(
            date_of_birth=date(1989, 3, 1),
            lbt=LbtResult.taken(36, LBT_2024),
            education_level=EducationLevel.BACHELOR,
            study_ambition=True,
        ),
        B1,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_at_or_above_target",
            "onderwijs.education_sufficient",
            "education.higher_educated_refugee",
        ),
        {ONDERWIJS: ("onderwijs.age_at_or_above_target",), Z: ("lbt.at_or_above_pass_mark",)},
    ),
    Profile(
        "young family migrant with primary education who wants to study",
        dict(
            target_group=TargetGroup.GEZINSMIGRANT,
            date_of_birth=date(2000, 1, 1),
            lbt=LbtResult.taken(34, LBT_2024),
            education_level=EducationLevel.PRIMARY,
            study_ambition=True,
        ),
        B1,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_below_target",
            "onderwijs.education_insufficient",
        ),
        {ONDERWIJS: ("onderwijs.education_insufficient",)},
    ),
    Profile(
        "family migrant with health limits and a low score",
        dict(
            target_group=TargetGroup.GEZINSMIGRANT,
            lbt=LbtResult.taken(22, LBT_2024),
            health_limits_learning=True,
        ),
        Z,
        ("lbt.below_pass_mark", "onderwijs.no_study_ambition", "health.limits_learning"),
    ),
    Profile(
        "refugee with health limits who passes the LBT: B1, Z considered",
        dict(lbt=LbtResult.taken(35, LBT_2024), health_limits_learning=True),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition", "health.limits_learning"),
        {Z: ("lbt.at_or_above_pass_mark",)},
    ),
    Profile(
        "literate in Arabic script, not yet in Latin script",
        dict(lbt=LbtResult.taken(34, LBT_2024), literacy_latin_script=Literacy.LIMITED),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition", "literacy.alfabetisering_needed"),
    ),
    Profile(
        "score 28 on the first day of the new pass mark",
        dict(lbt=LbtResult.taken(28, date(2023, 4, 12))),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition"),
    ),
    Profile(
        "score 28 on the last day of the old pass mark",
        dict(lbt=LbtResult.taken(28, date(2023, 4, 11))),
        Z,
        ("lbt.below_pass_mark", "onderwijs.no_study_ambition"),
    ),
    Profile(
        "LBT not taken yet: no advice",
        dict(lbt=LbtResult.not_taken()),
        None,
        ("lbt.not_taken", "onderwijs.no_study_ambition"),
        {B1: ("lbt.not_taken",), Z: ("lbt.not_taken",)},
        AdviceStatus.INCOMPLETE,
    ),
    Profile(
        "officer leans to Z although the LBT is passed",
        dict(officer=OfficerAssessment(Route.Z, "Ernstige concentratieproblemen na trauma.")),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition", "officer.suggests_other_route"),
    ),
    Profile(
        "officer concurs with the advice",
        dict(officer=OfficerAssessment(Route.B1, "Gemotiveerd en leert snel.")),
        B1,
        ("lbt.at_or_above_pass_mark", "onderwijs.no_study_ambition", "officer.concurs"),
    ),
    Profile(
        "exactly 28 on the reference date: no longer the onderwijsroute's target age",
        dict(
            date_of_birth=date(1996, 6, 1),
            education_level=EducationLevel.VOCATIONAL,
            study_ambition=True,
        ),
        B1,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_at_or_above_target",
            "onderwijs.education_sufficient",
        ),
    ),
    Profile(
        "27 the day before the 28th birthday",
        dict(
            date_of_birth=date(1996, 6, 2),
            education_level=EducationLevel.VOCATIONAL,
            study_ambition=True,
        ),
        ONDERWIJS,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_below_target",
            "onderwijs.education_sufficient",
        ),
    ),
    Profile(
        "young and ambitious but not literate in own script",
        dict(
            date_of_birth=date(2003, 1, 1),
            education_level=EducationLevel.UPPER_SECONDARY,
            study_ambition=True,
            literacy_own_script=Literacy.NONE,
            literacy_latin_script=Literacy.LIMITED,
        ),
        B1,
        (
            "lbt.at_or_above_pass_mark",
            "onderwijs.study_ambition",
            "onderwijs.age_below_target",
            "onderwijs.education_sufficient",
            "literacy.not_literate_own_script",
            "literacy.alfabetisering_needed",
        ),
        {ONDERWIJS: ("literacy.not_literate_own_script",), Z: ("lbt.at_or_above_pass_mark",)},
    ),
]


@pytest.mark.parametrize("profile", PROFILES, ids=[profile.name for profile in PROFILES])
def test_profile(profile: Profile) -> None:
    advice = advise_route(intake(**profile.facts))
    assert advice.proposed_route is profile.route
    assert advice.status is profile.status
    assert advice.fired_ids == profile.fired
    for route, reason_ids in profile.why_not.items():
        assert tuple(reason.rule_id for reason in advice.why_not(route)) == reason_ids
    not_proposed = {rejection.route for rejection in advice.rejected}
    assert not_proposed == set(Route) - {profile.route}
    assert all(rejection.reasons for rejection in advice.rejected)


def test_at_least_ten_profiles() -> None:
    assert len(PROFILES) >= 10


def test_fired_rules_carry_their_values() -> None:
    advice = advise_route(intake(lbt=LbtResult.taken(30, date(2022, 9, 15))))
    below = advice.fired[0]
    assert below.rule_id == "lbt.below_pass_mark"
    assert dict(below.params) == {
        "score": 30,
        "max_score": 40,
        "pass_mark": 31,
        "test_date": date(2022, 9, 15),
    }
    assert below.render() == (
        "De score op de leerbaarheidstoets is 30 van 40, afgenomen op 15 september 2022. Dat is lager dan "
        "de cesuur van 31 die toen gold: taalniveau B1 is volgens de toets niet haalbaar."
    )
    assert advice.pass_mark == 31


def test_age_reason_names_the_age() -> None:
    advice = advise_route(
        intake(date_of_birth=date(1989, 3, 1), education_level=EducationLevel.BACHELOR, study_ambition=True)
    )
    (age_rule,) = advice.why_not(Route.ONDERWIJS)
    assert dict(age_rule.params) == {"age": 35, "max_age": 28}
    assert "35 jaar" in age_rule.render() and "geen harde grens" in age_rule.render()


def test_target_level() -> None:
    assert advise_route(intake()).target_level is LanguageLevel.B1
    low = advise_route(intake(lbt=LbtResult.taken(10, LBT_2024)))
    assert low.proposed_route is Route.Z and low.target_level is None


def test_alfabetisering_flag_follows_latin_script_literacy() -> None:
    assert not advise_route(intake()).alfabetisering_needed
    assert advise_route(intake(literacy_latin_script=Literacy.NONE)).alfabetisering_needed


def test_onderwijs_age_is_configurable() -> None:
    policy = AdvicePolicy(onderwijs_max_age=36)
    advice = advise_route(
        intake(date_of_birth=date(1989, 3, 1), education_level=EducationLevel.BACHELOR, study_ambition=True),
        policy,
    )
    assert advice.proposed_route is Route.ONDERWIJS
    assert "onderwijs.age_below_target" in advice.fired_ids


def test_pass_mark_table_is_dated_and_configurable() -> None:
    table = PassMarkTable()
    assert table.pass_mark_on(date(2023, 4, 11)) == 31
    assert table.pass_mark_on(date(2023, 4, 12)) == 28
    stricter = PassMarkTable((PassMarkPeriod(date(2022, 1, 1), 31), PassMarkPeriod(date(2026, 1, 1), 30)))
    advice = advise_route(
        intake(lbt=LbtResult.taken(29, date(2026, 2, 1))), AdvicePolicy(pass_marks=stricter)
    )
    assert advice.proposed_route is Route.Z and advice.pass_mark == 30
    with pytest.raises(PlanValidationError) as raised:
        advise_route(intake(lbt=LbtResult.taken(29, date(2021, 6, 1))), AdvicePolicy(pass_marks=stricter))
    assert raised.value.code == "advice.no_pass_mark"
    with pytest.raises(ValueError):
        PassMarkTable((PassMarkPeriod(date(2026, 1, 1), 30), PassMarkPeriod(date(2022, 1, 1), 31)))


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: LbtResult(LbtStatus.TAKEN, None, None), "advice.lbt_incomplete"),
        (lambda: LbtResult(LbtStatus.NOT_TAKEN, 20, None), "advice.lbt_incomplete"),
        (lambda: LbtResult.taken(-1, LBT_2024), "advice.lbt_score_negative"),
        (lambda: advise_route(intake(lbt=LbtResult.taken(41, LBT_2024))), "advice.lbt_score_too_high"),
        (lambda: OfficerAssessment(Route.Z, " "), "advice.officer_note_missing"),
        (lambda: intake(date_of_birth=date(2025, 1, 1)), "advice.birth_after_reference"),
    ],
)
def test_invalid_facts_are_refused_with_a_code(make: Any, code: str) -> None:
    with pytest.raises(PlanValidationError) as raised:
        make()
    assert raised.value.code == code
    assert str(raised.value)


def test_a_hard_exclusion_rule_wins_over_preference() -> None:
    hard_age = Rule(
        id="local.onderwijs_hard_age_limit",
        when=at_least("age", "onderwijs_max_age"),
        reason="Vanaf {max_age} jaar is de onderwijsroute hier uitgesloten.",
        params={"max_age": "onderwijs_max_age"},
        excludes=frozenset({Route.ONDERWIJS}),
    )
    policy = AdvicePolicy(rules=(*AdvicePolicy().rules, hard_age))
    officer = OfficerAssessment(Route.ONDERWIJS, "Wil graag studeren, maar geen toets mogelijk.")
    advice = advise_route(intake(lbt=LbtResult.skipped_sensory(), officer=officer), policy)
    assert advice.proposed_route is None
    assert "officer.suggestion_excluded" in advice.fired_ids


def test_conflicting_rules_pick_the_strongest_route_and_say_so() -> None:
    contra_b1 = Rule(
        id="local.no_b1_for_refugees",
        when=is_("is_refugee", True),
        reason="Lokale regel voor de test.",
        against=frozenset({Route.B1}),
    )
    advice = advise_route(intake(), AdvicePolicy(rules=(*AdvicePolicy().rules, contra_b1)))
    # B1: 1 pro, 1 con; Z: 0 pro; onderwijs: 0 pro → B1 still weighs most, flagged as conflicting
    assert advice.proposed_route is Route.B1
    assert advice.fired_ids[-1] == "advice.conflicting_rules"


def test_rules_with_mismatched_placeholders_or_unknown_facts_are_refused() -> None:
    with pytest.raises(ValueError):
        Rule(id="x", when=is_("age", 1), reason="Leeftijd {age}.")
    with pytest.raises(ValueError):
        Rule(id="x", when=is_("shoe_size", 44), reason="Schoenmaat.")


EDUCATION = st.sampled_from(EducationLevel)
LITERACY = st.sampled_from(Literacy)
LBT = st.one_of(
    st.builds(LbtResult.taken, st.integers(0, 40), st.dates(date(2022, 1, 1), date(2026, 12, 31))),
    st.just(LbtResult.skipped_sensory()),
    st.just(LbtResult.not_taken()),
)
OFFICER = st.one_of(
    st.none(), st.builds(OfficerAssessment, st.sampled_from(Route), st.just("Eigen beoordeling."))
)


ADVICE_INPUTS = st.builds(
    AdviceInput,
    target_group=st.sampled_from(TargetGroup),
    date_of_birth=st.dates(date(1960, 1, 1), date(2006, 1, 1)),
    reference_date=st.just(date(2027, 1, 1)),
    lbt=LBT,
    education_level=EDUCATION,
    study_ambition=st.booleans(),
    literacy_own_script=LITERACY,
    literacy_latin_script=LITERACY,
    health_limits_learning=st.booleans(),
    officer=OFFICER,
)


@settings(max_examples=300)
@given(ADVICE_INPUTS)
def test_every_advice_explains_itself(advice_input: AdviceInput) -> None:
    advice = advise_route(advice_input)
    assert advice.fired, "an advice always has at least one reason"
    for fired in advice.fired:
        assert placeholders(fired.reason) == set(fired.params)
        assert fired.render()
    assert {rejection.route for rejection in advice.rejected} == set(Route) - {advice.proposed_route}
    assert all(rejection.reasons for rejection in advice.rejected)
    assert (advice.proposed_route is None) == (
        advice.status in (AdviceStatus.INCOMPLETE, AdviceStatus.NEEDS_OFFICER_ASSESSMENT)
    )
