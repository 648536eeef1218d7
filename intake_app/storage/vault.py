"""The vault: one encrypted database per laptop folder, opened by an officer's passphrase.

Layout of a vault folder::

    keys.json            the data key, wrapped per officer (Argon2id + AES-GCM) and for recovery
    vault.db (-wal -shm) SQLCipher 4 database, opened with the raw 256-bit data key
    unlock_attempts.json failed-unlock counter for the growing delay (no names)
    backups/             rotating encrypted copies, made when the vault closes
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import Connection, Engine, Row, insert, select, text, update
from sqlalchemy.exc import DatabaseError

from intake_app.storage import audit, backup, keys, outbox
from intake_app.storage.audit import AuditAction, AuditProblem
from intake_app.storage.database import DATABASE_NAME, integrity_problems, open_engine
from intake_app.storage.errors import (
    CaseNotFound,
    VaultAlreadyExists,
    VaultDamaged,
    VaultLocked,
    VaultNotFound,
)
from intake_app.storage.hlc import HybridLogicalClock, Version
from intake_app.storage.migrate import upgrade_to_head
from intake_app.storage.models import Answer, Case, Change, Meta
from intake_app.storage.records import AnswerKey, AnswerValue, CaseStatus, CaseSummary
from intake_app.storage.throttle import UnlockThrottle

KEYFILE_NAME = "keys.json"

# Answers that the case list shows; copied onto the case row when saved.
_LISTED_ANSWERS = {"bsn": "bsn", "v_number": "v_number", "target_group": "target_group"}
_NAME_PARTS = ("given_names", "family_name")


# The answer hot path, as plain SQL (see Vault.apply_changes).
_SQL_TOUCH_CASE = (
    "UPDATE cases SET updated_at = ?, last_question_id = ?, last_entry_id = ?, "
    "status = CASE WHEN status = 'nieuw' THEN 'intake_bezig' ELSE status END WHERE id = ?"
)
_SQL_VERSION = "SELECT version FROM answers WHERE case_id = ? AND question_id = ? AND entry_id = ?"
_SQL_UPSERT_ANSWER = (
    "INSERT INTO answers (case_id, question_id, entry_id, value_json, version, updated_by, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, question_id, entry_id) DO UPDATE SET "
    "value_json = excluded.value_json, version = excluded.version, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at"
)
_SQL_LIST_CASES = (
    "SELECT id, display_name, bsn, v_number, status, target_group, client_language, next_deadline, "
    "updated_at, last_question_id, last_entry_id, is_demo FROM cases ORDER BY updated_at DESC"
)
_SQL_DELETE_ANSWER = "DELETE FROM answers WHERE case_id = ? AND question_id = ? AND entry_id = ?"
_SQL_QUEUE_CHANGE = (
    "INSERT INTO changes (case_id, question_id, entry_id, value_json, version, base_version) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def vault_exists(folder: Path) -> bool:
    return (folder / KEYFILE_NAME).is_file() and (folder / DATABASE_NAME).is_file()


class Vault:
    """An unlocked vault. Every write commits before it returns: what the UI shows as saved is saved."""

    def __init__(self, folder: Path, engine: Engine, officer: str) -> None:
        self.folder = folder
        self.officer = officer
        self._engine: Engine | None = engine
        self._dirty = False
        # Writes of this process take turns here before SQLite's lock: an officer's save never
        # queues behind a stream of sync transactions (SQLite's busy handler retries only every
        # so often, and a back-to-back writer wins every race). Saves go first.
        self._write_turn = threading.RLock()  # re-entrant: sync code may save inside its own turn
        self._saves_waiting = 0
        self._count_lock = threading.Lock()
        with engine.connect() as connection:
            device_id = connection.execute(select(Meta.value).where(Meta.key == "device_id")).scalar_one()
            newest = connection.execute(select(Change.version).order_by(Change.seq.desc()).limit(1)).scalar()
        self.device_id: str = device_id
        self._clock = HybridLogicalClock(device_id)
        if newest is not None:
            # The clock starts past the newest version written here, so an edit after the laptop's
            # clock was set back still sorts after the one it replaces.
            self._clock.observe(Version.parse(newest))

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        officer: str,
        passphrase: str,
        *,
        recovery_public_key: X25519PublicKey | None = None,
        kdf: keys.KdfParams | None = None,
    ) -> Vault:
        """Make a new vault; refuses a folder that already holds one."""
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if (folder / KEYFILE_NAME).exists():
            raise VaultAlreadyExists()
        if (folder / DATABASE_NAME).exists():
            # A database without a key file is a creation that was cut off: its key was never
            # written down, so it can never be opened. Keep it aside rather than block the folder.
            backup.move_aside(folder / DATABASE_NAME, "unfinished-creation")
        data_key = keys.new_data_key()
        keyfile = keys.KeyFile.create(data_key)
        keyfile.add_officer(officer, passphrase, data_key, kdf)
        if recovery_public_key is not None:
            keyfile.set_recovery_key(recovery_public_key, data_key)
        engine = open_engine(folder / DATABASE_NAME, data_key, create=True)
        upgrade_to_head(engine)
        with engine.begin() as connection:
            connection.execute(insert(Meta).values(key="device_id", value=secrets.token_hex(8)))
            connection.execute(insert(Meta).values(key="vault_id", value=str(keyfile.vault_id)))
            audit.append(connection, keys.display_name(officer), AuditAction.CREATE_VAULT)
        # The key file is written last: a vault without it is recognisably unfinished.
        keyfile.save(folder / KEYFILE_NAME)
        return cls(folder, engine, keys.display_name(officer))

    @classmethod
    def unlock(
        cls, folder: Path, officer: str, passphrase: str, *, clock: Callable[[], float] = time.time
    ) -> Vault:
        """Open with an officer's passphrase.

        Raises keys.InvalidCredentials (same for unknown officer and wrong passphrase),
        throttle.TooManyAttempts (wait first), VaultNotFound, VaultDamaged.
        """
        if not vault_exists(folder):
            raise VaultNotFound()
        throttle = UnlockThrottle.for_vault(folder)
        throttle.raise_if_waiting(clock())
        keyfile = keys.KeyFile.load(folder / KEYFILE_NAME)
        try:
            data_key = keyfile.unlock(officer, passphrase)
        except keys.InvalidCredentials:
            throttle.record_failure(clock())
            raise
        throttle.record_success()
        return cls._open(folder, data_key, keyfile.officer_name(officer), AuditAction.UNLOCK)

    @classmethod
    def recover(cls, folder: Path, private_key: X25519PrivateKey, officer: str) -> Vault:
        """Open with the municipal recovery key, for an officer who forgot the passphrase."""
        if not vault_exists(folder):
            raise VaultNotFound()
        data_key = keys.KeyFile.load(folder / KEYFILE_NAME).recover(private_key)
        return cls._open(folder, data_key, officer, AuditAction.RECOVER)

    @classmethod
    def _open(cls, folder: Path, data_key: bytes, officer: str, action: AuditAction) -> Vault:
        engine = open_engine(folder / DATABASE_NAME, data_key)
        try:
            upgrade_to_head(engine)
            with engine.begin() as connection:
                audit.append(connection, officer, action)
            return cls(folder, engine, officer)
        except DatabaseError as error:
            # Pages read after the header (schema, audit head) fail their HMAC when altered.
            engine.dispose()
            raise VaultDamaged(f"open: {error.orig!s}") from error

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def close(self, *, make_backup: bool = True) -> None:
        """Lock: audit, checkpoint, close every connection, then back up if anything changed."""
        if self._engine is None:
            return
        engine = self._engine
        with engine.begin() as connection:
            audit.append(connection, self.officer, AuditAction.LOCK)
        with engine.connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        engine.dispose()
        self._engine = None
        if make_backup and self._dirty:
            backup.make_backup(self.folder / DATABASE_NAME)

    def mark_changed(self) -> None:
        """Something was written outside this class (plans, case administration): back up at close."""
        self._dirty = True

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database now (while the officer pauses), not in a save."""
        with self._db().connect() as connection:
            connection.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))

    @contextmanager
    def sync_transaction(self) -> Iterator[Connection]:
        """A write transaction of the sync (batches, server answers, pulled pages).

        It takes the write lock at once (BEGIN IMMEDIATE), so what it reads stays true until it
        commits: an officer's save meanwhile waits for it (milliseconds), it never lands between a
        read and a write here. It commits without waiting for the disk (WAL, synchronous = NORMAL):
        a power cut may undo it, never damage the vault, and undone it is redone by the next sync
        (a stored batch is re-sent by its id and answered as before; an unstored one is made anew
        and the server knows its changes by their versions; a pulled page comes again with its
        cursor). The officer's own answers keep being on disk before "Opgeslagen" shows.
        """
        while self._saves_waiting:  # the officer's save first
            time.sleep(0.001)
        with self._write_turn, self._db().connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA synchronous = NORMAL")
            try:
                with connection.begin():
                    driver.execute("BEGIN IMMEDIATE")
                    yield connection
            finally:
                driver.execute("PRAGMA synchronous = FULL")

    def _db(self) -> Engine:
        if self._engine is None:
            raise VaultLocked()
        return self._engine

    # -- key management --------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        keyfile = keys.KeyFile.load(self.folder / KEYFILE_NAME)
        keyfile.change_passphrase(self.officer, old, new)
        keyfile.save(self.folder / KEYFILE_NAME)
        self.record(AuditAction.CHANGE_PASSPHRASE)

    # -- cases and answers ---------------------------------------------------------------------

    def create_case(self, *, client_language: str = "nl", is_demo: bool = False) -> str:
        case_id = uuid.uuid4().hex
        now = _now_iso()
        with self._db().begin() as connection:
            connection.execute(
                insert(Case).values(
                    id=case_id, created_at=now, updated_at=now, status=CaseStatus.NEW.value,
                    client_language=client_language, display_name="", bsn="", v_number="",
                    target_group="", next_deadline=None, last_question_id="", last_entry_id="",
                    is_demo=int(is_demo),
                )
            )
            audit.append(connection, self.officer, AuditAction.CREATE_CASE, case_id)
        self._dirty = True
        return case_id

    def save_answer(self, case_id: str, key: AnswerKey, value: AnswerValue) -> str:
        """Store one answer and queue it for sync, in one committed transaction. Returns its version."""
        return self.apply_changes(case_id, [(key, value)])[0]

    def clear_answer(self, case_id: str, key: AnswerKey) -> None:
        """Remove an answer; the outbox gets a tombstone so other laptops remove it too."""
        self.apply_changes(case_id, [(key, None)])

    def apply_changes(self, case_id: str, changes: Sequence[tuple[AnswerKey, AnswerValue | None]]) -> list[str]:
        """Several answers at once, all or nothing (e.g. removing a repeat entry and its answers).

        ``None`` removes an answer. Returns the new version of each change, in order. This is the
        hot path of the app (every answer the officer gives), so it speaks plain SQL on the
        driver's cursor: SQLAlchemy's statement building cost more than the statements themselves.
        """
        with self._count_lock:
            self._saves_waiting += 1
        try:
            self._write_turn.acquire()
        finally:
            with self._count_lock:
                self._saves_waiting -= 1
        try:
            with self._db().begin() as connection:
                return self.write_changes(connection, case_id, changes)
        finally:
            self._write_turn.release()

    def write_changes(
        self, connection: Any, case_id: str, changes: Sequence[tuple[AnswerKey, AnswerValue | None]]
    ) -> list[str]:
        """:meth:`apply_changes` inside the caller's transaction, for work that must commit all or
        nothing together with other rows (an import creating a case with its answers)."""
        versions: list[str] = []
        now = _now_iso()
        cursor = connection.connection.cursor()
        for key, value in changes:
            question_id, entry_id = key
            cursor.execute(_SQL_TOUCH_CASE, (now, question_id, entry_id, case_id))
            if cursor.rowcount == 0:
                raise CaseNotFound()
            row = cursor.execute(_SQL_VERSION, (case_id, question_id, entry_id)).fetchone()
            base_version = None if row is None else row[0]
            version = str(self._clock.now())
            versions.append(version)
            if value is None:
                if base_version is None:
                    continue
                cursor.execute(_SQL_DELETE_ANSWER, (case_id, question_id, entry_id))
                value_json = None
            else:
                value_json = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                cursor.execute(
                    _SQL_UPSERT_ANSWER,
                    (case_id, question_id, entry_id, value_json, version, self.officer, now),
                )
            cursor.execute(_SQL_QUEUE_CHANGE, (case_id, question_id, entry_id, value_json, version, base_version))
            if entry_id == "" and (question_id in _LISTED_ANSWERS or question_id in _NAME_PARTS):
                self._update_listed_fields(connection, case_id, question_id, value)
        cursor.close()
        if changes:
            detail = ",".join(sorted({key[0] for key, _ in changes}))[:200]
            audit.append(connection, self.officer, AuditAction.EDIT, case_id, detail)
        self._dirty = True
        return versions

    @staticmethod
    def _update_listed_fields(connection: Any, case_id: str, question_id: str, value: AnswerValue | None) -> None:
        """Copy what the case list shows (name, BSN, V-number, target group) onto the case row."""
        values: dict[str, Any] = {}
        if question_id in _LISTED_ANSWERS:
            values[_LISTED_ANSWERS[question_id]] = "" if value is None else str(value)
        else:
            parts = dict(
                connection.execute(
                    select(Answer.question_id, Answer.value_json).where(
                        Answer.case_id == case_id, Answer.question_id.in_(_NAME_PARTS), Answer.entry_id == ""
                    )
                ).all()
            )
            values["display_name"] = " ".join(str(json.loads(parts[p])) for p in _NAME_PARTS if p in parts).strip()
        connection.execute(update(Case).where(Case.id == case_id).values(**values))

    def answers(self, case_id: str) -> dict[AnswerKey, AnswerValue]:
        with self._db().connect() as connection:
            rows = connection.execute(
                select(Answer.question_id, Answer.entry_id, Answer.value_json).where(Answer.case_id == case_id)
            )
            return {(q, e): json.loads(v) for q, e, v in rows}

    def answer_versions(self, case_id: str) -> dict[AnswerKey, str]:
        with self._db().connect() as connection:
            rows = connection.execute(
                select(Answer.question_id, Answer.entry_id, Answer.version).where(Answer.case_id == case_id)
            )
            return {(q, e): v for q, e, v in rows}

    def set_position(self, case_id: str, key: AnswerKey) -> None:
        """Remember where the officer is in the case, to resume there."""
        with self._db().begin() as connection:
            connection.execute(
                update(Case).where(Case.id == case_id).values(last_question_id=key[0], last_entry_id=key[1])
            )

    def open_case(self, case_id: str) -> CaseSummary:
        summary = self.case(case_id)
        self.record(AuditAction.OPEN_CASE, case_id)
        return summary

    def case(self, case_id: str) -> CaseSummary:
        with self._db().connect() as connection:
            row = connection.execute(select(Case.__table__).where(Case.id == case_id)).first()
            if row is None:
                raise CaseNotFound()
            return _summary(row)

    def list_cases(self) -> list[CaseSummary]:
        """Every case, newest change first. Plain SQL: at 10,000 cases, building SQLAlchemy rows
        cost three times the reading (it runs at every unlock)."""
        with self._db().connect() as connection:
            cursor = connection.connection.cursor()
            rows = cursor.execute(_SQL_LIST_CASES).fetchall()
            cursor.close()
        statuses = {status.value: status for status in CaseStatus}
        return [
            CaseSummary(
                id=case_id, display_name=name, bsn=bsn, v_number=v_number, status=statuses[status],
                target_group=group, client_language=language,
                next_deadline=date.fromisoformat(deadline) if deadline else None,
                updated_at=updated_at, last_question_id=question, last_entry_id=entry, is_demo=bool(demo),
            )
            for (case_id, name, bsn, v_number, status, group, language, deadline, updated_at, question, entry, demo)
            in rows
        ]

    def set_case_fields(
        self, case_id: str, *, status: CaseStatus | None = None, client_language: str | None = None,
        next_deadline: date | None = None,
    ) -> None:
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = status.value
        if client_language is not None:
            values["client_language"] = client_language
        if next_deadline is not None:
            values["next_deadline"] = next_deadline
        if not values:
            return
        with self._db().begin() as connection:
            result = connection.execute(update(Case).where(Case.id == case_id).values(**values))
            if result.rowcount == 0:
                raise CaseNotFound()
            audit.append(connection, self.officer, AuditAction.EDIT, case_id, ",".join(sorted(values)))
        self._dirty = True

    def pending_changes(self) -> int:
        with self._db().connect() as connection:
            waiting = connection.execute(text(f"SELECT count(*) FROM changes WHERE {outbox.SQL_WAITING}"))
            return int(waiting.scalar_one())

    # -- audit and integrity -------------------------------------------------------------------

    def record(self, action: AuditAction, case_id: str = "", detail: str = "") -> None:
        with self._db().begin() as connection:
            audit.append(connection, self.officer, action, case_id, detail)
        self._dirty = True

    def verify_audit(self) -> list[AuditProblem]:
        return audit.verify(self._db())

    def audit_entries(self, limit: int = 200) -> list[audit.AuditRecord]:
        return audit.entries(self._db(), limit)

    def integrity_problems(self) -> list[str]:
        return integrity_problems(self._db())

    @property
    def engine(self) -> Engine:
        """For storage-internal tools and tests only; the UI goes through services."""
        return self._db()


def _summary(row: Row[Any]) -> CaseSummary:
    return CaseSummary(
        id=row.id, display_name=row.display_name, bsn=row.bsn, v_number=row.v_number,
        status=CaseStatus(row.status), target_group=row.target_group,
        client_language=row.client_language, next_deadline=row.next_deadline,
        updated_at=row.updated_at, last_question_id=row.last_question_id,
        last_entry_id=row.last_entry_id, is_demo=bool(row.is_demo),
    )


def open_with_data_key(folder: Path, data_key: bytes, officer: str) -> Vault:
    """For trusted tools (the crash tests' writer, recovery): skip the passphrase step."""
    return Vault._open(folder, data_key, officer, AuditAction.UNLOCK)

