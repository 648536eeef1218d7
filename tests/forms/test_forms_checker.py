"""The loader refuses unsound definitions, naming each problem's place and field; it lists them all."""

from __future__ import annotations

import textwrap

import pytest

from intake_app.forms import FormDefinitionError, FormProblem, load_form_text

HEADER = 'id = "t"\nversion = "1"\ntitle = "Test"\n'

# A small sound form that the broken variants below start from.
BASE = """
[[domains]]
id = "d"
title = "Domein"

[[domains.questions]]
id = "group"
kind = "single_choice"
label = "Groep"
choices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]

[[domains.questions]]
id = "score"
kind = "integer"
label = "Score"
min = 0
max = 10

[[domains.questions]]
id = "langs"
kind = "multiple_choice"
label = "Talen"
choices = [{ value = "ar", label = "Arabisch" }, { value = "ti", label = "Tigrinya" }]

[[domains.questions]]
id = "info"
kind = "note"
label = "Informatie"
"""


def problems(body: str) -> list[FormProblem]:
    with pytest.raises(FormDefinitionError) as caught:
        load_form_text(HEADER + textwrap.dedent(body))
    return list(caught.value.problems)


def one_problem(body: str) -> FormProblem:
    found = problems(body)
    assert len(found) == 1, found
    return found[0]


def question(qid: str, extra: str, kind: str = "text") -> str:
    return f'\n[[domains.questions]]\nid = "{qid}"\nkind = "{kind}"\nlabel = "Vraag"\n{extra}\n'


def test_the_base_form_is_sound() -> None:
    form = load_form_text(HEADER + BASE)
    assert [q.id for q in form.all_questions()] == ["group", "score", "langs", "info"]


def test_unknown_question_in_a_condition_names_question_and_field() -> None:
    problem = one_problem(BASE + question("x", 'relevant = { question = "nope", equals = "a" }'))
    assert (problem.where, problem.field) == ("d/x", "relevant")
    assert "unknown question id 'nope'" in problem.message


def test_a_condition_on_a_later_question_is_rejected() -> None:
    later = 'relevant = { question = "langs", answered = true }'
    body = BASE.replace('id = "score"\nkind = "integer"', f'id = "score"\nkind = "integer"\n{later}')
    problem = one_problem(body)
    assert problem.where == "d/score"
    assert "'langs' comes later" in problem.message


def test_a_dependency_cycle_is_reported_with_its_path() -> None:
    body = """
    [[domains]]
    id = "d"
    title = "D"

    [[domains.questions]]
    id = "first"
    kind = "yes_no_unknown"
    label = "Eerste"
    relevant = { question = "second", equals = "yes" }

    [[domains.questions]]
    id = "second"
    kind = "yes_no_unknown"
    label = "Tweede"
    relevant = { question = "first", equals = "yes" }
    """
    found = problems(body)
    cycles = [p for p in found if "dependency cycle" in p.message]
    assert len(cycles) == 1
    assert "first -> second -> first" in cycles[0].message or "second -> first -> second" in cycles[0].message


def test_a_cycle_through_a_computed_value_is_found() -> None:
    body = """
    [[domains]]
    id = "d"
    title = "D"

    [[domains.questions]]
    id = "lbt_date"
    kind = "date"
    label = "Datum"
    relevant = { question = "mark", equals = 28 }

    [[domains.questions]]
    id = "mark"
    kind = "computed"
    label = "Cesuur"
    computed = { function = "lbt_pass_mark", from = "lbt_date" }
    """
    assert any("dependency cycle: " in p.message and "mark" in p.message for p in problems(body))


def test_a_question_referring_to_itself_is_rejected() -> None:
    body = BASE + question("x", 'relevant = { question = "x", answered = true }')
    found = problems(body)
    assert any(p.where == "d/x" and "refers to itself" in p.message for p in found)


def test_duplicate_question_ids_are_rejected_even_inside_groups() -> None:
    body = (
        BASE
        + question("entries", 'entry_label = "E"', kind="repeat_group")
        + '[[domains.questions.questions]]\nid = "score"\nkind = "text"\nlabel = "Dubbel"\n'
    )
    problem = one_problem(body)
    assert (problem.where, problem.field) == ("d/entries/score", "id")
    assert "duplicate question id 'score'" in problem.message


def test_duplicate_domain_ids_are_rejected() -> None:
    second = '\n[[domains]]\nid = "d"\ntitle = "Nog eens"\n' + question("other", "")
    assert any("duplicate domain id 'd'" in p.message for p in problems(BASE + second))


def test_a_choice_without_text_is_rejected() -> None:
    body = question("x", 'choices = [{ value = "a", label = "A" }, { value = "b" }]', kind="single_choice")
    problem = one_problem('[[domains]]\nid = "d"\ntitle = "D"\n' + body)
    assert (problem.where, problem.field) == ("d/x", "choices")
    assert "choice 'b' has no label" in problem.message


def test_a_duplicated_choice_value_is_rejected() -> None:
    body = question("x", 'choices = [{ value = "a", label = "A" }, { value = "a", label = "Ook A" }]', "single_choice")
    problem = one_problem('[[domains]]\nid = "d"\ntitle = "D"\n' + body)
    assert "choice value 'a' appears more than once" in problem.message


class TestUnreachable:
    def test_equals_a_value_that_is_not_a_choice(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "group", equals = "c" }'))
        assert problem.where == "d/x"
        assert "never true (unreachable)" in problem.message

    def test_in_with_no_offered_value(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "group", in = ["c", "e"] }'))
        assert "unreachable" in problem.message

    def test_a_typo_among_offered_values_is_still_reported(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "group", in = ["a", "bb"] }'))
        assert "['bb'] not among the choices" in problem.message

    def test_contains_a_value_that_is_not_a_choice(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "langs", contains = "fa" }'))
        assert "unreachable" in problem.message

    def test_yes_no_unknown_has_fixed_values(self) -> None:
        body = BASE + question("yn", "", "yes_no_unknown")
        body += question("x", 'relevant = { question = "yn", equals = "ja" }')
        assert "unreachable" in one_problem(body).message

    @pytest.mark.parametrize("test", ["lt = 0", "gt = 10", "ge = 11", "le = -1", "equals = 11", "in = [11, 12]"])
    def test_numbers_outside_the_questions_bounds(self, test: str) -> None:
        problem = one_problem(BASE + question("x", f'relevant = {{ question = "score", {test} }}'))
        assert "never true (unreachable) within 0..10" in problem.message

    def test_lbt_score_is_bounded_by_its_validator(self) -> None:
        body = BASE + question("lbt", 'validator = "lbt_score"', "integer")
        body += question("x", 'relevant = { question = "lbt", gt = 40 }')
        assert "unreachable" in one_problem(body).message

    def test_all_requiring_two_different_values(self) -> None:
        test = 'relevant = { all = [{ question = "group", equals = "a" }, { question = "group", equals = "b" }] }'
        problem = one_problem(BASE + question("x", test))
        assert "conflicting tests of 'group'" in problem.message

    def test_all_requiring_a_value_and_no_answer(self) -> None:
        test = 'relevant = { all = [{ question = "score", gt = 3 }, { question = "score", answered = false }] }'
        assert "conflicting tests of 'score'" in one_problem(BASE + question("x", test)).message

    def test_referring_to_a_note(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "info", answered = true }'))
        assert "is a note and never has an answer" in problem.message

    def test_not_equals_a_value_that_is_not_offered_is_a_typo(self) -> None:
        problem = one_problem(BASE + question("x", 'relevant = { question = "group", not_equals = "c" }'))
        assert "always true" in problem.message

    def test_reachable_conditions_pass(self) -> None:
        tests = [
            '{ question = "group", equals = "a" }',
            '{ question = "score", ge = 10 }',
            '{ question = "langs", contains = "ti" }',
            '{ any = [{ question = "group", equals = "a" }, { question = "group", equals = "b" }] }',
            '{ not = { question = "score", answered = true } }',
        ]
        body = BASE + "".join(question(f"x{i}", f"relevant = {test}") for i, test in enumerate(tests))
        assert len(list(load_form_text(HEADER + body).all_questions())) == 4 + len(tests)


def test_operators_must_fit_the_kind_of_question() -> None:
    body = BASE + question("x", 'relevant = { question = "langs", equals = "ar" }')
    body += question("y", 'relevant = { question = "group", gt = 3 }')
    messages = [p.message for p in problems(body)]
    assert any("use 'contains' or 'answered'" in m for m in messages)
    assert any("use 'equals', 'not_equals', 'in' or 'answered'" in m for m in messages)


def test_nested_repeat_groups_are_rejected() -> None:
    body = (
        '[[domains]]\nid = "d"\ntitle = "D"\n'
        + question("outer", "", "repeat_group")
        + '[[domains.questions.questions]]\nid = "inner"\nkind = "repeat_group"\nlabel = "Binnen"\n'
        + '[[domains.questions.questions.questions]]\nid = "leaf"\nkind = "text"\nlabel = "Blad"\n'
    )
    found = problems(body)
    assert any(p.where == "d/outer/inner" and "cannot be nested" in p.message for p in found)


def test_unknown_kind_is_rejected_without_a_cascade() -> None:
    problem = one_problem(BASE + question("x", 'choices = [{ value = "a", label = "A" }]', kind="dropdown"))
    assert (problem.where, problem.field) == ("d/x", "kind")
    assert "unknown kind 'dropdown'" in problem.message


def test_unknown_validator_is_rejected() -> None:
    problem = one_problem(BASE + question("x", 'validator = "iban"'))
    assert (problem.where, problem.field) == ("d/x", "validator")
    assert "unknown validator 'iban'" in problem.message


def test_a_validator_must_fit_the_kind() -> None:
    problem = one_problem(BASE + question("x", 'validator = "bsn"', "integer"))
    assert "'bsn' does not apply to integer" in problem.message


def test_unknown_fields_are_reported_so_typos_do_not_pass_silently() -> None:
    problem = one_problem(BASE + question("x", "requird = true"))
    assert (problem.where, problem.field, problem.message) == ("d/x", "requird", "unknown field")


def test_malformed_conditions_are_reported() -> None:
    body = BASE + question("x", 'relevant = { question = "group", equals = "a", in = ["b"] }')
    body += question("y", 'relevant = { all = [] }')
    found = problems(body)
    assert [p.where for p in found] == ["d/x", "d/y"]


def test_computed_questions_need_a_known_function_with_the_right_sources() -> None:
    body = BASE + question("x", 'computed = { function = "median", from = "score" }', "computed")
    body += question("y", 'computed = { function = "age", from = ["score"] }', "computed")
    body += question("z", 'computed = { function = "at_least", from = ["score"] }', "computed")
    messages = [p.message for p in problems(body)]
    assert any("unknown function 'median'" in m for m in messages)
    assert any("'age' cannot use integer 'score'" in m for m in messages)
    assert any("'at_least' takes 2 source(s)" in m for m in messages)


def test_only_highest_choice_may_read_into_a_repeat_group_from_outside() -> None:
    body = (
        '[[domains]]\nid = "d"\ntitle = "D"\n'
        + question("kids", "", "repeat_group")
        + '[[domains.questions.questions]]\nid = "kid_birth"\nkind = "date"\nlabel = "Geboren"\n'
        + question("kid_age", 'computed = { function = "age", from = "kid_birth" }', "computed")
    )
    assert "only highest_choice summarises entries" in one_problem(body).message


def test_field_combinations_that_make_no_sense_are_rejected() -> None:
    body = '[[domains]]\nid = "d"\ntitle = "D"\n'
    body += question("a", "", "scale")
    body += question("b", 'choices = [{ value = "x", label = "X" }]')
    body += question("c", "", "single_choice")
    body += question("d2", 'officer_only = true\nclient_text = "Hallo?"')
    body += question("e", 'required = true\ncomputed = { function = "age", from = "f" }', "computed")
    body += question("f", "", "date")
    fields = {(p.where, p.field) for p in problems(body)}
    assert {("d/a", "min/max"), ("d/b", "choices"), ("d/c", "choices"), ("d/d2", "client_text")} <= fields
    assert ("d/e", "required") in fields


def test_all_problems_are_listed_together() -> None:
    body = BASE + question("x", 'validator = "nope"')
    body += question("y", 'relevant = { question = "zzz", answered = true }')
    body += question("Bad-Id", "")
    with pytest.raises(FormDefinitionError) as caught:
        load_form_text(HEADER + body, "test.toml")
    assert len(caught.value.problems) == 3
    text = str(caught.value)
    assert text.startswith("test.toml: 3 problem(s)")
    assert "d/x [validator]" in text and "d/y [relevant]" in text and "d/Bad-Id [id]" in text


def test_toml_syntax_errors_are_reported_as_a_form_problem() -> None:
    with pytest.raises(FormDefinitionError) as caught:
        load_form_text('id = "t"\nversion = ', "broken.toml")
    assert caught.value.problems[0].where == "broken.toml"


def test_wrong_value_types_are_reported_with_the_field() -> None:
    problem = one_problem(BASE + question("x", 'required = "yes"'))
    assert (problem.where, problem.field) == ("d/x", "required")
    assert "expected true/false" in problem.message


def test_a_page_condition_may_only_use_answers_from_earlier_pages() -> None:
    body = BASE + '\n[[domains]]\nid = "later"\ntitle = "Later"\nrelevant = { question = "own", answered = true }\n'
    body += question("own", "")
    found = problems(body)
    assert (found[0].where, found[0].field) == ("later", "relevant")
    assert "'own' comes later" in found[0].message
    assert "dependency cycle: own -> page:later -> own" in found[1].message
    sound = BASE + '\n[[domains]]\nid = "later"\ntitle = "Later"\nrelevant = { question = "group", equals = "a" }\n'
    assert load_form_text(HEADER + sound + question("own", "")).domain("later").relevant is not None
