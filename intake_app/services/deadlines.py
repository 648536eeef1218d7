"""A case's next deadline (and the other facts the case list shows) derived from its answers.

The rules live in :mod:`intake_app.plan.deadlines`; this module only reads the questionnaire's
answers into :class:`~intake_app.plan.deadlines.CaseDates`. The result is stored on the case row
when one of :data:`DECIDING_QUESTIONS` changes, so the list never reads answers (see
:mod:`intake_app.services.case_service`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from intake_app.plan.deadlines import (
    CaseDates,
    DeadlineKind,
    DeadlinePolicy,
    StartEventDates,
    Urgency,
    next_deadline,
    urgency_of,
)
from intake_app.plan.enums import TargetGroup

# Questionnaire value -> the plan's target group.
TARGET_GROUPS: Mapping[str, TargetGroup] = {
    "asylum_permit_holder": TargetGroup.ASIELSTATUSHOUDER,
    "family_migrant": TargetGroup.GEZINSMIGRANT,
    "other_migrant": TargetGroup.OVERIGE_MIGRANT,
}
DEADLINE_QUESTIONS = frozenset({
    "target_group", "duo_notification_date", "brp_registration_date", "municipality_link_date",
    "social_assistance", "social_assistance_start_date", "ontzorgen_start_date",
})
LBT_QUESTIONS = frozenset({"lbt_status", "lbt_score"})
# A change to any of these makes the services derive the case's list facts again.
DECIDING_QUESTIONS = DEADLINE_QUESTIONS | LBT_QUESTIONS
# Statuses without open deadlines: the case has left this municipality's hands.
FINISHED_STATUSES = frozenset({"gesloten", "overgedragen"})
# Statuses of an intake that has no PIP yet (the dashboard's "zonder LBT-uitslag").
INTAKE_STATUSES = frozenset({"nieuw", "intake_bezig", "concept_pip"})
WEEK_DAYS = 7


@dataclass(frozen=True)
class Derived:
    next_deadline: date | None
    kind: DeadlineKind | None
    lbt_result: bool


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def case_dates(answers: Mapping[tuple[str, str], Any], pip_date: date | None = None) -> CaseDates | None:
    """The dates deadlines depend on, or None while the target group is unknown."""
    group = TARGET_GROUPS.get(answers.get(("target_group", "")))  # type: ignore[arg-type]
    if group is None:
        return None
    # As the plan service does: ontzorgen runs from its own start date, else from the start of
    # social assistance, and only for a client who receives it.
    on_assistance = answers.get(("social_assistance", "")) in (None, "receiving")
    assistance_start = _date(answers.get(("ontzorgen_start_date", ""))) or _date(
        answers.get(("social_assistance_start_date", ""))
    )
    return CaseDates(
        target_group=group,
        start_events=StartEventDates(
            duo_notification=_date(answers.get(("duo_notification_date", ""))),
            brp_registration=_date(answers.get(("brp_registration_date", ""))),
            koppeling=_date(answers.get(("municipality_link_date", ""))),
        ),
        pip_date=pip_date,
        social_assistance_start=assistance_start if on_assistance else None,
    )


def has_lbt_result(answers: Mapping[tuple[str, str], Any]) -> bool:
    """A score is known, or the test was rightly skipped for a sensory impairment."""
    status = answers.get(("lbt_status", ""))
    score = answers.get(("lbt_score", ""))
    if status == "not_done_sensory":
        return True
    return status == "done" and isinstance(score, int) and not isinstance(score, bool)


def derive(
    answers: Mapping[tuple[str, str], Any], status: str, pip_date: str | date | None, today: date,
    policy: DeadlinePolicy | None = None,
) -> Derived:
    lbt = has_lbt_result(answers)
    if status in FINISHED_STATUSES:
        return Derived(None, None, lbt)
    pip = _date(pip_date) if isinstance(pip_date, str) else pip_date
    dates = case_dates(answers, pip)
    if dates is None:
        return Derived(None, None, lbt)
    found = next_deadline(dates, today, policy)
    return Derived(found.due, found.kind, lbt) if found is not None else Derived(None, None, lbt)


def urgency(due: date | str | None, today: date, policy: DeadlinePolicy | None = None) -> Urgency | None:
    """Red when overdue, amber under two weeks (the policy's ``amber_days``), else OK."""
    day = _date(due) if isinstance(due, str) else due
    return None if day is None else urgency_of(day, today, policy)


def due_this_week(due: date | str | None, today: date) -> bool:
    """Due today or in the coming six days (not overdue)."""
    day = _date(due) if isinstance(due, str) else due
    return day is not None and today <= day < today + timedelta(days=WEEK_DAYS)


__all__ = [
    "DECIDING_QUESTIONS",
    "DeadlineKind",
    "Derived",
    "Urgency",
    "case_dates",
    "derive",
    "due_this_week",
    "has_lbt_result",
    "urgency",
]
