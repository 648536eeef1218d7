"""Running slow work (key derivation, disk) off the GUI thread, reporting back on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except BaseException as error:  # reported to the GUI thread, which decides what to show
            self._relay.failed.emit(error)
        else:
            self._relay.finished.emit(result)


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    parent: QObject,
) -> _Relay:
    """Run ``work`` on the thread pool; ``on_done``/``on_error`` are called on the GUI thread."""
    relay = _Relay(parent)  # parented to a GUI-thread object: its signals are delivered there
    relay.finished.connect(on_done)
    relay.failed.connect(on_error)
    relay.finished.connect(relay.deleteLater)
    relay.failed.connect(relay.deleteLater)
    QThreadPool.globalInstance().start(_Job(work, relay))
    return relay
