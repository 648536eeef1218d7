"""Sync for the UI and the CLI: enrol this laptop, sync, list and resolve conflicts.

Wires the vault (``storage.sync_store``) to the wire client (``sync.client``); neither knows the other.
The token lives in the vault's meta table, so it is as well protected as the answers.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from intake_app.services.vault_service import VaultSession
from intake_app.storage import sync_records, sync_store
from intake_app.storage.records import AnswerValue
from intake_app.storage.sync_store import ConflictRecord, Resolution
from intake_app.storage.vault import Vault
from intake_app.sync.client import (
    MSG_NOT_ENROLLED,
    Phase,
    Progress,
    ProgressCallback,
    RetryPolicy,
    SyncClient,
    SyncError,
    SyncErrorKind,
    SyncReport,
)

__all__ = [
    "ConflictRecord",
    "Phase",
    "Progress",
    "Resolution",
    "RetryPolicy",
    "SyncError",
    "SyncErrorKind",
    "SyncReport",
    "SyncStatus",
    "VaultStore",
    "enrol",
    "list_conflicts",
    "resolve_conflict",
    "status",
    "sync",
]


def _vault(session: Any) -> Vault:
    """A Vault, or the one inside a services VaultSession."""
    if isinstance(session, Vault):
        return session
    if isinstance(session, VaultSession):
        return session.vault
    raise TypeError("expected a Vault or a VaultSession")


class VaultStore:
    """The vault as the client's LocalStore."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        device = sync_store.get_setting(vault, sync_store.SERVER_DEVICE_KEY)
        self.device = int(device) if device else None
        # What the officer types during this sync goes with the next one: a sync always ends.
        self.upto = sync_store.newest_change(vault)

    def pending_count(self) -> int:
        return sync_store.pending_count(self.vault)

    def next_batch(self, max_changes: int, *, after: str | None = None) -> sync_store.OutgoingBatch | None:
        return sync_store.next_batch(self.vault, max_changes, after=after, upto=self.upto)

    def complete_batch(self, batch_id: str, response: Mapping[str, Any]) -> int:
        return sync_store.complete_batch(self.vault, batch_id, response, self.device)

    def drop_batches(self) -> None:
        sync_store.drop_batches(self.vault)

    def pull_cursor(self) -> int:
        return sync_store.pull_cursor(self.vault)

    def rereading(self) -> bool:
        return sync_store.rereading(self.vault)

    def reread_done(self) -> None:
        sync_store.reread_done(self.vault)

    def apply_pulled(self, events: Sequence[Mapping[str, Any]], next_after: int) -> None:
        sync_store.apply_pulled(self.vault, events, next_after, self.device)

    # -- case records: plan versions, case status, deletions (sync.records_client.RecordStore) ------

    def pending_records(self) -> int:
        return sync_records.pending_count(self.vault)

    def next_record_batch(self, max_records: int, max_bytes: int) -> tuple[str, Mapping[str, Any]] | None:
        batch = sync_records.next_batch(self.vault, max_records, max_bytes)
        return None if batch is None else (batch.batch_id, batch.payload)

    def complete_record_batch(self, batch_id: str, response: Mapping[str, Any]) -> None:
        sync_records.complete_batch(self.vault, batch_id, response)

    def drop_record_batch(self, batch_id: str) -> None:
        sync_records.drop_batch(self.vault, batch_id)

    def records_cursor(self) -> int:
        return sync_records.pull_cursor(self.vault)

    def apply_pulled_records(self, records: Sequence[Mapping[str, Any]], next_after: int) -> None:
        sync_records.apply_pulled(self.vault, records, next_after, self.device)


def enrol(session: Any, server_url: str, code: str, *, device_name: str | None = None,
          client: SyncClient | None = None) -> str:
    """Couple this laptop to the server with a one-time code; returns the officer name the server knows."""
    vault = _vault(session)
    own = client is None
    client = client or SyncClient(server_url)
    try:
        result = client.enrol(code, device_name or f"{platform.node() or 'laptop'} ({vault.device_id})")
    finally:
        if own:
            client.close()
    sync_store.record_enrolment(vault, server_url, str(result["token"]), int(result["device"]))
    return str(result["officer"])


def sync(
    session: Any, server_url: str | None = None, token: str | None = None, *,
    progress: ProgressCallback | None = None, retry: RetryPolicy | None = None, client: SyncClient | None = None,
) -> SyncReport:
    """Push then pull. Server and token default to those stored at enrolment. Raises SyncError."""
    vault = _vault(session)
    url = server_url or sync_store.get_setting(vault, sync_store.SERVER_URL_KEY)
    secret = token or sync_store.get_setting(vault, sync_store.TOKEN_KEY)
    if not url or not secret:
        raise SyncError(SyncErrorKind.AUTH, MSG_NOT_ENROLLED)
    own = client is None
    if client is None:
        client = SyncClient(url, secret, retry=retry or RetryPolicy())
    else:
        client.token = secret
    try:
        report = client.sync(VaultStore(vault), progress)
    finally:
        if own:
            client.close()
    sync_store.record_sync_finished(vault)
    return report


@dataclass(frozen=True)
class SyncStatus:
    enrolled: bool
    server_url: str
    waiting: int  # changes not yet on the server: answers and case records
    conflicts: int  # open conflicts
    last_sync: str  # ISO time, "" if never


def status(session: Any) -> SyncStatus:
    vault = _vault(session)
    waiting, conflicts = sync_store.sync_counts(vault)
    waiting += sync_records.pending_count(vault)  # plan versions, status changes, deletions
    return SyncStatus(
        enrolled=bool(sync_store.get_setting(vault, sync_store.TOKEN_KEY)),
        server_url=sync_store.get_setting(vault, sync_store.SERVER_URL_KEY) or "",
        waiting=waiting, conflicts=conflicts,
        last_sync=sync_store.get_setting(vault, sync_store.LAST_SYNC_KEY) or "",
    )


def list_conflicts(session: Any, case_id: str | None = None) -> list[ConflictRecord]:
    return sync_store.open_conflicts(_vault(session), case_id)


def conflicts_to_decide(session: Any, case_id: str | None = None) -> dict[str, int]:
    return sync_store.conflicts_to_decide(_vault(session), case_id)


def resolve_conflict(session: Any, conflict_id: int, choice: Resolution, value: AnswerValue | None = None) -> str:
    """Pick this laptop's value, the other one, or a new value; it goes to the server at the next sync."""
    return sync_store.resolve_conflict(_vault(session), conflict_id, choice, value)
