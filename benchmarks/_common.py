"""Shared pieces of the benchmarks: percentiles, result rows, the results table and machine facts."""

from __future__ import annotations

import math
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# Everything the benchmarks build or copy lives here; the 10,000-case vault is cached across runs.
WORK_ROOT = Path(os.environ.get("INTAKE_BENCH_DIR", "/tmp/intake_app-bench"))


def percentile(samples: Sequence[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), p in 0..100."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


@dataclass
class Row:
    """One line of the results table. ``floor`` is None where the goal is an absolute figure."""

    benchmark: str
    figure: str
    value: float  # seconds
    floor: float | None  # seconds, measured in the same run
    goal: str
    met: bool | None  # None: reported for information, no goal
    floor_name: str = ""

    @property
    def ratio(self) -> float | None:
        return None if self.floor is None or self.floor == 0 else self.value / self.floor


@dataclass
class Outcome:
    """What one benchmark hands back: its rows for the table and the lines that explain them."""

    rows: list[Row]
    notes: list[str] = field(default_factory=list)


def format_table(rows: Sequence[Row]) -> str:
    header = ("Benchmark", "Figure", "Value", "Floor", "Ratio", "Goal", "Met?")
    lines = [header]
    for row in rows:
        floor = "—" if row.floor is None else f"{ms(row.floor)} ({row.floor_name})" if row.floor_name else ms(row.floor)
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}×"
        met = "—" if row.met is None else "yes" if row.met else "**NO**"
        lines.append((row.benchmark, row.figure, ms(row.value), floor, ratio, row.goal, met))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [fmt(lines[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [fmt(line) for line in lines[1:]]
    return "\n".join(out)


def machine() -> str:
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        cipher = connection.execute("PRAGMA cipher_version").fetchone()[0]
    finally:
        connection.close()
    from PySide6 import __version__ as pyside_version

    return (
        f"{platform.system()} {platform.release()}, {platform.machine()}, nproc {len(os.sched_getaffinity(0))}, "
        f"Python {platform.python_version()}, SQLCipher {cipher} (SQLite {sqlcipher3.sqlite_version}), "
        f"PySide6 {pyside_version}"
    )


def load() -> str:
    """The 1-minute load average: other work on the machine shows in every figure."""
    return f"{os.getloadavg()[0]:.2f}"


def revision() -> str:
    """The code measured: commit, and whether the working tree had changes (other people's work)."""
    import subprocess

    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line for line in git("status", "--porcelain").splitlines() if not line[3:].startswith("benchmarks/")]
    return f"{commit} + {len(changed)} uncommitted paths" if changed else commit
