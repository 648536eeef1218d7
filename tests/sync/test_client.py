"""The wire client alone: retries with backoff, Dutch messages, progress, nothing lost on failure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import pytest

from intake_app.i18n import Catalog
from intake_app.sync.client import Phase, Progress, RetryPolicy, SyncClient, SyncError, SyncErrorKind


class MemoryStore:
    """A LocalStore in memory: what a vault would keep, to see what the client leaves behind."""

    def __init__(self, changes: int) -> None:
        self.pending = [{"case_id": "a" * 32, "question_id": "given_names", "entry_id": "", "value": f"v{i}",
                         "version": f"{i:015d}-00000-dev", "base_version": None} for i in range(changes)]
        self.in_flight: tuple[str, Mapping[str, Any]] | None = None
        self.completed: list[str] = []
        self.cursor = 0
        self.applied: list[Mapping[str, Any]] = []

    def pending_count(self) -> int:
        return len(self.pending)

    def next_batch(self, max_changes: int) -> tuple[str, Mapping[str, Any]] | None:
        if self.in_flight is None and self.pending:
            batch_id = f"00000000-0000-4000-8000-{len(self.completed):012d}"
            self.in_flight = (batch_id, {"batch_id": batch_id, "changes": self.pending[:max_changes]})
        return self.in_flight

    def complete_batch(self, batch_id: str, response: Mapping[str, Any]) -> int:
        assert self.in_flight is not None and self.in_flight[0] == batch_id
        del self.pending[: len(self.in_flight[1]["changes"])]
        self.completed.append(batch_id)
        self.in_flight = None
        return 0

    def drop_batch(self, batch_id: str) -> None:
        self.in_flight = None

    def pull_cursor(self) -> int:
        return self.cursor

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
            import json

            body = json.loads(request.content)
            return httpx.Response(200, json={"batch_id": body["batch_id"], "latest_seq": 0, "at": "",
                                             "results": [{"version": c["version"], "status": "applied",
                                                          "server_seq": 1} for c in body["changes"]]})
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
    assert len(store.pending) == 5 and store.in_flight is not None  # re-sent as is next time
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
    assert raised.value.kind is kind and len(calls) == 1
    assert words in raised.value.message.format(**raised.value.params)


def test_without_a_token_nothing_is_sent() -> None:
    http, calls = _server()
    with pytest.raises(SyncError) as raised:
        SyncClient("http://server", "", http=http).sync(MemoryStore(1))
    assert raised.value.kind is SyncErrorKind.AUTH and calls == []
