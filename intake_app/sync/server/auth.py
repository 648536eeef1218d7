"""Device tokens and enrolment codes: the server stores only their SHA-256, never the secret.

Tokens and codes are long random strings, so a plain hash is enough (nothing to brute-force); the
throttle slows down whoever keeps presenting wrong ones.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    # Typed by an officer: 16 characters without look-alikes, in groups of four.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: int
    officer: str
    municipality_id: int


@dataclass
class AuthThrottle:
    """Failed attempts per client address; after ``free_failures`` each one doubles the wait.

    While an address must wait, every request from it is answered 429 with Retry-After, before the
    token is even looked at. A success clears the address.
    """

    free_failures: int = 5
    base_seconds: float = 1.0
    max_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, address: str) -> float:
        with self._lock:
            _count, until = self._failures.get(address, (0, 0.0))
            return max(0.0, until - self.clock())

    def failed(self, address: str) -> None:
        with self._lock:
            count, _until = self._failures.get(address, (0, 0.0))
            count += 1
            wait = 0.0
            if count > self.free_failures:
                wait = min(self.max_seconds, self.base_seconds * 2 ** (count - self.free_failures - 1))
            self._failures[address] = (count, self.clock() + wait)
            if len(self._failures) > 100_000:  # a flood of addresses must not grow memory without end
                self._failures.clear()

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
