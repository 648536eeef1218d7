"""The case list as a Qt table model. Rows are the services' CaseSummary records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from intake_app.i18n import N_, Catalog

COLUMNS = (N_("Naam"), N_("BSN"), N_("Doelgroep"), N_("Status"), N_("Volgende termijn"), N_("Laatst gewijzigd"))
STATUS_LABELS = {
    "nieuw": N_("nieuw"),
    "intake_bezig": N_("intake bezig"),
    "concept_pip": N_("concept-PIP"),
    "pip_vastgesteld": N_("PIP vastgesteld"),
    "overgedragen": N_("overgedragen"),
    "gesloten": N_("gesloten"),
}
TARGET_GROUP_LABELS = {
    "asylum_permit_holder": N_("asielstatushouder"),
    "family_migrant": N_("gezinsmigrant"),
    "other_migrant": N_("overige migrant"),
}
NO_NAME = N_("(nog geen naam)")
# The widest text each column can show (column index -> candidates), to size columns without rows.
COLUMN_SAMPLES: dict[int, tuple[str, ...]] = {
    1: ("••••••000",),
    2: tuple(TARGET_GROUP_LABELS.values()),
    3: tuple(STATUS_LABELS.values()),
    4: ("00-00-0000",),
    5: ("00-00-0000 00:00",),
}

_Index = QModelIndex | QPersistentModelIndex


class CaseRow(Protocol):
    id: str
    display_name: str
    bsn: str
    target_group: str
    next_deadline: date | None
    updated_at: str

    @property
    def status(self) -> Any: ...


def _local_time(iso_utc: str) -> str:
    try:
        return datetime.fromisoformat(iso_utc).astimezone().strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return ""


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits: enough to tell cases apart, too little to misuse."""
    return "" if not bsn else "•" * max(0, len(bsn) - 3) + bsn[-3:]


class CaseTableModel(QAbstractTableModel):
    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self._catalog = catalog
        self._rows: list[CaseRow] = []

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([])

    def case_id(self, row: int) -> str:
        return self._rows[row].id

    def row_of(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._catalog.gettext(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = 0) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        _ = self._catalog.gettext
        column = index.column()
        if column == 0:
            return row.display_name or _(NO_NAME)
        if column == 1:
            return mask_bsn(row.bsn)
        if column == 2:
            label = TARGET_GROUP_LABELS.get(row.target_group)
            return _(label) if label else row.target_group
        if column == 3:
            status = str(getattr(row.status, "value", row.status))
            return _(STATUS_LABELS.get(status, status))
        if column == 4:
            return row.next_deadline.strftime("%d-%m-%Y") if row.next_deadline else ""
        return _local_time(row.updated_at)
