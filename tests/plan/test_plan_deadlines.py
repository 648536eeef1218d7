"""Deadlines: PIP due date and extensions, the 3-year term, route switch, ontzorgen, urgency."""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.plan import (
    CaseDates,
    DeadlineKind,
    DeadlinePolicy,
    PipExtension,
    PlanValidationError,
    Route,
    StartEvent,
    StartEventDates,
    TargetGroup,
    TermExtension,
    Urgency,
    inburgering_term,
    last_route_switch_date,
    next_deadline,
    ontzorgen_review_date,
    open_deadlines,
    pip_deadline,
    route_switch_allowed,
    urgency_of,
)

REFUGEE = TargetGroup.ASIELSTATUSHOUDER
FAMILY = TargetGroup.GEZINSMIGRANT
DATES = st.dates(min_value=date(2020, 1, 1), max_value=date(2060, 12, 31))

# --- PIP due date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duo", "brp", "start_event", "due", "provisional"),
    [
        (date(2024, 1, 1), None, StartEvent.DUO_NOTIFICATION, date(2024, 3, 11), True),
        (date(2024, 2, 29), date(2024, 2, 1), StartEvent.DUO_NOTIFICATION, date(2024, 5, 9), False),
        (date(2024, 1, 10), date(2024, 2, 1), StartEvent.BRP_REGISTRATION, date(2024, 4, 11), False),
        (date(2024, 3, 1), date(2024, 2, 1), StartEvent.DUO_NOTIFICATION, date(2024, 5, 10), False),
        (date(2024, 3, 1), date(2024, 3, 1), StartEvent.DUO_NOTIFICATION, date(2024, 5, 10), False),
        (date(2023, 12, 25), None, StartEvent.DUO_NOTIFICATION, date(2024, 3, 4), True),  # over a leap Feb
        (date(2022, 12, 25), None, StartEvent.DUO_NOTIFICATION, date(2023, 3, 5), True),  # common Feb
        (None, date(2024, 1, 31), StartEvent.BRP_REGISTRATION, date(2024, 4, 10), True),
    ],
)
def test_pip_due_ten_weeks_after_the_later_of_duo_and_brp(
    duo: date | None, brp: date | None, start_event: StartEvent, due: date, provisional: bool
) -> None:
    deadline = pip_deadline(REFUGEE, StartEventDates(duo_notification=duo, brp_registration=brp))
    assert deadline is not None
    assert deadline.start_event is start_event
    assert deadline.due == deadline.original_due == due
    assert deadline.provisional is provisional
    assert not deadline.awaiting_information


def test_no_pip_deadline_before_any_start_event_is_known() -> None:
    assert pip_deadline(FAMILY, StartEventDates(koppeling=date(2024, 1, 1))) is None


def test_start_event_per_target_group_is_configurable() -> None:
    events = MappingProxyType(
        {
            TargetGroup.ASIELSTATUSHOUDER: (StartEvent.KOPPELING,),
            TargetGroup.GEZINSMIGRANT: (StartEvent.DUO_NOTIFICATION,),
            TargetGroup.OVERIGE_MIGRANT: (StartEvent.DUO_NOTIFICATION,),
        }
    )
    policy = DeadlinePolicy(pip_start_events=events, pip_weeks=8)
    known = StartEventDates(date(2024, 1, 1), date(2024, 3, 1), date(2024, 1, 15))
    refugee = pip_deadline(REFUGEE, known, policy=policy)
    family = pip_deadline(FAMILY, known, policy=policy)
    assert refugee is not None and family is not None
    assert (refugee.start_event, refugee.due) == (StartEvent.KOPPELING, date(2024, 3, 11))
    assert (family.start_event, family.due) == (StartEvent.DUO_NOTIFICATION, date(2024, 2, 26))


def test_policy_needs_a_start_event_for_every_group() -> None:
    with pytest.raises(ValueError):
        DeadlinePolicy(pip_start_events={TargetGroup.ASIELSTATUSHOUDER: (StartEvent.KOPPELING,)})


DUO_JAN_1 = StartEventDates(duo_notification=date(2024, 1, 1))  # due 2024-03-11


@pytest.mark.parametrize(
    ("extensions", "due", "awaiting"),
    [
        # information arrives 5 March: at most two weeks later, 19 March
        ((PipExtension("Medisch advies GGD", date(2024, 3, 1), date(2024, 3, 5)),), date(2024, 3, 19), False),
        # information arrives early: never earlier than the original deadline
        ((PipExtension("Rapport COA", date(2024, 1, 20), date(2024, 2, 1)),), date(2024, 3, 11), False),
        # still waiting: the original date stands, flagged as awaiting
        ((PipExtension("Diplomawaardering IDW", date(2024, 3, 1)),), date(2024, 3, 11), True),
        # a second extension within the extended period
        (
            (
                PipExtension("Medisch advies GGD", date(2024, 3, 1), date(2024, 3, 5)),
                PipExtension("Diplomawaardering IDW", date(2024, 3, 18), date(2024, 4, 1)),
            ),
            date(2024, 4, 15),
            False,
        ),
    ],
)
def test_pip_extension_while_awaiting_third_party_information(
    extensions: tuple[PipExtension, ...], due: date, awaiting: bool
) -> None:
    deadline = pip_deadline(REFUGEE, DUO_JAN_1, extensions)
    assert deadline is not None
    assert deadline.original_due == date(2024, 3, 11)
    assert deadline.due == due
    assert deadline.awaiting_information is awaiting
    assert deadline.extensions == extensions
    assert all(extension.reason for extension in deadline.extensions)


def test_extension_after_the_deadline_passed_is_refused() -> None:
    late = PipExtension("Rapport COA", date(2024, 3, 12), date(2024, 3, 20))
    with pytest.raises(PlanValidationError) as raised:
        pip_deadline(REFUGEE, DUO_JAN_1, (late,))
    assert raised.value.code == "deadline.extension_too_late"
    assert "11 maart 2024" in str(raised.value)


def test_extension_needs_a_reason_and_a_sensible_arrival_date() -> None:
    with pytest.raises(PlanValidationError) as no_reason:
        PipExtension("  ", date(2024, 3, 1))
    assert no_reason.value.code == "deadline.extension_reason_missing"
    with pytest.raises(PlanValidationError) as backwards:
        PipExtension("Rapport", date(2024, 3, 1), date(2024, 2, 1))
    assert backwards.value.code == "deadline.information_before_request"


@given(DATES, st.one_of(st.none(), DATES), st.integers(min_value=0, max_value=120))
def test_pip_due_is_never_before_the_start_events(duo: date, brp: date | None, arrives_after: int) -> None:
    events = StartEventDates(duo_notification=duo, brp_registration=brp)
    plain = pip_deadline(FAMILY, events)
    assert plain is not None
    assert plain.due - plain.start_date == timedelta(weeks=10)
    assert plain.due > duo and (brp is None or plain.due > brp)
    extension = PipExtension(
        "Informatie van derden", plain.start_date, plain.start_date + timedelta(arrives_after)
    )
    extended = pip_deadline(FAMILY, events, (extension,))
    assert extended is not None
    assert extended.due >= plain.due
    assert extended.due <= max(plain.due, plain.start_date + timedelta(days=arrives_after + 14))


# --- the inburgeringstermijn ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pip_date", "start", "end"),
    [
        (date(2024, 2, 28), date(2024, 2, 29), date(2027, 2, 28)),  # starts on a leap day
        (date(2024, 2, 29), date(2024, 3, 1), date(2027, 2, 28)),  # PIP dated on a leap day
        (date(2021, 2, 28), date(2021, 3, 1), date(2024, 2, 29)),  # ends on a leap day
        (date(2024, 1, 30), date(2024, 1, 31), date(2027, 1, 30)),
        (date(2024, 12, 31), date(2025, 1, 1), date(2027, 12, 31)),  # year end
        (date(2023, 6, 15), date(2023, 6, 16), date(2026, 6, 15)),
    ],
)
def test_term_starts_the_day_after_the_pip_and_ends_the_day_before_the_anniversary(
    pip_date: date, start: date, end: date
) -> None:
    term = inburgering_term(pip_date)
    assert (term.start, term.regular_end, term.end) == (start, end, end)


@pytest.mark.parametrize(
    ("pip_date", "extensions", "end"),
    [
        (date(2024, 1, 30), (TermExtension("Ziekte", months=1),), date(2027, 2, 28)),  # month end
        (date(2024, 6, 15), (TermExtension("Zwangerschap", months=6),), date(2027, 12, 15)),
        (date(2024, 6, 15), (TermExtension("Wachttijd examen", days=10),), date(2027, 6, 25)),
        (
            date(2024, 6, 15),
            (TermExtension("Ziekte", months=3), TermExtension("Wachttijd examen", days=14)),
            date(2027, 9, 29),
        ),
        (date(2024, 2, 28), (TermExtension("Mantelzorg", months=12),), date(2028, 2, 29)),
    ],
)
def test_term_extensions_move_the_end(
    pip_date: date, extensions: tuple[TermExtension, ...], end: date
) -> None:
    term = inburgering_term(pip_date, extensions)
    assert term.end == end
    assert term.end > term.regular_end
    assert term.extensions == extensions


def test_term_extension_needs_reason_and_length() -> None:
    with pytest.raises(PlanValidationError) as no_reason:
        TermExtension("", months=2)
    assert no_reason.value.code == "deadline.term_extension_reason_missing"
    with pytest.raises(PlanValidationError) as no_length:
        TermExtension("Ziekte")
    assert no_length.value.code == "deadline.term_extension_length"


@given(DATES, st.lists(st.tuples(st.integers(0, 12), st.integers(0, 60)), max_size=3))
def test_term_invariants(pip_date: date, lengths: list[tuple[int, int]]) -> None:
    extensions = tuple(TermExtension("Reden", months=m, days=d) for m, d in lengths if m + d)
    term = inburgering_term(pip_date, extensions)
    assert term.start == pip_date + timedelta(days=1)
    assert 3 * 365 <= (term.regular_end - term.start).days + 1 <= 3 * 365 + 1
    assert term.end >= term.regular_end > term.start
    assert last_route_switch_date(term.start) < term.regular_end


# --- route switch and ontzorgen -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term_start", "last_day"),
    [
        (date(2024, 1, 1), date(2025, 6, 30)),
        (date(2024, 2, 29), date(2025, 8, 28)),
        (date(2024, 8, 31), date(2026, 2, 28)),  # 31 Feb rolls to 1 March: last day 28 Feb
        (date(2022, 8, 31), date(2024, 2, 29)),  # ... or 29 Feb in a leap year
    ],
)
def test_last_route_switch_date_is_eighteen_months_into_the_term(term_start: date, last_day: date) -> None:
    assert last_route_switch_date(term_start) == last_day


@pytest.mark.parametrize(
    ("current", "new", "on", "allowed"),
    [
        (Route.B1, Route.Z, date(2025, 6, 30), True),  # last day of the window
        (Route.B1, Route.Z, date(2025, 7, 1), False),
        (Route.ONDERWIJS, Route.B1, date(2026, 12, 1), True),  # onderwijs → B1: any time
        (Route.ONDERWIJS, Route.Z, date(2026, 12, 1), False),
        (Route.B1, Route.B1, date(2024, 3, 1), False),
    ],
)
def test_route_switch_window(current: Route, new: Route, on: date, allowed: bool) -> None:
    assert route_switch_allowed(current, new, on, term_start=date(2024, 1, 1)) is allowed


@pytest.mark.parametrize(
    ("assistance_start", "review"),
    [
        (date(2024, 1, 15), date(2024, 7, 15)),
        (date(2024, 8, 31), date(2025, 3, 1)),  # no 31 February: the first day after six whole months
        (date(2023, 8, 29), date(2024, 2, 29)),
        (date(2022, 8, 29), date(2023, 3, 1)),
    ],
)
def test_ontzorgen_review_after_six_months(assistance_start: date, review: date) -> None:
    assert ontzorgen_review_date(assistance_start) == review
    assert ontzorgen_review_date(assistance_start, DeadlinePolicy(ontzorgen_min_months=12)) > review


# --- urgency and the next deadline ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "urgency"),
    [
        (date(2024, 5, 1), Urgency.OK),
        (date(2024, 6, 1), Urgency.OK),  # exactly two weeks left
        (date(2024, 6, 2), Urgency.AMBER),  # under two weeks
        (date(2024, 6, 15), Urgency.AMBER),  # due today
        (date(2024, 6, 16), Urgency.RED),  # overdue
    ],
)
def test_urgency_boundaries(today: date, urgency: Urgency) -> None:
    assert urgency_of(date(2024, 6, 15), today) is urgency


def test_amber_window_is_configurable() -> None:
    policy = DeadlinePolicy(amber_days=7)
    assert urgency_of(date(2024, 6, 15), date(2024, 6, 8), policy) is Urgency.OK
    assert urgency_of(date(2024, 6, 15), date(2024, 6, 9), policy) is Urgency.AMBER


@given(DATES, DATES, DATES)
def test_urgency_only_grows_as_time_passes(due: date, first: date, second: date) -> None:
    order = [Urgency.OK, Urgency.AMBER, Urgency.RED]
    early, late = sorted((first, second))
    assert order.index(urgency_of(due, early)) <= order.index(urgency_of(due, late))


REFUGEE_CASE = CaseDates(
    target_group=REFUGEE,
    start_events=StartEventDates(duo_notification=date(2024, 1, 1)),
    social_assistance_start=date(2024, 1, 15),
)


@pytest.mark.parametrize(
    ("case", "today", "kind", "due", "urgency"),
    [
        (REFUGEE_CASE, date(2024, 2, 1), DeadlineKind.PIP_DUE, date(2024, 3, 11), Urgency.OK),
        (REFUGEE_CASE, date(2024, 3, 1), DeadlineKind.PIP_DUE, date(2024, 3, 11), Urgency.AMBER),
        (REFUGEE_CASE, date(2024, 3, 12), DeadlineKind.PIP_DUE, date(2024, 3, 11), Urgency.RED),
        (
            CaseDates(
                REFUGEE,
                REFUGEE_CASE.start_events,
                pip_date=date(2024, 3, 1),
                social_assistance_start=date(2024, 1, 15),
            ),
            date(2024, 5, 1),
            DeadlineKind.ONTZORGEN_REVIEW,
            date(2024, 7, 15),
            Urgency.OK,
        ),
        (
            CaseDates(
                REFUGEE,
                pip_date=date(2024, 3, 1),
                social_assistance_start=date(2024, 1, 15),
                ontzorgen_reviewed_on=date(2024, 7, 10),
            ),
            date(2024, 8, 1),
            DeadlineKind.ROUTE_SWITCH_LAST_DAY,
            date(2025, 9, 1),
            Urgency.OK,
        ),
        (
            CaseDates(REFUGEE, pip_date=date(2024, 3, 1)),
            date(2025, 9, 2),  # the switch window has closed: it is not overdue, it is gone
            DeadlineKind.TERM_END,
            date(2027, 3, 1),
            Urgency.OK,
        ),
        (
            CaseDates(
                REFUGEE, pip_date=date(2024, 3, 1), term_extensions=(TermExtension("Ziekte", months=2),)
            ),
            date(2027, 3, 10),
            DeadlineKind.TERM_END,
            date(2027, 5, 1),
            Urgency.OK,
        ),
        (
            CaseDates(REFUGEE, pip_date=date(2024, 3, 1)),
            date(2027, 3, 2),
            DeadlineKind.TERM_END,
            date(2027, 3, 1),
            Urgency.RED,
        ),
    ],
)
def test_next_deadline(case: CaseDates, today: date, kind: DeadlineKind, due: date, urgency: Urgency) -> None:
    deadline = next_deadline(case, today)
    assert deadline is not None
    assert (deadline.kind, deadline.due, deadline.urgency) == (kind, due, urgency)
    assert deadline.days_left == (due - today).days


def test_family_migrants_have_no_ontzorgen_deadline() -> None:
    case = CaseDates(FAMILY, pip_date=date(2024, 3, 1), social_assistance_start=date(2024, 1, 15))
    kinds = [deadline.kind for deadline in open_deadlines(case, date(2024, 4, 1))]
    assert kinds == [DeadlineKind.ROUTE_SWITCH_LAST_DAY, DeadlineKind.TERM_END]


def test_open_deadlines_are_sorted_and_ties_put_the_pip_first() -> None:
    case = CaseDates(
        REFUGEE,
        StartEventDates(duo_notification=date(2024, 5, 6)),  # PIP due 2024-07-15
        social_assistance_start=date(2024, 1, 15),  # review 2024-07-15 as well
    )
    deadlines = open_deadlines(case, date(2024, 6, 1))
    assert [d.kind for d in deadlines] == [DeadlineKind.PIP_DUE, DeadlineKind.ONTZORGEN_REVIEW]
    assert deadlines[0].due == deadlines[1].due == date(2024, 7, 15)


def test_awaiting_information_is_amber_not_red() -> None:
    case = CaseDates(
        REFUGEE,
        REFUGEE_CASE.start_events,
        pip_extensions=(PipExtension("Medisch advies GGD", date(2024, 3, 1)),),
    )
    deadline = next_deadline(case, date(2024, 4, 1))
    assert deadline is not None
    assert deadline.kind is DeadlineKind.PIP_DUE
    assert deadline.urgency is Urgency.AMBER
    assert deadline.awaiting_information
    assert deadline.days_left < 0


def test_nothing_open() -> None:
    assert next_deadline(CaseDates(FAMILY), date(2024, 1, 1)) is None
    completed = CaseDates(FAMILY, pip_date=date(2024, 3, 1), inburgering_completed_on=date(2025, 1, 1))
    assert next_deadline(completed, date(2025, 2, 1)) is None


def test_route_switch_tracking_can_be_switched_off() -> None:
    case = CaseDates(FAMILY, pip_date=date(2024, 3, 1))
    deadline = next_deadline(case, date(2024, 4, 1), DeadlinePolicy(track_route_switch=False))
    assert deadline is not None and deadline.kind is DeadlineKind.TERM_END
