"""The vault on a real SQLCipher file: accounts, answers, locking, recovery, damage, no plaintext."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from intake_app.storage import keys
from intake_app.storage.backup import list_backups
from intake_app.storage.errors import (
    CaseNotFound,
    VaultAlreadyExists,
    VaultDamaged,
    VaultLocked,
    VaultNotFound,
)
from intake_app.storage.keys import InvalidCredentials, KdfParams
from intake_app.storage.records import CaseStatus
from intake_app.storage.throttle import TooManyAttempts
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE


def _reopen(folder: Path) -> Vault:
    return Vault.unlock(folder, OFFICER, PASSPHRASE)


def test_answers_survive_lock_and_unlock(vault: Vault, vault_folder: Path) -> None:
    case_id = vault.create_case(client_language="ti")
    vault.save_answer(case_id, ("given_names", ""), "Meron")
    vault.save_answer(case_id, ("family_name", ""), "Tesfay")
    vault.save_answer(case_id, ("bsn", ""), "111222333")
    vault.save_answer(case_id, ("education_level", "e1"), "bachelor")
    vault.save_answer(case_id, ("languages", ""), ["ti", "ar"])
    vault.close()
    again = _reopen(vault_folder)
    assert again.answers(case_id) == {
        ("given_names", ""): "Meron",
        ("family_name", ""): "Tesfay",
        ("bsn", ""): "111222333",
        ("education_level", "e1"): "bachelor",
        ("languages", ""): ["ti", "ar"],
    }
    summary = again.case(case_id)
    assert summary.display_name == "Meron Tesfay"
    assert summary.bsn == "111222333"
    assert summary.client_language == "ti"
    assert summary.status is CaseStatus.INTAKE_IN_PROGRESS
    assert summary.last_question_id == "languages"
    again.close()


def test_every_change_is_queued_for_sync_with_its_base_version(vault: Vault) -> None:
    case_id = vault.create_case()
    first = vault.save_answer(case_id, ("given_names", ""), "Sara")
    second = vault.save_answer(case_id, ("given_names", ""), "Sarah")
    vault.clear_answer(case_id, ("given_names", ""))
    with vault.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT value_json, version, base_version FROM changes ORDER BY seq")
        ).all()
    assert [r[0] for r in rows] == ['"Sara"', '"Sarah"', None]
    assert rows[0][2] is None and rows[1][2] == first and rows[2][2] == second
    assert second > first
    assert vault.pending_changes() == 3


def test_saving_to_an_unknown_case_is_refused(vault: Vault) -> None:
    with pytest.raises(CaseNotFound):
        vault.save_answer("nope", ("given_names", ""), "X")


def test_create_refuses_an_existing_vault(vault: Vault, vault_folder: Path) -> None:
    with pytest.raises(VaultAlreadyExists):
        Vault.create(vault_folder, "Iemand", PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)


def test_unlock_of_a_missing_vault_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        Vault.unlock(tmp_path / "leeg", OFFICER, PASSPHRASE)
    assert not (tmp_path / "leeg").exists()


def test_wrong_passphrase_and_unknown_officer_look_the_same(vault: Vault, vault_folder: Path) -> None:
    vault.close()
    before = (vault_folder / "vault.db").read_bytes()
    with pytest.raises(InvalidCredentials) as wrong_pass:
        Vault.unlock(vault_folder, OFFICER, "fout wachtwoord")
    with pytest.raises(InvalidCredentials) as unknown:
        Vault.unlock(vault_folder, "Onbekende Collega", PASSPHRASE)
    assert wrong_pass.value.message == unknown.value.message
    assert "klopt niet" in wrong_pass.value.message
    assert (vault_folder / "vault.db").read_bytes() == before  # nothing created or overwritten


def test_repeated_failures_make_the_officer_wait(vault: Vault, vault_folder: Path) -> None:
    vault.close()
    now = [1_000_000.0]
    clock = lambda: now[0]  # noqa: E731
    for _ in range(4):
        with pytest.raises(InvalidCredentials):
            Vault.unlock(vault_folder, OFFICER, "fout", clock=clock)
    with pytest.raises(TooManyAttempts) as waiting:
        Vault.unlock(vault_folder, OFFICER, PASSPHRASE, clock=clock)  # even the right one must wait
    assert waiting.value.seconds >= 2
    now[0] += waiting.value.seconds
    Vault.unlock(vault_folder, OFFICER, PASSPHRASE, clock=clock).close()


def test_locked_vault_refuses_work(vault: Vault) -> None:
    vault.close()
    with pytest.raises(VaultLocked):
        vault.list_cases()


def test_changing_the_passphrase_rewraps_the_key_only(vault: Vault, vault_folder: Path) -> None:
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Omar")
    database_before = (vault_folder / "vault.db").stat().st_size
    vault.change_passphrase(PASSPHRASE, "nieuw en ook heel lang wachtwoord")
    vault.close(make_backup=False)
    with pytest.raises(InvalidCredentials):
        Vault.unlock(vault_folder, OFFICER, PASSPHRASE)
    again = Vault.unlock(vault_folder, OFFICER, "nieuw en ook heel lang wachtwoord")
    assert again.answers(case_id) == {("given_names", ""): "Omar"}
    assert database_before > 0
    again.close()


def test_municipal_recovery_key_opens_the_vault(tmp_path: Path) -> None:
    municipal = keys.generate_recovery_key()
    folder = tmp_path / "vault"
    vault = Vault.create(folder, OFFICER, PASSPHRASE, recovery_public_key=municipal.public_key(),
                         kdf=KdfParams.FAST_FOR_TESTS)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Reza")
    vault.close()
    recovered = Vault.recover(folder, municipal, "Functioneel beheer")
    assert recovered.answers(case_id) == {("given_names", ""): "Reza"}
    assert recovered.audit_entries(1)[0].action == "recover"
    recovered.close()
    with pytest.raises(keys.WrongRecoveryKey):
        Vault.recover(folder, keys.generate_recovery_key(), "Functioneel beheer")


def test_closing_after_changes_makes_a_rotating_encrypted_backup(vault: Vault, vault_folder: Path) -> None:
    for i in range(7):
        session = vault if i == 0 else _reopen(vault_folder)
        case_id = session.create_case()
        session.save_answer(case_id, ("given_names", ""), f"Naam{i}")
        session.close()
    backups = list_backups(vault_folder)
    assert len(backups) == 5
    assert all(b"Naam" not in b.read_bytes() for b in backups)
    # nothing changed in this session: no new backup pushes an older one out
    _reopen(vault_folder).close()
    assert list_backups(vault_folder) == backups


def test_a_distinctive_answer_leaves_no_plaintext_in_any_file(vault: Vault, vault_folder: Path) -> None:
    secret = "Xylofoonstraat 9981 Zwaluwnest"
    case_id = vault.create_case()
    vault.save_answer(case_id, ("personal_notes", ""), secret)
    vault.save_answer(case_id, ("given_names", ""), secret)
    # while open (WAL and SHM present) and after closing
    _assert_nowhere(vault_folder, secret)
    vault.close()
    _assert_nowhere(vault_folder, secret)
    assert list_backups(vault_folder)


def _assert_nowhere(folder: Path, secret: str) -> None:
    needles = [secret.encode("utf-8"), secret.encode("utf-16-le"), secret.encode("utf-16-be")]
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert any(p.name == "vault.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"plaintext found in {path.name}"


@pytest.mark.parametrize("damage", ["truncate", "flip", "missing_wal"])
def test_damaged_vault_is_reported_and_the_backup_restores(
    vault: Vault, vault_folder: Path, damage: str
) -> None:
    from intake_app.services.vault_service import restore_newest_backup

    case_id = vault.create_case()
    for i in range(300):
        vault.save_answer(case_id, (f"q{i}", ""), "x" * 200)
    vault.close()  # makes the backup
    database = vault_folder / "vault.db"
    if damage == "truncate":
        with database.open("r+b") as handle:
            handle.truncate(database.stat().st_size // 2 + 100)
    elif damage == "flip":
        data = bytearray(database.read_bytes())
        for offset in range(4096 * 3 + 100, len(data), 4096 * 5):
            data[offset] ^= 0xFF
        database.write_bytes(bytes(data))
    else:
        (vault_folder / "vault.db-shm").write_bytes(b"\0" * 32768)
    damaged_bytes = database.read_bytes()

    with pytest.raises(VaultDamaged):
        opened = _reopen(vault_folder)
        problems = opened.integrity_problems()  # flipped bytes may only show in the full check
        opened.close(make_backup=False)
        if problems:
            raise VaultDamaged("; ".join(problems))
    aside = restore_newest_backup(vault_folder)
    assert (aside / "vault.db").read_bytes() == damaged_bytes  # kept, not overwritten
    restored = _reopen(vault_folder)
    assert restored.answers(case_id)[("q299", "")] == "x" * 200
    assert restored.integrity_problems() == []
    restored.close()


def test_audit_log_follows_the_session(vault: Vault, vault_folder: Path) -> None:
    case_id = vault.create_case()
    vault.open_case(case_id)
    vault.save_answer(case_id, ("bsn", ""), "111222333")
    vault.close()
    again = _reopen(vault_folder)
    actions = [e.action for e in reversed(again.audit_entries())]
    assert actions == ["create_vault", "create_case", "open_case", "edit", "lock", "unlock"]
    assert again.verify_audit() == []
    assert all("111222333" not in e.detail for e in again.audit_entries())
    again.close()


def test_wal_mode_is_on(vault: Vault) -> None:
    with vault.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
    assert os.path.exists(vault.folder / "vault.db")


def test_versions_keep_rising_when_the_clock_is_set_back(
    vault: Vault, vault_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    case_id = vault.create_case()
    first = vault.save_answer(case_id, ("given_names", ""), "Sara")
    vault.close(make_backup=False)
    real = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real() - 3_600 * 10**9)  # an hour back
    again = _reopen(vault_folder)
    second = again.save_answer(case_id, ("given_names", ""), "Sarah")
    assert second > first
    again.close(make_backup=False)


def test_a_creation_cut_off_before_the_key_file_does_not_block_the_folder(vault_folder: Path) -> None:
    vault_folder.mkdir(parents=True)
    (vault_folder / "vault.db").write_bytes(b"\x17" * 8192)  # what a killed create leaves
    created = Vault.create(vault_folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    created.close(make_backup=False)
    kept = list((vault_folder / "damaged").glob("*-unfinished-creation/vault.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x17" * 8192
    _reopen(vault_folder).close()


def test_an_unfinished_backup_copy_is_cleaned_up(vault: Vault, vault_folder: Path) -> None:
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Omar")
    (vault_folder / "backups").mkdir()
    stale = vault_folder / "backups" / "vault-20200101T000000000000Z.partial"
    stale.write_bytes(b"half a copy")
    vault.close()
    assert not stale.exists()
    assert len(list_backups(vault_folder)) == 1
