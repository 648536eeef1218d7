"""Amending a plan: route switch window, step-down to A2 after 600 hours and effort, a move."""

from __future__ import annotations

from datetime import date

import pytest

from intake_app.plan import (
    AmendmentPolicy,
    AmendmentReason,
    LanguageLevel,
    PlanValidationError,
    Route,
    StepDownEvidence,
    move_to_municipality,
    step_down_to_a2,
    switch_route,
)

TERM_START = date(2024, 1, 1)  # route switch window: through 2025-06-30
WHY = "Na een half jaar blijkt de Z-route beter te passen bij wat zij aankan en wil bereiken."
EFFORT = "Aanwezigheid 95 procent, alle huiswerk gemaakt, twee keer examen gedaan."


def test_exactly_three_legal_reasons() -> None:
    assert {reason.value for reason in AmendmentReason} == {
        "wijziging_leerroute",
        "afschalen_naar_a2",
        "verhuizing_andere_gemeente",
    }


def test_step_down_after_600_hours_and_effort() -> None:
    evidence = StepDownEvidence(
        course_hours_followed=600, effort_demonstrated=True, effort_description=EFFORT
    )
    amendment = step_down_to_a2(Route.B1, LanguageLevel.B1, evidence, on=date(2025, 3, 1), motivation=WHY)
    assert amendment.reason is AmendmentReason.STEP_DOWN_TO_A2
    assert (amendment.new_route, amendment.new_level) == (Route.B1, LanguageLevel.A2)
    assert amendment.step_down == evidence


def test_step_down_before_600_hours_is_refused() -> None:
    evidence = StepDownEvidence(
        course_hours_followed=599, effort_demonstrated=True, effort_description=EFFORT
    )
    with pytest.raises(PlanValidationError) as raised:
        step_down_to_a2(Route.B1, LanguageLevel.B1, evidence, on=date(2025, 3, 1), motivation=WHY)
    assert raised.value.code == "amendment.step_down_hours"
    assert str(raised.value) == "Afschalen naar A2 kan pas na ten minste 600 lesuren; er zijn er 599 gevolgd."


@pytest.mark.parametrize(("demonstrated", "description"), [(False, EFFORT), (True, "  ")])
def test_step_down_without_demonstrated_effort_is_refused(demonstrated: bool, description: str) -> None:
    evidence = StepDownEvidence(700, demonstrated, description)
    with pytest.raises(PlanValidationError) as raised:
        step_down_to_a2(Route.B1, LanguageLevel.B1, evidence, on=date(2025, 3, 1), motivation=WHY)
    assert raised.value.code == "amendment.step_down_effort"


@pytest.mark.parametrize(
    ("route", "level"), [(Route.Z, None), (Route.ONDERWIJS, LanguageLevel.B1), (Route.B1, LanguageLevel.A2)]
)
def test_step_down_only_from_b1(route: Route, level: LanguageLevel | None) -> None:
    evidence = StepDownEvidence(700, True, EFFORT)
    with pytest.raises(PlanValidationError) as raised:
        step_down_to_a2(route, level, evidence, on=date(2025, 3, 1), motivation=WHY)
    assert raised.value.code == "amendment.step_down_not_b1"


def test_step_down_hours_are_configurable() -> None:
    evidence = StepDownEvidence(500, True, EFFORT)
    policy = AmendmentPolicy(step_down_min_course_hours=500)
    amendment = step_down_to_a2(
        Route.B1, LanguageLevel.B1, evidence, on=date(2025, 3, 1), motivation=WHY, policy=policy
    )
    assert amendment.new_level is LanguageLevel.A2


@pytest.mark.parametrize(
    ("current", "new", "on", "level"),
    [
        (Route.B1, Route.Z, date(2025, 6, 30), None),
        (Route.Z, Route.B1, date(2024, 9, 1), LanguageLevel.B1),
        (Route.ONDERWIJS, Route.B1, date(2026, 9, 1), LanguageLevel.B1),  # any time
    ],
)
def test_route_switch_allowed(current: Route, new: Route, on: date, level: LanguageLevel | None) -> None:
    amendment = switch_route(current, new, on=on, term_start=TERM_START, motivation=WHY)
    assert amendment.reason is AmendmentReason.ROUTE_SWITCH
    assert (amendment.new_route, amendment.new_level) == (new, level)


@pytest.mark.parametrize(
    ("current", "new", "on", "code"),
    [
        (Route.B1, Route.Z, date(2025, 7, 1), "amendment.switch_window_closed"),
        (Route.ONDERWIJS, Route.Z, date(2025, 7, 1), "amendment.switch_window_closed"),
        (Route.B1, Route.B1, date(2024, 7, 1), "amendment.same_route"),
    ],
)
def test_route_switch_refused(current: Route, new: Route, on: date, code: str) -> None:
    with pytest.raises(PlanValidationError) as raised:
        switch_route(current, new, on=on, term_start=TERM_START, motivation=WHY)
    assert raised.value.code == code
    if code == "amendment.switch_window_closed":
        assert "30 juni 2025" in str(raised.value)


def test_amendment_needs_a_motivation() -> None:
    with pytest.raises(PlanValidationError) as raised:
        switch_route(Route.B1, Route.Z, on=date(2024, 6, 1), term_start=TERM_START, motivation="Beter.")
    assert raised.value.code == "amendment.motivation_too_short"


def test_move_to_another_municipality() -> None:
    amendment = move_to_municipality(" Utrecht ", on=date(2025, 1, 1), motivation=WHY)
    assert amendment.reason is AmendmentReason.MUNICIPALITY_MOVE
    assert amendment.new_municipality == "Utrecht"
    with pytest.raises(PlanValidationError) as raised:
        move_to_municipality("", on=date(2025, 1, 1), motivation=WHY)
    assert raised.value.code == "amendment.municipality_missing"
