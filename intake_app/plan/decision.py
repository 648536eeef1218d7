"""The officer's route decision: the chosen route, and — when it is not the advice — why.

Courts overturn route decisions that were not carefully motivated (ECLI:NL:RVS:2024:5413: the
onderwijsroute had not been examined), so a decision always records every other route with the
reasons it was not chosen, and a deviation from the advice needs a real written motivation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from intake_app.i18n import N_
from intake_app.plan.advice import AdviceStatus, FiredRule, RouteAdvice
from intake_app.plan.enums import LanguageLevel, Route, target_level_for
from intake_app.plan.errors import PlanValidationError, word_count


@dataclass(frozen=True)
class DecisionPolicy:
    """``min_motivation_words``: "more than a few words" made concrete (words with a letter)."""

    min_motivation_words: int = 8


@dataclass(frozen=True)
class AlternativeConsidered:
    """A route that was considered and not chosen: the advice's reasons and/or the officer's note."""

    route: Route
    reasons: tuple[FiredRule, ...] = ()
    officer_note: str = ""


@dataclass(frozen=True)
class RouteDecision:
    route: Route
    target_level: LanguageLevel | None
    advice: RouteAdvice
    decided_on: date
    motivation: str
    alternatives: tuple[AlternativeConsidered, ...]

    def __post_init__(self) -> None:
        if self.target_level is not target_level_for(self.route):
            raise ValueError("a new plan aims at B1 (no level for the Z-route); A2 only by amendment")
        considered = [alternative.route for alternative in self.alternatives]
        if sorted(considered, key=_order) != sorted(set(Route) - {self.route}, key=_order):
            raise ValueError("every route other than the chosen one must be listed once as an alternative")
        if self.deviates_from_advice and not self.motivation.strip():
            raise _motivation_missing(self.route, self.advice.proposed_route)

    @property
    def advised_route(self) -> Route | None:
        return self.advice.proposed_route

    @property
    def deviates_from_advice(self) -> bool:
        return self.route is not self.advice.proposed_route


def decide_route(
    advice: RouteAdvice,
    route: Route,
    *,
    decided_on: date,
    motivation: str = "",
    alternative_notes: Mapping[Route, str] | None = None,
    policy: DecisionPolicy | None = None,
) -> RouteDecision:
    """Confirm ``route``. Raises :class:`PlanValidationError` (Dutch message) when the LBT is still
    missing or when a choice other than the advice lacks a motivation of enough words."""
    policy = policy or DecisionPolicy()
    notes = dict(alternative_notes or {})
    if advice.status is AdviceStatus.INCOMPLETE:
        raise PlanValidationError(
            "decision.lbt_missing",
            N_("Neem eerst de leerbaarheidstoets af; daarna kan de route worden vastgesteld."),
        )
    motivation = motivation.strip()
    if route is not advice.proposed_route:
        if not motivation:
            raise _motivation_missing(route, advice.proposed_route)
        words = word_count(motivation)
        if words < policy.min_motivation_words:
            raise PlanValidationError(
                "decision.motivation_too_short",
                N_(
                    "De motivering is te kort ({words} woorden). Beschrijf in ten minste {min_words} "
                    "woorden waarom u voor de {chosen} kiest."
                ),
                words=words,
                min_words=policy.min_motivation_words,
                chosen=route,
            )
        if advice.proposed_route is not None:
            advised_note = notes.get(advice.proposed_route, "").strip()
            notes[advice.proposed_route] = f"{advised_note} {motivation}".strip()
    alternatives = tuple(
        AlternativeConsidered(
            route=other,
            reasons=advice.why_not(other) if other is not advice.proposed_route else (),
            officer_note=notes.get(other, "").strip(),
        )
        for other in _preference(advice)
        if other is not route
    )
    return RouteDecision(
        route=route,
        target_level=target_level_for(route),
        advice=advice,
        decided_on=decided_on,
        motivation=motivation,
        alternatives=alternatives,
    )


def _preference(advice: RouteAdvice) -> tuple[Route, ...]:
    proposed = (advice.proposed_route,) if advice.proposed_route is not None else ()
    return proposed + tuple(rejection.route for rejection in advice.rejected)


def _order(route: Route) -> int:
    return list(Route).index(route)


def _motivation_missing(chosen: Route, advised: Route | None) -> PlanValidationError:
    if advised is None:
        return PlanValidationError(
            "decision.motivation_missing",
            N_(
                "Er is geen route-advies; motiveer waarom de {chosen} past. De rechter toetst of "
                "de keuze zorgvuldig is onderbouwd."
            ),
            chosen=chosen,
        )
    return PlanValidationError(
        "decision.motivation_missing",
        N_(
            "U kiest de {chosen}, maar het advies is de {advised}. Motiveer deze afwijking: de rechter "
            "toetst of de keuze zorgvuldig is onderbouwd."
        ),
        chosen=chosen,
        advised=advised,
    )
