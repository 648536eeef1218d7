"""The case list with real widgets on a demo vault: filter as you type, filters, sorting, keyboard,
the dashboard, closing with undo, deleting, and the COA import from file dialog to undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from intake_app.services.demo import DemoVault
from intake_app.ui.case_table import DEADLINE, NAME, DeadlineFilter, StatusFilter
from intake_app.ui.main_window import Screen
from intake_app.ui.workspace import Workspace

from ui_support import Shell, make_shell
from workspace_support import EXAMPLE


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoVault:
    return DemoVault.create(tmp_path_factory.mktemp("demo") / "vault")


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A failure shown to the officer would block a test; here it fails the test instead."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_: shown.append(text))
    yield shown
    assert shown == []


@pytest.fixture
def unlocked(qtbot: QtBot, demo_template: DemoVault, tmp_path: Path) -> Iterator[Shell]:
    import shutil

    folder = tmp_path / "vault"
    shutil.copytree(demo_template.folder, folder)
    shell = make_shell(qtbot, folder)
    qtbot.waitUntil(lambda: shell.controller._judge is not None, timeout=20_000)
    shell.controller.unlock(demo_template.officer, demo_template.passphrase)
    qtbot.waitUntil(lambda: shell.window.current_screen() is Screen.WORKSPACE, timeout=20_000)
    yield shell
    shell.controller.shutdown()


def names(workspace: Workspace) -> list[str]:
    model = workspace.model
    return [model.index(row, NAME).data() for row in range(model.rowCount())]


def test_filtering_as_you_type_on_name_bsn_and_v_number(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    assert workspace.model.rowCount() == 24  # open cases; six closed or transferred are in the archive
    assert workspace.demo_banner.isVisibleTo(unlocked.window)
    qtbot.keyClick(workspace, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert workspace.search_edit.hasFocus()
    qtbot.keyClicks(workspace.search_edit, "garc")
    assert names(workspace) == ["Carmen García López"]  # accents do not matter
    assert workspace.summary.text() == "1 van 30 dossiers"
    workspace.search_edit.clear()
    qtbot.keyClicks(workspace.search_edit, "ayse")
    assert names(workspace) == []  # Ayşe Kaya's case is closed: in the archive, not among the open cases
    workspace.set_status_filter(StatusFilter.ALL)
    assert names(workspace) == ["Ayşe Kaya"]
    row = workspace.model.row_data(0)
    workspace.search_edit.clear()
    qtbot.keyClicks(workspace.search_edit, f"{row.bsn[:3]}.{row.bsn[3:6]}.{row.bsn[6:]}")  # typed with dots
    assert names(workspace) == ["Ayşe Kaya"]
    workspace.search_edit.clear()
    qtbot.keyClicks(workspace.search_edit, row.v_number)
    assert names(workspace) == ["Ayşe Kaya"]
    workspace.search_edit.clear()
    qtbot.keyClicks(workspace.search_edit, "haddad amina")  # words in any order
    assert names(workspace) == ["Amina Haddad"]
    qtbot.keyClick(workspace.search_edit, Qt.Key.Key_Backspace)
    assert names(workspace) == ["Amina Haddad"]
    qtbot.keyClick(workspace.search_edit, Qt.Key.Key_Escape)
    assert workspace.search_edit.text() == "" and workspace.model.rowCount() == 30
    workspace.search_edit.setText("zzz")
    assert workspace.model.rowCount() == 0 and workspace.empty_hint.isVisibleTo(unlocked.window)
    assert "Geen dossiers bij dit filter" in workspace.empty_hint.text()


def test_status_and_deadline_filters_and_the_dashboard_tiles(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    model = workspace.model
    workspace.set_status_filter(StatusFilter.CLOSED)
    assert model.rowCount() == 4 and {model.row_data(r).status for r in range(4)} == {"gesloten"}
    workspace.set_status_filter(StatusFilter.ALL)
    workspace.set_deadline_filter(DeadlineFilter.OVERDUE)
    today = model.today.isoformat()
    overdue = [model.row_data(r) for r in range(model.rowCount())]
    assert overdue and all(row.next_deadline < today for row in overdue)
    workspace.set_deadline_filter(DeadlineFilter.THIS_WEEK)
    assert all(today <= model.row_data(r).next_deadline for r in range(model.rowCount()))
    workspace.set_deadline_filter(DeadlineFilter.ALL)
    tile = workspace.dashboard.overdue_pip
    expected = int(tile.number.text())
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert workspace.deadline_combo.currentData() is DeadlineFilter.PIP_OVERDUE
    assert model.rowCount() == expected >= 2
    assert all(model.row_data(r).deadline_kind == "pip_termijn" for r in range(expected))
    assert workspace.table.hasFocus()
    qtbot.mouseClick(workspace.dashboard.without_lbt, Qt.MouseButton.LeftButton)
    assert model.rowCount() == int(workspace.dashboard.without_lbt.number.text())
    assert all(not model.row_data(r).lbt_result for r in range(model.rowCount()))
    qtbot.mouseClick(workspace.dashboard.status_buttons["concept_pip"], Qt.MouseButton.LeftButton)
    assert model.rowCount() == 5 and workspace.deadline_combo.currentData() is DeadlineFilter.ALL


def test_sorting_by_column_keeps_the_selection(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    header = workspace.table.horizontalHeader()
    workspace.select_case(workspace.model.case_id(3))
    selected = workspace.selected_case()
    header.setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
    shown = names(workspace)
    assert shown == sorted(shown, key=str.casefold)
    header.setSortIndicator(NAME, Qt.SortOrder.DescendingOrder)
    assert names(workspace) == sorted(shown, key=str.casefold, reverse=True)
    header.setSortIndicator(DEADLINE, Qt.SortOrder.AscendingOrder)
    dates = [workspace.model.row_data(r).next_deadline for r in range(workspace.model.rowCount())]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[len(dated):] == [None] * (len(dates) - len(dated))
    assert workspace.selected_case() == selected
    workspace.search_edit.setText("a")  # a filter keeps the sort order
    filtered = [workspace.model.row_data(r).next_deadline for r in range(workspace.model.rowCount())]
    assert [d for d in filtered if d] == sorted(d for d in filtered if d)


def test_enter_on_a_case_opens_it_at_its_last_question(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    case_id = workspace.model.case_id(2)
    unlocked.controller.session.set_position(case_id, ("nationality", ""))
    qtbot.keyClick(workspace, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(workspace.search_edit, workspace.model.row_data(2).v_number)
    qtbot.keyClick(workspace.search_edit, Qt.Key.Key_Return)  # to the list, first row selected
    assert workspace.table.hasFocus() and workspace.selected_case() == case_id
    qtbot.keyClick(workspace.table, Qt.Key.Key_Return)
    assert unlocked.window.current_screen() is Screen.INTAKE
    assert unlocked.controller.intake is not None
    assert unlocked.controller.intake.current_key == ("nationality", "")


def test_closing_can_be_undone_from_the_notice(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    workspace.select_case(workspace.model.case_id(0))
    case_id = workspace.selected_case()
    status = workspace.model.row_data(0).status
    qtbot.mouseClick(workspace.close_button, Qt.MouseButton.LeftButton)
    assert workspace.model.row_of(case_id) == -1  # archived: gone from the open cases
    assert workspace.notice.isVisibleTo(unlocked.window) and "gesloten" in workspace.notice_label.text()
    qtbot.mouseClick(workspace.notice_button, Qt.MouseButton.LeftButton)
    row = workspace.model.row_of(case_id)
    assert row >= 0 and workspace.model.row_data(row).status == status
    assert workspace.selected_case() == case_id


def test_delete_asks_for_a_reason_and_a_confirmation(qtbot: QtBot, unlocked: Shell, monkeypatch: Any) -> None:
    workspace = unlocked.window.workspace
    controller = unlocked.controller.workspace_controller
    assert controller is not None
    workspace.select_case(workspace.model.case_id(0))
    case_id = workspace.selected_case()
    seen: list[Any] = []

    def answer(dialog: Any) -> bool:
        seen.append(dialog)
        assert not dialog.delete_button.isEnabled()
        dialog.reason_combo.setCurrentIndex(2)
        assert not dialog.delete_button.isEnabled()  # not without ticking the confirmation
        dialog.confirm.setChecked(True)
        assert dialog.delete_button.isEnabled()
        dialog.delete_button.click()
        return bool(dialog.result())

    monkeypatch.setattr(controller, "exec_dialog", answer)
    qtbot.keyClick(workspace.table, Qt.Key.Key_Delete)
    assert len(seen) == 1
    assert workspace.model.row_of(case_id) == -1
    assert all(row.id != case_id for row in unlocked.controller.session.cases.rows())


def test_coa_import_from_the_workspace_with_preview_and_undo(qtbot: QtBot, unlocked: Shell, monkeypatch: Any) -> None:
    workspace = unlocked.window.workspace
    controller = unlocked.controller.workspace_controller
    assert controller is not None
    shown: list[Any] = []
    monkeypatch.setattr(controller, "choose_open_file", lambda *_: EXAMPLE)

    def accept(dialog: Any) -> bool:
        shown.append(dialog)
        assert dialog.import_button.isEnabled()
        assert dialog.table.rowCount() == len(dialog.preview.lines) > 40
        return True

    monkeypatch.setattr(controller, "exec_dialog", accept)
    qtbot.keyClick(workspace, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert len(shown) == 1
    case_id = workspace.selected_case()
    row = workspace.model.row_data(workspace.model.row_of(case_id))
    assert row.display_name == "Amina Haddad" and row.origin == "coa_import"
    assert "geïmporteerd" in workspace.notice_label.text()
    # The same file again: the preview shows the duplicate and cannot be imported.
    def refuse(dialog: Any) -> bool:
        shown.append(dialog)
        assert not dialog.import_button.isEnabled()
        assert "al geïmporteerd" in dialog.problems.item(0).text()
        return False

    monkeypatch.setattr(controller, "exec_dialog", refuse)
    count = len(unlocked.controller.session.cases.rows())
    assert controller.import_coa() == ""
    assert len(shown) == 2 and len(unlocked.controller.session.cases.rows()) == count
    # The first import's notice still offers the undo: the whole case goes.
    assert workspace.notice_button.isVisibleTo(unlocked.window)
    qtbot.mouseClick(workspace.notice_button, Qt.MouseButton.LeftButton)
    assert len(unlocked.controller.session.cases.rows()) == count - 1
    assert workspace.model.row_of(case_id) == -1
    assert "ongedaan gemaakt" in workspace.notice_label.text()


def test_locking_clears_the_list_the_filter_and_the_counts(qtbot: QtBot, unlocked: Shell) -> None:
    workspace = unlocked.window.workspace
    workspace.search_edit.setText("amina")
    unlocked.controller.lock()
    assert workspace.model.rowCount() == 0 and workspace.model.all_rows() == []
    assert workspace.search_edit.text() == ""
    assert workspace.dashboard.overdue_pip.number.text() == "0"


def test_transfer_from_the_workspace_marks_the_case_and_can_be_undone(
    qtbot: QtBot, unlocked: Shell, monkeypatch: Any, tmp_path: Path
) -> None:
    from intake_app.services import transfer

    workspace = unlocked.window.workspace
    controller = unlocked.controller.workspace_controller
    assert controller is not None
    workspace.select_case(workspace.model.case_id(0))
    case_id = workspace.selected_case()
    package = tmp_path / "uit.intake-overdracht"

    def fill(dialog: Any) -> bool:
        dialog.municipality.setText("Gemeente Demo")
        dialog.passphrase.setText("zeven groene kikkers zingen vals")
        dialog.repeat.setText("zeven groene kikkers zingen vals")
        return True

    monkeypatch.setattr(controller, "exec_dialog", fill)
    monkeypatch.setattr(controller, "choose_save_file", lambda *_: package)
    monkeypatch.setattr(transfer.keys.KdfParams, "DEFAULT", transfer.keys.KdfParams.FAST_FOR_TESTS)
    qtbot.mouseClick(workspace.transfer_button, Qt.MouseButton.LeftButton)
    assert package.is_file() and transfer.needs(package.read_bytes()) == "passphrase"
    assert workspace.model.row_of(case_id) == -1  # transferred: no longer among the open cases
    assert "overgedragen" in workspace.notice_label.text()
    qtbot.mouseClick(workspace.notice_button, Qt.MouseButton.LeftButton)
    assert workspace.model.row_of(case_id) >= 0


def test_the_retention_dialog_deletes_the_expired_cases(qtbot: QtBot, unlocked: Shell, monkeypatch: Any) -> None:
    workspace = unlocked.window.workspace
    controller = unlocked.controller.workspace_controller
    assert controller is not None
    assert "bewaartermijn" in workspace.notice_label.text()  # offered right after unlocking
    expired = [case_id for case_id, _name, _closed in controller.expired_cases()]
    assert len(expired) == 2
    monkeypatch.setattr(controller, "ask", lambda *_: True)

    def delete_checked(dialog: Any) -> bool:
        assert dialog.expired.count() == 2
        dialog.delete_button.click()
        assert dialog.expired.count() == 0
        return False

    monkeypatch.setattr(controller, "exec_dialog", delete_checked)
    qtbot.mouseClick(workspace.notice_button, Qt.MouseButton.LeftButton)  # "Bekijken…"
    remaining = {row.id for row in unlocked.controller.session.cases.rows()}
    assert remaining.isdisjoint(expired) and len(remaining) == 28
    assert "2 dossiers verwijderd" in workspace.notice_label.text()
