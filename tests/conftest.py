"""Shared fixtures. Qt runs offscreen (set before any Qt import); each test gets fresh folders."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Logs and settings of the app under test go to a per-run folder, never the developer's home.
os.environ.setdefault("INTAKE_APP_HOME", os.path.join(os.environ.get("TMPDIR", "/tmp"), f"intake-tests-{os.getpid()}"))
