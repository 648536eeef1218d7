"""The laptop's side of the case-records channel: push waiting records, then pull new ones.

Runs after the answers' push and pull (``SyncClient.sync``), with the same requests, retries and
errors (``SyncError``). Like the answers, nothing is lost when it fails: a records batch is stored
before it is sent and re-sent under the same batch id; a page of pulled records is applied together
with its cursor. A store that keeps no case records (one without the methods of
:class:`RecordStore`) skips this channel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from intake_app.sync import records_protocol as rp
from intake_app.sync.client import MSG_SERVER_BEHIND, SyncError, SyncErrorKind, is_refusal

if TYPE_CHECKING:
    from intake_app.sync.client import SyncClient


@runtime_checkable
class RecordStore(Protocol):
    def pending_records(self) -> int: ...

    def next_record_batch(self, max_records: int, max_bytes: int) -> tuple[str, Mapping[str, Any]] | None: ...

    def complete_record_batch(self, batch_id: str, response: Mapping[str, Any]) -> None: ...

    def drop_record_batch(self, batch_id: str) -> None: ...

    def records_cursor(self) -> int: ...

    def apply_pulled_records(self, records: Sequence[Mapping[str, Any]], next_after: int) -> None: ...


@dataclass(frozen=True)
class RecordsReport:
    pushed: int
    pulled: int


def sync_records(client: SyncClient, store: object, *, batch_size: int = rp.MAX_BATCH_RECORDS,
                 batch_bytes: int = rp.PUSH_BATCH_BYTES, pull_limit: int = rp.DEFAULT_PULL_RECORDS) -> RecordsReport:
    """Push the store's waiting case records, then pull the municipality's new ones. Raises SyncError."""
    if not isinstance(store, RecordStore):
        return RecordsReport(0, 0)
    try:
        pushed = _push(client, store, batch_size, batch_bytes)
    except SyncError as error:
        if not is_refusal(error):
            raise
        _pull(client, store, pull_limit)  # refused records stay queued; the colleagues' still come in
        raise
    pulled = _pull(client, store, pull_limit)
    return RecordsReport(pushed, pulled)


def _push(client: SyncClient, store: RecordStore, batch_size: int, batch_bytes: int) -> int:
    done = 0
    while (batch := store.next_record_batch(batch_size, batch_bytes)) is not None:
        batch_id, payload = batch
        try:
            response = client._request("POST", rp.RECORDS_PATH, json=payload)
        except SyncError as error:
            if error.kind is SyncErrorKind.REJECTED:
                store.drop_record_batch(batch_id)  # the records stay queued; the batch is made anew
                if error.status == 413 and len(payload["records"]) > 1:
                    batch_size = max(1, len(payload["records"]) // 2)
                    batch_bytes = max(1, batch_bytes // 2)
                    continue
            raise
        store.complete_record_batch(batch_id, response)
        done += len(payload["records"])
    return done


def _pull(client: SyncClient, store: RecordStore, limit: int) -> int:
    after = store.records_cursor()
    pulled = 0
    while True:
        page = client._request("GET", rp.RECORDS_PATH, params={"after": after, "limit": limit})
        if page["latest_seq"] < after:
            # The server was put back from a backup: records this laptop has would be numbered again.
            raise SyncError(SyncErrorKind.REJECTED, MSG_SERVER_BEHIND,
                            detail=f"records: server at {page['latest_seq']}, laptop at {after}")
        store.apply_pulled_records(page["records"], page["next_after"])
        pulled += len(page["records"])
        after = page["next_after"]
        if not page["more"]:
            return pulled
