"""One domain of the intake as a scrollable page; repeat groups as lists of entries."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from intake_app.forms import AnswerKey, Domain, Interview, Question, QuestionKind
from intake_app.i18n import N_, Catalog
from intake_app.ui.intake.rows import SPECIAL_CATEGORY, QuestionRow

ADD_ENTRY = N_("+ {entry} toevoegen")
REMOVE_ENTRY = N_("Verwijderen")
MOVE_UP = N_("Omhoog")
MOVE_DOWN = N_("Omlaag")
ENTRY_TITLE = N_("{entry} {number}")
DEFAULT_ENTRY = N_("Regel")


class _EntryFrame(QFrame):
    def __init__(self, group: Question, entry_id: str, catalog: Catalog) -> None:
        super().__init__(objectName="repeatEntry")
        self.entry_id = entry_id
        self.title = QLabel(objectName="entryTitle")
        self.up = QPushButton(objectName="moveEntryUp")
        self.down = QPushButton(objectName="moveEntryDown")
        self.remove = QPushButton(objectName="removeEntry")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        for button in (self.up, self.down, self.remove):
            button.setAutoDefault(False)
            header.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        self.rows = [QuestionRow(child, AnswerKey(child.id, entry_id), catalog) for child in group.questions]
        for row in self.rows:
            layout.addWidget(row)


class _AddButton(QPushButton):
    """Enter adds an entry; Tab or Down moves on past the group without adding one."""

    skip_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.click()
            return
        if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Down) and not event.modifiers():
            self.skip_requested.emit()
            return
        super().keyPressEvent(event)


class _GroupSection(QFrame):
    def __init__(self, page: DomainPage, group: Question, catalog: Catalog) -> None:
        super().__init__(objectName="repeatGroup")
        self.page = page
        self.group = group
        self.key = AnswerKey(group.id)
        self.title = QLabel(objectName="groupTitle")
        self.help = QLabel(wordWrap=True, objectName="questionHelp")
        self.message = QLabel(wordWrap=True, objectName="validationMessage")
        self.message.hide()
        self.add_button = _AddButton(objectName="addEntry")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: page.entry_add_requested.emit(group.id))
        self.add_button.skip_requested.connect(lambda: page.leave_group(group.id))
        self.entries_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.help)
        layout.addLayout(self.entries_box)
        layout.addWidget(self.add_button)
        layout.addWidget(self.message)
        self.frames: list[_EntryFrame] = []
        self._catalog = catalog

    def entry_ids(self) -> tuple[str, ...]:
        return tuple(frame.entry_id for frame in self.frames)

    def sync_entries(self, entry_ids: tuple[str, ...], interview: Interview) -> None:
        if entry_ids == self.entry_ids():
            return
        existing = {frame.entry_id: frame for frame in self.frames}
        for frame in self.frames:
            self.entries_box.removeWidget(frame)
        self.frames = []
        for entry_id in entry_ids:
            frame = existing.pop(entry_id, None)
            if frame is None:
                frame = self._new_frame(entry_id, interview)
            self.entries_box.addWidget(frame)
            frame.show()  # at once: a layout would only show it on the next event loop turn
            self.frames.append(frame)
        for gone in existing.values():
            gone.deleteLater()
        self.retranslate(self._catalog)

    def _new_frame(self, entry_id: str, interview: Interview) -> _EntryFrame:
        frame = _EntryFrame(self.group, entry_id, self._catalog)
        for row in frame.rows:
            self.page.connect_row(row)
            row.set_value(interview.answer(row.key) if row.editor else interview.value(row.key))
        group_id = self.group.id
        frame.remove.clicked.connect(lambda: self.page.entry_remove_requested.emit(group_id, entry_id))
        frame.up.clicked.connect(lambda: self._move(entry_id, -1))
        frame.down.clicked.connect(lambda: self._move(entry_id, +1))
        return frame

    def _move(self, entry_id: str, step: int) -> None:
        index = self.entry_ids().index(entry_id) + step
        if 0 <= index < len(self.frames):
            self.page.entry_move_requested.emit(self.group.id, entry_id, index)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        _ = catalog.gettext
        by_id = self.group.id
        entry = catalog.pgettext(by_id, self.group.entry_label) if self.group.entry_label else _(DEFAULT_ENTRY)
        self.title.setText(catalog.pgettext(by_id, self.group.label))
        self.help.setText(catalog.pgettext(by_id, self.group.help) if self.group.help else "")
        self.help.setVisible(bool(self.group.help))
        self.add_button.setText(_(ADD_ENTRY).format(entry=entry.lower()))
        for number, frame in enumerate(self.frames, start=1):
            frame.title.setText(_(ENTRY_TITLE).format(entry=entry, number=number))
            frame.up.setText(_(MOVE_UP))
            frame.down.setText(_(MOVE_DOWN))
            frame.remove.setText(_(REMOVE_ENTRY))
            frame.up.setEnabled(number > 1)
            frame.down.setEnabled(number < len(self.frames))
            for row in frame.rows:
                row.retranslate(catalog)


class DomainPage(QScrollArea):
    row_edited = Signal(object, object)
    advance_requested = Signal(object)
    advance_from_widget = Signal(object)  # a stop that is not a question (an add button)
    entry_add_requested = Signal(str)
    entry_remove_requested = Signal(str, str)
    entry_move_requested = Signal(str, str, int)

    def __init__(self, domain: Domain, catalog: Catalog, interview: Interview) -> None:
        super().__init__()
        self.setObjectName(f"page_{domain.id}")
        self.domain = domain
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(objectName="pageBody")
        self.layout_ = QVBoxLayout(body)
        self.title = QLabel(objectName="pageTitle")
        self.layout_.addWidget(self.title)
        self.special = QLabel(wordWrap=True, objectName="specialCategory")
        self.special.setVisible(domain.special_category)
        self.layout_.addWidget(self.special)
        self.rows: dict[AnswerKey, QuestionRow] = {}
        self.groups: dict[str, _GroupSection] = {}
        for question in domain.questions:
            if question.kind is QuestionKind.REPEAT_GROUP:
                section = _GroupSection(self, question, catalog)
                self.groups[question.id] = section
                self.layout_.addWidget(section)
            else:
                row = QuestionRow(question, AnswerKey(question.id), catalog)
                self.connect_row(row)
                row.set_value(interview.answer(row.key) if row.editor else interview.value(row.key))
                self.rows[row.key] = row
                self.layout_.addWidget(row)
        self.layout_.addStretch(1)
        self.setWidget(body)
        self.retranslate(catalog)
        self.sync(interview)

    def connect_row(self, row: QuestionRow) -> None:
        row.edited.connect(self.row_edited)
        row.advance_requested.connect(self.advance_requested)

    def retranslate(self, catalog: Catalog) -> None:
        self.title.setText(catalog.pgettext(f"domain:{self.domain.id}", self.domain.title))
        self.special.setText(catalog.gettext(SPECIAL_CATEGORY))
        for row in self.rows.values():
            row.retranslate(catalog)
        for section in self.groups.values():
            section.retranslate(catalog)

    def all_rows(self) -> Iterator[QuestionRow]:
        """Every row in page order, entries included."""
        for question in self.domain.questions:
            if question.id in self.groups:
                for frame in self.groups[question.id].frames:
                    yield from frame.rows
            else:
                yield self.rows[AnswerKey(question.id)]

    def row(self, key: AnswerKey) -> QuestionRow | None:
        if key in self.rows:
            return self.rows[key]
        return next((r for r in self.all_rows() if r.key == key), None)

    def sync(self, interview: Interview) -> None:
        """Show what is relevant now; refresh computed values. Typed text is never overwritten."""
        for group_id, section in self.groups.items():
            relevant = interview.is_relevant(section.key)
            section.setVisible(relevant)
            if relevant:
                section.sync_entries(interview.entries(group_id), interview)
        for row in self.all_rows():
            row.setVisible(interview.is_relevant(row.key))
            if row.question.kind is QuestionKind.COMPUTED:
                row.set_value(interview.value(row.key))

    def visible_rows(self) -> list[QuestionRow]:
        body = self.widget()
        return [row for row in self.all_rows() if row.accepts_focus() and row.isVisibleTo(body)]

    def stops(self) -> list[QWidget]:
        """Where Enter takes the officer, in page order: questions, and each list's add button."""
        body = self.widget()
        result: list[QWidget] = []
        for question in self.domain.questions:
            section = self.groups.get(question.id)
            if section is None:
                row = self.rows[AnswerKey(question.id)]
                if row.accepts_focus() and row.isVisibleTo(body):
                    result.append(row)
            elif section.isVisibleTo(body):
                result += [r for f in section.frames for r in f.rows if r.accepts_focus() and r.isVisibleTo(body)]
                if section.add_button.isEnabled():
                    result.append(section.add_button)
        return result

    def stop_after(self, current: QWidget) -> QWidget | None:
        stops = self.stops()
        if current not in stops:
            return stops[0] if stops else None
        index = stops.index(current) + 1
        return stops[index] if index < len(stops) else None

    def leave_group(self, group_id: str) -> None:
        self.advance_from_widget.emit(self.groups[group_id].add_button)

    def show_group_message(self, group_id: str, text: str) -> None:
        section = self.groups[group_id]
        section.message.setText(text)
        section.message.setVisible(bool(text))
