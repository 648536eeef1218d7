"""The route-advice rules as a readable table, and the tiny condition language they are written in.

A rule reads: *when* these facts hold, the rule fires; it then **indicates** routes (points towards
them), counts **against** routes (a soft objection the officer may overrule with a motivation),
**excludes** routes (a hard limit — none of the default rules does this), may need the officer's own
assessment, or may block any advice until something is done first. Its ``reason`` is a Dutch
sentence with named placeholders, filled from the facts named in ``params``.

Conditions are plain data (``is_``, ``below``, ``at_least``, ``all_of``, ``any_of``, ``not_``) over the
named facts in :data:`KNOWN_FACTS`; nothing is ever ``eval``-ed. How fired rules become a proposal is
described in :mod:`intake_app.plan.advice`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Final

from intake_app.i18n import N_
from intake_app.plan.enums import LbtStatus, Literacy, Route
from intake_app.plan.text import placeholders

FactValue = int | str | date | Enum | None
Facts = Mapping[str, FactValue]

KNOWN_FACTS: Final[Mapping[str, str]] = {
    "target_group": "TargetGroup",
    "is_refugee": "bool: target group is asielstatushouder",
    "age": "int: completed years on the reference date",
    "lbt_status": "LbtStatus",
    "lbt_score": "int | None: LBT score",
    "lbt_max_score": "int: highest possible LBT score (40)",
    "lbt_test_date": "date | None",
    "pass_mark": "int | None: the pass mark in force on the test date",
    "education": "EducationLevel: highest education",
    "education_rank": "int: rank of the highest education",
    "higher_education": "bool: bachelor or above",
    "onderwijs_min_education": "EducationLevel: policy — minimum education for the onderwijsroute",
    "onderwijs_min_education_rank": "int: rank of that minimum",
    "onderwijs_max_age": "int: policy — the onderwijsroute aims at people younger than this",
    "study_ambition": "bool: wants Dutch vocational or higher education",
    "literacy_own_script": "Literacy",
    "literacy_latin_script": "Literacy",
    "health_limits_learning": "bool: health limitations affect learning",
}


class Comparison(Enum):
    LESS_THAN = "<"
    AT_LEAST = ">="


@dataclass(frozen=True)
class Is:
    fact: str
    value: FactValue

    def holds(self, facts: Facts) -> bool:
        return facts[self.fact] == self.value

    def facts_used(self) -> frozenset[str]:
        return frozenset({self.fact})


@dataclass(frozen=True)
class Compare:
    """``fact <op> other``: ``other`` names another fact (a str) or is a number. Unknown (None) → false."""

    fact: str
    op: Comparison
    other: str | int

    def holds(self, facts: Facts) -> bool:
        left = facts[self.fact]
        right = facts[self.other] if isinstance(self.other, str) else self.other
        if not isinstance(left, int) or not isinstance(right, int):
            return False
        return left < right if self.op is Comparison.LESS_THAN else left >= right

    def facts_used(self) -> frozenset[str]:
        return frozenset({self.fact, self.other} if isinstance(self.other, str) else {self.fact})


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)

    def facts_used(self) -> frozenset[str]:
        return frozenset().union(*(condition.facts_used() for condition in self.conditions))


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def holds(self, facts: Facts) -> bool:
        return any(condition.holds(facts) for condition in self.conditions)

    def facts_used(self) -> frozenset[str]:
        return frozenset().union(*(condition.facts_used() for condition in self.conditions))


@dataclass(frozen=True)
class Not:
    condition: Condition

    def holds(self, facts: Facts) -> bool:
        return not self.condition.holds(facts)

    def facts_used(self) -> frozenset[str]:
        return self.condition.facts_used()


Condition = Is | Compare | AllOf | AnyOf | Not


def is_(fact: str, value: FactValue) -> Is:
    return Is(fact, value)


def below(fact: str, other: str | int) -> Compare:
    return Compare(fact, Comparison.LESS_THAN, other)


def at_least(fact: str, other: str | int) -> Compare:
    return Compare(fact, Comparison.AT_LEAST, other)


def all_of(*conditions: Condition) -> AllOf:
    return AllOf(conditions)


def any_of(*conditions: Condition) -> AnyOf:
    return AnyOf(conditions)


def not_(condition: Condition) -> Not:
    return Not(condition)


@dataclass(frozen=True)
class Rule:
    """One advice rule. ``params`` maps each placeholder in ``reason`` to the fact that fills it."""

    id: str
    when: Condition
    reason: str
    params: Mapping[str, str] = field(default_factory=dict, hash=False)
    indicates: frozenset[Route] = frozenset()
    against: frozenset[Route] = frozenset()
    excludes: frozenset[Route] = frozenset()
    needs_officer: bool = False
    blocks_advice: bool = False

    def __post_init__(self) -> None:
        if placeholders(self.reason) != set(self.params):
            raise ValueError(f"rule {self.id}: placeholders of the reason differ from its params")
        unknown = (self.when.facts_used() | set(self.params.values())) - set(KNOWN_FACTS)
        if unknown:
            raise ValueError(f"rule {self.id}: unknown facts {sorted(unknown)}")


@dataclass(frozen=True)
class Explanation:
    """A reason the advice procedure itself adds (not a table rule); same id/template contract."""

    id: str
    reason: str


_TAKEN = is_("lbt_status", LbtStatus.TAKEN)
_WANTS_TO_STUDY = is_("study_ambition", True)
_LBT_RESULT = {
    "score": "lbt_score",
    "max_score": "lbt_max_score",
    "pass_mark": "pass_mark",
    "test_date": "lbt_test_date",
}

DEFAULT_RULES: Final[tuple[Rule, ...]] = (
    Rule(
        id="lbt.not_taken",
        when=is_("lbt_status", LbtStatus.NOT_TAKEN),
        reason=N_(
            "De leerbaarheidstoets is nog niet afgenomen. De toets hoort bij de brede intake; "
            "zonder uitslag kan geen route worden geadviseerd."
        ),
        blocks_advice=True,
    ),
    Rule(
        id="lbt.skipped_sensory",
        when=is_("lbt_status", LbtStatus.SKIPPED_SENSORY),
        reason=N_(
            "De leerbaarheidstoets is niet afgenomen vanwege een zintuiglijke beperking. "
            "De consulent beoordeelt zelf welke route haalbaar is."
        ),
        needs_officer=True,
    ),
    Rule(
        id="lbt.at_or_above_pass_mark",
        when=all_of(_TAKEN, at_least("lbt_score", "pass_mark")),
        reason=N_(
            "De score op de leerbaarheidstoets is {score} van {max_score}, afgenomen op {test_date}. "
            "Dat is ten minste de cesuur van {pass_mark} die toen gold: taalniveau B1 is haalbaar. "
            "De Z-route is bedoeld voor wie B1 niet kan halen."
        ),
        params=_LBT_RESULT,
        indicates=frozenset({Route.B1}),
        against=frozenset({Route.Z}),
    ),
    Rule(
        id="lbt.below_pass_mark",
        when=all_of(_TAKEN, below("lbt_score", "pass_mark")),
        reason=N_(
            "De score op de leerbaarheidstoets is {score} van {max_score}, afgenomen op {test_date}. "
            "Dat is lager dan de cesuur van {pass_mark} die toen gold: taalniveau B1 is volgens de "
            "toets niet haalbaar."
        ),
        params=_LBT_RESULT,
        indicates=frozenset({Route.Z}),
        against=frozenset({Route.B1, Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.no_study_ambition",
        when=is_("study_ambition", False),
        reason=N_(
            "Er is geen ambitie om in Nederland een mbo-, hbo- of wo-opleiding te volgen; "
            "de onderwijsroute is daarop gericht."
        ),
        against=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.study_ambition",
        when=_WANTS_TO_STUDY,
        reason=N_("Er is de ambitie om in Nederland een mbo-, hbo- of wo-opleiding te volgen."),
        indicates=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.age_below_target",
        when=all_of(_WANTS_TO_STUDY, below("age", "onderwijs_max_age")),
        reason=N_(
            "Met {age} jaar valt de inburgeraar in de doelgroep van de onderwijsroute (jonger dan {max_age})."
        ),
        params={"age": "age", "max_age": "onderwijs_max_age"},
        indicates=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.age_at_or_above_target",
        when=all_of(_WANTS_TO_STUDY, at_least("age", "onderwijs_max_age")),
        reason=N_(
            "Met {age} jaar is de inburgeraar niet jonger dan {max_age}, de leeftijd waarop de "
            "onderwijsroute is gericht. Dit is geen harde grens: wie toch deze route kiest, motiveert dat."
        ),
        params={"age": "age", "max_age": "onderwijs_max_age"},
        against=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.education_sufficient",
        when=all_of(_WANTS_TO_STUDY, at_least("education_rank", "onderwijs_min_education_rank")),
        reason=N_(
            "De hoogst gevolgde opleiding ({education}) sluit aan op de onderwijsroute "
            "(ten minste {min_education})."
        ),
        params={"education": "education", "min_education": "onderwijs_min_education"},
        indicates=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="onderwijs.education_insufficient",
        when=all_of(_WANTS_TO_STUDY, below("education_rank", "onderwijs_min_education_rank")),
        reason=N_(
            "De hoogst gevolgde opleiding ({education}) ligt onder het niveau waarop de "
            "onderwijsroute aansluit ({min_education})."
        ),
        params={"education": "education", "min_education": "onderwijs_min_education"},
        against=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="literacy.not_literate_own_script",
        when=is_("literacy_own_script", Literacy.NONE),
        reason=N_(
            "De inburgeraar kan niet lezen en schrijven in het eigen schrift. Dat weegt mee voor de "
            "Z-route en past niet bij de onderwijsroute."
        ),
        indicates=frozenset({Route.Z}),
        against=frozenset({Route.ONDERWIJS}),
    ),
    Rule(
        id="literacy.alfabetisering_needed",
        when=not_(is_("literacy_latin_script", Literacy.LITERATE)),
        reason=N_(
            "Alfabetisering in het Latijnse schrift is nodig (nu: {latin}); die wordt in de route opgenomen."
        ),
        params={"latin": "literacy_latin_script"},
    ),
    Rule(
        id="health.limits_learning",
        when=is_("health_limits_learning", True),
        reason=N_(
            "Gezondheidsbeperkingen hebben invloed op het leren. De Z-route is daarom overwogen; "
            "zorg dat de gekozen route en intensiteit hierbij passen."
        ),
        indicates=frozenset({Route.Z}),
    ),
    Rule(
        id="education.higher_educated_refugee",
        when=all_of(is_("is_refugee", True), is_("higher_education", True)),
        reason=N_(
            "Hoger opgeleide statushouder ({education}): vraag diplomawaardering (IDW) aan en "
            "bespreek begeleiding door het UAF."
        ),
        params={"education": "education"},
    ),
)

OFFICER_ASSESSMENT_ADOPTED: Final = Explanation(
    "officer.assessment_adopted",
    N_("De consulent stelt op eigen beoordeling de {route} voor: {note}"),
)
OFFICER_ASSESSMENT_MISSING: Final = Explanation(
    "officer.assessment_missing",
    N_("Er is nog geen eigen beoordeling van de consulent; daarom is er nog geen route voorgesteld."),
)
OFFICER_SUGGESTION_EXCLUDED: Final = Explanation(
    "officer.suggestion_excluded",
    N_("De consulent stelt de {route} voor, maar die route is volgens de regels uitgesloten."),
)
OFFICER_CONCURS: Final = Explanation(
    "officer.concurs",
    N_("De consulent onderschrijft het advies: {note}"),
)
OFFICER_SUGGESTS_OTHER_ROUTE: Final = Explanation(
    "officer.suggests_other_route",
    N_(
        "De consulent denkt aan de {suggested} in plaats van de geadviseerde {proposed}: {note} "
        "Wie afwijkt van het advies, motiveert dat in het besluit."
    ),
)
PREFERRED_ROUTE_FIRST: Final = Explanation(
    "advice.preferred_route_first",
    N_(
        "Ook de {route} is mogelijk, maar de {proposed} gaat in de volgorde van voorkeur voor: "
        "die sluit het best aan bij de ambitie en mogelijkheden."
    ),
)
ROUTE_NOT_INDICATED: Final = Explanation(
    "advice.route_not_indicated",
    N_("Geen van de feiten uit de intake wijst op de {route}."),
)
CONFLICTING_RULES: Final = Explanation(
    "advice.conflicting_rules",
    N_(
        "De regels wijzen niet eenduidig één route aan; de {route} weegt het zwaarst. "
        "Weeg de redenen zelf af."
    ),
)
NO_ROUTE_FITS: Final = Explanation(
    "advice.no_route_fits",
    N_("Geen route is volgens de regels passend; een eigen beoordeling van de consulent is nodig."),
)

EXPLANATIONS: Final[tuple[Explanation, ...]] = (
    OFFICER_ASSESSMENT_ADOPTED,
    OFFICER_ASSESSMENT_MISSING,
    OFFICER_SUGGESTION_EXCLUDED,
    OFFICER_CONCURS,
    OFFICER_SUGGESTS_OTHER_ROUTE,
    PREFERRED_ROUTE_FIRST,
    ROUTE_NOT_INDICATED,
    CONFLICTING_RULES,
    NO_ROUTE_FITS,
)
