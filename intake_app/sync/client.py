"""The laptop's side of the wire: push the outbox in batches, then pull what changed, with retries.

Independent of the vault: it works on any :class:`LocalStore` (the services layer adapts the vault).
A failure never loses anything: the batch in flight is stored before it is sent and re-sent under
the same batch id; a page of pulled changes is applied together with its cursor.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import httpx
import orjson

from intake_app.i18n import N_
from intake_app.sync import protocol

MSG_NETWORK = N_(
    "De server is niet bereikbaar. Uw wijzigingen blijven bewaard op deze laptop en gaan mee bij de "
    "volgende synchronisatie."
)
MSG_SERVER = N_(
    "De server heeft een storing. Uw wijzigingen blijven bewaard op deze laptop; probeer het later opnieuw."
)
MSG_AUTH = N_(
    "Deze laptop is niet (meer) gekoppeld aan de server. Vraag functioneel beheer om een nieuwe koppelcode."
)
MSG_NOT_ENROLLED = N_("Deze laptop is nog niet gekoppeld aan de server. Gebruik een koppelcode van functioneel beheer.")
MSG_BAD_CODE = N_("Deze koppelcode is onbekend, verlopen of al gebruikt. Vraag functioneel beheer om een nieuwe.")
MSG_REJECTED = N_(
    "De server weigerde de wijzigingen ({reason}). Ze blijven bewaard op deze laptop. "
    "Neem contact op met functioneel beheer."
)
MSG_SERVER_BEHIND = N_(
    "De server kent minder wijzigingen dan deze laptop al heeft opgehaald: hij is waarschijnlijk "
    "teruggezet uit een reservekopie. Er is niets gewijzigd. Neem contact op met functioneel beheer."
)
MSG_TOO_MANY = N_("Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.")


class SyncErrorKind(StrEnum):
    NETWORK = "network"  # could not reach the server (after retries)
    SERVER = "server"  # the server kept failing (5xx)
    AUTH = "auth"  # wrong or revoked token, bad enrolment code
    REJECTED = "rejected"  # the server refused the data (4xx): needs a person
    WAIT = "wait"  # too many failed attempts: wait


class SyncError(Exception):
    """``message`` is a Dutch msgid for the officer (translate, then format with ``params``)."""

    def __init__(self, kind: SyncErrorKind, message: str, *, detail: str = "", status: int = 0, **params: Any) -> None:
        super().__init__(f"{kind.value}: {detail}" if detail else kind.value)
        self.kind, self.message, self.detail, self.status, self.params = kind, message, detail, status, params


class Phase(StrEnum):
    PUSH = "push"
    PULL = "pull"


@dataclass(frozen=True)
class Progress:
    phase: Phase
    done: int
    total: int


@dataclass(frozen=True)
class SyncReport:
    pushed: int
    pulled: int
    conflicts: int
    seconds: float


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff on network and server errors: ``first_delay`` doubling up to ``max_delay``, with jitter."""

    attempts: int = 5
    first_delay: float = 0.5
    max_delay: float = 10.0
    sleep: Callable[[float], None] = time.sleep

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        base = min(self.max_delay, self.first_delay * 2 ** attempt)
        if retry_after is not None:
            base = min(self.max_delay, max(base, retry_after))
        return float(base * random.uniform(0.8, 1.2))


class OutgoingBatch(Protocol):
    @property
    def batch_id(self) -> str: ...

    @property
    def body(self) -> bytes: ...  # the JSON body of POST /v1/push, as stored

    @property
    def size(self) -> int: ...  # changes in it

    @property
    def answer_keys(self) -> frozenset[str] | None: ...  # the answers it changes; None: unknown


class LocalStore(Protocol):
    def pending_count(self) -> int: ...

    def next_batch(self, max_changes: int, *, after: str | None = None) -> OutgoingBatch | None:
        """The stored batch after batch ``after`` (the oldest when None), else a new one; None: done."""

    def complete_batch(self, batch_id: str, response: Mapping[str, Any]) -> int: ...

    def drop_batches(self) -> None: ...

    def pull_cursor(self) -> int: ...

    def rereading(self) -> bool:
        """Pull everything again, this laptop's own changes too (after a restore from a backup)."""

    def reread_done(self) -> None: ...

    def apply_pulled(self, events: Sequence[Mapping[str, Any]], next_after: int) -> None: ...


ProgressCallback = Callable[[Progress], None]


@dataclass
class SyncClient:
    server_url: str
    token: str = ""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 30.0
    http: httpx.Client | None = None  # e.g. a test client bound to an in-process app
    batch_size: int = protocol.MAX_BATCH_CHANGES
    pull_limit: int = protocol.DEFAULT_PULL_LIMIT

    def __post_init__(self) -> None:
        self._own_http = self.http is None
        if self.http is None:
            self.http = httpx.Client(base_url=self.server_url, timeout=self.timeout,
                                     verify=_tls_context(os.environ.get("SSL_CERT_FILE"),
                                                         os.environ.get("SSL_CERT_DIR")))

    def close(self) -> None:
        if self._own_http and self.http is not None:
            self.http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, json: Any = None, content: bytes | None = None,
                 params: Any = None, authorised: bool = True) -> Any:
        assert self.http is not None
        headers = {"Authorization": f"Bearer {self.token}"} if authorised else {}
        if content is not None:
            headers["Content-Type"] = "application/json"
        last: SyncError | None = None
        for attempt in range(self.retry.attempts):
            retry_after: float | None = None
            try:
                response = self.http.request(method, path, json=json, content=content, params=params,
                                             headers=headers)
            except httpx.TransportError as error:
                last = SyncError(SyncErrorKind.NETWORK, MSG_NETWORK, detail=type(error).__name__)
            else:
                if response.status_code < 400:
                    try:
                        return orjson.loads(response.content)
                    except ValueError:  # a body cut short that still looked complete
                        last = SyncError(SyncErrorKind.NETWORK, MSG_NETWORK, detail="unreadable response")
                elif response.status_code >= 500 or response.status_code in (408, 425):
                    last = SyncError(SyncErrorKind.SERVER, MSG_SERVER, detail=str(response.status_code))
                else:
                    raise _client_error(response)
            if attempt + 1 < self.retry.attempts:
                self.retry.sleep(self.retry.delay(attempt, retry_after))
        assert last is not None
        raise last

    def enrol(self, code: str, device_name: str) -> dict[str, Any]:
        """Exchange a one-time code for this laptop's token: ``{"token", "device", "officer", "municipality"}``."""
        try:
            result: dict[str, Any] = self._request(
                "POST", f"{protocol.API_PREFIX}/enrol", json={"code": code, "device_name": device_name},
                authorised=False,
            )
        except SyncError as error:
            if error.kind is SyncErrorKind.AUTH:
                raise SyncError(SyncErrorKind.AUTH, MSG_BAD_CODE, detail=error.detail) from None
            raise
        self.token = result["token"]
        return result

    # -- sync ----------------------------------------------------------------------------------------

    def sync(self, store: LocalStore, progress: ProgressCallback | None = None) -> SyncReport:
        """Push everything waiting, then pull everything new. Raises SyncError; nothing is lost then."""
        if not self.token:
            raise SyncError(SyncErrorKind.AUTH, MSG_NOT_ENROLLED)
        started = time.perf_counter()
        notify = progress or (lambda _progress: None)
        refused: SyncError | None = None
        try:
            pushed, conflicts = self._push(store, notify)
        except SyncError as error:
            if not is_refusal(error):
                raise
            # The server refuses what this laptop sends (say, an answer to a question it does not
            # know yet): that stays queued and is reported, but the colleagues' work still comes in.
            refused, pushed, conflicts = error, 0, 0
        pulled = self._pull(store, notify)
        from intake_app.sync.records_client import sync_records  # plan versions, status, deletions

        try:
            sync_records(self, store)
        except SyncError:
            if refused is None:
                raise
        if refused is not None:
            raise refused  # the first thing to tell the officer
        return SyncReport(pushed, pulled, conflicts, time.perf_counter() - started)

    def _push(self, store: LocalStore, notify: ProgressCallback) -> tuple[int, int]:
        """Send the stored and new batches in order; while a batch travels and the server works on
        it, the next one is built and the previous answer is stored (the laptop and the server work
        at once). The next batch travels at once too when the two share no answer: the server then
        reads and checks it while it stores the first, and in whichever order it applies them the
        outcome is the same. Answers are stored in the order the batches were made."""
        total = store.pending_count()
        done = conflicts = 0
        notify(Progress(Phase.PUSH, 0, total))
        current = store.next_batch(self.batch_size)
        if current is None:
            return 0, 0
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sync-send") as sender:
            travelling = sender.submit(self._send, current)
            while current is not None:
                following = store.next_batch(self.batch_size, after=current.batch_id)
                following_travels = (sender.submit(self._send, following)
                                     if following is not None and _independent(current, following) else None)
                try:
                    response = travelling.result()
                except SyncError as error:
                    if following_travels is not None:
                        _wait_quietly(following_travels)  # its answer is asked again with its batch
                    if error.kind is SyncErrorKind.REJECTED:
                        store.drop_batches()  # the changes stay queued; batches are made anew
                        if error.status == 413 and current.size > 1:
                            self.batch_size = max(1, current.size // 2)  # long texts: smaller batches
                            current = store.next_batch(self.batch_size)
                            if current is not None:
                                travelling = sender.submit(self._send, current)
                            continue
                    raise
                if following is not None and following_travels is None:
                    following_travels = sender.submit(self._send, following)
                conflicts += store.complete_batch(current.batch_id, response)
                done += current.size
                notify(Progress(Phase.PUSH, min(done, max(total, done)), max(total, done)))
                if following_travels is not None:
                    travelling = following_travels
                current = following
        return done, conflicts

    def _send(self, batch: OutgoingBatch) -> Any:
        return self._request("POST", f"{protocol.API_PREFIX}/push", content=batch.body)

    def _pull(self, store: LocalStore, notify: ProgressCallback) -> int:
        after = store.pull_cursor()
        start = after
        pulled = 0
        # The server leaves out this laptop's own changes (it has them), unless it re-reads.
        mine = store.rereading()
        while True:
            params = {"after": after, "limit": self.pull_limit} | ({"mine": "true"} if mine else {})
            page = self._request("GET", f"{protocol.API_PREFIX}/pull", params=params)
            if page["latest_seq"] < after:
                # Numbers this laptop has seen would be given out again: applying anything now
                # could overwrite newer answers here with older ones. Stop and let a person look.
                raise SyncError(SyncErrorKind.REJECTED, MSG_SERVER_BEHIND,
                                detail=f"server at {page['latest_seq']}, laptop at {after}")
            store.apply_pulled(page["events"], page["next_after"])
            pulled += len(page["events"])
            after = page["next_after"]
            notify(Progress(Phase.PULL, after - start, max(page["latest_seq"] - start, after - start)))
            if not page["more"]:
                if mine:
                    store.reread_done()
                return pulled

    def case_ids(self) -> list[str]:
        result = self._request("GET", f"{protocol.API_PREFIX}/cases")
        return list(result["case_ids"])


def is_refusal(error: SyncError) -> bool:
    """A push the server read and refused (not an authentication, a wait or a network problem): the
    rest of a sync can go on (pull), the refused changes stay queued."""
    return error.kind is SyncErrorKind.REJECTED and error.status in (403, 409, 413, 422)


def _independent(first: OutgoingBatch, second: OutgoingBatch) -> bool:
    """Whether two batches may reach the server in either order: they change different answers."""
    first_keys, second_keys = first.answer_keys, second.answer_keys
    return first_keys is not None and second_keys is not None and first_keys.isdisjoint(second_keys)


def _wait_quietly(travelling: Future[Any]) -> None:
    with contextlib.suppress(SyncError):
        travelling.result()


@functools.lru_cache(maxsize=4)
def _tls_context(_cert_file: str | None, _cert_dir: str | None) -> ssl.SSLContext:
    """httpx's default TLS settings (its CA bundle, or $SSL_CERT_FILE / $SSL_CERT_DIR), made once per
    setting: loading the bundle took half of a sync with nothing to do."""
    return httpx.create_ssl_context()


def _client_error(response: httpx.Response) -> SyncError:
    try:
        body = response.json()
        reason = str(body.get("reason", "")) if isinstance(body, dict) else ""
    except ValueError:
        reason = ""
    status = response.status_code
    if status == 401:
        return SyncError(SyncErrorKind.AUTH, MSG_AUTH, detail=reason)
    if status == 429:
        seconds = int(response.headers.get("retry-after", "60") or 60)
        return SyncError(SyncErrorKind.WAIT, MSG_TOO_MANY, detail=reason, seconds=seconds)
    return SyncError(SyncErrorKind.REJECTED, MSG_REJECTED, detail=f"{status} {reason}", status=status,
                     reason=reason or str(status))
