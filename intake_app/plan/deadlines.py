"""Deadlines of a case: the PIP due date, the inburgeringstermijn, the route-switch window, the
ontzorgen review, and the case's next deadline with its urgency (the case list colours by it).

All periods follow the convention in :mod:`intake_app.plan.dates`. Every number and start event is
read from a :class:`DeadlinePolicy`, so municipalities and later rulings change data, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Final

from intake_app.i18n import N_
from intake_app.plan.dates import add_months, period_last_day
from intake_app.plan.enums import Route, TargetGroup
from intake_app.plan.errors import PlanValidationError


class StartEvent(Enum):
    """Events that can start the 10-week PIP period."""

    DUO_NOTIFICATION = "duo_melding"
    BRP_REGISTRATION = "brp_inschrijving"
    KOPPELING = "koppeling"

    @property
    def label(self) -> str:
        return _START_EVENT_LABELS[self]


def _default_start_events() -> Mapping[TargetGroup, tuple[StartEvent, ...]]:
    # [check] Besluit inburgering 2021 art. 5.3 fixes 10 weeks; which event starts them per target
    # group is not confirmed. Default, for every group: DUO's notification, or the BRP registration
    # if that is later. Refugee-heavy municipalities may prefer the koppeling: change this mapping.
    later_of_duo_and_brp = (StartEvent.DUO_NOTIFICATION, StartEvent.BRP_REGISTRATION)
    return MappingProxyType({group: later_of_duo_and_brp for group in TargetGroup})


@dataclass(frozen=True)
class DeadlinePolicy:
    """Every deadline number in one place. ``pip_start_events``: the PIP period starts on the *latest*
    known date of the listed events (ties go to the first listed)."""

    pip_weeks: int = 10
    pip_start_events: Mapping[TargetGroup, tuple[StartEvent, ...]] = field(
        default_factory=_default_start_events, hash=False
    )
    extension_after_information_days: int = 14
    term_months: int = 36
    route_switch_months: int = 18
    ontzorgen_min_months: int = 6
    amber_days: int = 14
    track_route_switch: bool = True

    def __post_init__(self) -> None:
        numbers = (self.pip_weeks, self.term_months, self.route_switch_months, self.ontzorgen_min_months)
        if min(numbers) <= 0 or self.extension_after_information_days < 0 or self.amber_days < 0:
            raise ValueError("deadline periods must be positive")
        missing = [group for group in TargetGroup if not self.pip_start_events.get(group)]
        if missing:
            raise ValueError(f"no PIP start event configured for {missing}")


# --- the PIP due date -------------------------------------------------------------------------


@dataclass(frozen=True)
class StartEventDates:
    """The known dates of the events that may start the PIP period (``None`` = not known yet)."""

    duo_notification: date | None = None
    brp_registration: date | None = None
    koppeling: date | None = None

    def of(self, event: StartEvent) -> date | None:
        return {
            StartEvent.DUO_NOTIFICATION: self.duo_notification,
            StartEvent.BRP_REGISTRATION: self.brp_registration,
            StartEvent.KOPPELING: self.koppeling,
        }[event]


@dataclass(frozen=True)
class PipExtension:
    """An extension while third-party information is awaited; ``reason`` says which information."""

    reason: str
    requested_on: date
    information_received_on: date | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise PlanValidationError(
                "deadline.extension_reason_missing",
                N_("Een verlenging vraagt een reden: welke informatie van derden wordt afgewacht?"),
            )
        if self.information_received_on is not None and self.information_received_on < self.requested_on:
            raise PlanValidationError(
                "deadline.information_before_request",
                N_("De informatie kan niet binnen zijn ({received}) vóór de verlenging ({requested})."),
                received=self.information_received_on,
                requested=self.requested_on,
            )


@dataclass(frozen=True)
class PipDeadline:
    """``due`` is the date the PIP must be fixed by (inclusive). While information is still awaited
    (``awaiting_information``) the extension is open-ended and ``due`` is the latest date known so
    far. ``provisional``: a configured start event is still unknown and may move the period later."""

    start_event: StartEvent
    start_date: date
    original_due: date
    due: date
    awaiting_information: bool
    provisional: bool
    extensions: tuple[PipExtension, ...] = ()


def pip_deadline(
    target_group: TargetGroup,
    events: StartEventDates,
    extensions: tuple[PipExtension, ...] = (),
    policy: DeadlinePolicy | None = None,
) -> PipDeadline | None:
    """The PIP deadline, or ``None`` while none of the configured start events has a date.

    An extension moves the deadline to ``extension_after_information_days`` after the information
    arrives, never earlier than the deadline already in force; it must be asked for before that
    deadline has passed.
    """
    policy = policy or DeadlinePolicy()
    configured = policy.pip_start_events[target_group]
    start_event: StartEvent | None = None
    start_date: date | None = None
    for event in configured:
        when = events.of(event)
        if when is not None and (start_date is None or when > start_date):
            start_event, start_date = event, when
    if start_event is None or start_date is None:
        return None
    original_due = start_date + timedelta(weeks=policy.pip_weeks)
    due, awaiting = original_due, False
    for extension in sorted(extensions, key=lambda ext: ext.requested_on):
        if not awaiting and extension.requested_on > due:
            raise PlanValidationError(
                "deadline.extension_too_late",
                N_("Verlengen kan alleen voordat de termijn verloopt; de termijn liep af op {due}."),
                due=due,
            )
        if extension.information_received_on is None:
            awaiting = True
        else:
            after = extension.information_received_on + timedelta(
                days=policy.extension_after_information_days
            )
            due = max(due, after)
    return PipDeadline(
        start_event=start_event,
        start_date=start_date,
        original_due=original_due,
        due=due,
        awaiting_information=awaiting,
        provisional=any(events.of(event) is None for event in configured),
        extensions=tuple(extensions),
    )


# --- the inburgeringstermijn --------------------------------------------------------------------


@dataclass(frozen=True)
class TermExtension:
    """An extension of the inburgeringstermijn by ``months`` and/or ``days``, with its reason."""

    reason: str
    months: int = 0
    days: int = 0
    granted_on: date | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise PlanValidationError(
                "deadline.term_extension_reason_missing",
                N_("Een verlenging van de inburgeringstermijn vraagt een reden."),
            )
        if self.months < 0 or self.days < 0 or self.months + self.days == 0:
            raise PlanValidationError(
                "deadline.term_extension_length",
                N_("Een verlenging duurt ten minste één dag; negatieve duur is niet mogelijk."),
            )


@dataclass(frozen=True)
class InburgeringTerm:
    """``start`` is the day after the PIP's date (art. 11 Wi2021). ``regular_end`` and ``end`` are
    the *last day* of the term (inclusive) without and with the extensions."""

    pip_date: date
    start: date
    regular_end: date
    end: date
    extensions: tuple[TermExtension, ...] = ()


def inburgering_term(
    pip_date: date, extensions: tuple[TermExtension, ...] = (), policy: DeadlinePolicy | None = None
) -> InburgeringTerm:
    """The term: ``term_months`` from the day after the PIP's date; last day = the day before the
    anniversary of the start. Extensions are added one after another to the end, months first."""
    policy = policy or DeadlinePolicy()
    start = pip_date + timedelta(days=1)
    day_after_end = add_months(start, policy.term_months)
    regular_end = day_after_end - timedelta(days=1)
    for extension in extensions:
        day_after_end = add_months(day_after_end, extension.months) + timedelta(days=extension.days)
    return InburgeringTerm(
        pip_date=pip_date,
        start=start,
        regular_end=regular_end,
        end=day_after_end - timedelta(days=1),
        extensions=tuple(extensions),
    )


def last_route_switch_date(term_start: date, policy: DeadlinePolicy | None = None) -> date:
    """The last day (inclusive) of the first ``route_switch_months`` of the term."""
    policy = policy or DeadlinePolicy()
    return period_last_day(term_start, months=policy.route_switch_months)


def route_switch_allowed(
    current: Route, new: Route, on: date, term_start: date, policy: DeadlinePolicy | None = None
) -> bool:
    """Within the window any switch; after it only from the onderwijsroute to the B1-route."""
    if current is new:
        return False
    if current is Route.ONDERWIJS and new is Route.B1:
        return True
    return on <= last_route_switch_date(term_start, policy)


def ontzorgen_review_date(social_assistance_start: date, policy: DeadlinePolicy | None = None) -> date:
    """The first day on which the minimum ontzorgen period has fully run (review it then)."""
    policy = policy or DeadlinePolicy()
    return add_months(social_assistance_start, policy.ontzorgen_min_months)


# --- the next deadline and its urgency ----------------------------------------------------------


class Urgency(Enum):
    OK = "ok"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return _URGENCY_LABELS[self]


class DeadlineKind(Enum):
    """In tie-break order: on the same day the PIP comes first."""

    PIP_DUE = "pip_termijn"
    ONTZORGEN_REVIEW = "evaluatie_ontzorgen"
    ROUTE_SWITCH_LAST_DAY = "laatste_dag_routewissel"
    TERM_END = "einde_inburgeringstermijn"

    @property
    def label(self) -> str:
        return _DEADLINE_KIND_LABELS[self]


def urgency_of(due: date, today: date, policy: DeadlinePolicy | None = None) -> Urgency:
    """Red once ``due`` has passed; amber when fewer than ``amber_days`` remain (so also on the day)."""
    policy = policy or DeadlinePolicy()
    days_left = (due - today).days
    if days_left < 0:
        return Urgency.RED
    return Urgency.AMBER if days_left < policy.amber_days else Urgency.OK


@dataclass(frozen=True)
class CaseDates:
    """The dates of one case that deadlines depend on; ``None`` where not known or not done yet."""

    target_group: TargetGroup
    start_events: StartEventDates = StartEventDates()
    pip_extensions: tuple[PipExtension, ...] = ()
    pip_date: date | None = None
    term_extensions: tuple[TermExtension, ...] = ()
    social_assistance_start: date | None = None
    ontzorgen_reviewed_on: date | None = None
    inburgering_completed_on: date | None = None


@dataclass(frozen=True)
class CaseDeadline:
    kind: DeadlineKind
    due: date
    urgency: Urgency
    days_left: int
    awaiting_information: bool = False


def open_deadlines(
    case: CaseDates, today: date, policy: DeadlinePolicy | None = None
) -> tuple[CaseDeadline, ...]:
    """The deadlines still to be met, soonest (or most overdue) first.

    A PIP deadline whose extension still awaits information is at most amber: the law allows the
    wait, so the officer should chase the information rather than see the case as overdue. The
    route-switch window simply closes — it is never overdue.
    """
    policy = policy or DeadlinePolicy()
    found: list[CaseDeadline] = []

    def add(kind: DeadlineKind, due: date, awaiting: bool = False) -> None:
        urgency = urgency_of(due, today, policy)
        if awaiting and urgency is Urgency.RED:
            urgency = Urgency.AMBER
        found.append(CaseDeadline(kind, due, urgency, (due - today).days, awaiting))

    if case.pip_date is None:
        pip = pip_deadline(case.target_group, case.start_events, case.pip_extensions, policy)
        if pip is not None:
            add(DeadlineKind.PIP_DUE, pip.due, pip.awaiting_information)
    if (
        case.target_group.is_refugee
        and case.social_assistance_start is not None
        and case.ontzorgen_reviewed_on is None
    ):
        add(DeadlineKind.ONTZORGEN_REVIEW, ontzorgen_review_date(case.social_assistance_start, policy))
    if case.pip_date is not None and case.inburgering_completed_on is None:
        term = inburgering_term(case.pip_date, case.term_extensions, policy)
        switch_last_day = last_route_switch_date(term.start, policy)
        if policy.track_route_switch and today <= switch_last_day:
            add(DeadlineKind.ROUTE_SWITCH_LAST_DAY, switch_last_day)
        add(DeadlineKind.TERM_END, term.end)
    kind_order = list(DeadlineKind)
    return tuple(sorted(found, key=lambda deadline: (deadline.due, kind_order.index(deadline.kind))))


def next_deadline(case: CaseDates, today: date, policy: DeadlinePolicy | None = None) -> CaseDeadline | None:
    """The case's next (or most overdue) deadline, or ``None`` when nothing is open."""
    deadlines = open_deadlines(case, today, policy)
    return deadlines[0] if deadlines else None


_START_EVENT_LABELS: Final[Mapping[StartEvent, str]] = {
    StartEvent.DUO_NOTIFICATION: N_("melding van DUO"),
    StartEvent.BRP_REGISTRATION: N_("inschrijving in de BRP"),
    StartEvent.KOPPELING: N_("koppeling aan de gemeente"),
}
_URGENCY_LABELS: Final[Mapping[Urgency, str]] = {
    Urgency.OK: N_("op schema"),
    Urgency.AMBER: N_("bijna verlopen"),
    Urgency.RED: N_("verlopen"),
}
_DEADLINE_KIND_LABELS: Final[Mapping[DeadlineKind, str]] = {
    DeadlineKind.PIP_DUE: N_("PIP vaststellen"),
    DeadlineKind.ONTZORGEN_REVIEW: N_("evaluatie ontzorgen"),
    DeadlineKind.ROUTE_SWITCH_LAST_DAY: N_("laatste dag om van route te wisselen"),
    DeadlineKind.TERM_END: N_("einde inburgeringstermijn"),
}
