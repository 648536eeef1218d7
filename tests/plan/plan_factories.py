"""Small builders for plan tests: a plausible default newcomer, changed per test with overrides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from intake_app.plan import (
    AdviceInput,
    ContactPerson,
    EducationLevel,
    LbtResult,
    Literacy,
    ParticipationPlan,
    PersonDetails,
    PlanFacts,
    Provider,
    TargetGroup,
)
from intake_app.plan.content import ParticipationGoal

REFERENCE_DATE = date(2024, 6, 1)


def intake(**overrides: Any) -> AdviceInput:
    """A 34-year-old refugee, literate, lower secondary education, LBT 32 in May 2024, no study plans."""
    base = AdviceInput(
        target_group=TargetGroup.ASIELSTATUSHOUDER,
        date_of_birth=date(1990, 1, 15),
        reference_date=REFERENCE_DATE,
        lbt=LbtResult.taken(32, date(2024, 5, 1)),
        education_level=EducationLevel.LOWER_SECONDARY,
        study_ambition=False,
        literacy_own_script=Literacy.LITERATE,
        literacy_latin_script=Literacy.LITERATE,
    )
    return replace(base, **overrides)


def plan_facts(**overrides: Any) -> PlanFacts:
    base = PlanFacts(
        person=PersonDetails(full_name="Amina Yusuf", sub_group="gezinsvormer", v_number="1234567890"),
        participation=ParticipationPlan(
            goal=ParticipationGoal.PAID_WORK,
            description="Werk in de zorg, eerst vrijwilligerswerk in een verpleeghuis.",
            dual_trajectory=True,
        ),
        provider=Provider(name="Taalschool De Brug", contact="info@debrug.example"),
        contact=ContactPerson(name="J. de Vries", municipality="Gemeente Voorbeeld"),
    )
    return replace(base, **overrides)
