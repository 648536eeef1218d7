"""The next deadline derived from the answers, stored on the case row, and its colour in the list."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from intake_app.i18n import Catalog
from intake_app.plan.deadlines import DeadlineKind, Urgency
from intake_app.services import deadlines
from intake_app.services.case_service import CaseRow, dashboard
from intake_app.services.vault_service import VaultSession
from intake_app.ui.case_table import DEADLINE, URGENCY_COLOURS, CaseTableModel

TODAY = date(2026, 11, 23)


def answers(**values: object) -> dict[tuple[str, str], object]:
    return {(question, ""): value for question, value in values.items()}


def test_the_pip_is_due_ten_weeks_after_the_later_of_duo_and_brp() -> None:
    found = deadlines.derive(answers(target_group="family_migrant", duo_notification_date="2026-09-01",
                                     brp_registration_date="2026-09-15"), "intake_bezig", None, TODAY)
    assert (found.next_deadline, found.kind) == (date(2026, 11, 24), DeadlineKind.PIP_DUE)
    assert deadlines.urgency(found.next_deadline, TODAY) is Urgency.AMBER


def test_after_the_pip_the_ontzorgen_review_or_the_route_switch_window_comes_next() -> None:
    refugee = answers(target_group="asylum_permit_holder", duo_notification_date="2026-01-05",
                      social_assistance="receiving", social_assistance_start_date="2026-06-01")
    found = deadlines.derive(refugee, "pip_vastgesteld", "2026-03-10", TODAY)
    assert (found.next_deadline, found.kind) == (date(2026, 12, 1), DeadlineKind.ONTZORGEN_REVIEW)
    family = answers(target_group="family_migrant", duo_notification_date="2026-01-05")
    found = deadlines.derive(family, "pip_vastgesteld", date(2026, 3, 10), TODAY)
    assert (found.next_deadline, found.kind) == (date(2027, 9, 10), DeadlineKind.ROUTE_SWITCH_LAST_DAY)


@pytest.mark.parametrize("status", ["gesloten", "overgedragen"])
def test_a_finished_case_has_no_deadline(status: str) -> None:
    found = deadlines.derive(answers(target_group="family_migrant", duo_notification_date="2026-09-01"),
                             status, None, TODAY)
    assert found.next_deadline is None and found.kind is None


def test_without_a_target_group_or_a_start_date_there_is_no_deadline_yet() -> None:
    assert deadlines.derive(answers(duo_notification_date="2026-09-01"), "nieuw", None, TODAY).next_deadline is None
    assert deadlines.derive(answers(target_group="other_migrant"), "nieuw", None, TODAY).next_deadline is None


def test_an_lbt_result_is_a_score_or_a_sensory_exemption() -> None:
    assert deadlines.has_lbt_result(answers(lbt_status="done", lbt_score=31))
    assert deadlines.has_lbt_result(answers(lbt_status="not_done_sensory"))
    assert not deadlines.has_lbt_result(answers(lbt_status="done"))
    assert not deadlines.has_lbt_result(answers(lbt_status="planned", lbt_score=12))
    assert not deadlines.has_lbt_result(answers(lbt_status="done", lbt_score=True))


def test_the_stored_deadline_follows_the_deciding_answers(session: VaultSession) -> None:
    case_id = session.create_case()
    assert session.cases.row(case_id).next_deadline is None
    session.save_answer(case_id, ("target_group", ""), "family_migrant")
    session.save_answer(case_id, ("duo_notification_date", ""), "2026-09-01")
    assert session.cases.row(case_id).next_deadline == "2026-11-10"
    session.save_answer(case_id, ("brp_registration_date", ""), "2026-10-01")
    row = session.cases.row(case_id)
    assert (row.next_deadline, row.deadline_kind, row.lbt_result) == ("2026-12-10", "pip_termijn", 0)
    session.apply_changes(case_id, [(("lbt_status", ""), "done"), (("lbt_score", ""), 30)])
    assert session.cases.row(case_id).lbt_result == 1
    session.clear_answer(case_id, ("brp_registration_date", ""))
    assert session.cases.row(case_id).next_deadline == "2026-11-10"


def test_answers_that_arrived_another_way_are_derived_again_after_unlock(session: VaultSession) -> None:
    """As sync writes them: straight into the answers table, touching only the case's updated_at."""
    from sqlalchemy import text

    case_id = session.create_case()
    session.save_answer(case_id, ("target_group", ""), "other_migrant")
    assert session.cases.stale() == []
    with session._vault.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO answers VALUES (:c, 'duo_notification_date', '', '\"2026-09-01\"', 'v', 'x', '2026')"
        ), {"c": case_id})
        connection.execute(text("UPDATE cases SET updated_at = '9999-01-01' WHERE id = :c"), {"c": case_id})
    assert session.cases.stale() == [case_id]
    assert session.cases.refresh_stale() == 1
    assert session.cases.row(case_id).next_deadline == "2026-11-10"
    assert session.cases.stale() == []


def row(case_id: str, due: str | None, kind: str | None = "pip_termijn", status: str = "intake_bezig",
        lbt: int = 0) -> CaseRow:
    return CaseRow(case_id, case_id, "", "", status, "family_migrant", "nl", due, "2026-11-01T10:00:00+00:00", 0,
                   kind, lbt, None, "", False, 0, case_id)


def test_the_list_colours_overdue_red_and_under_two_weeks_amber(qapp: object) -> None:
    model = CaseTableModel(Catalog("nl"))
    model.set_rows([row("laat", "2026-11-20"), row("vandaag", "2026-11-23"), row("bijna", "2026-12-06"),
                    row("ruim", "2026-12-07"), row("geen", None)], today=TODAY)

    def cell(case: str) -> tuple[str, object]:
        index = model.index(model.row_of(case), DEADLINE)
        background = model.data(index, Qt.ItemDataRole.BackgroundRole)
        return model.data(index, Qt.ItemDataRole.DisplayRole), background.color() if background else None

    red, amber = URGENCY_COLOURS[Urgency.RED][0], URGENCY_COLOURS[Urgency.AMBER][0]
    assert cell("laat") == ("20-11-2026 · 3 dagen te laat", red)
    assert cell("vandaag") == ("23-11-2026 · vandaag", amber)
    assert cell("bijna") == ("06-12-2026 · nog 13 dagen", amber)
    assert cell("ruim") == ("07-12-2026 · nog 14 dagen", None)
    assert cell("geen") == ("", None)
    tooltip = model.data(model.index(model.row_of("laat"), DEADLINE), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == "PIP vaststellen — verlopen"


def test_the_dashboard_counts_what_needs_attention() -> None:
    rows = [
        row("a", "2026-11-20"), row("b", "2026-11-25"), row("c", "2026-11-29", lbt=1),
        row("d", "2026-11-21", kind="evaluatie_ontzorgen", status="pip_vastgesteld", lbt=1),
        row("e", None, kind=None, status="gesloten"), row("f", "2027-01-10", status="concept_pip"),
    ]
    counts = dashboard(rows, TODAY)
    assert (counts.overdue_pip, counts.pip_this_week, counts.without_lbt) == (1, 2, 3)
    assert (counts.overdue, counts.this_week) == (2, 2)
    assert counts.by_status["intake_bezig"] == 3 and counts.by_status["gesloten"] == 1
    assert counts.by_status["overgedragen"] == 0
