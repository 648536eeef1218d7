"""The COA handover import: every problem per field in Dutch, nothing half-imported, duplicates, undo."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from intake_app.services import coa_import
from intake_app.services.coa_import import Severity
from intake_app.services.vault_service import AuditAction, VaultSession

from workspace_support import EXAMPLE, write_json

TODAY = date(2026, 11, 23)


def problems(preview: coa_import.CoaPreview) -> dict[str, str]:
    return {problem.path: problem.render() for problem in preview.problems}


def test_the_documented_example_imports_as_a_new_case_with_its_answers(session: VaultSession) -> None:
    preview = coa_import.preview(session, EXAMPLE, today=TODAY)
    assert preview.can_import, [p.render() for p in preview.problems]
    assert preview.display_name == "Amina Haddad"
    assert preview.client_language == "ar"
    result = coa_import.import_preview(session, preview)
    answers = session.answers(result.case_id)
    assert answers[("family_name", "")] == "Haddad"
    assert answers[("target_group", "")] == "asylum_permit_holder"  # implied by a COA handover
    assert answers[("coa_profile_received", "")] == "yes"
    assert answers[("mother_tongues", "")] == ["ar"]
    assert answers[("azc_location", "")].startswith("AZC Budel")
    educations = answers[("educations", "")]
    assert len(educations) == 2
    assert answers[("education_level", educations[1])] == "bachelor"
    assert answers[("job_occupation", answers[("jobs", "")][0])] == "Apothekersassistente"
    row = session.cases.row(result.case_id)
    assert (row.status, row.origin, row.client_language) == ("nieuw", "coa_import", "ar")
    assert row.next_deadline is not None and row.deadline_kind == "pip_termijn"
    assert session.case(result.case_id).last_question_id == ""  # the intake starts at the beginning


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("Naam: Amina Haddad".encode("cp1252") + b"\xe9", "geen UTF-8-tekst"),
        (b"", "leeg"),
        (b'{"format": "intake_app.coa_handover", "version": 1,', "geen geldige JSON"),
        (b"[1, 2, 3]", "één JSON-object"),
        (b'{"format": "iets anders", "version": 1}', "geen COA-overdracht"),
        (b'{"format": "intake_app.coa_handover", "version": 7}', "Versie 7"),
    ],
)
def test_a_file_that_is_not_a_handover_is_refused_with_a_clear_message(
    session: VaultSession, tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "coa.json"
    path.write_bytes(content)
    preview = coa_import.preview(session, path, today=TODAY)
    assert not preview.can_import
    assert expected in preview.errors[0].render()
    with pytest.raises(coa_import.CoaImportRefused):
        coa_import.import_preview(session, preview)
    assert session.cases.rows() == []


def test_a_latin1_file_names_the_byte_where_reading_failed(session: VaultSession, tmp_path: Path,
                                                           coa_document: dict[str, Any]) -> None:
    path = tmp_path / "coa.json"
    path.write_bytes(json.dumps(coa_document, ensure_ascii=False).encode("latin-1", errors="replace"))
    (problem,) = coa_import.preview(session, path, today=TODAY).errors
    assert "UTF-8" in problem.render() and "byte" in problem.render()


def test_a_utf8_byte_order_mark_is_accepted(session: VaultSession, tmp_path: Path) -> None:
    path = tmp_path / "coa.json"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    assert coa_import.preview(session, path, today=TODAY).can_import


def test_a_10_mb_file_is_refused_before_it_is_read(session: VaultSession, tmp_path: Path) -> None:
    path = tmp_path / "groot.json"
    with path.open("wb") as handle:
        handle.write(b'{"format": "intake_app.coa_handover", "version": 1, "x": "')
        handle.write(b"a" * 10_000_000)
        handle.write(b'"}')
    preview = coa_import.preview(session, path, today=TODAY)
    (problem,) = preview.errors
    assert "te groot (10,0 MB)" in problem.render()
    assert preview.answers == ()


def test_missing_and_unknown_fields_are_listed_per_field(
    session: VaultSession, tmp_path: Path, coa_document: dict[str, Any]
) -> None:
    del coa_document["person"]["v_number"]
    del coa_document["person"]["family_name"]
    coa_document["person"]["geboortedatum"] = "1994-03-12"
    coa_document["person"]["shoe_size"] = 41
    coa_document["education"]["educations"][0]["leve"] = "bachelor"
    coa_document["pets"] = {"cat": True}
    preview = coa_import.preview(session, write_json(tmp_path / "coa.json", coa_document), today=TODAY)
    found = problems(preview)
    assert found["person.v_number"] == "person.v_number (V-nummer (vreemdelingennummer)): Verplicht veld ontbreekt."
    assert found["person.family_name"] == "person.family_name (Achternaam): Verplicht veld ontbreekt."
    assert "bedoelde u ‘date_of_birth’" in found["person.geboortedatum"]
    assert found["person.shoe_size"] == "person.shoe_size: Onbekend veld; dit wordt niet geïmporteerd."
    assert "bedoelde u ‘level’" in found["education.educations[1].leve"]
    assert "Onbekend veld" in found["pets"]
    assert not preview.can_import
    assert all(problem.severity is Severity.ERROR for problem in preview.problems)


def test_values_are_checked_by_the_questionnaires_validators(
    session: VaultSession, tmp_path: Path, coa_document: dict[str, Any]
) -> None:
    person = coa_document["person"]
    person["bsn"] = "123456789"
    person["v_number"] = "12345"
    person["date_of_birth"] = "2015-02-30"
    person["sex"] = "vrouw"
    coa_document["dates"]["duo_notification_date"] = "2027-01-01"
    coa_document["languages"]["mother_tongues"] = ["ar", "klingon"]
    coa_document["household"]["household_size"] = 2.5
    coa_document["work"]["jobs"][0]["start_year"] = "2015"
    coa_document["azc"]["contact_phone"] = "bel maar"
    found = problems(coa_import.preview(session, write_json(tmp_path / "c.json", coa_document), today=TODAY))
    assert found["person.bsn"].endswith("Dit BSN klopt niet. Controleer de cijfers.")
    assert found["person.v_number"].endswith("Een V-nummer bestaat uit precies 10 cijfers.")
    assert "De datum 2015-02-30 bestaat niet" in found["person.date_of_birth"]
    assert "Onbekende waarde ‘vrouw’. Mogelijk: female, male, unspecified." in found["person.sex"]
    assert "ligt in de toekomst" in found["dates.duo_notification_date"]
    assert "‘klingon’" in found["languages.mother_tongues"]
    assert "heel getal" in found["household.household_size"]
    assert "heel getal" in found["work.jobs[1].start_year"]
    assert "niet de juiste vorm" in found["azc.contact_phone"]


def test_an_answer_the_questionnaire_would_not_use_is_a_warning(
    session: VaultSession, tmp_path: Path, coa_document: dict[str, Any]
) -> None:
    coa_document["azc"]["lives_in_azc"] = "no"  # but the AZC address is still filled in
    preview = coa_import.preview(session, write_json(tmp_path / "c.json", coa_document), today=TODAY)
    assert preview.can_import
    assert [p.path for p in preview.warnings] == ["azc.location", "azc.contact_person", "azc.contact_phone"]


def test_the_same_file_twice_is_refused_and_the_same_v_number_is_flagged(
    session: VaultSession, tmp_path: Path, coa_document: dict[str, Any]
) -> None:
    first = coa_import.import_file(session, EXAMPLE, today=TODAY)
    again = coa_import.preview(session, EXAMPLE, today=TODAY)
    assert "al geïmporteerd" in again.errors[0].render()
    assert again.duplicate_of is not None and again.duplicate_of.case_id == first.case_id
    with pytest.raises(coa_import.CoaImportRefused):
        coa_import.import_preview(session, again)
    # Another file (a correction from COA) for the same person: allowed, with a warning.
    coa_document["person"]["preferred_name"] = "Amina"
    other = coa_import.preview(session, write_json(tmp_path / "c.json", coa_document), today=TODAY)
    assert other.can_import
    assert "Er is al een dossier met dit V-nummer (Amina Haddad)" in other.warnings[0].render()
    assert len(session.cases.rows()) == 1


def test_nothing_is_stored_when_the_import_fails_halfway(
    session: VaultSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview = coa_import.preview(session, EXAMPLE, today=TODAY)
    vault = session._vault
    original = vault.write_changes
    calls = 0

    def failing(connection: Any, case_id: str, changes: Any) -> list[str]:
        nonlocal calls
        calls += 1
        original(connection, case_id, list(changes)[:20])  # written, then the disk fills up
        raise OSError("disk full")

    monkeypatch.setattr(vault, "write_changes", failing)
    with pytest.raises(OSError):
        coa_import.import_preview(session, preview)
    assert calls == 1
    assert session.cases.rows() == []
    assert session.cases.find_import(preview.sha256) is None
    monkeypatch.undo()
    assert coa_import.import_preview(session, preview).answers == len(preview.answers)  # and it can be retried


def test_an_import_is_undone_as_a_whole_and_the_audit_keeps_both(session: VaultSession) -> None:
    result = coa_import.import_file(session, EXAMPLE, today=TODAY)
    session.save_answer(result.case_id, ("preferred_name", ""), "Ami")
    assert session.cases.changes_since_import(result.import_id) == 1
    coa_import.undo_import(session, result.import_id)
    assert session.cases.rows() == []
    assert session.answers(result.case_id) == {}
    entries = [(e.action, e.detail) for e in session._vault.audit_entries() if e.case_id == result.case_id]
    assert (AuditAction.DELETE.value, f"undo-import:coa:{result.import_id}") in entries
    assert (AuditAction.CREATE_CASE.value, f"coa:{result.import_id}") in entries
    assert session.verify_audit() == []
    # Undone, the same file may be imported again.
    assert coa_import.preview(session, EXAMPLE, today=TODAY).can_import
