"""benchmarks/RESULTS.md: the latest table, with its date and machine, rewritten by every run.

The file carries its own data in a comment at the end, so a run of one benchmark replaces that
benchmark's rows and keeps the others' (each with the date and machine it was measured on).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks._common import Outcome, Row, format_table

PATH = Path(__file__).resolve().parent / "RESULTS.md"
_DATA = re.compile(r"<!-- benchmark data: (.*?) -->", re.DOTALL)

_INTRO = """\
# Benchmark results

Written by `QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks` (or `-m benchmarks startup` etc.,
which replaces only that benchmark's rows). Do not edit by hand: the next run rewrites this file.
Every figure stands next to a floor measured in the same run on the same machine; the goals come
from the foundation issue. Timings are never asserted in tests.

Floors: start-up — a separate process showing an empty QWidget of the same size (same paint
detection); save answer — a raw sqlcipher3 connection to the same vault file, same key and pragmas,
doing one `UPDATE answers …; COMMIT`; unlock — Argon2id alone through argon2-cffi with the same costs,
and a raw open that reads all case rows in list order. The notes under each section say where the
time goes; the module docstrings in `benchmarks/` say exactly what is measured.
"""


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    match = _DATA.search(path.read_text(encoding="utf-8"))
    if match is None:
        return {}
    try:
        data: dict[str, Any] = json.loads(match.group(1))
    except ValueError:
        return {}
    return data


def update(
    outcomes: Mapping[str, Outcome], *, date: str, machine: str, revision: str, load: str, order: Sequence[str],
    path: Path = PATH,
) -> Path:
    data = _load(path)
    for name, outcome in outcomes.items():
        data[name] = {
            "date": date, "machine": machine, "revision": revision, "load": load,
            "rows": [dataclasses.asdict(row) for row in outcome.rows], "notes": outcome.notes,
        }
    names = [n for n in order if n in data] + [n for n in data if n not in order]
    rows = [Row(**row) for name in names for row in data[name]["rows"]]
    dates = sorted({data[name]["date"] for name in names})
    machines = sorted({data[name]["machine"] for name in names})
    parts = [
        _INTRO,
        f"## Latest table ({', '.join(dates)})\n",
        f"Machine: {'; '.join(machines)}.\n",
        format_table(rows),
        "",
    ]
    for name in names:
        entry = data[name]
        parts += [
            f"## {name} — {entry['date']}\n",
            f"Machine: {entry['machine']}.  \nCode: {entry.get('revision', '?')}; 1-minute load average "
            f"{entry['load']} (before → after; other work on the machine slows every figure).\n",
            "```",
            *entry["notes"],
            "```",
            "",
        ]
    # "--" may not appear inside an HTML comment; "\u002d" is the same character to JSON.
    blob = json.dumps(data, ensure_ascii=False).replace("--", "-\\u002d")
    parts.append(f"<!-- benchmark data: {blob} -->")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path
