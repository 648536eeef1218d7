"""The questionnaire as data: frozen dataclasses built by the loader from the TOML definition.

Texts here are Dutch source strings (msgids). Translate them at display time through a catalog; see
:mod:`intake_app.forms.texts` for the (msgctxt, msgid) pairs an extractor needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias

from intake_app.forms.answers import Scalar
from intake_app.i18n import N_


class QuestionKind(Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO_UNKNOWN = "yes_no_unknown"
    SCALE = "scale"
    REPEAT_GROUP = "repeat_group"
    COMPUTED = "computed"
    NOTE = "note"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
TEXT_KINDS = frozenset({QuestionKind.TEXT, QuestionKind.LONG_TEXT})
NUMBER_KINDS = frozenset({QuestionKind.INTEGER, QuestionKind.DECIMAL, QuestionKind.SCALE})
# Kinds the officer never answers: a note informs, a computed value is derived.
UNANSWERABLE_KINDS = frozenset({QuestionKind.NOTE, QuestionKind.COMPUTED})


@dataclass(frozen=True)
class Choice:
    value: str  # stable: stored in answers and referenced by conditions
    label: str  # Dutch, for the officer
    client_text: str | None = None  # for the interpreter window; falls back to ``label``
    exclusive: bool = False  # "geen"/"onbekend": cannot be combined with other choices


YES, NO, UNKNOWN = "yes", "no", "unknown"
YES_NO_UNKNOWN_CHOICES = (
    Choice(YES, N_("Ja"), N_("Ja")),
    Choice(NO, N_("Nee"), N_("Nee")),
    Choice(UNKNOWN, N_("Onbekend"), N_("Weet ik niet")),
)


class Operator(Enum):
    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    ANSWERED = "answered"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    CONTAINS = "contains"


ORDER_OPERATORS = frozenset({Operator.LT, Operator.LE, Operator.GT, Operator.GE})
Operand: TypeAlias = Scalar | tuple[Scalar, ...]


@dataclass(frozen=True)
class Comparison:
    """``{ question = "x", <operator> = operand }``.

    False while ``question`` is unanswered or irrelevant, except ``answered = false``. Referring from
    outside a repeat group to a question inside one means "for at least one entry".
    """

    question: str
    operator: Operator
    operand: Operand


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition: TypeAlias = Comparison | AllOf | AnyOf | Not


def condition_references(condition: Condition | None) -> Iterator[Comparison]:
    """Every comparison inside a condition, depth first."""
    if condition is None:
        return
    if isinstance(condition, Comparison):
        yield condition
    elif isinstance(condition, Not):
        yield from condition_references(condition.condition)
    else:
        for part in condition.conditions:
            yield from condition_references(part)


@dataclass(frozen=True)
class Rules:
    minimum: float | None = None  # numbers and scales (inclusive)
    maximum: float | None = None
    min_length: int | None = None  # text
    max_length: int | None = None
    pattern: str | None = None  # text, must match as a whole


@dataclass(frozen=True)
class ComputedSpec:
    function: str  # a name in intake_app.forms.computed.FUNCTIONS
    sources: tuple[str, ...]  # question ids the value is derived from
    order: tuple[str, ...] = ()  # highest_choice: choice values from low to high


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionKind
    label: str
    help: str | None = None  # officer-only guidance
    client_text: str | None = None  # None: not shown in the interpreter window
    officer_only: bool = False  # question and answer stay on the officer's screen
    required: bool = False
    choices: tuple[Choice, ...] = ()
    relevant: Condition | None = None
    rules: Rules = field(default_factory=Rules)
    validator: str | None = None  # a name in intake_app.forms.validators.NAMED_VALIDATORS
    computed: ComputedSpec | None = None
    questions: tuple[Question, ...] = ()  # repeat group: the questions of one entry
    min_entries: int = 0
    max_entries: int | None = None
    entry_label: str | None = None  # repeat group: what one entry is called ("Opleiding")

    @property
    def options(self) -> tuple[Choice, ...]:
        """The choices an answer is picked from (yes/no/unknown has fixed ones)."""
        return YES_NO_UNKNOWN_CHOICES if self.kind is QuestionKind.YES_NO_UNKNOWN else self.choices

    @property
    def is_required(self) -> bool:
        """A repeat group with a minimum number of entries needs an answer even if not ``required``."""
        return self.required or (self.kind is QuestionKind.REPEAT_GROUP and self.min_entries > 0)

    @property
    def shown_to_client(self) -> bool:
        return self.client_text is not None and not self.officer_only


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    questions: tuple[Question, ...]
    client_title: str | None = None
    special_category: bool = False  # GDPR art. 9 data (health): collect only what is needed
    relevant: Condition | None = None  # the whole page appears or disappears


@dataclass(frozen=True, eq=False)
class Form:
    """A questionnaire. Compared by identity, so caches keyed on it stay cheap."""

    id: str
    version: str
    title: str
    domains: tuple[Domain, ...]
    _questions: dict[str, Question] = field(init=False, repr=False)
    _domain_of: dict[str, Domain] = field(init=False, repr=False)
    _group_of: dict[str, Question] = field(init=False, repr=False)
    _position: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        questions: dict[str, Question] = {}
        domain_of: dict[str, Domain] = {}
        group_of: dict[str, Question] = {}
        position: dict[str, int] = {}
        for domain in self.domains:
            for question in domain.questions:
                for item, group in ((question, None), *((child, question) for child in question.questions)):
                    # Duplicates are reported by the checker; the first definition wins here.
                    if item.id in questions:
                        continue
                    questions[item.id] = item
                    domain_of[item.id] = domain
                    position[item.id] = len(position)
                    if group is not None:
                        group_of[item.id] = group
        object.__setattr__(self, "_questions", questions)
        object.__setattr__(self, "_domain_of", domain_of)
        object.__setattr__(self, "_group_of", group_of)
        object.__setattr__(self, "_position", position)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if the form has none)."""
        return self._questions[question_id]

    def has_question(self, question_id: str) -> bool:
        return question_id in self._questions

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def domain_of(self, question_id: str) -> Domain:
        return self._domain_of[question_id]

    def group_of(self, question_id: str) -> Question | None:
        """The repeat group a question belongs to, or None at the top level."""
        return self._group_of.get(question_id)

    def position(self, question_id: str) -> int:
        """Place in interview order (domains in order, a group's questions right after the group)."""
        return self._position[question_id]

    def all_questions(self) -> Iterator[Question]:
        """Every question, repeat group questions included, in interview order."""
        return iter(self._questions.values())
