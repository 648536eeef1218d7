"""The plan step with real widgets on a real vault, driven by the keyboard where an officer would."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from planstep_profiles import refugee, vault_with_case
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from intake_app.i18n import Catalog
from intake_app.plan import AmendmentReason, Route
from intake_app.services import plan_service as ps
from intake_app.services.vault_service import CaseStatus, VaultSession
from intake_app.ui.plan.controller import PlanController
from intake_app.ui.plan.step import PlanStep

TODAY = date(2024, 6, 3)
MOTIVATION = "In de lessen blijkt dat zij veel meer aankan dan de toets liet zien."


class Harness:
    def __init__(self, qtbot: QtBot, session: VaultSession, case_id: str) -> None:
        self.window = QMainWindow()
        self.step = PlanStep(Catalog("nl"))
        self.window.setCentralWidget(self.step)
        self.window.resize(1366, 768)
        qtbot.addWidget(self.window)
        self.session, self.case_id = session, case_id
        self.controller = PlanController(self.step, session, case_id, Catalog("nl"), today=lambda: TODAY)
        self.confirmed: list[date] = []
        self.controller.confirm_fix = lambda on: self.confirmed.append(on) is None
        self.window.show()
        self.window.activateWindow()
        self.controller.open("Meron Tesfamariam")


@pytest.fixture
def harness(qtbot: QtBot, tmp_path: Path) -> Iterator[Harness]:
    session, case_id = vault_with_case(tmp_path / "vault", refugee(lbt_score=14, lbt_outcome="b1_not_feasible"),
                                       client_language="ar")
    h = Harness(qtbot, session, case_id)
    yield h
    h.controller.detach()
    session.lock()


def test_the_advice_its_reasons_and_why_not_the_others(harness: Harness) -> None:
    step = harness.step
    assert "Z-route" in step.advice_status.text()
    assert "lager dan de cesuur van 28" in step.reasons.text()
    why_not = step.why_not.text()
    assert "Waarom niet de B1-route" in why_not and "Waarom niet de onderwijsroute" in why_not
    assert step.route_buttons[Route.Z].isChecked()
    assert step.route_buttons[Route.Z].text() == "Z-route (advies)"
    deadlines = {key: label.text() for key, label in step.deadline_values.items()}
    assert deadlines["pip_due"] == "10 mei 2024 — verlopen"  # 10 weeks after DUO's notification
    assert deadlines["term_end"] == "3 juni 2027"
    assert deadlines["ontzorgen_review"] == "1 oktober 2024"
    pixmap = step.preview.pixmap()
    assert not pixmap.isNull() and pixmap.width() > 300
    assert "Pagina 1 van" in step.preview_info.text()
    assert step.language.currentData() == "ar"  # the client's language for the translated copy


def test_a_deviation_without_motivation_is_refused_and_nothing_is_stored(qtbot: QtBot, harness: Harness) -> None:
    step = harness.step
    step.route_buttons[Route.Z].setFocus()
    qtbot.keyClick(step.route_buttons[Route.Z], Qt.Key.Key_Left)  # arrows move within the route group
    chosen = step.chosen_route()
    assert chosen is not None and chosen is not Route.Z
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Motiveer deze afwijking" in step.message.text()
    assert step.message.isVisibleTo(step)
    assert harness.session.plan_versions(harness.case_id) == []
    assert QApplication.focusWidget() is step.motivation  # where the officer has to write

    qtbot.keyClicks(step.motivation, "past beter bij haar")
    step.save_button.click()
    assert "te kort (4 woorden)" in step.message.text()
    assert harness.session.plan_versions(harness.case_id) == []

    step.motivation.clear()
    qtbot.keyClicks(step.motivation, MOTIVATION)
    qtbot.keyClick(step.motivation, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert step.message.text() == ""
    versions = harness.session.plan_versions(harness.case_id)
    assert [v.number for v in versions] == [1]
    assert ps.stored_content(harness.session, harness.case_id).reasoning.motivation == MOTIVATION
    assert "Versie 1 opgeslagen als concept" in step.status.text()
    assert harness.session.case(harness.case_id).status is CaseStatus.DRAFT_PIP


def test_concept_then_fix_then_amend_keeps_every_version(qtbot: QtBot, harness: Harness) -> None:
    step = harness.step
    assert harness.controller.save(False)
    qtbot.keyClick(step, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # &Vaststellen (an animated click)
    qtbot.waitUntil(lambda: harness.confirmed == [TODAY])
    assert [v.state for v in ps.open_plan(harness.session, harness.case_id, TODAY).versions] == [
        ps.VersionState.CONCEPT, ps.VersionState.FIXED]
    assert harness.session.case(harness.case_id).status is CaseStatus.PIP_FIXED
    assert step.amendment.isVisibleTo(step)
    assert step.versions.count() == 2 and "vastgesteld" in step.versions.item(0).text()

    step.choose_route(Route.B1)
    step.motivation.setPlainText(MOTIVATION)
    assert not harness.controller.save(False)
    assert "wettelijke reden" in step.message.text()
    step.amendment.setCurrentIndex(step.amendment.findData(AmendmentReason.ROUTE_SWITCH))
    assert harness.controller.save(False)
    latest = harness.session.plan_version(harness.case_id)
    assert latest is not None and (latest.number, latest.amendment_reason) == (3, "wijziging_leerroute")
    assert harness.session.case(harness.case_id).status is CaseStatus.PIP_FIXED


def test_export_writes_the_file_and_the_audit_entry(qtbot: QtBot, harness: Harness, tmp_path: Path) -> None:
    step = harness.step
    harness.controller.ask_export_path = lambda suggested: None
    step.export_button.click()
    assert "Sla eerst een versie op" in step.message.text()

    assert harness.controller.save(True)
    target = tmp_path / "export" / "pip.pdf"
    target.parent.mkdir()
    suggestions: list[str] = []
    harness.controller.ask_export_path = lambda suggested: suggestions.append(suggested) or target
    step.language.setCurrentIndex(step.language.findData("nl"))
    step.language.activated.emit(step.language.currentIndex())
    qtbot.keyClick(step, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert suggestions == ["PIP-versie-1-nl.pdf"]  # no name of the newcomer in the suggested file name
    stored = harness.session.plan_document(harness.case_id, 1, "nl")
    assert stored is not None and target.read_bytes() == stored.pdf
    assert "geëxporteerd" in step.status.text()


def test_the_fields_are_reachable_by_their_mnemonics(qtbot: QtBot, harness: Harness) -> None:
    step = harness.step
    for key, widget in ((Qt.Key.Key_M, step.motivation), (Qt.Key.Key_D, step.dagtekening),
                        (Qt.Key.Key_T, step.provider), (Qt.Key.Key_A, step.language)):
        qtbot.keyClick(step, key, Qt.KeyboardModifier.AltModifier)
        focused = QApplication.focusWidget()
        assert focused is widget or (focused is not None and widget.isAncestorOf(focused)), key


def test_locking_clears_the_step(harness: Harness) -> None:
    harness.controller.detach()
    assert harness.step.case_title.text() == ""
    assert harness.step.reasons.text() == ""
    assert harness.step.preview.pixmap().isNull()
    harness.controller = PlanController(harness.step, harness.session, harness.case_id, Catalog("nl"))


def test_switching_the_officer_language_keeps_the_advice_on_screen(harness: Harness) -> None:
    english = Catalog("en")
    harness.step.retranslate(english)
    harness.controller.retranslate(english)
    assert harness.step.reasons.text()  # still there (in English where the catalog has it)
    assert harness.step.route_buttons[Route.Z].isChecked()
    assert harness.step.deadline_values["term_end"].text() != ""


def test_stepping_down_to_a2_asks_for_hours_and_effort(qtbot: QtBot, harness: Harness) -> None:
    step = harness.step
    step.choose_route(Route.B1)
    step.motivation.setPlainText(MOTIVATION)
    assert harness.controller.save(True), step.message.text()  # a fixed plan on the B1-route
    assert not step.hours_followed.isVisibleTo(step)
    step.amendment.setCurrentIndex(step.amendment.findData(AmendmentReason.STEP_DOWN_TO_A2))
    step.amendment.activated.emit(step.amendment.currentIndex())
    assert step.hours_followed.isVisibleTo(step) and step.effort.isVisibleTo(step)

    step.choose_route(Route.B1)  # the amendment's own decision and motivation
    step.motivation.setPlainText(MOTIVATION)
    step.hours_followed.setValue(599)
    step.effort.setText("Alle lessen gevolgd, twee examenpogingen, extra begeleiding gehad.")
    assert not harness.controller.save(False)
    assert "600" in step.message.text()  # the amendment rules' own message, next to the fields
    step.hours_followed.setValue(600)
    assert harness.controller.save(False), step.message.text()
    latest = harness.session.plan_version(harness.case_id)
    assert latest is not None and latest.amendment_reason == AmendmentReason.STEP_DOWN_TO_A2.value
