"""Helpers for GUI tests: a main window wired to a controller on a real vault folder."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from intake_app.i18n import Catalog
from intake_app.ui.controller import SessionController
from intake_app.ui.main_window import MainWindow


class Shell:
    def __init__(self, window: MainWindow, controller: SessionController, folder: Path) -> None:
        self.window = window
        self.controller = controller
        self.folder = folder


def make_shell(qtbot: QtBot, folder: Path, lock_after_ms: int = 60_000) -> Shell:
    catalog = Catalog("nl")
    window = MainWindow(catalog)
    qtbot.addWidget(window)
    controller = SessionController(window, catalog, folder, lock_after_ms=lock_after_ms)
    controller.start()
    controller.preload()
    window.show()
    return Shell(window, controller, folder)
