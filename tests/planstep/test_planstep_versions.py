"""Plan versions in a real vault: append-only, amendments, PDFs with their SHA-256, audited export."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from planstep_profiles import REFERENCE, refugee, vault_with_case

from intake_app.plan import AmendmentReason, PlanValidationError, Route
from intake_app.plan.amendments import StepDownEvidence
from intake_app.plan.enums import LanguageLevel
from intake_app.services import plan_service as ps
from intake_app.services.vault_service import CaseStatus, VaultSession
from intake_app.storage.plans import PlanFixedNeedsReason, PlanVersionConflict
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE

EXTRAS = ps.PlanExtras(provider_name="Taalschool De Brug", municipality="Gemeente Zwolle")
MOTIVATION = "In de lessen blijkt dat zij veel meer aankan dan de toets liet zien."


@pytest.fixture
def case(tmp_path: Path) -> Iterator[tuple[VaultSession, str]]:
    session, case_id = vault_with_case(tmp_path / "vault", refugee(lbt_score=14, lbt_outcome="b1_not_feasible"))
    yield session, case_id
    if session.is_open:
        session.lock()


def _save(session: VaultSession, case_id: str, route: Route, on: date, *, fix: bool = False,
          motivation: str = "", reason: AmendmentReason | None = None,
          step_down: StepDownEvidence | None = None) -> ps.PlanVersionInfo:
    plan = ps.open_plan(session, case_id, on)
    fixed = ps.stored_content(session, case_id, plan.fixed_version.number) if plan.fixed_version else None
    proposal = ps.build_plan(plan, route, on=on, motivation=motivation, extras=EXTRAS, amendment_reason=reason,
                             fixed_content=fixed, step_down=step_down)
    return ps.save_plan(session, plan, proposal, fix=fix, today=on)


def test_two_saves_keep_two_versions_and_the_first_unchanged(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    first = _save(session, case_id, Route.Z, date(2024, 6, 3))
    first_row = session.plan_version(case_id, 1)
    assert session.case(case_id).status is CaseStatus.DRAFT_PIP
    second = _save(session, case_id, Route.B1, date(2024, 6, 4), motivation=MOTIVATION)
    assert (first.number, second.number) == (1, 2)
    assert session.plan_version(case_id, 1) == first_row  # untouched, byte for byte
    assert [v.number for v in ps.open_plan(session, case_id, REFERENCE).versions] == [1, 2]
    one, two = ps.stored_content(session, case_id, 1), ps.stored_content(session, case_id, 2)
    assert (one.version, one.route.route, one.pip_date) == (1, Route.Z, date(2024, 6, 3))
    assert (two.version, two.route.route, two.pip_date) == (2, Route.B1, date(2024, 6, 4))
    assert two.reasoning.deviates_from_advice and two.reasoning.motivation == MOTIVATION
    decision = ps.stored_decision(session, case_id, 2)
    assert decision.advice.fired_ids == ps.open_plan(session, case_id, date(2024, 6, 4)).advice.fired_ids  # type: ignore[union-attr]


def test_stored_content_reads_back_equal_to_what_was_built(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    on = date(2024, 6, 3)
    plan = ps.open_plan(session, case_id, on)
    proposal = ps.build_plan(plan, Route.Z, on=on, extras=EXTRAS)
    ps.save_plan(session, plan, proposal, fix=False, today=on)
    assert ps.stored_content(session, case_id) == proposal.content
    assert ps.stored_decision(session, case_id) == proposal.decision


def test_a_deviation_without_motivation_is_refused_and_nothing_is_stored(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    plan = ps.open_plan(session, case_id, REFERENCE)
    with pytest.raises(PlanValidationError) as raised:
        ps.build_plan(plan, Route.B1, on=REFERENCE, motivation="past beter")
    assert raised.value.code == "decision.motivation_too_short"
    assert session.plan_versions(case_id) == []


def test_fixing_sets_the_status_and_later_changes_need_a_legal_reason(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    _save(session, case_id, Route.Z, date(2024, 6, 3))
    fixed = _save(session, case_id, Route.Z, date(2024, 6, 5), fix=True)
    assert fixed.state is ps.VersionState.FIXED
    assert session.case(case_id).status is CaseStatus.PIP_FIXED
    assert session.case(case_id).next_deadline is not None

    with pytest.raises(PlanValidationError) as raised:
        _save(session, case_id, Route.B1, date(2024, 9, 1), motivation=MOTIVATION)
    assert raised.value.code == "plan.amendment_reason_missing"
    with pytest.raises(PlanFixedNeedsReason):  # the vault refuses too, whoever asks
        session.save_plan_version(case_id, number=3, state=ps.VersionState.CONCEPT, dagtekening=date(2024, 9, 1),
                                  route="b1_route", form_version="x", decision_json='{"state": "concept"}',
                                  content_json="{}")

    amended = _save(session, case_id, Route.B1, date(2024, 9, 1), motivation=MOTIVATION,
                    reason=AmendmentReason.ROUTE_SWITCH)
    assert amended.amendment_reason is AmendmentReason.ROUTE_SWITCH
    assert session.plan_version(case_id).amendment_reason == "wijziging_leerroute"  # type: ignore[union-attr]
    assert session.case(case_id).status is CaseStatus.PIP_FIXED
    # The amendment does not restart the three-year term.
    fixed_content, amended_content = ps.stored_content(session, case_id, 2), ps.stored_content(session, case_id, 3)
    assert amended_content.deadlines == fixed_content.deadlines
    assert amended_content.pip_date == date(2024, 9, 1)


def test_a_version_built_for_an_old_number_is_not_renumbered(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    plan = ps.open_plan(session, case_id, REFERENCE)
    proposal = ps.build_plan(plan, Route.Z, on=REFERENCE)
    ps.save_plan(session, plan, proposal, fix=False, today=REFERENCE)
    with pytest.raises(PlanVersionConflict):
        ps.save_plan(session, plan, proposal, fix=False, today=REFERENCE)
    assert len(session.plan_versions(case_id)) == 1


def test_saving_stores_the_dutch_and_the_client_pdf_with_their_sha256(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    _save(session, case_id, Route.Z, REFERENCE)
    for language in ("nl", "en"):
        document = session.plan_document(case_id, 1, language)
        assert document is not None and document.pdf.startswith(b"%PDF")
        assert document.sha256 == hashlib.sha256(document.pdf).hexdigest()
    assert session.plan_document(case_id, 1, "ar") is None
    arabic = ps.pdf_for_version(session, case_id, "ar")
    assert ps.pdf_for_version(session, case_id, "ar") == arabic  # rendered once, then the stored one


def test_export_writes_the_stored_pdf_and_an_audit_entry(case: tuple[VaultSession, str], tmp_path: Path) -> None:
    session, case_id = case
    _save(session, case_id, Route.Z, REFERENCE)
    exports_before = _exports(tmp_path / "vault", case_id)
    target = tmp_path / "uit" / "pip.pdf"
    target.parent.mkdir()
    ps.export_pdf(session, case_id, "nl", target)
    assert target.read_bytes() == session.plan_document(case_id, 1, "nl").pdf  # type: ignore[union-attr]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left behind
    session.lock()
    assert _exports(tmp_path / "vault", case_id) == [*exports_before, "plan_document:1:nl"]


def test_nothing_reaches_the_disk_without_an_export(case: tuple[VaultSession, str], tmp_path: Path) -> None:
    session, case_id = case
    before = {path for path in tmp_path.rglob("*")}
    _save(session, case_id, Route.Z, REFERENCE)
    plan = ps.open_plan(session, case_id, REFERENCE)
    ps.preview_pdf(plan, ps.build_plan(plan, Route.Z, on=REFERENCE), "ar")
    new = {path for path in tmp_path.rglob("*")} - before
    assert not [path for path in new if path.suffix == ".pdf"]


def test_unknown_language_is_refused_in_dutch(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    _save(session, case_id, Route.Z, REFERENCE)
    with pytest.raises(PlanValidationError) as raised:
        ps.pdf_for_version(session, case_id, "xx")
    assert "Onbekende taal" in str(raised.value)


def _exports(folder: Path, case_id: str) -> list[str]:
    vault = Vault.unlock(folder, OFFICER, PASSPHRASE)
    try:
        rows = vault.audit_entries(1000)
        assert vault.verify_audit() == []
        return [row.detail for row in reversed(rows) if row.action == "export" and row.case_id == case_id]
    finally:
        vault.close(make_backup=False)


def test_decision_json_records_the_state_and_extras(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    _save(session, case_id, Route.Z, REFERENCE, fix=True)
    data = json.loads(session.plan_version(case_id).decision_json)  # type: ignore[union-attr]
    assert data["state"] == "vastgesteld"
    assert data["extras"]["provider_name"] == "Taalschool De Brug"
    assert data["decision"]["route"] == "z_route"


def test_stepping_down_to_a2_is_recorded_as_its_legal_reason(case: tuple[VaultSession, str]) -> None:
    session, case_id = case
    _save(session, case_id, Route.B1, date(2024, 6, 5), fix=True, motivation=MOTIVATION)
    assert ps.stored_content(session, case_id, 1).route.target_level is LanguageLevel.B1
    effort = "Zij volgde alle lessen, deed twee keer examen en kreeg extra begeleiding."
    too_early = StepDownEvidence(course_hours_followed=599, effort_demonstrated=True, effort_description=effort)
    with pytest.raises(PlanValidationError) as raised:
        _save(session, case_id, Route.B1, date(2025, 9, 1), motivation=MOTIVATION,
              reason=AmendmentReason.STEP_DOWN_TO_A2, step_down=too_early)
    assert raised.value.code == "amendment.step_down_hours"
    with pytest.raises(PlanValidationError) as other_route:
        _save(session, case_id, Route.Z, date(2025, 9, 1), motivation=MOTIVATION,
              reason=AmendmentReason.STEP_DOWN_TO_A2, step_down=too_early)
    assert other_route.value.code == "plan.step_down_keeps_route"
    assert [v.number for v in ps.open_plan(session, case_id, REFERENCE).versions] == [1]  # nothing stored

    enough = StepDownEvidence(course_hours_followed=600, effort_demonstrated=True, effort_description=effort)
    amended = _save(session, case_id, Route.B1, date(2025, 9, 1), motivation=MOTIVATION,
                    reason=AmendmentReason.STEP_DOWN_TO_A2, step_down=enough)
    assert amended.amendment_reason is AmendmentReason.STEP_DOWN_TO_A2
    content = ps.stored_content(session, case_id, 2)
    assert (content.route.route, content.route.target_level) == (Route.B1, LanguageLevel.A2)
    assert content.exams.target_level is LanguageLevel.A2
    assert content.deadlines == ps.stored_content(session, case_id, 1).deadlines  # the term is not restarted
