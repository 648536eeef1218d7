"""Closing (with undo), deleting without a trace in the database file, and the retention period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from sqlalchemy import text

from intake_app.services.case_service import CaseNotClosed, DeletionReason, NewCase
from intake_app.services.vault_service import AuditAction, CaseStatus, VaultSession
from intake_app.storage.keys import KEY_FILE_NAME, KeyFile

from support import OFFICER, PASSPHRASE

PAGE_SIZE = 4096  # SQLCipher 4 defaults
RESERVE = 80  # per page: 16-byte IV + 64-byte HMAC-SHA512
WAL_HEADER, FRAME_HEADER = 32, 24


def decrypted_pages(folder: Path) -> list[bytes]:
    """Every page of vault.db and of its write-ahead log, decrypted with the vault's own key.

    SQLCipher 4 encrypts each page with AES-256-CBC under the raw data key; the IV is the first 16
    bytes of the page's reserved tail; page 1 starts with the 16-byte salt instead of its header.
    """
    key = KeyFile.load(folder / KEY_FILE_NAME).unlock(OFFICER, PASSPHRASE)

    def decrypt(page: bytes, first: bool) -> bytes:
        iv = page[PAGE_SIZE - RESERVE:PAGE_SIZE - RESERVE + 16]
        decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        return decryptor.update(page[16 if first else 0:PAGE_SIZE - RESERVE]) + decryptor.finalize()

    data = (folder / "vault.db").read_bytes()
    pages = [decrypt(data[n:n + PAGE_SIZE], n == 0) for n in range(0, len(data), PAGE_SIZE)]
    wal = folder / "vault.db-wal"
    if wal.exists():
        log = wal.read_bytes()
        for start in range(WAL_HEADER, len(log) - FRAME_HEADER, FRAME_HEADER + PAGE_SIZE):
            frame = log[start + FRAME_HEADER:start + FRAME_HEADER + PAGE_SIZE]
            if len(frame) == PAGE_SIZE:
                page_number = int.from_bytes(log[start:start + 4], "big")
                pages.append(decrypt(frame, page_number == 1))
    return pages


def contains(folder: Path, marker: bytes) -> int:
    return sum(marker in page for page in decrypted_pages(folder))


def test_closing_archives_the_case_and_reopening_restores_its_status(session: VaultSession) -> None:
    case_id = session.create_case()
    session.save_answer(case_id, ("target_group", ""), "family_migrant")
    session.save_answer(case_id, ("duo_notification_date", ""), "2026-10-01")
    before = session.cases.row(case_id)
    assert before.status == "intake_bezig" and before.next_deadline == "2026-12-10"
    assert session.cases.close(case_id) is CaseStatus.INTAKE_IN_PROGRESS
    closed = session.cases.row(case_id)
    assert (closed.status, closed.next_deadline, closed.closed_at is not None) == ("gesloten", None, True)
    assert session.cases.reopen(case_id) is CaseStatus.INTAKE_IN_PROGRESS
    again = session.cases.row(case_id)
    assert (again.status, again.next_deadline, again.closed_at) == ("intake_bezig", "2026-12-10", None)
    with pytest.raises(CaseNotClosed):
        session.cases.reopen(case_id)
    details = [e.detail for e in session._vault.audit_entries() if e.case_id == case_id]
    assert "close:gesloten" in details and "reopen:intake_bezig" in details


def test_a_deleted_case_leaves_no_trace_in_the_database_file(session: VaultSession) -> None:
    keep = session.create_case()
    session.save_answer(keep, ("family_name", ""), "Blijftstaan")
    case_id = session.create_case()
    session.apply_changes(case_id, [
        (("family_name", ""), "Zebrapadvogel"),
        (("bsn", ""), "245816707"),
        # Long enough to need overflow pages of its own.
        (("intake_officer_notes", ""), "Kwetsbaarheidsnotitie-7731 " * 280),
    ])
    session.save_answer(case_id, ("family_name", ""), "Zebrapadvogel-Tweede")  # an older value in the outbox too
    vault = session._vault
    with vault.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    folder = session.folder
    markers = (b"Zebrapadvogel", b"Kwetsbaarheidsnotitie-7731", b"245816707")
    assert all(contains(folder, marker) for marker in markers), "the test must see the data before deletion"

    session.cases.delete(case_id, DeletionReason.REQUESTED)

    assert [contains(folder, marker) for marker in markers] == [0, 0, 0]
    assert contains(folder, b"Blijftstaan") > 0  # the other case is untouched (and the check can see it)
    with vault.engine.connect() as connection:
        for table in ("answers", "changes", "case_admin", "plan_versions", "sync_known"):
            count = connection.execute(text(f"SELECT count(*) FROM {table} WHERE case_id = :c"), {"c": case_id})
            assert count.scalar_one() == 0, table
    entries = [(e.action, e.detail) for e in vault.audit_entries() if e.case_id == case_id]
    assert entries[0] == (AuditAction.DELETE.value, "reason:verzoek_betrokkene")
    assert session.verify_audit() == []
    assert session.integrity_problems() == []


def test_expired_cases_are_offered_after_the_retention_period(session: VaultSession) -> None:
    long_ago = (datetime.now(UTC) - timedelta(days=800)).isoformat()
    recent = (datetime.now(UTC) - timedelta(days=45)).isoformat()
    old, new = (
        session.cases.create(NewCase([(("family_name", ""), name)], status=CaseStatus.CLOSED, closed_at=at,
                                     closed_from_status="pip_vastgesteld"))[0]
        for name, at in (("Oud", long_ago), ("Recent", recent))
    )
    running = session.create_case()
    assert session.cases.retention_months() == 24
    assert session.cases.expired() == [old]
    session.cases.set_retention_months(1)
    assert sorted(session.cases.expired()) == sorted([old, new])
    session.cases.set_retention_months(36)
    assert session.cases.expired() == []
    session.cases.set_retention_months(24)
    assert session.cases.delete_many(session.cases.expired(), DeletionReason.RETENTION_EXPIRED) == 1
    assert {row.id for row in session.cases.rows()} == {new, running}
    assert session.cases.expired(today=date.today() + timedelta(days=800)) == [new]
