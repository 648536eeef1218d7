"""The vault side of the case-records sync: plan versions, case status and case deletion.

Wire shapes are plain JSON dicts (see ``intake_app.sync.records_protocol``; storage never imports
sync). As with the answers, every step is one vault transaction: a records batch is stored before it
is sent and re-sent unchanged until its answer is stored; a page of pulled records is applied
together with its cursor. The hooks below run inside the transaction of the change they record, so
a plan version, a status change or a deletion is never saved without its record, or the other way.

**Plan versions** are append-only and never conflict. Each has a sync identity, the version of its
record (a hybrid-logical-clock version naming the laptop: ``plan_version_sync.version``), and once
on the server, its number in the municipality's records stream (``server_seq``). The versions of a
case are ordered by that number (versions not yet on the server after it, in the order they were
made) and numbered 1, 2, 3… in that order, so every laptop shows the same list after syncing. The
server's order never changes (a version is never overtaken by one received later); on a laptop a
version moves up only while the laptop has not yet seen every version received before it: typically
its own new version, when a colleague's version of the same case reached the server first. Ordering
by arrival rather than by clock means that a laptop coming back after weeks offline never reshuffles
a list everyone has been working with. Renumbering moves the version's stored PDFs along, in the
same transaction, and is audited (``plan_renumbered:old>new``), so earlier audit entries that name a
number stay traceable. The content and a stored PDF keep the number their author gave them: a plan
that was handed out stays exactly what it was (same bytes, same SHA-256).

PDFs do not travel, only the version's data (about 7 KB, against 35 KB or more for each PDF): each
laptop renders a pulled version from its content when it is first shown or exported
(``plan_service.pdf_for_version``) and keeps that PDF like its own. ``plan_version_sync.origin``
records which versions came from the server.

**Case status** (closed, transferred, reopened — what an officer sets) travels as a record with its
version; the newest version wins, on the server and on every laptop, whatever order they arrive in:
a status older than the one in force is not applied. Every status that arrives is audited, applied
(``status_from_server``) or not (``status_from_server_older``), so the history stays visible. The
status that follows from plan versions (concept, fixed) is derived again from the versions instead.

**Deletion** (an erasure on request) queues a deletion record carrying only a reason *category*
(``reason:<word>`` from the services; free text becomes ``overig``), and drops the case's records
still waiting here. A pulled deletion erases the case here just as ``case_admin.delete_case`` does,
with an audit entry saying a colleague deleted it via the server.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from intake_app.storage import audit, sync_store
from intake_app.storage.audit import AuditAction
from intake_app.storage.case_models import CaseAdmin
from intake_app.storage.hlc import HybridLogicalClock, Version
from intake_app.storage.models import Case, Change, PlanDocument, PlanVersion
from intake_app.storage.records import CaseStatus
from intake_app.storage.sync_record_models import CaseSyncState, PlanVersionSync, RecordOutbox, RecordOutgoing
from intake_app.storage.vault import Vault

RECORDS_CURSOR_KEY = "sync_records_cursor"
RECORDS_CLOCK_KEY = "sync_records_clock"  # the newest record version made or seen here

ORIGIN_LOCAL = "local"
ORIGIN_SERVER = "server"
OTHER_REASON = "overig"
IMPORT_UNDONE_REASON = "import_teruggedraaid"

PLAN_VERSION, STATUS, DELETION = "plan_version", "status", "deletion"
_WORD = re.compile(r"^[a-z0-9_]{1,40}$")
_CLOSED = (CaseStatus.CLOSED.value, CaseStatus.TRANSFERRED.value)
# Statuses that follow from answers and plan versions (not set by an officer's close or transfer).
_WORKING = (CaseStatus.NEW.value, CaseStatus.INTAKE_IN_PROGRESS.value, CaseStatus.DRAFT_PIP.value,
            CaseStatus.PIP_FIXED.value)
_FIXED = "vastgesteld"
# A pulled version waits under a number below this until its case is renumbered (same transaction).
_WAITING_NUMBER = -2_000_000


@dataclass(frozen=True)
class OutgoingRecords:
    batch_id: str
    payload: dict[str, Any]  # {"batch_id": ..., "records": [...]}, exactly what is sent

    @property
    def size(self) -> int:
        return len(self.payload["records"])


@dataclass(frozen=True)
class RecordsApplied:
    plan_versions: int
    statuses: int  # status changes put in force here
    deletions: int  # cases erased here


@dataclass(frozen=True)
class PlanVersionSource:
    """Where a plan version came from: made on this laptop, or pulled from the server."""

    number: int
    version: str  # the record's version: the same on every laptop
    origin: str  # ORIGIN_LOCAL or ORIGIN_SERVER
    server_seq: int | None  # None: not on the server yet
    received_at: str | None


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _plan_state(decision_json: str) -> str:
    try:
        state = json.loads(decision_json).get("state", "concept")
    except (ValueError, AttributeError):
        return "concept"
    return str(state)


def reason_category(reason: str) -> str:
    """The category of a deletion reason (``reason:<word>``): never free text, which may name a person."""
    if reason.startswith("undo-import:"):
        return IMPORT_UNDONE_REASON
    word = reason.removeprefix("reason:")
    return word if _WORD.match(word) else OTHER_REASON


# -- versions of records ---------------------------------------------------------------------------


def _next_version(connection: Connection, device_id: str) -> str:
    """A record version later than every record version made or seen here, and than the newest edit."""
    clock = HybridLogicalClock(device_id)
    last = sync_store.get_meta(connection, RECORDS_CLOCK_KEY)
    if last is not None:
        clock.observe(Version.parse(last))
    newest_edit = connection.execute(select(Change.version).order_by(Change.seq.desc()).limit(1)).scalar()
    if newest_edit is not None:
        clock.observe(Version.parse(newest_edit))
    version = str(clock.now())
    sync_store.set_meta(connection, RECORDS_CLOCK_KEY, version)
    return version


def _observe(connection: Connection, version: str) -> None:
    last = sync_store.get_meta(connection, RECORDS_CLOCK_KEY)
    seen, known = Version.parse(version), Version.parse(last) if last is not None else None
    if known is None or (seen.millis, seen.counter) > (known.millis, known.counter):
        sync_store.set_meta(connection, RECORDS_CLOCK_KEY, version)


def _queue(connection: Connection, kind: str, case_id: str, version: str, data: Mapping[str, Any]) -> None:
    record = {"kind": kind, "case_id": case_id, "version": version, "data": dict(data)}
    connection.execute(
        insert(RecordOutbox).values(version=version, kind=kind, case_id=case_id, record_json=_dumps(record),
                                    created_at=sync_store.now_iso())
    )


# -- hooks: called inside the transaction of the change they record ---------------------------------


def track_plan_versions(connection: Connection, vault: Vault, case_id: str | None = None) -> int:
    """Give every plan version without a sync identity one, and queue its record. Returns how many.

    Called when a version is saved, and before each sync for versions that arrived another way (a
    transfer, an import, a vault made before the records sync).
    """
    query = (
        select(PlanVersion.__table__)
        .outerjoin(PlanVersionSync, and_(PlanVersionSync.case_id == PlanVersion.case_id,
                                         PlanVersionSync.number == PlanVersion.number))
        .where(PlanVersionSync.case_id.is_(None), PlanVersion.number > 0)
        .order_by(PlanVersion.case_id, PlanVersion.number)
    )
    if case_id is not None:
        query = query.where(PlanVersion.case_id == case_id)
    rows = connection.execute(query).all()
    for row in rows:
        version = _next_version(connection, vault.device_id)
        connection.execute(
            insert(PlanVersionSync).values(case_id=row.case_id, version=version, number=row.number,
                                           origin=ORIGIN_LOCAL, server_seq=None, received_at=None)
        )
        _queue(connection, PLAN_VERSION, row.case_id, version, {
            "number": row.number, "created_at": row.created_at, "created_by": row.created_by,
            "dagtekening": row.dagtekening, "route": row.route, "amendment_reason": row.amendment_reason,
            "form_version": row.form_version, "state": _plan_state(row.decision_json),
            "decision_json": row.decision_json, "content_json": row.content_json,
        })
    return len(rows)


def queue_status(
    connection: Connection, vault: Vault, case_id: str, status: str, *, closed_at: str | None,
    closed_from_status: str | None,
) -> str:
    """Record a status an officer set (close, transfer, reopen); it is now the newest here."""
    version = _next_version(connection, vault.device_id)
    _queue(connection, STATUS, case_id, version,
           {"status": status, "closed_at": closed_at, "closed_from_status": closed_from_status})
    _set_status_version(connection, case_id, version)
    return version


def _set_status_version(connection: Connection, case_id: str, version: str) -> None:
    statement = sqlite_insert(CaseSyncState).values(case_id=case_id, status_version=version)
    connection.execute(statement.on_conflict_do_update(index_elements=["case_id"], set_={"status_version": version}))


def queue_deletion(connection: Connection, vault: Vault, case_id: str, reason: str) -> str:
    """Record the erasure of a case (its rows are gone already); its waiting records are dropped."""
    _forget_waiting(connection, case_id)
    version = _next_version(connection, vault.device_id)
    _queue(connection, DELETION, case_id, version, {"reason": reason_category(reason)})
    return version


def _forget_waiting(connection: Connection, case_id: str) -> None:
    """Drop the case's records that were not sent yet, and a batch in flight that holds any of them
    (its other records stay queued and go out in a new batch; the server knows them by version)."""
    for batch_id, payload_json in connection.execute(select(RecordOutgoing.batch_id, RecordOutgoing.payload_json)):
        if any(record["case_id"] == case_id for record in json.loads(payload_json)["records"]):
            connection.execute(delete(RecordOutgoing).where(RecordOutgoing.batch_id == batch_id))
    connection.execute(delete(RecordOutbox).where(RecordOutbox.case_id == case_id))


# -- push ------------------------------------------------------------------------------------------


def pending_count(vault: Vault) -> int:
    with vault.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(RecordOutbox)).scalar_one())


def next_batch(vault: Vault, max_records: int, max_bytes: int) -> OutgoingRecords | None:
    """The batch in flight if there is one (re-sent unchanged), else a new one; None: nothing to push."""
    with vault.sync_transaction() as connection:
        stored = connection.execute(select(RecordOutgoing).order_by(RecordOutgoing.created_at).limit(1)).first()
        if stored is not None:
            return OutgoingRecords(stored.batch_id, json.loads(stored.payload_json))
        track_plan_versions(connection, vault)
        rows = connection.execute(select(RecordOutbox).order_by(RecordOutbox.seq).limit(max_records)).all()
        if not rows:
            return None
        chosen = [rows[0]]
        size = len(rows[0].record_json)
        for row in rows[1:]:
            size += len(row.record_json)
            if size > max_bytes:
                break
            chosen.append(row)
        batch_id = str(uuid.uuid4())
        payload = {"batch_id": batch_id, "records": [json.loads(row.record_json) for row in chosen]}
        connection.execute(
            insert(RecordOutgoing).values(batch_id=batch_id, last_seq=chosen[-1].seq, payload_json=_dumps(payload),
                                          created_at=sync_store.now_iso())
        )
        return OutgoingRecords(batch_id, payload)


def complete_batch(vault: Vault, batch_id: str, response: Mapping[str, Any]) -> int:
    """Store the server's answer to a records batch; returns how many records it took. Twice: nothing."""
    with vault.sync_transaction() as connection:
        stored = connection.execute(select(RecordOutgoing).where(RecordOutgoing.batch_id == batch_id)).first()
        if stored is None:
            return 0
        sent = {record["version"]: record for record in json.loads(stored.payload_json)["records"]}
        touched: set[str] = set()
        taken = 0
        for result in response["results"]:
            record = sent.get(result["version"])
            if record is None:
                continue
            taken += 1
            if record["kind"] == PLAN_VERSION and result.get("seq") is not None:
                connection.execute(
                    update(PlanVersionSync)
                    .where(PlanVersionSync.case_id == record["case_id"], PlanVersionSync.version == record["version"],
                           PlanVersionSync.server_seq.is_(None))
                    .values(server_seq=int(result["seq"]))
                )
                touched.add(record["case_id"])
        connection.execute(delete(RecordOutbox).where(RecordOutbox.seq <= stored.last_seq))
        connection.execute(delete(RecordOutgoing).where(RecordOutgoing.batch_id == batch_id))
        for case_id in sorted(touched):
            _renumber(connection, vault, case_id)
        audit.append(connection, vault.officer, AuditAction.SYNC, "", f"records push {taken}")
    vault.mark_changed()
    return taken


def drop_batch(vault: Vault, batch_id: str) -> None:
    """Forget a batch the server refused; its records stay queued and go out in a new batch."""
    with vault.sync_transaction() as connection:
        connection.execute(delete(RecordOutgoing).where(RecordOutgoing.batch_id == batch_id))


# -- pull ------------------------------------------------------------------------------------------


def pull_cursor(vault: Vault) -> int:
    with vault.engine.connect() as connection:
        return int(sync_store.get_meta(connection, RECORDS_CURSOR_KEY) or 0)


def apply_pulled(
    vault: Vault, records: Sequence[Mapping[str, Any]], next_after: int, device: int | None
) -> RecordsApplied:
    """Apply one page of pulled records and move the records cursor, in one transaction."""
    if not records and next_after == pull_cursor(vault):
        return RecordsApplied(0, 0, 0)
    plan_versions = statuses = deletions = 0
    with vault.sync_transaction() as connection:
        track_plan_versions(connection, vault)  # every version here has its identity before renumbering
        pulled: dict[str, list[tuple[str, str, str]]] = {}  # case id -> (version, state, by) pulled now
        touched: set[str] = set()
        for record in records:
            _observe(connection, record["version"])
            kind, case_id = record["kind"], record["case_id"]
            if kind == PLAN_VERSION:
                outcome = _take_plan_version(connection, record)
                if outcome is not None:
                    touched.add(case_id)
                if outcome == "new":
                    pulled.setdefault(case_id, []).append(
                        (record["version"], str(record["data"]["state"]), str(record["by"]))
                    )
                    plan_versions += 1
            elif kind == STATUS:
                statuses += _take_status(connection, vault, record)
            elif kind == DELETION:
                pulled.pop(case_id, None)
                touched.discard(case_id)
                deletions += _take_deletion(connection, vault, record, device)
        for case_id in sorted(touched):
            numbers = _renumber(connection, vault, case_id)
            for version, state, by in pulled.get(case_id, []):
                audit.append(connection, vault.officer, AuditAction.SYNC, case_id,
                             f"plan_version_from_server:{numbers[version]}:{state}:{by}"[:200])
            _derive_plan_status(connection, case_id)
        sync_store.set_meta(connection, RECORDS_CURSOR_KEY, str(next_after))
    if deletions or plan_versions or statuses:
        vault.mark_changed()
    if deletions:
        from intake_app.storage import case_admin  # case_admin imports this module

        case_admin.scrub(vault)
    return RecordsApplied(plan_versions, statuses, deletions)


def _take_plan_version(connection: Connection, record: Mapping[str, Any]) -> str | None:
    """"new" for a version new here, "seq" for one of ours the server numbered, None if known already."""
    case_id, version, seq = record["case_id"], record["version"], int(record["seq"])
    known = connection.execute(
        select(PlanVersionSync.server_seq).where(PlanVersionSync.case_id == case_id, PlanVersionSync.version == version)
    ).first()
    if known is not None:
        if known.server_seq is not None:
            return None
        connection.execute(
            update(PlanVersionSync).where(PlanVersionSync.case_id == case_id, PlanVersionSync.version == version)
            .values(server_seq=seq)
        )
        return "seq"
    sync_store.ensure_case(connection, case_id)
    lowest = connection.execute(select(func.min(PlanVersion.number)).where(PlanVersion.case_id == case_id)).scalar()
    waiting = min(_WAITING_NUMBER, lowest if lowest is not None else 0) - 1
    data = record["data"]
    connection.execute(
        insert(PlanVersion).values(
            case_id=case_id, number=waiting, created_at=data["created_at"], created_by=data["created_by"],
            dagtekening=data["dagtekening"], route=data["route"], amendment_reason=data.get("amendment_reason"),
            form_version=data["form_version"], decision_json=data["decision_json"], content_json=data["content_json"],
        )
    )
    connection.execute(
        insert(PlanVersionSync).values(case_id=case_id, version=version, number=waiting, origin=ORIGIN_SERVER,
                                       server_seq=seq, received_at=sync_store.now_iso())
    )
    return "new"


def _renumber(connection: Connection, vault: Vault, case_id: str) -> dict[str, int]:
    """Number the case's versions 1, 2, 3… in the server's order (versions not on it yet last, in the
    order they were made), moving stored PDFs along. Returns each version's number."""
    rows = connection.execute(
        select(PlanVersionSync.version, PlanVersionSync.number, PlanVersionSync.server_seq)
        .where(PlanVersionSync.case_id == case_id)
    ).all()
    ordered = sorted(rows, key=lambda row: (row.server_seq is None, row.server_seq or 0, row.version))
    moves = [(row.version, row.number, new) for new, row in enumerate(ordered, 1) if row.number != new]
    if moves:
        # A document row points at its version's number: checked at commit, once both have moved.
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        # Through negative numbers, so no two versions ever share one on the way.
        for steps in ([(version, old, -new) for version, old, new in moves],
                      [(version, -new, new) for version, _old, new in moves]):
            for version, old, new in steps:
                connection.execute(update(PlanVersion).where(PlanVersion.case_id == case_id, PlanVersion.number == old)
                                   .values(number=new))
                connection.execute(update(PlanDocument)
                                   .where(PlanDocument.case_id == case_id, PlanDocument.number == old)
                                   .values(number=new))
                connection.execute(update(PlanVersionSync)
                                   .where(PlanVersionSync.case_id == case_id, PlanVersionSync.version == version)
                                   .values(number=new))
        renumbered = [f"{old}>{new}" for _version, old, new in moves if old > 0]
        if renumbered:
            audit.append(connection, vault.officer, AuditAction.EDIT, case_id,
                         ("plan_renumbered:" + ",".join(renumbered))[:200])
    return {row.version: new for new, row in enumerate(ordered, 1)}


def _derive_plan_status(connection: Connection, case_id: str) -> None:
    """Pulled versions move a working case to concept PIP or fixed PIP, as saving them here would;
    a closed or transferred case stays so (that status travels by itself)."""
    status = connection.execute(select(Case.status).where(Case.id == case_id)).scalar()
    values: dict[str, Any] = {"updated_at": sync_store.now_iso()}  # derived list facts are read again
    if status in _WORKING:
        states = connection.execute(select(PlanVersion.decision_json).where(PlanVersion.case_id == case_id))
        fixed = any(_plan_state(text) == _FIXED for (text,) in states)
        values["status"] = (CaseStatus.PIP_FIXED if fixed else CaseStatus.DRAFT_PIP).value
    connection.execute(update(Case).where(Case.id == case_id).values(**values))


def _take_status(connection: Connection, vault: Vault, record: Mapping[str, Any]) -> int:
    case_id, version, data = record["case_id"], record["version"], record["data"]
    status, by = str(data["status"]), str(record["by"])
    current = connection.execute(
        select(CaseSyncState.status_version).where(CaseSyncState.case_id == case_id)
    ).scalar()
    if current is not None and current >= version:
        if current != version:  # a colleague's change that a newer one overtook: history only
            audit.append(connection, vault.officer, AuditAction.SYNC, case_id,
                         f"status_from_server_older:{status}:{by}"[:200])
        return 0
    sync_store.ensure_case(connection, case_id)
    closed = status in _CLOSED
    values: dict[str, Any] = {"status": status, "updated_at": sync_store.now_iso()}
    if closed:
        values["next_deadline"] = None
    connection.execute(update(Case).where(Case.id == case_id).values(**values))
    admin: dict[str, Any] = {"closed_at": data.get("closed_at") if closed else None,
                             "closed_from_status": data.get("closed_from_status") if closed else None}
    if closed:
        admin["deadline_kind"] = None
    else:
        admin["derived_at"] = ""  # reopened: the services derive its deadline again
    defaults: dict[str, Any] = {"lbt_result": 0, "derived_at": "", "origin": "", "origin_detail": ""}
    statement = sqlite_insert(CaseAdmin).values(case_id=case_id, **{**defaults, **admin})
    connection.execute(statement.on_conflict_do_update(index_elements=["case_id"], set_=admin))
    _set_status_version(connection, case_id, version)
    audit.append(connection, vault.officer, AuditAction.SYNC, case_id, f"status_from_server:{status}:{by}"[:200])
    return 1


def _take_deletion(connection: Connection, vault: Vault, record: Mapping[str, Any], device: int | None) -> int:
    case_id = record["case_id"]
    _forget_waiting(connection, case_id)
    if connection.execute(select(Case.id).where(Case.id == case_id)).scalar() is None:
        return 0
    from intake_app.storage import case_admin  # case_admin imports this module

    case_admin.erase_rows(connection, case_id)
    category = reason_category(f"reason:{record['data'].get('reason', '')}")
    # Our own deletion coming back finds the case only if answers pulled meanwhile brought it back.
    who = "deleted_via_server" if device is not None and record.get("device") == device else \
        "deleted_by_colleague_via_server"
    audit.append(connection, vault.officer, AuditAction.DELETE, case_id,
                 f"{who}:reason:{category}:by:{record['by']}"[:200])
    return 1


# -- reading ---------------------------------------------------------------------------------------


def plan_version_sources(vault: Vault, case_id: str) -> list[PlanVersionSource]:
    """Per plan version of the case: its sync identity and whether it came from the server."""
    with vault.engine.connect() as connection:
        rows = connection.execute(
            select(PlanVersionSync).where(PlanVersionSync.case_id == case_id).order_by(PlanVersionSync.number)
        ).all()
    return [PlanVersionSource(row.number, row.version, row.origin, row.server_seq, row.received_at) for row in rows]


def status_version(vault: Vault, case_id: str) -> str | None:
    with vault.engine.connect() as connection:
        value: str | None = connection.execute(
            select(CaseSyncState.status_version).where(CaseSyncState.case_id == case_id)
        ).scalar()
        return value


def pending_case_ids(vault: Vault) -> set[str]:
    """Cases with case records waiting to be pushed."""
    with vault.engine.connect() as connection:
        return set(connection.execute(select(RecordOutbox.case_id).distinct()).scalars())


__all__ = [
    "DELETION",
    "ORIGIN_LOCAL",
    "ORIGIN_SERVER",
    "PLAN_VERSION",
    "STATUS",
    "OutgoingRecords",
    "PlanVersionSource",
    "RecordsApplied",
    "apply_pulled",
    "complete_batch",
    "drop_batch",
    "next_batch",
    "pending_case_ids",
    "pending_count",
    "plan_version_sources",
    "pull_cursor",
    "queue_deletion",
    "queue_status",
    "reason_category",
    "status_version",
    "track_plan_versions",
]
