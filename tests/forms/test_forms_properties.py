"""Property tests: any sequence of plausible edits keeps the engine consistent.

After every edit: no crash, completeness within 0..1, irrelevant answers never counted (dropping them
changes nothing), and the incrementally updated state equals a fresh evaluation of the same answers.
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_app.forms import AnswerKey, AnswerValue, Form, Interview, Question, QuestionKind, load_form_text
from intake_app.forms import load_intake_form as _load_intake_form

TODAY = date(2026, 3, 1)
INTAKE = _load_intake_form()

SMALL = load_form_text(
    """
id = "small"
version = "1"
title = "Klein"

[[domains]]
id = "a"
title = "A"

[[domains.questions]]
id = "group"
kind = "single_choice"
label = "Groep"
required = true
choices = [{ value = "x", label = "X" }, { value = "y", label = "Y" }]

[[domains.questions]]
id = "score"
kind = "integer"
label = "Score"
required = true
min = 0
max = 40
relevant = { question = "group", equals = "x" }

[[domains.questions]]
id = "items"
kind = "repeat_group"
label = "Items"
required = true
min_entries = 1
max_entries = 4
relevant = { question = "score", ge = 10 }

[[domains.questions.questions]]
id = "level"
kind = "single_choice"
label = "Niveau"
required = true
choices = [{ value = "low", label = "Laag" }, { value = "high", label = "Hoog" }]

[[domains.questions.questions]]
id = "detail"
kind = "text"
label = "Detail"
required = true
relevant = { question = "level", equals = "high" }

[[domains.questions]]
id = "top"
kind = "computed"
label = "Hoogste"
computed = { function = "highest_choice", from = "level" }

[[domains]]
id = "b"
title = "B"
relevant = { question = "top", equals = "high" }

[[domains.questions]]
id = "follow_up"
kind = "yes_no_unknown"
label = "Vervolg"
required = true

[[domains.questions]]
id = "langs"
kind = "multiple_choice"
label = "Talen"
required = true
choices = [{ value = "none", label = "Geen", exclusive = true }, { value = "ar", label = "Arabisch" }]

[[domains.questions]]
id = "why"
kind = "text"
label = "Waarom"
required = true
relevant = { not = { question = "langs", contains = "none" } }
"""
)

TEXTS = ["tekst", "111222333", "123456789", "1234567890", "a@b.nl", "x" * 300]


def plausible_value(question: Question) -> st.SearchStrategy[AnswerValue]:
    kind = question.kind
    values = [choice.value for choice in question.options]
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO_UNKNOWN):
        return st.sampled_from([*values, "not_a_choice"])
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return st.lists(st.sampled_from(values), max_size=3, unique=True)
    if kind is QuestionKind.INTEGER:
        return st.integers(-5, 2100)
    if kind is QuestionKind.SCALE:
        return st.integers(0, 11)
    if kind is QuestionKind.DECIMAL:
        return st.floats(-10, 20_000, allow_nan=False)
    if kind is QuestionKind.DATE:
        dates = st.dates(date(1940, 1, 1), date(2030, 12, 31)).map(date.isoformat)
        return st.one_of(dates, st.sampled_from(["2025-02-30", "1-1-2000"]))
    return st.sampled_from(TEXTS)


def answerable(form: Form) -> list[Question]:
    unanswerable = (QuestionKind.NOTE, QuestionKind.COMPUTED, QuestionKind.REPEAT_GROUP)
    return [q for q in form.all_questions() if q.kind not in unanswerable]


def groups(form: Form) -> list[Question]:
    return [q for q in form.all_questions() if q.kind is QuestionKind.REPEAT_GROUP]


# Questions that open or close many others, so the edits reach deep into the form.
GATES = [
    "target_group", "social_assistance", "has_children", "has_education", "has_work_experience", "lbt_status",
    "marital_status", "partner_in_netherlands", "lives_in_azc", "education_level", "child_date_of_birth",
    "child_lives_with_client", "lbt_score", "lbt_date", "lbt_outcome", "health_limitations",
]  # fmt: skip


def edit(interview: Interview, data: st.DataObject) -> Interview:
    form = interview.form
    operation = data.draw(st.sampled_from(["set", "set", "set", "clear", "add", "remove", "move"]))
    if operation in ("set", "clear"):
        gates = [form.question(g) for g in GATES if form.has_question(g)]
        question = data.draw(st.one_of(st.sampled_from(answerable(form)), *([st.sampled_from(gates)] if gates else [])))
        group = form.group_of(question.id)
        entry = ""
        if group is not None:
            entries = interview.entries(group.id)
            if not entries:
                interview, entry = interview.add_entry(group.id)
            else:
                entry = data.draw(st.sampled_from(entries))
        key = AnswerKey(question.id, entry)
        if operation == "clear":
            return interview.clear_answer(key)
        return interview.set_answer(key, data.draw(plausible_value(question)))
    group = data.draw(st.sampled_from(groups(form)))
    entries = interview.entries(group.id)
    if operation == "add":
        if group.max_entries is not None and len(entries) >= group.max_entries:
            return interview
        position = data.draw(st.integers(0, len(entries)))
        return interview.add_entry(group.id, position=position)[0]
    if not entries:
        return interview
    entry = data.draw(st.sampled_from(entries))
    if operation == "remove":
        return interview.remove_entry(group.id, entry)
    return interview.move_entry(group.id, entry, data.draw(st.integers(0, len(entries) - 1)))


def check_cheap_invariants(interview: Interview) -> None:
    completeness = interview.completeness()
    overall = completeness.overall
    assert 0.0 <= overall.fraction <= 1.0
    assert 0 <= overall.done <= overall.required
    assert sum(p.required for p in completeness.domains.values()) == overall.required
    for domain_id, progress in completeness.domains.items():
        assert 0.0 <= progress.fraction <= 1.0
        assert progress.required - progress.done == len(interview.missing()[domain_id])
    irrelevant = set(interview.irrelevant_answers())
    relevant = set(interview.relevant_answers())
    assert not irrelevant & relevant
    assert irrelevant | relevant | set(interview.unknown_answers()) == set(interview.answers)
    for keys in interview.missing().values():
        for key in keys:
            assert interview.is_relevant(key)
            assert key not in irrelevant


def check_against_fresh(interview: Interview) -> None:
    rebuilt = Interview(interview.form, interview.answers, reference_date=TODAY)
    assert rebuilt.completeness() == interview.completeness()
    assert rebuilt.missing() == interview.missing()
    assert rebuilt.irrelevant_answers() == interview.irrelevant_answers()
    for domain in interview.form.domains:
        assert rebuilt.visible_questions(domain.id) == interview.visible_questions(domain.id)
    # Irrelevant answers are never counted: without them, nothing changes.
    irrelevant = set(interview.irrelevant_answers())
    pruned = Interview(
        interview.form,
        {k: v for k, v in interview.answers.items() if k not in irrelevant},
        reference_date=TODAY,
    )
    assert pruned.completeness() == interview.completeness()
    assert pruned.missing() == interview.missing()
    assert pruned.relevant_answers() == interview.relevant_answers()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_edit_sequence_on_a_small_form_stays_consistent(data: st.DataObject) -> None:
    interview = Interview(SMALL, reference_date=TODAY)
    for _ in range(data.draw(st.integers(1, 30))):
        interview = edit(interview, data)
        check_cheap_invariants(interview)
        check_against_fresh(interview)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_edit_sequence_on_the_brede_intake_stays_consistent(data: st.DataObject) -> None:
    interview = Interview(INTAKE, reference_date=TODAY)
    for _ in range(data.draw(st.integers(1, 40))):
        interview = edit(interview, data)
        check_cheap_invariants(interview)
    check_against_fresh(interview)
