"""Push and pull against the server database: the merge rules of ``sync.merge``, set-based.

One push is one transaction, serialised per municipality on its row: read the current state of the
batch's cases in a few queries, decide each change, then append to the log in one COPY (PostgreSQL)
or one executemany (SQLite). The log is the server's state: an answer's value is the newest
``change`` row of its key (index ``ix_log_key``), so each change is written once.

The common case, the first value of an answer or an edit based on the server's version with no
conflict open, takes a short path that only numbers the change and queues its log row: a push of a
thousand intakes is 150,000 of those.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import Connection, String, and_, any_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on

from intake_app.forms import Form, QuestionKind
from intake_app.sync.merge import ChangeChecker, Decision, decide, merge_entry_lists, merged_version
from intake_app.sync.protocol import ChangeStatus, EventKind, PushBatch, WireChange
from intake_app.sync.server.auth import DeviceIdentity
from intake_app.sync.server.models import Batch, LogEntry, Municipality, ServerCase, ServerConflict

Key = tuple[str, str, str]
_CHUNK = 1000  # ids per IN (...) list on SQLite
_CHANGE = EventKind.CHANGE.value
_CONFLICT = EventKind.CONFLICT.value
_APPLIED = ChangeStatus.APPLIED.value


class PushRefused(Exception):
    def __init__(self, status: int, code: str, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason, self.index = status, code, reason, index


@dataclass(frozen=True)
class Questionnaire:
    """What the server needs of the form, read once: the shape check and the entry-list questions."""

    checker: ChangeChecker
    entry_lists: frozenset[str]

    @classmethod
    def of(cls, form: Form) -> Questionnaire:
        lists = frozenset(q.id for q in form.all_questions() if q.kind is QuestionKind.REPEAT_GROUP)
        return cls(ChangeChecker(form), lists)


class _State(NamedTuple):
    value_json: str | None
    version: str
    seq: int
    by: str
    at: str
    device: int | None


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dumps(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _loads(value_json: str | None) -> Any:
    return None if value_json is None else orjson.loads(value_json)


def chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    """``items`` in parts of a thousand, for IN (...) lists."""
    return [items[i:i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def _is_in(connection: Connection, column: Any, values: Sequence[str]) -> Any:
    """``column IN (...)``; on PostgreSQL ``= ANY(array)``: one parameter instead of hundreds."""
    if connection.dialect.name == "postgresql":
        return column == any_(bindparam(None, list(values), type_=ARRAY(String), unique=True))
    return column.in_(list(values))


@contextmanager
def _through_indexes(connection: Connection) -> Iterator[None]:
    """Lookups that go through their index whatever the statistics say (PostgreSQL). A log that
    grew fast since its last ANALYZE, such as a first push of a thousand intakes into a new server,
    has no statistics, and the planner then read the whole table for every batch."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    yield  # on an error the transaction is rolled back, and the setting with it
    connection.exec_driver_sql("SET LOCAL enable_seqscan = on")


def _snapshot(row: Any) -> dict[str, Any]:
    return {
        "id": row.id, "case_id": row.case_id, "question_id": row.question_id, "entry_id": row.entry_id,
        "kept_value": _loads(row.kept_value_json), "kept_version": row.kept_version, "kept_by": row.kept_by,
        "kept_at": row.kept_at, "kept_device": row.kept_device,
        "other_value": _loads(row.other_value_json), "other_version": row.other_version,
        "other_by": row.other_by, "other_at": row.other_at, "other_device": row.other_device,
        "resolved": row.resolved_at is not None,
    }


DUPLICATE_KEY = "één antwoord staat twee keer in de batch"


def _copy_text(value: str) -> str:
    """A value for COPY's text format: backslash, tab, newline and carriage return escaped."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _Push:
    def __init__(self, connection: Connection, identity: DeviceIdentity, questionnaire: Questionnaire,
                 last_seq: int) -> None:
        self.connection = connection
        self.identity = identity
        self.questionnaire = questionnaire
        self.entry_lists = questionnaire.entry_lists
        self.seq = last_seq
        self.now = now_iso()
        self.log_rows: list[tuple[Any, ...]] = []  # in the order of _LOG_COLUMNS
        # On PostgreSQL the short path's rows go straight into COPY's text format.
        self.copy_lines: list[str] | None = [] if connection.dialect.name == "postgresql" else None
        self.current: dict[Key, _State] = {}
        self.conflicts: dict[Key, list[Any]] = {}

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def run(self, batch: PushBatch) -> dict[str, Any]:
        rows = batch.rows  # read and checked by protocol.parse_push
        case_ids = sorted({row[0] for row in rows})
        erased, new = self._claim_cases(case_ids)
        known = [case_id for case_id in case_ids if case_id not in new]  # a new case has no answers yet
        if known:
            self._load_current(known)
            self._load_open_conflicts(known)
        current, conflicts, copy_lines = self.current, self.conflicts, self.copy_lines
        # Nothing on the server to weigh these changes against (first values, the bulk of a first
        # push): every row takes the short path, so COPY can start now and PostgreSQL stores one
        # part of the batch while the next is checked (the slow path's statements cannot run
        # while a COPY is open).
        streaming = (copy_lines is not None and not erased and all(len(row) == 6 for row in rows)
                     and not any((row[0], row[1], row[2]) in current or (row[0], row[1], row[2]) in conflicts
                                 for row in self._rows_of_known_cases(rows)))
        if streaming:
            seqs = self._stream_first_values(rows)
            results: list[dict[str, Any]] = []
        else:
            seqs, results = self._decide_all(rows, erased)
        self._write()
        return {"batch_id": batch.batch_id, "seqs": seqs, "results": results, "latest_seq": self.seq, "at": self.now}

    def _stream_first_values(self, rows: list[list[Any]]) -> list[int]:
        """A batch of first values only (see run): each row is admitted, numbered and written to an
        open COPY at once, so PostgreSQL stores one part of the batch while the next is formatted.
        The server's hottest loop: a first push of a municipality's intakes is nothing else."""
        admit = _Admission(self.questionnaire)
        head = f"{self.identity.municipality_id}\t"
        tail = f"{self.identity.device_id}\t{_copy_text(self.identity.officer)}\t{self.now}\t{_NULL}\n"
        lines: list[str] = []
        first = seq = self.seq
        driver = self.connection.connection.driver_connection
        assert driver is not None
        # A queued writer: a psycopg thread sends each part while this loop formats the next (the
        # plain writer sent in this thread, which then waited whenever PostgreSQL was behind).
        with driver.cursor() as cursor, cursor.copy(_COPY_LOG, writer=QueuedLibpqWriter(cursor)) as copy:
            for index, row in enumerate(rows):
                case_id, question_id, entry_id, value, version, base = row  # six columns: see run
                admit(index, case_id, question_id, entry_id, value)
                seq += 1
                lines.append(_copy_line(head, seq, case_id, question_id, entry_id, value, version, base, tail))
                if len(lines) >= _COPY_CHUNK:
                    copy.write("".join(lines))
                    lines.clear()
            copy.write("".join(lines))
        self.seq = seq
        return list(range(first + 1, seq + 1))

    def _decide_all(self, rows: list[list[Any]], erased: set[str]) -> tuple[list[int], list[dict[str, Any]]]:
        """Every change weighed against the server's state (the general path; see _one)."""
        current, conflicts, log_rows, copy_lines = self.current, self.conflicts, self.log_rows, self.copy_lines
        admit = _Admission(self.questionnaire)
        seen = self._seen_versions(rows) if current else set()
        seqs: list[int] = []
        results: list[dict[str, Any]] = []
        dumps = orjson.dumps
        mid, device, officer, now = (self.identity.municipality_id, self.identity.device_id, self.identity.officer,
                                     self.now)
        line_head = f"{mid}\t"
        line_tail = f"{device}\t{_copy_text(officer)}\t{now}\t{_NULL}\n"
        for index, row in enumerate(rows):
            case_id, question_id, entry_id, value = row[0], row[1], row[2], row[3]
            key = admit(index, case_id, question_id, entry_id, value)
            if key not in current and len(row) == 6 and case_id not in erased and key not in conflicts:
                # The first value of this answer: nothing to weigh it against (the short path). The
                # key is in this batch once (checked above), so `current` need not learn it.
                self.seq = seq = self.seq + 1
                if copy_lines is not None:  # PostgreSQL: the row in COPY's text format at once
                    copy_lines.append(_copy_line(line_head, seq, case_id, question_id, entry_id, value, row[4], row[5],
                                                 line_tail))
                else:
                    log_rows.append((mid, seq, _CHANGE, case_id, question_id, entry_id,
                                     None if value is None else dumps(value).decode(), row[4], row[5], device, officer,
                                     now, None))
                seqs.append(seq)
                continue
            change = WireChange.of(row)
            result = self._one(index, key, change, change.version in seen, case_id in erased)
            if result["status"] == _APPLIED and not result["resolved"]:
                seqs.append(result["server_seq"])
            else:
                seqs.append(0)
                results.append(result)
        return seqs, results

    # -- reading -----------------------------------------------------------------------------------

    def _claim_cases(self, case_ids: list[str]) -> tuple[set[str], set[str]]:
        """Claim new cases for the municipality; returns (the ones erased on the server, the new ones)."""
        owners: dict[str, tuple[int, str | None]] = {}
        for chunk in chunks(case_ids):
            rows = self.connection.execute(
                select(ServerCase.case_id, ServerCase.municipality_id, ServerCase.deleted_at)
                .where(_is_in(self.connection, ServerCase.case_id, chunk))
            )
            owners.update((case_id, (municipality_id, deleted)) for case_id, municipality_id, deleted in rows)
        if any(owner != self.identity.municipality_id for owner, _deleted in owners.values()):
            # The same answer for a case that does not exist and one of another municipality.
            raise PushRefused(403, "case_not_yours", "dit dossier hoort niet bij uw gemeente")
        new = [c for c in case_ids if c not in owners]
        if new:
            # executemany: one cached statement (a VALUES list of another length compiles anew each time)
            self.connection.execute(insert(ServerCase), [
                {"case_id": c, "municipality_id": self.identity.municipality_id, "created_at": self.now,
                 "deleted_at": None} for c in new
            ])
        return {case_id for case_id, (_owner, deleted) in owners.items() if deleted is not None}, set(new)

    def _load_current(self, case_ids: list[str]) -> None:
        """The newest change of every answer of these cases (a case has a few hundred answers)."""
        columns = (LogEntry.case_id, LogEntry.question_id, LogEntry.entry_id, LogEntry.value_json,
                   LogEntry.version, LogEntry.seq, LogEntry.officer, LogEntry.at, LogEntry.device_id)
        # By case id alone, so the key index is the only way in (the cases are this municipality's:
        # _claim_cases made sure; a municipality condition lures the planner onto the primary key).
        with _through_indexes(self.connection):
            self._read_current(columns, case_ids)

    def _read_current(self, columns: tuple[Any, ...], case_ids: list[str]) -> None:
        for chunk in chunks(case_ids):
            where = (_is_in(self.connection, LogEntry.case_id, chunk), LogEntry.kind == _CHANGE)
            if self.connection.dialect.name == "postgresql":
                query = (select(*columns).where(*where)
                         .ext(distinct_on(LogEntry.case_id, LogEntry.question_id, LogEntry.entry_id))
                         .order_by(LogEntry.case_id, LogEntry.question_id, LogEntry.entry_id, LogEntry.seq.desc()))
            else:  # SQLite takes the other columns from the row that has the max()
                query = (select(*columns[:5], func.max(LogEntry.seq), *columns[6:]).where(*where)
                         .group_by(LogEntry.case_id, LogEntry.question_id, LogEntry.entry_id))
            for case_id, question_id, entry_id, value_json, version, seq, by, at, device in self.connection.execute(
                query
            ):
                self.current[(case_id, question_id, entry_id)] = _State(value_json, str(version), seq, by, at, device)

    def _rows_of_known_cases(self, rows: list[list[Any]]) -> list[list[Any]]:
        """The rows of cases the server holds answers or conflicts of: the only ones that can meet
        an answer there (in a first push, the part of a case that the previous batch began)."""
        known = {key[0] for key in self.current} | {key[0] for key in self.conflicts}
        return [row for row in rows if row[0] in known] if known else []

    def _seen_versions(self, rows: list[list[Any]]) -> set[str]:
        """Versions of this batch the server already has. Only an answer the server holds can have
        seen one (a first value cannot), and the version it holds is the usual match."""
        seen: set[str] = set()
        look_up: list[str] = []
        cases: set[str] = set()
        for row in self._rows_of_known_cases(rows):
            state = self.current.get((row[0], row[1], row[2]))
            if state is None:
                continue
            if state.version == row[4]:
                seen.add(row[4])
            else:
                look_up.append(row[4])
                cases.add(row[0])
        mid = self.identity.municipality_id
        case_list = sorted(cases)
        with _through_indexes(self.connection):
            self._look_up_versions(seen, look_up, case_list, mid)
        return seen

    def _look_up_versions(self, seen: set[str], look_up: list[str], case_list: list[str], mid: int) -> None:
        for chunk in chunks(look_up):
            seen.update(v for v in self.connection.execute(
                select(LogEntry.version).where(  # by case: through the key index (see _load_current)
                    _is_in(self.connection, LogEntry.case_id, case_list),
                    _is_in(self.connection, LogEntry.version, chunk),
                )
            ).scalars() if v is not None)
            seen.update(self.connection.execute(
                select(ServerConflict.other_version).where(
                    ServerConflict.municipality_id == mid, _is_in(self.connection, ServerConflict.other_version, chunk))
            ).scalars())

    def _load_open_conflicts(self, case_ids: list[str]) -> None:
        for chunk in chunks(case_ids):
            rows = self.connection.execute(
                select(ServerConflict).where(ServerConflict.case_id.in_(chunk), ServerConflict.resolved_at.is_(None))
                .order_by(ServerConflict.id)
            )
            for row in rows:
                self.conflicts.setdefault((row.case_id, row.question_id, row.entry_id), []).append(row)

    # -- deciding ----------------------------------------------------------------------------------

    def _one(self, index: int, key: Key, change: WireChange, already_seen: bool, erased: bool) -> dict[str, Any]:
        if erased:
            return {"index": index, "version": change.version, "status": ChangeStatus.GONE.value, "resolved": []}
        current = self.current.get(key)
        decision = decide(
            server_has_row=current is not None, server_version=current.version if current else None,
            base_version=change.base_version, already_seen=already_seen,
            is_entry_list=change.question_id in self.entry_lists,
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
            assert state is not None
            return {"status": status.value, "server_seq": state.seq, "resolved": resolved}
        return {
            "index": index, "version": change.version, "status": status.value,
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
        self.log_rows.append((
            self.identity.municipality_id, seq, _CHANGE, key[0], key[1], key[2], value_json, version, base_version,
            self.identity.device_id, self.identity.officer, self.now,
            orjson.dumps({"resolves": resolved}).decode() if resolved else None,
        ))
        self.current[key] = _State(value_json, version, seq, self.identity.officer, self.now, self.identity.device_id)
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
        self.log_rows.append((
            self.identity.municipality_id, self.next_seq(), _CONFLICT, key[0], key[1], key[2], None, None, None,
            self.identity.device_id, self.identity.officer, self.now, orjson.dumps(_snapshot(conflict)).decode(),
        ))

    # -- writing -----------------------------------------------------------------------------------

    def _write(self) -> None:
        if self.copy_lines is not None:
            if self.copy_lines or self.log_rows:
                # COPY: the log only ever grows, and COPY is PostgreSQL's fastest way in (same transaction).
                driver = self.connection.connection.driver_connection
                assert driver is not None
                with driver.cursor() as cursor, cursor.copy(_COPY_LOG) as copy:
                    copy.write("".join(self.copy_lines) + _copy_block(self.log_rows))
        elif self.log_rows:
            rows = [dict(zip(_LOG_COLUMNS, row, strict=True)) for row in self.log_rows]
            self.connection.execute(insert(LogEntry), rows)
        self.connection.execute(
            update(Municipality).where(Municipality.id == self.identity.municipality_id).values(last_seq=self.seq)
        )


_LOG_COLUMNS = ("municipality_id", "seq", "kind", "case_id", "question_id", "entry_id", "value_json", "version",
                "base_version", "device_id", "officer", "at", "extra_json")
_COPY_LOG = f"COPY log ({', '.join(_LOG_COLUMNS)}) FROM STDIN"
_COPY_CHUNK = 2000  # rows per write while a COPY streams
_NULL = "\\N"


def _copy_line(head: str, seq: int, case_id: str, question_id: str, entry_id: str, value: Any, version: str,
               base: str | None, tail: str) -> str:
    """A change row of the log in COPY's text format (``head``: the municipality; ``tail``: device,
    officer, time). JSON holds no raw tab or newline and ids and versions follow the protocol's
    patterns, so only the value's backslashes need doubling."""
    value_text = _NULL if value is None else orjson.dumps(value).decode().replace(_BACKSLASH, _TWO_BACKSLASHES)
    return (f"{head}{seq}\tchange\t{case_id}\t{question_id}\t{entry_id}\t{value_text}\t{version}\t"
            f"{_NULL if base is None else base}\t{tail}")


class _Admission:
    """A row of a batch is admitted when it fits the questionnaire's shape (a known question, in or
    outside a repeat group as defined, a value of its type) and its answer is not in the batch yet.
    Called with each row in turn; returns the answer's key, or raises PushRefused naming the row."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.questions, self.reason_of = questionnaire.checker.table, questionnaire.checker.reason
        self.keys: set[Key] = set()

    def __call__(self, index: int, case_id: str, question_id: str, entry_id: str, value: Any) -> Key:
        found = self.questions.get(question_id)
        if (found is None or found[0] is (entry_id == "") or (
                value is not None and type(value) is not found[3] and (found[1] is None or not found[1](value))
        )):
            raise PushRefused(422, "invalid_change", self.reason_of(question_id, entry_id, value) or "?", index)
        key = (case_id, question_id, entry_id)
        if key in self.keys:
            raise PushRefused(422, "duplicate_key", DUPLICATE_KEY, index)
        self.keys.add(key)
        return key


def _copy_block(rows: list[tuple[Any, ...]]) -> str:
    """Log rows in COPY's text format, formatted here in one go (psycopg's write_row costs more).

    Ids and versions match the protocol's patterns, so they need no escaping; JSON text holds no
    raw tab or newline (JSON escapes them), so only its backslashes are doubled.
    """
    names: dict[str, str] = {}
    lines = []
    for mid, seq, kind, case_id, question_id, entry_id, value_json, version, base, device, officer, at, extra in rows:
        name = names.get(officer)
        if name is None:
            name = names[officer] = _copy_text(officer)
        lines.append(
            f"{mid}\t{seq}\t{kind}\t{case_id}\t{question_id}\t{entry_id}\t"
            f"{_NULL if value_json is None else value_json.replace(_BACKSLASH, _TWO_BACKSLASHES)}\t"
            f"{_NULL if version is None else version}\t{_NULL if base is None else base}\t{device}\t{name}\t{at}\t"
            f"{_NULL if extra is None else extra.replace(_BACKSLASH, _TWO_BACKSLASHES)}\n"
        )
    return "".join(lines)


_BACKSLASH, _TWO_BACKSLASHES = "\\", "\\\\"


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


def push(connection: Connection, identity: DeviceIdentity, questionnaire: Questionnaire,
         batch: PushBatch) -> bytes:
    """Process one batch inside the caller's write transaction; a known batch id returns its first
    answer. Returns the response body (JSON), as stored for a re-sent batch."""
    last_seq = connection.execute(
        select(Municipality.last_seq).where(Municipality.id == identity.municipality_id).with_for_update()
    ).scalar_one()
    stored = connection.execute(
        select(Batch.device_id, Batch.response_json).where(Batch.batch_id == batch.batch_id)
    ).first()
    if stored is not None:
        if stored.device_id != identity.device_id:
            raise PushRefused(409, "batch_id_taken", "deze batch-id is al door een ander apparaat gebruikt")
        return str(stored.response_json).encode()
    body = orjson.dumps(_Push(connection, identity, questionnaire, int(last_seq)).run(batch))
    connection.execute(
        insert(Batch).values(batch_id=batch.batch_id, device_id=identity.device_id, received_at=now_iso(),
                             response_json=body.decode(), case_ids=" ".join(sorted({row[0] for row in batch.rows})))
    )
    return body


def pull(connection: Connection, municipality_id: int, after: int, limit: int, *, device_id: int | None = None,
         mine: bool = True) -> dict[str, Any]:
    """Events after ``after``, oldest first. Without ``mine``, the device's own changes are left
    out: it has them (its push got their numbers); a laptop restored from a backup asks for them."""
    # The newest number first: everything up to it is committed (pushes commit in number order),
    # so when the rows up to it are all sent, the laptop may skip to it past its own changes.
    latest = int(connection.execute(
        select(Municipality.last_seq).where(Municipality.id == municipality_id)
    ).scalar_one())
    query = select(LogEntry).where(
        and_(LogEntry.municipality_id == municipality_id, LogEntry.seq > after, LogEntry.seq <= latest)
    )
    if not mine and device_id is not None:
        query = query.where(or_(LogEntry.kind != _CHANGE, LogEntry.device_id != device_id))
    rows = connection.execute(query.order_by(LogEntry.seq).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    events = []
    for row in rows:
        extra = orjson.loads(row.extra_json) if row.extra_json else {}
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
    next_after = rows[-1].seq if more else max(after, latest)
    return {"events": events, "next_after": next_after, "latest_seq": latest, "more": more}


def case_ids(connection: Connection, municipality_id: int) -> list[str]:
    """The municipality's cases, erased ones left out."""
    return list(connection.execute(
        select(ServerCase.case_id)
        .where(ServerCase.municipality_id == municipality_id, ServerCase.deleted_at.is_(None))
        .order_by(ServerCase.case_id)
    ).scalars())


def forget_batches_of(connection: Connection, case_id: str) -> None:
    """Erase the stored push answers that speak of a case (they may hold its values). A laptop
    re-sending such a batch gets it processed anew: its changes to the erased case are dropped."""
    connection.execute(delete(Batch).where(Batch.case_ids.contains(case_id, autoescape=True)))




def current_answers(connection: Connection, case_id: str) -> dict[tuple[str, str], Any]:
    """The server's current value of every answer of a case (removed answers left out)."""
    query = (
        select(LogEntry.question_id, LogEntry.entry_id, LogEntry.value_json)
        .where(LogEntry.case_id == case_id, LogEntry.kind == _CHANGE)
        .order_by(LogEntry.seq)
    )
    newest = {(question_id, entry_id): value_json for question_id, entry_id, value_json in connection.execute(query)}
    return {key: orjson.loads(value_json) for key, value_json in newest.items() if value_json is not None}
