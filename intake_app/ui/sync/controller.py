"""Sync in the app: the Synchroniseren action (F5), the status line, enrolment and the conflict screen.

Created by the SessionController, which it follows (``unlocked``/``locked``/language). A sync runs on
the :class:`SyncRunner`'s thread; the officer goes on typing. Afterwards the case list and the open
case in the wizard show what was pulled. Locking during a sync is safe: the screen locks at once,
the sync stops at its next safe point, and only then does the vault close
(:meth:`SyncController.close_session`).

Everything else is imported where first needed, and the status line and the worker thread are made
at the first unlock: this module loads before the lock screen paints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from intake_app.i18n import N_, NP_, Catalog
from intake_app.ui.main_window import Screen

if TYPE_CHECKING:
    from intake_app.services.sync_ui_support import Progress, SyncOutcome, SyncSettings
    from intake_app.ui.controller import SessionController
    from intake_app.ui.sync.conflict_dialog import ConflictDialog
    from intake_app.ui.sync.enrol_dialog import EnrolDialog
    from intake_app.ui.sync.runner import SyncRunner
    from intake_app.ui.sync.status_bar import SyncStatusBar

log = logging.getLogger(__name__)

SYNC_TIP = N_("Wijzigingen naar de server sturen en die van collega's ophalen (F5)")
BUSY_TIP = N_("Er loopt al een synchronisatie; wacht tot die klaar is.")
LOCKED_TIP = N_("Ontgrendel eerst de kluis.")
NOT_ENROLLED_TIP = N_(
    "Deze laptop is nog niet gekoppeld aan de server. Koppel eerst met een koppelcode van functioneel "
    "beheer (F5)."
)
DONE = N_("Gesynchroniseerd: {pushed} verstuurd, {pulled} opgehaald.")
DONE_CONFLICTS = NP_(
    "Gesynchroniseerd: {pushed} verstuurd, {pulled} opgehaald. {count} conflict om op te lossen.",
    "Gesynchroniseerd: {pushed} verstuurd, {pulled} opgehaald. {count} conflicten om op te lossen.",
)
FAILED = N_("⚠ {message}")
UNEXPECTED = N_("Synchroniseren lukte niet door een onverwachte fout. Er is niets verloren; probeer het later "
                "opnieuw.")
ENROLLED = N_("Deze laptop is gekoppeld aan de server (medewerker: {officer}).")
CONFLICT_NOTICE = NP_(
    "Na het synchroniseren is er {count} conflict: dezelfde vraag is op twee laptops anders beantwoord.",
    "Na het synchroniseren zijn er {count} conflicten: dezelfde vraag is op twee laptops anders beantwoord.",
)
RESOLVE_NOW = N_("Oplossen…")
RESOLVE_FAILED = N_("Dit conflict kon niet worden opgelost: {message}")
CASE_ERASED = N_(
    "Het dossier dat open stond is door een collega verwijderd; de synchronisatie heeft het ook van deze "
    "laptop gewist."
)
OVERVIEW_INTERVAL_MS = 10_000  # the waiting count also changes by saves, imports, deletions
AFTER_EDIT_MS = 400
SHUTDOWN_WAIT_S = 60.0


class SyncController(QObject):
    sync_finished = Signal(object)  # SyncOutcome (or None after an unexpected failure)

    def __init__(self, owner: SessionController) -> None:
        super().__init__(owner)
        self.owner = owner
        self.window = owner.window
        self._runner: SyncRunner | None = None
        self._status_bar: SyncStatusBar | None = None
        self.settings: SyncSettings | None = None  # None: services' defaults; tests make it impatient
        self.conflict_dialog: ConflictDialog | None = None
        self.enrol_dialog: EnrolDialog | None = None
        self._enrolled = False
        self._closing: list[Any] = []  # sessions locked while a sync ran: closed when it stops
        self._job_kind = ""
        self._overview_timer = QTimer(self, interval=OVERVIEW_INTERVAL_MS)
        self._overview_timer.timeout.connect(self.refresh_overview)
        self._after_edit = QTimer(self, singleShot=True, interval=AFTER_EDIT_MS)
        self._after_edit.timeout.connect(self.refresh_overview)

        self.window.sync_action.triggered.connect(lambda _checked=False: self.sync_or_enrol())
        self.window.conflicts_action.triggered.connect(lambda _checked=False: self.show_conflicts())
        self.window.enrol_action.triggered.connect(lambda _checked=False: self.show_enrol())
        owner.unlocked.connect(self._on_owner_unlocked)
        owner.locked.connect(self._on_owner_locked)
        owner.case_opened.connect(self._on_owner_case_opened)
        owner.officer_language_changed.connect(self._on_owner_language_changed)
        self.window.page_created.connect(self._on_window_page_created)
        if self.window.has_screen(Screen.INTAKE):  # built before this controller (after the first paint)
            self._on_window_page_created(Screen.INTAKE)
        self._update_actions()

    def _ensure_parts(self) -> None:
        """The worker thread and the status line, made at the first unlock (not before the first paint)."""
        if self._runner is not None:
            return
        from intake_app.ui.sync.runner import SyncRunner
        from intake_app.ui.sync.status_bar import SyncStatusBar

        self._runner = SyncRunner(self)
        self._runner.progress.connect(self._on_runner_progress)
        self._runner.busy_changed.connect(self._on_runner_busy_changed)
        self._status_bar = SyncStatusBar(self.catalog)
        self._status_bar.conflicts_requested.connect(lambda: self.show_conflicts())
        status = self.window.statusBar()
        status.addWidget(self._status_bar.message, 1)
        # Left of the officer's name, which stays the rightmost permanent widget.
        officer = self.window.officer_label
        status.removeWidget(officer)
        status.addPermanentWidget(self._status_bar)
        status.addPermanentWidget(officer)
        officer.show()

    @property
    def runner(self) -> SyncRunner:
        self._ensure_parts()
        assert self._runner is not None
        return self._runner

    @property
    def status_bar(self) -> SyncStatusBar:
        self._ensure_parts()
        assert self._status_bar is not None
        return self._status_bar

    @property
    def catalog(self) -> Catalog:
        return self.owner.catalog

    @property
    def session(self) -> Any:
        return self.owner.session

    @property
    def busy(self) -> bool:
        return self._runner is not None and self._runner.busy

    @property
    def closing(self) -> bool:
        """A lock waits for a sync to stop before the vault closes."""
        return bool(self._closing)

    # -- the session's life ---------------------------------------------------------------------------

    def _on_owner_unlocked(self) -> None:
        self.status_bar.show()
        self.refresh_overview()
        self._overview_timer.start()

    def _on_owner_locked(self) -> None:
        self._overview_timer.stop()
        self._after_edit.stop()
        for dialog in (self.conflict_dialog, self.enrol_dialog):
            if dialog is not None:
                dialog.reject()  # personal data never stays on screen behind the lock
        self.conflict_dialog = self.enrol_dialog = None
        if self._status_bar is not None:
            self._status_bar.clear()
            self._status_bar.hide()
        self._update_actions()

    def close_session(self, session: Any) -> None:
        """Lock: close the vault now, or once the running sync has stopped at a safe point."""
        if self.busy:
            self._closing.append(session)
            self.runner.request_stop()
            self.runner.when_idle(self._close_waiting_sessions)
            return
        _close(session)

    def _close_waiting_sessions(self) -> None:
        sessions, self._closing = self._closing, []
        for session in sessions:
            _close(session)

    def after_close(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once no locked vault waits to close (at once if none does)."""
        if self._runner is None:
            callback()
        else:
            self._runner.when_idle(callback)

    def shutdown(self) -> None:
        """App exit (no event loop any more): wait for the sync, then close what waited for it."""
        if self._runner is not None:
            self._runner.shutdown(SHUTDOWN_WAIT_S)
        self._close_waiting_sessions()

    # -- status ------------------------------------------------------------------------------------------

    def refresh_overview(self) -> None:
        if self.session is None:
            return
        from intake_app.services.sync_ui_support import overview

        try:
            state = overview(self.session)
        except Exception as error:  # a busy database: the next refresh shows it
            log.warning("sync overview skipped: %s", type(error).__name__)
            return
        self._show_overview(state)

    def _show_overview(self, state: Any) -> None:
        self._enrolled = state.enrolled
        self.status_bar.show_overview(state.enrolled, state.server_url, state.waiting, state.to_resolve,
                                      state.last_sync)
        self._update_actions()
        self._update_case_marker()

    def _update_actions(self) -> None:
        _ = self.catalog.gettext
        unlocked = self.session is not None
        action = self.window.sync_action
        action.setEnabled(unlocked and not self.busy)
        if not unlocked:
            tip = _(LOCKED_TIP)
        elif self.busy:
            tip = _(BUSY_TIP)
        elif not self._enrolled:
            tip = _(NOT_ENROLLED_TIP)
        else:
            tip = _(SYNC_TIP)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.window.enrol_action.setEnabled(unlocked and not self.busy)
        self.window.conflicts_action.setEnabled(unlocked)

    def _on_owner_language_changed(self, _locale: str) -> None:
        if self._status_bar is not None:
            self._status_bar.retranslate(self.catalog)
        self._update_actions()
        self._update_case_marker()

    def _on_window_page_created(self, screen: Screen) -> None:
        if screen is Screen.INTAKE:
            self.window.wizard.conflicts_requested.connect(self._on_wizard_conflicts_requested)

    def _on_owner_case_opened(self, _case_id: str) -> None:
        intake = self.owner.intake
        if intake is not None:
            intake.answer_changed.connect(self._on_intake_answer_changed)
        self._update_case_marker()

    def _on_intake_answer_changed(self, _key: object, _value: object) -> None:
        self._after_edit.start()  # the waiting count, once the officer pauses

    def _update_case_marker(self) -> None:
        intake = self.owner.intake
        if intake is None or self.session is None:
            return
        from intake_app.services.sync_ui_support import open_conflict_count

        self.window.wizard.set_conflicts(open_conflict_count(self.session, intake.case_id), self.catalog)

    # -- syncing -----------------------------------------------------------------------------------------

    def sync_or_enrol(self) -> None:
        if self.session is None or self.busy:
            return
        if not self._enrolled:
            self.refresh_overview()  # enrolled elsewhere (the CLI) since the last look?
        if not self._enrolled:
            self.show_enrol()
            return
        self.start_sync()

    def start_sync(self) -> None:
        if self.session is None or self.busy:
            return
        from intake_app.services.sync_ui_support import sync_and_refresh

        session, settings = self.session, self.settings
        self._job_kind = "sync"
        self.status_bar.show_started()
        self.runner.start(
            lambda progress, stop: sync_and_refresh(session, progress, stop, settings),
            self._on_sync_done, self._on_sync_failed,
        )

    def _on_runner_progress(self, step: Progress) -> None:
        if self._job_kind == "sync" and not self._closing:
            self.status_bar.show_progress(step.phase.value == "pull", step.done, step.total)

    def _on_runner_busy_changed(self, busy: bool) -> None:
        self._update_actions()
        if self.conflict_dialog is not None:
            self.conflict_dialog.set_busy(busy)

    def _on_sync_done(self, outcome: SyncOutcome) -> None:
        self.status_bar.show_finished()
        if self.session is None:
            return  # locked meanwhile: nothing to show
        error = outcome.error
        if error is not None:
            self.status_bar.show_message(
                lambda catalog: catalog.gettext(FAILED).format(message=catalog.gettext(error.message).format(
                    **error.params)),
                error=True,
            )
        else:
            report = outcome.report
            assert report is not None
            count = outcome.overview.to_resolve

            def done_text(catalog: Catalog) -> str:
                if count:
                    return catalog.ngettext(*DONE_CONFLICTS, count).format(
                        pushed=report.pushed, pulled=report.pulled, count=count)
                return catalog.gettext(DONE).format(pushed=report.pushed, pulled=report.pulled)

            self.status_bar.show_message(done_text, error=False)
        self._show_overview(outcome.overview)
        self._show_pulled(outcome)
        if outcome.overview.to_resolve and self.window.current_screen() is Screen.WORKSPACE:
            count = outcome.overview.to_resolve
            self.window.workspace.show_notice(
                self.catalog.ngettext(*CONFLICT_NOTICE, count).format(count=count),
                self.catalog.gettext(RESOLVE_NOW), lambda: self.show_conflicts(),
            )
        self._refresh_conflict_dialog()
        self.sync_finished.emit(outcome)

    def _show_pulled(self, outcome: SyncOutcome) -> None:
        """The case list, the open case and its open plan show what the pull brought."""
        from intake_app.ui.sync.intake_refresh import reload_open_intake

        screen = self.window.current_screen()
        if screen is Screen.WORKSPACE:
            workspace = self.window.workspace
            workspace.set_cases(outcome.rows, select_case=workspace.selected_case())
        # Other screens: the list is read again when the officer goes back to it.
        if self._close_erased_case():
            return
        intake, plan = self.owner.intake, self.owner.plan
        try:
            if intake is not None:
                reload_open_intake(intake)
            if plan is not None:
                plan.reload()
        except Exception as error:
            log.error("reloading the open case failed: %s", type(error).__name__)

    def _close_erased_case(self) -> bool:
        """The case open in the wizard or the plan step was deleted by a colleague and the pull
        erased it here: back to the case list, saying why (nothing to save into any more)."""
        session = self.session
        owner = self.owner
        open_case = owner.intake.case_id if owner.intake is not None else owner.plan.case_id if owner.plan else ""
        if session is None or not open_case or session.has_case(open_case):
            return False
        if owner.intake is not None:
            owner.close_case()
        else:
            owner.close_plan()
        self.window.workspace.show_notice(self.catalog.gettext(CASE_ERASED))
        return True

    def _on_sync_failed(self, error: BaseException) -> None:
        from intake_app.services.sync_ui_support import SyncCancelled

        self.status_bar.show_finished()
        if isinstance(error, SyncCancelled) or self.session is None:
            return  # stopped for a lock: the next sync goes on where this one stopped
        log.error("sync failed: %s", type(error).__name__)
        self.status_bar.show_message(lambda catalog: catalog.gettext(UNEXPECTED), error=True)
        self.refresh_overview()
        self.sync_finished.emit(None)

    # -- enrolment ---------------------------------------------------------------------------------------

    def show_enrol(self) -> None:
        if self.session is None or self.busy:
            return
        from intake_app.services.sync_ui_support import overview
        from intake_app.ui.sync.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(self.catalog, overview(self.session).server_url, self.window)
        dialog.enrol_requested.connect(self._on_enrol_requested)
        dialog.finished.connect(lambda _result: self._forget_enrol_dialog(dialog))
        self.enrol_dialog = dialog
        dialog.open()

    def _forget_enrol_dialog(self, dialog: EnrolDialog) -> None:
        if self.enrol_dialog is dialog:
            self.enrol_dialog = None
        dialog.deleteLater()

    def _on_enrol_requested(self, server: str, code: str) -> None:
        if self.session is None or self.busy:
            return
        from intake_app.services.sync_ui_support import SyncSettings, enrol

        session = self.session
        settings = self.settings or SyncSettings(attempts=2)
        self._job_kind = "enrol"
        self.runner.start(
            lambda _progress, _stop: enrol(session, server, code, settings),
            self._on_enrolled, self._on_enrol_failed,
        )

    def _on_enrolled(self, officer: str) -> None:
        if self.session is None:
            return
        self.status_bar.show_message(
            lambda catalog: catalog.gettext(ENROLLED).format(officer=officer), error=False
        )
        if self.enrol_dialog is not None:
            self.enrol_dialog.accept()
        self.refresh_overview()
        self.start_sync()  # the colleagues' cases come in right away

    def _on_enrol_failed(self, error: BaseException) -> None:
        from intake_app.services.sync_ui_support import SyncError

        if self.enrol_dialog is None:
            return
        _ = self.catalog.gettext
        if isinstance(error, SyncError):
            text = _(error.message).format(**error.params)
        else:
            log.error("enrolment failed: %s", type(error).__name__)
            text = _(UNEXPECTED)
        self.enrol_dialog.show_failure(text)

    # -- conflicts ---------------------------------------------------------------------------------------

    def _on_wizard_conflicts_requested(self) -> None:
        intake = self.owner.intake
        self.show_conflicts(intake.case_id if intake is not None else "")

    def show_conflicts(self, case_id: str = "") -> None:
        """The conflict screen: all open conflicts, or those of one case."""
        if self.session is None:
            return
        if self.conflict_dialog is not None:
            self.conflict_dialog.raise_()
            self.conflict_dialog.activateWindow()
            return
        from intake_app.forms import load_intake_form
        from intake_app.services.sync_ui_support import conflicts
        from intake_app.ui.sync.conflict_dialog import ConflictDialog

        case = case_id or None
        views = conflicts(self.session, case)
        name = None
        if case is not None:
            name = views[0].case_name if views else self.session.case(case).display_name
        dialog = ConflictDialog(load_intake_form(), self.catalog, views, case_name=name, parent=self.window)
        dialog.setProperty("case_id", case_id)
        dialog.resolve_requested.connect(self._on_resolve_requested)
        dialog.sync_requested.connect(lambda: self.sync_or_enrol())
        dialog.finished.connect(lambda _result: self._forget_conflict_dialog(dialog))
        dialog.set_busy(self.busy)
        self.conflict_dialog = dialog
        parent_size = self.window.size()
        dialog.resize(min(1180, parent_size.width() - 40), min(640, parent_size.height() - 60))
        dialog.open()
        dialog.table.setFocus()

    def _forget_conflict_dialog(self, dialog: ConflictDialog) -> None:
        if self.conflict_dialog is dialog:
            self.conflict_dialog = None
        dialog.deleteLater()

    def _conflict_case(self) -> str | None:
        dialog = self.conflict_dialog
        case_id = str(dialog.property("case_id") or "") if dialog is not None else ""
        return case_id or None

    def _refresh_conflict_dialog(self) -> None:
        if self.conflict_dialog is None or self.session is None:
            return
        from intake_app.services.sync_ui_support import conflicts

        current = self.conflict_dialog.current()
        self.conflict_dialog.set_conflicts(
            conflicts(self.session, self._conflict_case()),
            select=current.record.conflict_id if current is not None else None,
        )

    def _on_resolve_requested(self, conflict_id: int, choice: Any, value: Any) -> None:
        if self.session is None or self.busy or self.conflict_dialog is None:
            return
        from intake_app.services.errors import describe_error
        from intake_app.services.sync_ui_support import conflicts, resolve
        from intake_app.ui.sync.intake_refresh import reload_open_intake

        dialog = self.conflict_dialog
        view = dialog.view_of(conflict_id)
        case_id = view.record.case_id if view is not None else ""
        try:
            resolve(self.session, conflict_id, choice, value)
        except Exception as error:
            report = describe_error(error)
            log.warning("resolving a conflict failed: %s", type(error).__name__)
            dialog.validation.setText(self.catalog.gettext(RESOLVE_FAILED).format(
                message=self.catalog.gettext(report.msgid).format(**report.params)))
            dialog.validation.show()
            return
        dialog.after_resolved(conflicts(self.session, self._conflict_case()), conflict_id)
        intake = self.owner.intake
        if intake is not None and intake.case_id == case_id:
            reload_open_intake(intake)
        if self.window.current_screen() is Screen.WORKSPACE:  # the case's conflict count in the list
            self.owner.refresh_cases(select_case=self.window.workspace.selected_case())
        self.refresh_overview()


def _close(session: Any) -> None:
    try:
        session.lock()
    except Exception as error:  # the data is committed already; a failed backup is reported
        log.error("lock: %s", type(error).__name__)
