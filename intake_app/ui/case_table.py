"""The case list as a Qt table model over plain row tuples, filtered and sorted in Python.

10,000 cases must show within a frame of unlocking and filter within a frame per keystroke, so:

* rows are the services' ``CaseRow`` tuples, read in one query off the GUI thread; the model formats
  a cell only when the view asks for it (only the visible rows are ever formatted);
* filtering runs over a precomputed folded search key per row (name, BSN, V-number), and a keystroke
  that extends the text narrows the previous result instead of scanning everything again;
* sorting happens once per header click, never per keystroke; a ``QSortFilterProxyModel`` would call
  back into Python for every row on every keystroke.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from intake_app.i18n import N_, NP_, Catalog
from intake_app.plan.deadlines import DeadlineKind, Urgency, urgency_of

COLUMNS = (
    N_("Naam"), N_("BSN"), N_("Doelgroep"), N_("Status"), N_("Volgende termijn"), N_("Laatst gewijzigd"),
    N_("Synchronisatie"),
)
NAME, BSN, TARGET_GROUP, STATUS, DEADLINE, UPDATED, SYNC = range(len(COLUMNS))
STATUS_LABELS = {
    "nieuw": N_("nieuw"),
    "intake_bezig": N_("intake bezig"),
    "concept_pip": N_("concept-PIP"),
    "pip_vastgesteld": N_("PIP vastgesteld"),
    "overgedragen": N_("overgedragen"),
    "gesloten": N_("gesloten"),
}
STATUS_ORDER = {status: index for index, status in enumerate(STATUS_LABELS)}
TARGET_GROUP_LABELS = {
    "asylum_permit_holder": N_("asielstatushouder"),
    "family_migrant": N_("gezinsmigrant"),
    "other_migrant": N_("overige migrant"),
}
ORIGIN_LABELS = {"coa_import": N_("uit COA"), "transfer_in": N_("overgenomen")}
NO_NAME = N_("(nog geen naam)")
PENDING = N_("te verzenden")
SENT = N_("verzonden")
CONFLICTS = NP_("⚠ {count} conflict", "⚠ {count} conflicten")
TODAY = N_("vandaag")
DAYS_LEFT = NP_("nog {days} dag", "nog {days} dagen")
DAYS_LATE = NP_("{days} dag te laat", "{days} dagen te laat")
OPEN_STATUSES = frozenset({"nieuw", "intake_bezig", "concept_pip", "pip_vastgesteld"})
INTAKE_STATUSES = frozenset({"nieuw", "intake_bezig", "concept_pip"})
WEEK_DAYS = 7
# The widest text each column can show (column index -> candidates), to size columns without rows.
COLUMN_SAMPLES: dict[int, tuple[str, ...]] = {
    BSN: ("••••••000",),
    TARGET_GROUP: tuple(TARGET_GROUP_LABELS.values()),
    STATUS: tuple(f"{status} · {origin}" for status in ("PIP vastgesteld",) for origin in ORIGIN_LABELS.values()),
    DEADLINE: ("00-00-0000 · 00 dagen te laat",),
    UPDATED: ("00-00-0000 00:00",),
    SYNC: (PENDING, SENT, f"{CONFLICTS[1].format(count=99)} · {PENDING}"),  # the last as shown in Dutch
}
# Light backgrounds with dark text: readable, and the words say it too (never colour alone).
URGENCY_COLOURS = {
    Urgency.RED: (QColor("#fde2e1"), QColor("#991b1b")),
    Urgency.AMBER: (QColor("#fef3c7"), QColor("#854d0e")),
}

_KINDS = {kind.value: kind for kind in DeadlineKind}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_USER = int(Qt.ItemDataRole.UserRole)
# The view asks every visible cell for ~8 roles at each repaint: the others are answered at once.
_SERVED_ROLES = frozenset({_DISPLAY, _BACKGROUND, _FOREGROUND, _TOOLTIP, _USER})
_Index = QModelIndex | QPersistentModelIndex
Row = Any  # services.case_service.CaseRow: a NamedTuple (the UI reads its fields by name)


class StatusFilter(Enum):
    OPEN = "open"  # everything still being worked on (default)
    ALL = "all"
    NEW = "nieuw"
    INTAKE = "intake_bezig"
    DRAFT_PIP = "concept_pip"
    PIP_FIXED = "pip_vastgesteld"
    TRANSFERRED = "overgedragen"
    CLOSED = "gesloten"  # the archive


class DeadlineFilter(Enum):
    ALL = "all"
    OVERDUE = "overdue"
    THIS_WEEK = "this_week"
    PIP_OVERDUE = "pip_overdue"
    PIP_THIS_WEEK = "pip_this_week"
    WITHOUT_LBT = "without_lbt"


STATUS_FILTER_LABELS = {
    StatusFilter.OPEN: N_("Lopende dossiers"),
    StatusFilter.ALL: N_("Alle dossiers"),
    StatusFilter.NEW: STATUS_LABELS["nieuw"],
    StatusFilter.INTAKE: STATUS_LABELS["intake_bezig"],
    StatusFilter.DRAFT_PIP: STATUS_LABELS["concept_pip"],
    StatusFilter.PIP_FIXED: STATUS_LABELS["pip_vastgesteld"],
    StatusFilter.TRANSFERRED: STATUS_LABELS["overgedragen"],
    StatusFilter.CLOSED: N_("Archief (gesloten)"),
}
DEADLINE_FILTER_LABELS = {
    DeadlineFilter.ALL: N_("Alle termijnen"),
    DeadlineFilter.OVERDUE: N_("Termijn verlopen"),
    DeadlineFilter.THIS_WEEK: N_("Termijn deze week"),
    DeadlineFilter.PIP_OVERDUE: N_("PIP-termijn verlopen"),
    DeadlineFilter.PIP_THIS_WEEK: N_("PIP-termijn deze week"),
    DeadlineFilter.WITHOUT_LBT: N_("Intake zonder LBT-uitslag"),
}


def _local_time(iso_utc: str) -> str:
    try:
        return datetime.fromisoformat(iso_utc).astimezone().strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return ""


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits: enough to tell cases apart, too little to misuse."""
    return "" if not bsn else "•" * max(0, len(bsn) - 3) + bsn[-3:]


def fold_needle(text: str) -> list[str]:
    """The typed filter as folded words; BSN and V-number digits without separators."""
    import unicodedata

    words = []
    for word in text.split():
        if word.replace(".", "").replace("-", "").isdigit():
            word = word.replace(".", "").replace("-", "")
        if not word.isascii():
            word = "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))
        words.append(word.lower())
    return words


class CaseTableModel(QAbstractTableModel):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self._catalog = catalog
        self._rows: list[Row] = []  # every case, in the current sort order
        self._view: list[Row] = []  # the rows shown: filtered
        self._base: list[Row] = []  # the rows passing the status and deadline filters
        self._words: list[str] = []
        self._narrowable: list[Row] | None = None  # the last text filter's result, to narrow
        self.status_filter = StatusFilter.OPEN
        self.deadline_filter = DeadlineFilter.ALL
        self.sort_column = -1  # -1: as read (newest change first)
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.today = date.today()
        self._today_iso = self.today.isoformat()
        self._cells: dict[tuple[str, int], str] = {}  # formatted text of the cells shown so far

    # -- data in ---------------------------------------------------------------------------------

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._cells.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._view:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._view) - 1, len(COLUMNS) - 1))

    def set_rows(self, rows: Sequence[Row], today: date | None = None) -> None:
        self.today = today or date.today()
        self._today_iso = self.today.isoformat()
        self._cells.clear()
        self._rows = list(rows)
        if self.sort_column >= 0:
            self._sort_rows()
        self._rebase()

    def clear(self) -> None:
        self._words = []
        self.set_rows([])

    def all_rows(self) -> list[Row]:
        return self._rows

    def case_id(self, row: int) -> str:
        return str(self._view[row].id)

    def row_data(self, row: int) -> Row:
        return self._view[row]

    def row_of(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._view) if r.id == case_id), -1)

    # -- filtering -------------------------------------------------------------------------------
    # Status and deadline filters change rarely: their result (the base) is kept, and each keystroke
    # filters only the base's search keys, or narrows the previous keystroke's result.

    def set_text_filter(self, text: str) -> None:
        words = fold_needle(text)
        if words == self._words:
            return
        # Typing on narrows: every row that matches the longer words matched the shorter ones.
        narrows = (
            self._narrowable is not None and len(words) >= len(self._words) > 0
            and all(old in new for new, old in zip(words, self._words, strict=False))
        )
        self._words = words
        self._apply_text(self._narrowable if narrows and self._narrowable is not None else self._base)

    def set_status_filter(self, value: StatusFilter) -> None:
        if value is not self.status_filter:
            self.status_filter = value
            self._rebase()

    def set_deadline_filter(self, value: DeadlineFilter) -> None:
        if value is not self.deadline_filter:
            self.deadline_filter = value
            self._rebase()

    def _rebase(self) -> None:
        keep = self._predicate()
        self._base = [row for row in self._rows if keep(row)] if keep is not None else self._rows
        self._apply_text(self._base)

    def _apply_text(self, rows: list[Row]) -> None:
        words = self._words
        if len(words) == 1:
            word = words[0]
            rows = [row for row in rows if word in row.search]
        elif words:
            rows = [row for row in rows if all(word in row.search for word in words)]
        self._narrowable = rows if words else None
        self.beginResetModel()
        self._view = rows
        self.endResetModel()

    def _predicate(self) -> Callable[[Row], bool] | None:
        status, deadline = self.status_filter, self.deadline_filter
        today = self._today_iso
        week_end = date.fromordinal(self.today.toordinal() + WEEK_DAYS).isoformat()
        pip = DeadlineKind.PIP_DUE.value
        tests: list[Callable[[Row], bool]] = []
        if status is StatusFilter.OPEN:
            tests.append(lambda row: row.status in OPEN_STATUSES)
        elif status is not StatusFilter.ALL:
            wanted = status.value
            tests.append(lambda row: row.status == wanted)
        if deadline is DeadlineFilter.OVERDUE:
            tests.append(lambda row: row.next_deadline is not None and row.next_deadline < today)
        elif deadline is DeadlineFilter.THIS_WEEK:
            tests.append(lambda row: row.next_deadline is not None and today <= row.next_deadline < week_end)
        elif deadline is DeadlineFilter.PIP_OVERDUE:
            tests.append(lambda row: row.deadline_kind == pip and row.next_deadline < today)
        elif deadline is DeadlineFilter.PIP_THIS_WEEK:
            tests.append(lambda row: row.deadline_kind == pip and today <= row.next_deadline < week_end)
        elif deadline is DeadlineFilter.WITHOUT_LBT:
            tests.append(lambda row: not row.lbt_result and row.status in INTAKE_STATUSES)
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        first, second = tests
        return lambda row: first(row) and second(row)

    # -- sorting ---------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._sort_rows()
        self._rebase()

    def _sort_rows(self) -> None:
        column, reverse = self.sort_column, self.sort_order is Qt.SortOrder.DescendingOrder
        _ = self._catalog.gettext
        if column == NAME:
            self._rows.sort(key=lambda row: row.search, reverse=reverse)
        elif column == BSN:
            self._rows.sort(key=lambda row: row.bsn, reverse=reverse)
        elif column == TARGET_GROUP:
            labels = {group: _(label) for group, label in TARGET_GROUP_LABELS.items()}
            self._rows.sort(key=lambda row: labels.get(row.target_group, row.target_group or "~"), reverse=reverse)
        elif column == STATUS:
            self._rows.sort(key=lambda row: STATUS_ORDER.get(row.status, 99), reverse=reverse)
        elif column == DEADLINE:
            # Cases without a deadline go last, whichever the direction.
            dated = [row for row in self._rows if row.next_deadline]
            undated = [row for row in self._rows if not row.next_deadline]
            dated.sort(key=lambda row: row.next_deadline, reverse=reverse)
            self._rows = dated + undated
        elif column == UPDATED:
            self._rows.sort(key=lambda row: row.updated_at, reverse=reverse)
        elif column == SYNC:
            self._rows.sort(key=lambda row: (row.conflicts, row.pending), reverse=reverse)

    # -- Qt's side -------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._catalog.gettext(COLUMNS[section])
        return None

    def urgency(self, row: Row) -> Urgency | None:
        if not row.next_deadline:
            return None
        return urgency_of(date.fromisoformat(row.next_deadline), self.today)

    def data(self, index: _Index, role: int = 0) -> Any:
        role = int(role)
        if role not in _SERVED_ROLES or not index.isValid():
            return None
        row = self._view[index.row()]
        column = index.column()
        if role == _DISPLAY:
            key = (row.id, column)
            text = self._cells.get(key)
            if text is None:
                text = self._cells[key] = self._display(row, column)
            return text
        if column == DEADLINE and role in (_BACKGROUND, _FOREGROUND):
            if not row.next_deadline:
                return None
            colours = URGENCY_COLOURS.get(self.urgency(row))  # type: ignore[arg-type]
            if colours is None:
                return None
            return QBrush(colours[0] if role == _BACKGROUND else colours[1])
        if role == _TOOLTIP and column == DEADLINE and row.next_deadline:
            return self._deadline_tooltip(row)
        if role == _USER:
            return row.id
        return None

    def _display(self, row: Row, column: int) -> str:
        _ = self._catalog.gettext
        if column == NAME:
            return str(row.display_name) or _(NO_NAME)
        if column == BSN:
            return mask_bsn(row.bsn)
        if column == TARGET_GROUP:
            label = TARGET_GROUP_LABELS.get(row.target_group)
            return _(label) if label else str(row.target_group)
        if column == STATUS:
            text = _(STATUS_LABELS.get(row.status, row.status))
            origin = ORIGIN_LABELS.get(row.origin or "")
            return f"{text} · {_(origin)}" if origin else text
        if column == DEADLINE:
            return self._deadline_text(row)
        if column == UPDATED:
            return _local_time(row.updated_at)
        state = _(PENDING) if row.pending else _(SENT)
        if row.conflicts:
            return f"{self._catalog.ngettext(*CONFLICTS, row.conflicts).format(count=row.conflicts)} · {state}"
        return state

    def _deadline_text(self, row: Row) -> str:
        if not row.next_deadline:
            return ""
        due = date.fromisoformat(row.next_deadline)
        days = (due - self.today).days
        shown = due.strftime("%d-%m-%Y")
        if days == 0:
            return f"{shown} · {self._catalog.gettext(TODAY)}"
        singular, plural = DAYS_LATE if days < 0 else DAYS_LEFT
        text = self._catalog.ngettext(singular, plural, abs(days)).format(days=abs(days))
        return f"{shown} · {text}"

    def _deadline_tooltip(self, row: Row) -> str:
        _ = self._catalog.gettext
        parts = []
        kind = _KINDS.get(row.deadline_kind or "")
        if kind is not None:
            parts.append(_(kind.label))
        urgency = self.urgency(row)
        if urgency is not None:
            parts.append(_(urgency.label))
        return " — ".join(parts)
