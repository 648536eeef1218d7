"""The counts above the case list: what needs attention first, then the cases per status.

Each count is a button: choosing it filters the list to those cases (keyboard: Tab, then Space).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from intake_app.i18n import N_, NP_, Catalog
from intake_app.ui.case_table import STATUS_LABELS, DeadlineFilter, StatusFilter

OVERDUE_PIP = NP_("PIP-termijn verlopen", "PIP-termijnen verlopen")
PIP_THIS_WEEK = N_("PIP-termijn deze week")
WITHOUT_LBT = NP_("intake zonder LBT-uitslag", "intakes zonder LBT-uitslag")
PER_STATUS = N_("Dossiers per status")
ATTENTION_HINT = N_("Kies een telling om de lijst daarop te filteren.")

STYLE = """
QPushButton#attentionTile { border-radius: 8px; border: 1px solid #d8dce3; background: white; padding: 0; }
QLabel#tileNumber { font-size: 20pt; font-weight: 700; color: #1f2937; background: transparent; }
QLabel#tileCaption { color: #374151; background: transparent; }
QPushButton#attentionTile[level="red"] QLabel { color: #7f1d1d; }
QPushButton#attentionTile[level="amber"] QLabel { color: #713f12; }
QPushButton#attentionTile[level="info"] QLabel { color: #1e3a8a; }
QPushButton#attentionTile[level="red"] { background: #fde2e1; border-color: #f3a6a0; color: #7f1d1d; }
QPushButton#attentionTile[level="amber"] { background: #fef3c7; border-color: #f2cf6b; color: #713f12; }
QPushButton#attentionTile[level="info"] { background: #e0ecff; border-color: #a9c4f5; color: #1e3a8a; }
QPushButton#attentionTile:focus, QPushButton#statusCount:focus { border: 2px solid #f59e0b; }
QPushButton#statusCount { text-align: left; padding: 2px 8px; border: 1px solid transparent; background: transparent;
    color: #1f2937; }
QPushButton#statusCount:hover { background: #e5e7eb; }
QLabel#dashboardHeading { color: #4b5563; font-weight: 600; }
"""


class _Tile(QPushButton):
    """A count as a button: the number large, what it counts below it."""

    def __init__(self) -> None:
        super().__init__(objectName="attentionTile")
        self.number = QLabel(objectName="tileNumber")
        self.caption = QLabel(objectName="tileCaption")
        for label in (self.number, self.caption):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 14, 8)
        layout.setSpacing(0)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        hint = self.layout().sizeHint()
        return QSize(max(hint.width(), 180), hint.height())

    def show_count(self, count: int, label: str, level: str) -> None:
        self.number.setText(str(count))
        self.caption.setText(label)
        self.setAccessibleName(f"{count} {label}")
        if self.property("level") != level:
            self.setProperty("level", level)
            for widget in (self, self.number, self.caption):
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self.updateGeometry()


class Dashboard(QWidget):
    deadline_filter_chosen = Signal(object)  # DeadlineFilter
    status_filter_chosen = Signal(object)  # StatusFilter

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setStyleSheet(STYLE)
        self._catalog = catalog
        self._counts: tuple[int, int, int, dict[str, int]] = (0, 0, 0, {})
        self.overdue_pip = _Tile()
        self.pip_this_week = _Tile()
        self.without_lbt = _Tile()
        self.overdue_pip.clicked.connect(lambda: self.deadline_filter_chosen.emit(DeadlineFilter.PIP_OVERDUE))
        self.pip_this_week.clicked.connect(lambda: self.deadline_filter_chosen.emit(DeadlineFilter.PIP_THIS_WEEK))
        self.without_lbt.clicked.connect(lambda: self.deadline_filter_chosen.emit(DeadlineFilter.WITHOUT_LBT))
        self.status_heading = QLabel(objectName="dashboardHeading")
        self.status_buttons: dict[str, QPushButton] = {}
        statuses = QGridLayout()
        statuses.setHorizontalSpacing(4)
        statuses.setVerticalSpacing(0)
        statuses.addWidget(self.status_heading, 0, 0, 1, 3)
        for number, status in enumerate(STATUS_LABELS):
            button = QPushButton(objectName="statusCount")
            button.clicked.connect(lambda _=False, s=status: self.status_filter_chosen.emit(StatusFilter(s)))
            self.status_buttons[status] = button
            statuses.addWidget(button, 1 + number % 2, number // 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        for tile in (self.overdue_pip, self.pip_this_week, self.without_lbt):
            layout.addWidget(tile)
        layout.addSpacing(12)
        column = QVBoxLayout()
        column.addLayout(statuses)
        column.addStretch(1)
        layout.addLayout(column)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.status_heading.setText(catalog.gettext(PER_STATUS))
        self.setToolTip(catalog.gettext(ATTENTION_HINT))
        self._show()

    def show_counts(self, overdue_pip: int, pip_this_week: int, without_lbt: int, by_status: dict[str, int]) -> None:
        self._counts = (overdue_pip, pip_this_week, without_lbt, dict(by_status))
        self._show()

    def _show(self) -> None:
        _ = self._catalog.gettext
        overdue, week, lbt, by_status = self._counts
        self.overdue_pip.show_count(overdue, self._catalog.ngettext(*OVERDUE_PIP, overdue), "red" if overdue else "")
        self.pip_this_week.show_count(week, _(PIP_THIS_WEEK), "amber" if week else "")
        self.without_lbt.show_count(
            lbt, self._catalog.ngettext(*WITHOUT_LBT, lbt), "info" if lbt else ""
        )
        for status, button in self.status_buttons.items():
            button.setText(f"{by_status.get(status, 0)}  {_(STATUS_LABELS[status])}")
