"""The vault side of sync: the outbox as push batches, server answers and pulled changes applied.

Wire shapes are plain JSON dicts (see ``intake_app.sync.protocol``; storage never imports sync).
Every function runs in one vault transaction, so a sync cut at any point leaves the vault as it was
before that step or after it, never between:

- a push batch is written to ``sync_outgoing`` before it is sent and re-sent unchanged until the
  server's answer is stored; then its outbox rows are marked pushed, all in one transaction;
- a page of pulled changes is applied together with the new pull cursor.

The answers table converges on the server's state. A conflicting value is never lost: it is kept
in ``sync_conflicts`` (both values, who and when) until an officer resolves it with a new change.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from intake_app.i18n import N_
from intake_app.storage import audit
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
    payload: dict[str, Any]  # {"batch_id": ..., "changes": [...]}, exactly what is sent

    @property
    def size(self) -> int:
        return len(self.payload["changes"])


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


def _now() -> str:
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
        value: str | None = connection.execute(select(Meta.value).where(Meta.key == key)).scalar()
        return value


def set_settings(vault: Vault, values: Mapping[str, str]) -> None:
    with vault.engine.begin() as connection:
        for key, value in values.items():
            _set_meta(connection, key, value)


def record_enrolment(vault: Vault, server_url: str, token: str, device: int) -> None:
    """Keep the token of this laptop (encrypted with the vault) and audit the coupling."""
    with vault.engine.begin() as connection:
        _set_meta(connection, TOKEN_KEY, token)
        _set_meta(connection, SERVER_URL_KEY, server_url)
        _set_meta(connection, SERVER_DEVICE_KEY, str(device))
        _set_meta(connection, PULL_CURSOR_KEY, "0")
        audit.append(connection, vault.officer, AuditAction.SYNC, "", f"enrolled as device {device}")


def _set_meta(connection: Connection, key: str, value: str) -> None:
    statement = sqlite_insert(Meta).values(key=key, value=value)
    connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def pull_cursor(vault: Vault) -> int:
    return int(get_setting(vault, PULL_CURSOR_KEY) or 0)


# -- push -----------------------------------------------------------------------------------------


def pending_count(vault: Vault) -> int:
    """Outbox rows not yet acknowledged by the server (a batch in flight included)."""
    return vault.pending_changes()


def next_batch(vault: Vault, max_changes: int) -> OutgoingBatch | None:
    """The batch in flight if there is one (re-sent unchanged), else a new one; None: nothing to push.

    Outbox rows of one answer inside a batch collapse into one change: the newest value, based on
    the version the first of them was based on.
    """
    with vault.engine.begin() as connection:
        stored = connection.execute(select(SyncOutgoing).order_by(SyncOutgoing.created_at).limit(1)).first()
        if stored is not None:
            return OutgoingBatch(stored.batch_id, json.loads(stored.payload_json))
        rows = connection.execute(
            select(Change).where(Change.pushed == 0).order_by(Change.seq).limit(max_changes)
        ).all()
        if not rows:
            return None
        collapsed: dict[tuple[str, str, str], dict[str, Any]] = {}
        for row in rows:
            key = (row.case_id, row.question_id, row.entry_id)
            first = collapsed.get(key)
            collapsed[key] = {
                "case_id": row.case_id, "question_id": row.question_id, "entry_id": row.entry_id,
                "value": _loads(row.value_json), "version": row.version,
                "base_version": row.base_version if first is None else first["base_version"],
                "resolves": [] if first is None else first["resolves"],
                "_versions": [row.version] if first is None else [*first["_versions"], row.version],
            }
        first_seq: dict[tuple[str, str, str], int] = {}
        for row in rows:
            first_seq.setdefault((row.case_id, row.question_id, row.entry_id), row.seq)
        _fill_bases_and_resolutions(connection, collapsed, first_seq)
        batch_id = str(uuid.uuid4())
        payload = {"batch_id": batch_id, "changes": list(collapsed.values())}
        connection.execute(
            insert(SyncOutgoing).values(
                batch_id=batch_id, last_change_seq=rows[-1].seq,
                payload_json=json.dumps(payload, ensure_ascii=False, separators=(",", ":")), created_at=_now(),
            )
        )
        return OutgoingBatch(batch_id, payload)


def _fill_bases_and_resolutions(
    connection: Connection, changes: dict[Key, dict[str, Any]], first_seq: dict[Key, int]
) -> None:
    # A change based on nothing, for an answer that was removed here, is based on that removal:
    # this laptop's own tombstone, or the server's (a pulled removal, a lost conflict), whichever
    # this laptop saw last. Otherwise re-adding the answer would look like a concurrent edit.
    unbased = {key for key, change in changes.items() if change["base_version"] is None}
    case_ids = sorted({key[0] for key in unbased})
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        known = {
            (row.case_id, row.question_id, row.entry_id): row
            for row in connection.execute(select(SyncKnown).where(SyncKnown.case_id.in_(chunk)))
        }
        own_removals: dict[Key, tuple[int, str]] = {}
        removals = connection.execute(
            select(Change.case_id, Change.question_id, Change.entry_id, Change.seq, Change.version)
            .where(Change.case_id.in_(chunk), Change.value_json.is_(None)).order_by(Change.seq)
        )
        for case_id, question_id, entry_id, seq, version in removals:
            key = (case_id, question_id, entry_id)
            if key in unbased and seq < first_seq[key]:
                own_removals[key] = (seq, version)
        for key in unbased & (set(known) | set(own_removals)):
            server_side = known.get(key)
            own = own_removals.get(key)
            if own is not None and (server_side is None or own[0] > server_side.outbox_seq):
                changes[key]["base_version"] = own[1]
            elif server_side is not None:
                changes[key]["base_version"] = server_side.version
    versions = {change_version for change in changes.values() for change_version in change.pop("_versions")}
    links = connection.execute(
        select(SyncResolution.version, SyncResolution.conflict_id, SyncConflict.case_id, SyncConflict.question_id,
               SyncConflict.entry_id)
        .join(SyncConflict, SyncConflict.conflict_id == SyncResolution.conflict_id)
    ).all()
    for version, conflict_id, case_id, question_id, entry_id in links:
        change = changes.get((case_id, question_id, entry_id))
        if version in versions and change is not None and conflict_id not in change["resolves"]:
            change["resolves"].append(conflict_id)


def complete_batch(vault: Vault, batch_id: str, response: Mapping[str, Any], device: int | None) -> int:
    """Store the server's answer to a batch: outbox rows pushed, server state and conflicts taken in.

    Returns the number of conflicts the batch met. Completing a batch twice changes nothing.
    """
    with vault.engine.begin() as connection:
        stored = connection.execute(select(SyncOutgoing).where(SyncOutgoing.batch_id == batch_id)).first()
        if stored is None:
            return 0
        payload = json.loads(stored.payload_json)
        sent = {change["version"]: change for change in payload["changes"]}
        case_ids = {change["case_id"] for change in payload["changes"]}
        books = _Bookkeeping(connection, case_ids)
        newer_here = _pending_keys(connection, case_ids, after_seq=stored.last_change_seq)
        conflicts = 0
        for result in response["results"]:
            change = sent.get(result["version"])
            if change is None:
                continue
            key = (change["case_id"], change["question_id"], change["entry_id"])
            # With newer edits of this answer waiting here, they stay the local answer: they were
            # based on what this laptop had, and their push meets the server's state.
            if key in newer_here:
                pass
            elif result["status"] == "applied" and "server_version" not in result:
                books.take(key, change["value"], change["version"], int(result["server_seq"]), vault.officer,
                           response.get("at") or _now())
            elif result.get("server_version") is not None:
                books.take(key, result.get("server_value"), result["server_version"], int(result["server_seq"]),
                           result.get("server_by", ""), result.get("server_at") or _now())
            for conflict_id in result.get("resolved") or ():
                _mark_resolved(connection, conflict_id)
            if result.get("conflict") is not None:
                conflicts += 1
                _store_conflict(connection, result["conflict"], device)
        books.flush()
        covered = select(Change.version).where(Change.pushed == 0, Change.seq <= stored.last_change_seq)
        connection.execute(delete(SyncResolution).where(SyncResolution.version.in_(covered)))
        connection.execute(
            update(Change).where(Change.pushed == 0, Change.seq <= stored.last_change_seq).values(pushed=1)
        )
        connection.execute(delete(SyncOutgoing).where(SyncOutgoing.batch_id == batch_id))
        audit.append(connection, vault.officer, AuditAction.SYNC, "",
                     f"push {len(sent)} changes, {conflicts} conflicts")
        return conflicts


class _Bookkeeping:
    """Known server versions and local answer versions of some cases, read once, written in bulk."""

    def __init__(self, connection: Connection, case_ids: Iterable[str]) -> None:
        self.connection = connection
        self.known: dict[Key, int] = {}
        self.local: dict[Key, str | None] = {}
        self.updates: dict[Key, dict[str, Any]] = {}
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
            _write_answer(self.connection, key, value, version, by, at, current=current)
        self.local[key] = None if value is None else version
        return True

    def flush(self) -> None:
        if not self.updates:
            return
        statement = sqlite_insert(SyncKnown)
        statement = statement.on_conflict_do_update(
            index_elements=["case_id", "question_id", "entry_id"],
            set_={name: statement.excluded[name] for name in ("version", "seq", "outbox_seq")},
        )
        self.connection.execute(statement, list(self.updates.values()))
        self.updates.clear()


def drop_batch(vault: Vault, batch_id: str) -> None:
    """Forget a batch the server refused as a whole; its changes stay queued for a new batch."""
    with vault.engine.begin() as connection:
        connection.execute(delete(SyncOutgoing).where(SyncOutgoing.batch_id == batch_id))


_UNREAD = "\0unread"  # current version not read yet


def _write_answer(
    connection: Connection, key: Key, value: AnswerValue | None, version: str, by: str, at: str,
    *, current: str | None = _UNREAD,
) -> None:
    """Put a server value into the answers table, without queueing it (it came from the server)."""
    case_id, question_id, entry_id = key
    if current == _UNREAD:
        current = connection.execute(select(Answer.version).where(*_key_filter(Answer, *key))).scalar()
    if current == version:
        return
    _ensure_case(connection, case_id)
    if value is None:
        if current is None:
            return
        connection.execute(delete(Answer).where(*_key_filter(Answer, *key)))
    else:
        value_json = _dumps(value)
        statement = sqlite_insert(Answer).values(
            case_id=case_id, question_id=question_id, entry_id=entry_id, value_json=value_json,
            version=version, updated_by=by, updated_at=at,
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["case_id", "question_id", "entry_id"],
                set_={"value_json": value_json, "version": version, "updated_by": by, "updated_at": at},
            )
        )
    _refresh_listed_fields(connection, case_id, question_id, entry_id, value)


def _ensure_case(connection: Connection, case_id: str) -> None:
    if connection.execute(select(Case.id).where(Case.id == case_id)).scalar() is not None:
        return
    now = _now()
    connection.execute(
        insert(Case).values(
            id=case_id, created_at=now, updated_at=now, status=CaseStatus.INTAKE_IN_PROGRESS.value,
            client_language="nl", display_name="", bsn="", v_number="", target_group="",
            next_deadline=None, last_question_id="", last_entry_id="", is_demo=0,
        )
    )


def _refresh_listed_fields(
    connection: Connection, case_id: str, question_id: str, entry_id: str, value: AnswerValue | None
) -> None:
    # The same denormalisation Vault does on save, without moving the officer's place in the case.
    values: dict[str, Any] = {"updated_at": _now()}
    if entry_id == "" and question_id in _LISTED_ANSWERS:
        values[_LISTED_ANSWERS[question_id]] = "" if value is None else str(value)
    if entry_id == "" and question_id in _NAME_PARTS:
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
    _ensure_case(connection, snapshot["case_id"])
    values = {
        "case_id": snapshot["case_id"], "question_id": snapshot["question_id"], "entry_id": snapshot["entry_id"],
        "local_value_json": _dumps(snapshot[local[0]]), "local_version": snapshot[local[1]] or "",
        "local_by": snapshot[local[2]], "local_at": snapshot[local[3]],
        "remote_value_json": _dumps(snapshot[remote[0]]), "remote_version": snapshot[remote[1]] or "",
        "remote_by": snapshot[remote[2]], "remote_at": snapshot[remote[3]],
        "resolved_at": _now() if snapshot.get("resolved") else None,
    }
    statement = sqlite_insert(SyncConflict).values(conflict_id=snapshot["id"], detected_at=_now(), **values)
    connection.execute(statement.on_conflict_do_update(index_elements=["conflict_id"], set_=values))


def _mark_resolved(connection: Connection, conflict_id: int) -> None:
    connection.execute(
        update(SyncConflict)
        .where(SyncConflict.conflict_id == conflict_id, SyncConflict.resolved_at.is_(None))
        .values(resolved_at=_now())
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
                                  version=version, base_version=base, pushed=0)
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
    with vault.engine.begin() as connection:
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
        _set_meta(connection, PULL_CURSOR_KEY, str(next_after))
        for case_id, question_ids in sorted(touched.items()):
            audit.append(connection, vault.officer, AuditAction.SYNC, case_id,
                         ("pull:" + ",".join(sorted(question_ids)))[:200])
    return PullApplied(applied, skipped, conflicts)


def _pending_keys(connection: Connection, case_ids: Iterable[str], *, after_seq: int = 0) -> set[Key]:
    """Answers of these cases with outbox rows not yet pushed (after outbox row ``after_seq``)."""
    ids = sorted(case_ids)
    keys: set[Key] = set()
    for start in range(0, len(ids), 500):
        rows = connection.execute(
            select(Change.case_id, Change.question_id, Change.entry_id)
            .where(Change.pushed == 0, Change.seq > after_seq, Change.case_id.in_(ids[start:start + 500])).distinct()
        )
        keys.update((c, q, e) for c, q, e in rows)
    return keys


def record_sync_finished(vault: Vault) -> None:
    set_settings(vault, {LAST_SYNC_KEY: _now()})


def sync_counts(vault: Vault) -> tuple[int, int]:
    """(changes waiting to be pushed, open conflicts)."""
    with vault.engine.connect() as connection:
        waiting = connection.execute(select(func.count()).select_from(Change).where(Change.pushed == 0)).scalar_one()
        conflicts = connection.execute(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        ).scalar_one()
    return int(waiting), int(conflicts)
