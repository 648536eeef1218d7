"""The plan step's widgets. It shows what the controller gives it; it decides nothing itself.

Left: the advice with its reasons and why each other route was not proposed, the decision (route,
motivation, dagtekening, school, municipality; the amendment reason once the plan is fixed), the
deadlines and the versions. Right: page 1 of the PDF and the language of the copy. At the bottom:
"Concept opslaan" (Ctrl+S), "Vaststellen", "Exporteren…" (Ctrl+E). Every field has a mnemonic.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from intake_app.i18n import N_, Catalog
from intake_app.i18n.languages import CLIENT_LANGUAGES, language_name
from intake_app.plan import AmendmentReason, Route
from intake_app.plan.amendments import StepDownEvidence

TITLE = N_("Plan (PIP)")
TO_CASES = N_("← Dossiers")
TO_INTAKE = N_("← &Intake")
ADVICE = N_("Advies")
REASONS = N_("Waarom dit advies")
WHY_NOT = N_("Waarom niet de {route}")
DECISION = N_("Besluit")
ROUTE = N_("&Route:")
ADVISED = N_("{route} (advies)")
MOTIVATION = N_("&Motivering:")
MOTIVATION_HINT = N_("Verplicht als u afwijkt van het advies: ten minste 8 woorden.")
AMENDMENT = N_("Reden &wijziging:")
HOURS_FOLLOWED = N_("Gevolgde les&uren:")
EFFORT = N_("Aangetoonde &inzet:")
EFFORT_HINT = N_("Waaruit blijkt de inzet? Bijvoorbeeld aanwezigheid, examenpogingen, extra begeleiding.")
CHOOSE = N_("— kies een wettelijke reden —")
DAGTEKENING = N_("&Dagtekening:")
PROVIDER = N_("&Taalschool:")
MUNICIPALITY = N_("&Gemeente:")
DEADLINES = N_("Termijnen")
PIP_DUE = N_("PIP-termijn")
TERM_END = N_("Einde inburgeringstermijn")
ROUTE_SWITCH = N_("Laatste dag routewissel")
ONTZORGEN_REVIEW = N_("Evaluatie ontzorgen")
UNKNOWN = N_("nog onbekend")
VERSIONS = N_("Versies")
NO_VERSIONS = N_("Nog geen versie opgeslagen.")
PREVIEW = N_("Voorbeeld")
PREVIEW_LANGUAGE = N_("Voorbeeld in ta&al:")
PAGE_COUNT = N_("Pagina 1 van {pages} — concept zoals het zou worden afgedrukt; nog niet opgeslagen.")
SAVE_CONCEPT = N_("&Concept opslaan")
FIX = N_("&Vaststellen")
EXPORT = N_("&Exporteren…")


class PlanStep(QWidget):
    back_requested = Signal()
    intake_requested = Signal()
    inputs_changed = Signal()
    language_chosen = Signal(str)
    save_requested = Signal(bool)  # True: vaststellen
    export_requested = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planStep")
        self._catalog = catalog
        self._route_texts: dict[Route, str] = {}
        self.back_button = QPushButton(objectName="toCasesButton", autoDefault=False)
        self.intake_button = QPushButton(objectName="toIntakeButton", autoDefault=False)
        self.case_title = QLabel(objectName="caseTitle")
        self.title = QLabel(objectName="pageTitle")
        self.back_button.clicked.connect(self.back_requested)
        self.intake_button.clicked.connect(self.intake_requested)

        # -- advice ------------------------------------------------------------------------------
        self.advice_box = QGroupBox(objectName="adviceBox")
        self.advice_status = QLabel(objectName="adviceStatus", wordWrap=True)
        self.advice_problem = QLabel(objectName="validationMessage", wordWrap=True)
        self.reasons_title = QLabel(objectName="groupTitle")
        self.reasons = QLabel(objectName="adviceReasons", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.why_not = QLabel(objectName="whyNot", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        for label in (self.advice_status, self.reasons, self.why_not):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        advice_layout = QVBoxLayout(self.advice_box)
        for widget in (self.advice_status, self.advice_problem, self.reasons_title, self.reasons, self.why_not):
            advice_layout.addWidget(widget)

        # -- decision ----------------------------------------------------------------------------
        self.decision_box = QGroupBox(objectName="decisionBox")
        self.route_label = QLabel()
        self.route_group = QButtonGroup(self)
        self.route_buttons: dict[Route, QRadioButton] = {}
        routes = QHBoxLayout()
        for route in Route:
            button = QRadioButton(objectName=f"route_{route.value}")
            self.route_group.addButton(button)
            self.route_buttons[route] = button
            routes.addWidget(button)
            button.toggled.connect(self._on_route_toggled)
        routes.addStretch(1)
        self.route_label.setBuddy(self.route_buttons[Route.B1])
        self.motivation_label = QLabel()
        self.motivation = QPlainTextEdit(objectName="motivation", tabChangesFocus=True)
        self.motivation.setFixedHeight(70)
        self.motivation.textChanged.connect(self.inputs_changed)
        self.motivation_label.setBuddy(self.motivation)
        self.amendment_label = QLabel()
        self.amendment = QComboBox(objectName="amendmentReason")
        self.amendment.activated.connect(lambda _index: self.inputs_changed.emit())
        self.amendment_label.setBuddy(self.amendment)
        # Stepping down to A2 rests on evidence: hours followed and the effort shown (shown only then).
        self.hours_label = QLabel()
        self.hours_followed = QSpinBox(objectName="courseHoursFollowed", maximum=5000)
        self.hours_followed.valueChanged.connect(lambda _value: self.inputs_changed.emit())
        self.hours_label.setBuddy(self.hours_followed)
        self.effort_label = QLabel()
        self.effort = QLineEdit(objectName="effortDescription")
        self.effort.editingFinished.connect(self.inputs_changed)
        self.effort_label.setBuddy(self.effort)
        self.amendment.activated.connect(lambda _index: self._show_step_down_fields())
        self.dagtekening_label = QLabel()
        self.dagtekening = QDateEdit(objectName="dagtekening", calendarPopup=True)
        self.dagtekening.setDisplayFormat("dd-MM-yyyy")
        self.dagtekening.dateChanged.connect(lambda _date: self.inputs_changed.emit())
        self.dagtekening_label.setBuddy(self.dagtekening)
        self.provider_label = QLabel()
        self.provider = QLineEdit(objectName="provider")
        self.provider.editingFinished.connect(self.inputs_changed)
        self.provider_label.setBuddy(self.provider)
        self.municipality_label = QLabel()
        self.municipality = QLineEdit(objectName="municipality")
        self.municipality.editingFinished.connect(self.inputs_changed)
        self.municipality_label.setBuddy(self.municipality)
        self.message = QLabel(objectName="validationMessage", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(objectName="savedIndicator", wordWrap=True)
        form = QFormLayout(self.decision_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.route_label, routes)
        form.addRow(self.motivation_label, self.motivation)
        form.addRow(self.message)  # right under the fields it is about, never below the fold
        form.addRow(self.amendment_label, self.amendment)
        form.addRow(self.hours_label, self.hours_followed)
        form.addRow(self.effort_label, self.effort)
        form.addRow(self.dagtekening_label, self.dagtekening)
        form.addRow(self.provider_label, self.provider)
        form.addRow(self.municipality_label, self.municipality)
        self._decision_form = form

        # -- deadlines and versions ---------------------------------------------------------------
        self.deadlines_box = QGroupBox(objectName="deadlinesBox")
        self.deadlines = QFormLayout(self.deadlines_box)
        self.deadline_values = {key: QLabel(objectName=f"deadline_{key}") for key in
                                ("pip_due", "term_end", "route_switch", "ontzorgen_review")}
        self._deadline_labels = {key: QLabel() for key in self.deadline_values}
        for key, value in self.deadline_values.items():
            self.deadlines.addRow(self._deadline_labels[key], value)
        self.versions_box = QGroupBox(objectName="versionsBox")
        self.versions = QListWidget(objectName="versionList")
        self.versions.setMaximumHeight(110)
        QVBoxLayout(self.versions_box).addWidget(self.versions)

        left_body = QWidget(objectName="pageBody")
        left = QVBoxLayout(left_body)
        for box in (self.advice_box, self.decision_box, self.versions_box):
            left.addWidget(box)
        left.addStretch(1)
        self.left_scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.left_scroll.setWidget(left_body)

        # -- preview -----------------------------------------------------------------------------
        self.preview_box = QGroupBox(objectName="previewBox")
        self.language_label = QLabel()
        self.language = QComboBox(objectName="previewLanguage")
        for locale in CLIENT_LANGUAGES:
            self.language.addItem(language_name(locale), locale)
        self.language.activated.connect(lambda index: self.language_chosen.emit(self.language.itemData(index)))
        self.language_label.setBuddy(self.language)
        self.preview = QLabel(objectName="previewPage", alignment=Qt.AlignmentFlag.AlignHCenter)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview.setStyleSheet("background: white; border: 1px solid #d8dce3;")
        self.preview_scroll = QScrollArea(widgetResizable=True, objectName="previewScroll")
        self.preview_scroll.setWidget(self.preview)
        self.preview_info = QLabel(objectName="questionHelp", wordWrap=True)
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.deadlines_box)
        right_layout.addWidget(self.preview_box, 1)
        preview_layout = QVBoxLayout(self.preview_box)
        preview_layout.addLayout(language_row)
        preview_layout.addWidget(self.preview_scroll, 1)
        preview_layout.addWidget(self.preview_info)

        splitter = QSplitter(Qt.Orientation.Horizontal, childrenCollapsible=False)
        splitter.addWidget(self.left_scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 520])

        # -- actions -----------------------------------------------------------------------------
        self.save_button = QPushButton(objectName="saveConceptButton", autoDefault=False)
        self.fix_button = QPushButton(objectName="fixButton", autoDefault=False)
        self.export_button = QPushButton(objectName="exportButton", autoDefault=False)
        self.save_button.clicked.connect(lambda: self.save_requested.emit(False))
        self.fix_button.clicked.connect(lambda: self.save_requested.emit(True))
        self.export_button.clicked.connect(self.export_requested)
        QShortcut(QKeySequence("Ctrl+S"), self, lambda: self.save_requested.emit(False))
        QShortcut(QKeySequence("Ctrl+E"), self, self.export_requested.emit)

        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.intake_button)
        header.addWidget(self.title)
        header.addWidget(self.case_title, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.save_button, self.fix_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.route_buttons[Route.Z], self.motivation)
        self.retranslate(catalog)

    # -- language ----------------------------------------------------------------------------------

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        self.title.setText(_(TITLE))
        self.back_button.setText(_(TO_CASES))
        self.intake_button.setText(_(TO_INTAKE))
        self.advice_box.setTitle(_(ADVICE))
        self.reasons_title.setText(_(REASONS))
        self.decision_box.setTitle(_(DECISION))
        self.route_label.setText(_(ROUTE))
        self.motivation_label.setText(_(MOTIVATION))
        self.motivation.setPlaceholderText(_(MOTIVATION_HINT))
        self.amendment_label.setText(_(AMENDMENT))
        self.hours_label.setText(_(HOURS_FOLLOWED))
        self.effort_label.setText(_(EFFORT))
        self.effort.setPlaceholderText(_(EFFORT_HINT))
        self.dagtekening_label.setText(_(DAGTEKENING))
        self.provider_label.setText(_(PROVIDER))
        self.municipality_label.setText(_(MUNICIPALITY))
        self.deadlines_box.setTitle(_(DEADLINES))
        for key, text in (("pip_due", PIP_DUE), ("term_end", TERM_END), ("route_switch", ROUTE_SWITCH),
                          ("ontzorgen_review", ONTZORGEN_REVIEW)):
            self._deadline_labels[key].setText(_(text))
        self.versions_box.setTitle(_(VERSIONS))
        self.preview_box.setTitle(_(PREVIEW))
        self.language_label.setText(_(PREVIEW_LANGUAGE))
        self.save_button.setText(_(SAVE_CONCEPT))
        self.fix_button.setText(_(FIX))
        self.export_button.setText(_(EXPORT))
        self.save_button.setToolTip("Ctrl+S")
        self.export_button.setToolTip("Ctrl+E")
        self.set_amendment_reasons(self.amendment.isVisible() or self.amendment.count() > 0)
        self._label_routes()

    # -- content, set by the controller ----------------------------------------------------------

    def set_advice(self, status: str, reasons: Sequence[str], why_not: Sequence[tuple[str, Sequence[str]]],
                   problem: str = "") -> None:
        self.advice_status.setText(status)
        self.advice_problem.setText(problem)
        self.advice_problem.setVisible(bool(problem))
        self.reasons_title.setVisible(bool(reasons))
        self.reasons.setText(_bullets(reasons))
        self.reasons.setVisible(bool(reasons))
        parts = [f"<b>{_escape(self._catalog.gettext(WHY_NOT).format(route=route))}</b>{_bullets(items)}"
                 for route, items in why_not]
        self.why_not.setText("".join(parts))
        self.why_not.setVisible(bool(parts))

    def set_route_labels(self, labels: dict[Route, str]) -> None:
        self._route_texts = dict(labels)
        self._label_routes()

    def _label_routes(self) -> None:
        for route, button in self.route_buttons.items():
            button.setText(self._route_texts.get(route, self._catalog.gettext(route.label)))

    def chosen_route(self) -> Route | None:
        return next((route for route, button in self.route_buttons.items() if button.isChecked()), None)

    def choose_route(self, route: Route | None) -> None:
        self.route_group.setExclusive(route is not None)
        for candidate, button in self.route_buttons.items():
            button.blockSignals(True)
            button.setChecked(candidate is route)
            button.blockSignals(False)
        self.route_group.setExclusive(True)
        self.route_label.setBuddy(self.route_buttons[route or Route.B1])

    def set_amendment_reasons(self, needed: bool) -> None:
        current = self.amendment.currentData()
        self.amendment.clear()
        if needed:
            self.amendment.addItem(self._catalog.gettext(CHOOSE), None)
            for reason in AmendmentReason:
                self.amendment.addItem(self._catalog.gettext(reason.label), reason)
            self.amendment.setCurrentIndex(max(0, self.amendment.findData(current)))
        for widget in (self.amendment_label, self.amendment):
            widget.setVisible(needed)
        self._show_step_down_fields()

    def amendment_reason(self) -> AmendmentReason | None:
        data = self.amendment.currentData()
        return data if isinstance(data, AmendmentReason) else None

    def _show_step_down_fields(self) -> None:
        stepping_down = self.amendment_reason() is AmendmentReason.STEP_DOWN_TO_A2
        for widget in (self.hours_label, self.hours_followed, self.effort_label, self.effort):
            widget.setVisible(stepping_down)

    def step_down_evidence(self) -> StepDownEvidence | None:
        """The evidence for a step-down to A2; the amendment rules judge it, not this widget."""
        if self.amendment_reason() is not AmendmentReason.STEP_DOWN_TO_A2:
            return None
        description = self.effort.text().strip()
        return StepDownEvidence(
            course_hours_followed=self.hours_followed.value(),
            effort_demonstrated=bool(description),
            effort_description=description,
        )

    def set_dagtekening(self, year: int, month: int, day: int) -> None:
        self.dagtekening.blockSignals(True)
        self.dagtekening.setDate(QDate(year, month, day))
        self.dagtekening.blockSignals(False)

    def set_deadlines(self, values: dict[str, str]) -> None:
        for key, label in self.deadline_values.items():
            label.setText(values.get(key) or self._catalog.gettext(UNKNOWN))
            hidden = key == "ontzorgen_review" and key not in values
            label.setVisible(not hidden)
            self._deadline_labels[key].setVisible(not hidden)

    def set_versions(self, rows: Sequence[str]) -> None:
        self.versions.clear()
        self.versions.addItems(list(rows) or [self._catalog.gettext(NO_VERSIONS)])

    def set_preview(self, image: QImage | None, info: str) -> None:
        if image is None:
            self.preview.clear()
        else:
            self.preview.setPixmap(QPixmap.fromImage(image))
        self.preview_info.setText(info)

    def preview_width(self) -> int:
        return max(self.preview_scroll.viewport().width() - 4, 320)

    def set_language(self, locale: str) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(locale)))

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def clear(self) -> None:
        """Lock or close: nothing of the case may stay on screen."""
        self.case_title.clear()
        self.set_advice("", [], [])
        self.motivation.blockSignals(True)
        self.motivation.clear()
        self.motivation.blockSignals(False)
        for edit in (self.provider, self.municipality):
            edit.clear()
        self.set_deadlines({})
        self.versions.clear()
        self.set_preview(None, "")
        self.show_message("")
        self.show_status("")

    def _on_route_toggled(self, checked: bool) -> None:
        if checked:
            self.inputs_changed.emit()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bullets(items: Sequence[str]) -> str:
    if not items:
        return ""
    return "<ul style='margin-top:2px; margin-bottom:6px'>" + "".join(
        f"<li>{_escape(item)}</li>" for item in items) + "</ul>"
