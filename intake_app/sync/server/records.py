"""The server's side of the case-records channel (``sync.records_protocol``): push, pull, erasure.

A records push is one write transaction, serialised per municipality on its row (the row the answer
push locks too), so a deletion and an answer push of the same municipality never interleave: either
the push's answers are written first and the deletion erases them, or the deletion marks
``cases.deleted_at`` first and the answer push skips the case.

- A plan version is appended to the stream. Versions never conflict: two laptops that each added
  one offline both keep theirs, and everyone orders them by their number in the stream.
- A status change is appended too; the case's status in force (``case_statuses``) is the one with
  the newest version. An older one stays in the stream as history (``superseded``).
- A deletion erases what the server holds of the case — its answers and conflicts (``log``,
  ``conflicts``), its records and status — marks ``cases.deleted_at`` and appends the deletion
  record as the tombstone (case id, when, by whom, reason category). Later records of the case
  are dropped (``case_deleted``).

Nothing here writes case ids, values or reasons to the server's log: only counts.
"""

import json
import logging
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Connection, Engine, delete, insert, select, update

from intake_app.sync import records_protocol as rp
from intake_app.sync.protocol import Problem
from intake_app.sync.server import store
from intake_app.sync.server.auth import DeviceIdentity
from intake_app.sync.server.db import write_transaction
from intake_app.sync.server.models import LogEntry, Municipality, ServerCase, ServerConflict
from intake_app.sync.server.record_models import CaseStatusRow, RecordBatch, RecordEntry, RecordSequence

log = logging.getLogger("intake_app.sync.server.records")



class RecordsRefused(Exception):
    def __init__(self, status: int, code: str, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason, self.index = status, code, reason, index


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _RecordsPush:
    def __init__(self, connection: Connection, identity: DeviceIdentity, last_seq: int) -> None:
        self.connection = connection
        self.identity = identity
        self.seq = last_seq
        self.now = store.now_iso()
        self.deleted: set[str] = set()
        self.statuses: dict[str, str] = {}  # case id -> version of the status in force
        self.known: dict[str, int] = {}  # version -> seq of records received before

    def run(self, request: rp.RecordPush) -> dict[str, Any]:
        records = request.records
        self._claim_cases(records)
        self._load_known([record.version for record in records])
        self._load_statuses(sorted({r.case_id for r in records if r.kind == rp.RecordKind.STATUS.value}))
        results = [self._one(record) for record in records]
        return {"batch_id": request.batch_id, "results": results, "latest_seq": self.seq, "at": self.now}

    def _claim_cases(self, records: Sequence[rp.WirePlanVersion | rp.WireStatus | rp.WireDeletion]) -> None:
        case_ids = sorted({record.case_id for record in records})
        owners: dict[str, tuple[int, str | None]] = {}
        for chunk in store.chunks(case_ids):
            rows = self.connection.execute(
                select(ServerCase.case_id, ServerCase.municipality_id, ServerCase.deleted_at)
                .where(ServerCase.case_id.in_(chunk))
            )
            owners.update((case_id, (municipality_id, deleted_at)) for case_id, municipality_id, deleted_at in rows)
        for index, record in enumerate(records):
            owner = owners.get(record.case_id)
            if owner is not None and owner[0] != self.identity.municipality_id:
                raise RecordsRefused(403, "case_not_yours", "dit dossier hoort niet bij uw gemeente", index)
        self.deleted = {case_id for case_id, (_owner, deleted_at) in owners.items() if deleted_at is not None}
        new = [case_id for case_id in case_ids if case_id not in owners]
        if new:
            self.connection.execute(
                insert(ServerCase),
                [{"case_id": c, "municipality_id": self.identity.municipality_id, "created_at": self.now,
                  "deleted_at": None} for c in new],
            )

    def _load_known(self, versions: list[str]) -> None:
        for chunk in store.chunks(versions):
            rows = self.connection.execute(
                select(RecordEntry.version, RecordEntry.seq).where(
                    RecordEntry.municipality_id == self.identity.municipality_id, RecordEntry.version.in_(chunk)
                )
            )
            self.known.update((version, int(seq)) for version, seq in rows)

    def _load_statuses(self, case_ids: list[str]) -> None:
        for chunk in store.chunks(case_ids):
            rows = self.connection.execute(
                select(CaseStatusRow.case_id, CaseStatusRow.version).where(CaseStatusRow.case_id.in_(chunk))
            )
            self.statuses.update((case_id, version) for case_id, version in rows)

    def _one(self, record: rp.WirePlanVersion | rp.WireStatus | rp.WireDeletion) -> dict[str, Any]:
        if record.case_id in self.deleted:
            return {"version": record.version, "status": rp.RecordStatus.CASE_DELETED.value, "seq": None}
        if record.version in self.known:
            return {"version": record.version, "status": rp.RecordStatus.DUPLICATE.value,
                    "seq": self.known[record.version]}
        status = rp.RecordStatus.APPLIED
        if isinstance(record, rp.WireDeletion):
            self._erase(record.case_id)
        seq = self._append(record)
        if isinstance(record, rp.WireStatus):
            status = self._set_status(record, seq)
        return {"version": record.version, "status": status.value, "seq": seq}

    def _append(self, record: rp.WirePlanVersion | rp.WireStatus | rp.WireDeletion) -> int:
        self.seq += 1
        self.connection.execute(
            insert(RecordEntry).values(
                municipality_id=self.identity.municipality_id, seq=self.seq, kind=record.kind,
                case_id=record.case_id, version=record.version, device_id=self.identity.device_id,
                officer=self.identity.officer, at=self.now, data_json=_dumps(record.data.model_dump()),
            )
        )
        self.known[record.version] = self.seq
        return self.seq

    def _set_status(self, record: rp.WireStatus, seq: int) -> rp.RecordStatus:
        current = self.statuses.get(record.case_id)
        if current is not None and current >= record.version:
            return rp.RecordStatus.SUPERSEDED
        values = {"status": record.data.status, "version": record.version, "seq": seq}
        if current is None:
            self.connection.execute(
                insert(CaseStatusRow).values(
                    case_id=record.case_id, municipality_id=self.identity.municipality_id, **values
                )
            )
        else:
            self.connection.execute(
                update(CaseStatusRow).where(CaseStatusRow.case_id == record.case_id).values(**values)
            )
        self.statuses[record.case_id] = record.version
        return rp.RecordStatus.APPLIED

    def _erase(self, case_id: str) -> None:
        mid = self.identity.municipality_id
        connection = self.connection
        connection.execute(delete(LogEntry).where(LogEntry.municipality_id == mid, LogEntry.case_id == case_id))
        connection.execute(
            delete(ServerConflict).where(ServerConflict.municipality_id == mid, ServerConflict.case_id == case_id)
        )
        connection.execute(
            delete(RecordEntry).where(RecordEntry.municipality_id == mid, RecordEntry.case_id == case_id)
        )
        connection.execute(delete(CaseStatusRow).where(CaseStatusRow.case_id == case_id))
        store.forget_batches_of(connection, case_id)
        connection.execute(update(ServerCase).where(ServerCase.case_id == case_id).values(deleted_at=self.now))
        self.statuses.pop(case_id, None)
        self.deleted.add(case_id)


def push(connection: Connection, identity: DeviceIdentity, request: rp.RecordPush) -> dict[str, Any]:
    """Process one records batch inside the caller's write transaction; a known batch id returns its answer."""
    connection.execute(
        select(Municipality.id).where(Municipality.id == identity.municipality_id).with_for_update()
    ).scalar_one()
    stored = connection.execute(
        select(RecordBatch.device_id, RecordBatch.response_json).where(RecordBatch.batch_id == request.batch_id)
    ).first()
    if stored is not None:
        if stored.device_id != identity.device_id:
            raise RecordsRefused(409, "batch_id_taken", "deze batch-id is al door een ander apparaat gebruikt")
        response: dict[str, Any] = json.loads(stored.response_json)
        return response
    last_seq = connection.execute(
        select(RecordSequence.last_seq).where(RecordSequence.municipality_id == identity.municipality_id)
    ).scalar()
    if last_seq is None:
        connection.execute(insert(RecordSequence).values(municipality_id=identity.municipality_id, last_seq=0))
    work = _RecordsPush(connection, identity, int(last_seq or 0))
    response = work.run(request)
    connection.execute(
        update(RecordSequence).where(RecordSequence.municipality_id == identity.municipality_id)
        .values(last_seq=work.seq)
    )
    connection.execute(
        insert(RecordBatch).values(batch_id=request.batch_id, device_id=identity.device_id, received_at=work.now,
                                   response_json=_dumps(response))
    )
    return response


def pull(connection: Connection, municipality_id: int, after: int, limit: int) -> dict[str, Any]:
    """Records of the municipality after ``after``, oldest first; a page ends early past PULL_PAGE_BYTES."""
    rows = connection.execute(
        select(RecordEntry).where(RecordEntry.municipality_id == municipality_id, RecordEntry.seq > after)
        .order_by(RecordEntry.seq).limit(limit + 1)
    ).all()
    latest = connection.execute(
        select(RecordSequence.last_seq).where(RecordSequence.municipality_id == municipality_id)
    ).scalar()
    records: list[dict[str, Any]] = []
    size = 0
    for row in rows[:limit]:
        if records and size + len(row.data_json) > rp.PULL_PAGE_BYTES:
            break
        size += len(row.data_json)
        records.append({
            "seq": int(row.seq), "kind": row.kind, "case_id": row.case_id, "version": row.version,
            "by": row.officer, "device": row.device_id, "at": row.at, "data": json.loads(row.data_json),
        })
    more = len(records) < len(rows)
    next_after = records[-1]["seq"] if records else after
    return {"records": records, "next_after": next_after, "latest_seq": int(latest or 0), "more": more}


def _refused(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RecordsRefused)
    body = Problem(code=error.code, reason=error.reason, index=error.index).model_dump(exclude_none=True)
    return JSONResponse(body, status_code=error.status)


def register(app: FastAPI, engine: Engine, identity: Callable[..., DeviceIdentity]) -> None:
    """Add the records routes to ``app``; ``identity`` is the app's device dependency (bearer token)."""
    problems: dict[int | str, dict[str, Any]] = {
        status: {"model": Problem} for status in (401, 403, 409, 413, 422)
    }
    app.add_exception_handler(RecordsRefused, _refused)

    @app.post(rp.RECORDS_PATH, response_model=rp.RecordPushResponse, responses=problems)
    def push_records(
        body: rp.RecordPush, device: Annotated[DeviceIdentity, Depends(identity)]
    ) -> Response:
        """Store a batch of case records. A batch id or a record sent again changes nothing."""
        with write_transaction(engine) as connection:
            result = push(connection, device, body)
        log.info("records batch: %d records", len(body.records))
        return Response(_dumps(result), media_type="application/json")

    @app.get(rp.RECORDS_PATH, response_model=rp.RecordPage, responses={401: {"model": Problem}})
    def pull_records(
        device: Annotated[DeviceIdentity, Depends(identity)],
        after: Annotated[int, Query(ge=0, le=rp.MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=rp.MAX_PULL_RECORDS)] = rp.DEFAULT_PULL_RECORDS,
    ) -> Response:
        """Case records of the device's municipality after sequence number ``after``, oldest first."""
        with engine.connect() as connection:
            result = pull(connection, device.municipality_id, after, limit)
        return Response(_dumps(result), media_type="application/json")
