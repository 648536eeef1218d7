"""``python -m benchmarks [startup] [save_answer] [unlock] [wizard] [--no-write]``

Runs the chosen benchmarks (all by default), prints one table (figure, floor, ratio, goal, met?)
and the notes behind it, and updates ``benchmarks/RESULTS.md``: the benchmarks that ran replace
their earlier rows, the others keep theirs with their own date. Run under QT_QPA_PLATFORM=offscreen.
The 10,000-case vault is built once (about 20 s) and cached under /tmp/intake_app-bench
(INTAKE_BENCH_DIR overrides). ``python -m benchmarks.crash_soak`` is a separate soak test, not run here.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
import traceback
from collections.abc import Callable

from benchmarks import _common, results

BENCHMARKS: dict[str, str] = {
    "startup": "benchmarks.startup",
    "save_answer": "benchmarks.save_answer",
    "unlock": "benchmarks.unlock",
    "wizard": "benchmarks.wizard",
    "pip_pdf": "benchmarks.pip_pdf",
    "sync_push": "benchmarks.sync_push",
    "case_list": "benchmarks.case_list",
}
ALIASES = {"start-up": "startup", "save": "save_answer", "save-answer": "save_answer"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    parser.add_argument("names", nargs="*", metavar="BENCHMARK", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--no-write", action="store_true", help="do not update benchmarks/RESULTS.md")
    args = parser.parse_args(argv)
    names = [ALIASES.get(n, n) for n in args.names] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _common.WORK_ROOT.mkdir(parents=True, exist_ok=True)

    import importlib

    machine = _common.machine()
    revision = _common.revision()
    print(f"machine: {machine}\ncode: {revision}", flush=True)
    outcomes: dict[str, _common.Outcome] = {}
    failed: list[str] = []
    load_before = _common.load()
    started = time.perf_counter()
    for name in names:
        print(f"\n== {name}", flush=True)
        begun = time.perf_counter()
        try:
            run: Callable[[], _common.Outcome] = importlib.import_module(BENCHMARKS[name]).run
            outcome = run()
        except Exception:  # one broken benchmark (e.g. code mid-edit) must not cost the others' figures
            traceback.print_exc()
            print(f"!! {name} failed; its earlier rows in RESULTS.md are kept", flush=True)
            failed.append(name)
            continue
        outcome.notes.append(f"({name} took {time.perf_counter() - begun:.0f} s)")
        print("\n".join(outcome.notes), flush=True)
        outcomes[name] = outcome
    load_after = _common.load()
    total = time.perf_counter() - started
    print(f"\nall done in {total:.0f} s; load average {load_before} before, {load_after} after\n")
    rows = [row for outcome in outcomes.values() for row in outcome.rows]
    print(_common.format_table(rows))
    if not args.no_write:
        path = results.update(
            outcomes, date=datetime.date.today().isoformat(), machine=machine, revision=revision,
            load=f"{load_before} → {load_after}", order=list(BENCHMARKS),
        )
        print(f"\nwritten: {path.relative_to(_common.ROOT)}")
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
        return 1
    return 0  # speed is reported, never asserted: a missed goal is a row that says NO


if __name__ == "__main__":
    sys.exit(main())
