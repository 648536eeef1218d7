"""Amending a fixed PIP: only for the three legal reasons, each with its own conditions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Final

from intake_app.i18n import N_
from intake_app.plan.deadlines import DeadlinePolicy, last_route_switch_date, route_switch_allowed
from intake_app.plan.enums import LanguageLevel, Route, target_level_for
from intake_app.plan.errors import PlanValidationError, word_count


class AmendmentReason(Enum):
    ROUTE_SWITCH = "wijziging_leerroute"
    STEP_DOWN_TO_A2 = "afschalen_naar_a2"
    MUNICIPALITY_MOVE = "verhuizing_andere_gemeente"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


@dataclass(frozen=True)
class AmendmentPolicy:
    step_down_min_course_hours: int = 600
    min_motivation_words: int = 8


@dataclass(frozen=True)
class StepDownEvidence:
    """What a step-down from B1 to A2 rests on: hours followed and the effort shown."""

    course_hours_followed: int
    effort_demonstrated: bool
    effort_description: str


@dataclass(frozen=True)
class PlanAmendment:
    reason: AmendmentReason
    effective_on: date
    motivation: str
    new_route: Route | None = None
    new_level: LanguageLevel | None = None
    new_municipality: str | None = None
    step_down: StepDownEvidence | None = None


def switch_route(
    current: Route,
    new: Route,
    *,
    on: date,
    term_start: date,
    motivation: str,
    deadline_policy: DeadlinePolicy | None = None,
    policy: AmendmentPolicy | None = None,
) -> PlanAmendment:
    """A route switch: within the window any switch, afterwards only onderwijsroute → B1-route."""
    policy = policy or AmendmentPolicy()
    if current is new:
        raise PlanValidationError(
            "amendment.same_route", N_("De nieuwe route is dezelfde als de huidige ({route})."), route=new
        )
    if not route_switch_allowed(current, new, on, term_start, deadline_policy):
        raise PlanValidationError(
            "amendment.switch_window_closed",
            N_(
                "Wisselen van route kon tot en met {last_day}. Daarna kan alleen nog van de "
                "onderwijsroute naar de B1-route worden gewisseld."
            ),
            last_day=last_route_switch_date(term_start, deadline_policy),
        )
    _require_motivation(motivation, policy)
    return PlanAmendment(
        reason=AmendmentReason.ROUTE_SWITCH,
        effective_on=on,
        motivation=motivation.strip(),
        new_route=new,
        new_level=target_level_for(new),
    )


def step_down_to_a2(
    current: Route,
    current_level: LanguageLevel | None,
    evidence: StepDownEvidence,
    *,
    on: date,
    motivation: str,
    policy: AmendmentPolicy | None = None,
) -> PlanAmendment:
    """B1 → A2 within the B1-route, only after enough course hours *and* demonstrated effort."""
    policy = policy or AmendmentPolicy()
    if current is not Route.B1 or current_level is not LanguageLevel.B1:
        raise PlanValidationError(
            "amendment.step_down_not_b1",
            N_("Afschalen naar A2 kan alleen in de B1-route met taalniveau B1 als doel."),
        )
    if evidence.course_hours_followed < policy.step_down_min_course_hours:
        raise PlanValidationError(
            "amendment.step_down_hours",
            N_("Afschalen naar A2 kan pas na ten minste {required} lesuren; er zijn er {followed} gevolgd."),
            required=policy.step_down_min_course_hours,
            followed=evidence.course_hours_followed,
        )
    if not evidence.effort_demonstrated or not evidence.effort_description.strip():
        raise PlanValidationError(
            "amendment.step_down_effort",
            N_("Afschalen naar A2 vraagt aantoonbare inzet. Leg vast waaruit die inzet blijkt."),
        )
    _require_motivation(motivation, policy)
    return PlanAmendment(
        reason=AmendmentReason.STEP_DOWN_TO_A2,
        effective_on=on,
        motivation=motivation.strip(),
        new_route=Route.B1,
        new_level=LanguageLevel.A2,
        step_down=evidence,
    )


def move_to_municipality(
    new_municipality: str, *, on: date, motivation: str, policy: AmendmentPolicy | None = None
) -> PlanAmendment:
    policy = policy or AmendmentPolicy()
    if not new_municipality.strip():
        raise PlanValidationError(
            "amendment.municipality_missing", N_("Vul de gemeente in waar de inburgeraar naartoe verhuist.")
        )
    _require_motivation(motivation, policy)
    return PlanAmendment(
        reason=AmendmentReason.MUNICIPALITY_MOVE,
        effective_on=on,
        motivation=motivation.strip(),
        new_municipality=new_municipality.strip(),
    )


def _require_motivation(motivation: str, policy: AmendmentPolicy) -> None:
    words = word_count(motivation)
    if words < policy.min_motivation_words:
        raise PlanValidationError(
            "amendment.motivation_too_short",
            N_(
                "Een wijziging van het plan is een nieuw besluit: motiveer die in ten minste "
                "{min_words} woorden (nu {words})."
            ),
            min_words=policy.min_motivation_words,
            words=words,
        )


_REASON_LABELS: Final[Mapping[AmendmentReason, str]] = {
    AmendmentReason.ROUTE_SWITCH: N_("wijziging van de leerroute"),
    AmendmentReason.STEP_DOWN_TO_A2: N_("afschalen van B1 naar A2"),
    AmendmentReason.MUNICIPALITY_MOVE: N_("verhuizing naar een andere gemeente"),
}
