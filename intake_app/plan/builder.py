"""Build the PIP content from the intake facts, the officer's route decision, the dates and policy.

The person's target group and date of birth come from the decision's advice input, so the plan can
never disagree with the facts the route advice was based on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from intake_app.i18n import N_
from intake_app.plan import content as c
from intake_app.plan.deadlines import (
    TermExtension,
    inburgering_term,
    last_route_switch_date,
    ontzorgen_review_date,
)
from intake_app.plan.decision import RouteDecision
from intake_app.plan.enums import Route
from intake_app.plan.errors import PlanValidationError
from intake_app.plan.hours import required_hours
from intake_app.plan.policy import PlanPolicy

DEFAULT_ONTZORGEN_ITEMS: Final = frozenset(
    {c.OntzorgenItem.RENT, c.OntzorgenItem.ENERGY, c.OntzorgenItem.HEALTH_INSURANCE}
)


@dataclass(frozen=True)
class PersonDetails:
    full_name: str
    sub_group: str = ""
    bsn: str | None = None
    v_number: str | None = None


@dataclass(frozen=True)
class ModulePlan:
    """The planned intensity of PVT or MAP."""

    planned_hours: int
    hours_per_week: int | None = None
    description: str = ""


@dataclass(frozen=True)
class ParticipationPlan:
    goal: c.ParticipationGoal
    description: str
    dual_trajectory: bool = False
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Preconditions:
    childcare_needed: bool = False
    childcare_arrangement: str = ""
    vve_information_given: bool = False
    vve_children: tuple[str, ...] = ()
    other: tuple[str, ...] = ()


@dataclass(frozen=True)
class SocialAssistance:
    start: date
    ontzorgen_items: frozenset[c.OntzorgenItem] = DEFAULT_ONTZORGEN_ITEMS


@dataclass(frozen=True)
class Provider:
    name: str
    contact: str = ""


@dataclass(frozen=True)
class ContactPerson:
    name: str
    municipality: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class PlanFacts:
    """What the plan needs beyond the route advice. ``pvt``/``map`` ``None``: the legal minimum."""

    person: PersonDetails
    participation: ParticipationPlan
    provider: Provider
    contact: ContactPerson
    support_arrangements: tuple[str, ...] = ()
    preconditions: Preconditions = Preconditions()
    social_assistance: SocialAssistance | None = None
    pvt: ModulePlan | None = None
    map: ModulePlan | None = None


@dataclass(frozen=True)
class PlanDates:
    pip_date: date
    term_extensions: tuple[TermExtension, ...] = ()
    first_progress_conversation: date | None = None


def build_pip_content(
    facts: PlanFacts,
    decision: RouteDecision,
    dates: PlanDates,
    policy: PlanPolicy | None = None,
    *,
    version: int = 1,
) -> c.PipContent:
    """The PIP content. Raises :class:`PlanValidationError` for a plan that breaks a rule."""
    policy = policy or PlanPolicy()
    advice_input = decision.advice.input
    target_group = advice_input.target_group
    route = decision.route
    if dates.pip_date < decision.decided_on:
        raise PlanValidationError(
            "content.pip_before_decision",
            N_("Het plan kan niet gedateerd zijn ({pip_date}) vóór het routebesluit ({decided_on})."),
            pip_date=dates.pip_date,
            decided_on=decision.decided_on,
        )
    hours = required_hours(route, target_group, policy.hours)
    term = inburgering_term(dates.pip_date, dates.term_extensions, policy.deadlines)
    interval = policy.content.progress_interval_weeks
    first_progress = dates.first_progress_conversation or dates.pip_date + timedelta(weeks=interval)
    lbt = advice_input.lbt
    return c.PipContent(
        version=version,
        pip_date=dates.pip_date,
        person=c.PersonSection(
            full_name=facts.person.full_name,
            date_of_birth=advice_input.date_of_birth,
            target_group=target_group,
            sub_group=facts.person.sub_group,
            bsn=facts.person.bsn,
            v_number=facts.person.v_number,
        ),
        route=c.RouteSection(
            route=route,
            target_level=decision.target_level,
            lbt=c.LbtSummary(
                lbt.status,
                lbt.score,
                policy.advice.pass_marks.max_score,
                decision.advice.pass_mark,
                lbt.test_date,
            ),
            alfabetisering=decision.advice.alfabetisering_needed,
            course_hours=hours.course_hours,
            participation_hours=hours.participation_hours,
        ),
        exams=c.ExamsSection(
            components=policy.content.exams_by_route[route],
            target_level=decision.target_level,
            final_conversation=route in policy.content.final_conversation_routes,
        ),
        pvt=_module("pvt", hours.pvt_min_hours, facts.pvt, route),
        map=_module("map", hours.map_min_hours, facts.map, route),
        participation=c.ParticipationSection(
            goal=facts.participation.goal,
            description=facts.participation.description,
            dual_trajectory=facts.participation.dual_trajectory,
            activities=facts.participation.activities,
            required_participation_hours=hours.participation_hours,
        ),
        support=c.SupportSection(
            social_guidance=target_group.is_refugee, arrangements=facts.support_arrangements
        ),
        preconditions=c.PreconditionsSection(
            childcare_needed=facts.preconditions.childcare_needed,
            childcare_arrangement=facts.preconditions.childcare_arrangement,
            vve_information_given=facts.preconditions.vve_information_given,
            vve_children=facts.preconditions.vve_children,
            other=facts.preconditions.other,
        ),
        provider=c.ProviderSection(
            name=facts.provider.name,
            contact=facts.provider.contact,
            chosen_and_paid_by=c.PaidBy.MUNICIPALITY if target_group.is_refugee else c.PaidBy.NEWCOMER,
        ),
        ontzorgen=_ontzorgen(facts, target_group.is_refugee, policy),
        monitoring=c.MonitoringSection(
            progress_interval_weeks=interval,
            first_progress_conversation=first_progress,
            text=c.Template(policy.content.progress_text, {"weeks": interval, "first": first_progress}),
        ),
        deadlines=c.DeadlinesSection(
            pip_date=dates.pip_date,
            term_start=term.start,
            term_end=term.end,
            regular_term_end=term.regular_end,
            route_switch_last_day=last_route_switch_date(term.start, policy.deadlines),
            term_extensions=term.extensions,
        ),
        contact=c.ContactSection(
            name=facts.contact.name,
            role=policy.content.officer_role,
            municipality=facts.contact.municipality,
            phone=facts.contact.phone,
            email=facts.contact.email,
        ),
        reasoning=c.ReasoningSection(
            advice_status=decision.advice.status,
            advised_route=decision.advised_route,
            fired_rules=decision.advice.fired,
            deviates_from_advice=decision.deviates_from_advice,
            motivation=decision.motivation,
            alternatives=decision.alternatives,
            decided_on=decision.decided_on,
        ),
        objection_clause=c.Template(
            policy.content.objection_clause, {"weeks": policy.content.objection_weeks}
        ),
        binding_language_note=c.Template(policy.content.binding_language_note),
        signatures=(
            c.SignatureBlock(c.Signatory.OFFICER, facts.contact.name),
            c.SignatureBlock(c.Signatory.NEWCOMER, facts.person.full_name),
        ),
    )


def _module(
    name: str, min_hours: int | None, planned: ModulePlan | None, route: Route
) -> c.ModuleSection | None:
    if min_hours is None:
        if planned is not None:
            raise PlanValidationError(
                f"content.{name}_not_in_route",
                N_("Dit onderdeel ({module}) hoort niet bij de {route}."),
                module=name.upper(),
                route=route,
            )
        return None
    if planned is None:
        return c.ModuleSection(min_hours=min_hours, planned_hours=min_hours)
    if planned.planned_hours < min_hours:
        raise PlanValidationError(
            f"content.{name}_below_minimum",
            N_("Voor {module} zijn ten minste {min_hours} uren nodig; gepland zijn er {planned}."),
            module=name.upper(),
            min_hours=min_hours,
            planned=planned.planned_hours,
        )
    return c.ModuleSection(min_hours, planned.planned_hours, planned.hours_per_week, planned.description)


def _ontzorgen(facts: PlanFacts, is_refugee: bool, policy: PlanPolicy) -> c.OntzorgenSection | None:
    assistance = facts.social_assistance
    if not is_refugee or assistance is None:
        return None
    if not assistance.ontzorgen_items:
        raise PlanValidationError(
            "content.ontzorgen_items_missing",
            N_(
                "Ontzorgen is verplicht voor statushouders in de bijstand: kies wat de gemeente "
                "uit de uitkering betaalt."
            ),
        )
    return c.OntzorgenSection(
        items=assistance.ontzorgen_items,
        from_date=assistance.start,
        min_months=policy.deadlines.ontzorgen_min_months,
        review_date=ontzorgen_review_date(assistance.start, policy.deadlines),
    )
