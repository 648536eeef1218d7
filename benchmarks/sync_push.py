"""Benchmark: pushing complete intakes from a laptop vault to the sync server on PostgreSQL.

App: a vault with N complete intakes (~150 answers each, every one waiting in the outbox) runs
``sync_service.sync`` against a real uvicorn server (its own process) on a throwaway PostgreSQL
cluster on loopback (fsync on). The client runs in its own process too, so both peak memories
(VmHWM) are measured cleanly, at N = 100, 400 and 1,000 intakes.
Floor: a raw psycopg ``COPY`` of the same rows (150,000 at N = 1,000) into a table shaped like the
server's log (``LIKE log INCLUDING ALL``: its primary key and its answer-key index too, which the
server needs to find an answer's current value), on the same cluster in the same run, one
transaction. Goal: the push reaches ≥ 50% of the floor's rows/s. At N = 1,000 both are measured in
three rounds (each on a fresh database with a fresh copy of the vault) and their medians compared.
Also: a sync with nothing to do (median of 20) ≤ 50 ms.

``python -m benchmarks.sync_push`` runs it alone; ``run()`` is what ``python -m benchmarks`` calls.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks._common import PYTHON, ROOT, Outcome, Row, median, ms

SIZES = tuple(int(n) for n in os.environ.get("INTAKE_BENCH_SYNC_SIZES", "100,400,1000").split(","))
# The push and its floor are measured this many times at the largest size (medians reported): on a
# shared two-core machine a single floor varied from 1.3 s to 1.9 s between runs.
ROUNDS = int(os.environ.get("INTAKE_BENCH_SYNC_ROUNDS", "3"))
ANSWERS_PER_INTAKE = 150
NOOP_SAMPLES = 20
OFFICER = "Bench Consulent"
PASSPHRASE = "bench wachtwoord voor de sync"
GOAL_SHARE = 0.5
NOOP_GOAL = 0.050

sys.path.insert(0, str(ROOT / "tests" / "sync"))  # the tests' throwaway-cluster helper


def _answer_plan() -> list[tuple[str, Any]]:
    """150 top-level questions with a value of the right type for each."""
    from intake_app.forms import QuestionKind, load_intake_form

    form = load_intake_form()
    values: dict[QuestionKind, Any] = {
        QuestionKind.TEXT: "tekst", QuestionKind.LONG_TEXT: "een langere toelichting van de consulent " * 3,
        QuestionKind.INTEGER: 3, QuestionKind.DECIMAL: 1.5, QuestionKind.DATE: "1990-05-17",
        QuestionKind.YES_NO_UNKNOWN: "yes",
    }
    plan: list[tuple[str, Any]] = []
    for question in form.all_questions():
        if form.group_of(question.id) is not None:
            continue
        if question.kind in values:
            plan.append((question.id, values[question.kind]))
        elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and question.options:
            first = question.options[0].value
            plan.append((question.id, first if question.kind is QuestionKind.SINGLE_CHOICE else [first]))
        elif question.kind is QuestionKind.SCALE:
            plan.append((question.id, int(question.rules.minimum or 0)))
    if len(plan) < ANSWERS_PER_INTAKE:
        raise RuntimeError(f"only {len(plan)} answerable questions")
    return plan[:ANSWERS_PER_INTAKE]


def _build_vault(folder: Path, intakes: int) -> int:
    """A vault whose outbox holds every answer of ``intakes`` complete intakes (bulk-inserted)."""
    from sqlalchemy import insert

    from intake_app.storage.keys import KdfParams
    from intake_app.storage.models import Answer, Case, Change
    from intake_app.storage.vault import Vault

    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    plan = [(q, json.dumps(v, ensure_ascii=False, separators=(",", ":"))) for q, v in _answer_plan()]
    millis = time.time_ns() // 1_000_000
    now = "2026-11-23T10:00:00.000000+00:00"
    counter = 0
    with vault.engine.begin() as connection:
        for number in range(intakes):
            case_id = f"{number + 1:032x}"
            connection.execute(insert(Case).values(
                id=case_id, created_at=now, updated_at=now, status="intake_bezig", client_language="nl",
                display_name="", bsn="", v_number="", target_group="", next_deadline=None, last_question_id="",
                last_entry_id="", is_demo=0))
            answers, changes = [], []
            for question_id, value_json in plan:
                counter += 1
                version = f"{millis + counter // 90_000:015d}-{counter % 90_000:05d}-{vault.device_id}"
                answers.append({"case_id": case_id, "question_id": question_id, "entry_id": "",
                                "value_json": value_json, "version": version, "updated_by": OFFICER,
                                "updated_at": now})
                changes.append({"case_id": case_id, "question_id": question_id, "entry_id": "",
                                "value_json": value_json, "version": version, "base_version": None, "pushed": 0})
            connection.execute(insert(Answer), answers)
            connection.execute(insert(Change), changes)
    vault.close(make_backup=False)
    return counter


def _peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _cpu_seconds(pid: int, *, with_children: bool = False) -> float:
    """User + system CPU of a process (and of its live and reaped children)."""
    ticks = os.sysconf("SC_CLK_TCK")

    def own(stat_pid: int, reaped: bool) -> float:
        fields = Path(f"/proc/{stat_pid}/stat").read_text().rsplit(")", 1)[1].split()
        used = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
        return used / ticks

    total = own(pid, with_children)
    if with_children:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == pid:
                        total += own(int(entry.name), False)
                except (OSError, ValueError):
                    continue  # gone meanwhile
    return total


def _postmaster_pid(cluster: Any) -> int:
    return int((cluster.folder / "data" / "postmaster.pid").read_text().split()[0])


def _client(folder: str, url: str) -> None:
    """Runs in its own process: sync once, print timings and peak memory as JSON."""
    from intake_app.services import sync_service
    from intake_app.storage.vault import Vault

    vault = Vault.unlock(Path(folder), OFFICER, PASSPHRASE)
    started = time.perf_counter()
    cpu_started = time.process_time()
    marks: dict[str, float] = {}

    def on_progress(progress: sync_service.Progress) -> None:
        if progress.phase is sync_service.Phase.PULL and "push" not in marks:
            marks["push"] = time.perf_counter() - started
            marks["push_cpu"] = time.process_time() - cpu_started

    profile = None
    if os.environ.get("INTAKE_BENCH_PROFILE"):
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    report = sync_service.sync(vault, url, progress=on_progress)
    if profile is not None:
        import pstats

        profile.disable()
        pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    total = time.perf_counter() - started
    noop = []
    for _ in range(NOOP_SAMPLES):
        begun = time.perf_counter()
        sync_service.sync(vault)
        noop.append(time.perf_counter() - begun)
    vault.close(make_backup=False)
    print(json.dumps({"push": marks["push"], "push_cpu": marks["push_cpu"], "total": total, "pushed": report.pushed,
                      "noop": noop,
                      # VmHWM, not ru_maxrss: Linux carries the parent's peak into ru_maxrss across exec,
                      # so under `python -m benchmarks` it showed the runner's memory, not the client's.
                      "peak_kb": _peak_kb(os.getpid())}))


def _enrol(database_url: str, url: str, folder: Path) -> None:
    from intake_app.services import sync_service
    from intake_app.storage.vault import Vault
    from intake_app.sync.server import admin
    from intake_app.sync.server.db import create_server_engine

    engine = create_server_engine(database_url)
    admin.create_municipality(engine, "0363", "Amsterdam")
    officer = admin.create_officer(engine, "0363", OFFICER)
    code = admin.create_enrolment_code(engine, officer)
    engine.dispose()
    vault = Vault.unlock(folder, OFFICER, PASSPHRASE)
    sync_service.enrol(vault, url, code)
    vault.close(make_backup=False)


def _serve(database_url: str, port: int) -> subprocess.Popen[bytes]:
    import httpx

    process = subprocess.Popen(
        [PYTHON, "-m", "intake_app.sync.server.cli", "serve", "--db", database_url, "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


def _copy_floor(cluster: Any, database: str, rows: int) -> float:
    """Seconds for psycopg COPY of ``rows`` log-shaped rows (the same values the push sends)."""
    import psycopg

    plan = [(q, json.dumps(v, separators=(",", ":"))) for q, v in _answer_plan()]
    with psycopg.connect(cluster.dsn(database)) as connection:
        connection.execute("CREATE TABLE copy_floor (LIKE log INCLUDING ALL)")
        connection.commit()
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(
            "COPY copy_floor (municipality_id, seq, kind, case_id, question_id, entry_id, value_json, version,"
            " base_version, device_id, officer, at) FROM STDIN"
        ) as copy:
            for seq in range(1, rows + 1):
                question_id, value_json = plan[(seq - 1) % len(plan)]
                copy.write_row((1, seq, "change", f"{(seq - 1) // len(plan) + 1:032x}", question_id, "", value_json,
                                f"{seq:015d}-00000-bench", None, 1, OFFICER, "2026-11-23T10:00:00+00:00"))
        connection.commit()
        return time.perf_counter() - started


def _fresh_pull(database_url: str, url: str, folder: Path) -> dict[str, Any]:
    """A second officer's new laptop enrols and pulls the whole municipality (its own process)."""
    from intake_app.sync.server import admin
    from intake_app.sync.server.db import create_server_engine

    engine = create_server_engine(database_url)
    code = admin.create_enrolment_code(engine, admin.create_officer(engine, "0363", "Tweede Consulent"))
    engine.dispose()
    result = subprocess.run([PYTHON, "-m", "benchmarks.sync_push", "--fresh", str(folder), url, code],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    figure: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return figure


def _fresh_client(folder: str, url: str, code: str) -> None:
    from intake_app.services import sync_service
    from intake_app.storage.keys import KdfParams
    from intake_app.storage.vault import Vault

    vault = Vault.create(Path(folder), "Tweede Consulent", PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    sync_service.enrol(vault, url, code)
    started = time.perf_counter()
    report = sync_service.sync(vault)
    seconds = time.perf_counter() - started
    cases = len(vault.list_cases())
    vault.close(make_backup=False)
    print(json.dumps({"seconds": seconds, "pulled": report.pulled, "cases": cases, "peak_kb": _peak_kb(os.getpid())}))


def _one_round(cluster: Any, size: int, number: int, built: Path, work: Path, changes: int) -> dict[str, Any]:
    """A fresh server database and a copy of the built vault: push, pull, no-op syncs; then the floor
    in the same database (after the server stopped)."""
    import shutil

    from intake_app.sync.server.db import create_server_engine, upgrade

    from pg_cluster import free_port

    database = f"bench_{size}_{number}"
    cluster.admin(f"CREATE DATABASE {database}")
    url = cluster.url(database)
    engine = create_server_engine(url)
    upgrade(engine)
    engine.dispose()
    folder = work / f"vault-{size}-{number}"
    shutil.copytree(built, folder)
    port = free_port()
    server = _serve(url, port)
    try:
        _enrol(url, f"http://127.0.0.1:{port}", folder)
        cpu_before = (_cpu_seconds(server.pid), _cpu_seconds(_postmaster_pid(cluster), with_children=True))
        result = subprocess.run(
            [PYTHON, "-m", "benchmarks.sync_push", "--client", str(folder), f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )
        if os.environ.get("INTAKE_BENCH_PROFILE"):
            print(result.stderr, file=sys.stderr)
        figure: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
        figure["server_cpu"] = _cpu_seconds(server.pid) - cpu_before[0]
        figure["postgres_cpu"] = _cpu_seconds(_postmaster_pid(cluster), with_children=True) - cpu_before[1]
        figure["server_peak_kb"] = _peak_kb(server.pid)
        figure["changes"] = changes
        if size == SIZES[-1] and number == 0:  # a colleague's new laptop takes in everything (reported)
            figure["fresh_pull"] = _fresh_pull(url, f"http://127.0.0.1:{port}", work / "fresh")
    finally:
        server.terminate()
        server.wait(timeout=30)
    figure["floor"] = _copy_floor(cluster, database, changes)
    shutil.rmtree(folder, ignore_errors=True)
    return figure


def run() -> Outcome:
    from pg_cluster import start_cluster

    cluster = start_cluster(durable=True)
    rows: list[Row] = []
    notes: list[str] = []
    work = Path(tempfile.mkdtemp(prefix="intake-sync-bench-"))
    try:
        figures: dict[int, dict[str, Any]] = {}
        for size in SIZES:
            built = work / f"vault-{size}"
            changes = _build_vault(built, size)
            rounds = [_one_round(cluster, size, number, built, work, changes)
                      for number in range(ROUNDS if size == SIZES[-1] else 1)]
            figure = dict(rounds[0])  # memory, no-op syncs and the fresh pull: the first round
            figure["push"] = median([one["push"] for one in rounds])
            figure["floor"] = median([one["floor"] for one in rounds])
            figures[size] = figure
            if len(rounds) > 1:
                notes.append(f"{size:>5} intakes, {len(rounds)} rounds (push / floor, s): "
                             + ", ".join(f"{one['push']:.2f} / {one['floor']:.2f}" for one in rounds)
                             + "; the table shows the medians")
            notes.append(
                f"{size:>5} intakes, {changes:,} answers: push {figure['push']:.2f} s "
                f"({changes / figure['push']:,.0f} rows/s), whole sync with its pull "
                f"{figure['total']:.2f} s; "
                f"COPY floor {figure['floor']:.2f} s ({changes / figure['floor']:,.0f} rows/s); peak memory client "
                f"{figure['peak_kb'] / 1024:.0f} MiB, server {figure['server_peak_kb'] / 1024:.0f} MiB"
            )
        big = figures[SIZES[-1]]
        share = big["floor"] / big["push"]
        rows.append(Row("sync push", f"push {big['changes']:,} answers ({SIZES[-1]:,} intakes) to PostgreSQL",
                        big["push"], big["floor"], f"≥ {GOAL_SHARE:.0%} of floor rows/s", share >= GOAL_SHARE,
                        "psycopg COPY"))
        noop = median(big["noop"])
        rows.append(Row("sync push", f"sync with nothing to do (median of {NOOP_SAMPLES})", noop, None,
                        f"≤ {ms(NOOP_GOAL)}", noop <= NOOP_GOAL))
        notes.append(f"push reaches {share:.0%} of the COPY floor's rows/s (goal ≥ {GOAL_SHARE:.0%})")
        notes.append(
            f"CPU seconds on the machine's {os.cpu_count()} cores: client {big['push_cpu']:.2f} during the push; "
            f"server {big['server_cpu']:.2f} and PostgreSQL {big['postgres_cpu']:.2f} during the whole client run "
            "(push, pull and the syncs with nothing to do)"
        )
        fresh = big["fresh_pull"]
        rows.append(Row("sync push", f"a new laptop pulls {fresh['pulled']:,} answers ({fresh['cases']:,} cases)",
                        fresh["seconds"], None, "(reported)", None))
        notes.append(f"a colleague's new laptop pulled {fresh['pulled']:,} answers of {fresh['cases']:,} cases in "
                     f"{fresh['seconds']:.1f} s, peak memory {fresh['peak_kb'] / 1024:.0f} MiB")
        notes.append(
            "peak memory as the push grows (client / server, MiB): "
            + ", ".join(f"{size}: {figures[size]['peak_kb'] / 1024:.0f} / {figures[size]['server_peak_kb'] / 1024:.0f}"
                        for size in SIZES)
        )
    finally:
        cluster.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return Outcome(rows, notes)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--client":
        _client(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "--fresh":
        _fresh_client(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        from benchmarks._common import format_table

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        outcome = run()
        print("\n".join(outcome.notes))
        print(format_table(outcome.rows))
