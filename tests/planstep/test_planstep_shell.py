"""The plan step inside the app: Ctrl+P from the case list and from the wizard, lock and resume."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from planstep_profiles import refugee, vault_with_case
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake_app.ui.main_window import Screen

from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[Shell, str]]:
    session, case_id = vault_with_case(tmp_path / "vault", refugee(lbt_score=14, lbt_outcome="b1_not_feasible"))
    session.lock()
    s = make_shell(qtbot, tmp_path / "vault")
    s.window.activateWindow()
    screen = s.window.lock_screen
    screen.name_edit.setText(OFFICER)
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: s.window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    yield s, case_id
    s.controller.shutdown()


def _ctrl_p(qtbot: QtBot, shell: Shell) -> None:
    qtbot.keyClick(shell.window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_p_on_the_case_list_opens_the_plan_of_the_selected_case(qtbot: QtBot, shell: tuple[Shell, str]) -> None:
    s, case_id = shell
    assert s.window.workspace.select_case(case_id)
    _ctrl_p(qtbot, s)
    assert s.window.current_screen() is Screen.PLAN
    assert s.controller.plan is not None and s.controller.plan.case_id == case_id
    assert "Z-route" in s.window.plan_step.advice_status.text()
    assert s.window.plan_step.case_title.text() == "Meron Tesfamariam"
    s.window.plan_step.back_button.click()
    assert s.window.current_screen() is Screen.WORKSPACE
    assert s.controller.plan is None


def test_ctrl_p_in_the_wizard_and_back_to_the_intake(qtbot: QtBot, shell: tuple[Shell, str]) -> None:
    s, case_id = shell
    s.controller.open_case(case_id)
    assert s.window.current_screen() is Screen.INTAKE
    _ctrl_p(qtbot, s)
    assert s.window.current_screen() is Screen.PLAN
    assert s.controller.intake is None
    s.window.plan_step.intake_button.click()
    assert s.window.current_screen() is Screen.INTAKE
    assert s.controller.intake is not None and s.controller.plan is None


def test_locking_clears_the_plan_and_unlocking_resumes_it(qtbot: QtBot, shell: tuple[Shell, str]) -> None:
    s, case_id = shell
    assert s.window.workspace.select_case(case_id)
    _ctrl_p(qtbot, s)
    assert s.controller.plan is not None and s.controller.plan.save(False)
    s.controller.lock()
    step = s.window.plan_step
    assert step.case_title.text() == "" and step.reasons.text() == "" and step.preview.pixmap().isNull()
    screen = s.window.lock_screen
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: s.window.current_screen() is Screen.PLAN, timeout=10_000)
    assert s.controller.plan is not None and s.controller.plan.case_id == case_id
    assert step.versions.count() == 1
