"""The case life cycle in the vault: list rows, derived list facts, closing, deleting without a
trace, retention, imports by hash, and a case's rows for a transfer.

Closing, reopening and deleting queue a case record for the sync in the same transaction
(``storage.sync_records``): colleagues' laptops take the newest status and erase a deleted case too.

Reading and writing here is plain SQL on the driver's cursor where it runs over every case (the list
at unlock), SQLAlchemy elsewhere. Nothing here decides *what* a deadline is: the services derive it
from the answers (``intake_app.services.deadlines``) and store it through :func:`store_derived`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from intake_app.i18n import N_
from intake_app.storage import audit, outbox, sync_records
from intake_app.storage.audit import AuditAction
from intake_app.storage.case_models import CaseAdmin, CaseImport
from intake_app.storage.errors import CaseNotFound, VaultError
from intake_app.storage.models import Answer, Case, Meta, PlanDocument, PlanVersion
from intake_app.storage.records import AnswerKey, AnswerValue, CaseStatus
from intake_app.storage.vault import Vault

RETENTION_KEY = "retention_months"
DEFAULT_RETENTION_MONTHS = 24

# One row per case, newest change first: what the case list shows and filters on.
LIST_COLUMNS = (
    "id", "display_name", "bsn", "v_number", "status", "target_group", "client_language", "next_deadline",
    "updated_at", "is_demo", "deadline_kind", "lbt_result", "closed_at", "origin",
)
_SQL_LIST = (
    "SELECT c.id, c.display_name, c.bsn, c.v_number, c.status, c.target_group, c.client_language, "
    "c.next_deadline, c.updated_at, c.is_demo, a.deadline_kind, a.lbt_result, a.closed_at, a.origin "
    "FROM cases c LEFT JOIN case_admin a ON a.case_id = c.id ORDER BY c.updated_at DESC"
)
# NOT INDEXED: through the outbox numbers from the pushed ones on (the planner otherwise reads the
# whole case index for DISTINCT: 150 ms instead of 1 ms with 10,000 cases).
_SQL_PENDING = f"SELECT DISTINCT case_id FROM changes NOT INDEXED WHERE {outbox.SQL_WAITING}"
# Derived facts are out of date when the case changed after them (answers typed here or pulled by
# sync), when a plan version was added after them, or when the route-switch window they show closed.
_SQL_STALE = (
    "SELECT c.id FROM cases c LEFT JOIN case_admin a ON a.case_id = c.id "
    "WHERE a.case_id IS NULL OR a.derived_at < c.updated_at "
    "OR (a.deadline_kind = :switch_kind AND c.next_deadline < :today) "
    "OR EXISTS (SELECT 1 FROM plan_versions p WHERE p.case_id = c.id AND p.created_at > a.derived_at)"
)
ROUTE_SWITCH_KIND = "laatste_dag_routewissel"
FIXED_PLAN_STATE = "vastgesteld"  # storage.plans.VersionState.FIXED, in a version's decision_json
_CLOSED_STATUSES = (CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value)
# Every table holding rows of one case. The foreign keys cascade too; listing them keeps a
# deletion complete even for a table whose key does not (plan_documents hangs off plan_versions).
_CASE_TABLES = (
    "plan_documents", "plan_version_sync", "plan_versions", "sync_conflicts", "sync_known", "changes", "answers",
    "case_imports", "case_sync_state", "case_admin",
)


class ImportAlreadyDone(VaultError):
    message = N_("Dit bestand is al eerder geïmporteerd (op {at}, door {officer}). Er is niets gewijzigd.")


class ImportNotFound(VaultError):
    message = N_("Deze import bestaat niet (meer): het dossier is al verwijderd of de import is teruggedraaid.")


class CaseNotClosed(VaultError):
    message = N_("Dit dossier is niet gesloten.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- the list ------------------------------------------------------------------------------------


def list_rows(vault: Vault) -> tuple[list[tuple[Any, ...]], set[str]]:
    """Every case as a plain tuple in :data:`LIST_COLUMNS` order, and the ids with unsent changes."""
    with vault.engine.connect() as connection:
        cursor = connection.connection.cursor()
        try:
            rows = cursor.execute(_SQL_LIST).fetchall()
            pending = {case_id for (case_id,) in cursor.execute(_SQL_PENDING).fetchall()}
        finally:
            cursor.close()
    return rows, pending


def list_row(vault: Vault, case_id: str) -> tuple[Any, ...]:
    with vault.engine.connect() as connection:
        cursor = connection.connection.cursor()
        try:
            sql = _SQL_LIST.replace(" ORDER BY c.updated_at DESC", " WHERE c.id = ?")
            row = cursor.execute(sql, (case_id,)).fetchone()
        finally:
            cursor.close()
    if row is None:
        raise CaseNotFound()
    return tuple(row)


def has_pending(vault: Vault, case_id: str) -> bool:
    with vault.engine.connect() as connection:
        found = connection.execute(
            text(f"SELECT 1 FROM changes WHERE case_id = :case AND {outbox.SQL_WAITING} LIMIT 1"), {"case": case_id}
        ).first()
    return found is not None


# -- derived facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DerivationInput:
    """What the services need to derive a case's list facts."""

    case_id: str
    status: CaseStatus
    answers: dict[AnswerKey, AnswerValue]  # only the questions asked for
    pip_date: str | None  # earliest plan version's dagtekening, or one recorded from outside


@dataclass(frozen=True)
class DerivedFacts:
    case_id: str
    next_deadline: str | None  # ISO date
    deadline_kind: str | None
    lbt_result: bool


def stale_case_ids(vault: Vault, today: str) -> list[str]:
    with vault.engine.connect() as connection:
        rows = connection.execute(text(_SQL_STALE), {"switch_kind": ROUTE_SWITCH_KIND, "today": today})
        return [case_id for (case_id,) in rows]


def derivation_inputs(vault: Vault, case_ids: Sequence[str], question_ids: Iterable[str]) -> list[DerivationInput]:
    """The deciding answers (top level only), status and PIP date of each case, in one read."""
    questions = sorted(set(question_ids))
    found: list[DerivationInput] = []
    with vault.engine.connect() as connection:
        for start in range(0, len(case_ids), 500):
            chunk = list(case_ids[start:start + 500])
            statuses = dict(connection.execute(select(Case.id, Case.status).where(Case.id.in_(chunk))).all())
            answers: dict[str, dict[AnswerKey, AnswerValue]] = {case_id: {} for case_id in statuses}
            rows = connection.execute(
                select(Answer.case_id, Answer.question_id, Answer.value_json).where(
                    Answer.case_id.in_(chunk), Answer.question_id.in_(questions), Answer.entry_id == ""
                )
            )
            for case_id, question_id, value_json in rows:
                answers[case_id][(question_id, "")] = json.loads(value_json)
            plans: dict[str, str] = {}
            versions = connection.execute(
                select(PlanVersion.case_id, PlanVersion.dagtekening, PlanVersion.decision_json)
                .where(PlanVersion.case_id.in_(chunk)).order_by(PlanVersion.number)
            )
            for case_id, dagtekening, decision_json in versions:
                if case_id not in plans and _is_fixed(decision_json):
                    plans[case_id] = dagtekening  # the PIP date: the first fixed version's
            recorded = dict(
                connection.execute(
                    select(CaseAdmin.case_id, CaseAdmin.pip_date).where(CaseAdmin.case_id.in_(chunk))
                ).all()
            )
            for case_id, status in statuses.items():
                dates = [d for d in (plans.get(case_id), recorded.get(case_id)) if d]
                pip_date = min(dates) if dates else None
                found.append(DerivationInput(case_id, CaseStatus(status), answers[case_id], pip_date))
    return found


def _is_fixed(decision_json: str) -> bool:
    try:
        state = json.loads(decision_json).get("state")
    except (ValueError, AttributeError):
        return False
    return bool(state == FIXED_PLAN_STATE)


def store_derived(vault: Vault, facts: Iterable[DerivedFacts]) -> int:
    """Write derived facts onto the case rows (the deadline on ``cases``, the rest on ``case_admin``)."""
    now = _now()
    count = 0
    with vault.engine.begin() as connection:
        for item in facts:
            deadline = _as_date(item.next_deadline)
            connection.execute(update(Case).where(Case.id == item.case_id).values(next_deadline=deadline))
            # Never older than the case itself, or a clock set back would keep it stale for ever.
            updated = connection.execute(select(Case.updated_at).where(Case.id == item.case_id)).scalar() or ""
            _upsert_admin(
                connection, item.case_id, deadline_kind=item.deadline_kind, lbt_result=int(item.lbt_result),
                derived_at=max(now, updated),
            )
            count += 1
    return count


def _as_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _upsert_admin(connection: Connection, case_id: str, **values: Any) -> None:
    defaults: dict[str, Any] = {"lbt_result": 0, "derived_at": "", "origin": "", "origin_detail": ""}
    statement = sqlite_insert(CaseAdmin).values(case_id=case_id, **{**defaults, **values})
    connection.execute(statement.on_conflict_do_update(index_elements=["case_id"], set_=values))


# -- closing -------------------------------------------------------------------------------------


def close_case(vault: Vault, case_id: str, *, status: CaseStatus = CaseStatus.CLOSED, detail: str = "close") -> str:
    """Close (or mark transferred out): remember the status it had, clear its deadline. Returns that status."""
    now = _now()
    with vault.engine.begin() as connection:
        before = connection.execute(select(Case.status).where(Case.id == case_id)).scalar()
        if before is None:
            raise CaseNotFound()
        if before in (CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value):
            previous = connection.execute(
                select(CaseAdmin.closed_from_status).where(CaseAdmin.case_id == case_id)
            ).scalar()
            before = previous or before
        connection.execute(update(Case).where(Case.id == case_id).values(status=status.value, next_deadline=None))
        _upsert_admin(connection, case_id, closed_at=now, closed_from_status=before, deadline_kind=None, derived_at=now)
        audit.append(connection, vault.officer, AuditAction.EDIT, case_id, f"{detail}:{status.value}")
        sync_records.queue_status(connection, vault, case_id, status.value, closed_at=now, closed_from_status=before)
    vault.mark_changed()
    return str(before)


def reopen_case(vault: Vault, case_id: str) -> CaseStatus:
    """Undo a close: back to the status it had. The deadline is derived again by the services."""
    with vault.engine.begin() as connection:
        status = connection.execute(select(Case.status).where(Case.id == case_id)).scalar()
        if status is None:
            raise CaseNotFound()
        if status not in (CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value):
            raise CaseNotClosed()
        previous = connection.execute(select(CaseAdmin.closed_from_status).where(CaseAdmin.case_id == case_id)).scalar()
        restored = CaseStatus(previous) if previous else CaseStatus.INTAKE_IN_PROGRESS
        connection.execute(update(Case).where(Case.id == case_id).values(status=restored.value))
        _upsert_admin(connection, case_id, closed_at=None, closed_from_status=None, derived_at="")
        audit.append(connection, vault.officer, AuditAction.EDIT, case_id, f"reopen:{restored.value}")
        sync_records.queue_status(connection, vault, case_id, restored.value, closed_at=None, closed_from_status=None)
    vault.mark_changed()
    return restored


def closed_cases(vault: Vault) -> list[tuple[str, str]]:
    """(case id, closed at) of every closed or transferred-out case."""
    with vault.engine.connect() as connection:
        rows = connection.execute(
            select(CaseAdmin.case_id, CaseAdmin.closed_at)
            .join(Case, Case.id == CaseAdmin.case_id)
            .where(CaseAdmin.closed_at.is_not(None), Case.status.in_(_CLOSED_STATUSES))
        )
        return [(case_id, closed_at) for case_id, closed_at in rows if closed_at]


def retention_months(vault: Vault) -> int:
    with vault.engine.connect() as connection:
        value = connection.execute(select(Meta.value).where(Meta.key == RETENTION_KEY)).scalar()
    return DEFAULT_RETENTION_MONTHS if value is None else int(value)


def set_retention_months(vault: Vault, months: int) -> None:
    if not 0 <= months <= 1200:
        raise ValueError("retention must be 0..1200 months")
    with vault.engine.begin() as connection:
        statement = sqlite_insert(Meta).values(key=RETENTION_KEY, value=str(months))
        connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": str(months)}))
        audit.append(connection, vault.officer, AuditAction.EDIT, "", f"retention:{months}")
    vault.mark_changed()


# -- deleting ------------------------------------------------------------------------------------


def delete_case(vault: Vault, case_id: str, reason: str) -> None:
    """Remove every row of the case; only the audit entries stay (they never hold answer values).

    ``secure_delete`` overwrites the freed bytes in the pages; the checkpoint then writes those
    pages into the database file and empties the write-ahead log, where the old page images were.
    """
    with vault.engine.begin() as connection:
        _delete_rows(connection, case_id)
        audit.append(connection, vault.officer, AuditAction.DELETE, case_id, reason[:200])
        sync_records.queue_deletion(connection, vault, case_id, reason)  # the server and colleagues erase it too
    vault.mark_changed()
    scrub(vault)


def erase_rows(connection: Connection, case_id: str) -> None:
    """Every row of the case, inside the caller's transaction (a deletion pulled from the server)."""
    _delete_rows(connection, case_id)


def _delete_rows(connection: Connection, case_id: str) -> None:
    if connection.execute(select(Case.id).where(Case.id == case_id)).scalar() is None:
        raise CaseNotFound()
    present = {name for (name,) in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    cursor = connection.connection.cursor()
    try:
        # A push batch waiting to be (re)sent holds the case's values when outbox rows of the case
        # lie in the stored batches' range: drop every stored batch (a later one reaches past it
        # in the outbox); their other changes are batched anew and the server recognises any it
        # already took by their versions.
        if "sync_outgoing" in present and cursor.execute(
            f"SELECT 1 FROM changes WHERE case_id = ? AND {outbox.SQL_WAITING}"
            " AND seq <= (SELECT max(last_change_seq) FROM sync_outgoing) LIMIT 1", (case_id,)
        ).fetchone():
            cursor.execute("DELETE FROM sync_outgoing")
        for table in _CASE_TABLES:
            if table in present:
                cursor.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))  # fixed table names
        cursor.execute("DELETE FROM cases WHERE id = ?", (case_id,))
    finally:
        cursor.close()


def scrub(vault: Vault) -> bool:
    """Checkpoint the write-ahead log into the database file and truncate it. True when complete."""
    with vault.engine.connect() as connection:
        for _attempt in range(20):
            busy, _log, _done = connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if not busy:
                return True
            time.sleep(0.05)
    return False


def vacuum(vault: Vault) -> None:
    """Rebuild the file (drops free pages and shrinks it); slow on a large vault, so on request only."""
    with vault.engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM"))
    scrub(vault)


# -- creating a case from a file (import, transfer) ----------------------------------------------


@dataclass(frozen=True)
class ImportRecord:
    import_id: str
    sha256: str
    kind: str
    case_id: str
    imported_at: str
    imported_by: str


@dataclass(frozen=True)
class NewCase:
    """A case to create in one transaction, with its answers and where it came from."""

    answers: Sequence[tuple[AnswerKey, AnswerValue]]
    status: CaseStatus = CaseStatus.NEW
    client_language: str = "nl"
    origin: str = ""
    origin_detail: str = ""
    pip_date: str | None = None
    is_demo: bool = False
    plan_versions: Sequence[Mapping[str, Any]] = ()  # PlanVersion columns except case_id
    plan_documents: Sequence[Mapping[str, Any]] = ()  # PlanDocument columns except case_id
    closed_at: str | None = None
    closed_from_status: str | None = None
    updated_at: str | None = None  # when the case last changed, if not now (a demo, a transfer's history)


def find_import(vault: Vault, sha256: str) -> ImportRecord | None:
    with vault.engine.connect() as connection:
        row = connection.execute(select(CaseImport).where(CaseImport.sha256 == sha256)).first()
        return None if row is None else _import_record(row)


def imports_of(vault: Vault, case_id: str) -> list[ImportRecord]:
    with vault.engine.connect() as connection:
        rows = connection.execute(select(CaseImport).where(CaseImport.case_id == case_id)).all()
        return [_import_record(row) for row in rows]


def _import_record(row: Any) -> ImportRecord:
    return ImportRecord(row.import_id, row.sha256, row.kind, row.case_id, row.imported_at, row.imported_by)


def create_case(
    vault: Vault, new: NewCase, *, import_kind: str = "", sha256: str = "", audit_detail: str = ""
) -> tuple[str, str]:
    """Create the case with everything it holds, all or nothing. Returns (case id, import id).

    With ``sha256`` the file is recorded, and a file recorded before raises ImportAlreadyDone.
    """
    case_id = uuid.uuid4().hex
    import_id = uuid.uuid4().hex if sha256 else ""
    now = _now()
    with vault.engine.begin() as connection:
        if sha256:
            earlier = connection.execute(select(CaseImport).where(CaseImport.sha256 == sha256)).first()
            if earlier is not None:
                raise ImportAlreadyDone(at=earlier.imported_at[:16].replace("T", " "), officer=earlier.imported_by)
        connection.execute(
            insert(Case).values(
                id=case_id, created_at=now, updated_at=now, status=CaseStatus.NEW.value,
                client_language=new.client_language, display_name="", bsn="", v_number="", target_group="",
                next_deadline=None, last_question_id="", last_entry_id="", is_demo=int(new.is_demo),
            )
        )
        detail = audit_detail or (f"{import_kind}:{import_id}" if import_kind else "")
        audit.append(connection, vault.officer, AuditAction.CREATE_CASE, case_id, detail[:200])
        if new.answers:
            vault.write_changes(connection, case_id, list(new.answers))
        # Writing answers moves a new case to "intake bezig" and the resume point to the last
        # answer written; an imported case starts where it stood, at the first question.
        values: dict[str, Any] = {"status": new.status.value, "last_question_id": "", "last_entry_id": ""}
        if new.updated_at is not None:
            values.update(updated_at=new.updated_at, created_at=min(new.updated_at, now))
        connection.execute(update(Case).where(Case.id == case_id).values(**values))
        for version in new.plan_versions:
            connection.execute(insert(PlanVersion).values(case_id=case_id, **version))
        for document in new.plan_documents:
            connection.execute(insert(PlanDocument).values(case_id=case_id, **document))
        _upsert_admin(
            connection, case_id, origin=new.origin, origin_detail=new.origin_detail[:200], pip_date=new.pip_date,
            closed_at=new.closed_at, closed_from_status=new.closed_from_status,
        )
        if sha256:
            connection.execute(
                insert(CaseImport).values(
                    import_id=import_id, sha256=sha256, kind=import_kind, case_id=case_id, imported_at=_now(),
                    imported_by=vault.officer,
                )
            )
    vault.mark_changed()
    return case_id, import_id


def undo_import(vault: Vault, import_id: str) -> str:
    """Remove the case an import created, with everything added to it since. Returns its id."""
    with vault.engine.begin() as connection:
        row = connection.execute(select(CaseImport).where(CaseImport.import_id == import_id)).first()
        if row is None:
            raise ImportNotFound()
        case_id, kind = str(row.case_id), str(row.kind)
        _delete_rows(connection, case_id)
        audit.append(connection, vault.officer, AuditAction.DELETE, case_id, f"undo-import:{kind}:{import_id}")
        sync_records.queue_deletion(connection, vault, case_id, f"undo-import:{kind}")
    vault.mark_changed()
    scrub(vault)
    return case_id


def changes_since_import(vault: Vault, import_id: str) -> int:
    """Answer changes made to the imported case after the import (undo would remove them too)."""
    with vault.engine.connect() as connection:
        row = connection.execute(select(CaseImport).where(CaseImport.import_id == import_id)).first()
        if row is None:
            raise ImportNotFound()
        result = connection.execute(
            text("SELECT count(*) FROM answers WHERE case_id = :case AND updated_at > :at"),
            {"case": row.case_id, "at": row.imported_at},
        )
        return int(result.scalar_one())


# -- a case's rows, for a transfer ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseRows:
    status: str
    client_language: str
    created_at: str
    answers: list[tuple[str, str, AnswerValue]]  # (question id, entry id, value)
    plan_versions: list[dict[str, Any]]
    plan_documents: list[dict[str, Any]]
    pip_date: str | None
    origin: str
    origin_detail: str


def case_rows(vault: Vault, case_id: str) -> CaseRows:
    with vault.engine.connect() as connection:
        case = connection.execute(select(Case).where(Case.id == case_id)).first()
        if case is None:
            raise CaseNotFound()
        answers = [
            (q, e, json.loads(v))
            for q, e, v in connection.execute(
                select(Answer.question_id, Answer.entry_id, Answer.value_json)
                .where(Answer.case_id == case_id).order_by(Answer.question_id, Answer.entry_id)
            )
        ]
        versions = [
            {column: getattr(row, column) for column in _columns(PlanVersion)}
            for row in connection.execute(
                select(PlanVersion).where(PlanVersion.case_id == case_id).order_by(PlanVersion.number)
            )
        ]
        documents = [
            {column: getattr(row, column) for column in _columns(PlanDocument)}
            for row in connection.execute(
                select(PlanDocument).where(PlanDocument.case_id == case_id)
                .order_by(PlanDocument.number, PlanDocument.language)
            )
        ]
        admin = connection.execute(select(CaseAdmin).where(CaseAdmin.case_id == case_id)).first()
    return CaseRows(
        status=case.status, client_language=case.client_language, created_at=case.created_at, answers=answers,
        plan_versions=versions, plan_documents=documents, pip_date=admin.pip_date if admin else None,
        origin=admin.origin if admin else "", origin_detail=admin.origin_detail if admin else "",
    )


def _columns(model: type[Any]) -> list[str]:
    return [column.name for column in model.__table__.columns if column.name != "case_id"]


def record_export(vault: Vault, case_id: str, detail: str) -> None:
    with vault.engine.begin() as connection:
        if connection.execute(select(Case.id).where(Case.id == case_id)).scalar() is None:
            raise CaseNotFound()
        audit.append(connection, vault.officer, AuditAction.EXPORT, case_id, detail[:200])
    vault.mark_changed()


def origin_of(vault: Vault, case_id: str) -> tuple[str, str]:
    with vault.engine.connect() as connection:
        row = connection.execute(
            select(CaseAdmin.origin, CaseAdmin.origin_detail).where(CaseAdmin.case_id == case_id)
        ).first()
    return ("", "") if row is None else (row[0], row[1])


def delete_many(vault: Vault, case_ids: Sequence[str], reason: str) -> int:
    """Delete several cases in one transaction (retention clean-up), then scrub once."""
    with vault.engine.begin() as connection:
        for case_id in case_ids:
            _delete_rows(connection, case_id)
            audit.append(connection, vault.officer, AuditAction.DELETE, case_id, reason[:200])
            sync_records.queue_deletion(connection, vault, case_id, reason)
    vault.mark_changed()
    scrub(vault)
    return len(case_ids)


__all__ = [
    "DEFAULT_RETENTION_MONTHS",
    "LIST_COLUMNS",
    "CaseNotClosed",
    "CaseRows",
    "DerivationInput",
    "DerivedFacts",
    "ImportAlreadyDone",
    "ImportNotFound",
    "ImportRecord",
    "NewCase",
    "case_rows",
    "close_case",
    "closed_cases",
    "create_case",
    "delete_case",
    "delete_many",
    "derivation_inputs",
    "erase_rows",
    "find_import",
    "list_row",
    "list_rows",
    "reopen_case",
    "retention_months",
    "scrub",
    "set_retention_months",
    "stale_case_ids",
    "store_derived",
    "undo_import",
]
