"""Wires the main window to a vault session: first run, unlock, lock, auto-lock, new cases.

The services (and with them SQLAlchemy and SQLCipher) are imported lazily: the lock screen paints
first, and :meth:`SessionController.preload` loads the storage stack while the officer types.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from intake_app.i18n import N_, Catalog
from intake_app.services.paths import vault_files_present
from intake_app.ui.idle import IdleWatcher
from intake_app.ui.main_window import MainWindow, Screen
from intake_app.ui.worker import run_in_background

if TYPE_CHECKING:  # imported where first needed: the lock screen paints before they load
    from intake_app.forms import AnswerKey
    from intake_app.ui.intake.controller import IntakeController
    from intake_app.ui.interpreter.window import InterpreterWindow
    from intake_app.ui.plan.controller import PlanController
    from intake_app.ui.sync.controller import SyncController
    from intake_app.ui.workspace_controller import WorkspaceController

log = logging.getLogger(__name__)

DEFAULT_LOCK_AFTER_MS = 5 * 60 * 1000
CHECKPOINT_INTERVAL_MS = 20_000
RESTORED = N_("De reservekopie is teruggezet. Ontgrendel de kluis opnieuw.")


class SessionController(QObject):
    preloaded = Signal()  # the storage stack has loaded (after the first paint)
    case_opened = Signal(str)
    officer_language_changed = Signal(str)
    unlocked = Signal()
    locked = Signal()
    busy_changed = Signal(bool)

    def __init__(
        self, window: MainWindow, catalog: Catalog, vault_folder: Path, *,
        lock_after_ms: int = DEFAULT_LOCK_AFTER_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.catalog = catalog
        self.vault_folder = vault_folder
        self.session: Any = None  # services.vault_service.VaultSession while unlocked
        # Where the officer was when the vault locked: ids only, never personal data.
        self._resume_case = ""
        self._resume_screen = Screen.WORKSPACE
        self._busy = False
        self.idle = IdleWatcher(lock_after_ms, self)
        self.idle.idle.connect(self.lock)
        # The WAL is folded back into the database between answers, never inside a save.
        self._checkpoint_timer = QTimer(self, interval=CHECKPOINT_INTERVAL_MS)
        self._checkpoint_timer.timeout.connect(self._checkpoint)

        window.new_case_requested.connect(self.new_case)
        window.plan_requested.connect(self.show_plan)
        window.lock_requested.connect(self.lock)
        window.closing.connect(self.shutdown)
        window.lock_screen.unlock_requested.connect(self.unlock)
        window.lock_screen.restore_backup_requested.connect(self.restore_backup)
        window.page_created.connect(self._on_window_page_created)
        window.interpreter_toggled.connect(self.show_interpreter)
        window.interpreter_full_screen_requested.connect(self.interpreter_full_screen)
        window.officer_language_chosen.connect(self.set_officer_language)
        self.intake: IntakeController | None = None
        self.plan: PlanController | None = None
        self.interpreter: InterpreterWindow | None = None
        self.workspace_controller: WorkspaceController | None = None  # once the workspace page exists
        self._judge: Any = None  # the passphrase judge, once the storage stack has loaded
        self.sync: SyncController | None = None  # the sync action, status line and conflicts (see _sync)

    def _on_window_page_created(self, screen: Screen) -> None:
        if screen is Screen.FIRST_RUN:
            self.window.first_run.create_requested.connect(self.create_vault)
            if self._judge is not None:
                self.window.first_run.set_judge(self._judge)
        elif screen is Screen.WORKSPACE:
            from intake_app.ui.workspace_controller import WorkspaceController

            self.window.workspace.case_activated.connect(self.open_case)
            self.workspace_controller = WorkspaceController(self.window.workspace, lambda: self.catalog, self)
        elif screen is Screen.INTAKE:
            self.window.wizard.missing_requested.connect(self.show_missing)
            self.window.wizard.client_language_chosen.connect(self.set_client_language)

    # -- start-up ----------------------------------------------------------------------------

    def _checkpoint(self) -> None:
        if self.session is not None:
            try:
                self.session.checkpoint()
            except Exception as error:  # a busy database: the next turn or the lock does it
                log.warning("checkpoint skipped: %s", type(error).__name__)

    def _watch_idle(self, watching: bool) -> None:
        """Auto-lock only matters while unlocked; locked, no event pays for the watcher."""
        if watching:
            self._checkpoint_timer.start()
        else:
            self._checkpoint_timer.stop()
        app = QApplication.instance()
        if app is None:
            return
        if watching:
            app.installEventFilter(self.idle)
            self.idle.start()
        else:
            app.removeEventFilter(self.idle)
            self.idle.stop()

    def start(self) -> None:
        if vault_files_present(self.vault_folder):
            self.window.show_screen(Screen.LOCK)
            self.window.lock_screen.prepare()
        else:
            self.window.show_screen(Screen.FIRST_RUN)
            self.window.first_run.name_edit.setFocus()

    def preload_after_first_paint(self) -> None:
        """Start the preload once the first screen is on screen: before, its thread would compete
        with the GUI thread for the interpreter lock and delay that first paint."""
        self.window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.preload)
        return False

    def preload(self) -> None:
        """Import the storage stack off the GUI thread while the officer types."""
        run_in_background(self._services, self._on_services_loaded, self._on_background_error, self)

    @staticmethod
    def _services() -> ModuleType:
        module = importlib.import_module("intake_app.services.vault_service")
        from intake_app.forms import load_intake_form

        load_intake_form()  # parsed and checked once per process; cached afterwards
        return module

    def _on_services_loaded(self, services: ModuleType) -> None:
        self._judge = lambda passphrase, name: services.check_passphrase(passphrase, officer_name=name)
        if self.window.has_screen(Screen.FIRST_RUN):
            self.window.first_run.set_judge(self._judge)
        # The first screen has painted by now: build the others while the officer types.
        _ = self.window.workspace, self.window.wizard
        self._sync()
        self.preloaded.emit()

    def _sync(self) -> SyncController:
        """The sync controller, made after the first paint (its actions stay disabled until unlocked)."""
        if self.sync is None:
            from intake_app.ui.sync.controller import SyncController

            self.sync = SyncController(self)
        return self.sync

    # -- first run and unlock ------------------------------------------------------------------

    def create_vault(self, officer: str, passphrase: str) -> None:
        services = self._services()
        self._set_busy(True)
        self.window.first_run.set_busy(True)
        run_in_background(
            lambda: _with_cases(services.create_vault(self.vault_folder, officer, passphrase)),
            self._on_unlocked,
            self._on_create_failed,
            self,
        )

    def _on_create_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.window.first_run.set_busy(False)
        self.window.first_run.show_message(self._report(error).msgid)

    def unlock(self, officer: str, passphrase: str) -> None:
        if self._busy:
            return
        if self.sync is not None and self.sync.closing:  # locked during a sync: unlock once the vault closed
            self.window.lock_screen.set_busy(True)
            self.sync.after_close(lambda: self._unlock_after_close(officer, passphrase))
            return
        services = self._services()
        self._set_busy(True)
        self.window.lock_screen.set_busy(True)
        run_in_background(
            lambda: _with_cases(services.unlock_vault(self.vault_folder, officer, passphrase)),
            self._on_unlocked,
            self._on_unlock_failed,
            self,
        )

    def _unlock_after_close(self, officer: str, passphrase: str) -> None:
        self.window.lock_screen.set_busy(False)
        self.unlock(officer, passphrase)

    def _on_unlocked(self, result: tuple[Any, list[Any]]) -> None:
        session, cases = result
        self._set_busy(False)
        self.session = session
        self._sync()
        self.window.lock_screen.prepare()  # forget the typed passphrase
        self.window.officer_label.setText(session.officer)
        self.window.workspace.set_cases(cases, select_case=self._resume_case)
        if self.workspace_controller is not None:
            self.workspace_controller.attach(session)
        if self._resume_screen is Screen.INTAKE and self._resume_case:
            self.open_case(self._resume_case)
        elif self._resume_screen is Screen.PLAN and self._resume_case:
            self.show_plan(self._resume_case)
        else:
            self.window.show_screen(Screen.WORKSPACE)
        self._watch_idle(True)
        log.info("vault unlocked")
        self.unlocked.emit()

    def _on_unlock_failed(self, error: BaseException) -> None:
        from intake_app.services.errors import ErrorKind

        self._set_busy(False)
        screen = self.window.lock_screen
        screen.set_busy(False)
        screen.passphrase_edit.clear()
        report = self._report(error)
        if report.kind is ErrorKind.WAIT:
            screen.show_wait(report.seconds)
        elif report.kind is ErrorKind.DAMAGED:
            has_backup = bool(self._services().list_backups(self.vault_folder))
            screen.show_damaged(report.msgid, has_backup)
        else:
            screen.show_message(report.msgid, **report.params)
        screen.passphrase_edit.setFocus()

    def restore_backup(self) -> None:
        from intake_app.ui.dialogs import confirm_restore

        if not confirm_restore(self.window, self.catalog):
            return
        try:
            self._services().restore_newest_backup(self.vault_folder)
        except Exception as error:
            self.window.lock_screen.show_message(self._report(error).msgid)
            return
        self.window.lock_screen.restore_button.hide()
        self.window.lock_screen.show_message(RESTORED)
        self.window.lock_screen.prepare()

    # -- locking -----------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the database and clear every widget that showed personal data."""
        if self.session is None:
            return
        self._resume_screen = self.window.current_screen()
        if self.intake is not None:
            self._resume_case = self.intake.case_id
            self.intake.detach()
            self.intake = None
        elif self.plan is not None:
            self._resume_case = self.plan.case_id
        else:
            self._resume_case = self.window.workspace.selected_case()
        if self.plan is not None:
            self.plan.detach()
            self.plan = None
        self._watch_idle(False)
        if self.workspace_controller is not None:
            self.workspace_controller.detach()
        self.window.workspace.clear()
        if self.interpreter is not None:
            self.interpreter.clear()
        self.window.show_screen(Screen.LOCK)
        session, self.session = self.session, None
        # The vault closes now, or (a sync running) once the sync stopped at a safe point.
        self._sync().close_session(session)
        self.window.lock_screen.prepare(officer=session.officer)
        log.info("vault locked")
        self.locked.emit()

    def shutdown(self) -> None:
        self.lock()
        if self.sync is not None:
            self.sync.shutdown()  # no event loop any more: waits for a running sync, then closes

    # -- cases ---------------------------------------------------------------------------------

    def refresh_cases(self, select_case: str = "") -> None:
        if self.session is None:
            return
        self.window.workspace.set_cases(self.session.cases.rows(), select_case=select_case)

    def new_case(self) -> None:
        if self.session is None:
            return
        case_id = self.session.create_case()
        self.refresh_cases(select_case=case_id)
        self.open_case(case_id)

    def open_case(self, case_id: str) -> None:
        """Open the intake wizard on a case, resuming at the last question the officer was on."""
        if self.session is None:
            return
        from intake_app.forms import AnswerKey, load_intake_form
        from intake_app.ui.case_table import NO_NAME
        from intake_app.ui.intake.controller import IntakeController

        if self.intake is not None:
            self.intake.detach()
        self._close_plan()
        summary = self.session.open_case(case_id)
        self.intake = IntakeController(
            self.window.wizard, self.session, load_intake_form(), case_id, self.catalog, self
        )
        self.intake.closed.connect(self.close_case)
        self.intake.finish_requested.connect(self.finish_intake)
        self.intake.current_question_changed.connect(self._on_intake_question_changed)
        self.intake.answer_changed.connect(self._on_intake_answer_changed)
        self.window.wizard.set_client_language(summary.client_language)
        if self.interpreter is not None:
            self.interpreter.set_language(summary.client_language)
        resume = AnswerKey(summary.last_question_id, summary.last_entry_id) if summary.last_question_id else None
        title = summary.display_name or self.catalog.gettext(NO_NAME)
        self.window.show_screen(Screen.INTAKE)
        self.intake.open(title, resume)
        self._resume_case = case_id
        self.case_opened.emit(case_id)

    def close_case(self) -> None:
        if self.intake is None:
            return
        case_id = self.intake.case_id
        self.intake.detach()
        self.intake = None
        if self.interpreter is not None:
            self.interpreter.clear()
        self.refresh_cases(select_case=case_id)
        self.window.show_screen(Screen.WORKSPACE)

    # -- the plan step ---------------------------------------------------------------------------

    def show_plan(self, case_id: str = "") -> None:
        """The plan step for the case open in the wizard, or the one selected in the case list."""
        if self.session is None:
            return
        if not case_id:
            case_id = self.intake.case_id if self.intake is not None else self.window.workspace.selected_case()
        if not case_id:
            return
        from intake_app.ui.case_table import NO_NAME
        from intake_app.ui.plan.controller import PlanController

        if self.intake is not None:
            self.intake.detach()
            self.intake = None
        self._close_plan()
        summary = self.session.open_case(case_id)
        self.plan = PlanController(self.window.plan_step, self.session, case_id, self.catalog, self)
        self.plan.closed.connect(self.close_plan)
        self.plan.saved.connect(self._on_plan_saved)
        self.plan.intake_requested.connect(self.open_case)
        self.window.show_screen(Screen.PLAN)
        self.plan.open(summary.display_name or self.catalog.gettext(NO_NAME))
        self._resume_case = case_id

    def _close_plan(self) -> None:
        if self.plan is not None:
            self.plan.detach()
            self.plan = None

    def close_plan(self) -> None:
        if self.plan is None:
            return
        case_id = self.plan.case_id
        self._close_plan()
        self.refresh_cases(select_case=case_id)
        self.window.show_screen(Screen.WORKSPACE)

    def _on_plan_saved(self, case_id: str) -> None:
        self.refresh_cases(select_case=case_id)

    def show_missing(self) -> None:
        if self.intake is None:
            return
        from intake_app.ui.intake.missing_dialog import MissingDialog

        dialog = MissingDialog(self.intake.form, self.intake.missing(), self.catalog, self.window)
        if dialog.exec() and dialog.chosen is not None:
            key = dialog.chosen
            self.intake.show_domain(self.intake.form.domain_of(key.question_id).id, focus=key)

    def finish_intake(self) -> None:
        """Mark the intake complete when nothing required is missing; otherwise show what is."""
        if self.intake is None:
            return
        if self.intake.missing():
            self.show_missing()
            return
        from intake_app.services.vault_service import CaseStatus

        self.session.set_case_fields(self.intake.case_id, status=CaseStatus.DRAFT_PIP)
        self.close_case()

    # -- interpreter window and languages -----------------------------------------------------

    def show_interpreter(self, visible: bool = True) -> None:
        if self.interpreter is None:
            from intake_app.forms import load_intake_form
            from intake_app.ui.interpreter.window import InterpreterWindow

            self.interpreter = InterpreterWindow(load_intake_form(), self.window)
            self.interpreter.set_officer_catalog(self.catalog)
            if self.intake is not None:
                self.interpreter.set_language(self.session.case(self.intake.case_id).client_language)
                key = self.intake.current_key
                self.interpreter.show_question(key, self.intake.interview.answer(key) if key else None)
        self.interpreter.setVisible(visible)
        self.window.activateWindow()  # typing goes on in the officer's window
        if self.window.interpreter_action.isChecked() != visible:
            self.window.interpreter_action.setChecked(visible)

    def interpreter_full_screen(self) -> None:
        self.show_interpreter(True)
        assert self.interpreter is not None
        self.interpreter.toggle_full_screen()

    def set_client_language(self, locale: str) -> None:
        """The newcomer's language for this case: stored with the case, applied at once."""
        if self.session is None or self.intake is None:
            return
        self.session.set_case_fields(self.intake.case_id, client_language=locale)
        if self.interpreter is not None:
            self.interpreter.set_language(locale)

    def set_officer_language(self, locale: str) -> None:
        """The officer's own UI language, independent of the newcomer's."""
        from intake_app.ui.qt_translations import install_qt_translations

        self.catalog = Catalog(locale)
        install_qt_translations(locale)
        self.window.retranslate(self.catalog)
        if self.intake is not None:
            self.intake.catalog = self.catalog
        if self.plan is not None:
            self.plan.retranslate(self.catalog)
        if self.interpreter is not None:
            self.interpreter.set_officer_catalog(self.catalog)
        self.officer_language_changed.emit(locale)

    def _on_intake_question_changed(self, key: AnswerKey) -> None:
        if self.interpreter is not None and self.intake is not None:
            self.interpreter.show_question(key, self.intake.interview.answer(key))

    def _on_intake_answer_changed(self, key: AnswerKey, value: object) -> None:
        if self.interpreter is not None:
            self.interpreter.show_answer(key, value)  # type: ignore[arg-type]

    # -- helpers -------------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    @staticmethod
    def _report(error: BaseException) -> Any:
        from intake_app.services.errors import describe_error

        report = describe_error(error)
        log.warning("operation failed: %s", type(error).__name__)
        return report

    def _on_background_error(self, error: BaseException) -> None:
        log.error("background task failed: %s", type(error).__name__)


def _with_cases(session: Any) -> tuple[Any, list[Any]]:
    """Runs in the unlock job: the case list is read off the GUI thread too."""
    return session, session.cases.rows()
