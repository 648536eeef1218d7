"""First start on a laptop: the first officer chooses a name and a passphrase for the new vault."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, Catalog

TITLE = N_("Welkom bij intake_app")
INTRO = N_(
    "Op deze laptop staat nog geen kluis. De kluis bewaart alle dossiers versleuteld. Kies uw naam "
    "en een sterk wachtwoord: een zin van een paar ongewone woorden werkt goed."
)
NAME = N_("&Naam")
PASSPHRASE = N_("&Wachtwoord")
REPEAT = N_("&Herhaal wachtwoord")
CREATE = N_("&Kluis aanmaken")
MISMATCH = N_("De twee wachtwoorden zijn niet gelijk.")
NAME_MISSING = N_("Vul uw naam in.")
BUSY = N_("Bezig met het aanmaken van de kluis…")


class PassphraseVerdict(Protocol):
    acceptable: bool
    score: int
    message: str
    advice: tuple[str, ...]

    @property
    def params(self) -> dict[str, int]: ...


class FirstRunScreen(QWidget):
    create_requested = Signal(str, str)

    def __init__(
        self, catalog: Catalog, judge: Callable[[str, str], PassphraseVerdict] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunScreen")
        self._catalog = catalog
        self._judge = judge  # supplied once the storage stack has loaded
        self._verdict: PassphraseVerdict | None = None
        self._message = ""

        self.title = QLabel(objectName="screenTitle")
        self.intro = QLabel(wordWrap=True)
        self.name_edit = QLineEdit(objectName="officerName")
        self.passphrase_edit = QLineEdit(objectName="passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(objectName="passphraseRepeat")
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = QProgressBar(objectName="strength", maximum=4, textVisible=False)
        self.strength.setMaximumHeight(8)
        self.advice = QLabel(objectName="passphraseAdvice", wordWrap=True)
        self.create_button = QPushButton(objectName="createVaultButton")
        self.create_button.setDefault(True)
        self.message = QLabel(objectName="firstRunMessage", wordWrap=True)

        self._labels = [QLabel(), QLabel(), QLabel()]
        form = QFormLayout()
        for label, edit in zip(self._labels, (self.name_edit, self.passphrase_edit, self.repeat_edit),
                               strict=True):
            label.setBuddy(edit)
            form.addRow(label, edit)
        form.addRow("", self.strength)
        form.addRow("", self.advice)

        card = QFrame(objectName="card")
        card.setMaximumWidth(560)
        inner = QVBoxLayout(card)
        inner.addWidget(self.title)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.create_button)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

        self.passphrase_edit.textChanged.connect(self._on_passphrase_edit_text_changed)
        self.name_edit.textChanged.connect(self._on_passphrase_edit_text_changed)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.repeat_edit.returnPressed.connect(self._on_create_clicked)
        self.retranslate(catalog)

    def set_judge(self, judge: Callable[[str, str], PassphraseVerdict]) -> None:
        self._judge = judge
        self._on_passphrase_edit_text_changed()

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        self.title.setText(_(TITLE))
        self.intro.setText(_(INTRO))
        for label, msgid in zip(self._labels, (NAME, PASSPHRASE, REPEAT), strict=True):
            label.setText(_(msgid))
        self.create_button.setText(_(CREATE))
        self._render()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.name_edit, self.passphrase_edit, self.repeat_edit, self.create_button):
            widget.setEnabled(not busy)
        self.show_message(BUSY if busy else "")

    def show_message(self, msgid: str) -> None:
        self._message = msgid
        self._render()

    def _render(self) -> None:
        _ = self._catalog.gettext
        verdict = self._verdict
        if verdict is None or not self.passphrase_edit.text():
            self.strength.setValue(0)
            self.advice.setText("")
        else:
            self.strength.setValue(verdict.score)
            colour = "#15803d" if verdict.acceptable else "#b45309" if verdict.score >= 2 else "#b91c1c"
            self.strength.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
            lines = [_(verdict.message).format(**verdict.params), *(_(a) for a in verdict.advice)]
            self.advice.setText("\n".join(lines))
        self.message.setText(_(self._message) if self._message else "")

    def _on_passphrase_edit_text_changed(self, _text: str = "") -> None:
        if self._judge is not None:
            self._verdict = self._judge(self.passphrase_edit.text(), self.name_edit.text())
        self._render()

    def _on_create_clicked(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self.show_message(NAME_MISSING)
            self.name_edit.setFocus()
            return
        if self._judge is not None:
            self._verdict = self._judge(self.passphrase_edit.text(), name)
        if self._verdict is None or not self._verdict.acceptable:
            self._render()
            self.passphrase_edit.setFocus()
            return
        if self.passphrase_edit.text() != self.repeat_edit.text():
            self.show_message(MISMATCH)
            self.repeat_edit.setFocus()
            return
        self.create_requested.emit(name, self.passphrase_edit.text())
