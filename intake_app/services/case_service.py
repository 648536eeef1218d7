"""The case list and the case life cycle, for the UI and the CLI.

The list is a plain list of :class:`CaseRow` tuples read in one query (no answers are read): what it
shows beyond the cases table (the next deadline and its kind, whether an LBT result is known) is
derived from the answers when a deciding answer changes (:meth:`CaseService.answers_changed`, called
by :class:`~intake_app.services.vault_service.VaultSession` after every save) and, for answers that
arrived another way (sync, an older version of the app), by :meth:`CaseService.refresh_stale`.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, NamedTuple

from intake_app.i18n import N_
from intake_app.plan.dates import add_months
from intake_app.services import deadlines
from intake_app.storage import case_admin, sync_store
from intake_app.storage.case_admin import (
    CaseNotClosed,
    CaseRows,
    ImportAlreadyDone,
    ImportNotFound,
    ImportRecord,
    NewCase,
)
from intake_app.storage.records import CaseStatus
from intake_app.storage.vault import Vault

__all__ = [
    "CaseNotClosed",
    "CaseRow",
    "CaseService",
    "CaseStatus",
    "Dashboard",
    "DeletionReason",
    "ImportAlreadyDone",
    "ImportNotFound",
    "ImportRecord",
    "NewCase",
    "Origin",
    "dashboard",
    "search_key",
]


class Origin(StrEnum):
    NONE = ""
    COA_IMPORT = "coa_import"
    TRANSFER_IN = "transfer_in"


class DeletionReason(StrEnum):
    """Why a case was deleted: a fixed list, so the audit log never holds free text about a person."""

    RETENTION_EXPIRED = "bewaartermijn_verlopen"
    MOVED = "verhuisd_overgedragen"
    NOT_OBLIGED = "geen_inburgeringsplicht"
    REQUESTED = "verzoek_betrokkene"
    DUPLICATE = "dubbel_dossier"
    MISTAKE = "per_vergissing_aangemaakt"
    IMPORT_UNDONE = "import_teruggedraaid"

    @property
    def label(self) -> str:
        return _REASON_LABELS[self]


_REASON_LABELS: Mapping[DeletionReason, str] = {
    DeletionReason.RETENTION_EXPIRED: N_("Bewaartermijn verlopen"),
    DeletionReason.MOVED: N_("Verhuisd; dossier overgedragen aan een andere gemeente"),
    DeletionReason.NOT_OBLIGED: N_("Geen inburgeringsplicht (meer)"),
    DeletionReason.REQUESTED: N_("Verzoek van betrokkene (AVG)"),
    DeletionReason.DUPLICATE: N_("Dubbel dossier"),
    DeletionReason.MISTAKE: N_("Per vergissing aangemaakt"),
    DeletionReason.IMPORT_UNDONE: N_("Import teruggedraaid"),
}


class CaseRow(NamedTuple):
    """One line of the case list. A tuple: 10,000 of them are built at every unlock."""

    id: str
    display_name: str
    bsn: str
    v_number: str
    status: str  # CaseStatus value
    target_group: str
    client_language: str
    next_deadline: str | None  # ISO date: compares and sorts as text
    updated_at: str  # ISO UTC
    is_demo: int
    deadline_kind: str | None  # DeadlineKind value
    lbt_result: int | None
    closed_at: str | None
    origin: str | None
    pending: bool  # answer changes not yet sent to the sync server
    conflicts: int  # open sync conflicts: a colleague's value waits for the officer's choice
    search: str  # folded name, BSN and V-number: what the filter matches


_FOLDED: dict[str, str] = {}


def fold(text: str) -> str:
    """Lower case without accents: 'García' and 'garcia', 'Ayşe' and 'ayse' match."""
    if text.isascii():
        return text.lower()
    folded = _FOLDED.get(text)
    if folded is None:
        decomposed = unicodedata.normalize("NFKD", text.casefold())
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
        if len(_FOLDED) < 50_000:
            _FOLDED[text] = folded
    return folded


def search_key(display_name: str, bsn: str, v_number: str) -> str:
    return f"{fold(display_name)}\x1f{bsn}\x1f{v_number}"


def _rows(raw: Iterable[Sequence[Any]], pending: set[str], conflicts: Mapping[str, int]) -> list[CaseRow]:
    make = tuple.__new__
    return [
        make(CaseRow, (*row, row[0] in pending, conflicts.get(row[0], 0), search_key(row[1], row[2], row[3])))
        for row in raw
    ]


@dataclass(frozen=True)
class Dashboard:
    by_status: Mapping[str, int]
    overdue_pip: int  # PIP deadline passed
    pip_this_week: int  # PIP deadline in the coming seven days
    without_lbt: int  # intakes without a PIP yet and no LBT result
    overdue: int  # any deadline passed
    this_week: int  # any deadline in the coming seven days
    demo: bool = False
    total: int = 0
    statuses: tuple[str, ...] = field(default=tuple(status.value for status in CaseStatus))


def dashboard(rows: Sequence[CaseRow], today: date) -> Dashboard:
    """The counts above the list, from the rows in hand (no extra query)."""
    today_iso = today.isoformat()
    week_end = date.fromordinal(today.toordinal() + deadlines.WEEK_DAYS).isoformat()
    pip = deadlines.DeadlineKind.PIP_DUE.value
    by_status = Counter(row.status for row in rows)
    overdue = overdue_pip = this_week = pip_week = without_lbt = 0
    demo = False
    for row in rows:
        due = row.next_deadline
        if due is not None:
            if due < today_iso:
                overdue += 1
                overdue_pip += row.deadline_kind == pip
            elif due < week_end:
                this_week += 1
                pip_week += row.deadline_kind == pip
        if not row.lbt_result and row.status in deadlines.INTAKE_STATUSES:
            without_lbt += 1
        demo = demo or bool(row.is_demo)
    return Dashboard(
        by_status={status.value: by_status.get(status.value, 0) for status in CaseStatus},
        overdue_pip=overdue_pip, pip_this_week=pip_week, without_lbt=without_lbt, overdue=overdue,
        this_week=this_week, demo=demo, total=len(rows),
    )


def _today() -> date:
    return date.today()


class CaseService:
    """The case list and life cycle of one open vault. Every method commits before it returns."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault

    # -- the list --------------------------------------------------------------------------------

    def rows(self) -> list[CaseRow]:
        """Every case, newest change first."""
        raw, pending = case_admin.list_rows(self._vault)
        return _rows(raw, pending, sync_store.conflicts_to_decide(self._vault))

    def row(self, case_id: str) -> CaseRow:
        raw = case_admin.list_row(self._vault, case_id)
        pending = {case_id} if case_admin.has_pending(self._vault, case_id) else set()
        return _rows([raw], pending, sync_store.conflicts_to_decide(self._vault, case_id))[0]

    # -- derived facts -----------------------------------------------------------------------------

    def answers_changed(self, case_id: str, question_ids: Iterable[str]) -> bool:
        """Derive the case's list facts again if a deciding answer changed. True when it did."""
        if deadlines.DECIDING_QUESTIONS.isdisjoint(question_ids):
            return False
        self.refresh([case_id])
        return True

    def refresh(self, case_ids: Sequence[str], today: date | None = None) -> int:
        today = today or _today()
        inputs = case_admin.derivation_inputs(self._vault, case_ids, deadlines.DECIDING_QUESTIONS)
        facts = []
        for item in inputs:
            found = deadlines.derive(item.answers, item.status.value, item.pip_date, today)
            facts.append(
                case_admin.DerivedFacts(
                    item.case_id, found.next_deadline.isoformat() if found.next_deadline else None,
                    found.kind.value if found.kind else None, found.lbt_result,
                )
            )
        return case_admin.store_derived(self._vault, facts)

    def stale(self, today: date | None = None) -> list[str]:
        return case_admin.stale_case_ids(self._vault, (today or _today()).isoformat())

    def refresh_stale(self, today: date | None = None, batch: int = 200) -> int:
        """Derive again what is out of date (answers pulled by sync, a window that closed), in batches."""
        stale = self.stale(today)
        for start in range(0, len(stale), batch):
            self.refresh(stale[start:start + batch], today)
        return len(stale)

    # -- closing and reopening -------------------------------------------------------------------

    def close(self, case_id: str) -> CaseStatus:
        """Close (archive) the case; returns the status it had, for an undo."""
        return CaseStatus(case_admin.close_case(self._vault, case_id))

    def reopen(self, case_id: str) -> CaseStatus:
        restored = case_admin.reopen_case(self._vault, case_id)
        self.refresh([case_id])
        return restored

    def mark_transferred(self, case_id: str, detail: str = "transfer") -> CaseStatus:
        return CaseStatus(case_admin.close_case(self._vault, case_id, status=CaseStatus.TRANSFERRED, detail=detail))

    # -- deleting and retention ------------------------------------------------------------------

    def delete(self, case_id: str, reason: DeletionReason) -> None:
        """Delete every row of the case; the audit keeps who, when and the reason code."""
        case_admin.delete_case(self._vault, case_id, f"reason:{DeletionReason(reason).value}")

    def delete_many(self, case_ids: Sequence[str], reason: DeletionReason) -> int:
        return case_admin.delete_many(self._vault, case_ids, f"reason:{DeletionReason(reason).value}")

    def retention_months(self) -> int:
        return case_admin.retention_months(self._vault)

    def set_retention_months(self, months: int) -> None:
        case_admin.set_retention_months(self._vault, months)

    def expired(self, today: date | None = None) -> list[str]:
        """Closed (or transferred-out) cases whose retention period after closing has run out."""
        today = today or _today()
        months = self.retention_months()
        expired = []
        for case_id, closed_at in case_admin.closed_cases(self._vault):
            closed = datetime.fromisoformat(closed_at).astimezone(UTC).date()
            if add_months(closed, months) <= today:
                expired.append(case_id)
        return expired

    def vacuum(self) -> None:
        case_admin.vacuum(self._vault)

    # -- creating from a file, imports ------------------------------------------------------------

    def create(
        self, new: NewCase, *, import_kind: str = "", sha256: str = "", audit_detail: str = ""
    ) -> tuple[str, str]:
        """A case with all its answers (and plan versions) in one transaction; (case id, import id).

        With ``sha256`` the file is recorded; the same file again raises ImportAlreadyDone.
        """
        case_id, import_id = case_admin.create_case(
            self._vault, new, import_kind=import_kind, sha256=sha256, audit_detail=audit_detail
        )
        self.refresh([case_id])
        return case_id, import_id

    def export_rows(self, case_id: str) -> CaseRows:
        return case_admin.case_rows(self._vault, case_id)

    def record_export(self, case_id: str, detail: str) -> None:
        case_admin.record_export(self._vault, case_id, detail)

    # -- imports ---------------------------------------------------------------------------------

    def find_import(self, sha256: str) -> ImportRecord | None:
        return case_admin.find_import(self._vault, sha256)

    def imports_of(self, case_id: str) -> list[ImportRecord]:
        return case_admin.imports_of(self._vault, case_id)

    def changes_since_import(self, import_id: str) -> int:
        return case_admin.changes_since_import(self._vault, import_id)

    def undo_import(self, import_id: str) -> str:
        return case_admin.undo_import(self._vault, import_id)

    def origin(self, case_id: str) -> tuple[Origin, str]:
        origin, detail = case_admin.origin_of(self._vault, case_id)
        return Origin(origin or ""), detail
