"""One editor widget per question kind. Editors turn typing into values; the engine judges them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.forms import AnswerValue, Question, QuestionKind
from intake_app.forms.input_format import (
    format_date,
    format_decimal,
    parse_date,
    parse_decimal,
    parse_integer,
)
from intake_app.i18n import N_, Catalog

CHOOSE = N_("— kies —")
DATE_PLACEHOLDER = N_("dd-mm-jjjj")
# Typing is saved this long after the last key, so a crash mid-sentence loses at most that much.
TYPING_SAVE_DELAY_MS = 700
RADIO_LIMIT = 5  # more choices than this: a drop-down list, which is quicker with the keyboard


class Editor(QObject):
    """The contract between a question row and its input widget."""

    edited = Signal()  # the officer changed the value (typing pauses count too)
    advance_requested = Signal()  # a key inside the editor asks to move on (Tab in a long text)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget

    def value(self) -> AnswerValue | None:
        raise NotImplementedError

    def set_value(self, value: AnswerValue | None) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self.widget

    def commit(self) -> None:
        """Report the current value now (Enter pressed), unless it was reported already."""

    def retranslate(self, catalog: Catalog) -> None:
        pass


class _LineEditor(Editor):
    def __init__(
        self, parse: Callable[[str], AnswerValue], show: Callable[[AnswerValue | None], str],
        placeholder: str = "",
    ) -> None:
        self.edit = QLineEdit()
        self.edit.setMinimumWidth(420)
        super().__init__(self.edit)
        self._parse = parse
        self._show = show
        self._placeholder = placeholder
        self._last_emitted: str | None = None
        self._typing = QTimer(self, singleShot=True, interval=TYPING_SAVE_DELAY_MS)
        self._typing.timeout.connect(self._emit_if_changed)
        self.edit.textEdited.connect(lambda _text: self._typing.start())
        self.edit.editingFinished.connect(self._emit_if_changed)

    def commit(self) -> None:
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        self._typing.stop()
        if self.edit.text() != self._last_emitted:
            self._last_emitted = self.edit.text()
            self.edited.emit()

    def value(self) -> AnswerValue | None:
        text = self.edit.text()
        return self._parse(text) if text.strip() else None

    def set_value(self, value: AnswerValue | None) -> None:
        text = self._show(value)
        self._last_emitted = text
        if self.edit.text() != text:
            self.edit.setText(text)

    def retranslate(self, catalog: Catalog) -> None:
        if self._placeholder:
            self.edit.setPlaceholderText(catalog.gettext(self._placeholder))


class _PlainTextEdit(QPlainTextEdit):
    """Enter makes a new line here, so Tab moves on, as it does everywhere else."""

    focus_left = Signal()
    tab_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Tab and not event.modifiers():
            self.tab_pressed.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_left.emit()


class _LongTextEditor(Editor):
    def __init__(self) -> None:
        self.edit = _PlainTextEdit()
        self.edit.setMaximumHeight(90)
        self.edit.setMinimumWidth(420)
        super().__init__(self.edit)
        self._last_emitted: str | None = None
        self._typing = QTimer(self, singleShot=True, interval=TYPING_SAVE_DELAY_MS)
        self._typing.timeout.connect(self._emit_if_changed)
        self.edit.textChanged.connect(self._typing.start)
        self.edit.focus_left.connect(self._emit_if_changed)
        self.edit.tab_pressed.connect(self.advance_requested)

    def commit(self) -> None:
        self._emit_if_changed()

    def _emit_if_changed(self) -> None:
        self._typing.stop()
        if self.edit.toPlainText() != self._last_emitted:
            self._last_emitted = self.edit.toPlainText()
            self.edited.emit()

    def value(self) -> AnswerValue | None:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: AnswerValue | None) -> None:
        text = "" if value is None else str(value)
        self._last_emitted = text
        if self.edit.toPlainText() != text:
            self.edit.blockSignals(True)
            self.edit.setPlainText(text)
            self.edit.blockSignals(False)


class _RadioEditor(Editor):
    """Few choices: radio buttons; arrow keys move between them, Tab leaves the group."""

    def __init__(
        self, values: list[str], labels: list[str], to_value: Callable[[str], AnswerValue],
        contexts: list[str] | None = None,
    ) -> None:
        box = QWidget()
        super().__init__(box)
        self._values = values
        self._labels = labels
        self._contexts = contexts
        self._to_value = to_value
        # Short answers side by side (Ja / Nee / Onbekend); longer ones under each other, never cut off.
        layout: QHBoxLayout | QVBoxLayout = (
            QHBoxLayout(box) if sum(len(label) for label in labels) <= 40 else QVBoxLayout(box)
        )
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2 if isinstance(layout, QVBoxLayout) else 12)
        self.group = QButtonGroup(box)
        self.buttons: list[QRadioButton] = []
        for index in range(len(values)):
            button = QRadioButton()
            self.group.addButton(button, index)
            layout.addWidget(button)
            self.buttons.append(button)
        layout.addStretch(1)
        self.group.idClicked.connect(lambda _id: self.edited.emit())

    def value(self) -> AnswerValue | None:
        index = self.group.checkedId()
        return None if index < 0 else self._to_value(self._values[index])

    def set_value(self, value: AnswerValue | None) -> None:
        text = None if value is None else str(value)
        self.group.setExclusive(False)
        for button, choice in zip(self.buttons, self._values, strict=True):
            button.setChecked(choice == text)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        checked = self.group.checkedButton()
        return checked if checked is not None else self.buttons[0]

    def retranslate(self, catalog: Catalog) -> None:
        for index, (button, label) in enumerate(zip(self.buttons, self._labels, strict=True)):
            button.setText(_translate(catalog, self._contexts, index, label))


class _ComboEditor(Editor):
    def __init__(self, values: list[str], labels: list[str], contexts: list[str]) -> None:
        self.combo = QComboBox()
        super().__init__(self.combo)
        self._values = values
        self._labels = labels
        self._contexts = contexts
        self.combo.addItem("", None)
        for value in values:
            self.combo.addItem("", value)
        self.combo.activated.connect(lambda _index: self.edited.emit())

    def value(self) -> AnswerValue | None:
        data = self.combo.currentData()
        return None if data is None else str(data)

    def set_value(self, value: AnswerValue | None) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(0, index))

    def retranslate(self, catalog: Catalog) -> None:
        self.combo.setItemText(0, catalog.gettext(CHOOSE))
        for index, label in enumerate(self._labels):
            self.combo.setItemText(index + 1, _translate(catalog, self._contexts, index, label))


class _CheckEditor(Editor):
    def __init__(self, values: list[str], labels: list[str], contexts: list[str]) -> None:
        box = QWidget()
        super().__init__(box)
        self._values = values
        self._labels = labels
        self._contexts = contexts
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.boxes: list[QCheckBox] = []
        for _value in values:
            check = QCheckBox()
            check.toggled.connect(lambda _on: self.edited.emit())
            layout.addWidget(check)
            self.boxes.append(check)

    def value(self) -> AnswerValue | None:
        chosen = [v for v, box in zip(self._values, self.boxes, strict=True) if box.isChecked()]
        return chosen or None

    def set_value(self, value: AnswerValue | None) -> None:
        chosen = set(value) if isinstance(value, list) else set()
        for choice, box in zip(self._values, self.boxes, strict=True):
            box.blockSignals(True)
            box.setChecked(choice in chosen)
            box.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.boxes[0]

    def retranslate(self, catalog: Catalog) -> None:
        for index, (box, label) in enumerate(zip(self.boxes, self._labels, strict=True)):
            box.setText(_translate(catalog, self._contexts, index, label))


def _translate(catalog: Catalog, contexts: list[str] | None, index: int, label: str) -> str:
    """Choice labels are looked up by their stable id (``question/value``) as the templates store them."""
    return catalog.pgettext(contexts[index], label) if contexts else catalog.gettext(label)


def make_editor(question: Question) -> Editor | None:
    """The editor for a question, or None for kinds the officer does not answer."""
    kind = question.kind
    if kind is QuestionKind.TEXT:
        return _LineEditor(lambda text: text.strip(), lambda v: "" if v is None else str(v))
    if kind is QuestionKind.LONG_TEXT:
        return _LongTextEditor()
    if kind is QuestionKind.INTEGER:
        return _LineEditor(parse_integer, lambda v: "" if v is None else str(v))
    if kind is QuestionKind.DECIMAL:
        return _LineEditor(parse_decimal, format_decimal)
    if kind is QuestionKind.DATE:
        return _LineEditor(parse_date, format_date, DATE_PLACEHOLDER)
    if kind is QuestionKind.SCALE:
        low = int(question.rules.minimum if question.rules.minimum is not None else 1)
        high = int(question.rules.maximum if question.rules.maximum is not None else 5)
        values = [str(n) for n in range(low, high + 1)]
        return _RadioEditor(values, values, int)
    values = [c.value for c in question.options]
    labels = [c.label for c in question.options]
    contexts = [f"{question.id}/{c.value}" for c in question.options]  # msgctxt of each choice
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO_UNKNOWN):
        if len(values) <= RADIO_LIMIT:
            return _RadioEditor(values, labels, str, contexts)
        return _ComboEditor(values, labels, contexts)
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return _CheckEditor(values, labels, contexts)
    return None


__all__ = ["Editor", "make_editor"]
