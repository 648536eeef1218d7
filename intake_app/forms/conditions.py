"""Structured relevance conditions: parsed from TOML tables, compiled to closures, never ``eval``-ed.

Forms::

    { question = "x", equals = v }        { question = "x", not_equals = v }
    { question = "x", in = [v, w] }       { question = "x", answered = true }
    { question = "x", lt = 5 }  (le, gt, ge: numbers, or ISO dates compared as dates)
    { question = "x", contains = v }      (multiple choice)
    { all = [...] }   { any = [...] }   { not = {...} }

Semantics: a comparison looks at the *current values* of ``x``: nothing when ``x`` is unanswered or
irrelevant, one value at the top level or in the same repeat entry, one per entry when ``x`` sits in a
repeat group the condition is not in ("true for at least one entry"). Every operator except
``answered`` is false when there is no value, so ``not_equals`` means "answered, and different".
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

from intake_app.forms.answers import AnswerValue, Scalar, same_value
from intake_app.forms.schema import (
    ORDER_OPERATORS,
    AllOf,
    AnyOf,
    Comparison,
    Condition,
    Not,
    Operand,
    Operator,
)
from intake_app.forms.validators import as_date

Resolve: TypeAlias = Callable[[str], Sequence[AnswerValue]]
Predicate: TypeAlias = Callable[[Resolve], bool]

_COMPARE: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.LT: operator.lt,
    Operator.LE: operator.le,
    Operator.GT: operator.gt,
    Operator.GE: operator.ge,
}


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool)


def _is_orderable_operand(value: object) -> bool:
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    return is_number or as_date(value) is not None


def parse_condition(data: object) -> tuple[Condition | None, list[str]]:
    """A condition from its TOML table, or None and the reasons it is malformed."""
    problems: list[str] = []
    condition = _parse(data, problems)
    return (condition if not problems else None), problems


def _parse(data: object, problems: list[str]) -> Condition | None:
    if not isinstance(data, dict):
        problems.append(f"a condition must be a table, not {data!r}")
        return None
    for combinator in ("all", "any"):
        if combinator in data:
            parts = data[combinator]
            if set(data) != {combinator} or not isinstance(parts, list) or not parts:
                problems.append(f"'{combinator}' takes a non-empty list of conditions and nothing else")
                return None
            parsed = tuple(_parse(part, problems) for part in parts)
            if any(part is None for part in parsed):
                return None
            conditions = tuple(part for part in parsed if part is not None)
            return AllOf(conditions) if combinator == "all" else AnyOf(conditions)
    if "not" in data:
        if set(data) != {"not"}:
            problems.append("'not' takes one condition and nothing else")
            return None
        inner = _parse(data["not"], problems)
        return None if inner is None else Not(inner)
    return _parse_comparison(data, problems)


def _parse_comparison(data: dict[str, object], problems: list[str]) -> Comparison | None:
    question = data.get("question")
    if not isinstance(question, str) or not question:
        problems.append(f"a comparison needs 'question = \"<id>\"': {data!r}")
        return None
    operators = [key for key in data if key != "question"]
    known = {op.value for op in Operator}
    unknown = [key for key in operators if key not in known]
    if unknown or len(operators) != 1:
        problems.append(
            f"comparison on '{question}' needs exactly one of {sorted(known)}, found {sorted(operators)}"
        )
        return None
    op = Operator(operators[0])
    raw = data[op.value]
    operand = _parse_operand(op, raw)
    if operand is None:
        problems.append(f"'{op.value}' on '{question}': unsuitable value {raw!r}")
        return None
    return Comparison(question, op, operand)


def _parse_operand(op: Operator, raw: object) -> Operand | None:
    if op is Operator.ANSWERED:
        return raw if isinstance(raw, bool) else None
    if op is Operator.IN:
        if isinstance(raw, list) and raw and all(_is_scalar(item) for item in raw):
            return tuple(raw)
        return None
    if op is Operator.CONTAINS:
        return raw if isinstance(raw, str) else None
    if op in ORDER_OPERATORS:
        return raw if isinstance(raw, str | int | float) and _is_orderable_operand(raw) else None
    return raw if isinstance(raw, str | int | float | bool) else None


def _ordered(op: Operator, value: AnswerValue, operand: Scalar) -> bool:
    """Numbers with numbers, dates with dates; anything else (text, a bad date) is never in order."""
    compare = _COMPARE[op]
    if isinstance(operand, int | float) and not isinstance(operand, bool):
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        return is_number and compare(value, operand)
    left, right = as_date(value), as_date(operand)
    return left is not None and right is not None and compare(left, right)


def _value_test(op: Operator, operand: Operand) -> Callable[[AnswerValue], bool]:
    if op is Operator.EQUALS:
        return lambda value: same_value(value, operand)
    if op is Operator.NOT_EQUALS:
        return lambda value: not same_value(value, operand)
    if op is Operator.IN:
        options = operand if isinstance(operand, tuple) else (operand,)
        return lambda value: any(same_value(value, option) for option in options)
    if op is Operator.CONTAINS:
        return lambda value: isinstance(value, list) and operand in value
    assert not isinstance(operand, tuple)
    return lambda value: _ordered(op, value, operand)


def compile_condition(condition: Condition) -> Predicate:
    """A closure that evaluates the condition against a value resolver."""
    if isinstance(condition, Comparison):
        question = condition.question
        if condition.operator is Operator.ANSWERED:
            wanted = bool(condition.operand)
            return lambda resolve: bool(resolve(question)) is wanted
        test = _value_test(condition.operator, condition.operand)
        return lambda resolve: any(test(value) for value in resolve(question))
    if isinstance(condition, Not):
        inner = compile_condition(condition.condition)
        return lambda resolve: not inner(resolve)
    parts = tuple(compile_condition(part) for part in condition.conditions)
    if isinstance(condition, AllOf):
        return lambda resolve: all(part(resolve) for part in parts)
    return lambda resolve: any(part(resolve) for part in parts)


def evaluate(condition: Condition | None, resolve: Resolve) -> bool:
    """Convenience for one-off evaluation (the engine keeps compiled predicates)."""
    return True if condition is None else compile_condition(condition)(resolve)


__all__ = ["AllOf", "AnyOf", "Comparison", "Not", "compile_condition", "evaluate", "parse_condition"]
