"""'Conflicten oplossen': the same answer changed on two laptops; the officer decides which is right.

Left the open conflicts (case, question, state), right the chosen one: both values with who and
when, and a new value typed in the wizard's own editor (so the questionnaire's validation applies).
Keyboard: arrows in the list, Alt+M / Alt+C / Alt+N pick an option, Enter resolves, Esc closes.
The dialog only shows and asks; the SyncController resolves and hands back the new list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from intake_app.forms import AnswerKey, Form, Interview, ValidationStatus
from intake_app.i18n import N_, Catalog
from intake_app.services.sync_ui_support import ConflictView, Resolution
from intake_app.ui.intake.editors import Editor, make_editor
from intake_app.ui.sync.texts import by_at_text, editable, question_text, value_text

TITLE = N_("Conflicten oplossen")
TITLE_CASE = N_("Conflicten oplossen — {name}")
INTRO = N_(
    "Dezelfde vraag is op twee laptops verschillend beantwoord. Er is niets overschreven: kies per conflict "
    "welke waarde klopt, of typ een nieuwe."
)
NEXT_SYNC = N_(
    "Uw keuze wordt direct op deze laptop bewaard en gaat bij de volgende synchronisatie (F5) naar de server; "
    "daarna krijgt uw collega dezelfde waarde."
)
CASE = N_("Dossier")
QUESTION = N_("Vraag")
STATE = N_("Status")
STATE_OPEN = N_("Open")
STATE_RESOLVING = N_("Opgelost, nog versturen")
LIST_NAME = N_("Lijst met conflicten")
NO_NAME = N_("(nog geen naam)")
MINE = N_("&Mijn waarde")
THEIRS = N_("Waarde van &collega")
NEW = N_("&Nieuwe waarde:")
NOT_EDITABLE = N_("Bij deze vraag kunt u hier geen nieuwe waarde typen; kies een van de twee.")
RESOLVE = N_("&Oplossen")
SYNC_NOW = N_("Nu &synchroniseren")
CLOSE = N_("Sluiten")
RESOLVING_NOTE = N_(
    "Opgelost: ‘{value}’. Dit gaat bij de volgende synchronisatie naar de server; tot dan kunt u uw keuze "
    "nog wijzigen."
)
NONE_LEFT = N_("Alle conflicten zijn opgelost. Synchroniseer (F5) om de keuzes naar de server te sturen.")
NO_CONFLICTS = N_("Er zijn geen conflicten.")
NEW_EMPTY = N_("Typ eerst een nieuwe waarde, of kies een van de twee waarden.")
BUSY = N_("Er loopt een synchronisatie; oplossen kan zodra die klaar is.")
KEYS = N_("Toetsen: pijltjes kiezen een conflict, Alt+M / Alt+C / Alt+N een waarde, Enter lost op, Esc sluit.")

STYLE = """
QLabel#dialogInfo { background: #e0ecff; color: #1e3a8a; padding: 8px; border-radius: 4px; }
QFrame#conflictSide { background: white; border: 1px solid #d8dce3; border-radius: 6px; }
QFrame#conflictSide[chosen="true"] { border: 2px solid #1d4ed8; background: #eff6ff; }
QLabel#conflictValue { font-size: 13pt; font-weight: 600; color: #111827; }
QLabel#conflictWho { color: #4b5563; }
QLabel#conflictCase { font-size: 13pt; font-weight: 600; }
QLabel#conflictQuestion { color: #374151; }
QLabel#conflictNote, QLabel#conflictsDone { background: #ecfdf5; color: #065f46; padding: 6px; border-radius: 4px; }
QLabel#conflictsDone { font-weight: 600; }
QLabel#conflictBusy { background: #fff7ed; color: #9a3412; padding: 6px; border-radius: 4px; }
QLabel#validationMessage { color: #b91c1c; font-weight: 600; }
"""

_CHOICES = (Resolution.LOCAL, Resolution.REMOTE, Resolution.NEW)


def _plain(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    """A label for data: never rich text, whatever a value contains."""
    label = QLabel(objectName=name) if name else QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


class _Side(QFrame):
    """One side of a conflict: its option, the value and who gave it when. A click anywhere chooses it."""

    def __init__(self, button: QRadioButton) -> None:
        super().__init__(objectName="conflictSide")
        self.button = button
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.value = _plain(name="conflictValue")
        self.who = _plain(name="conflictWho")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(button)
        layout.addWidget(self.value)
        layout.addWidget(self.who)
        layout.addStretch(1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.setChecked(True)
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
            return
        super().mousePressEvent(event)

    def set_chosen(self, chosen: bool) -> None:
        self.setProperty("chosen", chosen)
        self.style().unpolish(self)
        self.style().polish(self)


class ConflictDialog(QDialog):
    """``resolve_requested(conflict_id, Resolution, value)``; ``sync_requested()`` for the button."""

    resolve_requested = Signal(int, object, object)
    sync_requested = Signal()

    def __init__(
        self, form: Form, catalog: Catalog, views: Sequence[ConflictView], *, case_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setStyleSheet(STYLE)
        self.form = form
        self._catalog = catalog
        self._views: list[ConflictView] = []
        self._editor: Editor | None = None
        self._busy = False
        _ = catalog.gettext
        title = _(TITLE) if case_name is None else _(TITLE_CASE).format(name=case_name or _(NO_NAME))
        self.setWindowTitle(title)

        heading = _plain(title, "pageTitle")
        intro = _plain(_(INTRO), "dialogInfo")
        self.table = QTableWidget(0, 3, objectName="conflictTable")
        self.table.setHorizontalHeaderLabels([_(CASE), _(QUESTION), _(STATE)])
        self.table.setAccessibleName(_(LIST_NAME))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list, arrows move in it
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)

        self.case_label = _plain(name="conflictCase")
        self.question_label = _plain(name="conflictQuestion")
        self.choice_group = QButtonGroup(self)
        self.mine_button = QRadioButton(_(MINE), objectName="chooseMine")
        self.theirs_button = QRadioButton(_(THEIRS), objectName="chooseTheirs")
        self.new_button = QRadioButton(_(NEW), objectName="chooseNew")
        for index, button in enumerate((self.mine_button, self.theirs_button, self.new_button)):
            self.choice_group.addButton(button, index)
        self.choice_group.idToggled.connect(self._on_choice_toggled)
        self.mine_side = _Side(self.mine_button)
        self.theirs_side = _Side(self.theirs_button)
        self.editor_box = QVBoxLayout()
        self.editor_box.setContentsMargins(24, 0, 0, 0)
        self.not_editable = _plain(_(NOT_EDITABLE), "conflictWho")
        self.validation = _plain(name="validationMessage")
        self.validation.hide()
        self.resolve_button = QPushButton(_(RESOLVE), objectName="resolveConflict")
        self.resolve_button.setAutoDefault(False)
        self.resolve_button.clicked.connect(self._on_resolve_clicked)
        self.note = _plain(name="conflictNote")
        self.note.hide()
        self.busy_note = _plain(_(BUSY), "conflictBusy")
        self.busy_note.hide()
        self.empty_label = _plain(name="emptyHint")  # no conflicts at all
        self.empty_label.hide()
        self.done_label = _plain(_(NONE_LEFT), "conflictsDone")  # all resolved, not yet sent
        self.done_label.hide()
        self.keys_hint = _plain(_(KEYS), "conflictWho")

        sides = QHBoxLayout()
        sides.addWidget(self.mine_side, 1)
        sides.addWidget(self.theirs_side, 1)
        new_row = QGridLayout()
        new_row.addWidget(self.new_button, 0, 0, Qt.AlignmentFlag.AlignTop)
        new_row.addLayout(self.editor_box, 1, 0)
        new_row.addWidget(self.not_editable, 2, 0)
        new_row.addWidget(self.validation, 3, 0)
        resolve_row = QHBoxLayout()
        resolve_row.addWidget(self.resolve_button)
        resolve_row.addStretch(1)
        self.details = QWidget(objectName="conflictDetails")
        details = QVBoxLayout(self.details)
        details.setContentsMargins(0, 0, 0, 0)
        details.addWidget(self.case_label)
        details.addWidget(self.question_label)
        details.addSpacing(6)
        details.addLayout(sides)
        details.addLayout(new_row)
        details.addLayout(resolve_row)
        details.addWidget(self.note)
        details.addWidget(self.done_label)
        details.addWidget(self.busy_note)
        details.addStretch(1)
        details.addWidget(self.keys_hint)

        body = QHBoxLayout()
        body.addWidget(self.table, 5)
        right = QVBoxLayout()
        right.addWidget(self.details)
        right.addWidget(self.empty_label)
        body.addLayout(right, 6)

        self.footer = _plain(_(NEXT_SYNC), "conflictWho")
        self.sync_button = QPushButton(_(SYNC_NOW), objectName="syncFromConflicts")
        self.sync_button.setAutoDefault(False)
        self.sync_button.clicked.connect(self.sync_requested)
        self.close_button = QPushButton(_(CLOSE), objectName="closeConflicts")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.sync_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.table, self.mine_button)
        self.setTabOrder(self.sync_button, self.close_button)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)
        self.finished.connect(self._on_finished)
        self.resolve_button.setDefault(True)  # Enter resolves: set once the button is in the dialog
        self.resize(1180, 640)
        self.set_conflicts(views)

    # -- content -------------------------------------------------------------------------------------

    def set_conflicts(self, views: Sequence[ConflictView], select: int | None = None) -> None:
        """Show these conflicts; select conflict ``select`` (else the first still open)."""
        _ = self._catalog.gettext
        self._views = list(views)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._views))
        for row, view in enumerate(self._views):
            record = view.record
            cells = (
                view.case_name or _(NO_NAME),
                question_text(self.form, record.key, self._catalog, view.answers),
                _(STATE_RESOLVING) if record.resolving else _(STATE_OPEN),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if not self._views:
            self.details.hide()
            self.done_label.hide()
            self.empty_label.setText(_(NO_CONFLICTS))
            self.empty_label.show()
            self.close_button.setFocus()
            return
        first_open = next((i for i, v in enumerate(self._views) if not v.record.resolving), 0)
        row = next((i for i, v in enumerate(self._views) if v.record.conflict_id == select), first_open)
        self.table.blockSignals(True)
        self.table.selectRow(row)
        self.table.blockSignals(False)
        self._show(row)
        self.empty_label.hide()
        self.done_label.setVisible(all(view.record.resolving for view in self._views))

    def view_of(self, conflict_id: int) -> ConflictView | None:
        return next((view for view in self._views if view.record.conflict_id == conflict_id), None)

    def current(self) -> ConflictView | None:
        rows = self.table.selectionModel().selectedRows()
        return self._views[rows[0].row()] if rows and rows[0].row() < len(self._views) else None

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._show(rows[0].row())

    def _show(self, row: int) -> None:
        _ = self._catalog.gettext
        view = self._views[row]
        record = view.record
        self.details.show()
        self.case_label.setText(view.case_name or _(NO_NAME))
        self.question_label.setText(question_text(self.form, record.key, self._catalog, view.answers))
        question_id = record.key[0]
        self.mine_side.value.setText(value_text(self.form, question_id, record.local_value, self._catalog))
        self.mine_side.who.setText(by_at_text(record.local_by, record.local_at, self._catalog))
        self.theirs_side.value.setText(value_text(self.form, question_id, record.remote_value, self._catalog))
        self.theirs_side.who.setText(by_at_text(record.remote_by, record.remote_at, self._catalog))
        self._set_editor(view)
        self.choice_group.setExclusive(False)
        for button in self.choice_group.buttons():
            button.setChecked(False)
        self.choice_group.setExclusive(True)
        self._on_choice_toggled(-1, False)
        self.validation.hide()
        if record.resolving:
            chosen = view.answers.get((record.key[0], record.key[1]))
            self.note.setText(_(RESOLVING_NOTE).format(value=value_text(self.form, question_id, chosen, self._catalog)))
            self.note.show()
        else:
            self.note.hide()

    def _set_editor(self, view: ConflictView) -> None:
        if self._editor is not None:
            self._editor.widget.hide()
            self.editor_box.removeWidget(self._editor.widget)
            self._editor.widget.deleteLater()
            self._editor = None
        question = editable(self.form, view.record.key[0])
        editor = make_editor(question) if question is not None else None
        self.new_button.setEnabled(editor is not None)
        self.not_editable.setVisible(editor is None)
        if editor is None:
            return
        editor.retranslate(self._catalog)
        editor.widget.setMaximumWidth(560)
        start = view.record.local_value if view.record.local_value is not None else view.record.remote_value
        editor.set_value(start)
        editor.edited.connect(self._on_editor_edited)
        self.editor_box.addWidget(editor.widget, 0, Qt.AlignmentFlag.AlignLeft)
        editor.widget.show()  # at once: a layout would only show it on the next event loop turn
        self._editor = editor
        self.setTabOrder(self.new_button, editor.focus_target())
        self.setTabOrder(editor.focus_target(), self.resolve_button)

    # -- choosing ---------------------------------------------------------------------------------------

    def choice(self) -> Resolution | None:
        index = self.choice_group.checkedId()
        return _CHOICES[index] if index >= 0 else None

    def _on_choice_toggled(self, _index: int, _checked: bool) -> None:
        choice = self.choice()
        self.mine_side.set_chosen(choice is Resolution.LOCAL)
        self.theirs_side.set_chosen(choice is Resolution.REMOTE)
        self._update_resolve_button()
        if choice is Resolution.NEW and self._editor is not None and not self._editor_has_focus():
            self._editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _editor_has_focus(self) -> bool:
        focus = QApplication.focusWidget()
        return self._editor is not None and focus is not None and (
            focus is self._editor.widget or self._editor.widget.isAncestorOf(focus)
        )

    def _on_app_focus_changed(self, _old: QWidget | None, _new: QWidget | None) -> None:
        if self._editor_has_focus() and not self.new_button.isChecked():
            self.new_button.setChecked(True)  # typing a new value chooses it

    def _on_editor_edited(self) -> None:
        if not self.new_button.isChecked():
            self.new_button.setChecked(True)
        self._validate()

    def _validate(self) -> Any:
        """The new value if the questionnaire accepts it; otherwise shows why and returns None."""
        view = self.current()
        if view is None or self._editor is None:
            return None
        question = self.form.question(view.record.key[0])
        value = self._editor.value()
        interview = Interview(self.form, {AnswerKey(*key): v for key, v in view.answers.items()})
        result = interview.validate(question, value)
        if value is None:
            message = self._catalog.gettext(NEW_EMPTY)
        elif result.status is ValidationStatus.INVALID:
            message = result.render(self._catalog.gettext)
        else:
            message = ""
        self.validation.setText(message)
        self.validation.setVisible(bool(message))
        return value if not message else None

    def _update_resolve_button(self) -> None:
        self.resolve_button.setEnabled(self.choice() is not None and not self._busy and self.current() is not None)

    def _on_resolve_clicked(self) -> None:
        view = self.current()
        choice = self.choice()
        if view is None or choice is None or self._busy:
            return
        value = None
        if choice is Resolution.NEW:
            if self._editor is not None:
                self._editor.commit()
            value = self._validate()
            if value is None:
                if self._editor is not None:
                    self._editor.focus_target().setFocus()
                return
        self.resolve_requested.emit(view.record.conflict_id, choice, value)

    def after_resolved(self, views: Sequence[ConflictView], resolved_id: int) -> None:
        """The controller's answer: the new list. Moves on to the next open conflict."""
        self.set_conflicts(views)
        open_rows = [row for row, view in enumerate(self._views) if not view.record.resolving]
        if open_rows:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            # Show the one just resolved with its note; the officer can sync or close.
            row = next((i for i, v in enumerate(self._views) if v.record.conflict_id == resolved_id), None)
            if row is not None:
                self.table.selectRow(row)
            self.sync_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_busy(self, busy: bool) -> None:
        """While a sync runs: look, but do not resolve (the list changes when it is done)."""
        self._busy = busy
        self.busy_note.setVisible(busy)
        self.sync_button.setEnabled(not busy)
        self._update_resolve_button()

    def _on_finished(self, _result: int) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._on_app_focus_changed)
