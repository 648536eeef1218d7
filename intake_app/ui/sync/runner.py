"""One long-lived worker thread for sync and enrolment, reporting back on the GUI thread.

Why not :func:`intake_app.ui.worker.run_in_background` (Qt's global pool): the vault's engine keeps one
SQLite connection per thread and closes an arbitrary one when more than five threads have used it.
Pool threads come and go, so each sync could add a new thread identity; this runner always uses the
same one. It also lets a lock wait for the sync (:meth:`SyncRunner.wait`) and ask it to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Relay(QObject):
    """Lives on the GUI thread: signals emitted from the worker are delivered there, queued."""

    progress = Signal(object)
    finished = Signal(object, object)  # job id, result
    failed = Signal(object, object)  # job id, exception


class SyncRunner(QObject):
    """Runs one job at a time. ``progress`` and the callbacks given to :meth:`start` run on the GUI thread."""

    progress = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="intake-sync")
        self._relay = _Relay(self)
        self._relay.progress.connect(self.progress)
        self._relay.finished.connect(self._on_relay_finished)
        self._relay.failed.connect(self._on_relay_failed)
        self._job = 0
        self._future: Future[None] | None = None
        self._callbacks: tuple[Callable[[Any], None], Callable[[BaseException], None]] | None = None
        self._when_idle: list[Callable[[], None]] = []
        self.stop_event = threading.Event()
        self._closed = False

    @property
    def busy(self) -> bool:
        """From start until its callback has run on the GUI thread."""
        return self._callbacks is not None

    def start(
        self, work: Callable[[Callable[[Any], None], threading.Event], Any],
        on_done: Callable[[Any], None], on_error: Callable[[BaseException], None],
    ) -> None:
        """``work(report_progress, stop)`` runs on the worker thread."""
        if self.busy or self._closed:
            raise RuntimeError("a sync job is running already")
        self._job += 1
        job = self._job
        self.stop_event = stop = threading.Event()
        relay = self._relay
        self._callbacks = (on_done, on_error)

        def run() -> None:
            try:
                result = work(relay.progress.emit, stop)
            except BaseException as error:  # reported to the GUI thread, which decides what to show
                relay.failed.emit(job, error)
            else:
                relay.finished.emit(job, result)

        self._future = self._executor.submit(run)
        self.busy_changed.emit(True)

    def request_stop(self) -> None:
        """Ask the job to stop at its next safe point (it checks between steps)."""
        self.stop_event.set()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the GUI thread once no job runs (at once if none does)."""
        if self.busy:
            self._when_idle.append(callback)
        else:
            callback()

    def wait(self, timeout: float) -> bool:
        """Block until the worker thread is done with the job (not its callback). False on timeout."""
        future = self._future
        if future is None:
            return True
        try:
            future.result(timeout)
        except FutureTimeout:
            return False
        return True

    def shutdown(self, timeout: float = 60.0) -> None:
        """App exit: stop the job, wait for it, and run what waited for it (no event loop needed)."""
        self.request_stop()
        self.wait(timeout)
        self._closed = True
        self._finish()
        self._executor.shutdown(wait=False)

    def _on_relay_finished(self, job: int, result: Any) -> None:
        if job == self._job and self._callbacks is not None:
            on_done = self._callbacks[0]
            self._finish()  # first: what waited (a lock) runs before the result is shown
            on_done(result)

    def _on_relay_failed(self, job: int, error: BaseException) -> None:
        if job == self._job and self._callbacks is not None:
            on_error = self._callbacks[1]
            self._finish()
            on_error(error)

    def _finish(self) -> None:
        was_busy = self._callbacks is not None
        self._callbacks = None
        self._future = None
        if was_busy:
            self.busy_changed.emit(False)
        waiting, self._when_idle = self._when_idle, []
        for callback in waiting:
            callback()
