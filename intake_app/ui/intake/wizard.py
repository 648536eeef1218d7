"""The wizard: domains in a sidebar with progress, the current domain's page, and navigation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from intake_app.forms import Domain
from intake_app.i18n import N_, NP_, Catalog
from intake_app.i18n.languages import CLIENT_LANGUAGES, language_name
from intake_app.ui.intake.page import DomainPage

BACK = N_("← &Vorige")
NEXT = N_("&Volgende →")
MISSING = N_("Nog &ontbrekend")
FINISH = N_("Intake &afronden")
TO_CASES = N_("← Dossiers")
PROGRESS = N_("{title} — {percent}%")
SAVED_AT = N_("Opgeslagen om {time}")
NOT_SAVED = N_("Niet opgeslagen: {reason}")
CLIENT_LANGUAGE = N_("&Taal cliënt:")
CONFLICTS = NP_("⚠ {count} conflict", "⚠ {count} conflicten")
CONFLICTS_TIP = N_("Dit dossier is ook op een andere laptop gewijzigd: de conflicten bekijken en oplossen")


class IntakeWizard(QWidget):
    domain_chosen = Signal(str)
    next_requested = Signal()
    back_requested = Signal()
    missing_requested = Signal()
    finish_requested = Signal()
    close_requested = Signal()
    client_language_chosen = Signal(str)
    conflicts_requested = Signal()  # the conflict marker: this case's open sync conflicts

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeWizard")
        self._catalog = catalog
        self.sidebar = QListWidget(objectName="domainList")
        self.sidebar.setMinimumWidth(230)
        self.sidebar.setMaximumWidth(300)
        self.sidebar.itemActivated.connect(self._on_sidebar_item_activated)
        self.sidebar.itemClicked.connect(self._on_sidebar_item_activated)
        self.case_title = QLabel(objectName="caseTitle")
        self.saved_label = QLabel(objectName="savedIndicator")
        self.conflict_button = QPushButton(objectName="caseConflicts")
        self.conflict_button.setStyleSheet(
            "QPushButton { color: #9a3412; background: #fff7ed; border: 1px solid #fdba74; font-weight: 600; }"
        )
        self.conflict_button.hide()
        self._conflicts = 0
        self.language_label = QLabel()
        self.language_combo = QComboBox(objectName="clientLanguage")
        for locale in CLIENT_LANGUAGES:
            self.language_combo.addItem(language_name(locale), locale)
        self.language_label.setBuddy(self.language_combo)
        self.language_combo.activated.connect(
            lambda index: self.client_language_chosen.emit(self.language_combo.itemData(index))
        )
        self.pages = QStackedWidget(objectName="pages")
        self.back_button = QPushButton(objectName="backButton")
        self.next_button = QPushButton(objectName="nextButton")
        self.missing_button = QPushButton(objectName="missingButton")
        self.finish_button = QPushButton(objectName="finishButton")
        self.close_button = QPushButton(objectName="toCasesButton")
        for button in (self.back_button, self.next_button, self.missing_button, self.finish_button, self.close_button,
                       self.conflict_button):
            button.setAutoDefault(False)
        self.back_button.clicked.connect(self.back_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.missing_button.clicked.connect(self.missing_requested)
        self.finish_button.clicked.connect(self.finish_requested)
        self.close_button.clicked.connect(self.close_requested)
        self.conflict_button.clicked.connect(self.conflicts_requested)

        header = QHBoxLayout()
        header.addWidget(self.close_button)
        header.addWidget(self.case_title, 1)
        header.addWidget(self.conflict_button)
        header.addWidget(self.saved_label)
        header.addSpacing(16)
        header.addWidget(self.language_label)
        header.addWidget(self.language_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.missing_button)
        buttons.addWidget(self.finish_button)
        buttons.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addLayout(header)
        right.addWidget(self.pages, 1)
        right.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.addWidget(self.sidebar)
        layout.addLayout(right, 1)

        # Keyboard: Ctrl+PgDown/PgUp for the next/previous domain, Ctrl+1..9 to jump.
        QShortcut(QKeySequence("Ctrl+PgDown"), self, self.next_requested.emit)
        QShortcut(QKeySequence("Ctrl+PgUp"), self, self.back_requested.emit)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.next_requested.emit)
        QShortcut(QKeySequence("Ctrl+Shift+M"), self, self.missing_requested.emit)
        QShortcut(QKeySequence("Ctrl+Shift+A"), self, self._on_finish_shortcut)
        for number in range(1, 10):
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda n=number: self._jump(n - 1))
        self._domains: list[Domain] = []
        self._page_of: dict[str, DomainPage] = {}
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        self.back_button.setText(_(BACK))
        self.next_button.setText(_(NEXT))
        self.missing_button.setText(_(MISSING))
        self.finish_button.setText(_(FINISH))
        self.close_button.setText(_(TO_CASES))
        self.language_label.setText(_(CLIENT_LANGUAGE))
        for button, keys in ((self.back_button, "Ctrl+PgUp"), (self.next_button, "Ctrl+PgDown / Ctrl+Enter"),
                             (self.missing_button, "Ctrl+Shift+M"), (self.finish_button, "Ctrl+Shift+A")):
            button.setToolTip(keys)
        for page in self._page_of.values():
            page.retranslate(catalog)
        self.set_conflicts(self._conflicts)

    # -- content, set by the controller ----------------------------------------------------------

    def set_domains(self, domains: list[Domain]) -> None:
        self._domains = list(domains)
        self.sidebar.clear()
        for domain in domains:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, domain.id)
            self.sidebar.addItem(item)

    def set_progress(self, progress: dict[str, int], visible: set[str]) -> None:
        _ = self._catalog.gettext
        for row, domain in enumerate(self._domains):
            item = self.sidebar.item(row)
            title = self._catalog.pgettext(f"domain:{domain.id}", domain.title)
            item.setText(_(PROGRESS).format(title=title, percent=progress.get(domain.id, 0)))
            item.setHidden(domain.id not in visible)

    def add_page(self, page: DomainPage) -> None:
        self._page_of[page.domain.id] = page
        self.pages.addWidget(page)

    def page(self, domain_id: str) -> DomainPage | None:
        return self._page_of.get(domain_id)

    def show_page(self, domain_id: str) -> None:
        page = self._page_of[domain_id]
        self.pages.setCurrentWidget(page)
        for row in range(self.sidebar.count()):
            item = self.sidebar.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == domain_id:
                self.sidebar.setCurrentRow(row)

    def current_page(self) -> DomainPage | None:
        widget = self.pages.currentWidget()
        return widget if isinstance(widget, DomainPage) else None

    def clear(self) -> None:
        """Lock or close: drop every page (and with it every answer shown)."""
        for page in self._page_of.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._page_of.clear()
        self.sidebar.clear()
        self._domains = []
        self.case_title.clear()
        self.saved_label.clear()
        self.set_conflicts(0)

    def set_conflicts(self, count: int, catalog: Catalog | None = None) -> None:
        """Show (count > 0) or hide the marker for this case's open sync conflicts."""
        catalog = catalog or self._catalog
        self._conflicts = count
        self.conflict_button.setText(catalog.ngettext(*CONFLICTS, count).format(count=count))
        self.conflict_button.setToolTip(catalog.gettext(CONFLICTS_TIP))
        self.conflict_button.setVisible(count > 0)

    def set_client_language(self, locale: str) -> None:
        index = self.language_combo.findData(locale)
        self.language_combo.setCurrentIndex(max(0, index))

    def show_saved(self, time_text: str) -> None:
        self.saved_label.setText(self._catalog.gettext(SAVED_AT).format(time=time_text))

    def show_not_saved(self, reason: str) -> None:
        self.saved_label.setText(self._catalog.gettext(NOT_SAVED).format(reason=reason))

    def _on_finish_shortcut(self) -> None:
        if self.finish_button.isEnabled():
            self.finish_requested.emit()
        else:
            self.missing_requested.emit()  # say what is missing instead of doing nothing

    def _jump(self, index: int) -> None:
        visible = [d for row, d in enumerate(self._domains) if not self.sidebar.item(row).isHidden()]
        if 0 <= index < len(visible):
            self.domain_chosen.emit(visible[index].id)

    def _on_sidebar_item_activated(self, item: QListWidgetItem) -> None:
        self.domain_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
