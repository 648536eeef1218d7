"""Drives the intake wizard with the keyboard only, as an officer would, from a profile of answers.

The driver looks at what has focus, types the profile's answer for that question (or a plain valid
default for a required question the profile does not mention), presses Enter and goes on; an add
button gets Enter while the profile wants more entries, Tab otherwise. It never calls the engine or
the vault: everything goes through key presses on real widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from intake_app.forms import Question, QuestionKind
from intake_app.forms.input_format import format_date
from intake_app.ui.intake.page import _AddButton, _GroupSection
from intake_app.ui.intake.rows import QuestionRow
from intake_app.ui.main_window import MainWindow


@dataclass
class Profile:
    answers: dict[str, Any]
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # group id -> entries


def default_answer(question: Question) -> Any:
    kind = question.kind
    if kind is QuestionKind.TEXT:
        return "Testwaarde"
    if kind is QuestionKind.LONG_TEXT:
        return "Toelichting bij deze vraag."
    if kind is QuestionKind.DATE:
        return "2024-01-15"
    if kind in (QuestionKind.INTEGER, QuestionKind.SCALE):
        return int(question.rules.minimum) if question.rules.minimum is not None else 1
    if kind is QuestionKind.DECIMAL:
        return float(question.rules.minimum or 1)
    if kind is QuestionKind.YES_NO_UNKNOWN:
        return "no"
    if kind is QuestionKind.SINGLE_CHOICE:
        return question.options[0].value
    if kind is QuestionKind.MULTIPLE_CHOICE:
        values = [c.value for c in question.options]
        return ["none"] if "none" in values else values[:1]
    return None


class KeyboardDriver:
    def __init__(self, qtbot: QtBot, window: MainWindow, profile: Profile) -> None:
        self.qtbot = qtbot
        self.window = window
        self.profile = profile
        self.answered: list[str] = []
        self.trace: list[str] = []  # what the driver did, for a readable failure

    def focused(self) -> QWidget | None:
        widget = QApplication.focusWidget()
        while widget is not None and not isinstance(widget, QuestionRow | _AddButton):
            widget = widget.parentWidget()
        return widget

    def run(self, max_steps: int = 2000) -> None:
        """Answer until Enter no longer moves anywhere (the end of the last domain)."""
        stuck = 0
        for _ in range(max_steps):
            current = self.focused()
            assert current is not None, f"keyboard focus was lost after: {self.trace[-5:]}"
            self.trace.append(getattr(current, "key", type(current).__name__))
            if isinstance(current, _AddButton):
                self._add_button(current)
            else:
                self._row(current)
            if self.focused() is current:
                stuck += 1
                if stuck >= 2:
                    return
            else:
                stuck = 0
        raise AssertionError("the intake did not end within the step limit")

    def _value_for(self, row: QuestionRow) -> Any:
        question = row.question
        if row.key.entry_id:
            group = self.window.wizard.current_page().groups  # type: ignore[union-attr]
            for section in group.values():
                ids = [f.entry_id for f in section.frames]
                if row.key.entry_id in ids:
                    wanted = self.profile.entries.get(section.group.id, [])
                    index = ids.index(row.key.entry_id)
                    if index < len(wanted) and question.id in wanted[index]:
                        return wanted[index][question.id]
        if question.id in self.profile.answers:
            return self.profile.answers[question.id]
        return default_answer(question) if question.required else None

    def _add_button(self, button: _AddButton) -> None:
        section = button.parentWidget()
        assert isinstance(section, _GroupSection)
        wanted = len(self.profile.entries.get(section.group.id, [])) or section.group.min_entries
        key = Qt.Key.Key_Return if len(section.frames) < wanted else Qt.Key.Key_Tab
        self.qtbot.keyClick(button, key)

    def _row(self, row: QuestionRow) -> None:
        value = self._value_for(row)
        target = QApplication.focusWidget()
        assert target is not None
        if value is not None:
            self.answered.append(row.key.question_id)
            self._type(row, target, value)
        target = QApplication.focusWidget()
        if row.question.kind is QuestionKind.LONG_TEXT:
            self.qtbot.keyClick(target, Qt.Key.Key_Tab)
        else:
            self.qtbot.keyClick(target, Qt.Key.Key_Return)

    def _type(self, row: QuestionRow, target: QWidget, value: Any) -> None:
        qtbot = self.qtbot
        kind = row.question.kind
        if isinstance(target, QLineEdit):
            if kind is QuestionKind.DATE:
                text = format_date(value)
            elif kind is QuestionKind.DECIMAL:
                text = str(value).replace(".", ",")  # the Dutch decimal comma
            else:
                text = str(value)
            qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            type_text(qtbot, target, text)
        elif isinstance(target, QPlainTextEdit):
            qtbot.keyClick(target, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            type_text(qtbot, target, str(value))
        elif isinstance(target, QRadioButton):
            buttons = [b for b in row.findChildren(QRadioButton)]
            values = [str(n) for n in _scale(row.question)] if kind is QuestionKind.SCALE else [
                c.value for c in row.question.options]
            goal = values.index(str(value))
            if not target.isChecked():
                qtbot.keyClick(target, Qt.Key.Key_Space)
            current = buttons.index(QApplication.focusWidget())  # type: ignore[arg-type]
            stacked = len(buttons) > 1 and buttons[1].y() > buttons[0].y()  # one under the other
            forward, backward = (Qt.Key.Key_Down, Qt.Key.Key_Up) if stacked else (Qt.Key.Key_Right, Qt.Key.Key_Left)
            step = forward if goal > current else backward
            for _ in range(abs(goal - current)):
                qtbot.keyClick(QApplication.focusWidget(), step)
        elif isinstance(target, QComboBox):
            goal = target.findData(value)
            while target.currentIndex() != goal:
                key = Qt.Key.Key_Down if target.currentIndex() < goal else Qt.Key.Key_Up
                qtbot.keyClick(target, key)
        elif isinstance(target, QCheckBox):
            boxes = row.findChildren(QCheckBox)
            values = [c.value for c in row.question.options]
            wanted = set(value)
            for index, box in enumerate(boxes):
                if index:
                    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                assert QApplication.focusWidget() is box
                if box.isChecked() != (values[index] in wanted):
                    qtbot.keyClick(box, Qt.Key.Key_Space)
        else:
            raise AssertionError(f"no keyboard recipe for {type(target).__name__}")


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Like qtbot.keyClicks, also for letters outside ASCII (García, Ayşe), which QTest refuses."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _scale(question: Question) -> range:
    low = int(question.rules.minimum if question.rules.minimum is not None else 1)
    high = int(question.rules.maximum if question.rules.maximum is not None else 5)
    return range(low, high + 1)
