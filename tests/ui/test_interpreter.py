"""The interpreter window follows the officer, in the client's language and direction, and never
shows officer-only content."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from intake_app.forms import AnswerKey, QuestionKind, load_intake_form
from intake_app.i18n import Catalog
from intake_app.i18n.languages import CLIENT_LANGUAGES
from intake_app.ui.interpreter.window import OFFICER_BUSY, InterpreterWindow
from intake_app.ui.main_window import Screen

from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell

RTL = {"ar", "fa", "fa_AF", "ps", "ckb"}


@pytest.fixture
def intake(qtbot: QtBot, existing_vault: object) -> Iterator[Shell]:
    shell = make_shell(qtbot, existing_vault)  # type: ignore[arg-type]
    shell.window.activateWindow()
    screen = shell.window.lock_screen
    screen.name_edit.setText(OFFICER)
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    qtbot.keyClick(shell.window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(shell.window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # interpreter window
    assert shell.controller.interpreter is not None and shell.controller.interpreter.isVisible()
    qtbot.waitUntil(shell.window.isActiveWindow)  # the officer's window keeps the keyboard
    yield shell
    shell.controller.shutdown()


def _texts(window: InterpreterWindow) -> str:
    return "\n".join(label.text() for label in window.findChildren(QLabel))


def _focus(shell: Shell, question_id: str, domain: str = "person") -> QLabel:
    intake = shell.controller.intake
    assert intake is not None
    intake.show_domain(domain, focus=AnswerKey(question_id))
    return shell.controller.interpreter.question_label  # type: ignore[union-attr]


def test_it_follows_focus_and_typed_answers(qtbot: QtBot, intake: Shell) -> None:
    interpreter = intake.controller.interpreter
    assert interpreter is not None
    question = _focus(intake, "family_name")
    assert question.text() == "Wat is uw achternaam?"
    qtbot.keyClicks(QApplication.focusWidget(), "Tesfay")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # saved, and on to the next question
    assert question.text() == "Wat zijn uw voornamen?"
    _focus(intake, "family_name")
    assert interpreter.answer_label.text() == "Tesfay"

    _focus(intake, "has_digid")
    page = intake.window.wizard.page("person")
    page.row(AnswerKey("has_digid")).editor.buttons[1].click()  # type: ignore[union-attr]
    chosen = [label.text() for label in interpreter.choice_labels if label.property("chosen")]
    assert len(chosen) == 1 and "Nee" in chosen[0]

    _focus(intake, "target_group")  # decided by the officer: not shown to the newcomer
    assert question.text() == OFFICER_BUSY
    assert not interpreter.choice_labels


def test_officer_only_questions_and_help_never_reach_the_client(qtbot: QtBot) -> None:
    form = load_intake_form()
    window = InterpreterWindow(form)
    qtbot.addWidget(window)
    secret = "Vertrouwelijke notitie 7731"
    shown_any = 0
    for question in form.all_questions():
        if question.kind in (QuestionKind.REPEAT_GROUP,):
            continue
        window.show_question(AnswerKey(question.id, "e1" if form.group_of(question.id) else ""), secret)
        text = _texts(window)
        if question.help:
            assert question.help not in text, question.id
        assert question.label not in text or question.label == question.client_text, question.id
        if not question.shown_to_client:
            assert secret not in text, question.id
            assert window.question_label.text() == OFFICER_BUSY
        else:
            shown_any += 1
    assert shown_any > 100


@pytest.mark.parametrize("locale", CLIENT_LANGUAGES)
def test_direction_comes_from_the_language(qtbot: QtBot, intake: Shell, locale: str) -> None:
    wizard = intake.window.wizard
    wizard.language_combo.setCurrentIndex(wizard.language_combo.findData(locale))
    wizard.language_combo.activated.emit(wizard.language_combo.currentIndex())
    interpreter = intake.controller.interpreter
    assert interpreter is not None
    expected = Qt.LayoutDirection.RightToLeft if locale in RTL else Qt.LayoutDirection.LeftToRight
    assert interpreter.layoutDirection() == expected
    question = _focus(intake, "date_of_birth")
    catalog = Catalog(locale, domain="client")
    assert question.text() == catalog.pgettext("date_of_birth", "Wat is uw geboortedatum?")
    # stored with the case: reopening keeps the language
    case_id = intake.controller.intake.case_id  # type: ignore[union-attr]
    assert intake.controller.session.case(case_id).client_language == locale


def test_switching_languages_retranslates_both_windows(qtbot: QtBot, intake: Shell) -> None:
    interpreter = intake.controller.interpreter
    assert interpreter is not None
    question = _focus(intake, "date_of_birth")
    wizard = intake.window.wizard
    wizard.language_combo.activated.emit(wizard.language_combo.findData("en"))
    assert question.text() != "Wat is uw geboortedatum?"  # English now, no restart
    assert interpreter.question_dutch.text() == "Wat is uw geboortedatum?"  # the Dutch original beneath

    intake.controller.set_officer_language("en")
    assert intake.window.wizard.next_button.text() == Catalog("en").gettext("&Volgende →")
    assert intake.window.wizard.next_button.text() != "&Volgende →"
    row = intake.window.wizard.page("person").row(AnswerKey("family_name"))  # type: ignore[union-attr]
    assert row is not None
    assert row.label.text().startswith(Catalog("en").pgettext("family_name", "Achternaam"))
    assert not row.label.text().startswith("Achternaam")  # questionnaire texts follow the officer language
    intake.controller.set_officer_language("nl")
    assert intake.window.wizard.next_button.text() == "&Volgende →"


def test_font_size_can_be_changed_for_reading_at_a_distance(qtbot: QtBot, intake: Shell) -> None:
    interpreter = intake.controller.interpreter
    assert interpreter is not None
    before = interpreter.question_label.font().pointSizeF()
    interpreter.set_point_size(interpreter.point_size + 8)
    assert interpreter.question_label.font().pointSizeF() > before


def test_locking_clears_the_interpreter_window(qtbot: QtBot, intake: Shell) -> None:
    interpreter = intake.controller.interpreter
    assert interpreter is not None
    _focus(intake, "family_name")
    qtbot.keyClicks(QApplication.focusWidget(), "Haddad")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    intake.controller.lock()
    assert "Haddad" not in _texts(interpreter)
    assert "achternaam" not in _texts(interpreter)
