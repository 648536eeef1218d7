"""Validators: each rule accepts what it should, refuses what it should, with a clear Dutch message."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest

from intake_app.forms import AnswerValue
from intake_app.forms import validators as v
from intake_app.forms.schema import Choice, Question, QuestionKind, Rules
from intake_app.forms.validators import ValidationContext, ValidationStatus, validate_answer

TODAY = date(2026, 3, 1)
CONTEXT = ValidationContext(TODAY)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990"])
def test_bsn_passing_the_11_test_is_valid(bsn: str) -> None:
    assert v.check_bsn(bsn).ok


@pytest.mark.parametrize("bsn", ["123456789", "111222334", "999999999"])
def test_bsn_failing_the_11_test_is_refused(bsn: str) -> None:
    result = v.check_bsn(bsn)
    assert result.status is ValidationStatus.INVALID
    assert result.message == v.MSG_BSN_CHECK


@pytest.mark.parametrize("bsn", ["12345678", "1234567890", "11122233a", "111 222 333", "", "١١١٢٢٢٣٣٣"])
def test_bsn_must_be_nine_ascii_digits(bsn: str) -> None:
    assert v.check_bsn(bsn).message == v.MSG_BSN_FORMAT


def test_bsn_of_only_zeros_is_refused_although_it_passes_the_sum() -> None:
    assert v.check_bsn("000000000").message == v.MSG_BSN_ZEROS


@pytest.mark.parametrize("number", ["1234567890", "0000000001"])
def test_v_number_is_exactly_ten_digits(number: str) -> None:
    assert v.check_v_number(number).ok


@pytest.mark.parametrize("number", ["123456789", "12345678901", "12345abcde", "V123456789"])
def test_v_number_with_other_lengths_or_characters_is_refused(number: str) -> None:
    assert v.check_v_number(number).message == v.MSG_V_NUMBER


@pytest.mark.parametrize("text", ["2025-02-30", "2023-02-29", "2024-13-01", "2024-04-31", "2024-00-10"])
def test_impossible_dates_say_the_date_does_not_exist(text: str) -> None:
    result = v.check_date(text)
    assert result.message == v.MSG_DATE_IMPOSSIBLE
    assert result.params == {"date": text}
    assert "bestaat niet" in result.render()


@pytest.mark.parametrize("text", ["1-3-2020", "2020/03/01", "20200301", "2020-3-1", " 2020-03-01"])
def test_dates_in_another_format_ask_for_year_month_day(text: str) -> None:
    assert v.check_date(text).message == v.MSG_DATE_FORMAT


def test_leap_day_exists_only_in_leap_years() -> None:
    assert v.check_date("2024-02-29").ok
    assert not v.check_date("2100-02-29").ok


def test_not_future_accepts_today_and_refuses_tomorrow() -> None:
    assert v.check_not_future("2026-03-01", CONTEXT).ok
    result = v.check_not_future("2026-03-02", CONTEXT)
    assert result.message == v.MSG_NOT_FUTURE
    assert result.params == {"today": "2026-03-01"}


def test_not_future_reports_an_impossible_date_as_such() -> None:
    assert v.check_not_future("2026-02-30", CONTEXT).message == v.MSG_DATE_IMPOSSIBLE


class TestDateOfBirth:
    def test_eighteenth_birthday_is_the_first_valid_day(self) -> None:
        assert v.check_date_of_birth("2008-03-01", CONTEXT).ok

    def test_one_day_before_the_eighteenth_birthday_is_17_and_refused(self) -> None:
        result = v.check_date_of_birth("2008-03-02", CONTEXT)
        assert result.message == v.MSG_TOO_YOUNG
        assert result.params["age"] == 17
        assert result.params["minimum_age"] == 18

    def test_the_day_before_reaching_the_aow_age_is_still_valid(self) -> None:
        assert v.check_date_of_birth("1959-03-02", CONTEXT).ok  # 66 years old

    def test_reaching_the_aow_age_ends_the_obligation(self) -> None:
        result = v.check_date_of_birth("1959-03-01", CONTEXT)
        assert result.message == v.MSG_TOO_OLD
        assert result.params == {"reference_date": "2026-03-01", "age": 67, "aow_age": 67}

    def test_the_aow_age_is_configurable(self) -> None:
        later_pension = ValidationContext(TODAY, aow_age=68)
        assert v.check_date_of_birth("1959-03-01", later_pension).ok
        assert not v.check_date_of_birth("1958-03-01", later_pension).ok

    def test_a_birth_date_in_the_future_is_refused_as_future(self) -> None:
        assert v.check_date_of_birth("2027-01-01", CONTEXT).message == v.MSG_NOT_FUTURE

    def test_an_impossible_birth_date_is_reported(self) -> None:
        assert v.check_date_of_birth("1990-02-30", CONTEXT).message == v.MSG_DATE_IMPOSSIBLE

    def test_leap_day_birthday_is_reached_on_the_first_of_march(self) -> None:
        assert v.age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
        assert v.age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@pytest.mark.parametrize("score", [0, 28, 40])
def test_lbt_score_between_0_and_40_is_valid(score: int) -> None:
    assert v.check_lbt_score(score).ok


@pytest.mark.parametrize("score", [-1, 41, 28.5, "28", True])
def test_lbt_score_outside_0_40_or_not_whole_is_refused(score: object) -> None:
    result = v.check_lbt_score(score)  # type: ignore[arg-type]
    assert result.message == v.MSG_LBT_SCORE
    assert result.params == {"min": 0, "max": 40}


def test_range_names_both_limits_or_the_one_that_exists() -> None:
    assert v.check_range(5, 1, 10).ok
    assert v.check_range(11, 1, 10).render() == "Vul een getal in tussen 1 en 10."
    assert v.check_range(0, 1, None).render() == "Vul een getal in van minimaal 1."
    assert v.check_range(11, None, 10.0).render() == "Vul een getal in van maximaal 10."
    assert v.check_range(True, 0, 10).message == v.MSG_NUMBER
    assert v.check_range(float("nan"), 0, 10).message == v.MSG_NUMBER


def test_length_counts_characters_without_surrounding_spaces() -> None:
    assert v.check_length("  ab  ", 2, 2).ok
    assert v.check_length("abc", None, 2).params == {"max_length": 2}
    assert v.check_length("a", 2, None).params == {"min_length": 2}
    assert v.check_length("a", 2, 4).message == v.MSG_LENGTH


def test_pattern_must_match_the_whole_answer() -> None:
    assert v.check_pattern("1234 AB", r"[1-9][0-9]{3} ?[A-Z]{2}").ok
    assert v.check_pattern("1234 AB extra", r"[1-9][0-9]{3} ?[A-Z]{2}").message == v.MSG_PATTERN


def _question(kind: QuestionKind, **fields: object) -> Question:
    return Question("q", kind, "Vraag", **fields)  # type: ignore[arg-type]


def test_required_empty_answers_are_reported_as_such_not_as_invalid() -> None:
    question = _question(QuestionKind.TEXT, required=True)
    empties: list[AnswerValue | None] = [None, "", "   ", []]
    for empty in empties:
        assert validate_answer(question, empty, CONTEXT).status is ValidationStatus.REQUIRED_EMPTY
    assert validate_answer(_question(QuestionKind.TEXT), "", CONTEXT).ok


def test_kind_checks_refuse_values_of_the_wrong_type() -> None:
    assert validate_answer(_question(QuestionKind.INTEGER), 2.5, CONTEXT).message == v.MSG_INTEGER
    assert validate_answer(_question(QuestionKind.INTEGER), True, CONTEXT).message == v.MSG_INTEGER
    assert validate_answer(_question(QuestionKind.DECIMAL), 2.5, CONTEXT).ok
    assert validate_answer(_question(QuestionKind.TEXT), 5, CONTEXT).message == v.MSG_TEXT
    assert validate_answer(_question(QuestionKind.DATE), "2025-02-30", CONTEXT).message == v.MSG_DATE_IMPOSSIBLE


def test_scale_accepts_whole_numbers_within_its_bounds() -> None:
    scale = _question(QuestionKind.SCALE, rules=Rules(minimum=1, maximum=10))
    assert validate_answer(scale, 10, CONTEXT).ok
    result = validate_answer(scale, 11, CONTEXT)
    assert result.render() == "Kies een waarde van 1 tot en met 10."


def test_single_choice_and_yes_no_unknown_accept_only_offered_values() -> None:
    choice = _question(QuestionKind.SINGLE_CHOICE, choices=(Choice("a", "A"), Choice("b", "B")))
    assert validate_answer(choice, "a", CONTEXT).ok
    assert validate_answer(choice, "c", CONTEXT).message == v.MSG_CHOICE
    yes_no = _question(QuestionKind.YES_NO_UNKNOWN)
    assert validate_answer(yes_no, "unknown", CONTEXT).ok
    assert validate_answer(yes_no, "misschien", CONTEXT).message == v.MSG_CHOICE


def test_multiple_choice_refuses_unknown_or_repeated_values_and_combined_exclusive_ones() -> None:
    choices = (Choice("none", "Geen", exclusive=True), Choice("a", "A"), Choice("b", "B"))
    multiple = _question(QuestionKind.MULTIPLE_CHOICE, choices=choices)
    assert validate_answer(multiple, ["a", "b"], CONTEXT).ok
    assert validate_answer(multiple, ["none"], CONTEXT).ok
    assert validate_answer(multiple, ["a", "x"], CONTEXT).message == v.MSG_CHOICES
    assert validate_answer(multiple, ["a", "a"], CONTEXT).message == v.MSG_CHOICES
    exclusive = validate_answer(multiple, ["a", "none"], CONTEXT)
    assert exclusive.message == v.MSG_EXCLUSIVE
    assert exclusive.params == {"choice": "Geen"}


def test_repeat_group_counts_its_entries_against_min_and_max() -> None:
    group = _question(QuestionKind.REPEAT_GROUP, min_entries=2, max_entries=3)
    assert validate_answer(group, ["a", "b"], CONTEXT).ok
    assert validate_answer(group, ["a"], CONTEXT).params == {"min": 2}
    assert validate_answer(group, ["a", "b", "c", "d"], CONTEXT).params == {"max": 3}
    assert validate_answer(group, [], CONTEXT).status is ValidationStatus.REQUIRED_EMPTY
    assert validate_answer(group, ["a", "a"], CONTEXT).message == v.MSG_ENTRIES


def test_named_validator_runs_after_the_kind_check() -> None:
    bsn = _question(QuestionKind.TEXT, validator="bsn")
    assert validate_answer(bsn, "111222333", CONTEXT).ok
    assert validate_answer(bsn, "123456789", CONTEXT).message == v.MSG_BSN_CHECK


def _messages() -> dict[str, str]:
    return {name: value for name, value in vars(v).items() if name.startswith("MSG_") and isinstance(value, str)}


def test_every_message_uses_named_placeholders_only() -> None:
    messages = _messages()
    assert len(messages) > 20
    for name, message in messages.items():
        fields = [field for _, field, _, _ in string.Formatter().parse(message) if field is not None]
        assert all(re.fullmatch(r"[a-z_]+", field) for field in fields), (name, fields)


def test_rendering_fills_placeholders_and_applies_the_catalog() -> None:
    result = v.check_range(11, 1, 10)
    assert result.render(lambda text: text.replace("Vul een getal in", "Enter a number")) == (
        "Enter a number tussen 1 en 10."
    )
    assert v.OK.render() == ""


def test_results_are_immutable_and_comparable() -> None:
    result = v.check_range(11, 1, 10)
    assert result == v.check_range(12, 1, 10)
    with pytest.raises(TypeError):
        result.params["min"] = 5  # type: ignore[index]
