"""The main window: one stack of screens (first run, lock, workspace) and the menus."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QWidget

from intake_app.i18n import N_, Catalog
from intake_app.i18n.languages import OFFICER_LANGUAGES
from intake_app.ui.about import show_about
from intake_app.ui.lock_screen import LockScreen

if TYPE_CHECKING:
    from intake_app.ui.first_run import FirstRunScreen
    from intake_app.ui.intake.wizard import IntakeWizard
    from intake_app.ui.plan.step import PlanStep
    from intake_app.ui.workspace import Workspace

APP_TITLE = N_("intake_app — brede intake")
DEMO_TITLE = N_("DEMO — fictieve dossiers")
MENU_FILE = N_("&Bestand")
MENU_HELP = N_("&Help")
MENU_VIEW = N_("B&eeld")
INTERPRETER = N_("&Tolkvenster")
INTERPRETER_FULL_SCREEN = N_("Tolkvenster &schermvullend")
OFFICER_LANGUAGE = N_("Taal van het &scherm")
NEW_CASE = N_("&Nieuwe intake")
PLAN = N_("&Plan (PIP)")
LOCK = N_("&Vergrendelen")
QUIT = N_("&Afsluiten")
ABOUT = N_("&Over intake_app")
MENU_SYNC = N_("&Synchronisatie")
SYNC = N_("&Synchroniseren")
CONFLICTS = N_("&Conflicten oplossen…")
ENROL = N_("&Koppelen aan server…")
TOOLBAR = N_("Werkbalk")
# Each UI language by its own name (no CLDR lookup before the first paint).
OWN_LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _action(parent: QWidget, keys: str) -> QAction:
    action = QAction(parent)
    # setShortcuts (plural): the singular setter makes PySide build ~94 Qt enum classes (~25 ms)
    # before the first paint.
    action.setShortcuts([QKeySequence(keys)])
    return action


class Screen(Enum):
    FIRST_RUN = "first_run"
    LOCK = "lock"
    WORKSPACE = "workspace"
    INTAKE = "intake"
    PLAN = "plan"


class MainWindow(QMainWindow):
    new_case_requested = Signal()
    plan_requested = Signal()
    interpreter_toggled = Signal(bool)
    interpreter_full_screen_requested = Signal()
    officer_language_chosen = Signal(str)
    lock_requested = Signal()
    closing = Signal()
    page_created = Signal(object)  # Screen: the workspace and the wizard are built on first use

    def __init__(self, catalog: Catalog, *, demo: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._catalog = catalog
        self._demo = demo
        self.stack = QStackedWidget()
        self.lock_screen = LockScreen(catalog)
        # Only what the first screen needs is built before the window first paints; the other
        # screens (and the questionnaire they import) follow on first use.
        self._screens: dict[Screen, QWidget] = {Screen.LOCK: self.lock_screen}
        for widget in self._screens.values():
            self.stack.addWidget(widget)
        self.setCentralWidget(self.stack)

        self.new_case_action = _action(self, "Ctrl+N")
        self.new_case_action.triggered.connect(self.new_case_requested)
        self.plan_action = _action(self, "Ctrl+P")
        self.plan_action.triggered.connect(self.plan_requested)
        self.lock_action = _action(self, "Ctrl+L")
        self.lock_action.triggered.connect(self.lock_requested)
        self.quit_action = _action(self, "Ctrl+Q")
        self.quit_action.triggered.connect(self.close)
        self.interpreter_action = _action(self, "Ctrl+T")
        self.interpreter_action.setCheckable(True)
        self.interpreter_action.toggled.connect(self.interpreter_toggled)
        self.interpreter_full_action = _action(self, "Ctrl+Shift+T")
        self.interpreter_full_action.triggered.connect(self.interpreter_full_screen_requested)
        # Wired and enabled by ui.sync.controller.SyncController (they depend on the sync's state).
        self.sync_action = _action(self, "F5")
        self.conflicts_action = _action(self, "Ctrl+Shift+K")
        self.enrol_action = QAction(self)
        for action in (self.sync_action, self.conflicts_action, self.enrol_action):
            action.setEnabled(False)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(lambda: show_about(self, self._catalog))
        self._file_menu = self.menuBar().addMenu("")
        self._file_menu.addActions([self.new_case_action, self.plan_action, self.lock_action])
        self._file_menu.addSeparator()
        self._file_menu.addAction(self.quit_action)
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addActions([self.new_case_action, self.plan_action, self.lock_action])
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.sync_action)
        self._view_menu = self.menuBar().addMenu("")
        self._view_menu.addActions([self.interpreter_action, self.interpreter_full_action])
        self._language_menu = self._view_menu.addMenu("")
        self._language_actions: dict[str, QAction] = {}
        for locale in OFFICER_LANGUAGES:
            action = QAction(OWN_LANGUAGE_NAMES[locale], self, checkable=True, checked=locale == catalog.locale)
            action.triggered.connect(lambda _checked=False, code=locale: self.officer_language_chosen.emit(code))
            self._language_menu.addAction(action)
            self._language_actions[locale] = action
        self._sync_menu = self.menuBar().addMenu("")
        self._sync_menu.addActions([self.sync_action, self.conflicts_action])
        self._sync_menu.addSeparator()
        self._sync_menu.addAction(self.enrol_action)
        self._help_menu = self.menuBar().addMenu("")
        self._help_menu.addAction(self.about_action)
        self.officer_label = QLabel(objectName="officerLabel")
        self.statusBar().addPermanentWidget(self.officer_label)
        if demo:
            self.demo_label = QLabel(objectName="demoBanner")
            self.demo_label.setStyleSheet("background:#b45309;color:white;padding:2px 8px;font-weight:bold")
            self.statusBar().addWidget(self.demo_label)
        self.resize(1366, 768)
        self.retranslate(catalog)
        self.show_screen(Screen.LOCK)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        title = _(APP_TITLE)
        if self._demo:
            title = f"{_(DEMO_TITLE)} — {title}"
            self.demo_label.setText(_(DEMO_TITLE))
        self.setWindowTitle(title)
        self._file_menu.setTitle(_(MENU_FILE))
        self.toolbar.setWindowTitle(_(TOOLBAR))
        self._help_menu.setTitle(_(MENU_HELP))
        self._view_menu.setTitle(_(MENU_VIEW))
        self._language_menu.setTitle(_(OFFICER_LANGUAGE))
        self.interpreter_action.setText(_(INTERPRETER))
        self.interpreter_full_action.setText(_(INTERPRETER_FULL_SCREEN))
        for locale, action in self._language_actions.items():
            action.setChecked(locale == catalog.locale)
        self.new_case_action.setText(_(NEW_CASE))
        self.plan_action.setText(_(PLAN))
        self.plan_action.setToolTip(f"{_(PLAN).replace('&', '')} (Ctrl+P)")
        self.lock_action.setText(_(LOCK))
        self.quit_action.setText(_(QUIT))
        self.about_action.setText(_(ABOUT))
        self._sync_menu.setTitle(_(MENU_SYNC))
        self.sync_action.setText(_(SYNC))
        self.conflicts_action.setText(_(CONFLICTS))
        self.enrol_action.setText(_(ENROL))
        for page in self._screens.values():
            page.retranslate(catalog)  # type: ignore[attr-defined]

    @property
    def first_run(self) -> FirstRunScreen:
        if Screen.FIRST_RUN not in self._screens:
            from intake_app.ui.first_run import FirstRunScreen

            self._add_page(Screen.FIRST_RUN, FirstRunScreen(self._catalog))
        return self._screens[Screen.FIRST_RUN]  # type: ignore[return-value]

    @property
    def workspace(self) -> Workspace:
        if Screen.WORKSPACE not in self._screens:
            from intake_app.ui.workspace import Workspace

            self._add_page(Screen.WORKSPACE, Workspace(self._catalog))
        return self._screens[Screen.WORKSPACE]  # type: ignore[return-value]

    @property
    def wizard(self) -> IntakeWizard:
        if Screen.INTAKE not in self._screens:
            from intake_app.ui.intake.wizard import IntakeWizard

            self._add_page(Screen.INTAKE, IntakeWizard(self._catalog))
        return self._screens[Screen.INTAKE]  # type: ignore[return-value]

    @property
    def plan_step(self) -> PlanStep:
        if Screen.PLAN not in self._screens:
            from intake_app.ui.plan.step import PlanStep

            self._add_page(Screen.PLAN, PlanStep(self._catalog))
        return self._screens[Screen.PLAN]  # type: ignore[return-value]

    def has_screen(self, screen: Screen) -> bool:
        return screen in self._screens

    def _add_page(self, screen: Screen, widget: QWidget) -> None:
        self._screens[screen] = widget
        self.stack.addWidget(widget)
        self.page_created.emit(screen)

    def show_screen(self, screen: Screen) -> None:
        page = {
            Screen.FIRST_RUN: lambda: self.first_run,
            Screen.WORKSPACE: lambda: self.workspace,
            Screen.INTAKE: lambda: self.wizard,
            Screen.PLAN: lambda: self.plan_step,
        }.get(screen, lambda: self._screens[screen])()
        self.stack.setCurrentWidget(page)
        unlocked = screen in (Screen.WORKSPACE, Screen.INTAKE, Screen.PLAN)
        self.new_case_action.setEnabled(unlocked)
        self.plan_action.setEnabled(screen in (Screen.WORKSPACE, Screen.INTAKE))
        self.lock_action.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)
        if not unlocked:
            self.officer_label.clear()

    def current_screen(self) -> Screen:
        current = self.stack.currentWidget()
        return next(s for s, w in self._screens.items() if w is current)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()  # the controller locks (and backs up) before the window goes
        super().closeEvent(event)
