"""Calendar arithmetic for legal periods: months and years, including month ends and 29 February.

The convention, used for every period in the plan package:

* A period of N months *starting on* day S (S itself counts) ends at the end of the day before
  ``add_months(S, N)``; that day is returned by :func:`period_last_day`.
* :func:`add_months` keeps the day of the month; when the target month lacks that day (31 April,
  29 February in a common year) it **rolls forward** to the 1st of the next month. Rolling forward
  keeps a period whole: one month from 31 January runs through 28/29 February, and three years from
  29 February 2024 run through 28 February 2027 — never a day short.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(start: date, months: int) -> date:
    """``start`` moved ``months`` calendar months; a missing day rolls forward to the next 1st."""
    index = start.year * 12 + (start.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    days_in_month = calendar.monthrange(year, month)[1]
    if start.day <= days_in_month:
        return date(year, month, start.day)
    return date(year, month, days_in_month) + timedelta(days=1)


def period_last_day(start: date, *, months: int = 0, days: int = 0) -> date:
    """The last day (inclusive) of a period of ``months`` + ``days`` beginning on ``start``."""
    if months < 0 or days < 0 or months + days == 0:
        raise ValueError("a period needs a positive length")
    return add_months(start, months) + timedelta(days=days - 1)


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years on ``on``. Born on 29 February: a year older on 1 March in common years."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)
