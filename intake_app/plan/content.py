"""The PIP's content (art. 15 Wi2021 and practice) as frozen data; the PDF renders this later.

Texts that are part of the beschikking (objection clause, binding-language note) are Dutch ``N_``
templates with named placeholders, so the Dutch (binding) and the client's-language (informative)
copies come from the same content. :func:`intake_app.plan.builder.build_pip_content` fills it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from types import MappingProxyType
from typing import Final

from intake_app.i18n import N_
from intake_app.plan.advice import AdviceStatus, FiredRule
from intake_app.plan.deadlines import TermExtension
from intake_app.plan.decision import AlternativeConsidered
from intake_app.plan.enums import LanguageLevel, LbtStatus, Route, TargetGroup
from intake_app.plan.text import ParamValue, placeholders


class ExamComponent(Enum):
    READING = "lezen"
    LISTENING = "luisteren"
    WRITING = "schrijven"
    SPEAKING = "spreken"
    KNM = "knm"

    @property
    def label(self) -> str:
        return _EXAM_LABELS[self]


class ParticipationGoal(Enum):
    PAID_WORK = "betaald_werk"
    WORK_AND_STUDY = "werk_en_studie"
    STUDY = "studie"
    ENTREPRENEURSHIP = "ondernemerschap"
    VOLUNTEERING = "vrijwilligerswerk"
    OTHER = "anders"

    @property
    def label(self) -> str:
        return _GOAL_LABELS[self]


class OntzorgenItem(Enum):
    RENT = "huur"
    ENERGY = "energie"
    WATER = "water"
    HEALTH_INSURANCE = "zorgverzekering"
    MUNICIPAL_TAXES = "gemeentelijke_belastingen"

    @property
    def label(self) -> str:
        return _ONTZORGEN_LABELS[self]


class PaidBy(Enum):
    """Who chooses and pays the language school: the municipality (refugees) or the newcomer (DUO loan)."""

    MUNICIPALITY = "gemeente"
    NEWCOMER = "inburgeraar"

    @property
    def label(self) -> str:
        return _PAID_BY_LABELS[self]


class Signatory(Enum):
    OFFICER = "consulent"
    NEWCOMER = "inburgeraar"

    @property
    def label(self) -> str:
        return _SIGNATORY_LABELS[self]


@dataclass(frozen=True)
class Template:
    """A translatable Dutch text with its named values, rendered with :func:`intake_app.plan.text.render`."""

    text: str
    params: Mapping[str, ParamValue] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class PersonSection:
    full_name: str
    date_of_birth: date
    target_group: TargetGroup
    sub_group: str = ""
    bsn: str | None = None
    v_number: str | None = None


@dataclass(frozen=True)
class LbtSummary:
    status: LbtStatus
    score: int | None
    max_score: int
    pass_mark: int | None
    test_date: date | None


@dataclass(frozen=True)
class RouteSection:
    """``target_level`` is B1 (or none for the Z-route); A2 only ever through an amendment."""

    route: Route
    target_level: LanguageLevel | None
    lbt: LbtSummary
    alfabetisering: bool
    course_hours: int | None
    participation_hours: int | None


@dataclass(frozen=True)
class ExamsSection:
    components: tuple[ExamComponent, ...]
    target_level: LanguageLevel | None
    final_conversation: bool


@dataclass(frozen=True)
class ModuleSection:
    """PVT or MAP: the legal minimum and the planned intensity."""

    min_hours: int
    planned_hours: int
    hours_per_week: int | None = None
    description: str = ""


@dataclass(frozen=True)
class ParticipationSection:
    goal: ParticipationGoal
    description: str
    dual_trajectory: bool
    activities: tuple[str, ...]
    required_participation_hours: int | None


@dataclass(frozen=True)
class SupportSection:
    social_guidance: bool
    arrangements: tuple[str, ...]


@dataclass(frozen=True)
class PreconditionsSection:
    childcare_needed: bool
    childcare_arrangement: str
    vve_information_given: bool
    vve_children: tuple[str, ...]
    other: tuple[str, ...]


@dataclass(frozen=True)
class ProviderSection:
    name: str
    contact: str
    chosen_and_paid_by: PaidBy


@dataclass(frozen=True)
class OntzorgenSection:
    """Refugees on social assistance: what the municipality pays from the benefit, from when, review."""

    items: frozenset[OntzorgenItem]
    from_date: date
    min_months: int
    review_date: date


@dataclass(frozen=True)
class MonitoringSection:
    progress_interval_weeks: int
    first_progress_conversation: date
    text: Template


@dataclass(frozen=True)
class DeadlinesSection:
    pip_date: date
    term_start: date
    term_end: date
    regular_term_end: date
    route_switch_last_day: date
    term_extensions: tuple[TermExtension, ...]


@dataclass(frozen=True)
class ContactSection:
    name: str
    role: str
    municipality: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ReasoningSection:
    """Why this route: the rules that fired, the decision and every alternative considered."""

    advice_status: AdviceStatus
    advised_route: Route | None
    fired_rules: tuple[FiredRule, ...]
    deviates_from_advice: bool
    motivation: str
    alternatives: tuple[AlternativeConsidered, ...]
    decided_on: date


@dataclass(frozen=True)
class SignatureBlock:
    signatory: Signatory
    name: str
    signed_on: date | None = None
    place: str = ""


@dataclass(frozen=True)
class PipContent:
    version: int
    pip_date: date
    person: PersonSection
    route: RouteSection
    exams: ExamsSection
    pvt: ModuleSection | None
    map: ModuleSection | None
    participation: ParticipationSection
    support: SupportSection
    preconditions: PreconditionsSection
    provider: ProviderSection
    ontzorgen: OntzorgenSection | None
    monitoring: MonitoringSection
    deadlines: DeadlinesSection
    contact: ContactSection
    reasoning: ReasoningSection
    objection_clause: Template
    binding_language_note: Template
    signatures: tuple[SignatureBlock, ...]

    def __post_init__(self) -> None:
        if self.route.route is Route.ONDERWIJS and self.map is not None:
            raise ValueError("the onderwijsroute has no MAP")
        if self.ontzorgen is not None and not self.person.target_group.is_refugee:
            raise ValueError("ontzorgen is for refugees only")


def _default_exams() -> Mapping[Route, tuple[ExamComponent, ...]]:
    # [check] whether the onderwijsroute ends with the same B1 exams and KNM (or a diploma).
    b1_exams = (
        ExamComponent.READING,
        ExamComponent.LISTENING,
        ExamComponent.WRITING,
        ExamComponent.SPEAKING,
        ExamComponent.KNM,
    )
    return MappingProxyType({Route.B1: b1_exams, Route.ONDERWIJS: b1_exams, Route.Z: ()})


@dataclass(frozen=True)
class ContentPolicy:
    """Texts and numbers of the plan that municipalities (or lawyers) may change.

    ``objection_clause``: [check] bezwaar within 6 weeks (art. 6:7 Awb) — the text and the number of
    weeks are configurable. ``progress_interval_weeks``: the law fixes no frequency [practice].
    """

    objection_clause: str = N_(
        "Bent u het niet eens met dit besluit? Dan kunt u binnen {weeks} weken na de dag waarop dit "
        "besluit is verzonden bezwaar maken bij het college van burgemeester en wethouders "
        "(artikel 6:7 Algemene wet bestuursrecht)."
    )
    objection_weeks: int = 6
    binding_language_note: str = N_(
        "Alleen de Nederlandse tekst van dit plan is bindend. Een vertaling is bedoeld als uitleg "
        "en heeft geen rechtskracht."
    )
    progress_text: str = N_(
        "De voortgang bespreken we in voortgangsgesprekken, ongeveer elke {weeks} weken. "
        "Het eerste gesprek is rond {first}."
    )
    progress_interval_weeks: int = 12
    officer_role: str = N_("consulent inburgering")
    exams_by_route: Mapping[Route, tuple[ExamComponent, ...]] = field(
        default_factory=_default_exams, hash=False
    )
    final_conversation_routes: frozenset[Route] = frozenset({Route.Z})

    def __post_init__(self) -> None:
        if not placeholders(self.objection_clause) <= {"weeks"}:
            raise ValueError("the objection clause may only use {weeks}")
        if not placeholders(self.progress_text) <= {"weeks", "first"}:
            raise ValueError("the progress text may only use {weeks} and {first}")
        if placeholders(self.binding_language_note):
            raise ValueError("the binding-language note has no placeholders")
        if self.objection_weeks <= 0 or self.progress_interval_weeks <= 0:
            raise ValueError("weeks must be positive")
        if set(self.exams_by_route) != set(Route):
            raise ValueError("exams_by_route needs an entry for every route")


_EXAM_LABELS: Final[Mapping[ExamComponent, str]] = {
    ExamComponent.READING: N_("lezen"),
    ExamComponent.LISTENING: N_("luisteren"),
    ExamComponent.WRITING: N_("schrijven"),
    ExamComponent.SPEAKING: N_("spreken"),
    ExamComponent.KNM: N_("kennis van de Nederlandse maatschappij (KNM)"),
}
_GOAL_LABELS: Final[Mapping[ParticipationGoal, str]] = {
    ParticipationGoal.PAID_WORK: N_("betaald werk"),
    ParticipationGoal.WORK_AND_STUDY: N_("werk en studie"),
    ParticipationGoal.STUDY: N_("studie"),
    ParticipationGoal.ENTREPRENEURSHIP: N_("ondernemerschap"),
    ParticipationGoal.VOLUNTEERING: N_("vrijwilligerswerk"),
    ParticipationGoal.OTHER: N_("anders"),
}
_ONTZORGEN_LABELS: Final[Mapping[OntzorgenItem, str]] = {
    OntzorgenItem.RENT: N_("huur"),
    OntzorgenItem.ENERGY: N_("energie"),
    OntzorgenItem.WATER: N_("water"),
    OntzorgenItem.HEALTH_INSURANCE: N_("zorgverzekering"),
    OntzorgenItem.MUNICIPAL_TAXES: N_("gemeentelijke belastingen"),
}
_PAID_BY_LABELS: Final[Mapping[PaidBy, str]] = {
    PaidBy.MUNICIPALITY: N_("de gemeente kiest en betaalt de taalschool"),
    PaidBy.NEWCOMER: N_("de inburgeraar kiest en betaalt de taalschool (lening van DUO)"),
}
_SIGNATORY_LABELS: Final[Mapping[Signatory, str]] = {
    Signatory.OFFICER: N_("namens het college van burgemeester en wethouders"),
    Signatory.NEWCOMER: N_("inburgeraar"),
}
