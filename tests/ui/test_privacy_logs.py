"""Log files never hold personal data, also not when something crashes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from intake_app import logging_setup
from intake_app.ui.main_window import Screen

from support import OFFICER, PASSPHRASE
from ui_support import make_shell

SECRET = "Zwaluwnest-Xylofoon 4471"


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "logs"
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    hook_before = sys.excepthook
    logging_setup.configure(folder)
    yield folder
    for handler in root.handlers:
        if handler not in handlers_before:
            handler.close()
            root.removeHandler(handler)
    sys.excepthook = hook_before


def test_a_whole_session_and_a_crash_leave_no_personal_data_in_the_logs(
    qtbot: QtBot, existing_vault: Path, log_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell = make_shell(qtbot, existing_vault)
    screen = shell.window.lock_screen
    qtbot.keyClicks(screen.name_edit, OFFICER)
    qtbot.keyClicks(screen.passphrase_edit, SECRET)  # a wrong passphrase is personal too
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "klopt niet" in screen.message.text(), timeout=10_000)
    screen.name_edit.setText(OFFICER)
    qtbot.keyClicks(screen.passphrase_edit, PASSPHRASE)
    qtbot.keyClick(screen.passphrase_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=10_000)
    session = shell.controller.session
    case_id = session.create_case()
    session.save_answer(case_id, ("given_names", ""), SECRET)
    try:
        raise ValueError(f"ongeldige waarde {SECRET}")
    except ValueError:
        sys.excepthook(*sys.exc_info())  # what an uncaught exception in a slot goes through
    shell.controller.lock()
    for handler in logging.getLogger().handlers:
        handler.flush()

    log_text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in log_folder.iterdir())
    assert "vault unlocked" in log_text and "vault locked" in log_text
    assert "ValueError" in log_text  # the crash is logged ...
    assert SECRET not in log_text  # ... without its message
    assert "Zwaluwnest" not in capsys.readouterr().err
