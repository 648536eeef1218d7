"""Crash soak: the test suite's kill loop (``tests/storage/test_crash_safety.py``), for much longer.

A writer subprocess saves answers and acknowledges each after ``save_answer`` returned; it is
SIGKILLed at random moments (unlocking, writing, in ``vault.close()`` with its backup, reopening);
after every kill the vault is reopened and checked (acknowledged answers and outbox rows present and
complete, integrity checks, audit chain). Not run by the test suite.

    python -m benchmarks.crash_soak [--kills 500] [--minutes M] [--seed S] [--fresh-every 100]

Stops at the first problem: prints it with the seed, keeps the vault folder, exits 1 (2: a writer
crashed by itself). A fresh vault every ``--fresh-every`` kills keeps each check quick.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from intake_app.storage.keys import KdfParams  # noqa: E402
from intake_app.storage.vault import Vault  # noqa: E402

from crash_writer import (  # noqa: E402  (tests/ holds the harness shared with the test suite)
    CrashHarness,
    Ledger,
    SoakStats,
    WriterDied,
    check_newest_backup,
    plan_schedule,
    run_rounds,
)

OFFICER = "Soak Officer"
PASSPHRASE = "crash soak passphrase for a throwaway vault"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=500, help="stop after this many kills (default 500)")
    parser.add_argument("--minutes", type=float, default=None, help="or stop after this many minutes")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--fresh-every", type=int, default=100, help="start a new vault every N kills")
    parser.add_argument("--prespawn", type=int, default=2, help="writers started ahead (they import meanwhile)")
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the vault folders even when all is well")
    args = parser.parse_args(argv)

    seed = args.seed if args.seed is not None else time.time_ns() % 1_000_000_007
    rng = random.Random(seed)
    work = args.dir or Path(tempfile.mkdtemp(prefix="crash-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + args.minutes * 60 if args.minutes else float("inf")
    print(f"crash soak: seed {seed}, up to {args.kills} kills"
          + (f" or {args.minutes} min" if args.minutes else "") + f", work folder {work}", flush=True)

    stats = SoakStats()
    began = time.monotonic()
    generation = 0
    failed = 0
    while stats.kills < args.kills and time.monotonic() < deadline and not failed:
        generation += 1
        folder = work / f"vault-{generation}"
        vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
        case_id = vault.create_case()
        vault.close(make_backup=False)
        ledger = Ledger()
        plans = plan_schedule(rng, min(args.fresh_every, args.kills - stats.kills))
        try:
            with CrashHarness(folder, case_id, OFFICER, PASSPHRASE, prespawn=args.prespawn,
                              stderr_dir=work) as harness:
                for result, problems in run_rounds(harness, ledger, plans, PASSPHRASE, stats):
                    if problems:
                        print(f"\nFAILED after kill {stats.kills} (seed {seed}, vault {folder}): {result.plan}, "
                              f"killed during {result.phase}, acknowledged {len(result.acks)} write(s) from "
                              f"{result.start}, last lines {result.lines[-4:]}", flush=True)
                        for problem in problems:
                            print(f"  {problem}")
                        failed = 1
                        break
                    if stats.kills % 50 == 0:
                        print(f"{time.monotonic() - began:7.1f} s  {stats.summary()}", flush=True)
                    if time.monotonic() >= deadline:
                        break
        except WriterDied as error:
            print(f"\nWRITER CRASHED by itself after kill {stats.kills} (seed {seed}, vault {folder}):\n{error}")
            failed = 2
        if not failed:
            backup_problems = check_newest_backup(folder, OFFICER, PASSPHRASE)
            if backup_problems:
                print("\nFAILED: newest backup of", folder, *backup_problems, sep="\n  ")
                failed = 1
            leftovers = sorted(p.name for p in (folder / "backups").glob("*.partial"))
            if leftovers:
                print(f"note: vault {generation} keeps {len(leftovers)} unfinished backup copies: {leftovers}")
            if not args.keep:
                shutil.rmtree(folder)

    elapsed = time.monotonic() - began
    print(f"\n{'FAILED' if failed else 'OK'}: {stats.summary()}; {elapsed:.0f} s wall, seed {seed}")
    print(f"aimed at: {dict(sorted(stats.aims.items()))}")
    if failed:
        print(f"vault folders kept in {work}")
    elif not args.keep and args.dir is None:
        shutil.rmtree(work, ignore_errors=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
