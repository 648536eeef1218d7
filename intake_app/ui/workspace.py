"""The officer's workspace after unlocking: counts, the case list with its filters, case actions.

Everything here is keyboard operable: Ctrl+F jumps to the filter (Enter or Down then goes to the
list), Enter on a case opens it at its last question, Ctrl+I imports a COA handover, Delete asks to
delete the selected case. The widgets only show and ask; the WorkspaceController does the work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, Catalog
from intake_app.ui.case_table import (
    COLUMN_SAMPLES,
    DEADLINE_FILTER_LABELS,
    STATUS_FILTER_LABELS,
    CaseTableModel,
    DeadlineFilter,
    StatusFilter,
)
from intake_app.ui.workspace_dashboard import Dashboard

TITLE = N_("Dossiers")
EMPTY = N_("Nog geen dossiers. Kies ‘Nieuwe intake’ (Ctrl+N) om te beginnen, of importeer een COA-overdracht (Ctrl+I).")
NOTHING_FOUND = N_("Geen dossiers bij dit filter. Wis het zoekveld (Esc) of kies ‘Alle dossiers’.")
COUNT = N_("{count} dossiers")
COUNT_FILTERED = N_("{shown} van {count} dossiers")
SEARCH_PLACEHOLDER = N_("Zoek op naam, BSN of V-nummer (Ctrl+F)")
SEARCH_NAME = N_("Zoeken in dossiers")
STATUS_NAME = N_("Filter op status")
DEADLINE_NAME = N_("Filter op termijn")
DEMO_BANNER = N_("DEMO — fictieve dossiers, geen echte personen")
OPEN = N_("&Openen")
CLOSE = N_("&Sluiten")
REOPEN = N_("&Heropenen")
TRANSFER = N_("Over&dragen…")
DELETE = N_("&Verwijderen…")
IMPORT_COA = N_("&COA-overdracht importeren…")
RECEIVE = N_("Overdracht &inlezen…")
RETENTION = N_("&Bewaartermijn…")
DISMISS = N_("Sluiten")

STYLE = """
QLabel#demoBanner { background: #b45309; color: white; font-weight: bold; padding: 4px 10px; border-radius: 4px; }
QFrame#notice { background: #e0ecff; border: 1px solid #a9c4f5; border-radius: 6px; }
QFrame#notice QLabel { color: #1e3a8a; }
QPushButton#noticeAction { padding: 3px 12px; }
QLineEdit#caseSearch { min-width: 320px; }

"""


class _KeyRelay(QObject):
    """Enter or Down in the filter goes to the list; Esc clears the filter."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._workspace = workspace

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                self._workspace.focus_list()
                return True
            if key == Qt.Key.Key_Escape and self._workspace.search_edit.text():
                self._workspace.search_edit.clear()
                return True
        return False


class Workspace(QWidget):
    case_activated = Signal(str)
    close_requested = Signal(str)
    reopen_requested = Signal(str)
    transfer_requested = Signal(str)
    delete_requested = Signal(str)
    import_coa_requested = Signal()
    receive_transfer_requested = Signal()
    retention_requested = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        self._notice_action: Callable[[], None] | None = None

        self.title = QLabel(objectName="screenTitle")
        self.demo_banner = QLabel(objectName="demoBanner")
        self.demo_banner.hide()
        self.dashboard = Dashboard(catalog)
        self.dashboard.deadline_filter_chosen.connect(self._on_dashboard_deadline_filter_chosen)
        self.dashboard.status_filter_chosen.connect(self._on_dashboard_status_filter_chosen)

        self.search_edit = QLineEdit(objectName="caseSearch")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.installEventFilter(_KeyRelay(self))
        self.status_combo = QComboBox(objectName="statusFilter")
        for value in StatusFilter:
            self.status_combo.addItem("", value)
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.deadline_combo = QComboBox(objectName="deadlineFilter")
        for value in DeadlineFilter:
            self.deadline_combo.addItem("", value)
        self.deadline_combo.currentIndexChanged.connect(self._on_deadline_combo_changed)
        self.summary = QLabel(objectName="caseCount")

        self.open_button = QPushButton(objectName="openCase")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.close_button = QPushButton(objectName="closeCase")
        self.close_button.clicked.connect(lambda: self._emit_for_selected(self.close_requested))
        self.reopen_button = QPushButton(objectName="reopenCase")
        self.reopen_button.clicked.connect(lambda: self._emit_for_selected(self.reopen_requested))
        self.transfer_button = QPushButton(objectName="transferCase")
        self.transfer_button.clicked.connect(lambda: self._emit_for_selected(self.transfer_requested))
        self.delete_button = QPushButton(objectName="deleteCase")
        self.delete_button.clicked.connect(lambda: self._emit_for_selected(self.delete_requested))
        self.import_button = QPushButton(objectName="importCoa")
        self.import_button.clicked.connect(self.import_coa_requested)
        self.receive_button = QPushButton(objectName="receiveTransfer")
        self.receive_button.clicked.connect(self.receive_transfer_requested)
        self.retention_button = QPushButton(objectName="retention")
        self.retention_button.clicked.connect(self.retention_requested)

        self.notice = QFrame(objectName="notice")
        self.notice_label = QLabel(wordWrap=True)
        self.notice_button = QPushButton(objectName="noticeAction")
        self.notice_button.clicked.connect(self._on_notice_button_clicked)
        self.notice_dismiss = QPushButton(objectName="noticeAction")
        self.notice_dismiss.clicked.connect(self.hide_notice)
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(10, 4, 6, 4)
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(self.notice_button)
        notice_layout.addWidget(self.notice_dismiss)
        self.notice.hide()
        self._notice_timer = QTimer(self, singleShot=True)
        self._notice_timer.timeout.connect(self.hide_notice)

        self.model = CaseTableModel(catalog)
        self.table = QTableView(objectName="caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, arrows move in it
        self.table.verticalHeader().hide()
        # Fixed row heights: the view never measures rows, so 10,000 of them cost nothing to lay out.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._on_header_sort_indicator_changed)
        header.setHighlightSections(False)
        self.table.activated.connect(self._on_table_activated)  # Enter or double click
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_hint = QLabel(objectName="emptyHint", wordWrap=True)

        self.search_action = self._shortcut("Ctrl+F", self.focus_search)
        self.import_action = self._shortcut("Ctrl+I", self.import_coa_requested.emit)
        self.delete_action = self._shortcut("Del", lambda: self._emit_for_selected(self.delete_requested))

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.demo_banner)
        top.addStretch(1)
        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.deadline_combo)
        filters.addStretch(1)
        filters.addWidget(self.summary)
        actions = QHBoxLayout()
        for button in (self.open_button, self.close_button, self.reopen_button, self.transfer_button,
                       self.delete_button):
            actions.addWidget(button)
        actions.addStretch(1)
        for button in (self.import_button, self.receive_button, self.retention_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.dashboard)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        layout.addStretch(0)  # takes the room when the list is hidden (no cases at all)
        self.setTabOrder(self.search_edit, self.status_combo)
        self.setTabOrder(self.status_combo, self.deadline_combo)
        self.setTabOrder(self.deadline_combo, self.table)
        self.retranslate(catalog)
        self._update_buttons()

    def _shortcut(self, keys: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(self)
        action.setShortcuts([QKeySequence(keys)])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- language ----------------------------------------------------------------------------------

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        self.title.setText(_(TITLE))
        self.demo_banner.setText(_(DEMO_BANNER))
        self.search_edit.setPlaceholderText(_(SEARCH_PLACEHOLDER))
        self.search_edit.setAccessibleName(_(SEARCH_NAME))
        self.status_combo.setAccessibleName(_(STATUS_NAME))
        self.deadline_combo.setAccessibleName(_(DEADLINE_NAME))
        for index in range(self.status_combo.count()):
            self.status_combo.setItemText(index, _(STATUS_FILTER_LABELS[self.status_combo.itemData(index)]))
        for index in range(self.deadline_combo.count()):
            self.deadline_combo.setItemText(index, _(DEADLINE_FILTER_LABELS[self.deadline_combo.itemData(index)]))
        for button, text in (
            (self.open_button, OPEN), (self.close_button, CLOSE), (self.reopen_button, REOPEN),
            (self.transfer_button, TRANSFER), (self.delete_button, DELETE), (self.import_button, IMPORT_COA),
            (self.receive_button, RECEIVE), (self.retention_button, RETENTION),
        ):
            button.setText(_(text))
        self.notice_dismiss.setText(_(DISMISS))
        self.dashboard.retranslate(catalog)
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
            header.resizeSection(column, max(metrics.horizontalAdvance(t) for t in samples) + 34)

    # -- data ----------------------------------------------------------------------------------------

    def set_cases(self, rows: Sequence[Any], select_case: str = "", today: date | None = None) -> None:
        """Show these rows (services.case_service.CaseRow); keep or restore the selected case."""
        from intake_app.services.case_service import dashboard

        keep = select_case or self.selected_case()
        self.model.set_rows(rows, today)
        counts = dashboard(self.model.all_rows(), self.model.today)
        self.dashboard.show_counts(counts.overdue_pip, counts.pip_this_week, counts.without_lbt, dict(counts.by_status))
        self.demo_banner.setVisible(counts.demo)
        self._after_filter(keep)
        typing = any(widget.hasFocus() for widget in (self.search_edit, self.status_combo, self.deadline_combo))
        if not typing:  # a refresh in the background must not take the filter from under the officer
            self.table.setFocus()

    def selected_case(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else ""

    def select_case(self, case_id: str) -> bool:
        row = self.model.row_of(case_id) if case_id else -1
        if row < 0:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def select_row_near(self, row: int) -> None:
        """After a case left the list (closed, deleted): select the one that took its place."""
        count = self.model.rowCount()
        if count:
            self.select_case(self.model.case_id(min(max(row, 0), count - 1)))
        self._update_buttons()

    def clear(self) -> None:
        """Lock: no personal data may stay in any widget."""
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.model.clear()
        self.dashboard.show_counts(0, 0, 0, {})
        self.hide_notice()
        self._update_summary()
        self._update_buttons()

    # -- filters ---------------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.selected_case() and self.model.rowCount():
            self.select_case(self.model.case_id(0))

    def set_status_filter(self, value: StatusFilter) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(value))

    def set_deadline_filter(self, value: DeadlineFilter) -> None:
        self.deadline_combo.setCurrentIndex(self.deadline_combo.findData(value))

    def _on_search_edit_text_changed(self, text: str) -> None:
        keep = self.selected_case()
        self.model.set_text_filter(text)
        self._after_filter(keep)

    def _on_status_combo_changed(self, index: int) -> None:
        keep = self.selected_case()
        self.model.set_status_filter(self.status_combo.itemData(index))
        self._after_filter(keep)

    def _on_deadline_combo_changed(self, index: int) -> None:
        keep = self.selected_case()
        self.model.set_deadline_filter(self.deadline_combo.itemData(index))
        self._after_filter(keep)

    def _on_dashboard_deadline_filter_chosen(self, value: DeadlineFilter) -> None:
        if value in (DeadlineFilter.PIP_OVERDUE, DeadlineFilter.PIP_THIS_WEEK, DeadlineFilter.WITHOUT_LBT):
            self.set_status_filter(StatusFilter.OPEN)
        self.set_deadline_filter(value)
        self.focus_list()

    def _on_dashboard_status_filter_chosen(self, value: StatusFilter) -> None:
        self.set_deadline_filter(DeadlineFilter.ALL)
        self.set_status_filter(value)
        self.focus_list()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        keep = self.selected_case()
        self.model.sort(column, order)
        self._after_filter(keep)

    def _after_filter(self, keep: str) -> None:
        if keep:
            self.select_case(keep)
        self._update_summary()
        self._update_buttons()

    def _update_summary(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.all_rows())
        _ = self._catalog.gettext
        if shown == total:
            self.summary.setText(_(COUNT).format(count=total))
        else:
            self.summary.setText(_(COUNT_FILTERED).format(shown=shown, count=total))
        self.empty_hint.setText(_(EMPTY) if total == 0 else _(NOTHING_FOUND))
        self.empty_hint.setVisible(shown == 0)
        self.table.setVisible(total > 0)

    # -- actions ---------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        case_id = self.selected_case()
        status = self.model.row_data(self.model.row_of(case_id)).status if case_id else ""
        finished = status in ("gesloten", "overgedragen")
        self.open_button.setEnabled(bool(case_id))
        self.close_button.setEnabled(bool(case_id) and not finished)
        self.reopen_button.setEnabled(bool(case_id) and finished)
        self.transfer_button.setEnabled(bool(case_id) and status != "overgedragen")
        self.delete_button.setEnabled(bool(case_id))

    def _emit_for_selected(self, signal: Any) -> None:
        case_id = self.selected_case()
        if case_id:
            signal.emit(case_id)

    def _on_open_clicked(self) -> None:
        self._emit_for_selected(self.case_activated)

    def _on_table_activated(self, index: QModelIndex) -> None:
        self.case_activated.emit(self.model.case_id(index.row()))

    # -- notices (undo, retention) ------------------------------------------------------------------

    def show_notice(self, text: str, action_text: str = "", action: Callable[[], None] | None = None,
                    timeout_ms: int = 0) -> None:
        """A line above the list; with an action (e.g. "Ongedaan maken") a button for it."""
        self.notice_label.setText(text)
        self._notice_action = action
        self.notice_button.setText(action_text)
        self.notice_button.setVisible(action is not None)
        self.notice.show()
        if timeout_ms:
            self._notice_timer.start(timeout_ms)
        else:
            self._notice_timer.stop()

    def hide_notice(self) -> None:
        self._notice_action = None
        self._notice_timer.stop()
        self.notice.hide()

    def _on_notice_button_clicked(self) -> None:
        action = self._notice_action
        self.hide_notice()
        if action is not None:
            action()
