"""Rotating encrypted backups of the vault database, and putting one back.

A backup is a byte copy of the (encrypted) database taken after the last connection closed, so it
needs the same key and holds no plaintext. Restoring never deletes anything: the damaged files are
moved aside into ``damaged/``.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

BACKUP_DIR = "backups"
DAMAGED_DIR = "damaged"
KEEP_BACKUPS = 5


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def list_backups(folder: Path) -> list[Path]:
    """Newest first."""
    backups = folder / BACKUP_DIR
    if not backups.is_dir():
        return []
    return sorted(backups.glob("vault-*.db"), reverse=True)


def make_backup(database: Path, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the closed database into the backup folder atomically and drop the oldest copies."""
    folder = database.parent / BACKUP_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    for unfinished in folder.glob("*.partial"):  # left by a crash during an earlier copy
        unfinished.unlink()
    target = folder / f"vault-{_stamp()}.db"
    partial = target.with_suffix(".partial")
    with database.open("rb") as source, partial.open("wb") as copy:
        shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        os.fsync(copy.fileno())
    os.replace(partial, target)
    _fsync_dir(folder)
    for old in list_backups(database.parent)[keep:]:
        old.unlink()
    return target


def move_aside(database: Path, reason: str) -> Path:
    """Move the database files into ``damaged/<time>-<reason>/``; nothing is ever deleted."""
    aside = database.parent / DAMAGED_DIR / f"{_stamp()}-{reason}"
    aside.mkdir(parents=True, mode=0o700)
    for suffix in ("", "-wal", "-shm"):
        current = database.with_name(database.name + suffix)
        if current.exists():
            os.replace(current, aside / current.name)
    return aside


SYNC_REREAD_MARKER = "sync-reread"  # a restored vault re-reads everything from the server once


def restore_backup(database: Path, backup: Path) -> Path:
    """Put ``backup`` in place of the database; the current files go to ``damaged/``.

    Returns the folder the damaged files were moved to. The next sync re-reads the server's whole
    log, this laptop's own changes included: those made after the backup live only there now.
    """
    (database.parent / SYNC_REREAD_MARKER).touch()
    aside = move_aside(database, "restored-from-backup")
    partial = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, partial)
    with partial.open("rb+") as restored:
        os.fsync(restored.fileno())
    os.replace(partial, database)
    _fsync_dir(database.parent)
    return aside
