"""Benchmark 2: saving one answer on the 10,000-case vault, p50/p95/p99.

App: ``Vault.save_answer`` (upsert the answer, outbox row, case row touched, audit row, one commit
with synchronous=FULL). Floor: a raw sqlcipher3 connection to the same database file, with the
same key and connection pragmas (WAL, synchronous=FULL, ...), doing one ``UPDATE answers ...;
COMMIT`` of one row. App and floor alternate sample by sample on the same file, so disk noise and
WAL checkpoints land on both. Goal: app p99 ≤ 5 × floor p99.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import vault10k
from benchmarks._common import WORK_ROOT, Outcome, Row, ms, percentile

GOAL_RATIO_P99 = 5.0
SAMPLES = 2000
WARMUP = 30
NO_SYNC_SAMPLES = 300
SEED = 2


def _fsync_times(folder: Path, count: int = 200) -> list[float]:
    """How long this disk takes to fsync one rewritten 4 KiB page: what a synchronous=FULL commit waits for."""
    import os

    path = folder / "fsync-probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    times = []
    try:
        for i in range(count):
            os.pwrite(fd, os.urandom(4096), (i % 16) * 4096)
            start = time.perf_counter()
            os.fsync(fd)
            times.append(time.perf_counter() - start)
    finally:
        os.close(fd)
        path.unlink()
    return times


def _raw_connection(database: Path, key: bytes) -> Any:
    import sqlcipher3

    from intake_app.storage import database as storage_database

    connection = sqlcipher3.connect(str(database))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for pragma in storage_database._CONNECTION_PRAGMAS:  # the product's own list: same durability
        connection.execute(pragma)
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        raise RuntimeError(f"journal_mode {mode}")
    return connection


def _statements_per_save(vault: Any, save: Any, count: int = 50) -> float:
    """Every statement SQLite runs for a save (BEGIN and COMMIT too), whether it came through SQLAlchemy
    or straight from the driver cursor: counted with SQLite's trace hook, on extra saves after the
    timed ones (the hook costs time)."""
    from sqlalchemy import event

    statements = [0]

    def trace(_sql: str) -> None:
        statements[0] += 1

    def on_checkout(dbapi_connection: Any, *_args: Any) -> None:
        dbapi_connection.set_trace_callback(trace)

    event.listen(vault.engine, "checkout", on_checkout)
    try:
        for _ in range(count):
            save()
    finally:
        event.remove(vault.engine, "checkout", on_checkout)
        with vault.engine.connect() as connection:
            connection.connection.dbapi_connection.set_trace_callback(None)
    return statements[0] / count


def _measure(folder: Path) -> dict[str, Any]:
    from intake_app.storage.keys import KeyFile
    from intake_app.storage.vault import open_with_data_key

    data_key = KeyFile.load(folder / "keys.json").unlock(vault10k.OFFICER, vault10k.PASSPHRASE)
    vault = open_with_data_key(folder, data_key, vault10k.OFFICER)
    raw = _raw_connection(folder / "vault.db", data_key)
    rng = random.Random(SEED)
    try:
        case_ids = [row[0] for row in raw.execute("SELECT id FROM cases")]
        existing = raw.execute(
            "SELECT case_id, question_id FROM answers WHERE entry_id = '' AND rowid % 7 = 0"
        ).fetchall()
        questions = (*vault10k.SCALAR_QUESTIONS, *vault10k.LISTED)
        def app_once() -> float:
            # A random question of a random case: about half are edits of an existing answer, half
            # first answers; names and BSN also update the case row, as in real use.
            case_id, question = rng.choice(case_ids), rng.choice(questions)
            value: object = f"antwoord {rng.randint(0, 10**6)}"
            start = time.perf_counter()
            vault.save_answer(case_id, (question, ""), value)
            return time.perf_counter() - start

        def floor_once() -> float:
            case_id, question = rng.choice(existing)
            value_json, stamp = f'"antwoord {rng.randint(0, 10**6)}"', time.time()
            start = time.perf_counter()
            raw.execute(
                "UPDATE answers SET value_json = ?, updated_at = ? "
                "WHERE case_id = ? AND question_id = ? AND entry_id = ''",
                (value_json, str(stamp), case_id, question),
            )
            raw.commit()
            return time.perf_counter() - start

        for _ in range(WARMUP):
            app_once()
            floor_once()
        app: list[float] = []
        floor: list[float] = []
        for i in range(SAMPLES):
            if i % 2 == 0:
                app.append(app_once())
                floor.append(floor_once())
            else:
                floor.append(floor_once())
                app.append(app_once())
        per_save = _statements_per_save(vault, app_once)

        # Diagnostic, not the figure: both sides again without the fsync per commit
        # (synchronous=NORMAL), which shows the CPU/SQL cost apart from the disk's noise.
        with vault.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        app_no_sync: list[float] = []
        floor_no_sync: list[float] = []
        for _ in range(NO_SYNC_SAMPLES):
            app_no_sync.append(app_once())
            floor_no_sync.append(floor_once())
        with vault.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA synchronous = FULL")
        return {"app": app, "floor": floor, "statements": per_save, "app_no_sync": app_no_sync,
                "floor_no_sync": floor_no_sync, "fsync": _fsync_times(folder)}
    finally:
        raw.close()
        vault.close(make_backup=False)


def run() -> Outcome:
    work = Path(tempfile.mkdtemp(prefix="save-", dir=WORK_ROOT))
    try:
        folder = vault10k.working_copy(work)
        result = _measure(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    app, floor = result["app"], result["floor"]
    p = {q: (percentile(app, q), percentile(floor, q)) for q in (50, 95, 99)}
    ratio99 = p[99][0] / p[99][1]
    rows = [
        Row("save answer", f"Vault.save_answer p99 ({SAMPLES} samples)", p[99][0], p[99][1],
            f"≤ {GOAL_RATIO_P99:g}× floor p99", ratio99 <= GOAL_RATIO_P99, "raw UPDATE;COMMIT"),
        Row("save answer", "Vault.save_answer p50", p[50][0], p[50][1], "(reported)", None, "raw UPDATE;COMMIT"),
    ]
    app_ns, floor_ns, fsync = result["app_no_sync"], result["floor_no_sync"], result["fsync"]
    notes = [
        f"on a copy of the {vault10k.CASES:,}-case vault ({vault10k.VERSION}); app and floor alternate per sample",
        "        " + "  ".join(f"{'p' + str(q):>10}" for q in p),
        "app:    " + "  ".join(f"{ms(a):>10}" for a, _ in p.values()),
        "floor:  " + "  ".join(f"{ms(f):>10}" for _, f in p.values()),
        "ratio:  " + "  ".join(f"{a / f:>9.2f}×" for a, f in p.values()),
        f"app max {ms(max(app))}, floor max {ms(max(floor))}; {result['statements']:.1f} SQL statements per save "
        "(SQLite trace, incl. BEGIN/COMMIT)",
        f"this disk's fsync of one 4 KiB page: p50 {ms(percentile(fsync, 50))}, p99 {ms(percentile(fsync, 99))} "
        "(a laptop SSD typically takes longer, which shrinks every ratio here)",
        f"diagnostic, both without the fsync (synchronous=NORMAL), {NO_SYNC_SAMPLES} each: app p50 "
        f"{ms(percentile(app_ns, 50))} / p99 {ms(percentile(app_ns, 99))}, floor p50 {ms(percentile(floor_ns, 50))} / "
        f"p99 {ms(percentile(floor_ns, 99))}: the CPU and SQL cost of a save, "
        f"{percentile(app_ns, 50) / percentile(floor_ns, 50):.1f}× the floor's at p50",
    ]
    return Outcome(rows, notes)


if __name__ == "__main__":
    from benchmarks._common import format_table

    outcome = run()
    print(format_table(outcome.rows))
    print("\n".join(outcome.notes))
