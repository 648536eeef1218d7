"""All configurable plan values in one object; the defaults follow docs/domain.md.

Values tagged [check] there (PIP start event, onderwijsroute age, objection clause, …) live here
so a municipality or a later ruling changes configuration, not code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intake_app.plan.advice import AdvicePolicy
from intake_app.plan.amendments import AmendmentPolicy
from intake_app.plan.content import ContentPolicy
from intake_app.plan.deadlines import DeadlinePolicy
from intake_app.plan.decision import DecisionPolicy
from intake_app.plan.hours import HoursPolicy


@dataclass(frozen=True)
class PlanPolicy:
    deadlines: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    hours: HoursPolicy = field(default_factory=HoursPolicy)
    advice: AdvicePolicy = field(default_factory=AdvicePolicy)
    decision: DecisionPolicy = field(default_factory=DecisionPolicy)
    amendments: AmendmentPolicy = field(default_factory=AmendmentPolicy)
    content: ContentPolicy = field(default_factory=ContentPolicy)
