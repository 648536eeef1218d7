"""A question on a page: label, editor, officer help and the engine's validation message."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from intake_app.forms import AnswerKey, AnswerValue, Question, QuestionKind
from intake_app.i18n import N_, Catalog
from intake_app.ui.intake.editors import Editor, make_editor

REQUIRED_MARK = " *"
SPECIAL_CATEGORY = N_("Bijzonder persoonsgegeven (gezondheid): vraag alleen wat nodig is voor de route.")


class QuestionRow(QFrame):
    """Emits ``edited(key, value)`` when the officer changes the answer."""

    edited = Signal(object, object)
    advance_requested = Signal(object)  # Enter in a one-line field: on to the next question

    def __init__(self, question: Question, key: AnswerKey, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionRow")
        self.question = question
        self.key = key
        self.label = QLabel(wordWrap=True, objectName="questionLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.help = QLabel(wordWrap=True, objectName="questionHelp")
        self.message = QLabel(wordWrap=True, objectName="validationMessage")
        self.message.hide()
        self.computed = QLabel(objectName="computedValue")
        self.editor: Editor | None = make_editor(question)
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setColumnStretch(1, 1)
        layout.setColumnMinimumWidth(0, 260)
        layout.addWidget(self.label, 0, 0, Qt.AlignmentFlag.AlignTop)
        if self.editor is not None:
            self.editor.widget.setMaximumWidth(560)  # long lines are hard to read across a wide screen
            layout.addWidget(self.editor.widget, 0, 1, Qt.AlignmentFlag.AlignLeft)
            self.label.setBuddy(self.editor.focus_target())
            self.editor.edited.connect(self._on_editor_edited)
            self.editor.advance_requested.connect(self._advance)
        elif question.kind is QuestionKind.COMPUTED:
            layout.addWidget(self.computed, 0, 1)
        if question.kind is QuestionKind.NOTE:
            self.label.setObjectName("noteText")
            layout.addWidget(self.label, 0, 0, 1, 2)
        layout.addWidget(self.help, 1, 1)
        layout.addWidget(self.message, 2, 1)
        self.retranslate(catalog)

    def retranslate(self, catalog: Catalog) -> None:
        by_id = self.question.id  # questionnaire texts are looked up by their stable id (msgctxt)
        text = catalog.pgettext(by_id, self.question.label)
        if self.question.required and self.question.kind is not QuestionKind.NOTE:
            text += REQUIRED_MARK
        self.label.setText(text)
        self.help.setText(catalog.pgettext(by_id, self.question.help) if self.question.help else "")
        self.help.setVisible(bool(self.question.help))
        if self.editor is not None:
            self.editor.retranslate(catalog)

    def set_value(self, value: AnswerValue | None) -> None:
        if self.editor is not None:
            self.editor.set_value(value)
        elif self.question.kind is QuestionKind.COMPUTED:
            self.computed.setText("" if value is None else str(value))

    def value(self) -> AnswerValue | None:
        return None if self.editor is None else self.editor.value()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.setProperty("invalid", bool(text))
        self.style().unpolish(self)
        self.style().polish(self)

    def focus(self) -> None:
        if self.editor is not None:
            self.editor.focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def accepts_focus(self) -> bool:
        return self.editor is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Fields ignore Enter, so it bubbles up to the row: no per-widget event filters, which
        # would put every show/hide/paint event of every field through Python.
        modifiers = event.modifiers()
        plain = not modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.editor is not None:
            self._advance()
            return
        super().keyPressEvent(event)

    def _advance(self) -> None:
        if self.editor is not None:
            self.editor.commit()  # confirm the value at once
        self.advance_requested.emit(self.key)

    def _on_editor_edited(self) -> None:
        assert self.editor is not None
        self.edited.emit(self.key, self.editor.value())
