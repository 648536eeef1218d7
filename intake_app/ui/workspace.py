"""The officer's workspace after unlocking: the case list and the "Nieuwe intake" action."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from intake_app.i18n import N_, Catalog
from intake_app.ui.case_table import COLUMN_SAMPLES, CaseRow, CaseTableModel

TITLE = N_("Dossiers")
EMPTY = N_("Nog geen dossiers. Kies ‘Nieuwe intake’ (Ctrl+N) om te beginnen.")
COUNT = N_("{count} dossiers")


class Workspace(QWidget):
    case_activated = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self._catalog = catalog
        self.title = QLabel(objectName="screenTitle")
        self.summary = QLabel(objectName="caseCount")
        self.empty_hint = QLabel(objectName="emptyHint", wordWrap=True)
        self.model = CaseTableModel(catalog)
        self.table = QTableView(objectName="caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._on_table_activated)  # Enter or double click
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint)
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.title.setText(catalog.gettext(TITLE))
        self.empty_hint.setText(catalog.gettext(EMPTY))
        self.model.set_catalog(catalog)
        self._size_columns()
        self._update_summary()

    def _size_columns(self) -> None:
        # Widths from the longest label a column can show, not from the rows: measuring
        # thousands of rows (ResizeToContents) would make the list slow to appear.
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        for column in range(1, self.model.columnCount()):
            samples = [str(self.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole))]
            samples += [self._catalog.gettext(text) for text in COLUMN_SAMPLES.get(column, ())]
            header.resizeSection(column, max(metrics.horizontalAdvance(t) for t in samples) + 28)

    def set_cases(self, rows: Sequence[CaseRow], select_case: str = "") -> None:
        self.model.set_rows(rows)
        self.empty_hint.setVisible(not rows)
        self._update_summary()
        row = self.model.row_of(select_case) if select_case else -1
        if row >= 0:
            self.table.selectRow(row)
        self.table.setFocus()

    def selected_case(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else ""

    def clear(self) -> None:
        """Lock: no personal data may stay in any widget."""
        self.model.clear()
        self._update_summary()

    def _update_summary(self) -> None:
        count = self.model.rowCount()
        self.summary.setText(self._catalog.gettext(COUNT).format(count=count))

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.case_activated.emit(self.model.case_id(index.row()))
