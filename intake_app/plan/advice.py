"""Route advice: from the intake's facts to a proposed route, with every reason on the record.

The procedure, in order (each step leaves its reason in ``RouteAdvice.fired``):

1. Derive the named facts (:data:`~intake_app.plan.rules.KNOWN_FACTS`) and fire every table rule.
2. A rule that *blocks* advice (LBT not taken) → no proposal, status ``INCOMPLETE``.
3. A rule that *needs the officer* (LBT skipped for a sensory impairment) → the officer's suggested
   route is proposed (``officer.assessment_adopted``) unless a rule excludes it; without a suggestion
   there is no proposal yet (``officer.assessment_missing``).
4. Otherwise, in the policy's order of preference (onderwijsroute, B1-route, Z-route) the first route
   that some rule indicates and no rule counts against or excludes. If none is that clear, the route
   with most indications minus objections (``advice.conflicting_rules``).
5. The officer's own view, if given, is recorded next to the proposal (concurs / suggests another).
6. For every route not proposed: the rules that count against it, or why it still lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Final

from intake_app.i18n import N_, Catalog
from intake_app.plan import rules as r
from intake_app.plan.dates import age_on
from intake_app.plan.enums import (
    EducationLevel,
    LanguageLevel,
    LbtStatus,
    Literacy,
    Route,
    TargetGroup,
    target_level_for,
)
from intake_app.plan.errors import PlanValidationError
from intake_app.plan.text import ParamValue, render


@dataclass(frozen=True)
class LbtResult:
    """The leerbaarheidstoets: the raw score and test date are kept, never just "passed"."""

    status: LbtStatus
    score: int | None = None
    test_date: date | None = None

    def __post_init__(self) -> None:
        taken = self.status is LbtStatus.TAKEN
        if taken != (self.score is not None) or taken != (self.test_date is not None):
            raise PlanValidationError(
                "advice.lbt_incomplete",
                N_(
                    "Een afgenomen leerbaarheidstoets heeft een score en een toetsdatum; "
                    "een niet afgenomen toets niet."
                ),
            )
        if self.score is not None and self.score < 0:
            raise PlanValidationError("advice.lbt_score_negative", N_("De LBT-score kan niet negatief zijn."))

    @classmethod
    def taken(cls, score: int, test_date: date) -> LbtResult:
        return cls(LbtStatus.TAKEN, score, test_date)

    @classmethod
    def skipped_sensory(cls) -> LbtResult:
        return cls(LbtStatus.SKIPPED_SENSORY)

    @classmethod
    def not_taken(cls) -> LbtResult:
        return cls(LbtStatus.NOT_TAKEN)


@dataclass(frozen=True)
class OfficerAssessment:
    """The officer's own view; a suggested route always comes with a note saying why."""

    suggested_route: Route | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.suggested_route is not None and not self.note.strip():
            raise PlanValidationError(
                "advice.officer_note_missing",
                N_("Licht de eigen beoordeling toe: waarom past de {route}?"),
                route=self.suggested_route,
            )


@dataclass(frozen=True)
class AdviceInput:
    """The intake facts the advice needs (the questionnaire maps its answers onto this later)."""

    target_group: TargetGroup
    date_of_birth: date
    reference_date: date
    lbt: LbtResult
    education_level: EducationLevel
    study_ambition: bool
    literacy_own_script: Literacy
    literacy_latin_script: Literacy
    health_limits_learning: bool = False
    officer: OfficerAssessment | None = None

    def __post_init__(self) -> None:
        if self.date_of_birth >= self.reference_date:
            raise PlanValidationError(
                "advice.birth_after_reference",
                N_("De geboortedatum ligt niet vóór de peildatum {reference_date}."),
                reference_date=self.reference_date,
            )

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, self.reference_date)


@dataclass(frozen=True)
class PassMarkPeriod:
    valid_from: date
    pass_mark: int


@dataclass(frozen=True)
class PassMarkTable:
    """The LBT pass mark (cesuur) by test date: 31 before 12 April 2023, 28 from that day on."""

    periods: tuple[PassMarkPeriod, ...] = (
        PassMarkPeriod(date.min, 31),
        PassMarkPeriod(date(2023, 4, 12), 28),
    )
    max_score: int = 40

    def __post_init__(self) -> None:
        starts = [period.valid_from for period in self.periods]
        if not starts or starts != sorted(set(starts)):
            raise ValueError("pass-mark periods must be non-empty and strictly ascending")

    def pass_mark_on(self, test_date: date) -> int:
        in_force = [period for period in self.periods if period.valid_from <= test_date]
        if not in_force:
            raise PlanValidationError(
                "advice.no_pass_mark",
                N_("Er is geen cesuur bekend voor een toets op {test_date}."),
                test_date=test_date,
            )
        return in_force[-1].pass_mark


@dataclass(frozen=True)
class AdvicePolicy:
    """``onderwijs_max_age``: the onderwijsroute aims at people *younger* than this — a soft rule
    ([check] whether it is a hard limit; to make it one, give the age rule ``excludes``)."""

    pass_marks: PassMarkTable = PassMarkTable()
    onderwijs_max_age: int = 28
    onderwijs_min_education: EducationLevel = EducationLevel.UPPER_SECONDARY
    route_preference: tuple[Route, ...] = (Route.ONDERWIJS, Route.B1, Route.Z)
    rules: tuple[r.Rule, ...] = r.DEFAULT_RULES

    def __post_init__(self) -> None:
        if len(self.route_preference) != len(Route) or set(self.route_preference) != set(Route):
            raise ValueError("route_preference must list every route once")
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError("rule ids must be unique")


class AdviceStatus(Enum):
    PROPOSED = "voorgesteld"
    OFFICER_ASSESSMENT = "eigen_beoordeling"
    NEEDS_OFFICER_ASSESSMENT = "beoordeling_nodig"
    INCOMPLETE = "onvolledig"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


@dataclass(frozen=True)
class FiredRule:
    """A rule (or procedure step) that fired: stable id, Dutch template, the values it shows."""

    rule_id: str
    reason: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)
    indicates: frozenset[Route] = frozenset()
    against: frozenset[Route] = frozenset()
    excludes: frozenset[Route] = frozenset()

    def render(self, catalog: Catalog | None = None) -> str:
        return render(self.reason, self.params, catalog)


@dataclass(frozen=True)
class RouteRejection:
    """Why ``route`` was not proposed."""

    route: Route
    reasons: tuple[FiredRule, ...]


@dataclass(frozen=True)
class RouteAdvice:
    status: AdviceStatus
    proposed_route: Route | None
    target_level: LanguageLevel | None
    fired: tuple[FiredRule, ...]
    rejected: tuple[RouteRejection, ...]
    alfabetisering_needed: bool
    pass_mark: int | None
    input: AdviceInput

    @property
    def fired_ids(self) -> tuple[str, ...]:
        return tuple(rule.rule_id for rule in self.fired)

    def why_not(self, route: Route) -> tuple[FiredRule, ...]:
        for rejection in self.rejected:
            if rejection.route is route:
                return rejection.reasons
        return ()


def advice_facts(advice_input: AdviceInput, policy: AdvicePolicy) -> dict[str, r.FactValue]:
    """The named facts the rules read (see :data:`~intake_app.plan.rules.KNOWN_FACTS`)."""
    lbt = advice_input.lbt
    pass_mark = policy.pass_marks.pass_mark_on(lbt.test_date) if lbt.test_date is not None else None
    if lbt.score is not None and lbt.score > policy.pass_marks.max_score:
        raise PlanValidationError(
            "advice.lbt_score_too_high",
            N_("De LBT-score {score} is hoger dan het maximum van {max_score}."),
            score=lbt.score,
            max_score=policy.pass_marks.max_score,
        )
    education = advice_input.education_level
    return {
        "target_group": advice_input.target_group,
        "is_refugee": advice_input.target_group.is_refugee,
        "age": advice_input.age,
        "lbt_status": lbt.status,
        "lbt_score": lbt.score,
        "lbt_max_score": policy.pass_marks.max_score,
        "lbt_test_date": lbt.test_date,
        "pass_mark": pass_mark,
        "education": education,
        "education_rank": education.rank,
        "higher_education": education.rank >= EducationLevel.BACHELOR.rank,
        "onderwijs_min_education": policy.onderwijs_min_education,
        "onderwijs_min_education_rank": policy.onderwijs_min_education.rank,
        "onderwijs_max_age": policy.onderwijs_max_age,
        "study_ambition": advice_input.study_ambition,
        "literacy_own_script": advice_input.literacy_own_script,
        "literacy_latin_script": advice_input.literacy_latin_script,
        "health_limits_learning": advice_input.health_limits_learning,
    }


def _fire(rule: r.Rule, facts: r.Facts) -> FiredRule:
    params: dict[str, ParamValue] = {}
    for placeholder, fact in rule.params.items():
        value = facts[fact]
        if value is None:
            raise ValueError(f"rule {rule.id} fired without a value for {fact}")
        params[placeholder] = value
    return FiredRule(rule.id, rule.reason, params, rule.indicates, rule.against, rule.excludes)


def _explain(explanation: r.Explanation, **params: ParamValue) -> FiredRule:
    return FiredRule(explanation.id, explanation.reason, params)


def _select(fired: tuple[FiredRule, ...], preference: tuple[Route, ...]) -> tuple[Route | None, bool]:
    """The proposed route and whether the rules conflicted (step 4 of the module docstring)."""
    excluded = frozenset().union(*(rule.excludes for rule in fired))
    candidates = [route for route in preference if route not in excluded]
    pros = {route: sum(route in rule.indicates for rule in fired) for route in candidates}
    cons = {route: sum(route in rule.against for rule in fired) for route in candidates}
    for route in candidates:
        if pros[route] and not cons[route]:
            return route, False
    indicated = [route for route in candidates if pros[route]]
    if not indicated:
        return None, False
    best = max(indicated, key=lambda route: (pros[route] - cons[route], -candidates.index(route)))
    return best, True


def advise_route(advice_input: AdviceInput, policy: AdvicePolicy | None = None) -> RouteAdvice:
    """Propose a route and explain it (see the module docstring for the procedure)."""
    policy = policy or AdvicePolicy()
    facts = advice_facts(advice_input, policy)
    table_rules = [rule for rule in policy.rules if rule.when.holds(facts)]
    fired = tuple(_fire(rule, facts) for rule in table_rules)
    excluded = frozenset().union(*(rule.excludes for rule in fired))
    officer = advice_input.officer
    suggested = officer.suggested_route if officer is not None else None
    note = officer.note.strip() if officer is not None else ""
    extra: list[FiredRule] = []
    proposed: Route | None = None

    if any(rule.blocks_advice for rule in table_rules):
        status = AdviceStatus.INCOMPLETE
    elif any(rule.needs_officer for rule in table_rules):
        if suggested is not None and suggested not in excluded:
            proposed, status = suggested, AdviceStatus.OFFICER_ASSESSMENT
            extra.append(_explain(r.OFFICER_ASSESSMENT_ADOPTED, route=suggested, note=note))
        else:
            status = AdviceStatus.NEEDS_OFFICER_ASSESSMENT
            if suggested is not None:
                extra.append(_explain(r.OFFICER_SUGGESTION_EXCLUDED, route=suggested))
            else:
                extra.append(_explain(r.OFFICER_ASSESSMENT_MISSING))
    else:
        proposed, conflicting = _select(fired, policy.route_preference)
        if proposed is None:
            status = AdviceStatus.NEEDS_OFFICER_ASSESSMENT
            extra.append(_explain(r.NO_ROUTE_FITS))
        else:
            status = AdviceStatus.PROPOSED
            if conflicting:
                extra.append(_explain(r.CONFLICTING_RULES, route=proposed))
            if suggested is proposed:
                extra.append(_explain(r.OFFICER_CONCURS, note=note))
            elif suggested is not None:
                extra.append(
                    _explain(
                        r.OFFICER_SUGGESTS_OTHER_ROUTE, suggested=suggested, proposed=proposed, note=note
                    )
                )

    gates = tuple(
        fired_rule
        for fired_rule, rule in zip(fired, table_rules, strict=True)
        if rule.blocks_advice or rule.needs_officer
    )
    rejected = tuple(
        RouteRejection(route, _why_not(route, proposed, status, fired, gates + tuple(extra)))
        for route in policy.route_preference
        if route is not proposed
    )
    return RouteAdvice(
        status=status,
        proposed_route=proposed,
        target_level=target_level_for(proposed) if proposed is not None else None,
        fired=fired + tuple(extra),
        rejected=rejected,
        alfabetisering_needed=advice_input.literacy_latin_script is not Literacy.LITERATE,
        pass_mark=facts["pass_mark"] if isinstance(facts["pass_mark"], int) else None,
        input=advice_input,
    )


def _why_not(
    route: Route,
    proposed: Route | None,
    status: AdviceStatus,
    fired: tuple[FiredRule, ...],
    procedure: tuple[FiredRule, ...],
) -> tuple[FiredRule, ...]:
    """Rules that count against ``route``; failing those, the step of the procedure that decided."""
    objections = tuple(rule for rule in fired if route in rule.against or route in rule.excludes)
    if objections:
        return objections
    if status is not AdviceStatus.PROPOSED or proposed is None:
        return procedure
    if any(route in rule.indicates for rule in fired):
        return (_explain(r.PREFERRED_ROUTE_FIRST, route=route, proposed=proposed),)
    return (_explain(r.ROUTE_NOT_INDICATED, route=route),)


_STATUS_LABELS: Final[Mapping[AdviceStatus, str]] = {
    AdviceStatus.PROPOSED: N_("advies op basis van de regels"),
    AdviceStatus.OFFICER_ASSESSMENT: N_("advies op eigen beoordeling van de consulent"),
    AdviceStatus.NEEDS_OFFICER_ASSESSMENT: N_("eigen beoordeling van de consulent nodig"),
    AdviceStatus.INCOMPLETE: N_("onvolledig: eerst de leerbaarheidstoets afnemen"),
}
