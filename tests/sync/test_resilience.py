"""A real uvicorn server: SIGKILLed in the middle of a push, connections cut at random bytes.

Afterwards nothing is lost and nothing is doubled: every version the laptop made is on the server
exactly once, a second laptop pulls the same answers, and nothing waits in the outbox.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intake_app.forms import QuestionKind, load_intake_form
from intake_app.services import sync_service
from intake_app.storage.keys import KdfParams
from intake_app.storage.vault import Vault
from intake_app.sync.client import RetryPolicy, SyncClient
from intake_app.sync.server import admin
from intake_app.sync.server.db import create_server_engine
from intake_app.sync.server.models import LogEntry
from intake_app.sync.server.store import current_answers

from live_server import CuttingProxy, LiveServer
from support import PASSPHRASE

FORM = load_intake_form()
TEXT_QUESTIONS = [q.id for q in FORM.all_questions()
                  if q.kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT) and FORM.group_of(q.id) is None]
PATIENT = RetryPolicy(attempts=60, first_delay=0.05, max_delay=0.3)


@pytest.fixture
def live(database_url: str) -> Iterator[tuple[LiveServer, int]]:
    engine = create_server_engine(database_url)
    admin.create_municipality(engine, "0363", "Amsterdam")
    officer = admin.create_officer(engine, "0363", "Fatima de Vries")
    engine.dispose()
    server = LiveServer(database_url)
    server.start()
    yield server, officer
    server.stop()


def _laptop(folder: Path, url: str, database_url: str, officer: int) -> Vault:
    vault = Vault.create(folder, "Fatima de Vries", PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    engine = create_server_engine(database_url)
    code = admin.create_enrolment_code(engine, officer)
    engine.dispose()
    sync_service.enrol(vault, url, code)
    return vault


def _fill(vault: Vault, cases: int, answers: int, rng: random.Random) -> list[str]:
    case_ids = []
    for _ in range(cases):
        case_id = vault.create_case()
        vault.apply_changes(case_id, [((q, ""), f"antwoord {rng.randint(0, 10**6)}") for q in TEXT_QUESTIONS[:answers]])
        case_ids.append(case_id)
    return case_ids


def _check_nothing_lost_or_doubled(vault: Vault, other: Vault, database_url: str, case_ids: list[str]) -> None:
    assert vault.pending_changes() == 0
    engine = create_server_engine(database_url)
    with engine.connect() as connection:
        doubled = connection.execute(
            select(LogEntry.version).where(LogEntry.kind == "change").group_by(LogEntry.version)
            .having(func.count() > 1)
        ).all()
        on_server = sum(len(current_answers(connection, case_id)) for case_id in case_ids)
    engine.dispose()
    assert doubled == []
    assert on_server == sum(len(vault.answers(c)) for c in case_ids)
    sync_service.sync(other, retry=PATIENT)
    for case_id in case_ids:
        assert other.answers(case_id) == vault.answers(case_id)
        assert vault.answer_versions(case_id) == other.answer_versions(case_id)


def test_a_server_killed_in_the_middle_of_a_push_loses_and_doubles_nothing(
    live: tuple[LiveServer, int], database_url: str, tmp_path: Path
) -> None:
    server, officer = live
    vault = _laptop(tmp_path / "a", server.url, database_url, officer)
    other = _laptop(tmp_path / "b", server.url, database_url, officer)
    rng = random.Random(7)
    case_ids = _fill(vault, cases=15, answers=30, rng=rng)
    killed = threading.Event()
    restarted = threading.Event()

    def kill_and_restart() -> None:
        threading.Event().wait(rng.uniform(0.0, 0.03))  # somewhere inside the next request
        server.kill()
        killed.set()
        threading.Event().wait(0.3)
        server.start()
        restarted.set()

    def on_progress(progress: sync_service.Progress) -> None:
        if progress.phase is sync_service.Phase.PUSH and progress.done >= 100 and not killed.is_set() \
                and not restarted.is_set() and not getattr(on_progress, "armed", False):
            on_progress.armed = True  # type: ignore[attr-defined]
            threading.Thread(target=kill_and_restart, daemon=True).start()

    client = SyncClient(server.url, retry=PATIENT, batch_size=50)
    try:
        report = sync_service.sync(vault, progress=on_progress, client=client)
    finally:
        client.close()
    assert killed.is_set()
    restarted.wait(30)
    assert report.pushed == 450
    _check_nothing_lost_or_doubled(vault, other, database_url, case_ids)
    vault.close(make_backup=False)
    other.close(make_backup=False)


def test_connections_cut_at_random_bytes_resume_without_loss_or_duplicates(
    live: tuple[LiveServer, int], database_url: str, tmp_path: Path
) -> None:
    server, officer = live
    vault = _laptop(tmp_path / "a", server.url, database_url, officer)
    other = _laptop(tmp_path / "b", server.url, database_url, officer)
    case_ids = _fill(vault, cases=8, answers=30, rng=random.Random(3))
    with CuttingProxy(server.port, seed=11, cut_chance=0.6, max_offset=30_000) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        for _ in range(20):  # each sync may fail after its retries; the next one resumes
            client = SyncClient(url, retry=RetryPolicy(attempts=8, first_delay=0.01, max_delay=0.05),
                                batch_size=40, pull_limit=50)
            try:
                sync_service.sync(vault, url, client=client)
                sync_service.sync(other, url, client=client)
                break
            except sync_service.SyncError:
                continue
            finally:
                client.close()
        else:
            pytest.fail("no sync got through 20 tries")
        assert proxy.cuts > 0
    _check_nothing_lost_or_doubled(vault, other, database_url, case_ids)
    vault.close(make_backup=False)
    other.close(make_backup=False)
