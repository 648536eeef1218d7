"""A second top-level window for the interpreter and the newcomer.

It shows the question the officer is on, in the case's client language with the Dutch original
smaller beneath, its choices with the chosen one marked, and the answer as it is entered. The text
direction comes from the language (Babel), never from the text. Officer-only content (help texts,
notes, questions marked officer-only) is never shown: such a question shows a neutral line instead.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from intake_app.forms import AnswerKey, AnswerValue, Form, Question, QuestionKind
from intake_app.i18n import N_, Catalog
from intake_app.i18n.catalog import TextDirection

WINDOW_TITLE = N_("Tolkvenster")
OFFICER_BUSY = N_("De consulent vult iets in.")
WAITING = N_("Even geduld, het gesprek begint zo.")
CHOSEN = "✓ "  # marks the chosen answer, also for who cannot tell the highlight colour apart
MIN_POINT_SIZE, MAX_POINT_SIZE, DEFAULT_POINT_SIZE = 12, 48, 22


class InterpreterWindow(QWidget):
    def __init__(self, form: Form, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("interpreterWindow")
        # The officer keeps typing in the main window: showing this one must not take the focus.
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.form = form
        self.officer_catalog = Catalog("nl")
        self.catalog = Catalog("nl", domain="client")
        self.point_size = DEFAULT_POINT_SIZE
        self._key: AnswerKey | None = None
        self._value: AnswerValue | None = None

        self.domain_label = QLabel(objectName="clientDomain", wordWrap=True)
        self.question_label = QLabel(objectName="clientQuestion", wordWrap=True)
        self.question_dutch = QLabel(objectName="clientQuestionDutch", wordWrap=True)
        self.choices_box = QFrame(objectName="clientChoices")
        self.choices_layout = QGridLayout(self.choices_box)
        # Long lists (thirty languages) scroll inside the window instead of stretching it.
        self.choices_scroll = QScrollArea(objectName="clientChoicesScroll")
        self.choices_scroll.setWidget(self.choices_box)
        self.choices_scroll.setWidgetResizable(True)
        self.choices_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.answer_label = QLabel(objectName="clientAnswer", wordWrap=True)
        self.review_note = QLabel(objectName="reviewNote", wordWrap=True)
        for label in (self.question_label, self.question_dutch, self.answer_label, self.domain_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 20)
        layout.addWidget(self.domain_label)
        layout.addSpacing(12)
        layout.addWidget(self.question_label)
        layout.addWidget(self.question_dutch)
        layout.addSpacing(16)
        layout.addWidget(self.choices_scroll, 1)
        layout.addWidget(self.answer_label)
        layout.addStretch(0)
        layout.addWidget(self.review_note)
        self.choice_labels: list[QLabel] = []
        self._alignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignAbsolute

        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.set_point_size(self.point_size + 2))
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.set_point_size(self.point_size + 2))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.set_point_size(self.point_size - 2))
        QShortcut(QKeySequence("F11"), self, self.toggle_full_screen)
        self.setStyleSheet(
            "QWidget#interpreterWindow { background: #fffdf7; }"
            "QLabel#clientDomain { color: #6b7280; }"
            "QLabel#clientQuestion { color: #111827; font-weight: 600; }"
            "QLabel#clientQuestionDutch, QLabel#reviewNote { color: #6b7280; }"
            "QLabel[chosen=\"true\"] { background: #dbeafe; border-radius: 6px; }"
            "QScrollArea#clientChoicesScroll, QFrame#clientChoices { background: transparent; }"
        )
        self.resize(900, 600)
        self.set_language("nl")

    # -- language and size ----------------------------------------------------------------------

    @property
    def locale(self) -> str:
        return self.catalog.locale

    def set_language(self, locale: str) -> None:
        """Switch the client language at run time; direction follows the language."""
        self.catalog = Catalog(locale, domain="client")
        rtl = self.catalog.direction is TextDirection.RIGHT_TO_LEFT
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight)
        # Every line starts on the language's side, the Dutch original beneath included: Qt would
        # otherwise align each label by the direction of its own text.
        self._alignment = (
            Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
        ) | Qt.AlignmentFlag.AlignAbsolute
        for label in (self.domain_label, self.question_label, self.question_dutch, self.answer_label,
                      self.review_note):
            label.setAlignment(self._alignment)
        self._apply_fonts()
        self._render()

    def set_officer_catalog(self, catalog: Catalog) -> None:
        self.officer_catalog = catalog
        self.setWindowTitle(catalog.gettext(WINDOW_TITLE))

    def set_point_size(self, size: int) -> None:
        self.point_size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, size))
        self._apply_fonts()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
            return
        screens = self.screen().virtualSiblings()
        parent_screen = self.parentWidget().screen() if self.parentWidget() is not None else None
        others = [s for s in screens if s is not parent_screen]
        if others:  # a second monitor: that is where the interpreter and the newcomer look
            self.setGeometry(others[0].geometry())
        self.showFullScreen()

    def _apply_fonts(self) -> None:
        base = _client_font(self.locale, self.point_size)
        self.question_label.setFont(_scaled(base, 1.25))
        self.answer_label.setFont(base)
        for label in self.choice_labels:
            label.setFont(base)
        self.domain_label.setFont(_scaled(base, 0.7))
        small = QFont(base)
        small.setFamilies(["Noto Sans"])
        small.setPointSizeF(max(9.0, self.point_size * 0.6))
        self.question_dutch.setFont(small)
        self.review_note.setFont(_scaled(small, 0.8))

    # -- content ----------------------------------------------------------------------------------

    def show_question(self, key: AnswerKey | None, value: AnswerValue | None) -> None:
        self._key, self._value = key, value
        self._render()

    def show_answer(self, key: AnswerKey, value: AnswerValue | None) -> None:
        if key == self._key:
            self._value = value
            self._render()

    def clear(self) -> None:
        """Lock or case closed: nothing personal stays on the second screen."""
        self._key, self._value = None, None
        self._render()

    def _render(self) -> None:
        _ = self.catalog
        question = self.form.question(self._key.question_id) if self._key is not None else None
        self._clear_choices()
        self.review_note.setText(self._review_note())
        if question is None:
            self.domain_label.clear()
            self.question_label.setText(_.gettext(WAITING))
            self.question_dutch.setText(WAITING if self.locale != "nl" else "")
            self.answer_label.clear()
            return
        domain = self.form.domain_of(question.id)
        if domain.client_title:
            self.domain_label.setText(_.pgettext(f"domain:{domain.id}", domain.client_title))
        else:
            self.domain_label.clear()
        if not question.shown_to_client:
            # Officer-only questions and their answers stay on the officer's screen.
            self.question_label.setText(_.gettext(OFFICER_BUSY))
            self.question_dutch.setText(OFFICER_BUSY if self.locale != "nl" else "")
            self.answer_label.clear()
            return
        assert question.client_text is not None
        self.question_label.setText(_.pgettext(question.id, question.client_text))
        self.question_dutch.setText(question.client_text if self.locale != "nl" else "")
        if question.options:
            self._show_choices(question)
            self.answer_label.clear()
        else:
            self.answer_label.setText(self._format_value(question, self._value))

    def _show_choices(self, question: Question) -> None:
        chosen = set(self._value) if isinstance(self._value, list) else {self._value}
        base = _client_font(self.locale, self.point_size)
        for choice in question.options:
            source = choice.client_text or choice.label
            text = self.catalog.pgettext(f"{question.id}/{choice.value}", source)
            is_chosen = choice.value in chosen
            label = QLabel((CHOSEN + text) if is_chosen else text, objectName="clientChoice")
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setProperty("chosen", is_chosen)
            label.setAlignment(self._alignment)
            label.setFont(base)
            label.setContentsMargins(8, 2, 8, 2)
            if self.locale != "nl":
                label.setToolTip(source)
            columns = 1 if len(question.options) <= 8 else 2 if len(question.options) <= 20 else 3
            index = len(self.choice_labels)
            self.choices_layout.addWidget(label, index // columns, index % columns)
            self.choice_labels.append(label)
        self.choices_scroll.show()

    def _clear_choices(self) -> None:
        for label in self.choice_labels:
            self.choices_layout.removeWidget(label)
            label.hide()  # at once: deleteLater waits for the event loop
            label.deleteLater()
        self.choice_labels = []
        self.choices_scroll.hide()

    def _format_value(self, question: Question, value: AnswerValue | None) -> str:
        if value is None:
            return ""
        if question.kind is QuestionKind.DATE and isinstance(value, str):
            try:
                from babel.dates import format_date

                return format_date(date.fromisoformat(value), format="long", locale=self.locale)
            except ValueError:
                return value
        return str(value)

    def _review_note(self) -> str:
        note = getattr(self.catalog, "unreviewed_note", None)
        if callable(note):
            return str(note())
        return ""

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides: the officer reopens it with the same shortcut.
        event.ignore()
        self.hide()


def _client_font(locale: str, point_size: int) -> QFont:
    try:
        from intake_app.ui.fonts import font_for
    except ImportError:  # fonts not registered yet: Qt's own fallback
        font = QFont()
        font.setPointSize(point_size)
        return font
    return font_for(locale, point_size)


def _scaled(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    scaled.setPointSizeF(max(8.0, font.pointSizeF() * factor))
    return scaled
