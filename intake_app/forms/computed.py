"""Values the engine derives from answers (``kind = "computed"``), by name.

A computed question says ``computed = { function = "age", from = "date_of_birth" }``. Each function
gets, per source question, the list of its current values: one value (or none) for a question at the
top level or in the same repeat entry, one per entry for a question inside another repeat group.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TypeGuard

from intake_app.forms.answers import AnswerValue
from intake_app.forms.schema import (
    NO,
    YES,
    YES_NO_UNKNOWN_CHOICES,
    Choice,
    ComputedSpec,
    Question,
    QuestionKind,
)
from intake_app.forms.validators import age_on, as_date

# The LBT pass mark (cesuur) depends on the test date: 31 until 11 April 2023, 28 from 12 April 2023.
# Store the raw score and derive the mark, so a future change is one more line here.
LBT_PASS_MARK_INITIAL = 31
LBT_PASS_MARK_CHANGES: tuple[tuple[date, int], ...] = ((date(2023, 4, 12), 28),)


def lbt_pass_mark_on(test_date: date) -> int:
    mark = LBT_PASS_MARK_INITIAL
    for since, value in LBT_PASS_MARK_CHANGES:
        if test_date >= since:
            mark = value
    return mark


@dataclass(frozen=True)
class ComputeInput:
    spec: ComputedSpec
    sources: tuple[Question, ...]
    values: tuple[Sequence[AnswerValue], ...]  # per source: the values found (empty: unanswered)
    reference_date: date


def _single(values: Sequence[AnswerValue]) -> AnswerValue | None:
    return values[0] if len(values) == 1 else None


def _age(data: ComputeInput) -> AnswerValue | None:
    birth = as_date(_single(data.values[0]))
    if birth is None or birth > data.reference_date:
        return None
    return age_on(birth, data.reference_date)


def _lbt_pass_mark(data: ComputeInput) -> AnswerValue | None:
    test_date = as_date(_single(data.values[0]))
    return None if test_date is None else lbt_pass_mark_on(test_date)


def _at_least(data: ComputeInput) -> AnswerValue | None:
    value, threshold = _single(data.values[0]), _single(data.values[1])
    if not (_is_number(value) and _is_number(threshold)):
        return None
    return YES if value >= threshold else NO


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _highest_choice(data: ComputeInput) -> AnswerValue | None:
    ranking = highest_choice_order(data.spec, data.sources[0])
    rank = {value: index for index, value in enumerate(ranking)}
    found = [value for value in data.values[0] if isinstance(value, str) and value in rank]
    return max(found, key=rank.__getitem__) if found else None


def highest_choice_order(spec: ComputedSpec, source: Question) -> tuple[str, ...]:
    """Low to high: the spec's ``order`` if given, else the source's choice order."""
    return spec.order or tuple(choice.value for choice in source.options)


@dataclass(frozen=True)
class ComputedFunction:
    arity: int
    source_kinds: frozenset[QuestionKind]  # what each source's value must be
    result_kind: QuestionKind  # how conditions see the result
    compute: Callable[[ComputeInput], AnswerValue | None]
    summarises_entries: bool = False  # may read a question inside a repeat group from outside it


_CHOICE_LIKE = frozenset(
    {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.YES_NO_UNKNOWN}
)
_DATES = frozenset({QuestionKind.DATE})
_NUMBERS = frozenset({QuestionKind.INTEGER, QuestionKind.DECIMAL, QuestionKind.SCALE})

FUNCTIONS: Mapping[str, ComputedFunction] = MappingProxyType(
    {
        "age": ComputedFunction(1, _DATES, QuestionKind.INTEGER, _age),
        "lbt_pass_mark": ComputedFunction(1, _DATES, QuestionKind.INTEGER, _lbt_pass_mark),
        "at_least": ComputedFunction(2, _NUMBERS, QuestionKind.YES_NO_UNKNOWN, _at_least),
        "highest_choice": ComputedFunction(
            1, frozenset({QuestionKind.SINGLE_CHOICE}), QuestionKind.SINGLE_CHOICE, _highest_choice, True
        ),
    }
)


def value_kind(question: Question) -> QuestionKind:
    """The kind of value a question holds; for a computed question, its function's result kind."""
    if question.kind is QuestionKind.COMPUTED and question.computed is not None:
        function = FUNCTIONS.get(question.computed.function)
        if function is not None:
            return function.result_kind
    return question.kind


def value_choices(question: Question, lookup: Callable[[str], Question | None]) -> tuple[Choice, ...] | None:
    """The values a choice-like question can take (None: not a choice-like question)."""
    spec = question.computed
    if question.kind is not QuestionKind.COMPUTED or spec is None:
        kind = question.kind
        return question.options if kind in _CHOICE_LIKE else None
    if spec.function == "at_least":
        return tuple(choice for choice in YES_NO_UNKNOWN_CHOICES if choice.value in (YES, NO))
    if spec.function == "highest_choice" and spec.sources:
        source = lookup(spec.sources[0])
        if source is not None:
            order = highest_choice_order(spec, source)
            return tuple(choice for choice in source.options if choice.value in order)
    return None
