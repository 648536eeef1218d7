"""The intake wizard: switching domain pages, and the engine's work after one answer.

* page switch: ``IntakeController.show_domain`` and the event loop turn that paints what changed,
  over a case with a whole intake answered, against the floor of switching between two bare pages
  of a QStackedWidget (30 labels each) in the same way. Goal: p95 <= 16 ms (one frame).
* relevance: ``Interview.set_answer`` + ``completeness()`` + ``missing()`` on a full intake,
  against the floor of copying the answers dict and counting them. Goal: p99 <= 2 ms.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from pathlib import Path

from benchmarks._common import Outcome, Row, ms, percentile

SWITCHES = 300
EDITS = 2000


def _full_answers() -> dict[tuple[str, str], object]:
    """A complete refugee intake, answered through the same defaults the keyboard test uses."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from intake_app.forms import AnswerKey, Interview, QuestionKind, load_intake_form

    from keyboard_driver import default_answer

    form = load_intake_form()
    interview = Interview(form)
    seed = {"target_group": "asylum_permit_holder", "date_of_birth": "1985-01-01", "bsn": "111222333",
            "v_number": "1234567890", "lbt_status": "done", "lbt_score": 20, "lbt_date": "2025-01-10",
            "social_assistance": "receiving", "has_children": "yes", "has_education": "yes",
            "has_work_experience": "yes"}
    for question_id, value in seed.items():
        interview = interview.set_answer(AnswerKey(question_id), value)
    for group in ("educations", "jobs", "children", "conversations"):
        for _ in range(2):
            interview, _entry = interview.add_entry(group)
    for _round in range(3):  # answering can make more questions relevant
        for domain in interview.visible_domains():
            for key in interview.visible_questions(domain.id):
                question = form.question(key.question_id)
                if question.kind in (QuestionKind.NOTE, QuestionKind.COMPUTED, QuestionKind.REPEAT_GROUP):
                    continue
                if interview.answer(key) is None:
                    value = default_answer(question)
                    if value is not None and interview.validate(question, value).ok:
                        interview = interview.set_answer(key, value)
    return {tuple(k): v for k, v in interview.answers.items()}  # type: ignore[misc]


def _relevance(answers: dict[tuple[str, str], object]) -> tuple[list[float], list[float]]:
    from intake_app.forms import AnswerKey, Interview, load_intake_form

    form = load_intake_form()
    interview = Interview(form, {AnswerKey(*k): v for k, v in answers.items()})  # type: ignore[arg-type]
    flips = itertools.cycle([("lbt_score", 12), ("lbt_score", 33), ("has_children", "no"), ("has_children", "yes"),
                             ("social_assistance", "none"), ("social_assistance", "receiving")])
    samples, floor = [], []
    plain = dict(answers)
    for _ in range(EDITS):
        question_id, value = next(flips)
        start = time.perf_counter()
        interview = interview.set_answer(AnswerKey(question_id), value)  # type: ignore[arg-type]
        interview.completeness()
        interview.missing()
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        copy = {**plain, (question_id, ""): value}
        sum(1 for v in copy.values() if v is not None)
        floor.append(time.perf_counter() - start)
    return samples, floor


def _page_switch(answers: dict[tuple[str, str], object]) -> tuple[list[float], list[float], int]:
    from PySide6.QtWidgets import QApplication, QLabel, QStackedWidget, QVBoxLayout, QWidget

    from intake_app.i18n import Catalog
    from intake_app.services.vault_service import create_vault
    from intake_app.storage.keys import KdfParams
    from intake_app.ui.controller import SessionController
    from intake_app.ui.main_window import MainWindow
    from intake_app.ui.style import apply_style

    app = QApplication.instance() or QApplication([])
    apply_style(app)  # type: ignore[arg-type]
    folder = Path(tempfile.mkdtemp(prefix="intake-bench-wizard-")) / "vault"
    session = create_vault(folder, "Bench", "bench bench bench bench", kdf=KdfParams.FAST_FOR_TESTS)
    case_id = session.create_case()
    session.apply_changes(case_id, list(answers.items()))  # type: ignore[arg-type]
    catalog = Catalog("nl")
    window = MainWindow(catalog)
    controller = SessionController(window, catalog, folder)
    controller.session = session
    window.resize(1366, 768)
    window.show()
    controller.open_case(case_id)
    app.processEvents()
    intake = controller.intake
    assert intake is not None
    domains = [d.id for d in intake.interview.visible_domains()]
    samples = []
    for index in range(SWITCHES):
        start = time.perf_counter()
        intake.show_domain(domains[index % len(domains)])
        app.processEvents()  # delivers the update requests: the changed parts are painted here
        samples.append(time.perf_counter() - start)

    bare = QStackedWidget()
    for n in range(2):
        page = QWidget()
        layout = QVBoxLayout(page)
        for line in range(30):
            layout.addWidget(QLabel(f"Vraag {n}.{line}"))
        bare.addWidget(page)
    bare.resize(1366, 768)
    bare.show()
    app.processEvents()
    floor = []
    for index in range(SWITCHES):
        start = time.perf_counter()
        bare.setCurrentIndex(index % 2)
        app.processEvents()
        floor.append(time.perf_counter() - start)
    controller.shutdown()
    window.close()
    bare.close()
    return samples, floor, len(domains)


def run() -> Outcome:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    answers = _full_answers()
    relevance, relevance_floor = _relevance(answers)
    pages, pages_floor, domain_count = _page_switch(answers)
    p99, floor99 = percentile(relevance, 99), percentile(relevance_floor, 99)
    p95, floor95 = percentile(pages, 95), percentile(pages_floor, 95)
    rows = [
        Row("wizard", "page switch p95", p95, floor95, "p95 <= 16 ms", p95 <= 0.016,
            "bare QStackedWidget switch + repaint"),
        Row("wizard", "relevance + completeness after one answer p99", p99, floor99, "p99 <= 2 ms", p99 <= 0.002,
            "dict copy + count of the same answers"),
    ]
    notes = [
        f"full intake: {len(answers)} answers, {domain_count} visible domains; {SWITCHES} switches, {EDITS} edits",
        f"page switch p50 {ms(percentile(pages, 50))}, p95 {ms(p95)}, max {ms(max(pages))} "
        f"(floor p95 {ms(floor95)})",
        f"relevance p50 {ms(percentile(relevance, 50))}, p99 {ms(p99)} (floor p99 {ms(floor99)})",
    ]
    return Outcome(rows, notes)


if __name__ == "__main__":
    outcome = run()
    print("\n".join(outcome.notes))
    for row in outcome.rows:
        print(row)
