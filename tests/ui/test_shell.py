"""The first UI shell with real widgets offscreen: first run, lock screen, workspace, auto-lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from intake_app import __version__
from intake_app.services.paths import vault_files_present
from intake_app.ui.main_window import Screen

from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell


def _unlock(qtbot: QtBot, shell: Shell, name: str = OFFICER, passphrase: str = PASSPHRASE) -> None:
    screen = shell.window.lock_screen
    screen.name_edit.setText("")
    qtbot.keyClicks(screen.name_edit, name)
    qtbot.keyClicks(screen.passphrase_edit, passphrase)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)


def test_first_run_creates_a_vault_only_with_a_strong_matching_passphrase(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "nieuw"
    shell = make_shell(qtbot, folder)
    first = shell.window.first_run
    assert shell.window.current_screen() is Screen.FIRST_RUN
    qtbot.waitUntil(lambda: first._judge is not None)  # storage stack loaded in the background
    qtbot.keyClicks(first.name_edit, "Jan Jansen")
    qtbot.keyClicks(first.passphrase_edit, "welkom123")
    qtbot.keyClicks(first.repeat_edit, "welkom123")
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)
    assert not vault_files_present(folder)
    assert "te kort: gebruik minstens 12 tekens" in first.advice.text()
    first.passphrase_edit.setText("welkom12345678")
    assert "te makkelijk te raden" in first.advice.text()
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)
    assert not vault_files_present(folder)

    strong = "paarse kameel fietst naar Dokkum"
    first.passphrase_edit.setText(strong)
    first.repeat_edit.setText(strong + "x")
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)
    assert "niet gelijk" in first.message.text()
    assert not vault_files_present(folder)

    first.repeat_edit.setText(strong)
    qtbot.keyClick(first.repeat_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    assert vault_files_present(folder)
    assert shell.window.workspace.model.rowCount() == 0
    assert shell.window.workspace.empty_hint.isVisibleTo(shell.window)
    assert shell.window.officer_label.text() == "Jan Jansen"
    shell.controller.shutdown()


def test_wrong_passphrase_gives_a_plain_dutch_message_and_no_access(qtbot: QtBot, shell: Shell) -> None:
    _unlock(qtbot, shell, passphrase="verkeerd wachtwoord")
    screen = shell.window.lock_screen
    qtbot.waitUntil(lambda: "klopt niet" in screen.message.text(), timeout=10_000)
    assert shell.window.current_screen() is Screen.LOCK
    assert screen.passphrase_edit.text() == ""
    assert shell.window.workspace.model.rowCount() == 0


def test_unknown_officer_gets_the_same_message(qtbot: QtBot, shell: Shell) -> None:
    _unlock(qtbot, shell, name="Niet Bestaand")
    screen = shell.window.lock_screen
    qtbot.waitUntil(lambda: "klopt niet" in screen.message.text(), timeout=10_000)


def test_unlock_shows_the_cases_and_ctrl_l_locks_and_clears_them(qtbot: QtBot, shell: Shell) -> None:
    _unlock(qtbot, shell)
    window = shell.window
    qtbot.waitUntil(lambda: window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    names = {window.workspace.model.index(r, 0).data() for r in range(window.workspace.model.rowCount())}
    assert names == {"Amina", "Yonas"}
    window.workspace.table.selectRow(1)
    selected = window.workspace.selected_case()

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() is Screen.LOCK
    assert window.workspace.model.rowCount() == 0  # no personal data left in the widgets
    assert shell.controller.session is None
    assert window.lock_screen.name_edit.text() == OFFICER

    qtbot.keyClicks(window.lock_screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(window.lock_screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    assert window.workspace.selected_case() == selected  # back exactly where the officer was


def test_inactivity_locks_the_vault(qtbot: QtBot, existing_vault: Path) -> None:
    shell = make_shell(qtbot, existing_vault, lock_after_ms=300)
    _unlock(qtbot, shell)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.LOCK, timeout=5_000)
    assert shell.controller.session is None
    assert shell.window.workspace.model.rowCount() == 0


def test_new_intake_with_ctrl_n_adds_a_case(qtbot: QtBot, shell: Shell) -> None:
    _unlock(qtbot, shell)
    window = shell.window
    qtbot.waitUntil(lambda: window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.model.rowCount() == 3
    assert window.current_screen() is Screen.INTAKE  # a new intake opens at once
    assert window.wizard.current_page() is not None


def test_about_dialog_shows_the_version(qtbot: QtBot, shell: Shell) -> None:
    shell.window.about_action.trigger()
    box = shell.window.findChild(QMessageBox, "aboutDialog")
    assert box is not None and __version__ in box.text()
    box.close()


def test_damaged_vault_offers_the_backup_and_restores_it(qtbot: QtBot, shell: Shell) -> None:
    _unlock(qtbot, shell)
    window = shell.window
    qtbot.waitUntil(lambda: window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    shell.controller.lock()  # closing after a change makes the backup
    database = shell.folder / "vault.db"
    with database.open("r+b") as handle:
        handle.truncate(database.stat().st_size - 700)

    _unlock(qtbot, shell, passphrase=PASSPHRASE)
    screen = window.lock_screen
    qtbot.waitUntil(lambda: screen.restore_button.isVisibleTo(window), timeout=10_000)
    assert "beschadigd" in screen.message.text()

    def accept_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(50, accept_dialog)

    QTimer.singleShot(50, accept_dialog)
    qtbot.mouseClick(screen.restore_button, Qt.MouseButton.LeftButton)
    assert "teruggezet" in screen.message.text()
    assert any((shell.folder / "damaged").iterdir())
    _unlock(qtbot, shell)
    # back in the intake that was open when the vault locked, on the restored data
    qtbot.waitUntil(lambda: window.current_screen() is Screen.INTAKE, timeout=10_000)
    assert len(shell.controller.session.list_cases()) == 3


def test_repeated_wrong_passphrases_show_a_countdown(qtbot: QtBot, shell: Shell) -> None:
    screen = shell.window.lock_screen
    for attempt in range(4):
        _unlock(qtbot, shell, passphrase=f"fout {attempt}")
        qtbot.waitUntil(lambda: "klopt niet" in screen.message.text(), timeout=10_000)
        screen.show_message("")
    _unlock(qtbot, shell)  # even the right passphrase must wait now
    qtbot.waitUntil(lambda: "Probeer het over" in screen.message.text(), timeout=10_000)
    assert not screen.unlock_button.isEnabled()
    assert shell.window.current_screen() is Screen.LOCK
