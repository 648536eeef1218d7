"""Logging that never writes personal data.

Log lines name events and exception *types* only. Uncaught exceptions are logged as their type and
stack frames (file, line, function): exception messages and local variables can hold a BSN or a
name, so they never reach the log file or a crash dump.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

_fault_file: IO[str] | None = None


def redacted_traceback(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb)
    lines = [f"  {f.filename}:{f.lineno} in {f.name}" for f in frames]
    return f"{exc_type.__module__}.{exc_type.__qualname__} (message withheld)\n" + "\n".join(lines)


def configure(log_folder: Path, *, level: int = logging.INFO) -> Path:
    """Rotating log file plus the crash hooks."""
    import logging.handlers

    install_crash_hooks(log_folder)
    path = log_folder / "intake_app.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return path


def install_crash_hooks(log_folder: Path) -> None:
    """Uncaught exceptions and hard crashes are logged without their messages. Cheap: runs first."""
    global _fault_file
    log_folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logging.getLogger("intake_app.crash").critical(redacted_traceback(exc_type, tb))
        sys.__excepthook__(exc_type, exc_type("(message withheld)") if _plain(exc_type) else exc, tb)

    sys.excepthook = _excepthook
    if _fault_file is None:
        # faulthandler writes only stack frames (no values): safe for a crash inside Qt or SQLCipher.
        _fault_file = (log_folder / "faults.log").open("a", encoding="utf-8")
        faulthandler.enable(_fault_file)


def _plain(exc_type: type[BaseException]) -> bool:
    try:
        exc_type("x")
    except Exception:
        return False
    return True
