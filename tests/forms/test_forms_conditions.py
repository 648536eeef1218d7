"""Every condition kind, evaluated by the engine on a small inline form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from intake_app.forms import AnswerKey, AnswerValue, Interview, load_form_text
from intake_app.forms.conditions import evaluate, parse_condition
from intake_app.forms.schema import AllOf, Comparison, Not, Operator

FORM = load_form_text(
    """
id = "conditions"
version = "1"
title = "Voorwaarden"

[[domains]]
id = "d"
title = "D"

[[domains.questions]]
id = "colour"
kind = "single_choice"
label = "Kleur"
choices = [{ value = "red", label = "Rood" }, { value = "green", label = "Groen" }, { value = "blue", label = "Blauw" }]

[[domains.questions]]
id = "count"
kind = "integer"
label = "Aantal"
min = 0
max = 100

[[domains.questions]]
id = "when"
kind = "date"
label = "Datum"

[[domains.questions]]
id = "langs"
kind = "multiple_choice"
label = "Talen"
choices = [{ value = "ar", label = "Arabisch" }, { value = "ti", label = "Tigrinya" }]

[[domains.questions]]
id = "name"
kind = "text"
label = "Naam"

[[domains.questions]]
id = "flag"
kind = "yes_no_unknown"
label = "Vlag"

[[domains.questions]]
id = "t_equals"
kind = "text"
label = "T"
relevant = { question = "colour", equals = "red" }

[[domains.questions]]
id = "t_not_equals"
kind = "text"
label = "T"
relevant = { question = "colour", not_equals = "red" }

[[domains.questions]]
id = "t_in"
kind = "text"
label = "T"
relevant = { question = "colour", in = ["red", "green"] }

[[domains.questions]]
id = "t_answered"
kind = "text"
label = "T"
relevant = { question = "name", answered = true }

[[domains.questions]]
id = "t_unanswered"
kind = "text"
label = "T"
relevant = { question = "name", answered = false }

[[domains.questions]]
id = "t_lt"
kind = "text"
label = "T"
relevant = { question = "count", lt = 10 }

[[domains.questions]]
id = "t_le"
kind = "text"
label = "T"
relevant = { question = "count", le = 10 }

[[domains.questions]]
id = "t_gt"
kind = "text"
label = "T"
relevant = { question = "count", gt = 10 }

[[domains.questions]]
id = "t_ge"
kind = "text"
label = "T"
relevant = { question = "count", ge = 10 }

[[domains.questions]]
id = "t_before"
kind = "text"
label = "T"
relevant = { question = "when", lt = "2023-04-12" }

[[domains.questions]]
id = "t_contains"
kind = "text"
label = "T"
relevant = { question = "langs", contains = "ar" }

[[domains.questions]]
id = "t_all"
kind = "text"
label = "T"
relevant = { all = [{ question = "flag", equals = "yes" }, { question = "count", ge = 18 }] }

[[domains.questions]]
id = "t_any"
kind = "text"
label = "T"
relevant = { any = [{ question = "colour", equals = "red" }, { question = "flag", equals = "yes" }] }

[[domains.questions]]
id = "t_not"
kind = "text"
label = "T"
relevant = { not = { question = "colour", equals = "red" } }

[[domains.questions]]
id = "t_chained"
kind = "text"
label = "Hangt af van t_equals"
relevant = { question = "t_equals", answered = true }

[[domains.questions]]
id = "items"
kind = "repeat_group"
label = "Items"

[[domains.questions.questions]]
id = "item_kind"
kind = "single_choice"
label = "Soort"
choices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]

[[domains.questions.questions]]
id = "item_detail"
kind = "text"
label = "Alleen bij soort A, in hetzelfde item"
relevant = { question = "item_kind", equals = "a" }

[[domains.questions]]
id = "t_some_item_a"
kind = "text"
label = "Als een van de items soort A is"
relevant = { question = "item_kind", equals = "a" }
"""
)
K = AnswerKey


def relevant(answers: Mapping[str, AnswerValue], target: str) -> bool:
    interview = Interview(FORM, {K(qid): value for qid, value in answers.items()}, reference_date=date(2026, 1, 1))
    return interview.is_relevant(K(target))


CASES = [
    ({"colour": "red"}, "t_equals", True),
    ({"colour": "blue"}, "t_equals", False),
    ({}, "t_equals", False),
    ({"colour": "blue"}, "t_not_equals", True),
    ({"colour": "red"}, "t_not_equals", False),
    ({}, "t_not_equals", False),  # not_equals needs an answer
    ({"colour": "green"}, "t_in", True),
    ({"colour": "blue"}, "t_in", False),
    ({"name": "Amal"}, "t_answered", True),
    ({"name": "   "}, "t_answered", False),  # blank is no answer
    ({}, "t_unanswered", True),
    ({"name": "Amal"}, "t_unanswered", False),
    ({"count": 9}, "t_lt", True),
    ({"count": 10}, "t_lt", False),
    ({"count": 10}, "t_le", True),
    ({"count": 11}, "t_le", False),
    ({"count": 11}, "t_gt", True),
    ({"count": 10}, "t_gt", False),
    ({"count": 10}, "t_ge", True),
    ({"count": 9}, "t_ge", False),
    ({"count": "12"}, "t_ge", False),  # text is never ordered against a number
    ({"when": "2023-04-11"}, "t_before", True),
    ({"when": "2023-04-12"}, "t_before", False),
    ({"when": "2023-02-30"}, "t_before", False),  # an impossible date compares with nothing
    ({"langs": ["ti", "ar"]}, "t_contains", True),
    ({"langs": ["ti"]}, "t_contains", False),
    ({"flag": "yes", "count": 18}, "t_all", True),
    ({"flag": "yes", "count": 17}, "t_all", False),
    ({"flag": "no", "count": 30}, "t_all", False),
    ({"colour": "red"}, "t_any", True),
    ({"flag": "yes"}, "t_any", True),
    ({"colour": "blue", "flag": "no"}, "t_any", False),
    ({}, "t_not", True),
    ({"colour": "blue"}, "t_not", True),
    ({"colour": "red"}, "t_not", False),
]


@pytest.mark.parametrize(("answers", "target", "expected"), CASES)
def test_condition(answers: dict[str, AnswerValue], target: str, expected: bool) -> None:
    assert relevant(answers, target) is expected


def test_an_irrelevant_answer_counts_as_no_answer_for_later_conditions() -> None:
    answers = {"colour": "red", "t_equals": "kept"}
    assert relevant(answers, "t_chained")
    answers["colour"] = "blue"  # t_equals becomes irrelevant; its answer is kept but no longer decides
    assert not relevant(answers, "t_chained")


def test_inside_a_repeat_group_a_condition_reads_the_sibling_in_the_same_entry() -> None:
    interview = Interview(FORM, reference_date=date(2026, 1, 1))
    interview, first = interview.add_entry("items")
    interview, second = interview.add_entry("items")
    interview = interview.set_answer(K("item_kind", first), "a").set_answer(K("item_kind", second), "b")
    assert interview.is_relevant(K("item_detail", first))
    assert not interview.is_relevant(K("item_detail", second))


def test_outside_a_repeat_group_a_condition_holds_if_any_entry_matches() -> None:
    interview = Interview(FORM, reference_date=date(2026, 1, 1))
    interview, first = interview.add_entry("items")
    interview, second = interview.add_entry("items")
    interview = interview.set_answer(K("item_kind", first), "b")
    assert not interview.is_relevant(K("t_some_item_a"))
    interview = interview.set_answer(K("item_kind", second), "a")
    assert interview.is_relevant(K("t_some_item_a"))
    assert not interview.remove_entry("items", second).is_relevant(K("t_some_item_a"))


def test_booleans_and_numbers_are_not_confused() -> None:
    condition = Comparison("x", Operator.EQUALS, 1)
    assert evaluate(condition, lambda _: (1,))
    assert evaluate(condition, lambda _: (1.0,))
    assert not evaluate(condition, lambda _: (True,))
    assert not evaluate(Comparison("x", Operator.EQUALS, "1"), lambda _: (1,))


def test_parse_condition_builds_the_structure() -> None:
    condition, problems = parse_condition(
        {"all": [{"question": "a", "in": ["x", "y"]}, {"not": {"question": "b", "answered": True}}]}
    )
    assert problems == []
    assert condition == AllOf(
        (Comparison("a", Operator.IN, ("x", "y")), Not(Comparison("b", Operator.ANSWERED, True)))
    )


@pytest.mark.parametrize(
    "data",
    [
        {"question": "a"},
        {"question": "a", "equals": 1, "lt": 2},
        {"question": "a", "between": [1, 2]},
        {"question": "a", "lt": "soon"},
        {"question": "a", "answered": "yes"},
        {"question": "a", "in": []},
        {"any": [{"question": "a", "equals": 1}], "question": "a"},
        {"not": "a"},
        ["a"],
    ],
)
def test_parse_condition_refuses_malformed_tables(data: object) -> None:
    condition, problems = parse_condition(data)
    assert condition is None
    assert problems
