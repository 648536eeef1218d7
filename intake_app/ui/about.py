"""The about dialog: name, version, what the app is for."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from intake_app import __version__
from intake_app.i18n import N_, Catalog

TITLE = N_("Over intake_app")
TEXT = N_(
    "intake_app {version}\n\nBrede intake en concept-PIP onder de Wet inburgering 2021.\n"
    "Alle gegevens staan versleuteld op deze laptop."
)


def show_about(parent: QWidget, catalog: Catalog) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("aboutDialog")
    box.setWindowTitle(catalog.gettext(TITLE))
    box.setText(catalog.gettext(TEXT).format(version=__version__))
    box.setIcon(QMessageBox.Icon.Information)
    box.open()
    return box
