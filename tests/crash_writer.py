"""Crash-safety harness: a writer process that saves answers until it is SIGKILLed, and its checker.

Run as a script, this is the *writer*::

    INTAKE_PASSPHRASE=... python tests/crash_writer.py <folder> <case_id> --officer NAME [--start N]
        [--close-every K] [--wait-for-go]

It unlocks the vault and saves write 1, 2, 3, ... (``key_for(n)`` / ``value_for(n)``). Only after
``save_answer`` has returned does it print the acknowledgement line ``n`` (one ``write(2)``, no
buffering): an acknowledged write is what the UI would show as saved. Other lines mark its phase:
``ready`` (imports done, waiting for ``go``), ``unlocking``, ``unlocked``, ``closing`` (in
``vault.close()``, which makes a backup), ``closed`` (reopening follows at once). The passphrase comes
from the environment only, never from the command line.

Imported, this module is the *parent* side, shared by ``tests/storage/test_crash_safety.py`` and
``benchmarks/crash_soak.py``: :class:`CrashHarness` runs one writer per round and kills it at a
planned moment, :class:`Ledger` remembers what was acknowledged, :func:`check_vault` reopens the
vault and lists every broken promise (:func:`find_problems` is the pure part of it).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from intake_app.storage import keys
from intake_app.storage.backup import list_backups
from intake_app.storage.database import integrity_problems, open_engine
from intake_app.storage.vault import Vault

PASSPHRASE_ENV = "INTAKE_PASSPHRASE"
WRITER = Path(__file__).resolve()

AnswerKey = tuple[str, str]

# -- what write n saves ------------------------------------------------------------------------

_FILLERS = ("ë", "ب", "ሰ", "ž", "x")  # Dutch, Arabic, Ethiopic, ...: multi-byte UTF-8 in the pages


def key_for(n: int) -> AnswerKey:
    """The answer that write ``n`` saves: mostly plain questions, some repeat-group entries."""
    if n % 50 == 7:
        return ("given_names", "")  # these two also rewrite the case's display name
    if n % 50 == 19:
        return ("family_name", "")
    if n % 4 == 3:
        return (f"werkervaring_{n % 5}", f"e{n % 3}")
    return (f"q{n % 200}", "")


def value_for(n: int) -> Any:
    """The value of write ``n``; every tenth one is long enough to need overflow pages."""
    if n % 13 == 0:
        return ["antwoord", n, _FILLERS[n % 5] * (n % 31)]
    length = 3000 + (n * 7919) % 4000 if n % 10 == 0 else (n * 7919) % 97
    return f"antwoord #{n}: " + _FILLERS[n % 5] * length + f" #{n}"


def write_number(value: Any) -> int | None:
    """Which write a stored value claims to come from (``None``: not one of ours at all)."""
    if isinstance(value, list) and len(value) == 3 and value[0] == "antwoord" and type(value[1]) is int:
        return int(value[1])
    if isinstance(value, str) and value.startswith("antwoord #"):
        digits = value[len("antwoord #"):].split(":", 1)[0]
        if digits.isdigit():
            return int(digits)
    return None


# -- the writer process --------------------------------------------------------------------------


def _say(line: str) -> None:
    # One write(2) on the pipe: the line is out of this process the moment it returns.
    os.write(1, (line + "\n").encode("ascii"))


def writer_main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Save answers in a loop until killed (crash tests).")
    parser.add_argument("folder", type=Path)
    parser.add_argument("case_id")
    parser.add_argument("--officer", required=True)
    parser.add_argument("--start", type=int, default=1, help="number of the first write")
    parser.add_argument("--close-every", type=int, default=0,
                        help="close (with backup) and unlock again after every K writes; 0: never")
    parser.add_argument("--wait-for-go", action="store_true",
                        help="print 'ready', then wait for 'go START CLOSE_EVERY' on stdin")
    parser.add_argument("--max-seconds", type=float, default=60.0,
                        help="give up (exit 3) if nobody killed the writer by then")
    args = parser.parse_args(argv)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if not passphrase:
        print(f"crash_writer: set {PASSPHRASE_ENV}", file=sys.stderr)
        return 2
    start, close_every = args.start, args.close_every
    if args.wait_for_go:
        _say("ready")
        words = sys.stdin.readline().split()
        if not words:
            return 0  # the parent went away before the round started
        if words[0] != "go" or len(words) != 3:
            print(f"crash_writer: expected 'go START CLOSE_EVERY', got {words!r}", file=sys.stderr)
            return 2
        start, close_every = int(words[1]), int(words[2])

    _say("unlocking")
    vault = Vault.unlock(args.folder, args.officer, passphrase)
    _say("unlocked")
    n, since_unlock = start, 0
    deadline = time.monotonic() + args.max_seconds
    while time.monotonic() < deadline:
        vault.save_answer(args.case_id, key_for(n), value_for(n))
        _say(str(n))  # the acknowledgement: strictly after save_answer returned
        n += 1
        since_unlock += 1
        if close_every and since_unlock >= close_every:
            _say("closing")
            vault.close(make_backup=True)
            _say("closed")
            vault = Vault.unlock(args.folder, args.officer, passphrase)
            _say("unlocked")
            since_unlock = 0
    vault.close(make_backup=False)
    print("crash_writer: nobody killed me", file=sys.stderr)
    return 3


# -- what the parent knows -----------------------------------------------------------------------


@dataclass
class Ledger:
    """Every acknowledged write, and the writes that may have committed without an acknowledgement."""

    acked: dict[AnswerKey, int] = field(default_factory=dict)  # newest acknowledged write per answer
    acked_all: set[int] = field(default_factory=set)
    unconfirmed: set[int] = field(default_factory=set)  # in flight when a writer was killed
    next_start: int = 1  # numbers are never reused, so every stored value names exactly one write

    def record_round(self, start: int, acks: Sequence[int]) -> None:
        if list(acks) != list(range(start, start + len(acks))):
            raise ValueError(f"acknowledgements out of order: started at {start}, got {list(acks)[:20]}...")
        for n in acks:
            self.acked[key_for(n)] = n
        self.acked_all.update(acks)
        # The write after the last acknowledgement may have been committed (or not even begun).
        in_flight = start + len(acks)
        self.unconfirmed.add(in_flight)
        self.next_start = in_flight + 1

    def acknowledge(self, n: int) -> None:
        """Record one acknowledged write outside a harness round (for tests of the checker)."""
        self.acked[key_for(n)] = max(n, self.acked.get(key_for(n), n))
        self.acked_all.add(n)
        self.next_start = max(self.next_start, n + 1)


OutboxRow = tuple[str, str, str | None]  # question_id, entry_id, value_json, in seq order


def find_problems(
    ledger: Ledger,
    answers: dict[AnswerKey, Any],
    outbox: Sequence[OutboxRow],
    position: AnswerKey | None,
) -> list[str]:
    """Everything in a reopened vault that breaks the promise made by the acknowledgements.

    ``answers``: the case's answers; ``outbox``: its change rows in order; ``position``: the case's
    (last_question_id, last_entry_id), written in the same transaction as the newest change.
    """
    problems: list[str] = []

    def allowed(key: AnswerKey, n: int | None) -> bool:
        if n is None or key_for(n) != key:
            return False
        newest_acked = ledger.acked.get(key)
        if n == newest_acked:
            return True
        return n in ledger.unconfirmed and (newest_acked is None or n > newest_acked)

    for key, n_acked in sorted(ledger.acked.items()):
        if key not in answers:
            problems.append(f"LOST: acknowledged write {n_acked} of answer {key} is missing")
            continue
        stored = answers[key]
        n = write_number(stored)
        if stored != value_for(n if n is not None else -1):
            problems.append(f"DAMAGED: answer {key} holds an incomplete value {_preview(stored)}")
        elif not allowed(key, n):
            problems.append(f"LOST: answer {key} holds write {n}, but write {n_acked} was acknowledged")
    for key, stored in sorted(answers.items()):
        if key in ledger.acked:
            continue
        n = write_number(stored)
        if stored != value_for(n if n is not None else -1):
            problems.append(f"DAMAGED: unacknowledged answer {key} holds an incomplete value {_preview(stored)}")
        elif not allowed(key, n):
            problems.append(f"UNEXPECTED: answer {key} holds write {n}, which no writer was making")

    queued: list[int] = []
    for seq, (question_id, entry_id, value_json) in enumerate(outbox, start=1):
        value = None if value_json is None else json.loads(value_json)
        n = write_number(value)
        if n is None or value != value_for(n) or key_for(n) != (question_id, entry_id):
            problems.append(f"DAMAGED: outbox row #{seq} ({question_id}, {entry_id}) holds {_preview(value)}")
            continue
        if queued and n <= queued[-1]:
            problems.append(f"ORDER: outbox row #{seq} (write {n}) comes after write {queued[-1]}")
        queued.append(n)
    in_outbox = set(queued)
    missing = sorted(ledger.acked_all - in_outbox)
    if missing:
        problems.append(f"LOST: {len(missing)} acknowledged write(s) have no outbox row: {missing[:10]}")
    strays = sorted(in_outbox - ledger.acked_all - ledger.unconfirmed)
    if strays:
        problems.append(f"UNEXPECTED: outbox rows for writes no writer was making: {strays[:10]}")
    if len(queued) != len(in_outbox):
        problems.append("DUPLICATE: a write is queued in the outbox more than once")
    if queued and position is not None and position != key_for(queued[-1]):
        problems.append(f"TORN: the case's position is {position}, its newest change is to {key_for(queued[-1])}")
    return problems


def _preview(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else f"{shown[:40]}...({len(shown)} chars)"


def check_vault(folder: Path, officer: str, passphrase: str, case_id: str, ledger: Ledger) -> list[str]:
    """Reopen the vault the way the app does and list every problem (empty: all promises kept)."""
    try:
        vault = Vault.unlock(folder, officer, passphrase)
    except Exception as error:  # VaultDamaged and friends: the vault does not even open
        return [f"UNLOCK FAILED: {type(error).__name__}: {error} {getattr(error, 'detail', '')}"]
    try:
        problems = [f"INTEGRITY: {p}" for p in vault.integrity_problems()]
        with vault.engine.connect() as connection:
            full = [str(row[0]) for row in connection.execute(text("PRAGMA integrity_check"))]
            outbox: list[OutboxRow] = [
                (str(q), str(e), v)
                for q, e, v in connection.execute(
                    text("SELECT question_id, entry_id, value_json FROM changes WHERE case_id = :c ORDER BY seq"),
                    {"c": case_id},
                )
            ]
        if full != ["ok"]:
            problems += [f"INTEGRITY_CHECK: {row}" for row in full]
        problems += [f"AUDIT: row {p.seq}: {p.description}" for p in vault.verify_audit()]
        case = vault.case(case_id)
        position = (case.last_question_id, case.last_entry_id) if case.last_question_id else None
        problems += find_problems(ledger, vault.answers(case_id), outbox, position)
    finally:
        vault.close(make_backup=False)
    return problems


def check_newest_backup(folder: Path, officer: str, passphrase: str) -> list[str]:
    """The newest backup opens with the vault's key and passes the integrity checks (or: no backup)."""
    backups = list_backups(folder)
    if not backups:
        return []
    data_key = keys.KeyFile.load(folder / "keys.json").unlock(officer, passphrase)
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "vault.db"
        shutil.copyfile(backups[0], copy)  # opening in place would leave -wal/-shm beside the backups
        try:
            engine = open_engine(copy, data_key)
        except Exception as error:
            return [f"BACKUP {backups[0].name}: does not open: {error}"]
        try:
            return [f"BACKUP {backups[0].name}: {p}" for p in integrity_problems(engine)]
        finally:
            engine.dispose()


# -- running and killing writers ----------------------------------------------------------------

AIMS = ("unlock", "write", "close", "reopen")
# The line after which the delay of a plan starts (None: the first acknowledgement); unlock: 'go'.
_TRIGGERS: dict[str, str | None] = {"write": None, "close": "closing", "reopen": "closed"}


@dataclass(frozen=True)
class KillPlan:
    """When to kill: ``delay`` seconds after the trigger of ``aim``.

    unlock: after 'go' is sent (the writer is unlocking); write: after the first acknowledgement;
    close: after the first 'closing' (in ``vault.close()`` and its backup); reopen: after 'closed'.
    """

    aim: str
    delay: float
    close_every: int = 0

    @classmethod
    def random(cls, rng: random.Random, aim: str) -> KillPlan:
        if aim == "unlock":
            return cls(aim, rng.uniform(0.0, 0.025))
        if aim == "write":
            return cls(aim, rng.uniform(0.005, 0.150))
        if aim in ("close", "reopen"):
            return cls(aim, rng.uniform(0.0, 0.010), close_every=rng.randint(2, 12))
        raise ValueError(aim)


def plan_schedule(rng: random.Random, kills: int) -> list[KillPlan]:
    """A shuffled mix: a tenth aimed at each of unlock, close and reopen (at least 3 each), the rest at writes."""
    special = max(3, kills // 10)
    aims = ["unlock"] * special + ["close"] * special + ["reopen"] * special
    aims += ["write"] * max(0, kills - len(aims))
    rng.shuffle(aims)
    return [KillPlan.random(rng, aim) for aim in aims[:kills]]


@dataclass
class RoundResult:
    plan: KillPlan
    start: int
    acks: list[int]
    phase: str  # where the writer was when it died, from its last line
    lines: list[str]
    writing_seconds: float  # from 'go' to the kill


class WriterDied(RuntimeError):
    """The writer exited by itself (a crash of its own, not our kill)."""


class _Lines:
    """Complete lines from a pipe, with deadlines (a partial last line is never a line)."""

    def __init__(self, stream: Any) -> None:
        self._fd = stream.fileno()
        os.set_blocking(self._fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""
        self.eof = False

    def _fill(self, timeout: float) -> list[str]:
        if self.eof or not self._selector.select(max(0.0, timeout)):
            return []
        chunk = os.read(self._fd, 65536)
        if not chunk:
            self.eof = True
            return []
        self._buffer += chunk
        *complete, self._buffer = self._buffer.split(b"\n")
        return [line.decode("ascii", "replace") for line in complete]

    def until(self, wanted: str | None, deadline: float, seen: list[str]) -> bool:
        """Read into ``seen`` until a line equal to ``wanted`` (None: any acknowledgement) or EOF/deadline."""
        while not self.eof:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            fresh = self._fill(remaining)
            seen.extend(fresh)  # all of them: lines after the wanted one are acknowledgements too
            if any(line == wanted or (wanted is None and line.isdigit()) for line in fresh):
                return True
        return False

    def drain(self, seen: list[str], deadline: float) -> None:
        while not self.eof and time.monotonic() < deadline:
            seen.extend(self._fill(deadline - time.monotonic()))

    def close(self) -> None:
        self._selector.close()


def phase_of(lines: Sequence[str]) -> str:
    last = lines[-1] if lines else ""
    if last.isdigit() or last == "unlocked":
        return "write"
    return {"": "start", "ready": "start", "unlocking": "unlock", "closing": "close", "closed": "reopen"}.get(
        last, f"?{last}"
    )


class CrashHarness:
    """Runs writers one round at a time against one vault, keeping the next writers already started.

    A writer's imports take ~0.45 s; started ahead, they wait for 'go' without touching the vault, so
    that time overlaps the previous rounds and the checks. Use as a context manager.
    """

    def __init__(self, folder: Path, case_id: str, officer: str, passphrase: str, *,
                 prespawn: int = 2, stderr_dir: Path | None = None) -> None:
        self.folder, self.case_id, self.officer = folder, case_id, officer
        self._env = dict(os.environ, **{PASSPHRASE_ENV: passphrase})
        self._prespawn = max(1, prespawn)
        self._stderr_dir = stderr_dir or folder.parent
        self._waiting: collections.deque[tuple[subprocess.Popen[bytes], Path]] = collections.deque()
        self._spawned = 0

    def __enter__(self) -> CrashHarness:
        self._top_up()
        return self

    def __exit__(self, *exc: object) -> None:
        while self._waiting:
            process, _ = self._waiting.popleft()
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()

    def _top_up(self) -> None:
        while len(self._waiting) < self._prespawn:
            self._spawned += 1
            stderr_path = self._stderr_dir / f"writer-{self._spawned % 8}.stderr"
            with stderr_path.open("wb") as stderr:
                process = subprocess.Popen(
                    [sys.executable, str(WRITER), str(self.folder), self.case_id,
                     "--officer", self.officer, "--wait-for-go"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=self._env,
                )
            self._waiting.append((process, stderr_path))

    def run_round(self, plan: KillPlan, start: int, *, timeout: float = 30.0) -> RoundResult:
        process, stderr_path = self._waiting.popleft()
        assert process.stdin is not None and process.stdout is not None
        lines = _Lines(process.stdout)
        seen: list[str] = []
        try:
            if not lines.until("ready", time.monotonic() + timeout, seen):
                raise self._died(process, stderr_path, seen, "never became ready")
            seen.clear()
            try:
                process.stdin.write(f"go {start} {plan.close_every}\n".encode("ascii"))
                process.stdin.flush()
            except BrokenPipeError:
                raise self._died(process, stderr_path, seen, "went away before 'go'") from None
            went = time.monotonic()
            if plan.aim != "unlock":
                trigger = _TRIGGERS[plan.aim]
                if not lines.until(trigger, went + timeout, seen):
                    raise self._died(process, stderr_path, seen, f"never printed {trigger or 'an acknowledgement'}")
            time.sleep(plan.delay)
            process.send_signal(signal.SIGKILL)
            killed_at = time.monotonic()
            process.wait(timeout=timeout)
            lines.drain(seen, time.monotonic() + timeout)  # acknowledgements still in the pipe count too
        finally:
            lines.close()
            process.stdin.close()
            process.stdout.close()
        if process.returncode != -signal.SIGKILL:
            raise self._died(process, stderr_path, seen, "was not killed by us")
        self._top_up()  # the next writers import while the caller checks the vault
        acks = [int(line) for line in seen if line.isdigit()]
        return RoundResult(plan, start, acks, phase_of(seen), seen, killed_at - went)

    @staticmethod
    def _died(process: subprocess.Popen[bytes], stderr_path: Path, seen: list[str], what: str) -> WriterDied:
        if process.poll() is None:
            process.kill()
            process.wait()
        stderr = stderr_path.read_text("utf-8", "replace")[-3000:]
        return WriterDied(f"writer {what} (exit {process.returncode}); last lines {seen[-5:]}; stderr:\n{stderr}")


@dataclass
class SoakStats:
    kills: int = 0
    acked: int = 0
    writing_seconds: float = 0.0
    phases: collections.Counter[str] = field(default_factory=collections.Counter)
    aims: collections.Counter[str] = field(default_factory=collections.Counter)

    def add(self, result: RoundResult) -> None:
        self.kills += 1
        self.acked += len(result.acks)
        self.writing_seconds += result.writing_seconds
        self.phases[result.phase] += 1
        self.aims[result.plan.aim] += 1

    def summary(self) -> str:
        rate = self.acked / self.writing_seconds if self.writing_seconds else 0.0
        phases = ", ".join(f"{name} {count}" for name, count in sorted(self.phases.items()))
        return (f"{self.kills} kills, {self.acked} acknowledged writes, {rate:.0f} writes/s while writing; "
                f"killed during: {phases}")


def run_rounds(
    harness: CrashHarness, ledger: Ledger, plans: Iterable[KillPlan], passphrase: str, stats: SoakStats,
) -> Iterable[tuple[RoundResult, list[str]]]:
    """Run and check one round per plan; yields each result with its problems (empty: fine)."""
    for plan in plans:
        start = ledger.next_start
        result = harness.run_round(plan, start)
        ledger.record_round(start, result.acks)
        stats.add(result)
        yield result, check_vault(harness.folder, harness.officer, passphrase, harness.case_id, ledger)


if __name__ == "__main__":
    sys.exit(writer_main())
