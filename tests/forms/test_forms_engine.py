"""The engine on a small inline form: edits, repeat entries, completeness, navigation."""

from __future__ import annotations

from datetime import date

import pytest

from intake_app.forms import (
    AnswerChange,
    AnswerKey,
    AnswerValue,
    Interview,
    RepeatLimitError,
    ValidationStatus,
    diff_answers,
    load_form_text,
    repeat,
)

FORM = load_form_text(
    """
id = "engine"
version = "1"
title = "Engine"

[[domains]]
id = "intro"
title = "Intro"

[[domains.questions]]
id = "welcome"
kind = "note"
label = "Welkom"

[[domains.questions]]
id = "name"
kind = "text"
label = "Naam"
required = true

[[domains.questions]]
id = "has_children"
kind = "yes_no_unknown"
label = "Kinderen"
required = true

[[domains.questions]]
id = "children"
kind = "repeat_group"
label = "Kinderen"
required = true
min_entries = 1
max_entries = 3
relevant = { question = "has_children", equals = "yes" }

[[domains.questions.questions]]
id = "child_birth"
kind = "date"
label = "Geboortedatum"
required = true
validator = "not_future"

[[domains.questions.questions]]
id = "child_age"
kind = "computed"
label = "Leeftijd"
computed = { function = "age", from = "child_birth" }

[[domains.questions.questions]]
id = "child_school"
kind = "text"
label = "School"
required = true
relevant = { question = "child_age", ge = 4 }

[[domains]]
id = "extra"
title = "Extra"
relevant = { question = "has_children", equals = "no" }

[[domains.questions]]
id = "why"
kind = "long_text"
label = "Waarom"
required = true
"""
)
K = AnswerKey
TODAY = date(2026, 3, 1)


def fresh(**answers: object) -> Interview:
    return Interview(FORM, {K(q): v for q, v in answers.items()}, reference_date=TODAY)  # type: ignore[misc]


class TestEdits:
    def test_set_answer_returns_a_new_interview_and_leaves_the_old_one_alone(self) -> None:
        before = fresh()
        after = before.set_answer(K("name"), "Amal")
        assert before.answer(K("name")) is None
        assert after.answer(K("name")) == "Amal"
        assert after.changes == (AnswerChange(K("name"), None, "Amal"),)

    def test_setting_a_blank_value_clears_the_answer(self) -> None:
        interview = fresh(name="Amal").set_answer(K("name"), "  ")
        assert K("name") not in interview.answers
        assert interview.changes == (AnswerChange(K("name"), "Amal", None),)

    def test_setting_the_same_value_changes_nothing(self) -> None:
        assert fresh(name="Amal").set_answer(K("name"), "Amal").changes == ()

    def test_lists_are_copied_so_later_mutation_does_not_leak_in(self) -> None:
        form = load_form_text(
            'id = "m"\nversion = "1"\ntitle = "M"\n[[domains]]\nid = "d"\ntitle = "D"\n'
            '[[domains.questions]]\nid = "langs"\nkind = "multiple_choice"\nlabel = "Talen"\n'
            'choices = [{ value = "ar", label = "Arabisch" }, { value = "ti", label = "Tigrinya" }]\n'
        )
        chosen = ["ar"]
        interview = Interview(form, reference_date=TODAY).set_answer(K("langs"), chosen)
        chosen.append("ti")
        assert interview.answer(K("langs")) == ["ar"]

    def test_answers_are_read_only(self) -> None:
        with pytest.raises(TypeError):
            fresh().answers[K("name")] = "x"  # type: ignore[index]

    @pytest.mark.parametrize(
        ("key", "error"),
        [
            (K("nope"), KeyError),
            (K("welcome"), ValueError),  # a note takes no answer
            (K("children"), ValueError),  # entries go through add/remove/move
            (K("name", "entry"), ValueError),  # not in a group
            (K("child_birth"), ValueError),  # in a group, but no entry
            (K("child_birth", "missing"), ValueError),
        ],
    )
    def test_set_answer_refuses_keys_that_do_not_fit_the_form(self, key: AnswerKey, error: type[Exception]) -> None:
        with pytest.raises(error):
            fresh().set_answer(key, "2020-01-01")

    def test_values_that_are_not_json_compatible_are_refused(self) -> None:
        with pytest.raises(TypeError):
            fresh().set_answer(K("name"), date(2020, 1, 1))  # type: ignore[arg-type]


class TestRepeatEntries:
    def test_add_entry_appends_a_stable_id_and_records_the_order(self) -> None:
        interview, first = fresh(has_children="yes").add_entry("children")
        interview, second = interview.add_entry("children")
        assert len(first) == 32 and first != second
        assert interview.entries("children") == (first, second)
        assert interview.answer(K("children")) == [first, second]
        assert interview.changes == (AnswerChange(K("children"), [first], [first, second]),)

    def test_add_entry_at_a_position_and_with_a_given_id(self) -> None:
        interview, first = fresh().add_entry("children", entry_id="e1")
        interview, second = interview.add_entry("children", entry_id="e0", position=0)
        assert (first, second) == ("e1", "e0")
        assert interview.entries("children") == ("e0", "e1")
        with pytest.raises(ValueError):
            interview.add_entry("children", entry_id="e0")
        with pytest.raises(IndexError):
            interview.add_entry("children", position=5)

    def test_add_entry_stops_at_max_entries(self) -> None:
        interview = fresh()
        for _ in range(3):
            interview, _ = interview.add_entry("children")
        with pytest.raises(RepeatLimitError):
            interview.add_entry("children")

    def test_remove_entry_drops_its_answers_and_reports_each_removed_row(self) -> None:
        interview, first = fresh(has_children="yes").add_entry("children")
        interview, second = interview.add_entry("children")
        interview = interview.set_answer(K("child_birth", first), "2015-01-01")
        interview = interview.set_answer(K("child_school", first), "De Regenboog")
        interview = interview.set_answer(K("child_birth", second), "2019-01-01")
        after = interview.remove_entry("children", first)
        assert after.entries("children") == (second,)
        assert set(after.answers) == {K("has_children"), K("children"), K("child_birth", second)}
        assert after.changes == (
            AnswerChange(K("children"), [first, second], [second]),
            AnswerChange(K("child_birth", first), "2015-01-01", None),
            AnswerChange(K("child_school", first), "De Regenboog", None),
        )
        assert not after.is_relevant(K("child_birth", first))
        assert interview.entries("children") == (first, second)  # the old state is untouched

    def test_removing_the_last_entry_removes_the_group_answer(self) -> None:
        interview, only = fresh().add_entry("children")
        after = interview.remove_entry("children", only)
        assert K("children") not in after.answers
        assert after.changes == (AnswerChange(K("children"), [only], None),)

    def test_move_entry_reorders_without_touching_answers(self) -> None:
        interview = fresh()
        ids = []
        for _ in range(3):
            interview, entry = interview.add_entry("children")
            ids.append(entry)
        interview = interview.set_answer(K("child_birth", ids[0]), "2010-05-05")
        moved = interview.move_entry("children", ids[0], 2)
        assert moved.entries("children") == (ids[1], ids[2], ids[0])
        assert moved.answer(K("child_birth", ids[0])) == "2010-05-05"
        assert moved.changes == (AnswerChange(K("children"), ids, [ids[1], ids[2], ids[0]]),)
        with pytest.raises(IndexError):
            interview.move_entry("children", ids[0], 3)
        with pytest.raises(ValueError):
            interview.move_entry("children", "unknown", 0)

    def test_entry_operations_need_a_repeat_group(self) -> None:
        with pytest.raises(ValueError):
            fresh().add_entry("name")
        with pytest.raises(ValueError):
            fresh().remove_entry("children", "nope")

    def test_computed_values_per_entry(self) -> None:
        interview, entry = fresh(has_children="yes").add_entry("children")
        interview = interview.set_answer(K("child_birth", entry), "2022-03-02")
        assert interview.computed_value(K("child_age", entry)) == 3
        assert not interview.is_relevant(K("child_school", entry))
        interview = interview.set_answer(K("child_birth", entry), "2022-03-01")
        assert interview.computed_value(K("child_age", entry)) == 4
        assert interview.is_relevant(K("child_school", entry))


class TestCompleteness:
    def test_counts_only_relevant_required_questions(self) -> None:
        interview = fresh()
        progress = interview.completeness()
        # name and has_children; the group, its questions and the "extra" page are not relevant yet
        assert (progress.overall.required, progress.overall.done) == (2, 0)
        assert progress.domains["extra"].required == 0
        assert progress.domains["extra"].fraction == 1.0

    def test_a_required_group_needs_its_entries_and_their_required_answers(self) -> None:
        interview = fresh(name="Amal", has_children="yes")
        assert interview.missing()["intro"] == (K("children"),)
        interview, entry = interview.add_entry("children")
        assert interview.missing()["intro"] == (K("child_birth", entry),)
        interview = interview.set_answer(K("child_birth", entry), "2024-01-01")
        assert interview.missing()["intro"] == ()
        assert interview.completeness().overall.fraction == 1.0

    def test_invalid_answers_are_missing_too(self) -> None:
        interview = fresh(name="Amal", has_children="yes")
        interview, entry = interview.add_entry("children")
        interview = interview.set_answer(K("child_birth", entry), "2030-01-01")
        assert interview.missing()["intro"] == (K("child_birth", entry),)
        assert interview.validation(K("child_birth", entry)).status is ValidationStatus.INVALID

    def test_irrelevant_answers_are_kept_but_never_counted(self) -> None:
        interview = fresh(name="Amal", has_children="no", why="Geen")
        assert interview.completeness().overall == type(interview.completeness().overall)(3, 3)
        switched = interview.set_answer(K("has_children"), "yes")
        assert switched.answer(K("why")) == "Geen"
        assert switched.irrelevant_answers() == (K("why"),)
        assert K("why") not in switched.relevant_answers()
        assert switched.completeness().domains["extra"].required == 0
        assert switched.completeness().overall.done == 2

    def test_pages_appear_and_disappear(self) -> None:
        assert [d.id for d in fresh().visible_domains()] == ["intro"]
        assert [d.id for d in fresh(has_children="no").visible_domains()] == ["intro", "extra"]
        assert fresh(has_children="no").visible_questions("extra") == (K("why"),)
        assert fresh(has_children="yes").visible_questions("extra") == ()

    def test_orphaned_and_unknown_answers_are_reported_separately(self) -> None:
        interview = fresh(has_children="yes", children=["e1"], retired_question="x")
        interview = Interview(
            FORM, {**interview.answers, K("child_birth", "gone"): "2020-01-01"}, reference_date=TODAY
        )
        assert interview.irrelevant_answers() == (K("child_birth", "gone"),)
        assert interview.unknown_answers() == (K("retired_question"),)


class TestNavigation:
    def test_next_and_previous_skip_irrelevant_questions(self) -> None:
        interview = fresh(has_children="no")
        assert interview.next_question() == K("welcome")
        assert interview.next_question(K("has_children")) == K("why")
        assert interview.previous_question(K("why")) == K("has_children")
        assert interview.next_question(K("why")) is None
        assert interview.previous_question() == K("why")
        assert interview.previous_question(K("welcome")) is None

    def test_navigation_walks_through_repeat_entries_in_order(self) -> None:
        interview = fresh(has_children="yes")
        interview, first = interview.add_entry("children")
        interview, second = interview.add_entry("children")
        interview = interview.set_answer(K("child_birth", first), "2010-01-01")
        walk = [interview.next_question()]
        while (step := interview.next_question(walk[-1])) is not None:
            walk.append(step)
        assert walk == [
            K("welcome"), K("name"), K("has_children"), K("children"),
            K("child_birth", first), K("child_age", first), K("child_school", first),
            K("child_birth", second), K("child_age", second),
        ]  # fmt: skip
        assert interview.visible_questions("intro") == tuple(walk)

    def test_navigation_from_a_question_that_became_irrelevant_still_works(self) -> None:
        interview = fresh(has_children="no")
        assert interview.next_question(K("children")) == K("why")

    def test_navigation_from_an_unknown_key_fails_loudly(self) -> None:
        with pytest.raises(KeyError):
            fresh().next_question(K("child_birth", "nope"))


def test_validate_uses_the_interview_reference_date() -> None:
    interview = Interview(FORM, reference_date=date(2020, 1, 1))
    assert not interview.validate("child_birth", "2021-01-01").ok
    assert Interview(FORM, reference_date=date(2022, 1, 1)).validate("child_birth", "2021-01-01").ok


def test_computed_value_refuses_ordinary_questions() -> None:
    with pytest.raises(ValueError):
        fresh().computed_value("name")


def test_diff_answers_lists_added_changed_and_removed_rows() -> None:
    before: dict[AnswerKey, AnswerValue] = {K("a"): "1", K("b"): 2, K("c"): True}
    after: dict[AnswerKey, AnswerValue] = {K("a"): "1", K("b"): 3, K("d"): ["x"], K("c"): 1}
    assert diff_answers(before, after) == (
        AnswerChange(K("b"), 2, 3),
        AnswerChange(K("d"), None, ["x"]),
        AnswerChange(K("c"), True, 1),  # True and 1 are different answers
    )
    assert diff_answers(after, after) == ()
    assert diff_answers(before, {}) == tuple(AnswerChange(k, v, None) for k, v in before.items())


def test_incremental_state_matches_a_fresh_evaluation() -> None:
    interview = fresh(name="Amal")
    interview = interview.set_answer(K("has_children"), "yes")
    interview, entry = interview.add_entry("children")
    interview = interview.set_answer(K("child_birth", entry), "2012-01-01").set_answer(K("has_children"), "no")
    rebuilt = Interview(FORM, interview.answers, reference_date=TODAY)
    assert interview.completeness() == rebuilt.completeness()
    assert interview.irrelevant_answers() == rebuilt.irrelevant_answers()
    assert interview.missing() == rebuilt.missing()


class TestPureRepeatOperations:
    def test_they_return_new_answers_and_leave_the_input_alone(self) -> None:
        group = FORM.question("children")
        original: dict[AnswerKey, AnswerValue] = {K("has_children"): "yes"}
        added, changes, entry = repeat.add_entry(original, group, entry_id="e1")
        assert original == {K("has_children"): "yes"}
        assert added[K("children")] == ["e1"] and entry == "e1"
        assert changes == (AnswerChange(K("children"), None, ["e1"]),)
        added[K("child_birth", "e1")] = "2020-01-01"
        removed, changes = repeat.remove_entry(added, group, "e1")
        assert removed == original
        assert K("child_birth", "e1") in added
        assert len(changes) == 2

    def test_moving_to_the_same_place_changes_nothing(self) -> None:
        answers: dict[AnswerKey, AnswerValue] = {K("children"): ["a", "b"]}
        moved, changes = repeat.move_entry(answers, FORM.question("children"), "b", 1)
        assert changes == ()
        assert moved == answers

    def test_a_damaged_order_list_is_read_without_duplicates(self) -> None:
        answers: dict[AnswerKey, AnswerValue] = {K("children"): ["a", "b", "a", ""]}
        assert repeat.entry_ids(answers, "children") == ("a", "b")
        interview = Interview(FORM, answers, reference_date=TODAY)
        assert interview.entries("children") == ("a", "b")


def test_damaged_stored_values_show_up_as_invalid_instead_of_crashing() -> None:
    stored = {K("name"): {"unexpected": "object"}, K("has_children"): "yes", K("children"): "not-a-list"}
    interview = Interview(FORM, stored, reference_date=TODAY)  # type: ignore[arg-type]
    assert interview.validation(K("name")).status is ValidationStatus.INVALID
    assert interview.entries("children") == ()
    assert K("name") in interview.missing()["intro"]
