"""The intake wizard with real widgets and a real vault: keyboard only, relevance, validation, resume."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from intake_app.forms import AnswerKey, load_intake_form
from intake_app.services.vault_service import CaseStatus
from intake_app.ui.main_window import Screen

from keyboard_driver import KeyboardDriver, Profile
from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell

REFUGEE_Z_ROUTE = Profile(
    answers={
        "family_name": "Tesfamariam", "given_names": "Meron", "date_of_birth": "1979-06-02", "sex": "female",
        "bsn": "111222333", "v_number": "1234567890", "nationality": "Eritrese",
        "target_group": "asylum_permit_holder", "refugee_subgroup": "asylum_applicant",
        "duo_notification_date": "2026-09-01", "municipality_link_date": "2026-09-03",
        "lives_in_azc": "yes", "azc_location": "AZC Zwolle", "marital_status": "married",
        "partner_in_netherlands": "no", "has_children": "yes", "mother_tongues": ["ti"],
        "literate_own_script": "no", "literate_latin_script": "no", "literacy_need": "full_literacy",
        "dutch_level_speaking": "none", "dutch_level_writing": "none", "digital_skills": "smartphone",
        "lbt_status": "done", "lbt_date": "2026-09-20", "lbt_score": 14, "lbt_outcome": "b1_not_feasible",
        "lbt_supervisor": "J. de Boer", "has_education": "no", "has_work_experience": "yes",
        "works_in_netherlands": "no", "health_limitations": ["none"], "social_assistance": "receiving",
        "social_assistance_start_date": "2026-09-05", "ontzorgen_start_date": "2026-09-05",
        "ontzorgen_duration_months": 12, "main_goal": "paid_work", "desired_occupation": "Kok",
        "study_ambition": "none", "availability_hours": 24, "interpreter_used": "yes",
        "interpreter_language": "ti", "interpreter_mode": "phone", "wellbeing_score": 6,
    },
    entries={
        "jobs": [{"job_occupation": "Kok", "job_sector": "hospitality", "job_start_year": 2005}],
        "children": [{"child_date_of_birth": "2019-04-11", "child_lives_with_client": "yes"}],
        "conversations": [{"conversation_date": "2026-10-01", "conversation_mode": "in_person",
                           "interpreter_used": "yes", "interpreter_language": "ti", "interpreter_mode": "phone"}],
    },
)

FAMILY_MIGRANT_B1 = Profile(
    answers={
        "family_name": "García", "given_names": "Carmen", "date_of_birth": "1994-11-30", "sex": "female",
        "bsn": "123456782", "v_number": "9876543210", "nationality": "Colombiaanse",
        "target_group": "family_migrant", "family_migrant_subgroup": "family_formation",
        "duo_notification_date": "2026-08-15", "marital_status": "married", "partner_in_netherlands": "yes",
        "has_children": "no", "mother_tongues": ["es"], "literate_own_script": "yes",
        "literate_latin_script": "yes", "dutch_level_speaking": "a1", "dutch_level_writing": "a1",
        "digital_skills": "computer_good", "lbt_status": "done", "lbt_date": "2026-08-30", "lbt_score": 33,
        "lbt_outcome": "b1_feasible", "lbt_supervisor": "P. Jansen", "has_education": "yes",
        "has_work_experience": "no", "social_assistance": "none", "main_goal": "work_and_study",
        "desired_occupation": "Verpleegkundige", "study_ambition": "higher_professional",
        "availability_hours": 32, "interpreter_used": "no",
    },
    entries={
        "educations": [{"education_level": "bachelor", "education_completed": "yes",
                        "education_country": "Colombia"}],
        "conversations": [{"conversation_date": "2026-09-10", "conversation_mode": "video",
                           "interpreter_used": "no"}],
    },
)


def _unlock(qtbot: QtBot, shell: Shell) -> None:
    screen = shell.window.lock_screen
    screen.name_edit.setText(OFFICER)
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)


@pytest.fixture
def unlocked(qtbot: QtBot, existing_vault: Path) -> Iterator[Shell]:
    shell = make_shell(qtbot, existing_vault)
    shell.window.activateWindow()
    _unlock(qtbot, shell)
    yield shell
    shell.controller.shutdown()


def _new_intake(qtbot: QtBot, shell: Shell) -> str:
    qtbot.keyClick(shell.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert shell.window.current_screen() is Screen.INTAKE
    assert shell.controller.intake is not None
    return shell.controller.intake.case_id


@pytest.mark.parametrize(("profile", "expected_domains"), [
    (REFUGEE_Z_ROUTE, {"ontzorgen"}),
    (FAMILY_MIGRANT_B1, set()),
], ids=["refugee-z-route", "family-migrant-b1"])
def test_a_whole_intake_by_keyboard_is_saved_and_survives_a_restart(
    qtbot: QtBot, unlocked: Shell, existing_vault: Path, profile: Profile, expected_domains: set[str]
) -> None:
    case_id = _new_intake(qtbot, unlocked)
    driver = KeyboardDriver(qtbot, unlocked.window, profile)
    driver.run()
    intake = unlocked.controller.intake
    assert intake is not None
    assert intake.missing() == {}, intake.missing()
    visible = {d.id for d in intake.interview.visible_domains()}
    assert ("ontzorgen" in visible) == ("ontzorgen" in expected_domains)
    answers_before = unlocked.controller.session.answers(case_id)
    for question_id, value in profile.answers.items():  # every key press landed where it should
        if intake.interview.is_relevant(AnswerKey(question_id)):
            assert answers_before[(question_id, "")] == value, question_id
    assert len(driver.answered) > 40  # every relevant required question and the profile's extras

    # finish with the keyboard: Ctrl+Shift+A is "Intake afronden"
    assert unlocked.window.wizard.finish_button.isEnabled()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert unlocked.window.current_screen() is Screen.WORKSPACE
    assert unlocked.controller.session.case(case_id).status is CaseStatus.DRAFT_PIP

    # "restart": lock, throw the window away, a new one unlocks and reopens the case
    unlocked.controller.shutdown()
    again = make_shell(qtbot, existing_vault)
    again.window.activateWindow()
    _unlock(qtbot, again)
    again.controller.open_case(case_id)
    assert again.controller.session.answers(case_id) == answers_before
    reopened = again.controller.intake
    assert reopened is not None
    assert reopened.interview.answers == intake.interview.answers
    assert reopened.missing() == {}
    again.controller.shutdown()


def test_pages_appear_and_disappear_with_answers(qtbot: QtBot, unlocked: Shell) -> None:
    _new_intake(qtbot, unlocked)
    intake = unlocked.controller.intake
    assert intake is not None
    sidebar = unlocked.window.wizard.sidebar
    ontzorgen_row = [d.id for d in intake.form.domains].index("ontzorgen")
    assert sidebar.item(ontzorgen_row).isHidden()
    page = unlocked.window.wizard.page("person")
    assert page is not None
    subgroup = page.row(AnswerKey("refugee_subgroup"))
    assert subgroup is not None and not subgroup.isVisibleTo(page)

    refugee = page.row(AnswerKey("target_group"))
    assert refugee is not None
    refugee.editor.buttons[0].click()  # type: ignore[union-attr]
    assert subgroup.isVisibleTo(page)
    intake.show_domain("finances")
    finances = unlocked.window.wizard.page("finances")
    assert finances is not None
    finances.row(AnswerKey("social_assistance")).editor.buttons[0].click()  # type: ignore[union-attr]
    assert not sidebar.item(ontzorgen_row).isHidden()

    intake.show_domain("person")
    refugee.editor.buttons[1].click()  # type: ignore[union-attr]  family migrant: no ontzorgen
    assert sidebar.item(ontzorgen_row).isHidden()
    assert not subgroup.isVisibleTo(page)
    # the refugee-only answer is kept but no longer counts
    assert AnswerKey("social_assistance") not in intake.interview.irrelevant_answers()


def test_an_invalid_bsn_is_blocked_with_its_message(qtbot: QtBot, unlocked: Shell) -> None:
    case_id = _new_intake(qtbot, unlocked)
    intake = unlocked.controller.intake
    assert intake is not None
    page = unlocked.window.wizard.page("person")
    assert page is not None
    row = page.row(AnswerKey("bsn"))
    assert row is not None
    row.focus()
    edit = QApplication.focusWidget()
    qtbot.keyClicks(edit, "123456789")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "Dit BSN klopt niet" in row.message.text()
    assert row.message.isVisibleTo(page)
    assert ("bsn", "") not in unlocked.controller.session.answers(case_id)
    intake.next_domain()  # blocked: the officer stays on the field
    assert unlocked.window.wizard.current_page() is page
    assert QApplication.focusWidget() is edit

    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, "111222333")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert not row.message.isVisibleTo(page)
    assert unlocked.controller.session.answers(case_id)[("bsn", "")] == "111222333"
    assert "Opgeslagen" in unlocked.window.wizard.saved_label.text()


def test_an_impossible_date_gets_a_clear_message(qtbot: QtBot, unlocked: Shell) -> None:
    case_id = _new_intake(qtbot, unlocked)
    page = unlocked.window.wizard.page("person")
    assert page is not None
    row = page.row(AnswerKey("date_of_birth"))
    assert row is not None
    row.focus()
    edit = QApplication.focusWidget()
    qtbot.keyClicks(edit, "30-02-1990")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "bestaat niet" in row.message.text()
    assert ("date_of_birth", "") not in unlocked.controller.session.answers(case_id)


def test_repeat_entries_are_added_moved_and_removed(qtbot: QtBot, unlocked: Shell) -> None:
    case_id = _new_intake(qtbot, unlocked)
    intake = unlocked.controller.intake
    assert intake is not None
    intake.show_domain("conversation_facts")
    page = unlocked.window.wizard.page("conversation_facts")
    assert page is not None
    section = page.groups["conversations"]
    for _ in range(2):
        qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert len(section.frames) == 2
    first, second = section.entry_ids()
    assert unlocked.controller.session.answers(case_id)[("conversations", "")] == [first, second]
    qtbot.mouseClick(section.frames[1].up, Qt.MouseButton.LeftButton)
    assert section.entry_ids() == (second, first)
    qtbot.mouseClick(section.frames[0].remove, Qt.MouseButton.LeftButton)
    assert section.entry_ids() == (first,)
    assert unlocked.controller.session.answers(case_id)[("conversations", "")] == [first]


def test_form_has_the_depth_the_law_asks(qtbot: QtBot) -> None:
    form = load_intake_form()
    assert sum(1 for _ in form.all_questions()) > 100
