"""Dialogs of the case life cycle: delete with a reason, the retention period, transfers.

They only ask; the WorkspaceController acts on the answers. The safe choice is the default button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, Catalog

CANCEL = N_("Annuleren")
NO_NAME = N_("(nog geen naam)")
STYLE = """
QLabel#dialogWarning { background: #fde2e1; color: #7f1d1d; padding: 8px; border-radius: 4px; }
QLabel#dialogInfo { background: #e0ecff; color: #1e3a8a; padding: 8px; border-radius: 4px; }
QLabel#dialogError { color: #b91c1c; font-weight: 600; }
"""

# -- delete -----------------------------------------------------------------------------------------

DELETE_TITLE = N_("Dossier verwijderen")
DELETE_HEADING = N_("Dossier van {name} definitief verwijderen?")
DELETE_TEXT = N_(
    "Alle antwoorden, plannen, wijzigingen en de geschiedenis van dit dossier worden verwijderd, ook uit het "
    "kluisbestand zelf. In het logboek blijft alleen staan wie het dossier wanneer verwijderde en waarom. "
    "Dit kan niet ongedaan worden gemaakt. Oudere automatische reservekopieën bevatten het dossier nog tot ze "
    "zijn vervangen (na vijf keer vergrendelen)."
)
DELETE_REASON = N_("Reden")
DELETE_CHOOSE = N_("Kies een reden…")
DELETE_CONFIRM = N_("Ik begrijp dat dit niet ongedaan kan worden gemaakt.")
DELETE_BUTTON = N_("Definitief verwijderen")


class DeleteDialog(QDialog):
    """``reasons``: (value, Dutch label msgid). After ``exec()``, ``reason`` is the chosen value."""

    def __init__(self, name: str, reasons: Sequence[tuple[Any, str]], catalog: Catalog,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deleteDialog")
        self.setStyleSheet(STYLE)
        _ = catalog.gettext
        self.setWindowTitle(_(DELETE_TITLE))
        self.reason: Any = None
        heading = QLabel(_(DELETE_HEADING).format(name=name or _(NO_NAME)), objectName="pageTitle", wordWrap=True)
        text = QLabel(_(DELETE_TEXT), objectName="dialogWarning", wordWrap=True)
        self.reason_combo = QComboBox(objectName="deleteReason")
        self.reason_combo.addItem(_(DELETE_CHOOSE), None)
        for value, label in reasons:
            self.reason_combo.addItem(_(label), value)
        self.reason_combo.setAccessibleName(_(DELETE_REASON))
        self.confirm = QCheckBox(_(DELETE_CONFIRM), objectName="deleteConfirm")
        form = QFormLayout()
        form.addRow(_(DELETE_REASON), self.reason_combo)
        buttons = QDialogButtonBox()
        self.delete_button = buttons.addButton(_(DELETE_BUTTON), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = buttons.addButton(_(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setDefault(True)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        buttons.rejected.connect(self.reject)
        self.reason_combo.currentIndexChanged.connect(self._update)
        self.confirm.toggled.connect(self._update)
        layout = QVBoxLayout(self)
        for widget in (heading, text):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        text.setMinimumWidth(560)
        self.adjustSize()
        self.reason_combo.setFocus()
        self._update()

    def _update(self) -> None:
        self.delete_button.setEnabled(self.reason_combo.currentData() is not None and self.confirm.isChecked())

    def _on_delete_clicked(self) -> None:
        self.reason = self.reason_combo.currentData()
        if self.reason is not None and self.confirm.isChecked():
            self.accept()


# -- retention --------------------------------------------------------------------------------------

RETENTION_TITLE = N_("Bewaartermijn")
RETENTION_TEXT = N_(
    "Hoe lang een gesloten of overgedragen dossier op deze laptop blijft. Daarna biedt de app het aan om te "
    "verwijderen; er wordt nooit iets vanzelf verwijderd. Stem de termijn af met uw archiefbeheerder."
)
RETENTION_MONTHS = N_("Bewaren na sluiten")
RETENTION_SUFFIX = N_(" maanden")
EXPIRED_HEADING = N_("Over de bewaartermijn ({count})")
NONE_EXPIRED = N_("Geen dossiers over de bewaartermijn.")
EXPIRED_ITEM = N_("{name} — gesloten op {closed}")
SAVE_RETENTION = N_("Termijn &opslaan")
DELETE_SELECTED = N_("Aangevinkte dossiers &verwijderen…")
CLOSE = N_("Sluiten")


class RetentionDialog(QDialog):
    """``expired``: (case id, name, closed on). Emits through callbacks; the caller refreshes it."""

    def __init__(self, months: int, expired: Sequence[tuple[str, str, str]], catalog: Catalog,
                 on_save: Callable[[int], None], on_delete: Callable[[list[str]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionDialog")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        _ = catalog.gettext
        self.setWindowTitle(_(RETENTION_TITLE))
        self._on_save, self._on_delete = on_save, on_delete
        text = QLabel(_(RETENTION_TEXT), objectName="dialogInfo", wordWrap=True)
        self.months = QSpinBox(objectName="retentionMonths")
        self.months.setRange(0, 1200)
        self.months.setValue(months)
        self.months.setSuffix(_(RETENTION_SUFFIX))
        self.months.setAccessibleName(_(RETENTION_MONTHS))
        save = QPushButton(_(SAVE_RETENTION), objectName="saveRetention")
        save.setAutoDefault(False)
        save.clicked.connect(lambda: self._on_save(self.months.value()))
        row = QHBoxLayout()
        row.addWidget(QLabel(_(RETENTION_MONTHS)))
        row.addWidget(self.months)
        row.addWidget(save)
        row.addStretch(1)
        self.heading = QLabel(objectName="dashboardHeading")
        self.expired = QListWidget(objectName="expiredCases")
        self.delete_button = QPushButton(_(DELETE_SELECTED), objectName="deleteExpired")
        self.delete_button.setAutoDefault(False)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        buttons = QDialogButtonBox()
        close = buttons.addButton(_(CLOSE), QDialogButtonBox.ButtonRole.RejectRole)
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.heading)
        layout.addWidget(self.expired, 1)
        layout.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(buttons)
        self.resize(620, 480)
        self.show_expired(expired)

    def show_expired(self, expired: Sequence[tuple[str, str, str]]) -> None:
        _ = self._catalog.gettext
        self.expired.clear()
        for case_id, name, closed in expired:
            item = QListWidgetItem(_(EXPIRED_ITEM).format(name=name or _(NO_NAME), closed=closed))
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.expired.addItem(item)
        self.heading.setText(_(EXPIRED_HEADING).format(count=len(expired)) if expired else _(NONE_EXPIRED))
        self.delete_button.setEnabled(bool(expired))

    def checked(self) -> list[str]:
        return [
            str(self.expired.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.expired.count())
            if self.expired.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _on_delete_clicked(self) -> None:
        chosen = self.checked()
        if chosen:
            self._on_delete(chosen)


# -- transfer: sending --------------------------------------------------------------------------------

EXPORT_TITLE = N_("Dossier overdragen")
EXPORT_HEADING = N_("Dossier van {name} overdragen aan een andere gemeente")
EXPORT_TEXT = N_(
    "De app maakt een versleuteld overdrachtsbestand met het dossier, alle antwoorden en alle planversies "
    "(de route blijft behouden). Stuur het bestand naar de nieuwe gemeente; geef het wachtwoord apart door, "
    "bij voorkeur telefonisch. Het dossier krijgt hier de status ‘overgedragen’."
)
OWN_MUNICIPALITY = N_("Uw gemeente (afzender)")
BY_PASSPHRASE = N_("Beveiligen met een &wachtwoord")
BY_KEY = N_("Beveiligen met de openbare &sleutel van de ontvangende gemeente")
PASSPHRASE = N_("Wachtwoord")
REPEAT = N_("Herhaal wachtwoord")
KEY_FILE = N_("Sleutelbestand")
CHOOSE_KEY = N_("Kies sleutel…")
NO_KEY = N_("(nog geen sleutel gekozen)")
FINGERPRINT = N_("Vingerafdruk: {fingerprint} — controleer die telefonisch met de ontvanger.")
MAKE_FILE = N_("Overdrachtsbestand &maken…")
NOT_EQUAL = N_("De wachtwoorden zijn niet gelijk.")


class TransferExportDialog(QDialog):
    """Asks how to protect the package. ``describe_key(path)`` returns a fingerprint or raises."""

    def __init__(self, name: str, catalog: Catalog, choose_key: Callable[[], Path | None],
                 describe_key: Callable[[Path], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferExportDialog")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        _ = catalog.gettext
        self._choose_key, self._describe_key = choose_key, describe_key
        self.key_path: Path | None = None
        self.setWindowTitle(_(EXPORT_TITLE))
        heading = QLabel(_(EXPORT_HEADING).format(name=name or _(NO_NAME)), objectName="pageTitle", wordWrap=True)
        text = QLabel(_(EXPORT_TEXT), objectName="dialogInfo", wordWrap=True)
        self.municipality = QLineEdit(objectName="sendingMunicipality")
        self.by_passphrase = QRadioButton(_(BY_PASSPHRASE), objectName="byPassphrase", checked=True)
        self.by_key = QRadioButton(_(BY_KEY), objectName="byKey")
        group = QButtonGroup(self)
        group.addButton(self.by_passphrase)
        group.addButton(self.by_key)
        self.passphrase = QLineEdit(objectName="transferPassphrase", echoMode=QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(objectName="transferRepeat", echoMode=QLineEdit.EchoMode.Password)
        self.key_label = QLabel(_(NO_KEY), objectName="keyLabel", wordWrap=True)
        self.key_button = QPushButton(_(CHOOSE_KEY), objectName="chooseKey")
        self.key_button.clicked.connect(self._on_key_button_clicked)
        self.message = QLabel(objectName="dialogError", wordWrap=True)
        form = QFormLayout()
        form.addRow(_(OWN_MUNICIPALITY), self.municipality)
        form.addRow(self.by_passphrase)
        form.addRow(_(PASSPHRASE), self.passphrase)
        form.addRow(_(REPEAT), self.repeat)
        form.addRow(self.by_key)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_button)
        key_row.addWidget(self.key_label, 1)
        form.addRow(_(KEY_FILE), key_row)
        buttons = QDialogButtonBox()
        self.make_button = buttons.addButton(_(MAKE_FILE), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        self.make_button.setDefault(True)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        for widget in (self.by_passphrase, self.by_key):
            widget.toggled.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(660)
        text.setMinimumWidth(620)
        self.adjustSize()
        self.municipality.setFocus()
        self._update()

    def _update(self) -> None:
        by_passphrase = self.by_passphrase.isChecked()
        for widget in (self.passphrase, self.repeat):
            widget.setEnabled(by_passphrase)
        self.key_button.setEnabled(not by_passphrase)

    def _on_key_button_clicked(self) -> None:
        path = self._choose_key()
        if path is None:
            return
        try:
            fingerprint = self._describe_key(path)
        except Exception as error:  # an unreadable key: say so, keep the dialog open
            self.message.setText(self._catalog.gettext(getattr(error, "message", NO_KEY)))
            return
        self.key_path = path
        self.message.clear()
        self.key_label.setText(f"{path.name}\n" + self._catalog.gettext(FINGERPRINT).format(fingerprint=fingerprint))

    def _on_accepted(self) -> None:
        _ = self._catalog.gettext
        if self.by_passphrase.isChecked():
            if self.passphrase.text() != self.repeat.text():
                self.message.setText(_(NOT_EQUAL))
                self.repeat.setFocus()
                return
        elif self.key_path is None:
            self.message.setText(_(NO_KEY))
            return
        self.accept()

    def show_message(self, text: str) -> None:
        self.message.setText(text)


# -- transfer: receiving ----------------------------------------------------------------------------

RECEIVE_TITLE = N_("Overdracht inlezen")
RECEIVE_PASSPHRASE = N_("Dit bestand is met een wachtwoord beveiligd. Vul het wachtwoord in dat de afzender u gaf.")
RECEIVE_KEY = N_("Dit bestand is voor de sleutel van uw gemeente gemaakt. Kies het privé-sleutelbestand.")
KEY_PASSPHRASE = N_("Wachtwoord van het sleutelbestand (als het er een heeft)")
OPEN_PACKAGE = N_("&Openen")
RECEIVE_PREVIEW = N_(
    "{name}\nStatus bij de afzender: {status}\nRoute: {route}\n{answers} antwoorden, {versions} planversies\n"
    "Van: {municipality} ({officer}, {exported_at})"
)
IMPORT_PACKAGE = N_("&Inlezen als nieuw dossier")
NO_ROUTE = N_("nog geen plan")
UNKNOWN = N_("onbekend")


class TransferReceiveDialog(QDialog):
    """Opens a package with ``open_package(passphrase, key_path, key_passphrase)`` (returns a preview
    or raises with a ``message``), then shows it; Accepted means "import it"."""

    def __init__(self, needs_passphrase: bool, catalog: Catalog, choose_key: Callable[[], Path | None],
                 open_package: Callable[[str | None, Path | None, str | None], Any],
                 describe: Callable[[Any], dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transferReceiveDialog")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        _ = catalog.gettext
        self._choose_key, self._open, self._describe = choose_key, open_package, describe
        self.needs_passphrase = needs_passphrase
        self.key_path: Path | None = None
        self.preview: Any = None
        self.setWindowTitle(_(RECEIVE_TITLE))
        text = QLabel(_(RECEIVE_PASSPHRASE if needs_passphrase else RECEIVE_KEY), objectName="dialogInfo",
                      wordWrap=True)
        self.passphrase = QLineEdit(objectName="receivePassphrase", echoMode=QLineEdit.EchoMode.Password)
        self.key_button = QPushButton(_(CHOOSE_KEY), objectName="chooseKey")
        self.key_button.clicked.connect(self._on_key_button_clicked)
        self.key_label = QLabel(_(NO_KEY), wordWrap=True)
        self.key_passphrase = QLineEdit(objectName="keyPassphrase", echoMode=QLineEdit.EchoMode.Password)
        form = QFormLayout()
        if needs_passphrase:
            form.addRow(_(PASSPHRASE), self.passphrase)
        else:
            key_row = QHBoxLayout()
            key_row.addWidget(self.key_button)
            key_row.addWidget(self.key_label, 1)
            form.addRow(_(KEY_FILE), key_row)
            form.addRow(_(KEY_PASSPHRASE), self.key_passphrase)
        self.open_button = QPushButton(_(OPEN_PACKAGE), objectName="openPackage")
        self.open_button.setDefault(True)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.message = QLabel(objectName="dialogError", wordWrap=True)
        self.details = QLabel(objectName="dialogInfo", wordWrap=True)
        self.details.hide()
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton(_(IMPORT_PACKAGE), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        buttons.addButton(_(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)
        text.setMinimumWidth(560)
        self.adjustSize()
        (self.passphrase if needs_passphrase else self.key_button).setFocus()

    def _on_key_button_clicked(self) -> None:
        path = self._choose_key()
        if path is not None:
            self.key_path = path
            self.key_label.setText(path.name)

    def _on_open_button_clicked(self) -> None:
        _ = self._catalog.gettext
        try:
            if self.needs_passphrase:
                self.preview = self._open(self.passphrase.text(), None, None)
            else:
                self.preview = self._open(None, self.key_path, self.key_passphrase.text() or None)
        except Exception as error:
            self.preview = None
            self.message.setText(_(getattr(error, "message", UNKNOWN)).format(**getattr(error, "params", {})))
            self.import_button.setEnabled(False)
            self.details.hide()
            return
        self.message.clear()
        facts = self._describe(self.preview)
        self.details.setText(_(RECEIVE_PREVIEW).format(**facts))
        self.details.show()
        self.import_button.setEnabled(True)
        self.import_button.setDefault(True)
        self.import_button.setFocus()
