"""Child process of the start-up benchmark: start a window, report when it has first painted, exit.

    python -m benchmarks._paint_probe floor            QApplication + one empty QWidget
    python -m benchmarks._paint_probe app FOLDER       intake_app.app.main(["--vault", FOLDER])
    python -m benchmarks._paint_probe app-no-preload FOLDER
                                                       the same, but the controller's preload of the
                                                       storage stack is not started (the child exits
                                                       at the paint): what starting it after the
                                                       first paint would give. A diagnostic only.

All modes detect the paint the same way: an event filter on the watched widget (the bare QWidget,
or the app's LockScreen) sees its first QEvent.Paint, and a zero timer posted from there fires once
that repaint has finished (Qt paints the whole window and flushes it within one event). The child
then prints CLOCK_MONOTONIC times, which on Linux are comparable with the parent's time.monotonic(),
and leaves with os._exit: tear-down is not part of start-up.

Nothing is imported at module level except what every child needs anyway, so the modes differ
only by what the app itself loads. With INTAKE_BENCH_COUNT_ENUMS=1 (untimed diagnostic runs) the
child also prints how many Qt enum classes PySide6 built before the paint, and where.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1366, 768)  # MainWindow's own size, so the floor paints as many pixels
_TIMEOUT_MS = 30_000


def _now() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


_ENUM_SITES: dict[str, int] = {}


def _count_enum_classes() -> None:
    """Diagnostic runs only: PySide6 builds each Qt enum as a Python Enum class on first use, which
    is slow (~0.25 ms each); count them and remember the line of intake_app code that caused them."""
    import enum
    import traceback

    create = enum.EnumType._create_

    def counting(cls: Any, *args: Any, **kwargs: Any) -> Any:
        frames = [f for f in traceback.extract_stack()[:-1] if "intake_app" in f.filename]
        site = f"{Path(frames[-1].filename).name}:{frames[-1].lineno} {frames[-1].line}" if frames else "(Qt/PySide6)"
        _ENUM_SITES[site] = _ENUM_SITES.get(site, 0) + 1
        return create(cls, *args, **kwargs)

    enum.EnumType._create_ = counting  # type: ignore[method-assign]


def _report(paint_start: float) -> None:
    for site, count in sorted(_ENUM_SITES.items(), key=lambda item: -item[1]):
        sys.stdout.write(f"enums {count} {site}\n")
    sys.stdout.write(f"paint_start {paint_start:.6f}\npainted {_now():.6f}\n")
    sys.stdout.flush()
    os._exit(0)


def _watch_first_paint(widget: Any) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                start = _now()
                QTimer.singleShot(0, lambda: _report(start))
            return False

    probe = _FirstPaint(widget)  # parented: lives as long as the widget
    widget.installEventFilter(probe)
    QTimer.singleShot(_TIMEOUT_MS, lambda: os._exit(3))


def floor() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(*WINDOW_SIZE)
    _watch_first_paint(window)
    window.show()
    app.exec()


def app(folder: str, *, hold_preload: bool = False) -> None:
    # The probe has to be on the lock screen from its construction; lock_screen needs only Qt and
    # i18n, which run_gui imports before it builds the window anyway.
    from intake_app.ui import lock_screen

    original_init = lock_screen.LockScreen.__init__

    def init_and_watch(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        _watch_first_paint(self)

    lock_screen.LockScreen.__init__ = init_and_watch  # type: ignore[method-assign]
    if hold_preload:
        from intake_app.ui import controller

        controller.SessionController.preload = lambda self: None  # type: ignore[method-assign]
    from intake_app.app import main

    main(["--vault", folder])


if __name__ == "__main__":
    if os.environ.get("INTAKE_BENCH_COUNT_ENUMS"):
        _count_enum_classes()
    if sys.argv[1] == "floor":
        floor()
    else:
        app(sys.argv[2], hold_preload=sys.argv[1] == "app-no-preload")
    os._exit(4)  # the event loop ended without a paint
