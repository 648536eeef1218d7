"""Showing answers that a sync (or a resolved conflict) changed in the case open in the wizard.

The wizard keeps its answers in an Interview and its widgets; a pull writes the vault underneath.
Reloading takes the vault's answers as the new Interview and puts each changed value in its field,
with one exception: a field the officer is typing in keeps what is typed (it is saved first if the
questionnaire accepts it, so the local edit goes to the server at the next sync, where it meets the
colleague's value as an edit or a conflict — never silently lost either way).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from intake_app.forms import AnswerKey, Interview
from intake_app.ui.intake.rows import QuestionRow


def _focused_row() -> QuestionRow | None:
    widget: QWidget | None = QApplication.focusWidget()
    while widget is not None and not isinstance(widget, QuestionRow):
        widget = widget.parentWidget()
    return widget


def reload_open_intake(intake: Any) -> list[AnswerKey]:
    """``intake``: the IntakeController of the open case. Returns the keys whose values changed."""
    typing = _focused_row()
    if typing is not None and typing.editor is not None:
        typing.editor.commit()  # the officer's pending text first: saved (and queued) like any edit
    before = intake.interview
    stored = {AnswerKey(*key): value for key, value in intake.session.answers(intake.case_id).items()}
    if stored == dict(before.answers):
        return []
    changed = [key for key in stored.keys() | before.answers.keys() if stored.get(key) != before.answers.get(key)]
    interview = Interview(intake.form, stored, reference_date=before.reference_date)
    intake.interview = interview
    wanted = set(changed)
    for domain in intake.form.domains:
        page = intake.wizard.page(domain.id)
        if page is None:
            continue
        page.sync(interview)  # relevance, repeat entries (new ones get their values), computed values
        for row in page.all_rows():
            if row.key not in wanted or row.editor is None:
                continue
            if typing is not None and row is typing and row.value() != before.answer(row.key):
                continue  # typed and not accepted yet: the officer's text stays on screen
            row.set_value(interview.answer(row.key))
    # Progress and the finish button follow the answers (the wizard's own refresh, not a new save).
    intake.refresh_progress()
    if wanted & {AnswerKey("given_names"), AnswerKey("family_name")}:
        name = intake.session.case(intake.case_id).display_name
        if name:
            intake.wizard.case_title.setText(name)
    for key in changed:
        intake.answer_changed.emit(key, interview.answer(key))
    return changed
