"""Transfer packages between two vaults: passphrase or public key, plan versions included, route kept."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from intake_app.services import coa_import, transfer
from intake_app.services.vault_service import AuditAction, VaultSession, create_vault
from intake_app.storage.keys import KdfParams, generate_recovery_key

from support import PASSPHRASE
from workspace_support import EXAMPLE

SECRET = "paarse kameel fietst naar Dokkum"
FAST = KdfParams.FAST_FOR_TESTS


@pytest.fixture
def receiver(tmp_path: Path) -> VaultSession:
    session = create_vault(tmp_path / "ontvanger", "Piet Jansen", PASSPHRASE, kdf=FAST)
    yield session
    session.lock()


def case_with_plan(session: VaultSession) -> str:
    case_id = coa_import.import_file(session, EXAMPLE).case_id
    session.save_answer(case_id, ("lbt_status", ""), "done")
    decision = json.dumps({"state": "vastgesteld", "decision": {"route": "z_route"}})
    session.save_plan_version(
        case_id, number=1, state=_fixed(), dagtekening=date(2026, 10, 20), route="z_route",
        form_version="2026.1", decision_json=decision, content_json="{}",
    )
    session.store_plan_document(case_id, 1, "nl", b"%PDF-1.4 beschikking")
    return case_id


def _fixed() -> object:
    from intake_app.storage.plans import VersionState

    return VersionState.FIXED


def test_a_case_travels_with_its_answers_and_plan_by_passphrase(
    session: VaultSession, receiver: VaultSession, tmp_path: Path
) -> None:
    case_id = case_with_plan(session)
    package = tmp_path / transfer.default_file_name()
    transfer.export_case(session, case_id, package, transfer.Protection(passphrase=SECRET),
                         sending_municipality="Gemeente Cranendonck", kdf=FAST)
    assert b"Haddad" not in package.read_bytes() and b"245816707" not in package.read_bytes()
    assert transfer.needs(package.read_bytes()) == "passphrase"
    sent = session.cases.row(case_id)
    assert sent.status == "overgedragen" and sent.next_deadline is None
    assert any(e.action == AuditAction.EXPORT.value and e.detail == "transfer:passphrase"
               for e in session._vault.audit_entries() if e.case_id == case_id)

    preview = transfer.read_package(package, passphrase=SECRET)
    assert (preview.display_name, preview.route, preview.plan_versions) == ("Amina Haddad", "z_route", 1)
    assert preview.sending_municipality == "Gemeente Cranendonck"
    new_id = transfer.import_package(receiver, preview)

    assert receiver.answers(new_id) == session.answers(case_id)
    row = receiver.cases.row(new_id)
    assert (row.status, row.origin, row.client_language) == ("pip_vastgesteld", "transfer_in", "ar")
    assert receiver.cases.origin(new_id)[1] == "Gemeente Cranendonck"
    (version,) = receiver.plan_versions(new_id)
    assert (version.route, version.dagtekening, version.number) == ("z_route", date(2026, 10, 20), 1)
    assert receiver.plan_document(new_id, 1, "nl").pdf == b"%PDF-1.4 beschikking"
    # The fixed PIP's date carries the deadlines on: no PIP deadline, the route-switch window next.
    assert row.deadline_kind == "laatste_dag_routewissel" and row.next_deadline == "2028-04-20"
    with pytest.raises(transfer.TransferAlreadyImported):
        transfer.import_package(receiver, transfer.read_package(package, passphrase=SECRET))
    # The sender can regret it: the case goes back to its status.
    assert session.cases.reopen(case_id).value == "pip_vastgesteld"


def test_a_package_for_a_public_key_opens_only_with_its_private_key(
    session: VaultSession, receiver: VaultSession, tmp_path: Path
) -> None:
    municipal = generate_recovery_key()
    case_id = coa_import.import_file(session, EXAMPLE).case_id
    package = tmp_path / "pakket.intake-overdracht"
    transfer.export_case(session, case_id, package, transfer.Protection(public_key=municipal.public_key()))
    assert transfer.needs(package.read_bytes()) == "key"
    with pytest.raises(transfer.NeedsPrivateKey):
        transfer.read_package(package)
    with pytest.raises(transfer.WrongTransferKey):
        transfer.read_package(package, private_key=generate_recovery_key())
    new_id = transfer.import_package(receiver, transfer.read_package(package, private_key=municipal))
    assert receiver.answers(new_id) == session.answers(case_id)


def test_a_wrong_passphrase_or_a_changed_byte_is_refused(session: VaultSession, tmp_path: Path) -> None:
    case_id = coa_import.import_file(session, EXAMPLE).case_id
    package = tmp_path / "p.intake-overdracht"
    transfer.export_case(session, case_id, package, transfer.Protection(passphrase=SECRET), kdf=FAST)
    with pytest.raises(transfer.WrongTransferSecret):
        transfer.read_package(package, passphrase="verkeerd wachtwoord hier")
    with pytest.raises(transfer.NeedsPassphrase):
        transfer.read_package(package)
    data = bytearray(package.read_bytes())
    for position in (len(transfer.MAGIC) + 10, len(data) - 5):  # in the header, in the ciphertext
        tampered = tmp_path / f"t{position}.intake-overdracht"
        changed = bytearray(data)
        changed[position] ^= 0x01
        tampered.write_bytes(bytes(changed))
        with pytest.raises(transfer.TransferError):
            transfer.read_package(tampered, passphrase=SECRET)
    not_a_package = tmp_path / "x.intake-overdracht"
    not_a_package.write_bytes(b"%PDF-1.4")
    with pytest.raises(transfer.NotATransfer):
        transfer.read_package(not_a_package, passphrase=SECRET)


def test_a_weak_passphrase_is_refused_and_nothing_is_written(session: VaultSession, tmp_path: Path) -> None:
    case_id = coa_import.import_file(session, EXAMPLE).case_id
    package = tmp_path / "p.intake-overdracht"
    with pytest.raises(transfer.WeakTransferPassphrase):
        transfer.export_case(session, case_id, package, transfer.Protection(passphrase="welkom"), kdf=FAST)
    assert not package.exists()
    assert session.cases.row(case_id).status == "nieuw"
