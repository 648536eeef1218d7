"""The workspace's actions: refresh the list, close/reopen, delete, retention, COA import, transfers.

Created by the SessionController when the workspace page is built; it holds the open VaultSession
while the vault is unlocked (:meth:`attach` / :meth:`detach`). Every action that can be regretted
offers an undo in the notice line above the list (closing, an import, marking a case transferred).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from intake_app.i18n import N_, NP_, Catalog
from intake_app.ui.case_table import NO_NAME, STATUS_LABELS
from intake_app.ui.worker import run_in_background
from intake_app.ui.workspace import Workspace

log = logging.getLogger(__name__)

UNDO = N_("Ongedaan maken")
SHOW = N_("Bekijken…")
CLOSED = N_("Het dossier van {name} is gesloten en staat in het archief.")
REOPENED = N_("Het dossier van {name} is heropend.")
DELETED = N_("Het dossier is verwijderd. In het logboek staat alleen wie, wanneer en waarom.")
DELETED_MANY = N_("{count} dossiers verwijderd.")
IMPORTED = N_("COA-overdracht geïmporteerd: nieuw dossier voor {name}.")
IMPORT_UNDONE = N_("De import is ongedaan gemaakt; het dossier is verwijderd.")
UNDO_IMPORT_TITLE = N_("Import ongedaan maken")
UNDO_IMPORT_CHANGED = N_(
    "Na de import zijn {count} antwoorden in dit dossier gewijzigd. Ongedaan maken verwijdert het hele "
    "dossier, ook die wijzigingen. Doorgaan?"
)
TRANSFERRED = N_("Overdrachtsbestand gemaakt: {file}. Het dossier staat op ‘overgedragen’.")
RECEIVED = N_("Overdracht ingelezen: nieuw dossier voor {name}, gemarkeerd als overgenomen.")
EXPIRED = NP_(
    "{count} gesloten dossier is over de bewaartermijn en kan worden verwijderd.",
    "{count} gesloten dossiers zijn over de bewaartermijn en kunnen worden verwijderd.",
)
RETENTION_SAVED = N_("De bewaartermijn is nu {months} maanden.")
DELETE_MANY_TITLE = N_("Dossiers verwijderen")
CONFIRM_DELETE_MANY = N_("{count} dossiers definitief verwijderen (reden: bewaartermijn verlopen)?")
CHOOSE_COA = N_("COA-overdracht kiezen")
COA_FILTER = N_("COA-overdracht (*.json);;Alle bestanden (*)")
CHOOSE_PACKAGE = N_("Overdrachtsbestand kiezen")
PACKAGE_FILTER = N_("Overdrachtsbestand (*.intake-overdracht);;Alle bestanden (*)")
SAVE_PACKAGE = N_("Overdrachtsbestand opslaan")
CHOOSE_KEY = N_("Sleutelbestand kiezen")
KEY_FILTER = N_("Sleutel (*.pem);;Alle bestanden (*)")
PROBLEM = N_("Dat lukte niet")


class WorkspaceController(QObject):
    cases_changed = Signal()

    def __init__(self, workspace: Workspace, catalog: Callable[[], Catalog], parent: QObject) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._catalog = catalog
        self.session: Any = None  # services.vault_service.VaultSession while unlocked
        workspace.close_requested.connect(self.close_case)
        workspace.reopen_requested.connect(self.reopen_case)
        workspace.delete_requested.connect(self.delete_case)
        workspace.transfer_requested.connect(self.transfer_case)
        workspace.import_coa_requested.connect(self.import_coa)
        workspace.receive_transfer_requested.connect(self.receive_transfer)
        workspace.retention_requested.connect(self.show_retention)

    @property
    def catalog(self) -> Catalog:
        return self._catalog()

    def _(self, message: str) -> str:
        return self.catalog.gettext(message)

    @property
    def _window(self) -> QWidget:
        return self.workspace.window()

    # -- session ---------------------------------------------------------------------------------

    def attach(self, session: Any) -> None:
        """After unlock: derive what is out of date in the background, then offer expired cases."""
        self.session = session
        run_in_background(session.cases.refresh_stale, self._on_stale_refreshed, self._on_background_error, self)
        self.offer_expired()

    def detach(self) -> None:
        self.session = None

    def _on_stale_refreshed(self, count: int) -> None:
        if count and self.session is not None:
            self.refresh()

    def _on_background_error(self, error: BaseException) -> None:
        log.error("background task failed: %s", type(error).__name__)

    def refresh(self, select_case: str = "") -> None:
        if self.session is None:
            return
        self.workspace.set_cases(self.session.cases.rows(), select_case=select_case)
        self.cases_changed.emit()

    def _name(self, case_id: str) -> str:
        row = self.workspace.model.row_of(case_id)
        name = self.workspace.model.row_data(row).display_name if row >= 0 else ""
        return str(name) or self._(NO_NAME)

    def _run(self, work: Callable[[], Any]) -> Any:
        """Run a service call; a failure becomes a plain Dutch message (never the exception's text)."""
        from intake_app.services.errors import ErrorReport, describe_error

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        except Exception as error:
            report: ErrorReport = describe_error(error)
            log.warning("workspace action failed: %s", type(error).__name__)
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self._window, self._(PROBLEM), self._(report.msgid).format(**report.params))
            raise _Reported() from None
        finally:
            if QApplication.overrideCursor() is not None:
                QApplication.restoreOverrideCursor()

    # -- files (separate so tests can answer them) -------------------------------------------------

    def choose_open_file(self, title: str, name_filter: str) -> Path | None:
        path, _selected = QFileDialog.getOpenFileName(
            self._window, self._(title), str(Path.home()), self._(name_filter)
        )
        return Path(path) if path else None

    def choose_save_file(self, title: str, suggested: str, name_filter: str) -> Path | None:
        path, _selected = QFileDialog.getSaveFileName(
            self._window, self._(title), str(Path.home() / suggested), self._(name_filter)
        )
        return Path(path) if path else None

    def ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self._window, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def exec_dialog(self, dialog: Any) -> bool:
        return bool(dialog.exec())

    # -- close and reopen --------------------------------------------------------------------------

    def close_case(self, case_id: str) -> None:
        if self.session is None:
            return
        name = self._name(case_id)
        position = self.workspace.model.row_of(case_id)
        try:
            self._run(lambda: self.session.cases.close(case_id))
        except _Reported:
            return
        self.refresh()
        if self.workspace.model.row_of(case_id) < 0:
            self.workspace.select_row_near(position)
        self.workspace.show_notice(
            self._(CLOSED).format(name=name), self._(UNDO), lambda: self.reopen_case(case_id), timeout_ms=30_000
        )

    def reopen_case(self, case_id: str) -> None:
        if self.session is None:
            return
        try:
            self._run(lambda: self.session.cases.reopen(case_id))
        except _Reported:
            return
        self.refresh(select_case=case_id)
        self.workspace.show_notice(self._(REOPENED).format(name=self._name(case_id)), timeout_ms=10_000)

    # -- delete and retention ------------------------------------------------------------------------

    def delete_case(self, case_id: str) -> None:
        if self.session is None:
            return
        from intake_app.services.case_service import DeletionReason
        from intake_app.ui.workspace_dialogs import DeleteDialog

        reasons = [(r, r.label) for r in DeletionReason if r is not DeletionReason.IMPORT_UNDONE]
        dialog = DeleteDialog(self._name(case_id), reasons, self.catalog, self._window)
        if not self.exec_dialog(dialog) or dialog.reason is None:
            return
        position = self.workspace.model.row_of(case_id)
        try:
            self._run(lambda: self.session.cases.delete(case_id, dialog.reason))
        except _Reported:
            return
        self.refresh()
        self.workspace.select_row_near(position)
        self.workspace.show_notice(self._(DELETED), timeout_ms=15_000)

    def offer_expired(self) -> None:
        if self.session is None:
            return
        expired = self.session.cases.expired()
        if expired:
            text = self.catalog.ngettext(*EXPIRED, len(expired)).format(count=len(expired))
            self.workspace.show_notice(text, self._(SHOW), self.show_retention)

    def expired_cases(self) -> list[tuple[str, str, str]]:
        """(case id, name, closed on) of the cases past the retention period."""
        rows = {row.id: row for row in self.workspace.model.all_rows()}
        found = []
        for case_id in self.session.cases.expired():
            row = rows.get(case_id)
            closed = date.fromisoformat(row.closed_at[:10]).strftime("%d-%m-%Y") if row and row.closed_at else ""
            found.append((case_id, row.display_name if row else "", closed))
        return found

    def show_retention(self) -> None:
        if self.session is None:
            return
        from intake_app.services.case_service import DeletionReason
        from intake_app.ui.workspace_dialogs import RetentionDialog

        cases = self.session.cases
        expired = self.expired_cases

        def save(months: int) -> None:
            cases.set_retention_months(months)
            dialog.show_expired(expired())
            self.workspace.show_notice(self._(RETENTION_SAVED).format(months=months), timeout_ms=10_000)

        def delete(case_ids: list[str]) -> None:
            question = self._(CONFIRM_DELETE_MANY).format(count=len(case_ids))
            if not self.ask(self._(DELETE_MANY_TITLE), question):
                return
            try:
                count = self._run(lambda: cases.delete_many(case_ids, DeletionReason.RETENTION_EXPIRED))
            except _Reported:
                return
            self.refresh()
            dialog.show_expired(expired())
            self.workspace.show_notice(self._(DELETED_MANY).format(count=count), timeout_ms=15_000)

        dialog = RetentionDialog(cases.retention_months(), expired(), self.catalog, save, delete, self._window)
        self.exec_dialog(dialog)

    # -- COA import ------------------------------------------------------------------------------------

    def import_coa(self, path: Path | None = None) -> str:
        """Choose a file, preview it, import on consent. Returns the new case id ("" if none)."""
        if self.session is None:
            return ""
        from intake_app.services import coa_import
        from intake_app.ui.import_dialog import CoaImportDialog

        path = path or self.choose_open_file(CHOOSE_COA, COA_FILTER)
        if path is None:
            return ""
        try:
            preview = self._run(lambda: coa_import.preview(self.session, path))
        except _Reported:
            return ""
        dialog = CoaImportDialog(preview, self.catalog, self._window)
        if not self.exec_dialog(dialog) or not preview.can_import:
            return ""
        try:
            result = self._run(lambda: coa_import.import_preview(self.session, preview))
        except _Reported:
            return ""
        self.refresh(select_case=result.case_id)
        self.workspace.show_notice(
            self._(IMPORTED).format(name=preview.display_name or self._(NO_NAME)), self._(UNDO),
            lambda: self.undo_import(result.import_id), timeout_ms=60_000,
        )
        return str(result.case_id)

    def undo_import(self, import_id: str) -> None:
        if self.session is None:
            return
        from intake_app.services import coa_import

        try:
            changed = self._run(lambda: self.session.cases.changes_since_import(import_id))
        except _Reported:
            return
        if changed and not self.ask(self._(UNDO_IMPORT_TITLE), self._(UNDO_IMPORT_CHANGED).format(count=changed)):
            return
        try:
            self._run(lambda: coa_import.undo_import(self.session, import_id))
        except _Reported:
            return
        self.refresh()
        self.workspace.show_notice(self._(IMPORT_UNDONE), timeout_ms=15_000)

    # -- transfers ---------------------------------------------------------------------------------------

    def transfer_case(self, case_id: str) -> None:
        if self.session is None:
            return
        from intake_app.services import transfer
        from intake_app.ui.workspace_dialogs import TransferExportDialog

        dialog = TransferExportDialog(
            self._name(case_id), self.catalog, lambda: self.choose_open_file(CHOOSE_KEY, KEY_FILTER),
            transfer.describe_public_key, self._window,
        )
        while True:
            if not self.exec_dialog(dialog):
                return
            if dialog.by_passphrase.isChecked():
                protection = transfer.Protection(passphrase=dialog.passphrase.text())
            else:
                assert dialog.key_path is not None
                try:
                    protection = transfer.Protection(public_key=transfer.load_public_key(dialog.key_path))
                except Exception as error:
                    dialog.show_message(self._(getattr(error, "message", PROBLEM)))
                    continue
            path = self.choose_save_file(SAVE_PACKAGE, transfer.default_file_name(), PACKAGE_FILTER)
            if path is None:
                return
            try:
                self._run(lambda path=path, protection=protection: transfer.export_case(
                    self.session, case_id, path, protection, sending_municipality=dialog.municipality.text()
                ))
            except _Reported:
                continue
            break
        self.refresh(select_case=case_id)
        self.workspace.show_notice(
            self._(TRANSFERRED).format(file=path.name), self._(UNDO), lambda: self.reopen_case(case_id),
            timeout_ms=60_000,
        )

    def receive_transfer(self, path: Path | None = None) -> str:
        if self.session is None:
            return ""
        from intake_app.services import transfer
        from intake_app.ui.workspace_dialogs import NO_ROUTE, UNKNOWN, TransferReceiveDialog

        path = path or self.choose_open_file(CHOOSE_PACKAGE, PACKAGE_FILTER)
        if path is None:
            return ""
        try:
            needs = self._run(lambda: transfer.needs(path.read_bytes()))
        except _Reported:
            return ""

        def open_package(passphrase: str | None, key_path: Path | None, key_passphrase: str | None) -> Any:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                key = transfer.load_private_key(key_path, key_passphrase) if key_path is not None else None
                return transfer.read_package(path, passphrase=passphrase, private_key=key)
            finally:
                QApplication.restoreOverrideCursor()

        def describe(preview: Any) -> dict[str, Any]:
            _ = self._
            return {
                "name": preview.display_name or _(NO_NAME),
                "status": _(STATUS_LABELS.get(preview.status, preview.status)),
                "route": preview.route or _(NO_ROUTE), "answers": preview.answer_count,
                "versions": preview.plan_versions, "municipality": preview.sending_municipality or _(UNKNOWN),
                "officer": preview.exported_by or _(UNKNOWN), "exported_at": preview.exported_at[:10],
            }

        dialog = TransferReceiveDialog(
            needs == "passphrase", self.catalog, lambda: self.choose_open_file(CHOOSE_KEY, KEY_FILTER),
            open_package, describe, self._window,
        )
        if not self.exec_dialog(dialog) or dialog.preview is None:
            return ""
        try:
            case_id = str(self._run(lambda: transfer.import_package(self.session, dialog.preview)))
        except _Reported:
            return ""
        self.refresh(select_case=case_id)
        self.workspace.show_notice(self._(RECEIVED).format(name=dialog.preview.display_name or self._(NO_NAME)),
                                   timeout_ms=30_000)
        return case_id


class _Reported(Exception):
    """A failure already shown to the officer."""
