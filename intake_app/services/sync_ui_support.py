"""What the officer's sync screens need beyond :mod:`sync_service`: a sync that can be stopped at a
safe point, an overview for the status bar, and the conflicts with what the conflict screen shows.

A sync here runs on a worker thread of the UI while the officer goes on typing on the GUI thread.
That is safe for the vault: its engine gives each thread its own SQLite connection (SQLAlchemy's
SingletonThreadPool for pysqlcipher) and the database is in WAL mode, so a read never waits for the
sync and no connection is shared between threads. Each sync step is one short write transaction;
small batches and pages keep them short, so a save typed meanwhile waits milliseconds for SQLite's
write lock (busy_timeout 5 s), not seconds. The UI runs every sync on one long-lived thread, see
``intake_app.ui.sync.runner`` for why.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intake_app.services import sync_service
from intake_app.services.sync_service import (
    ConflictRecord,
    Progress,
    Resolution,
    RetryPolicy,
    SyncError,
    SyncErrorKind,
    SyncReport,
)
from intake_app.sync.client import MSG_NOT_ENROLLED, SyncClient

__all__ = [
    "ConflictRecord",
    "ConflictView",
    "Progress",
    "Resolution",
    "SyncCancelled",
    "SyncError",
    "SyncErrorKind",
    "SyncOutcome",
    "SyncOverview",
    "SyncSettings",
    "conflicts",
    "enrol",
    "open_conflict_count",
    "overview",
    "resolve",
    "sync_and_refresh",
]

# Steps of one write transaction each; an officer's save waits for the step under way (the vault
# lets saves go before the next step), so a step stays short: tens of milliseconds.
PUSH_BATCH = 2000
PULL_PAGE = 500


class SyncCancelled(Exception):
    """The sync was asked to stop (the vault is locking); it stopped between two safe steps."""


@dataclass(frozen=True)
class SyncSettings:
    """How patient a sync from the UI is. Tests make it impatient."""

    attempts: int = 4
    first_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 20.0
    push_batch: int = PUSH_BATCH
    pull_page: int = PULL_PAGE


@dataclass(frozen=True)
class SyncOverview:
    enrolled: bool
    server_url: str
    waiting: int  # changes not yet on the server
    to_resolve: int  # open conflicts nobody chose a value for yet
    resolving: int  # resolved here, waiting for the next sync
    last_sync: datetime | None  # local time; None: never


def _parse_time(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone() if moment.tzinfo is not None else moment


def overview(session: Any) -> SyncOverview:
    status = sync_service.status(session)
    open_conflicts = sync_service.list_conflicts(session) if status.conflicts else []
    resolving = sum(1 for conflict in open_conflicts if conflict.resolving)
    return SyncOverview(
        enrolled=status.enrolled, server_url=status.server_url, waiting=status.waiting,
        to_resolve=len(open_conflicts) - resolving, resolving=resolving, last_sync=_parse_time(status.last_sync),
    )


def _client(server_url: str, settings: SyncSettings, stop: threading.Event | None) -> SyncClient:
    def sleep(seconds: float) -> None:
        # Between two attempts: a lock need not wait for the whole back-off.
        if stop is None:
            time.sleep(seconds)
        elif stop.wait(seconds):
            raise SyncCancelled()

    retry = RetryPolicy(attempts=max(1, settings.attempts), first_delay=settings.first_delay,
                        max_delay=settings.max_delay, sleep=sleep)
    return SyncClient(server_url, retry=retry, timeout=settings.timeout, batch_size=settings.push_batch,
                      pull_limit=settings.pull_page)


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync did, and what the screens show afterwards (read on the worker thread too)."""

    report: SyncReport | None  # None: it failed, see ``error``
    error: SyncError | None
    overview: SyncOverview
    rows: list[Any]  # case_service.CaseRow, the case list after the sync


def sync_and_refresh(
    session: Any, progress: Callable[[Progress], None], stop: threading.Event,
    settings: SyncSettings | None = None,
) -> SyncOutcome:
    """Push, pull, then derive again what the pulled answers changed in the case list.

    Runs on a worker thread. A SyncError is part of the outcome (nothing is lost; what was pulled
    before it stays and is shown). Raises SyncCancelled when ``stop`` was set: it is checked after
    every step, each of which leaves the vault consistent.
    """
    settings = settings or SyncSettings()

    def notify(step: Progress) -> None:
        progress(step)
        # Between two steps (each leaves the vault consistent): stop here when asked to. A save the
        # officer makes meanwhile goes before the next step (the vault's turn lock).
        if stop.is_set():
            raise SyncCancelled()

    report: SyncReport | None = None
    error: SyncError | None = None
    server_url = sync_service.status(session).server_url
    if not server_url:
        error = SyncError(SyncErrorKind.AUTH, MSG_NOT_ENROLLED)
    else:
        client = _client(server_url, settings, stop)
        try:
            report = sync_service.sync(session, progress=notify, client=client)
        except SyncError as failed:
            error = failed
        finally:
            client.close()
    if stop.is_set():
        raise SyncCancelled()
    session.cases.refresh_stale()
    return SyncOutcome(report, error, overview(session), session.cases.rows())


def enrol(session: Any, server_url: str, code: str, settings: SyncSettings | None = None) -> str:
    """Couple this laptop with a one-time code; returns the officer's name as the server knows it."""
    settings = settings or SyncSettings(attempts=2)
    client = _client(server_url, settings, None)
    try:
        return sync_service.enrol(session, server_url, code, client=client)
    finally:
        client.close()


@dataclass(frozen=True)
class ConflictView:
    """One open conflict with what the screen needs to name it."""

    record: ConflictRecord
    case_name: str  # "" when the case has no name yet
    answers: dict[tuple[str, str], Any]  # the case's answers now (repeat entry numbers, labels)


def conflicts(session: Any, case_id: str | None = None) -> list[ConflictView]:
    records = sync_service.list_conflicts(session, case_id)
    names: dict[str, str] = {}
    answers: dict[str, dict[tuple[str, str], Any]] = {}
    for record in records:
        if record.case_id not in names:
            try:
                names[record.case_id] = session.case(record.case_id).display_name
            except Exception:  # a case deleted here after the conflict arrived
                names[record.case_id] = ""
            answers[record.case_id] = dict(session.answers(record.case_id))
    return [ConflictView(record, names[record.case_id], answers[record.case_id]) for record in records]


def open_conflict_count(session: Any, case_id: str) -> int:
    """Conflicts of one case still waiting for a choice (resolved ones wait only for the next sync)."""
    return sync_service.conflicts_to_decide(session, case_id).get(case_id, 0)


def resolve(session: Any, conflict_id: int, choice: Resolution, value: Any = None) -> str:
    return sync_service.resolve_conflict(session, conflict_id, choice, value)
