"""A hybrid logical clock: versions that order edits across laptops even when clocks are skewed.

A version is ``"<physical ms, 15 digits>-<counter, 5 digits>-<device id>"`` so that plain string
comparison gives the causal order that the sync merge needs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Version:
    millis: int
    counter: int
    device_id: str

    def __str__(self) -> str:
        return f"{self.millis:015d}-{self.counter:05d}-{self.device_id}"

    @classmethod
    def parse(cls, text: str) -> Version:
        millis, counter, device_id = text.split("-", 2)
        return cls(int(millis), int(counter), device_id)


class HybridLogicalClock:
    def __init__(self, device_id: str, wall_ms: Callable[[], int] | None = None) -> None:
        self.device_id = device_id
        self._wall_ms = wall_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = Version(0, 0, device_id)
        self._lock = threading.Lock()

    def now(self) -> Version:
        """A version later than every version this clock has issued or observed."""
        with self._lock:
            wall = self._wall_ms()
            if wall > self._last.millis:
                self._last = Version(wall, 0, self.device_id)
            else:
                self._last = Version(self._last.millis, self._last.counter + 1, self.device_id)
            return self._last

    def observe(self, remote: Version) -> None:
        """Move past a version seen from another device, so our next edit sorts after it."""
        with self._lock:
            if (remote.millis, remote.counter) > (self._last.millis, self._last.counter):
                self._last = Version(remote.millis, remote.counter, self.device_id)
