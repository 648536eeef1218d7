"""Where things live on disk. Light on purpose: imported before the first window paints."""

from __future__ import annotations

import os
import sys
from pathlib import Path

KEY_FILE_NAME = "keys.json"
DATABASE_NAME = "vault.db"


def app_home() -> Path:
    """The app's own folder (INTAKE_APP_HOME overrides it, for tests and portable installs)."""
    override = os.environ.get("INTAKE_APP_HOME")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):  # the XDG rule itself: platformdirs costs ~5 ms at start-up
        data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        return Path(data_home) / "intake_app"
    import platformdirs

    return Path(platformdirs.user_data_dir("intake_app", appauthor=False))


def default_vault_folder() -> Path:
    return app_home() / "vault"


def log_folder() -> Path:
    return app_home() / "logs"


def vault_files_present(folder: Path) -> bool:
    return (folder / KEY_FILE_NAME).is_file() and (folder / DATABASE_NAME).is_file()
