"""The bundled brede intake: it loads, covers the law's domains, and its relevance rules hold."""

from __future__ import annotations

import re
from datetime import date

import pytest

from intake_app.forms import (
    AnswerKey,
    AnswerValue,
    Interview,
    QuestionKind,
    load_intake_form,
    translatable_texts,
)

FORM = load_intake_form()
K = AnswerKey
TODAY = date(2026, 3, 1)
REFUGEE = "asylum_permit_holder"


def interview(**answers: AnswerValue) -> Interview:
    return Interview(FORM, {K(q): v for q, v in answers.items()}, reference_date=TODAY)


def with_education(levels: list[str], **answers: AnswerValue) -> Interview:
    result = interview(has_education="yes", **answers)
    for level in levels:
        result, entry = result.add_entry("educations")
        result = result.set_answer(K("education_level", entry), level)
    return result


def test_the_bundled_form_loads_once_and_is_versioned() -> None:
    assert load_intake_form() is FORM
    assert (FORM.id, FORM.version) == ("brede_intake", "2026.1")


def test_it_has_well_over_100_questions_in_the_domains_of_the_law() -> None:
    questions = list(FORM.all_questions())
    assert len(questions) > 150
    assert [d.id for d in FORM.domains] == [
        "person", "language", "education", "work", "health", "finances", "ontzorgen", "personal", "ambitions",
        "conversation_facts",
    ]  # fmt: skip
    assert all(len(domain.questions) >= 5 for domain in FORM.domains)


def test_only_health_is_marked_special_category() -> None:
    assert [d.id for d in FORM.domains if d.special_category] == ["health"]


@pytest.mark.parametrize(
    ("question_id", "kind"),
    [
        ("date_of_birth", QuestionKind.DATE),
        ("bsn", QuestionKind.TEXT),
        ("v_number", QuestionKind.TEXT),
        ("target_group", QuestionKind.SINGLE_CHOICE),
        ("lbt_date", QuestionKind.DATE),
        ("lbt_score", QuestionKind.INTEGER),
        ("lbt_pass_mark", QuestionKind.COMPUTED),
        ("lbt_outcome", QuestionKind.SINGLE_CHOICE),
        ("literate_latin_script", QuestionKind.YES_NO_UNKNOWN),
        ("education_level", QuestionKind.SINGLE_CHOICE),
        ("highest_education_level", QuestionKind.COMPUTED),
        ("health_limitations", QuestionKind.MULTIPLE_CHOICE),
        ("social_assistance", QuestionKind.SINGLE_CHOICE),
        ("main_goal", QuestionKind.SINGLE_CHOICE),
        ("study_ambition", QuestionKind.SINGLE_CHOICE),
        ("educations", QuestionKind.REPEAT_GROUP),
        ("jobs", QuestionKind.REPEAT_GROUP),
        ("children", QuestionKind.REPEAT_GROUP),
        ("conversations", QuestionKind.REPEAT_GROUP),
    ],
)
def test_key_questions_exist_with_their_kind(question_id: str, kind: QuestionKind) -> None:
    assert FORM.question(question_id).kind is kind


def test_target_groups_and_validators() -> None:
    assert [c.value for c in FORM.question("target_group").choices] == [REFUGEE, "family_migrant", "other_migrant"]
    assert FORM.question("bsn").validator == "bsn"
    assert FORM.question("v_number").validator == "v_number"
    assert FORM.question("date_of_birth").validator == "date_of_birth"
    assert FORM.question("lbt_score").validator == "lbt_score"


def test_client_texts_are_short_and_address_the_newcomer_as_u() -> None:
    texts = [q.client_text for q in FORM.all_questions() if q.client_text and q.kind is not QuestionKind.NOTE]
    assert len(texts) > 80
    for text in texts:
        assert len(text) <= 120, text
        assert not re.search(r"\b(je|jij|jou|jouw)\b", text, re.IGNORECASE), text


def test_officer_only_questions_never_reach_the_client() -> None:
    officer_only = [q for q in FORM.all_questions() if q.officer_only]
    assert {"conversation_notes", "health_notes", "trauma_informed_notes"} <= {q.id for q in officer_only}
    assert not any(q.shown_to_client for q in officer_only)
    client_contexts = {t.context for t in translatable_texts(FORM) if t.client_facing}
    assert not any(q.id in client_contexts for q in officer_only)


def test_translatable_texts_are_keyed_by_stable_ids() -> None:
    texts = list(translatable_texts(FORM))
    keys = [(t.context, t.field) for t in texts]
    assert len(keys) == len(set(keys))
    assert ("date_of_birth", "client_text") in keys
    assert ("target_group/asylum_permit_holder", "choice label") in keys


class TestOntzorgen:
    def test_the_page_appears_for_refugees_on_social_assistance(self) -> None:
        refugee = interview(target_group=REFUGEE, social_assistance="receiving")
        assert refugee.is_domain_relevant("ontzorgen")
        assert K("ontzorgen_rent") in refugee.visible_questions("ontzorgen")
        assert refugee.completeness().domains["ontzorgen"].required > 5

    @pytest.mark.parametrize(
        "answers",
        [
            {"target_group": "family_migrant", "social_assistance": "receiving"},
            {"target_group": REFUGEE, "social_assistance": "none"},
            {"target_group": REFUGEE},
            {"social_assistance": "receiving"},
        ],
    )
    def test_the_page_stays_away_for_everyone_else(self, answers: dict[str, AnswerValue]) -> None:
        other = interview(**answers)
        assert not other.is_domain_relevant("ontzorgen")
        assert other.visible_questions("ontzorgen") == ()
        assert "ontzorgen" not in [d.id for d in other.visible_domains()]
        assert other.completeness().domains["ontzorgen"].required == 0

    def test_answers_given_before_a_switch_are_kept_but_listed_as_irrelevant(self) -> None:
        refugee = interview(target_group=REFUGEE, social_assistance="receiving", ontzorgen_rent="yes")
        switched = refugee.set_answer(K("social_assistance"), "none")
        assert switched.answer(K("ontzorgen_rent")) == "yes"
        assert K("ontzorgen_rent") in switched.irrelevant_answers()


class TestUafContact:
    def test_asked_for_higher_educated_refugees(self) -> None:
        refugee = with_education(["upper_secondary", "bachelor"], target_group=REFUGEE)
        assert refugee.computed_value("highest_education_level") == "bachelor"
        assert refugee.is_relevant(K("uaf_contact"))

    def test_an_unfinished_master_counts_as_higher_educated(self) -> None:
        assert with_education(["master"], target_group=REFUGEE).is_relevant(K("uaf_contact"))

    @pytest.mark.parametrize(
        ("levels", "group"),
        [(["master"], "family_migrant"), (["vocational", "other"], REFUGEE), ([], REFUGEE)],
    )
    def test_not_asked_otherwise(self, levels: list[str], group: str) -> None:
        assert not with_education(levels, target_group=group).is_relevant(K("uaf_contact"))

    def test_removing_the_higher_education_hides_it_again(self) -> None:
        refugee = with_education(["bachelor"], target_group=REFUGEE)
        (entry,) = refugee.entries("educations")
        assert not refugee.remove_entry("educations", entry).is_relevant(K("uaf_contact"))


class TestLearnabilityTest:
    @pytest.mark.parametrize(("test_date", "mark"), [("2023-04-11", 31), ("2023-04-12", 28), ("2022-01-01", 31)])
    def test_the_pass_mark_in_force_follows_the_test_date(self, test_date: str, mark: int) -> None:
        assert interview(lbt_status="done", lbt_date=test_date).computed_value("lbt_pass_mark") == mark

    def test_the_same_score_meets_the_mark_only_after_the_change(self) -> None:
        before = interview(lbt_status="done", lbt_date="2023-04-11", lbt_score=29)
        after = interview(lbt_status="done", lbt_date="2023-04-12", lbt_score=29)
        assert before.computed_value("lbt_meets_pass_mark") == "no"
        assert after.computed_value("lbt_meets_pass_mark") == "yes"

    def test_deviating_from_the_test_requires_a_motivation(self) -> None:
        agreeing = interview(lbt_status="done", lbt_date="2024-01-01", lbt_score=35, lbt_outcome="b1_feasible")
        deviating = agreeing.set_answer(K("lbt_outcome"), "b1_not_feasible")
        assert not agreeing.is_relevant(K("lbt_outcome_motivation"))
        assert deviating.is_relevant(K("lbt_outcome_motivation"))
        assert K("lbt_outcome_motivation") in deviating.missing()["language"]

    def test_a_skipped_test_asks_for_the_reason_instead_of_a_score(self) -> None:
        skipped = interview(lbt_status="not_done_sensory")
        assert skipped.is_relevant(K("lbt_not_done_reason"))
        assert not skipped.is_relevant(K("lbt_score"))
        assert skipped.computed_value("lbt_pass_mark") is None


class TestPersonAndFamily:
    def test_age_is_computed_at_the_reference_date(self) -> None:
        assert interview(date_of_birth="1990-03-02").computed_value("age") == 35
        assert interview(date_of_birth="1990-03-01").computed_value("age") == 36

    def test_azc_questions_only_for_refugees_still_in_an_azc(self) -> None:
        assert not interview(target_group="family_migrant").is_relevant(K("lives_in_azc"))
        assert not interview(target_group=REFUGEE, lives_in_azc="no").is_relevant(K("azc_location"))
        assert interview(target_group=REFUGEE, lives_in_azc="yes").is_relevant(K("azc_location"))

    def test_refugee_only_and_family_migrant_only_questions(self) -> None:
        refugee, family = interview(target_group=REFUGEE), interview(target_group="family_migrant")
        for question in ("gca_consent", "municipality_link_date", "refugee_subgroup"):
            assert refugee.is_relevant(K(question)) and not family.is_relevant(K(question))
        for question in ("duo_loan_applied", "family_migrant_subgroup"):
            assert family.is_relevant(K(question)) and not refugee.is_relevant(K(question))

    def test_child_questions_follow_the_childs_age(self) -> None:
        parent = interview(has_children="yes")
        parent, toddler = parent.add_entry("children")
        parent, pupil = parent.add_entry("children")
        for entry, birth in ((toddler, "2023-01-15"), (pupil, "2018-06-01")):
            parent = parent.set_answer(K("child_date_of_birth", entry), birth)
            parent = parent.set_answer(K("child_lives_with_client", entry), "yes")
        assert parent.is_relevant(K("child_vve", toddler)) and not parent.is_relevant(K("child_school", toddler))
        assert parent.is_relevant(K("child_school", pupil)) and not parent.is_relevant(K("child_vve", pupil))
        assert parent.is_relevant(K("vve_information_given"))

    def test_a_conversation_without_the_partner_is_offered_to_people_with_a_partner(self) -> None:
        assert interview(marital_status="married").is_relevant(K("one_to_one_offered"))
        assert not interview(marital_status="single").is_relevant(K("one_to_one_offered"))


def test_an_empty_intake_starts_with_the_first_question_and_lists_what_is_missing() -> None:
    empty = interview()
    assert empty.next_question() == K("person_intro")
    missing = empty.missing()
    assert K("date_of_birth") in missing["person"]
    assert K("lbt_score") not in missing["language"]  # only once the test was taken
    assert empty.completeness().overall.required > 0
    assert empty.completeness().overall.done == 0
