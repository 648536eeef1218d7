"""The vault used from several threads at once: the GUI saves while the sync thread works."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from intake_app.storage.vault import Vault


def test_a_save_goes_before_the_next_sync_step_however_busy_the_sync_is(vault: Vault) -> None:
    case_id = vault.create_case()
    events: list[str] = []
    stop = threading.Event()
    started = threading.Event()

    def sync_steps() -> None:  # back-to-back write transactions, as a long pull makes them
        step = 0
        while not stop.is_set():
            with vault.sync_transaction() as connection:
                events.append(f"step {step}")
                started.set()
                connection.execute(text("UPDATE meta SET value = :v WHERE key = 'sync_pull_cursor'"), {"v": step})
                time.sleep(0.02)
            step += 1

    worker = threading.Thread(target=sync_steps)
    worker.start()
    try:
        assert started.wait(10)
        for number in range(5):
            events.append("save asked")
            vault.save_answer(case_id, ("given_names", ""), f"Meron {number}")
            events.append("save done")
    finally:
        stop.set()
        worker.join(10)
    # Between asking and having saved, at most the step under way (and one that began in the same
    # instant) ran: the sync never keeps a save waiting behind step after step.
    for start in (i for i, event in enumerate(events) if event == "save asked"):
        done = events.index("save done", start)
        assert sum(event.startswith("step") for event in events[start:done]) <= 2, events[start:done + 1]
    assert vault.answers(case_id) == {("given_names", ""): "Meron 4"}


def test_threads_beyond_the_pools_size_never_close_each_others_connections(vault: Vault) -> None:
    case_id = vault.create_case()
    errors: list[BaseException] = []
    barrier = threading.Barrier(12)

    def reader() -> None:
        try:
            barrier.wait(10)
            for _ in range(20):
                with vault.engine.connect() as connection:
                    connection.execute(text("SELECT count(*) FROM answers")).scalar_one()
                    time.sleep(0.001)
                    connection.execute(text("SELECT count(*) FROM cases")).scalar_one()
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(12)]
    for thread in threads:
        thread.start()
    for number in range(10):
        vault.save_answer(case_id, ("family_name", ""), f"Tesfay {number}")
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert vault.answers(case_id) == {("family_name", ""): "Tesfay 9"}
