"""The lock screen: officer name and passphrase. Needs only Qt, so it paints before the storage
stack has loaded."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, NP_, Catalog

TITLE = N_("Kluis vergrendeld")
INTRO = N_("Vul uw naam en wachtwoord in om de dossiers op deze laptop te openen.")
NAME = N_("&Naam")
PASSPHRASE = N_("&Wachtwoord")
UNLOCK = N_("&Ontgrendelen")
BUSY = N_("Bezig met ontgrendelen…")
WAIT = NP_(
    "Te veel mislukte pogingen. Probeer het over {seconds} seconde opnieuw.",
    "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
)
RESTORE = N_("&Reservekopie terugzetten")
NO_BACKUP = N_("Er is geen reservekopie. Neem contact op met de functioneel beheerder.")


class LockScreen(QWidget):
    unlock_requested = Signal(str, str)
    restore_backup_requested = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self._catalog = catalog
        self._error_msgid = ""
        self._error_params: dict[str, object] = {}
        self._wait_left = 0

        self.title = QLabel(objectName="screenTitle")
        self.intro = QLabel(wordWrap=True)
        self.name_edit = QLineEdit(objectName="officerName")
        self.passphrase_edit = QLineEdit(objectName="passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.unlock_button = QPushButton(objectName="unlockButton")
        self.unlock_button.setDefault(True)
        self.message = QLabel(objectName="lockMessage", wordWrap=True)
        self.message.setAccessibleName("melding")
        self.restore_button = QPushButton(objectName="restoreBackupButton")
        self.restore_button.hide()

        self._name_label = QLabel()
        self._name_label.setBuddy(self.name_edit)
        self._passphrase_label = QLabel()
        self._passphrase_label.setBuddy(self.passphrase_edit)
        form = QFormLayout()
        form.addRow(self._name_label, self.name_edit)
        form.addRow(self._passphrase_label, self.passphrase_edit)

        card = QFrame(objectName="card")
        card.setMaximumWidth(460)
        inner = QVBoxLayout(card)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        inner.addWidget(self.restore_button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self._wait_timer = QTimer(self, interval=1000)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.passphrase_edit.returnPressed.connect(self._on_unlock_clicked)
        self.name_edit.returnPressed.connect(self.passphrase_edit.setFocus)
        self.restore_button.clicked.connect(self.restore_backup_requested)
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        self.title.setText(_(TITLE))
        self.intro.setText(_(INTRO))
        self._name_label.setText(_(NAME))
        self._passphrase_label.setText(_(PASSPHRASE))
        self.unlock_button.setText(_(UNLOCK))
        self.restore_button.setText(_(RESTORE))
        self._render_message()

    def prepare(self, officer: str = "") -> None:
        """Ready for a new unlock: passphrase empty, focus where typing starts."""
        self.passphrase_edit.clear()
        if officer:
            self.name_edit.setText(officer)
        self.set_busy(False)
        (self.passphrase_edit if self.name_edit.text() else self.name_edit).setFocus()

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy and self._wait_left == 0)
        self.name_edit.setEnabled(not busy)
        self.passphrase_edit.setEnabled(not busy)
        if busy:
            self.show_message(BUSY)

    def show_message(self, msgid: str, **params: object) -> None:
        self._error_msgid, self._error_params = msgid, params
        self._render_message()

    def show_wait(self, seconds: int) -> None:
        """Growing delay after failed attempts: count down, then allow a new try."""
        self._wait_left = max(1, seconds)
        self.unlock_button.setEnabled(False)
        self.show_message(WAIT[0], seconds=self._wait_left)
        self._wait_timer.start()

    def show_damaged(self, msgid: str, has_backup: bool) -> None:
        self.show_message(msgid if has_backup else NO_BACKUP)
        self.restore_button.setVisible(has_backup)

    def _render_message(self) -> None:
        if self._error_msgid == WAIT[0]:
            text = self._catalog.ngettext(*WAIT, self._wait_left)
        else:
            text = self._catalog.gettext(self._error_msgid) if self._error_msgid else ""
        self.message.setText(text.format(**self._error_params) if self._error_params else text)

    def _on_wait_timer_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._wait_timer.stop()
            self._wait_left = 0
            self.show_message("")
            self.unlock_button.setEnabled(True)
        else:
            self.show_message(WAIT[0], seconds=self._wait_left)

    def _on_unlock_clicked(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        name = self.name_edit.text().strip()
        if not name:
            self.name_edit.setFocus()
            return
        self.restore_button.hide()
        self.unlock_requested.emit(name, self.passphrase_edit.text())
