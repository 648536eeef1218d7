"""Benchmark 1: whole-process time from launch to the first painted lock screen.

App: ``python -m benchmarks._paint_probe app FOLDER``, which runs the real ``intake_app.app.main``
(argument parsing, logging, QApplication, style, main window, controller, preload) against an
existing vault folder. Floor: a separate process that creates QApplication and one empty QWidget of
the main window's size, shows it and reports its first paint. Both detect the paint the same way
(see :mod:`benchmarks._paint_probe`); the time runs from just before the parent spawns the child
(``time.monotonic``) to the child's CLOCK_MONOTONIC stamp after its first repaint (Linux: one
system-wide clock). App, floor and a diagnostic variant (the app with its background preload held
until after the paint) alternate run by run so that machine noise hits all; medians are compared.
Goal: app ≤ 1.5 × floor. Untimed diagnostic runs add ``-X importtime`` and a count of the Qt enum
classes PySide6 builds before the paint, to show where the difference goes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks._common import PYTHON, ROOT, WORK_ROOT, Outcome, Row, median, ms, percentile

GOAL_RATIO = 1.5
RUNS = 21
WARMUP = 2  # also writes the .pyc files of a fresh checkout
OFFICER = "Startup Bench"
PASSPHRASE = "correct horse battery staple 42"
# Imports that belong to the unlock, not to the lock screen; seen before the first paint they were
# loaded by the preload thread while the GUI thread was still building and painting.
STORAGE_STACK = ("sqlalchemy", "sqlcipher3", "alembic", "argon2", "cryptography", "zxcvbn", "intake_app.storage")


def _vault_folder() -> Path:
    """A small vault; the lock screen only checks that the files exist."""
    from intake_app.storage.keys import KdfParams
    from intake_app.storage.vault import Vault, vault_exists

    folder = WORK_ROOT / "startup-vault"
    if not vault_exists(folder):
        shutil.rmtree(folder, ignore_errors=True)
        Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS).close(make_backup=False)
    return folder


def _child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("INTAKE_APP_HOME", None)  # the real path: platformdirs finds the app folder ...
    env["XDG_DATA_HOME"] = str(home / "data")  # ... which is a throwaway one here (logs go there)
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    env["XDG_RUNTIME_DIR"] = str(home / "runtime")
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    return env


def _spawn(argv: Sequence[str], env: dict[str, str], extra: Sequence[str] = ()) -> tuple[float, float, str, str]:
    """(seconds to paint start, seconds to painted, stdout, stderr) measured from just before the spawn."""
    start = time.monotonic()  # CLOCK_MONOTONIC, the child's clock too
    result = subprocess.run(
        [PYTHON, *extra, "-m", "benchmarks._paint_probe", *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"paint probe {argv[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
    times = dict(line.split() for line in result.stdout.splitlines() if line.startswith("paint"))
    return float(times["paint_start"]) - start, float(times["painted"]) - start, result.stdout, result.stderr


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def _imports(stderr: str) -> list[tuple[str, int, int]]:
    """-X importtime lines as (name, self µs, depth), in the order imports finished."""
    return [
        (m.group(4), int(m.group(1)), len(m.group(3)) // 2) for m in _IMPORT_LINE.finditer(stderr)
    ]


def _import_notes(gui_stderr: str, floor_stderr: str, app_stderr: str) -> list[str]:
    """What the GUI thread imports beyond the floor, grouped under the import that pulled it in.

    Taken from the no-preload variant: with the preload thread running, importtime's nesting depth
    (one counter for all threads) mixes both threads' imports.
    """
    floor = {name for name, _self, _depth in _imports(floor_stderr)}
    groups: list[tuple[int, str, int]] = []  # (extra self µs, top-level import, extra modules)
    pending_us, pending_n = 0, 0
    extra_total = 0
    for name, self_us, depth in _imports(gui_stderr):
        if name not in floor:
            pending_us += self_us
            pending_n += 1
            extra_total += self_us
        if depth == 0:  # children are printed before their parent
            if pending_n:
                groups.append((pending_us, name, pending_n))
            pending_us, pending_n = 0, 0
    groups.sort(reverse=True)
    notes = [
        f"GUI-thread imports before the first paint beyond the floor's: {extra_total / 1000:.0f} ms self time "
        "(-X importtime, one run of the no-preload variant), by the import that pulled them in:"
    ]
    notes += [f"    {us / 1000:7.1f} ms  {name} ({n} new modules)" for us, name, n in groups[:8]]
    storage = [name for name, _self, _depth in _imports(app_stderr) if name.startswith(STORAGE_STACK)]
    if storage:
        notes.append(
            f"  with the preload, {len(storage)} storage-stack modules finished importing before the first paint, "
            "on a thread that competes with the GUI thread for the GIL (e.g. " + ", ".join(storage[:4]) + ")"
        )
    else:
        notes.append("  with the preload, no storage-stack module finished importing before the first paint")
    return notes


def _enum_notes(gui_stdout: str, floor_stdout: str) -> list[str]:
    def sites(stdout: str) -> list[tuple[int, str]]:
        return [(int(n), site) for _, n, site in (line.split(" ", 2) for line in stdout.splitlines()
                                                  if line.startswith("enums "))]

    app, floor = sites(gui_stdout), sites(floor_stdout)
    total = sum(n for n, _ in app)
    notes = [
        f"PySide6 built {total} Qt enum classes (Python Enum, ~0.25 ms each) before the first paint; the floor "
        f"built {sum(n for n, _ in floor)}. Largest causes:"
    ]
    notes += [f"    {n:4d}  {site}" for n, site in app[:4]]
    return notes


def run() -> Outcome:
    folder = _vault_folder()
    home = Path(tempfile.mkdtemp(prefix="startup-home-", dir=WORK_ROOT))
    variants = {
        "app": ("app", str(folder)),
        "app-no-preload": ("app-no-preload", str(folder)),
        "floor": ("floor",),
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    try:
        env = _child_env(home)
        for _ in range(WARMUP):
            for argv in variants.values():
                _spawn(argv, env)
        order = list(variants)
        for i in range(RUNS):
            for name in order if i % 2 == 0 else reversed(order):
                paint_start, painted, _, _ = _spawn(variants[name], env)
                times[name].append((paint_start, painted))
        # Diagnostic runs, not timed: what was imported, and which Qt enums were built, before the paint.
        _, _, _, app_stderr = _spawn(variants["app"], env, ("-X", "importtime"))
        _, _, _, gui_stderr = _spawn(variants["app-no-preload"], env, ("-X", "importtime"))
        _, _, _, floor_stderr = _spawn(variants["floor"], env, ("-X", "importtime"))
        counting = {**env, "INTAKE_BENCH_COUNT_ENUMS": "1"}
        _, _, gui_stdout, _ = _spawn(variants["app-no-preload"], counting)
        _, _, floor_stdout, _ = _spawn(variants["floor"], counting)
    finally:
        shutil.rmtree(home, ignore_errors=True)

    painted = {name: median([t[1] for t in values]) for name, values in times.items()}
    began = {name: median([t[0] for t in values]) for name, values in times.items()}
    ratio = painted["app"] / painted["floor"]
    row = Row(
        "start-up", f"launch → lock screen painted (median of {RUNS})", painted["app"], painted["floor"],
        f"≤ {GOAL_RATIO}× floor", ratio <= GOAL_RATIO, "bare QWidget",
    )

    def spread(name: str) -> str:
        values = [t[1] for t in times[name]]
        return f"min {ms(min(values))}, p90 {ms(percentile(values, 90))}, max {ms(max(values))}"

    labels = {
        "app": "app (python -m benchmarks._paint_probe app: intake_app.app.main)",
        "app-no-preload": "diagnostic: app with the preload held until after the first paint",
        "floor": "floor (QApplication + empty QWidget)",
    }
    notes = [
        f"{labels[name]}: painted {ms(painted[name])} (paint began {ms(began[name])}), "
        f"{painted[name] / painted['floor']:.2f}× floor; {spread(name)}"
        for name in variants
    ]
    notes.append(
        f"the app spends {ms(painted['app'] - painted['floor'])} more than the floor; starting the preload after the "
        f"first paint would save {ms(painted['app'] - painted['app-no-preload'])} of it"
    )
    notes += _import_notes(gui_stderr, floor_stderr, app_stderr)
    notes += _enum_notes(gui_stdout, floor_stdout)
    return Outcome([row], notes)


if __name__ == "__main__":
    outcome = run()
    from benchmarks._common import format_table

    print(format_table(outcome.rows))
    print("\n".join(outcome.notes))
