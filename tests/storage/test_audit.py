"""The hash-chained audit log finds a changed, inserted or deleted row, and a cut-off tail."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from intake_app.storage import audit
from intake_app.storage.audit import AuditAction
from intake_app.storage.database import open_engine
from intake_app.storage.migrate import SCHEMA_HEAD, alembic_head, schema_version, upgrade_to_head


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(tmp_path / "vault.db", os.urandom(32), create=True)
    upgrade_to_head(engine)
    with engine.begin() as connection:
        for i, action in enumerate([AuditAction.UNLOCK, AuditAction.OPEN_CASE, AuditAction.EDIT,
                                    AuditAction.EDIT, AuditAction.EXPORT, AuditAction.LOCK]):
            audit.append(connection, "Officier A", action, case_id=f"case{i % 2}")
    yield engine
    engine.dispose()


def test_schema_head_constant_matches_alembic(engine: Engine) -> None:
    assert alembic_head() == SCHEMA_HEAD
    assert schema_version(engine) == SCHEMA_HEAD
    assert upgrade_to_head(engine) is False  # already current: nothing to do


def test_intact_chain_verifies(engine: Engine) -> None:
    assert audit.verify(engine) == []
    rows = audit.entries(engine)
    assert [r.seq for r in rows] == [6, 5, 4, 3, 2, 1]
    assert rows[-1].action == "unlock"


def test_changed_row_is_reported(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET officer = 'Iemand anders' WHERE seq = 3"))
    problems = audit.verify(engine)
    assert [p.seq for p in problems] == [3]
    assert "gewijzigd" in problems[0].description


def test_deleted_row_in_the_middle_is_reported(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 4"))
    problems = audit.verify(engine)
    assert problems and problems[0].seq == 5


def test_inserted_row_is_reported(engine: Engine) -> None:
    with engine.begin() as connection:
        # shift rows 4.. up by one (via a detour, as seq is unique) to make room for a forged row
        connection.execute(text("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4"))
        connection.execute(text("UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100"))
        connection.execute(text(
            "INSERT INTO audit_log (seq, at, officer, action, case_id, detail, prev_hash, hash) "
            "VALUES (4, '2026-01-01T00:00:00', 'X', 'export', '', '', :h, :h)"
        ), {"h": "f" * 64})
    assert audit.verify(engine) != []


def test_cut_off_tail_is_reported(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 5"))
    problems = audit.verify(engine)
    assert len(problems) == 1 and "laatste" in problems[0].description


def test_rows_never_hold_answer_values(engine: Engine) -> None:
    columns = {c["name"] for c in engine.dialect.get_columns(engine.connect(), "audit_log")}
    assert columns == {"seq", "at", "officer", "action", "case_id", "detail", "prev_hash", "hash"}
