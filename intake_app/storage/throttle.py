"""A growing wait after repeated failed unlocks of a vault, kept across restarts.

State lives in ``unlock_attempts.json`` in the vault folder: the number of failures in a row and the time
of the last one, no names, so the file hints nothing about which accounts exist. The clock is passed in
(seconds since the epoch, wall clock, because the state outlives the process).

This slows down guessing at the login screen only; an attacker who copies ``keys.json`` is slowed down by
Argon2id, not by this file. So a garbled or unwritable file never blocks an unlock: it counts as a fresh
state, and failures are still counted in memory for as long as the app runs.

Typical use by the vault::

    throttle = UnlockThrottle.for_vault(folder)
    throttle.raise_if_waiting(time.time())          # TooManyAttempts
    try:
        data_key = key_file.unlock(name, passphrase)
    except InvalidCredentials:
        throttle.record_failure(time.time())
        raise
    throttle.record_success()
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from intake_app.i18n import NP_
from intake_app.storage.keys import write_file_atomically

log = logging.getLogger(__name__)

ATTEMPTS_FILE_NAME: Final = "unlock_attempts.json"
FREE_FAILURES: Final = 3
FIRST_DELAY: Final = 2.0
MAX_DELAY: Final = 60.0
_FORMAT_VERSION: Final = 1


class TooManyAttempts(Exception):
    """Unlocking must wait. Show ``catalog.ngettext(message, plural_message, seconds)``, formatted."""

    message, plural_message = NP_(
        "Te veel mislukte pogingen. Probeer het over {seconds} seconde opnieuw.",
        "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
    )

    def __init__(self, wait: float) -> None:
        self.wait = wait
        self.seconds = max(1, math.ceil(wait))
        super().__init__(f"unlock throttled for {wait:.1f} s")

    @property
    def params(self) -> dict[str, int]:
        return {"seconds": self.seconds}


def delay_after(failures: int) -> float:
    """The wait after ``failures`` failures in a row: 0, 0, 0, 2, 4, 8, 16, 32, 60, 60, ..."""
    if failures <= FREE_FAILURES:
        return 0.0
    doublings = min(failures - FREE_FAILURES - 1, 32)  # 2**32 s is far above the cap; avoids huge ints
    return min(MAX_DELAY, math.ldexp(FIRST_DELAY, doublings))


@dataclass(frozen=True)
class _State:
    failures: int = 0
    last_failure: float = 0.0


class UnlockThrottle:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._in_memory = _State()  # floor for when the file cannot be written or was reset

    @classmethod
    def for_vault(cls, vault_folder: Path) -> UnlockThrottle:
        return cls(Path(vault_folder) / ATTEMPTS_FILE_NAME)

    @property
    def failures(self) -> int:
        return self._state().failures

    def required_wait(self, now: float) -> float:
        """Seconds to wait before the next unlock attempt (0.0: go ahead)."""
        state = self._state()
        delay = delay_after(state.failures)
        # A clock set back must not stretch the wait beyond one full delay.
        elapsed = max(0.0, now - state.last_failure)
        return max(0.0, delay - elapsed)

    def raise_if_waiting(self, now: float) -> None:
        wait = self.required_wait(now)
        if wait > 0:
            raise TooManyAttempts(wait)

    def record_failure(self, now: float) -> None:
        state = _State(self._state().failures + 1, now)
        self._in_memory = state
        self._write(state)

    def record_success(self) -> None:
        self._in_memory = _State()
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not reset %s: %s", self.path, exc)

    def _state(self) -> _State:
        on_disk = self._read()
        return on_disk if on_disk.failures >= self._in_memory.failures else self._in_memory

    def _read(self) -> _State:
        try:
            document = json.loads(self.path.read_bytes())
            failures, last = document["failures"], document["last_failure"]
            if (
                isinstance(failures, int)
                and not isinstance(failures, bool)
                and isinstance(last, int | float)
                and not isinstance(last, bool)
                and 0 <= failures < 1_000_000
                and math.isfinite(last)
            ):
                return _State(failures, float(last))
            log.warning("ignoring garbled %s", self.path)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, TypeError, KeyError, RecursionError) as exc:
            log.warning("ignoring unreadable %s: %s", self.path, exc)
        return _State()

    def _write(self, state: _State) -> None:
        document = {
            "version": _FORMAT_VERSION,
            "failures": state.failures,
            "last_failure": state.last_failure,
        }
        try:
            write_file_atomically(self.path, json.dumps(document).encode("utf-8"))
        except OSError as exc:
            log.warning("could not write %s: %s", self.path, exc)
