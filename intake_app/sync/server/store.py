"""Push and pull against the server database: the merge rules of ``sync.merge``, set-based.

One push is one transaction, serialised per municipality on its row: read the current state of the
batch's answers in a few queries, decide each change, then write the log and the answers in bulk.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, and_, any_, bindparam, insert, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from intake_app.forms import Form, QuestionKind
from intake_app.sync.merge import Decision, decide, merge_entry_lists, merged_version
from intake_app.sync.protocol import ChangeStatus, EventKind, PushRequest, WireChange
from intake_app.sync.server.auth import DeviceIdentity
from intake_app.sync.server.models import (
    Batch,
    LogEntry,
    Municipality,
    ServerAnswer,
    ServerCase,
    ServerConflict,
)

Key = tuple[str, str, str]
_CHUNK = 1000  # ids per IN (...) list (a batch has at most 1000 changes)


class PushRefused(Exception):
    def __init__(self, status: int, code: str, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason, self.index = status, code, reason, index


@dataclass(frozen=True)
class _State:
    value_json: str | None
    version: str
    seq: int
    by: str
    at: str
    device: int | None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dumps(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(value_json: str | None) -> Any:
    return None if value_json is None else json.loads(value_json)


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _is_in(connection: Connection, column: Any, values: Sequence[str]) -> Any:
    """``column IN (...)``; on PostgreSQL ``= ANY(array)``: one parameter instead of hundreds."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(String), unique=True))
    return column.in_(list(values))


def _snapshot(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "case_id": row.case_id, "question_id": row.question_id, "entry_id": row.entry_id,
        "kept_value": _loads(row.kept_value_json), "kept_version": row.kept_version, "kept_by": row.kept_by,
        "kept_at": row.kept_at, "kept_device": row.kept_device,
        "other_value": _loads(row.other_value_json), "other_version": row.other_version,
        "other_by": row.other_by, "other_at": row.other_at, "other_device": row.other_device,
        "resolved": row.resolved_at is not None,
    }


def check_batch(form: Form, request: PushRequest) -> None:
    """Every change must fit the questionnaire; one that does not refuses the whole batch."""
    from intake_app.sync.merge import check_change

    seen: set[Key] = set()
    for index, change in enumerate(request.changes):
        reason = check_change(form, change.question_id, change.entry_id, change.value)
        if reason is not None:
            raise PushRefused(422, "invalid_change", reason, index)
        key = (change.case_id, change.question_id, change.entry_id)
        if key in seen:
            raise PushRefused(422, "duplicate_key", "één antwoord staat twee keer in de batch", index)
        seen.add(key)


class _Push:
    def __init__(self, connection: Connection, identity: DeviceIdentity, form: Form, last_seq: int) -> None:
        self.connection = connection
        self.identity = identity
        self.form = form
        self.seq = last_seq
        self.now = now_iso()
        self.log_rows: list[dict[str, Any]] = []
        self.answer_rows: dict[Key, dict[str, Any]] = {}
        self.current: dict[Key, _State] = {}
        self.conflicts: dict[Key, list[Any]] = {}

    def seq_of(self, key: Key) -> int:
        return self.current[key].seq

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def run(self, request: PushRequest) -> dict[str, Any]:
        changes = request.changes
        case_ids = sorted({change.case_id for change in changes})
        self._claim_cases(case_ids)
        keys = [(c.case_id, c.question_id, c.entry_id) for c in changes]
        self._load_current(keys)
        seen = self._seen_versions([c.version for c in changes])
        self._load_open_conflicts(case_ids)
        results = [self._one(change, change.version in seen) for change in changes]
        self._write()
        return {"batch_id": request.batch_id, "results": results, "latest_seq": self.seq, "at": self.now}

    # -- reading -----------------------------------------------------------------------------------

    def _claim_cases(self, case_ids: list[str]) -> None:
        owners: dict[str, int] = {}
        for chunk in _chunks(case_ids):
            rows = self.connection.execute(
                select(ServerCase.case_id, ServerCase.municipality_id).where(ServerCase.case_id.in_(chunk))
            )
            owners.update((case_id, municipality_id) for case_id, municipality_id in rows)
        if any(owner != self.identity.municipality_id for owner in owners.values()):
            # The same answer for a case that does not exist and one of another municipality.
            raise PushRefused(403, "case_not_yours", "dit dossier hoort niet bij uw gemeente")
        new = [c for c in case_ids if c not in owners]
        if new:
            self.connection.execute(
                insert(ServerCase),
                [{"case_id": c, "municipality_id": self.identity.municipality_id, "created_at": self.now} for c in new],
            )

    def _load_current(self, keys: list[Key]) -> None:
        # By case (the primary key's prefix): a batch touches few cases, and a case has at most a
        # few hundred answers, so this reads little more than needed in one index range per case.
        wanted = set(keys)
        case_ids = sorted({key[0] for key in keys})
        for chunk in _chunks(case_ids):
            rows = self.connection.execute(
                select(ServerAnswer).where(_is_in(self.connection, ServerAnswer.case_id, chunk))
            )
            for row in rows:
                key = (row.case_id, row.question_id, row.entry_id)
                if key in wanted:
                    self.current[key] = _State(
                        row.value_json, row.version, row.seq, row.updated_by, row.updated_at, row.device_id
                    )

    def _seen_versions(self, versions: list[str]) -> set[str]:
        seen: set[str] = set()
        mid = self.identity.municipality_id
        for chunk in _chunks(versions):
            # By version alone (its own index): a version names its laptop, so it is unique anyway.
            seen.update(v for v in self.connection.execute(
                select(LogEntry.version).where(_is_in(self.connection, LogEntry.version, chunk))
            ).scalars() if v is not None)
            seen.update(self.connection.execute(
                select(ServerConflict.other_version).where(
                    ServerConflict.municipality_id == mid, _is_in(self.connection, ServerConflict.other_version, chunk))
            ).scalars())
        return seen

    def _load_open_conflicts(self, case_ids: list[str]) -> None:
        for chunk in _chunks(case_ids):
            rows = self.connection.execute(
                select(ServerConflict).where(ServerConflict.case_id.in_(chunk), ServerConflict.resolved_at.is_(None))
                .order_by(ServerConflict.id)
            )
            for row in rows:
                self.conflicts.setdefault((row.case_id, row.question_id, row.entry_id), []).append(row)

    # -- deciding ----------------------------------------------------------------------------------

    def _one(self, change: WireChange, already_seen: bool) -> dict[str, Any]:
        key = (change.case_id, change.question_id, change.entry_id)
        current = self.current.get(key)
        question = self.form.question(change.question_id)
        decision = decide(
            server_has_row=current is not None, server_version=current.version if current else None,
            base_version=change.base_version, already_seen=already_seen,
            is_entry_list=question.kind is QuestionKind.REPEAT_GROUP,
            same_value=current is not None and current.value_json == _dumps(change.value),
        )
        conflict: dict[str, Any] | None = None
        resolved: list[int] = []
        status = ChangeStatus.SAME if decision is Decision.SAME else ChangeStatus.DUPLICATE
        if decision is Decision.APPLY:
            status = ChangeStatus.APPLIED
            resolved = self._apply(key, change.value, change.version, change.base_version, change.resolves)
        elif decision is Decision.SAME and change.resolves:
            resolved = self._resolve_without_change(key, change.resolves)
        elif decision is Decision.MERGE:
            status = ChangeStatus.MERGED
            assert current is not None
            base = self._value_at(key, change.base_version)
            merged = merge_entry_lists(
                _as_list(base), _as_list(_loads(current.value_json)), _as_list(change.value)
            )
            version = merged_version(current.version, change.version, f"merge{self.seq + 1}")
            self._apply(key, merged or None, version, current.version, [])
        elif decision is Decision.CONFLICT:
            status = ChangeStatus.CONFLICT
            conflict = self._conflict(key, change)
        state = self.current.get(key)
        if status is ChangeStatus.APPLIED and not resolved:
            # The server's state is the change itself: the laptop has it, only the number is new.
            return {"version": change.version, "status": status.value, "server_seq": self.seq_of(key)}
        return {
            "version": change.version, "status": status.value,
            "server_value": _loads(state.value_json) if state else None,
            "server_version": state.version if state else None, "server_seq": state.seq if state else None,
            "server_by": state.by if state else "", "server_at": state.at if state else "",
            "conflict": conflict, "resolved": resolved,
        }

    def _value_at(self, key: Key, version: str | None) -> Any:
        if version is None:
            return None
        value_json = self.connection.execute(
            select(LogEntry.value_json).where(
                LogEntry.municipality_id == self.identity.municipality_id, LogEntry.version == version,
                LogEntry.case_id == key[0], LogEntry.question_id == key[1], LogEntry.entry_id == key[2],
            ).limit(1)
        ).scalar()
        return _loads(value_json)

    def _resolve_without_change(self, key: Key, resolves: list[int]) -> list[int]:
        """The officer picked the value the server already holds: close the conflicts, tell everyone."""
        resolved = []
        still_open = []
        for conflict in self.conflicts.get(key, []):
            if conflict.id in resolves:
                self._log_conflict(key, self._update_conflict(conflict, resolved_at=self.now))
                resolved.append(conflict.id)
            else:
                still_open.append(conflict)
        self.conflicts[key] = still_open
        return resolved

    def _apply(
        self, key: Key, value: Any, version: str, base_version: str | None, resolves: list[int]
    ) -> list[int]:
        seq = self.next_seq()
        value_json = _dumps(value)
        open_here = self.conflicts.get(key, [])
        resolved = [c.id for c in open_here if c.id in resolves]
        self.log_rows.append({
            "municipality_id": self.identity.municipality_id, "seq": seq, "kind": EventKind.CHANGE.value,
            "case_id": key[0], "question_id": key[1], "entry_id": key[2], "value_json": value_json,
            "version": version, "base_version": base_version, "device_id": self.identity.device_id,
            "officer": self.identity.officer, "at": self.now,
            "extra_json": json.dumps({"resolves": resolved}) if resolved else None,
        })
        self.current[key] = _State(value_json, version, seq, self.identity.officer, self.now, self.identity.device_id)
        self.answer_rows[key] = {
            "case_id": key[0], "question_id": key[1], "entry_id": key[2], "value_json": value_json,
            "version": version, "seq": seq, "updated_by": self.identity.officer, "updated_at": self.now,
            "device_id": self.identity.device_id,
        }
        still_open = []
        for conflict in open_here:
            if conflict.id in resolved:
                self._update_conflict(conflict, resolved_at=self.now)
                continue
            # The kept side moved on: the conflict now stands against the newest server value.
            updated = self._update_conflict(
                conflict, kept_value_json=value_json, kept_version=version, kept_by=self.identity.officer,
                kept_at=self.now, kept_device=self.identity.device_id,
            )
            self._log_conflict(key, updated)
            still_open.append(updated)
        self.conflicts[key] = still_open
        return resolved

    def _conflict(self, key: Key, change: WireChange) -> dict[str, Any]:
        other = {
            "other_value_json": _dumps(change.value), "other_version": change.version,
            "other_by": self.identity.officer, "other_at": self.now, "other_device": self.identity.device_id,
        }
        open_here = self.conflicts.setdefault(key, [])
        for index, conflict in enumerate(open_here):
            if conflict.other_version == change.base_version:
                # The losing side edited its value again: the conflict carries the newest one.
                updated = self._update_conflict(conflict, **other)
                open_here[index] = updated
                self._log_conflict(key, updated)
                return _snapshot(updated)
        current = self.current[key]
        values: dict[str, Any] = {
            "municipality_id": self.identity.municipality_id, "case_id": key[0], "question_id": key[1],
            "entry_id": key[2], "kept_value_json": current.value_json, "kept_version": current.version,
            "kept_by": current.by, "kept_at": current.at, "kept_device": current.device,
            "opened_at": self.now, "resolved_at": None, **other,
        }
        conflict_id = self.connection.execute(insert(ServerConflict).values(**values).returning(ServerConflict.id))
        row = _Row(id=conflict_id.scalar_one(), **values)
        open_here.append(row)
        self._log_conflict(key, row)
        return _snapshot(row)

    def _update_conflict(self, conflict: Any, **values: Any) -> Any:
        self.connection.execute(update(ServerConflict).where(ServerConflict.id == conflict.id).values(**values))
        fields = {name: getattr(conflict, name) for name in _CONFLICT_FIELDS}
        fields.update(values)
        return _Row(**fields)

    def _log_conflict(self, key: Key, conflict: Any) -> None:
        self.log_rows.append({
            "municipality_id": self.identity.municipality_id, "seq": self.next_seq(),
            "kind": EventKind.CONFLICT.value, "case_id": key[0], "question_id": key[1], "entry_id": key[2],
            "value_json": None, "version": None, "base_version": None, "device_id": self.identity.device_id,
            "officer": self.identity.officer, "at": self.now, "extra_json": json.dumps(_snapshot(conflict)),
        })

    # -- writing -----------------------------------------------------------------------------------

    def _write(self) -> None:
        answers = list(self.answer_rows.values())
        if self.connection.dialect.name == "postgresql":
            _write_postgresql(self.connection, self.log_rows, answers)
        else:
            if self.log_rows:
                self.connection.execute(insert(LogEntry), self.log_rows)
            if answers:
                statement = sqlite.insert(ServerAnswer)
                statement = statement.on_conflict_do_update(
                    index_elements=["case_id", "question_id", "entry_id"],
                    set_={name: statement.excluded[name] for name in _ANSWER_UPDATES},
                )
                self.connection.execute(statement, answers)
        self.connection.execute(
            update(Municipality).where(Municipality.id == self.identity.municipality_id).values(last_seq=self.seq)
        )


_ANSWER_UPDATES = ("value_json", "version", "seq", "updated_by", "updated_at", "device_id")
_LOG_COLUMNS = {
    "municipality_id": "int", "seq": "bigint", "kind": "text", "case_id": "text", "question_id": "text",
    "entry_id": "text", "value_json": "text", "version": "text", "base_version": "text", "device_id": "int",
    "officer": "text", "at": "text", "extra_json": "text",
}
_ANSWER_COLUMNS = {
    "case_id": "text", "question_id": "text", "entry_id": "text", "value_json": "text", "version": "text",
    "seq": "bigint", "updated_by": "text", "updated_at": "text", "device_id": "int",
}


def _unnest(table: str, columns: dict[str, str], suffix: str = "") -> str:
    names = ", ".join(columns)
    arrays = ", ".join(f"%({name})s::{kind}[]" for name, kind in columns.items())
    return f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}){suffix}"


_COPY_LOG = f"COPY log ({', '.join(_LOG_COLUMNS)}) FROM STDIN"
_UPSERT_ANSWERS = _unnest(
    "answers", _ANSWER_COLUMNS,
    " ON CONFLICT (case_id, question_id, entry_id) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in _ANSWER_UPDATES),
)


def _write_postgresql(connection: Connection, log_rows: list[dict[str, Any]], answers: list[dict[str, Any]]) -> None:
    """One statement per table, whatever the batch size: rows travel as arrays (unnest)."""
    if log_rows:
        # COPY: the log only ever grows, and COPY is PostgreSQL's fastest way in (same transaction).
        driver = connection.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(_COPY_LOG) as copy:
            for row in log_rows:
                copy.write_row(tuple(row[name] for name in _LOG_COLUMNS))
    if answers:
        connection.exec_driver_sql(
            _UPSERT_ANSWERS, {name: [row[name] for row in answers] for name in _ANSWER_COLUMNS}
        )


_CONFLICT_FIELDS = (
    "id", "municipality_id", "case_id", "question_id", "entry_id", "kept_value_json", "kept_version", "kept_by",
    "kept_at", "kept_device", "other_value_json", "other_version", "other_by", "other_at", "other_device",
    "opened_at", "resolved_at",
)


@dataclass(frozen=True)
class _Row:
    id: int
    municipality_id: int
    case_id: str
    question_id: str
    entry_id: str
    kept_value_json: str | None
    kept_version: str | None
    kept_by: str
    kept_at: str
    kept_device: int | None
    other_value_json: str | None
    other_version: str
    other_by: str
    other_at: str
    other_device: int
    opened_at: str
    resolved_at: str | None


def _as_list(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def push(connection: Connection, identity: DeviceIdentity, form: Form, request: PushRequest) -> dict[str, Any]:
    """Process one batch inside the caller's write transaction; a known batch id returns its first answer."""
    last_seq = connection.execute(
        select(Municipality.last_seq).where(Municipality.id == identity.municipality_id).with_for_update()
    ).scalar_one()
    stored = connection.execute(
        select(Batch.device_id, Batch.response_json).where(Batch.batch_id == request.batch_id)
    ).first()
    if stored is not None:
        if stored.device_id != identity.device_id:
            raise PushRefused(409, "batch_id_taken", "deze batch-id is al door een ander apparaat gebruikt")
        response: dict[str, Any] = json.loads(stored.response_json)
        return response
    response = _Push(connection, identity, form, int(last_seq)).run(request)
    connection.execute(
        insert(Batch).values(
            batch_id=request.batch_id, device_id=identity.device_id, received_at=now_iso(),
            response_json=json.dumps(response, ensure_ascii=False, separators=(",", ":")),
        )
    )
    return response


def pull(connection: Connection, municipality_id: int, after: int, limit: int) -> dict[str, Any]:
    rows = connection.execute(
        select(LogEntry).where(and_(LogEntry.municipality_id == municipality_id, LogEntry.seq > after))
        .order_by(LogEntry.seq).limit(limit + 1)
    ).all()
    latest = connection.execute(select(Municipality.last_seq).where(Municipality.id == municipality_id)).scalar_one()
    more = len(rows) > limit
    rows = rows[:limit]
    events = []
    for row in rows:
        extra = json.loads(row.extra_json) if row.extra_json else {}
        event: dict[str, Any] = {
            "seq": row.seq, "kind": row.kind, "case_id": row.case_id, "question_id": row.question_id,
            "entry_id": row.entry_id, "by": row.officer, "at": row.at,
        }
        if row.kind == EventKind.CONFLICT.value:
            event["conflict"] = extra
        else:
            event.update(value=_loads(row.value_json), version=row.version, base_version=row.base_version,
                         resolves=extra.get("resolves", []))
        events.append(event)
    next_after = rows[-1].seq if rows else after
    return {"events": events, "next_after": next_after, "latest_seq": int(latest), "more": more}


def case_ids(connection: Connection, municipality_id: int) -> list[str]:
    return list(connection.execute(
        select(ServerCase.case_id).where(ServerCase.municipality_id == municipality_id).order_by(ServerCase.case_id)
    ).scalars())


