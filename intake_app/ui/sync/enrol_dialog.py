"""'Koppelen aan server': the server's address and a one-time code from the municipality's admins.

The dialog only asks and shows; the SyncController runs the enrolment off the GUI thread and calls
:meth:`EnrolDialog.show_failure` or accepts the dialog.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, Catalog

TITLE = N_("Koppelen aan server")
INTRO = N_(
    "Koppel deze laptop eenmalig aan de server van de gemeente. Functioneel beheer geeft u het adres en een "
    "koppelcode; de code werkt één keer. Daarna synchroniseert u met F5."
)
SERVER = N_("&Adres van de server")
SERVER_PLACEHOLDER = N_("https://intake.gemeente.nl")
CODE = N_("&Koppelcode")
ENROL = N_("&Koppelen")
CANCEL = N_("Annuleren")
BUSY = N_("Bezig met koppelen…")
BAD_SERVER = N_("Vul het volledige adres van de server in, beginnend met https:// (of http:// binnen het "
                "gemeentenetwerk).")
NO_CODE = N_("Vul de koppelcode in.")

STYLE = """
QLabel#enrolMessage { color: #b91c1c; font-weight: 600; }
QLabel#enrolBusy { color: #1e3a8a; }
"""


def normalise_server(text: str) -> str | None:
    """'https://sync.gemeente.nl/' -> 'https://sync.gemeente.nl'; None when it is not an http(s) address."""
    address = text.strip().rstrip("/")
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return address


class EnrolDialog(QDialog):
    """Emits ``enrol_requested(server, code)``; the controller answers with :meth:`show_failure` or accept()."""

    enrol_requested = Signal(str, str)

    def __init__(self, catalog: Catalog, server: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrolDialog")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        _ = catalog.gettext
        self.setWindowTitle(_(TITLE))
        intro = QLabel(_(INTRO), wordWrap=True)
        intro.setMinimumWidth(500)
        self.server_edit = QLineEdit(server, objectName="enrolServer")
        self.server_edit.setPlaceholderText(_(SERVER_PLACEHOLDER))
        self.code_edit = QLineEdit(objectName="enrolCode")
        self.message = QLabel(objectName="enrolMessage", wordWrap=True)
        self.message.hide()
        self.busy_label = QLabel(_(BUSY), objectName="enrolBusy")
        self.busy_label.hide()
        form = QFormLayout()
        server_label = QLabel(_(SERVER))
        server_label.setBuddy(self.server_edit)
        code_label = QLabel(_(CODE))
        code_label.setBuddy(self.code_edit)
        form.addRow(server_label, self.server_edit)
        form.addRow(code_label, self.code_edit)
        buttons = QDialogButtonBox()
        self.enrol_button = buttons.addButton(_(ENROL), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(_(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        # Enter means "Koppelen" wherever the focus is; only Esc (or a click) cancels.
        self.cancel_button.setAutoDefault(False)
        self.enrol_button.setAutoDefault(False)
        self.enrol_button.clicked.connect(self._on_enrol_clicked)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)  # grows with a message, never clips
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy_label)
        layout.addWidget(buttons)
        self.enrol_button.setDefault(True)  # only once the button is in the dialog does this stick
        (self.code_edit if server else self.server_edit).setFocus()

    def _on_enrol_clicked(self) -> None:
        _ = self._catalog.gettext
        server = normalise_server(self.server_edit.text())
        if server is None:
            self.show_failure(_(BAD_SERVER))
            self.server_edit.setFocus()
            return
        code = self.code_edit.text().strip()
        if not code:
            self.show_failure(_(NO_CODE))
            self.code_edit.setFocus()
            return
        self.message.hide()
        self.set_busy(True)
        self.enrol_requested.emit(server, code)

    def set_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        # Read-only, not disabled: the focus stays where the officer typed.
        self.server_edit.setReadOnly(busy)
        self.code_edit.setReadOnly(busy)
        self.enrol_button.setEnabled(not busy)

    def show_failure(self, text: str) -> None:
        self.set_busy(False)
        self.message.setText(text)
        self.message.show()
        self.adjustSize()
        self.code_edit.setFocus()
        self.code_edit.selectAll()
