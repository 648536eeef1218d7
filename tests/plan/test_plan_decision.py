"""The officer's route decision: deviations need a real motivation; alternatives are on record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from intake_app.i18n import Catalog
from intake_app.plan import (
    DecisionPolicy,
    LanguageLevel,
    LbtResult,
    PlanValidationError,
    Route,
    advise_route,
    decide_route,
)

from plan_factories import intake

DECIDED_ON = date(2024, 6, 10)
MOTIVATION = (
    "Na drie gesprekken en overleg met de huisarts blijkt dat zij door chronische pijn "
    "hooguit twee dagdelen per week kan leren; B1 binnen drie jaar is niet realistisch."
)


def test_following_the_advice_needs_no_motivation_and_records_the_alternatives() -> None:
    advice = advise_route(intake())  # B1 advised
    decision = decide_route(advice, Route.B1, decided_on=DECIDED_ON)
    assert not decision.deviates_from_advice
    assert decision.target_level is LanguageLevel.B1
    assert [alternative.route for alternative in decision.alternatives] == [Route.ONDERWIJS, Route.Z]
    reasons = {alt.route: [reason.rule_id for reason in alt.reasons] for alt in decision.alternatives}
    assert reasons == {
        Route.ONDERWIJS: ["onderwijs.no_study_ambition"],
        Route.Z: ["lbt.at_or_above_pass_mark"],
    }


@pytest.mark.parametrize("motivation", ["", "   "])
def test_deviation_without_motivation_is_refused_in_dutch(motivation: str) -> None:
    advice = advise_route(intake())
    with pytest.raises(PlanValidationError) as raised:
        decide_route(advice, Route.Z, decided_on=DECIDED_ON, motivation=motivation)
    assert raised.value.code == "decision.motivation_missing"
    assert str(raised.value) == (
        "U kiest de Z-route, maar het advies is de B1-route. Motiveer deze afwijking: de rechter "
        "toetst of de keuze zorgvuldig is onderbouwd."
    )


@pytest.mark.parametrize("motivation", ["Past beter.", "Zie dossier", "... !!! 123 456 789 000 111 222"])
def test_deviation_with_a_few_words_is_too_short(motivation: str) -> None:
    advice = advise_route(intake())
    with pytest.raises(PlanValidationError) as raised:
        decide_route(advice, Route.Z, decided_on=DECIDED_ON, motivation=motivation)
    assert raised.value.code == "decision.motivation_too_short"
    assert "ten minste 8 woorden" in str(raised.value)


def test_deviation_with_motivation_is_recorded_with_the_advised_route_as_alternative() -> None:
    advice = advise_route(intake())
    decision = decide_route(
        advice,
        Route.Z,
        decided_on=DECIDED_ON,
        motivation=f"  {MOTIVATION}  ",
        alternative_notes={Route.ONDERWIJS: "Geen studiewens besproken."},
    )
    assert decision.deviates_from_advice
    assert decision.advised_route is Route.B1
    assert decision.motivation == MOTIVATION
    assert decision.target_level is None
    by_route = {alternative.route: alternative for alternative in decision.alternatives}
    assert set(by_route) == {Route.B1, Route.ONDERWIJS}
    assert by_route[Route.B1].officer_note == MOTIVATION
    assert by_route[Route.ONDERWIJS].officer_note == "Geen studiewens besproken."
    assert [r.rule_id for r in by_route[Route.ONDERWIJS].reasons] == ["onderwijs.no_study_ambition"]


def test_minimum_words_is_configurable() -> None:
    advice = advise_route(intake())
    decision = decide_route(
        advice, Route.Z, decided_on=DECIDED_ON, motivation="Chronische pijn.", policy=DecisionPolicy(2)
    )
    assert decision.route is Route.Z


def test_without_an_advice_every_choice_needs_a_motivation() -> None:
    advice = advise_route(intake(lbt=LbtResult.skipped_sensory()))
    assert advice.proposed_route is None
    with pytest.raises(PlanValidationError) as raised:
        decide_route(advice, Route.B1, decided_on=DECIDED_ON)
    assert raised.value.code == "decision.motivation_missing"
    assert "geen route-advies" in str(raised.value)
    decision = decide_route(advice, Route.B1, decided_on=DECIDED_ON, motivation=MOTIVATION)
    assert decision.deviates_from_advice
    assert {alt.route for alt in decision.alternatives} == {Route.ONDERWIJS, Route.Z}


def test_no_decision_before_the_lbt() -> None:
    advice = advise_route(intake(lbt=LbtResult.not_taken()))
    with pytest.raises(PlanValidationError) as raised:
        decide_route(advice, Route.B1, decided_on=DECIDED_ON, motivation=MOTIVATION)
    assert raised.value.code == "decision.lbt_missing"


def test_a_decision_cannot_be_forged_past_its_invariants() -> None:
    decision = decide_route(advise_route(intake()), Route.B1, decided_on=DECIDED_ON)
    with pytest.raises(ValueError):
        replace(decision, target_level=LanguageLevel.A2)
    with pytest.raises(ValueError):
        replace(decision, alternatives=decision.alternatives[:1])
    with pytest.raises(PlanValidationError):
        replace(
            decision,
            route=Route.Z,
            target_level=None,
            alternatives=(
                replace(decision.alternatives[0]),
                replace(decision.alternatives[0], route=Route.B1),
            ),
        )


def test_error_message_translates_through_a_catalog() -> None:
    advice = advise_route(intake())
    with pytest.raises(PlanValidationError) as raised:
        decide_route(advice, Route.Z, decided_on=DECIDED_ON)
    assert raised.value.render(Catalog("nl")) == str(raised.value)
    assert dict(raised.value.params) == {"chosen": Route.Z, "advised": Route.B1}
