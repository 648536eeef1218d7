"""Period arithmetic: month ends, 29 February, and the invariants every deadline relies on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake_app.plan.dates import add_months, age_on, period_last_day

DATES = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 1, 15), 1, date(2024, 2, 15)),
        (date(2024, 1, 31), 1, date(2024, 3, 1)),  # 31 February does not exist: roll forward
        (date(2023, 1, 29), 1, date(2023, 3, 1)),
        (date(2024, 1, 29), 1, date(2024, 2, 29)),  # leap year: it exists
        (date(2024, 2, 29), 12, date(2025, 3, 1)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2024, 3, 31), 1, date(2024, 5, 1)),
        (date(2024, 12, 31), 2, date(2025, 3, 1)),
        (date(2024, 11, 30), 3, date(2025, 3, 1)),
        (date(2024, 5, 10), -2, date(2024, 3, 10)),
        (date(2024, 1, 10), -1, date(2023, 12, 10)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "days", "last_day"),
    [
        (date(2024, 3, 1), 36, 0, date(2027, 2, 28)),
        (date(2024, 2, 29), 36, 0, date(2027, 2, 28)),  # 29 Feb start in a common end year
        (date(2021, 3, 1), 36, 0, date(2024, 2, 29)),  # ends on a leap day
        (date(2024, 1, 31), 1, 0, date(2024, 2, 29)),  # one month from 31 Jan: through month end
        (date(2023, 1, 31), 1, 0, date(2023, 2, 28)),
        (date(2024, 6, 1), 0, 14, date(2024, 6, 14)),
        (date(2024, 6, 20), 1, 10, date(2024, 7, 29)),
    ],
)
def test_period_last_day(start: date, months: int, days: int, last_day: date) -> None:
    assert period_last_day(start, months=months, days=days) == last_day


def test_period_needs_a_length() -> None:
    with pytest.raises(ValueError):
        period_last_day(date(2024, 1, 1))
    with pytest.raises(ValueError):
        period_last_day(date(2024, 1, 1), months=-1, days=5)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1996, 6, 1), date(2024, 6, 1), 28),  # birthday today
        (date(1996, 6, 2), date(2024, 6, 1), 27),  # birthday tomorrow
        (date(2000, 2, 29), date(2023, 2, 28), 22),  # leap-day birth: not yet in a common year
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


@given(DATES, st.integers(min_value=1, max_value=120))
def test_adding_months_moves_forward_and_keeps_the_day_or_rolls_to_the_first(
    start: date, months: int
) -> None:
    result = add_months(start, months)
    assert result > start
    assert result.day == start.day or (result.day == 1 and start.day > 28)


@given(DATES, DATES, st.integers(min_value=0, max_value=60))
def test_adding_months_is_monotonic(first: date, second: date, months: int) -> None:
    early, late = sorted((first, second))
    assert add_months(early, months) <= add_months(late, months)


@given(DATES, st.integers(min_value=1, max_value=60))
def test_a_period_of_months_lasts_at_least_its_shortest_calendar_length(start: date, months: int) -> None:
    last = period_last_day(start, months=months)
    length = (last - start).days + 1
    assert 28 * months <= length <= 31 * months
    assert last + timedelta(days=1) == add_months(start, months)
