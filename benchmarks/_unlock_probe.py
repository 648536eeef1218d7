"""Child process of the unlock benchmark: one officer's first unlock in a fresh process.

    python -m benchmarks._unlock_probe FOLDER OFFICER FLOOR_FIRST(0|1)

Like the app, it has the services (and so SQLAlchemy and SQLCipher) imported before the unlock:
the controller preloads them while the officer types. It then times the real
``vault_service.unlock_vault`` with wrappers around its steps, then ``list_cases()``, a second lock
and unlock in the same process (how much of the first was one-time start-up), and the floors. The
passphrase comes from INTAKE_PASSPHRASE. Prints one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_clock = time.perf_counter


def _timed(into: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = _clock()
        try:
            return function(*args, **kwargs)
        finally:
            into[name] = into.get(name, 0.0) + _clock() - start

    return wrapper


def _floor_rest(database: Path, key: bytes) -> float:
    """Least work of "the rest": open with the raw key and the same pragmas, read the case list rows."""
    import sqlcipher3

    from intake_app.storage import database as storage_database

    start = _clock()
    connection = sqlcipher3.connect(str(database))
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    for pragma in storage_database._CONNECTION_PRAGMAS:
        connection.execute(pragma)
    connection.execute("PRAGMA journal_mode = WAL").fetchone()
    rows = connection.execute("SELECT * FROM cases ORDER BY updated_at DESC").fetchall()
    elapsed = _clock() - start
    connection.close()
    if not rows:
        raise RuntimeError("no cases")
    return elapsed


def _floor_kdf(passphrase: str) -> float:
    """Argon2id alone, with the DEFAULT costs, straight through argon2-cffi."""
    from argon2.low_level import Type, hash_secret_raw

    from intake_app.storage.keys import KdfParams

    params = KdfParams.DEFAULT
    start = _clock()
    hash_secret_raw(passphrase.encode(), os.urandom(16), time_cost=params.time_cost,
                    memory_cost=params.memory_cost, parallelism=params.parallelism, hash_len=32, type=Type.ID)
    return _clock() - start


def main(folder: Path, officer: str, floor_first: bool) -> dict[str, Any]:
    passphrase = os.environ["INTAKE_PASSPHRASE"]
    start = _clock()
    from intake_app.services import vault_service  # the app's preload
    from intake_app.storage import keys
    from intake_app.storage import vault as vault_module

    result: dict[str, Any] = {"preload_import": _clock() - start}
    steps: dict[str, float] = {}
    keys.KeyFile.unlock = _timed(steps, "kdf", keys.KeyFile.unlock)  # type: ignore[method-assign]
    vault_module.open_engine = _timed(steps, "open_engine", vault_module.open_engine)
    vault_module.upgrade_to_head = _timed(steps, "schema_check", vault_module.upgrade_to_head)
    vault_module.audit.append = _timed(steps, "audit_row", vault_module.audit.append)
    keys.KeyFile.load = _timed(steps, "keyfile_load", keys.KeyFile.load)  # type: ignore[method-assign]
    vault_module.Vault.__init__ = _timed(steps, "vault_init", vault_module.Vault.__init__)  # type: ignore[method-assign]

    def floors() -> None:
        data_key = keys.KeyFile.load(folder / keys.KEY_FILE_NAME).unlock(officer, passphrase)
        steps.clear()  # that was the floors' own key, not the app's
        result["floor_rest"] = _floor_rest(folder / "vault.db", data_key)
        result["floor_kdf"] = _floor_kdf(passphrase)

    if floor_first:
        floors()
    for attempt in ("first", "second"):
        steps.clear()
        start = _clock()
        session = vault_service.unlock_vault(folder, officer, passphrase)
        unlocked = _clock()
        cases = session.list_cases()
        listed = _clock()
        if len(cases) < 1:
            raise RuntimeError("no cases listed")
        result[attempt] = {
            **steps, "unlock_total": unlocked - start, "list_cases": listed - unlocked,
            "rest": (listed - start) - steps["kdf"], "cases": len(cases),
        }
        session._vault.close(make_backup=False)
    if not floor_first:
        floors()
    return result


if __name__ == "__main__":
    outcome = main(Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1")
    sys.stdout.write(json.dumps(outcome) + "\n")
