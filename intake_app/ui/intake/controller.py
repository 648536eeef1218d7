"""Runs one intake: the engine decides relevance and validity, the vault stores, the wizard shows.

Every accepted edit is written to the vault before the wizard says "Opgeslagen"; an edit the engine
rejects is shown next to its field and not stored (the previous answer stays).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget

from intake_app.forms import AnswerKey, AnswerValue, Form, Interview, RepeatLimitError, ValidationStatus
from intake_app.i18n import N_, Catalog
from intake_app.ui.intake.page import DomainPage
from intake_app.ui.intake.rows import QuestionRow
from intake_app.ui.intake.wizard import IntakeWizard

log = logging.getLogger(__name__)

SAVE_FAILED = N_("opslaan mislukt; probeer het opnieuw")
TOO_MANY_ENTRIES = N_("Er kunnen er niet meer bij.")


class IntakeController(QObject):
    """One open case in the wizard. ``session`` is a services.vault_service.VaultSession."""

    current_question_changed = Signal(object)  # AnswerKey, for the interpreter window
    answer_changed = Signal(object, object)  # AnswerKey, value as stored (None: removed)
    closed = Signal()
    finish_requested = Signal()

    def __init__(
        self, wizard: IntakeWizard, session: Any, form: Form, case_id: str, catalog: Catalog,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.wizard = wizard
        self.session = session
        self.form = form
        self.case_id = case_id
        self.catalog = catalog
        stored = session.answers(case_id)
        self.interview = Interview(form, {AnswerKey(*key): value for key, value in stored.items()})
        self.current_domain = ""
        self.current_key: AnswerKey | None = None
        self._connections = [
            (wizard.domain_chosen, self.show_domain),
            (wizard.next_requested, self.next_domain),
            (wizard.back_requested, self.previous_domain),
            (wizard.close_requested, self.closed),
            (wizard.finish_requested, self.finish_requested),
        ]
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # One connection for focus tracking instead of an event filter on every field.
            self._connections.append((app.focusChanged, self._on_app_focus_changed))
        for signal, slot in self._connections:
            signal.connect(slot)

    def detach(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self.wizard.clear()

    # -- opening ---------------------------------------------------------------------------------

    def open(self, title: str, resume: AnswerKey | None) -> None:
        self.wizard.clear()
        self.wizard.case_title.setText(title)
        self.wizard.set_domains(list(self.form.domains))
        # All pages are built now, so switching between them later costs one repaint only.
        for domain in self.form.domains:
            page = DomainPage(domain, self.catalog, self.interview)
            page.row_edited.connect(self._on_page_row_edited)
            page.advance_requested.connect(self._on_page_advance_requested)
            page.advance_from_widget.connect(self._advance_from)
            page.entry_add_requested.connect(self.add_entry)
            page.entry_remove_requested.connect(self.remove_entry)
            page.entry_move_requested.connect(self.move_entry)
            self.wizard.add_page(page)
        self.refresh_progress()
        if resume is not None and self.form.has_question(resume.question_id) and self.interview.is_relevant(resume):
            self.show_domain(self.form.domain_of(resume.question_id).id, focus=resume)
        else:
            first = self.interview.visible_domains()[0]
            self.show_domain(first.id)

    # -- navigation --------------------------------------------------------------------------------

    def show_domain(self, domain_id: str, focus: AnswerKey | None = None) -> None:
        page = self.wizard.page(domain_id)
        if page is None or not self.interview.is_domain_relevant(domain_id):
            return
        page.sync(self.interview)
        self.current_domain = domain_id
        self.wizard.show_page(domain_id)
        stops = page.stops()
        target: QWidget | None = page.row(focus) if focus is not None else (stops[0] if stops else None)
        if isinstance(target, QuestionRow):
            target.focus()
        elif target is not None:
            target.setFocus()
        if target is not None:
            page.ensureWidgetVisible(target)

    def _visible_domain_ids(self) -> list[str]:
        return [d.id for d in self.interview.visible_domains()]

    def next_domain(self) -> None:
        if self._blocked_by_invalid():
            return
        ids = self._visible_domain_ids()
        if self.current_domain in ids and ids.index(self.current_domain) + 1 < len(ids):
            self.show_domain(ids[ids.index(self.current_domain) + 1])

    def previous_domain(self) -> None:
        ids = self._visible_domain_ids()
        if self.current_domain in ids and ids.index(self.current_domain) > 0:
            self.show_domain(ids[ids.index(self.current_domain) - 1])

    def _blocked_by_invalid(self) -> bool:
        page = self.wizard.current_page()
        if page is None:
            return False
        for row in page.visible_rows():
            if row.message.isVisibleTo(page):
                row.focus()
                page.ensureWidgetVisible(row)
                return True
        return False

    def _on_page_advance_requested(self, key: AnswerKey) -> None:
        page = self.wizard.current_page()
        row = page.row(key) if page is not None else None
        if row is not None:
            self._advance_from(row)

    def _advance_from(self, widget: QWidget) -> None:
        """Enter: on to the next question (or list), and past the last one to the next domain."""
        page = self.wizard.current_page()
        if page is None:
            return
        target = page.stop_after(widget)
        if target is None:
            self.next_domain()
        elif isinstance(target, QuestionRow):
            target.focus()
            page.ensureWidgetVisible(target)
        else:
            target.setFocus()
            page.ensureWidgetVisible(target)

    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and not isinstance(widget, QuestionRow):
            widget = widget.parentWidget()
        if widget is not None:
            self._on_page_row_focused(widget.key)

    def _on_page_row_focused(self, key: AnswerKey) -> None:
        if key == self.current_key:
            return
        self.current_key = key
        self.session.set_position(self.case_id, tuple(key))
        self.current_question_changed.emit(key)

    # -- answers -----------------------------------------------------------------------------------

    def _on_page_row_edited(self, key: AnswerKey, value: AnswerValue | None) -> None:
        page = self.wizard.page(self.form.domain_of(key.question_id).id)
        row = page.row(key) if page is not None else None
        question = self.form.question(key.question_id)
        result = self.interview.validate(question, value)
        if result.status is ValidationStatus.INVALID:
            if row is not None:
                row.show_message(result.render(self.catalog.gettext))
            return
        if row is not None:
            row.show_message("")
        self._apply(self.interview.set_answer(key, value))

    def add_entry(self, group_id: str) -> None:
        try:
            interview, entry_id = self.interview.add_entry(group_id)
        except RepeatLimitError:
            page = self.wizard.current_page()
            if page is not None:
                page.show_group_message(group_id, self.catalog.gettext(TOO_MANY_ENTRIES))
            return
        if self._apply(interview):
            page = self.wizard.page(self.form.domain_of(group_id).id)
            first_child = self.form.question(group_id).questions[0]
            row = page.row(AnswerKey(first_child.id, entry_id)) if page is not None else None
            if row is not None:
                row.focus()

    def remove_entry(self, group_id: str, entry_id: str) -> None:
        self._apply(self.interview.remove_entry(group_id, entry_id))

    def move_entry(self, group_id: str, entry_id: str, to_index: int) -> None:
        self._apply(self.interview.move_entry(group_id, entry_id, to_index))

    def _apply(self, interview: Interview) -> bool:
        """Store the new interview's changes; only then show them as the current state."""
        changes = [(tuple(change.key), change.after) for change in interview.changes]
        if changes:
            try:
                self.session.apply_changes(self.case_id, changes)
            except Exception as error:  # shown to the officer; the answer on screen stays for a retry
                log.error("saving an answer failed: %s", type(error).__name__)
                self.wizard.show_not_saved(self.catalog.gettext(SAVE_FAILED))
                return False
            self.wizard.show_saved(datetime.now().strftime("%H:%M:%S"))
        self.interview = interview
        page = self.wizard.current_page()
        if page is not None:
            page.sync(interview)
        self.refresh_progress()
        for change in interview.changes:
            self.answer_changed.emit(change.key, change.after)
        return True

    def refresh_progress(self) -> None:
        """Sidebar progress and the finish button after the answers changed (also from a sync)."""
        completeness = self.interview.completeness()
        progress = {
            domain_id: round(100 * part.fraction) for domain_id, part in completeness.domains.items()
        }
        visible = {d.id for d in self.interview.visible_domains()}
        self.wizard.set_progress(progress, visible)
        self.wizard.finish_button.setEnabled(completeness.overall.fraction >= 1.0)

    def missing(self) -> dict[str, tuple[AnswerKey, ...]]:
        return {d: keys for d, keys in self.interview.missing().items() if keys}
