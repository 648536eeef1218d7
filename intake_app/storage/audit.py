"""The append-only, hash-chained audit log.

Each row's hash covers its own fields and the previous row's hash, so a changed, inserted or
deleted row breaks the chain. The newest (seq, hash) is also kept in the meta table, in the same
transaction, so cutting rows off the end shows too. Rows never hold answer values.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import Connection, Engine, select

from intake_app.storage.models import AuditEntry, Meta

GENESIS_HASH = "0" * 64
_HEAD_KEY = "audit_head"


class AuditAction(StrEnum):
    CREATE_VAULT = "create_vault"
    UNLOCK = "unlock"
    LOCK = "lock"
    RECOVER = "recover"
    CREATE_CASE = "create_case"
    OPEN_CASE = "open_case"
    EDIT = "edit"
    EXPORT = "export"
    SYNC = "sync"
    DELETE = "delete"
    ADD_OFFICER = "add_officer"
    CHANGE_PASSPHRASE = "change_passphrase"


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    description: str


def _row_hash(prev_hash: str, seq: int, at: str, officer: str, action: str, case_id: str, detail: str) -> str:
    payload = json.dumps([prev_hash, seq, at, officer, action, case_id, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    connection: Connection,
    officer: str,
    action: AuditAction,
    case_id: str = "",
    detail: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """Append one row inside the caller's transaction (so the audit commits with the change)."""
    cursor = connection.connection.cursor()
    row = cursor.execute("SELECT value FROM meta WHERE key = ?", (_HEAD_KEY,)).fetchone()
    last_seq, prev_hash = (0, GENESIS_HASH) if row is None else _parse_head(row[0])
    seq = last_seq + 1
    at = (now or datetime.now(UTC)).isoformat(timespec="microseconds")
    digest = _row_hash(prev_hash, seq, at, officer, action.value, case_id, detail)
    cursor.execute(
        "INSERT INTO audit_log (seq, at, officer, action, case_id, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, officer, action.value, case_id, detail, prev_hash, digest),
    )
    cursor.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_HEAD_KEY, f"{seq}:{digest}"),
    )
    cursor.close()


def _parse_head(head: str) -> tuple[int, str]:
    seq, digest = head.split(":", 1)
    return int(seq), digest


def verify(engine: Engine) -> list[AuditProblem]:
    """Walk the whole chain; an empty list means the log is intact."""
    problems: list[AuditProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEntry).order_by(AuditEntry.seq))
        for row in rows:
            if row.seq != expected_seq:
                problems.append(AuditProblem(row.seq, f"regel(s) {expected_seq}..{row.seq - 1} ontbreken"))
            if row.prev_hash != expected_prev:
                problems.append(AuditProblem(row.seq, "verwijst niet naar de vorige regel (ingevoegd of verwijderd)"))
            actual = _row_hash(row.prev_hash, row.seq, row.at, row.officer, row.action, row.case_id, row.detail)
            if actual != row.hash:
                problems.append(AuditProblem(row.seq, "inhoud is gewijzigd"))
            expected_prev = row.hash
            expected_seq = row.seq + 1
        head = connection.execute(select(Meta.value).where(Meta.key == _HEAD_KEY)).scalar()
    if head is not None:
        head_seq, head_hash = _parse_head(head)
        if head_seq != expected_seq - 1 or head_hash != expected_prev:
            problems.append(AuditProblem(head_seq, "de laatste regel(s) van het logboek ontbreken"))
    elif expected_seq != 1:
        problems.append(AuditProblem(0, "het begin van de keten ontbreekt"))
    return problems


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    officer: str
    action: str
    case_id: str
    detail: str


def entries(engine: Engine, limit: int = 200) -> list[AuditRecord]:
    with engine.connect() as connection:
        rows = connection.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit))
        return [AuditRecord(r.seq, r.at, r.officer, r.action, r.case_id, r.detail) for r in rows]
