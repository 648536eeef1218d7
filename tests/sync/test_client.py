"""The wire client alone: retries with backoff, Dutch messages, progress, nothing lost on failure."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from intake_app.i18n import Catalog
from intake_app.sync.client import Phase, Progress, RetryPolicy, SyncClient, SyncError, SyncErrorKind


@dataclass(frozen=True)
class MemoryBatch:
    batch_id: str
    body: bytes
    size: int
    answer_keys: frozenset[str] | None = None  # unknown: batches travel one at a time


class MemoryStore:
    """A LocalStore in memory: what a vault would keep, to see what the client leaves behind."""

    def __init__(self, changes: int) -> None:
        self.pending = [["a" * 32, "given_names", "", f"v{i}", f"{i:015d}-00000-dev", None] for i in range(changes)]
        self.stored: list[MemoryBatch] = []  # made and not completed, oldest first
        self.made = 0
        self.completed: list[str] = []
        self.cursor = 0
        self.applied: list[Mapping[str, Any]] = []

    def pending_count(self) -> int:
        return len(self.pending)

    def next_batch(self, max_changes: int, *, after: str | None = None) -> MemoryBatch | None:
        ids = [batch.batch_id for batch in self.stored]
        position = 0 if after is None else ids.index(after) + 1 if after in ids else len(ids)
        if position < len(self.stored):
            return self.stored[position]
        queued = sum(batch.size for batch in self.stored)
        rows = self.pending[queued:queued + max_changes]
        if not rows:
            return None
        batch_id = f"00000000-0000-4000-8000-{self.made:012d}"
        self.made += 1
        batch = MemoryBatch(batch_id, json.dumps({"batch_id": batch_id, "changes": rows}).encode(), len(rows))
        self.stored.append(batch)
        return batch

    def complete_batch(self, batch_id: str, response: Mapping[str, Any]) -> int:
        assert self.stored and self.stored[0].batch_id == batch_id, "batches complete in the order they were made"
        batch = self.stored.pop(0)
        assert len(response["seqs"]) == batch.size
        del self.pending[:batch.size]
        self.completed.append(batch_id)
        return 0

    def drop_batches(self) -> None:
        self.stored.clear()

    def pull_cursor(self) -> int:
        return self.cursor

    def rereading(self) -> bool:
        return False

    def reread_done(self) -> None:
        raise AssertionError("only after a restore")

    def apply_pulled(self, events: Sequence[Mapping[str, Any]], next_after: int) -> None:
        self.applied += events
        self.cursor = next_after


def _server(fail_first: int = 0, status: int = 503) -> tuple[httpx.Client, list[str]]:
    calls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) <= fail_first:
            if status == 0:
                raise httpx.ConnectError("refused", request=request)
            return httpx.Response(status, json={"code": "x", "reason": "stuk"})
        if request.url.path == "/v1/push":
            body = json.loads(request.content)
            return httpx.Response(200, json={"batch_id": body["batch_id"], "latest_seq": 0, "at": "",
                                             "seqs": [1] * len(body["changes"]), "results": []})
        after = int(request.url.params["after"])
        events = [{"seq": after + 1, "kind": "change"}] if after < 3 else []
        return httpx.Response(200, json={"events": events, "next_after": after + len(events), "latest_seq": 3,
                                         "more": after + len(events) < 3})

    return httpx.Client(transport=httpx.MockTransport(handle), base_url="http://server"), calls


def test_server_errors_are_retried_with_growing_waits_and_then_the_sync_completes() -> None:
    http, _calls = _server(fail_first=3)
    waits: list[float] = []
    client = SyncClient("http://server", "token", http=http, batch_size=4,
                        retry=RetryPolicy(attempts=5, first_delay=1.0, max_delay=30, sleep=waits.append))
    store = MemoryStore(10)
    seen: list[Progress] = []
    report = client.sync(store, seen.append)
    assert (report.pushed, report.pulled) == (10, 3)
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]
    assert store.pending == [] and store.cursor == 3
    pushes = [p for p in seen if p.phase is Phase.PUSH]
    assert [p.done for p in pushes] == [0, 4, 8, 10] and all(p.total == 10 for p in pushes)
    assert seen[-1] == Progress(Phase.PULL, 3, 3)


@pytest.mark.parametrize(("status", "kind"), [(0, SyncErrorKind.NETWORK), (503, SyncErrorKind.SERVER)])
def test_when_retries_run_out_everything_stays_queued(status: int, kind: SyncErrorKind) -> None:
    http, calls = _server(fail_first=100, status=status)
    client = SyncClient("http://server", "token", http=http,
                        retry=RetryPolicy(attempts=3, first_delay=0, max_delay=0, sleep=lambda _s: None))
    store = MemoryStore(5)
    with pytest.raises(SyncError) as raised:
        client.sync(store)
    assert raised.value.kind is kind and len(calls) == 3
    assert len(store.pending) == 5 and store.stored  # re-sent as they are next time, in order
    assert json.loads(store.stored[0].body)["changes"] == store.pending[:store.stored[0].size]
    message = Catalog("nl").gettext(raised.value.message)
    assert "blijven bewaard op deze laptop" in message


@pytest.mark.parametrize(("status", "kind", "words"), [
    (401, SyncErrorKind.AUTH, "niet (meer) gekoppeld"),
    (422, SyncErrorKind.REJECTED, "weigerde de wijzigingen (stuk)"),
    (429, SyncErrorKind.WAIT, "Probeer het over"),
])
def test_refusals_are_not_retried_and_explained_in_dutch(status: int, kind: SyncErrorKind, words: str) -> None:
    http, calls = _server(fail_first=100, status=status)
    client = SyncClient("http://server", "token", http=http, retry=RetryPolicy(sleep=lambda _s: None))
    with pytest.raises(SyncError) as raised:
        client.sync(MemoryStore(2))
    assert raised.value.kind is kind and calls.count("/v1/push") == 1  # asked once, not again
    assert words in raised.value.message.format(**raised.value.params)


def test_without_a_token_nothing_is_sent() -> None:
    http, calls = _server()
    with pytest.raises(SyncError) as raised:
        SyncClient("http://server", "", http=http).sync(MemoryStore(1))
    assert raised.value.kind is SyncErrorKind.AUTH and calls == []


def test_a_refused_batch_drops_every_stored_batch_and_keeps_their_changes_queued() -> None:
    pushes: list[str] = []
    pulls: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path != "/v1/push":  # a refused push still lets the pull run
            pulls.append(request.url.path)
            return httpx.Response(200, json={"events": [], "next_after": 0, "latest_seq": 0, "more": False})
        body = json.loads(request.content)
        pushes.append(body["batch_id"])
        if len(pushes) == 2:
            return httpx.Response(422, json={"code": "invalid_change", "reason": "onbekende vraag"})
        return httpx.Response(200, json={"batch_id": body["batch_id"], "latest_seq": 0, "at": "",
                                         "seqs": [1] * len(body["changes"]), "results": []})

    http = httpx.Client(transport=httpx.MockTransport(handle), base_url="http://server")
    store = MemoryStore(10)
    with pytest.raises(SyncError) as raised:
        SyncClient("http://server", "token", http=http, batch_size=3).sync(store)
    assert raised.value.kind is SyncErrorKind.REJECTED
    assert store.completed == pushes[:1]  # the first batch went through
    assert len(store.pending) == 7 and store.stored == []  # the rest waits, to be batched anew
    assert pulls == ["/v1/pull"]
