"""The preview of a COA handover before it is imported: what will be stored, and every problem.

Nothing is written until the officer chooses "Importeren"; with any error the button stays off and
the dialog says what to fix, per field, in Dutch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, NP_, Catalog

TITLE = N_("COA-overdracht importeren")
SUMMARY = N_("{name}: {count} antwoorden uit het informatieformulier van COA.")
PREPARED_BY = N_("Opgesteld door: {source}")
ERRORS = NP_(
    "Dit bestand kan niet worden geïmporteerd: {count} probleem. Er is niets opgeslagen.",
    "Dit bestand kan niet worden geïmporteerd: {count} problemen. Er is niets opgeslagen.",
)
WARNINGS = NP_(
    "Let op ({count} opmerking); importeren kan wel.",
    "Let op ({count} opmerkingen); importeren kan wel.",
)
READY = N_(
    "Controleer de gegevens en kies ‘Importeren’. Er wordt een nieuw dossier gemaakt; u kunt de import daarna "
    "in zijn geheel ongedaan maken."
)
IMPORT = N_("&Importeren")
CANCEL = N_("Annuleren")
COLUMNS = (N_("Onderdeel"), N_("Vraag"), N_("Antwoord"))
NO_NAME = N_("(geen naam)")
ERROR = N_("Fout")
WARNING = N_("Let op")

STYLE = """
QLabel#importErrors { background: #fde2e1; color: #7f1d1d; padding: 6px; border-radius: 4px; font-weight: 600; }
QLabel#importWarnings { background: #fef3c7; color: #713f12; padding: 6px; border-radius: 4px; }
QLabel#importReady { color: #1f2937; }
"""


class CoaImportDialog(QDialog):
    """Shows a ``services.coa_import.CoaPreview``; ``exec()`` is Accepted when the officer imports."""

    def __init__(self, preview: Any, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coaImportDialog")
        self.setStyleSheet(STYLE)
        self.preview = preview
        _ = catalog.gettext
        self.setWindowTitle(_(TITLE))
        self.resize(900, 600)
        layout = QVBoxLayout(self)

        self.summary = QLabel(objectName="importSummary", wordWrap=True)
        name = preview.display_name or _(NO_NAME)
        self.summary.setText(_(SUMMARY).format(name=name, count=len(preview.answers)))
        if preview.prepared_by:
            self.summary.setText(self.summary.text() + "\n" + _(PREPARED_BY).format(source=preview.prepared_by))
        layout.addWidget(self.summary)

        errors, warnings = preview.errors, preview.warnings
        self.errors_label = QLabel(objectName="importErrors", wordWrap=True)
        self.errors_label.setText(catalog.ngettext(*ERRORS, len(errors)).format(count=len(errors)))
        self.errors_label.setVisible(bool(errors))
        layout.addWidget(self.errors_label)
        self.warnings_label = QLabel(objectName="importWarnings", wordWrap=True)
        self.warnings_label.setText(catalog.ngettext(*WARNINGS, len(warnings)).format(count=len(warnings)))
        self.warnings_label.setVisible(bool(warnings) and not errors)
        layout.addWidget(self.warnings_label)

        self.problems = QListWidget(objectName="importProblems")
        for problem in (*errors, *warnings):
            is_error = problem in errors
            item = QListWidgetItem(f"{_(ERROR if is_error else WARNING)}: {problem.render(_)}")
            item.setForeground(QColor("#991b1b" if is_error else "#854d0e"))
            item.setToolTip(item.text())
            self.problems.addItem(item)
        self.problems.setVisible(bool(errors or warnings))
        self.problems.setMaximumHeight(160 if preview.lines else 400)
        layout.addWidget(self.problems, 0 if preview.lines else 1)

        self.table = QTableWidget(len(preview.lines), len(COLUMNS), objectName="importPreview")
        self.table.setHorizontalHeaderLabels([_(text) for text in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for row, line in enumerate(preview.lines):
            value = _(line.value) if line.value_is_label else line.value
            for column, text in enumerate((_(line.section), _(line.label), value)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(row, column, cell)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        self.table.setVisible(bool(preview.lines))
        layout.addWidget(self.table, 1)

        self.ready = QLabel(_(READY), objectName="importReady", wordWrap=True)
        self.ready.setVisible(preview.can_import)
        layout.addWidget(self.ready)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(_(IMPORT), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(_(CANCEL), QDialogButtonBox.ButtonRole.RejectRole)
        self.import_button.setEnabled(preview.can_import)
        self.import_button.setDefault(preview.can_import)
        self.cancel_button.setDefault(not preview.can_import)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.import_button if preview.can_import else self.problems).setFocus(Qt.FocusReason.OtherFocusReason)
