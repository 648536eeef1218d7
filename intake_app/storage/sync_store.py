"""The vault side of sync: the outbox as push batches, server answers and pulled changes applied.

Wire shapes are plain JSON dicts (see ``intake_app.sync.protocol``; storage never imports sync).
Every function runs in one vault transaction, so a sync cut at any point leaves the vault as it was
before that step or after it, never between:

- a push batch is written to ``sync_outgoing`` before it is sent and re-sent unchanged until the
  server's answer is stored; then its outbox rows count as pushed (``storage.outbox``), all in
  one transaction;
- a page of pulled changes is applied together with the new pull cursor.

The answers table converges on the server's state. A conflicting value is never lost: it is kept
in ``sync_conflicts`` (both values, who and when) until an officer resolves it with a new change.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from intake_app.i18n import N_
from intake_app.storage import audit, backup, outbox
from intake_app.storage.audit import AuditAction
from intake_app.storage.errors import VaultError
from intake_app.storage.hlc import HybridLogicalClock, Version
from intake_app.storage.models import Answer, Case, Change, Meta
from intake_app.storage.records import AnswerKey, AnswerValue, CaseStatus
from intake_app.storage.sync_models import SyncConflict, SyncKnown, SyncOutgoing, SyncResolution
from intake_app.storage.vault import Vault

TOKEN_KEY = "sync_token"
SERVER_URL_KEY = "sync_server_url"
SERVER_DEVICE_KEY = "sync_device"
PULL_CURSOR_KEY = "sync_pull_cursor"
LAST_SYNC_KEY = "sync_last_at"

Key = tuple[str, str, str]  # (case id, question id, entry id)

_LISTED_ANSWERS = {"bsn": "bsn", "v_number": "v_number", "target_group": "target_group"}
_NAME_PARTS = ("given_names", "family_name")


class ConflictNotFound(VaultError):
    message = N_("Dit conflict bestaat niet of is al opgelost.")


class Resolution(StrEnum):
    LOCAL = "local"  # keep the value of this laptop's side
    REMOTE = "remote"  # take the other side's value
    NEW = "new"  # a value the officer typed


@dataclass(frozen=True)
class OutgoingBatch:
    batch_id: str
    body: bytes  # exactly what is sent, and re-sent after a failure
    size: int  # changes in it
    last_change_seq: int  # outbox rows up to here are in it
    # The answers it changes (see answer_key), or None when not known (a stored batch sent again):
    # two batches that share none may travel at once (the server may apply them in either order).
    answer_keys: frozenset[str] | None = None


def answer_key(case_id: str, question_id: str, entry_id: str) -> str:
    """An answer as one string (ids never hold the unit separator: see the protocol's patterns)."""
    return f"{case_id}\x1f{question_id}\x1f{entry_id}"


_SQL_ANSWER_KEY = "case_id || char(31) || question_id || char(31) || entry_id"  # answer_key() in SQL


# A change travels as a row in this column order (intake_app.sync.protocol.CHANGE_COLUMNS; storage
# does not import sync, a test keeps the two equal). The batch body is built here, once, because it
# is stored before it is sent.
CHANGE_COLUMNS = ("case_id", "question_id", "entry_id", "value", "version", "base_version", "resolves")
MAX_BATCH_BYTES = 3 * 1024 * 1024  # under the server's 4 MiB body limit, with room for JSON framing
_ROW_OVERHEAD = 140
_NO_LIMIT = 2**63 - 1  # bytes of a row besides its value: ids, versions, quotes


@dataclass(frozen=True)
class ConflictRecord:
    conflict_id: int
    case_id: str
    key: AnswerKey
    local_value: AnswerValue | None
    local_version: str
    local_by: str
    local_at: str
    remote_value: AnswerValue | None
    remote_version: str
    remote_by: str
    remote_at: str
    detected_at: str
    resolving: bool  # a resolution is waiting to be pushed


@dataclass(frozen=True)
class PullApplied:
    applied: int
    skipped: int
    conflicts: int


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dumps(value: AnswerValue | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _loads(value_json: str | None) -> AnswerValue | None:
    return None if value_json is None else json.loads(value_json)


def _key_filter(table: Any, case_id: str, question_id: str, entry_id: str) -> tuple[Any, ...]:
    return (table.case_id == case_id, table.question_id == question_id, table.entry_id == entry_id)


# -- settings in the meta table -------------------------------------------------------------------


def get_setting(vault: Vault, key: str) -> str | None:
    with vault.engine.connect() as connection:
        return get_meta(connection, key)


def set_settings(vault: Vault, values: Mapping[str, str]) -> None:
    with vault.engine.begin() as connection:
        for key, value in values.items():
            set_meta(connection, key, value)


def record_enrolment(vault: Vault, server_url: str, token: str, device: int) -> None:
    """Keep the token of this laptop (encrypted with the vault) and audit the coupling."""
    with vault.engine.begin() as connection:
        set_meta(connection, TOKEN_KEY, token)
        set_meta(connection, SERVER_URL_KEY, server_url)
        set_meta(connection, SERVER_DEVICE_KEY, str(device))
        set_meta(connection, PULL_CURSOR_KEY, "0")
        audit.append(connection, vault.officer, AuditAction.SYNC, "", f"enrolled as device {device}")


def get_meta(connection: Connection, key: str) -> str | None:
    value: str | None = connection.execute(select(Meta.value).where(Meta.key == key)).scalar()
    return value


def set_meta(connection: Connection, key: str, value: str) -> None:
    statement = sqlite_insert(Meta).values(key=key, value=value)
    connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def pull_cursor(vault: Vault) -> int:
    """Where the next pull starts; 0 while the vault re-reads the server after a restore."""
    return 0 if rereading(vault) else int(get_setting(vault, PULL_CURSOR_KEY) or 0)


def rereading(vault: Vault) -> bool:
    """The vault was restored from a backup: pull everything again, this laptop's own changes too
    (the server leaves those out otherwise; changes made after the backup live only there now)."""
    return (vault.folder / backup.SYNC_REREAD_MARKER).exists()


def reread_done(vault: Vault) -> None:
    (vault.folder / backup.SYNC_REREAD_MARKER).unlink(missing_ok=True)


# -- push -----------------------------------------------------------------------------------------


def newest_change(vault: Vault) -> int:
    """The newest outbox row now: a sync pushes up to here."""
    with vault.engine.connect() as connection:
        return int(connection.execute(select(func.max(Change.seq))).scalar() or 0)


def pending_count(vault: Vault) -> int:
    """Outbox rows not yet acknowledged by the server (a batch in flight included)."""
    return vault.pending_changes()


def next_batch(
    vault: Vault, max_changes: int, max_bytes: int = MAX_BATCH_BYTES, *, after: str | None = None,
    upto: int | None = None,
) -> OutgoingBatch | None:
    """The stored batch that follows batch ``after`` (the oldest when None), else a new one from the
    outbox rows beyond every stored batch; None: nothing left to push.

    A stored batch is re-sent unchanged until the server's answer is stored. Several may be stored:
    the client builds the next batch while the previous one travels. Outbox rows of one answer
    inside a batch collapse into one change: the newest value, based on the version the first of
    them was based on. ``upto``: leave outbox rows after this one for the next sync (a sync ends
    even while the officer keeps typing).
    """
    with vault.sync_transaction() as connection:
        stored = connection.execute(
            select(SyncOutgoing.batch_id, SyncOutgoing.last_change_seq).order_by(SyncOutgoing.last_change_seq)
        ).all()
        handed = [row.batch_id for row in stored]
        position = 0 if after is None else handed.index(after) + 1 if after in handed else len(handed)
        if position < len(stored):
            batch_id, last_change_seq = stored[position]
            body = zlib.decompress(connection.execute(
                select(SyncOutgoing.payload).where(SyncOutgoing.batch_id == batch_id)
            ).scalar_one())
            return OutgoingBatch(batch_id, body, len(orjson.loads(body)["changes"]), last_change_seq)
        # Rows after every stored batch; all of them wait (pushed rows are the oldest: see outbox).
        beyond = max(stored[-1].last_change_seq if stored else 0, outbox.pushed_through(connection))
        cursor = connection.connection.cursor()
        # The whole batch as it travels, made by SQLite in one statement (json_array escapes the
        # ids; json() re-reads the stored value): no Python object per row. The rows come in the
        # subquery's order; group_concat(... ORDER BY seq) would sort them again, and the order
        # inside a batch means nothing to the server (one answer appears once). When the rows
        # would make too big a body, they are read one by one to cut the batch short.
        # The answers' keys come along (one string): a key twice means rows to collapse, and the
        # client sends two batches at once only when they share no key.
        count, size, last_seq, joined, keys_text = cursor.execute(
            "SELECT count(*), count(*) * ? + coalesce(sum(length(value_json)), 0), max(seq), group_concat("
            "json_array(case_id, question_id, entry_id, json(value_json), version, base_version), ','),"
            f" group_concat({_SQL_ANSWER_KEY}, char(10))"
            " FROM (SELECT * FROM changes WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?)",
            (_ROW_OVERHEAD, beyond, upto or _NO_LIMIT, max_changes),
        ).fetchone()
        if not count:
            cursor.close()
            return None
        keys: frozenset[str] | None = frozenset(keys_text.split("\n"))
        if size > max_bytes:  # rare (long texts): cut short, keys not gathered
            count, last_seq, joined = _rows_within(cursor, beyond, last_seq, max_bytes)
            keys = None
        batch_id = str(uuid.uuid4())
        needs_work = (keys is not None and len(keys) < count) or _rows_need_work(
            cursor, beyond + 1, last_seq, collapse_known=keys is not None
        )
        cursor.close()
        if needs_work:
            changes = _collapsed_changes(connection, beyond + 1, last_seq)
            body = orjson.dumps({"batch_id": batch_id, "changes": changes})
            count = len(changes)
            keys = frozenset(answer_key(row[0], row[1], row[2]) for row in changes)
        else:
            body = b"".join((b'{"batch_id":"', batch_id.encode(), b'","changes":[', joined.encode(), b"]}"))
        connection.execute(
            # Compressed: a tenth of the pages to encrypt, write and wipe again (level 1: 5 ms per MB).
            insert(SyncOutgoing).values(batch_id=batch_id, last_change_seq=last_seq, payload=zlib.compress(body, 1),
                                        created_at=now_iso())
        )
        return OutgoingBatch(batch_id, body, count, last_seq, keys)


def _rows_within(cursor: Any, beyond: int, last: int, max_bytes: int) -> tuple[int, int, str]:
    """(count, last seq, joined rows) of the waiting rows after ``beyond`` that fit in ``max_bytes``
    (at least one: a single big answer still travels alone)."""
    rows = cursor.execute(
        "SELECT seq, length(value_json), json_array(case_id, question_id, entry_id, json(value_json), version,"
        " base_version) FROM changes WHERE seq > ? AND seq <= ? ORDER BY seq", (beyond, last)
    ).fetchall()
    size = count = 0
    for _seq, length, _row in rows:
        size += _ROW_OVERHEAD + (length or 0)
        if size > max_bytes and count:
            break
        count += 1
    return count, rows[count - 1][0], ",".join(row for _seq, _length, row in rows[:count])


def _rows_need_work(cursor: Any, first: int, last: int, *, collapse_known: bool = False) -> bool:
    """Whether outbox rows ``first``..``last`` need more than sending as they are: an answer edited
    twice (collapse; ``collapse_known``: the caller counted the keys already), a base to fill in for
    a re-added answer, a conflict resolution to name. All of them wait (``next_batch`` starts after
    the pushed ones)."""
    collapse = (
        "SELECT 1 FROM changes WHERE seq BETWEEN ?1 AND ?2"
        " GROUP BY case_id, question_id, entry_id HAVING count(*) > 1 LIMIT 1",
    )
    checks = (
        "SELECT 1 FROM sync_resolutions LIMIT 1",
        *(() if collapse_known else collapse),
        "SELECT 1 FROM changes AS c JOIN sync_known AS k ON k.case_id = c.case_id AND k.question_id = c.question_id"
        " AND k.entry_id = c.entry_id WHERE c.seq BETWEEN ?1 AND ?2 AND c.base_version IS NULL"
        " LIMIT 1",
        # A removal in one of these cases, ever (through the partial index of removals).
        "SELECT 1 FROM changes INDEXED BY ix_changes_removals WHERE value_json IS NULL AND case_id IN"
        " (SELECT case_id FROM changes WHERE seq BETWEEN ?1 AND ?2) LIMIT 1",
    )
    for check in checks:
        parameters = (first, last) if "?1" in check else ()
        if cursor.execute(check, parameters).fetchone() is not None:
            return True
    return False


def _collapsed_changes(connection: Connection, first: int, last: int) -> list[list[Any]]:
    """Outbox rows ``first``..``last`` as the batch's changes, one per answer: the newest value,
    based on the version the first of them was based on (or on a removal, see :func:`_fill_bases`),
    naming the conflicts it resolves."""
    cursor = connection.connection.cursor()
    rows = cursor.execute(
        "SELECT seq, case_id, question_id, entry_id, value_json, version, base_version FROM changes"
        " WHERE seq BETWEEN ? AND ? ORDER BY seq", (first, last)
    ).fetchall()
    cursor.close()
    # One change per answer: [case, question, entry, value_json, version, base_version, first seq].
    changes: list[list[Any]] = []
    index_of: dict[Key, int] = {}
    earlier_versions: dict[Key, list[str]] = {}  # answers edited more than once in this batch
    for seq, case_id, question_id, entry_id, value_json, version, base_version in rows:
        key = (case_id, question_id, entry_id)
        index = index_of.get(key)
        if index is None:
            index_of[key] = len(changes)
            changes.append([case_id, question_id, entry_id, value_json, version, base_version, seq])
        else:
            change = changes[index]
            earlier_versions.setdefault(key, []).append(change[4])
            change[3], change[4] = value_json, version
    _fill_bases(connection, changes, index_of)
    resolves = _resolutions(connection, changes, index_of, earlier_versions)
    for key, conflict_ids in resolves.items():
        changes[index_of[key]].append(conflict_ids)
    fragment = orjson.Fragment
    # The row as it travels: the value's JSON text goes as it is, the first seq stays here.
    return [
        [row[0], row[1], row[2], None if row[3] is None else fragment(row[3]), row[4], row[5], *row[7:]]
        for row in changes
    ]


def _fill_bases(connection: Connection, changes: list[list[Any]], index_of: dict[Key, int]) -> None:
    """Fill in the base of unbased changes (in place; rows as built by :func:`next_batch`).

    A change based on nothing, for an answer that was removed here, is based on that removal: this
    laptop's own tombstone, or the server's (a pulled removal, a lost conflict), whichever this
    laptop saw last. Otherwise re-adding the answer would look like a concurrent edit.
    """
    def unbased(key: Key) -> list[Any] | None:
        index = index_of.get(key)
        return None if index is None or changes[index][5] is not None else changes[index]

    case_ids = sorted({change[0] for change in changes if change[5] is None})
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        known = {}
        for row in connection.execute(
            select(SyncKnown.case_id, SyncKnown.question_id, SyncKnown.entry_id, SyncKnown.version,
                   SyncKnown.outbox_seq).where(SyncKnown.case_id.in_(chunk))
        ):
            key = (row.case_id, row.question_id, row.entry_id)
            if unbased(key) is not None:
                known[key] = row
        own_removals: dict[Key, tuple[int, str]] = {}
        removals = connection.execute(
            select(Change.case_id, Change.question_id, Change.entry_id, Change.seq, Change.version)
            .where(Change.case_id.in_(chunk), Change.value_json.is_(None)).order_by(Change.seq)
        )
        for case_id, question_id, entry_id, seq, version in removals:
            key = (case_id, question_id, entry_id)
            change = unbased(key)
            if change is not None and seq < change[6]:
                own_removals[key] = (seq, version)
        for key in set(known) | set(own_removals):
            change = unbased(key)
            assert change is not None
            server_side = known.get(key)
            own = own_removals.get(key)
            if own is not None and (server_side is None or own[0] > server_side.outbox_seq):
                change[5] = own[1]
            elif server_side is not None:
                change[5] = server_side.version


def _resolutions(
    connection: Connection, changes: list[list[Any]], position: dict[Key, int], earlier: dict[Key, list[str]]
) -> dict[Key, list[int]]:
    """The conflicts each change of the batch resolves (an officer's pick queued as that change)."""
    resolves: dict[Key, list[int]] = {}
    links = connection.execute(
        select(SyncResolution.version, SyncResolution.conflict_id, SyncConflict.case_id, SyncConflict.question_id,
               SyncConflict.entry_id)
        .join(SyncConflict, SyncConflict.conflict_id == SyncResolution.conflict_id)
    ).all()
    for version, conflict_id, case_id, question_id, entry_id in links:
        key = (case_id, question_id, entry_id)
        index = position.get(key)
        if index is None:
            continue
        if (version == changes[index][4] or version in earlier.get(key, ())) and conflict_id not in resolves.get(
            key, []
        ):
            resolves.setdefault(key, []).append(conflict_id)
    return resolves


def complete_batch(vault: Vault, batch_id: str, response: Mapping[str, Any], device: int | None) -> int:
    """Store the server's answer to a batch: outbox rows pushed, server state and conflicts taken in.

    Returns the number of conflicts the batch met. Completing a batch twice changes nothing.

    A change applied as sent needs nothing here: the laptop holds its value already, and the server
    never sends a laptop its own changes back (see ``apply_pulled``), so no older event of that
    answer can arrive later (one that did not reach this laptop would have made it a conflict).
    """
    with vault.sync_transaction() as connection:
        stored = connection.execute(
            select(SyncOutgoing.payload, SyncOutgoing.last_change_seq).where(SyncOutgoing.batch_id == batch_id)
        ).first()
        if stored is None:
            return 0
        conflicts = 0
        if response["results"]:
            rows = orjson.loads(zlib.decompress(stored.payload))["changes"]
            conflicts = _take_results(connection, vault, rows, response, stored.last_change_seq, device)
        if connection.execute(select(SyncResolution.version).limit(1)).first() is not None:
            covered = select(Change.version).where(
                Change.seq > outbox.pushed_through(connection), Change.seq <= stored.last_change_seq
            )
            connection.execute(delete(SyncResolution).where(SyncResolution.version.in_(covered)))
        outbox.mark_pushed_through(connection, stored.last_change_seq)
        connection.execute(delete(SyncOutgoing).where(SyncOutgoing.batch_id == batch_id))
        audit.append(connection, vault.officer, AuditAction.SYNC, "",
                     f"push {len(response['seqs'])} changes, {conflicts} conflicts")
        return conflicts


def _take_results(
    connection: Connection, vault: Vault, rows: Sequence[Sequence[Any]], response: Mapping[str, Any],
    last_change_seq: int, device: int | None,
) -> int:
    """Every change not simply applied: take the server's state of the answer and its conflicts."""
    results = response["results"]
    case_ids = {rows[result["index"]][0] for result in results}
    present = _existing_cases(connection, case_ids)  # a case deleted here meanwhile stays deleted
    # With newer edits of an answer waiting here, they stay the local answer: they were based on
    # what this laptop had, and their push meets the server's state.
    newer_here = _pending_keys(connection, present, after_seq=last_change_seq)
    books = _Bookkeeping(connection, present)
    conflicts = 0
    for result in results:
        row = rows[result["index"]]
        key = (row[0], row[1], row[2])
        if row[0] not in present:
            continue
        if key not in newer_here and result.get("server_version") is not None:
            books.take(key, result.get("server_value"), result["server_version"], int(result["server_seq"]),
                       result.get("server_by", ""), result.get("server_at") or now_iso())
        for conflict_id in result.get("resolved") or ():
            _mark_resolved(connection, conflict_id)
        if result.get("conflict") is not None:
            conflicts += 1
            _store_conflict(connection, result["conflict"], device)
    books.flush()
    return conflicts


def _existing_cases(connection: Connection, case_ids: Iterable[str]) -> set[str]:
    ids = sorted(case_ids)
    present: set[str] = set()
    for start in range(0, len(ids), 500):
        present.update(connection.execute(select(Case.id).where(Case.id.in_(ids[start:start + 500]))).scalars())
    return present


class _Bookkeeping:
    """Known server versions and local answer versions of some cases, read once, written in bulk."""

    def __init__(self, connection: Connection, case_ids: Iterable[str]) -> None:
        self.connection = connection
        self.known: dict[Key, int] = {}
        self.local: dict[Key, str | None] = {}
        self.updates: dict[Key, dict[str, Any]] = {}
        self.answers: dict[Key, tuple[AnswerValue | None, str, str, str]] = {}  # value, version, by, at
        ids = sorted(case_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for c, q, e, seq in connection.execute(
                select(SyncKnown.case_id, SyncKnown.question_id, SyncKnown.entry_id, SyncKnown.seq)
                .where(SyncKnown.case_id.in_(chunk))
            ):
                self.known[(c, q, e)] = seq
            for c, q, e, version in connection.execute(
                select(Answer.case_id, Answer.question_id, Answer.entry_id, Answer.version)
                .where(Answer.case_id.in_(chunk))
            ):
                self.local[(c, q, e)] = version
        # The outbox position says which came later here: this server state or an own removal.
        self.outbox_seq = connection.execute(select(func.max(Change.seq))).scalar() or 0

    def is_known(self, key: Key, seq: int) -> bool:
        return self.known.get(key, -1) >= seq

    def take(self, key: Key, value: AnswerValue | None, version: str, seq: int, by: str, at: str) -> bool:
        """Make the server's state the local answer; False if this laptop already has it or newer."""
        if self.is_known(key, seq):
            return False
        self.known[key] = seq
        self.updates[key] = {"case_id": key[0], "question_id": key[1], "entry_id": key[2], "version": version,
                             "seq": seq, "outbox_seq": self.outbox_seq}
        current = self.local.get(key)
        if current != version and not (value is None and current is None):
            self.answers[key] = (value, version, by, at)  # written at flush, the newest per answer
        self.local[key] = None if value is None else version
        return True

    def flush(self) -> None:
        if self.answers:
            _write_answers(self.connection, self.answers)
            self.answers.clear()
        if not self.updates:
            return
        statement = sqlite_insert(SyncKnown)
        statement = statement.on_conflict_do_update(
            index_elements=["case_id", "question_id", "entry_id"],
            set_={name: statement.excluded[name] for name in ("version", "seq", "outbox_seq")},
        )
        self.connection.execute(statement, list(self.updates.values()))
        self.updates.clear()


def drop_batches(vault: Vault) -> None:
    """Forget the stored batches: the server refused the oldest as a whole, and none after it was
    sent. Their changes stay queued for new batches."""
    with vault.engine.begin() as connection:
        connection.execute(delete(SyncOutgoing))


_UPSERT_ANSWER = (
    "INSERT INTO answers (case_id, question_id, entry_id, value_json, version, updated_by, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, question_id, entry_id) DO UPDATE SET"
    " value_json = excluded.value_json, version = excluded.version, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at"
)


def _write_answers(connection: Connection, answers: Mapping[Key, tuple[AnswerValue | None, str, str, str]]) -> None:
    """Put server values into the answers table, without queueing them (they came from the server):
    all of a page at once, then each touched case's listed fields once."""
    case_ids = {key[0] for key in answers}
    for case_id in sorted(case_ids - _existing_cases(connection, case_ids)):
        ensure_case(connection, case_id)
    upserts = [(*key, _dumps(value), version, by, at) for key, (value, version, by, at) in answers.items()
               if value is not None]
    removals = [key for key, (value, _version, _by, _at) in answers.items() if value is None]
    cursor = connection.connection.cursor()
    cursor.executemany(_UPSERT_ANSWER, upserts)
    cursor.executemany("DELETE FROM answers WHERE case_id = ? AND question_id = ? AND entry_id = ?", removals)
    cursor.close()
    for case_id in sorted(case_ids):
        top_level = {key[1]: value for key, (value, _v, _b, _a) in answers.items() if key[0] == case_id and not key[2]}
        _refresh_listed_fields(connection, case_id, top_level)


def ensure_case(connection: Connection, case_id: str) -> None:
    """A case row for data of a case this laptop has not seen yet (pulled from the server)."""
    if connection.execute(select(Case.id).where(Case.id == case_id)).scalar() is not None:
        return
    now = now_iso()
    connection.execute(
        insert(Case).values(
            id=case_id, created_at=now, updated_at=now, status=CaseStatus.INTAKE_IN_PROGRESS.value,
            client_language="nl", display_name="", bsn="", v_number="", target_group="",
            next_deadline=None, last_question_id="", last_entry_id="", is_demo=0,
        )
    )


def _refresh_listed_fields(connection: Connection, case_id: str, changed: Mapping[str, AnswerValue | None]) -> None:
    """The same denormalisation Vault does on save, without moving the officer's place in the case.
    ``changed``: the case's top-level answers just written (question id -> value, None: removed)."""
    values: dict[str, Any] = {"updated_at": now_iso()}
    for question_id, column in _LISTED_ANSWERS.items():
        if question_id in changed:
            value = changed[question_id]
            values[column] = "" if value is None else str(value)
    if any(part in changed for part in _NAME_PARTS):
        parts = dict(
            connection.execute(
                select(Answer.question_id, Answer.value_json).where(
                    Answer.case_id == case_id, Answer.question_id.in_(_NAME_PARTS), Answer.entry_id == ""
                )
            ).all()
        )
        values["display_name"] = " ".join(str(json.loads(parts[p])) for p in _NAME_PARTS if p in parts).strip()
    connection.execute(update(Case).where(Case.id == case_id).values(**values))


# -- conflicts ------------------------------------------------------------------------------------


def _store_conflict(connection: Connection, snapshot: Mapping[str, Any], device: int | None) -> None:
    """Insert or refresh a conflict from the server's snapshot, seen from this laptop's side."""
    ours_is_other = device is not None and snapshot["other_device"] == device
    kept = ("kept_value", "kept_version", "kept_by", "kept_at")
    other = ("other_value", "other_version", "other_by", "other_at")
    local, remote = (other, kept) if ours_is_other else (kept, other)
    ensure_case(connection, snapshot["case_id"])
    values = {
        "case_id": snapshot["case_id"], "question_id": snapshot["question_id"], "entry_id": snapshot["entry_id"],
        "local_value_json": _dumps(snapshot[local[0]]), "local_version": snapshot[local[1]] or "",
        "local_by": snapshot[local[2]], "local_at": snapshot[local[3]],
        "remote_value_json": _dumps(snapshot[remote[0]]), "remote_version": snapshot[remote[1]] or "",
        "remote_by": snapshot[remote[2]], "remote_at": snapshot[remote[3]],
        "resolved_at": now_iso() if snapshot.get("resolved") else None,
    }
    statement = sqlite_insert(SyncConflict).values(conflict_id=snapshot["id"], detected_at=now_iso(), **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["conflict_id"], set_=values))


def _mark_resolved(connection: Connection, conflict_id: int) -> None:
    connection.execute(
        update(SyncConflict)
        .where(SyncConflict.conflict_id == conflict_id, SyncConflict.resolved_at.is_(None))
        .values(resolved_at=now_iso())
    )


def open_conflicts(vault: Vault, case_id: str | None = None) -> list[ConflictRecord]:
    with vault.engine.connect() as connection:
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.conflict_id)
        if case_id is not None:
            query = query.where(SyncConflict.case_id == case_id)
        rows = connection.execute(query).all()
        resolving = {cid for (cid,) in connection.execute(select(SyncResolution.conflict_id))}
    return [
        ConflictRecord(
            conflict_id=row.conflict_id, case_id=row.case_id, key=(row.question_id, row.entry_id),
            local_value=_loads(row.local_value_json), local_version=row.local_version, local_by=row.local_by,
            local_at=row.local_at, remote_value=_loads(row.remote_value_json), remote_version=row.remote_version,
            remote_by=row.remote_by, remote_at=row.remote_at, detected_at=row.detected_at,
            resolving=row.conflict_id in resolving,
        )
        for row in rows
    ]


def conflicts_to_decide(vault: Vault, case_id: str | None = None) -> dict[str, int]:
    """Per case, the open conflicts nobody chose a value for yet (a choice waiting to be pushed
    does not count): what the case list and the wizard mark."""
    query = (
        select(SyncConflict.case_id, func.count())
        .where(SyncConflict.resolved_at.is_(None),
               SyncConflict.conflict_id.not_in(select(SyncResolution.conflict_id)))
        .group_by(SyncConflict.case_id)
    )
    if case_id is not None:
        query = query.where(SyncConflict.case_id == case_id)
    with vault.engine.connect() as connection:
        return {case: int(count) for case, count in connection.execute(query)}


def resolve_conflict(
    vault: Vault, conflict_id: int, choice: Resolution, value: AnswerValue | None = None
) -> str:
    """Resolve with a new change (queued like any edit); the conflict closes once the server takes it.

    Returns the version of the resolving change.
    """
    conflicts = {c.conflict_id: c for c in open_conflicts(vault)}
    conflict = conflicts.get(conflict_id)
    if conflict is None:
        raise ConflictNotFound()
    chosen = {Resolution.LOCAL: conflict.local_value, Resolution.REMOTE: conflict.remote_value}.get(choice, value)
    if chosen is None and conflict.key not in vault.answers(conflict.case_id):
        return _queue_removal(vault, conflict)
    [version] = vault.apply_changes(conflict.case_id, [(conflict.key, chosen)])
    # Not in the same transaction as the change: if the laptop stops in between, the change still
    # goes out and the conflict stays open, to be resolved again. Nothing is lost either way.
    with vault.engine.begin() as connection:
        connection.execute(insert(SyncResolution).values(version=version, conflict_id=conflict_id))
    return version


def _queue_removal(vault: Vault, conflict: ConflictRecord) -> str:
    """Resolve to "no answer" when this laptop holds none: a tombstone the vault would not queue itself."""
    key = (conflict.case_id, *conflict.key)
    with vault.engine.begin() as connection:
        newest = connection.execute(select(Change.version).order_by(Change.seq.desc()).limit(1)).scalar()
        # Own device suffix: these versions can never equal one the vault's clock issues.
        clock = HybridLogicalClock(f"{vault.device_id}r")
        if newest is not None:
            clock.observe(Version.parse(newest))
        version = str(clock.now())
        base = connection.execute(select(SyncKnown.version).where(*_key_filter(SyncKnown, *key))).scalar()
        connection.execute(
            insert(Change).values(case_id=key[0], question_id=key[1], entry_id=key[2], value_json=None,
                                  version=version, base_version=base)
        )
        connection.execute(insert(SyncResolution).values(version=version, conflict_id=conflict.conflict_id))
        audit.append(connection, vault.officer, AuditAction.EDIT, key[0], key[1])
    return version


# -- pull -----------------------------------------------------------------------------------------


def apply_pulled(vault: Vault, events: Sequence[Mapping[str, Any]], next_after: int, device: int | None) -> PullApplied:
    """Apply one page of server events and move the pull cursor, in one transaction.

    A change to an answer that waits in the outbox here is left alone: the push of the local edit
    meets it on the server, which keeps both as a conflict (or merges an entry list).
    """
    applied = skipped = conflicts = 0
    touched: dict[str, set[str]] = {}
    if not events and next_after == pull_cursor(vault):
        return PullApplied(0, 0, 0)  # nothing new: no write, no fsync
    with vault.sync_transaction() as connection:
        case_ids = {event["case_id"] for event in events}
        pending = _pending_keys(connection, case_ids)
        books = _Bookkeeping(connection, case_ids)
        for event in events:
            key = (event["case_id"], event["question_id"], event["entry_id"])
            if event["kind"] == "conflict":
                conflicts += 1
                _store_conflict(connection, event["conflict"], device)
                continue
            if key in pending or books.is_known(key, int(event["seq"])):
                skipped += 1
            else:
                books.take(key, event["value"], event["version"], int(event["seq"]), event["by"], event["at"])
                touched.setdefault(key[0], set()).add(key[1])
                applied += 1
            for conflict_id in event.get("resolves") or ():
                _mark_resolved(connection, conflict_id)
        books.flush()
        set_meta(connection, PULL_CURSOR_KEY, str(next_after))
        for case_id, question_ids in sorted(touched.items()):
            audit.append(connection, vault.officer, AuditAction.SYNC, case_id,
                         ("pull:" + ",".join(sorted(question_ids)))[:200])
    return PullApplied(applied, skipped, conflicts)


def _pending_keys(connection: Connection, case_ids: Iterable[str], *, after_seq: int = 0) -> set[Key]:
    """Answers of these cases with outbox rows not yet pushed (after outbox row ``after_seq``)."""
    ids = sorted(case_ids)
    keys: set[Key] = set()
    after_seq = max(after_seq, outbox.pushed_through(connection))
    cursor = connection.connection.cursor()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        # "+seq": through the case index. The primary key would walk every waiting row of every
        # case, the whole rest of a big push, for each batch.
        rows = cursor.execute(
            "SELECT DISTINCT case_id, question_id, entry_id FROM changes WHERE +seq > ?"
            f" AND case_id IN ({', '.join('?' * len(chunk))})", (after_seq, *chunk)
        )
        keys.update(rows)
    cursor.close()
    return keys


def record_sync_finished(vault: Vault) -> None:
    set_settings(vault, {LAST_SYNC_KEY: now_iso()})


def sync_counts(vault: Vault) -> tuple[int, int]:
    """(changes waiting to be pushed, open conflicts)."""
    with vault.engine.connect() as connection:
        waiting = connection.execute(
            select(func.count()).select_from(Change).where(Change.seq > outbox.pushed_through(connection))
        ).scalar_one()
        conflicts = connection.execute(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        ).scalar_one()
    return int(waiting), int(conflicts)
