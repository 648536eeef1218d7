"""Opening the SQLCipher database of a vault with its raw 256-bit key.

The key goes to SQLCipher as a raw key (``x'…'``), so no key derivation runs per connection: the
slow, passphrase-based derivation happens once, in :mod:`intake_app.storage.keys`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import QueuePool

from intake_app.storage.errors import VaultDamaged, VaultNotFound

DATABASE_NAME = "vault.db"

# Applied on every connection. synchronous=FULL: an answer the officer saw saved survives a power
# loss, not only a crash. temp_store=MEMORY: sorts and temp tables never touch the disk.
# secure_delete: deleted answers are overwritten in the file, not just unlinked.
_CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA secure_delete = ON",
    "PRAGMA busy_timeout = 5000",
    # SQLite would copy the WAL back into the database inside whichever save crosses 1,000 pages,
    # making that one save slow. The app checkpoints when the officer pauses (Vault.checkpoint) and
    # at lock; this high mark only bounds the WAL for long scripted runs.
    "PRAGMA wal_autocheckpoint = 10000",
)


def database_url(path: Path, key: bytes) -> URL:
    if len(key) != 32:
        raise ValueError("a vault key is 32 bytes")
    # The pysqlcipher dialect sends `pragma key="<password>"`; x'…' inside it is SQLCipher's
    # raw-key syntax. URL hides the password in repr(), so the key never reaches a log line.
    return URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))


def open_engine(path: Path, key: bytes, *, create: bool = False) -> Engine:
    """An engine on the vault database; raises instead of ever creating or altering a wrong file.

    ``create=False`` refuses a missing file: SQLite would otherwise create an empty database.
    """
    if not create and not path.is_file():
        raise VaultNotFound()
    if create and path.exists():
        raise FileExistsError(path)
    if not create:
        _check_journal_pair(path)
    # A pool of connections handed to one thread at a time. The dialect's default keeps one
    # connection per thread and closes an arbitrary one past five threads, also one that another
    # thread is using (Qt's thread pool and the sync thread run vault work beside the GUI thread).
    engine = create_engine(
        database_url(path, key), poolclass=QueuePool, pool_size=4, max_overflow=8,
        connect_args={"check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in _CONNECTION_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    try:
        with engine.connect() as connection:
            # The first read is where a wrong key or a damaged header shows.
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
            mode = connection.execute(text("PRAGMA journal_mode = WAL")).scalar_one()
            if not create:
                _check_size(connection, path)
            connection.commit()
    except DatabaseError as error:
        engine.dispose()
        raise VaultDamaged(f"open: {error.orig!s}") from error
    if str(mode).lower() != "wal":
        engine.dispose()
        raise VaultDamaged(f"journal_mode is {mode}")
    return engine


def _check_journal_pair(path: Path) -> None:
    # After an unclean stop SQLite leaves both -wal and -shm. A -shm without its -wal means the
    # journal with the newest committed answers was removed: opening now would silently lose them.
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if shm.exists() and not wal.exists():
        raise VaultDamaged("the write-ahead log is missing while its index exists")


def _check_size(connection: Any, path: Path) -> None:
    page_size = int(connection.execute(text("PRAGMA page_size")).scalar_one())
    page_count = int(connection.execute(text("PRAGMA page_count")).scalar_one())
    # SQLCipher reserves per-page space, but the file is always whole pages long.
    size = path.stat().st_size
    if size % page_size != 0 or (size // page_size) < _pages_in_main_file(path, page_count):
        raise VaultDamaged(f"file size {size} does not match {page_count} pages of {page_size}")


def _pages_in_main_file(path: Path, page_count: int) -> int:
    # With WAL, pages may still live only in the -wal file, so the main file can be shorter than
    # page_count; it is never shorter than one page.
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return 1
    return int(page_count)


def integrity_problems(engine: Engine) -> list[str]:
    """Full check of every page: SQLCipher's HMACs and SQLite's structure. Slow on big vaults."""
    problems: list[str] = []
    try:
        with engine.connect() as connection:
            problems += [
                str(row[0]) for row in connection.execute(text("PRAGMA cipher_integrity_check"))
            ]
            rows = [str(row[0]) for row in connection.execute(text("PRAGMA quick_check"))]
            problems += [row for row in rows if row != "ok"]
    except DatabaseError as error:
        problems.append(str(error.orig))
    return problems
