"""The SQLCipher database on a real file: raw key, WAL, refusing wrong keys and damaged files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from intake_app.storage.database import integrity_problems, open_engine
from intake_app.storage.errors import VaultDamaged, VaultNotFound


def _make(path: Path, key: bytes, rows: int = 200) -> None:
    engine = open_engine(path, key, create=True)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
        for i in range(rows):
            connection.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"row-{i:05d}" * 20})
    engine.dispose()


def test_database_is_encrypted_wal_and_reopens_with_its_key(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "vault.db"
    _make(path, key)
    assert not path.read_bytes().startswith(b"SQLite format 3")
    assert b"row-00001" not in path.read_bytes()
    engine = open_engine(path, key)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 200
    assert integrity_problems(engine) == []
    engine.dispose()


def test_wrong_key_raises_and_never_touches_the_file(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "vault.db"
    _make(path, key)
    before = path.read_bytes()
    with pytest.raises(VaultDamaged):
        open_engine(path, os.urandom(32))
    assert path.read_bytes() == before
    # and the right key still works afterwards
    engine = open_engine(path, key)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 200
    engine.dispose()


def test_missing_file_is_never_created(tmp_path: Path) -> None:
    path = tmp_path / "vault.db"
    with pytest.raises(VaultNotFound):
        open_engine(path, os.urandom(32))
    assert not path.exists()


def test_truncated_file_is_reported_as_damaged(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "vault.db"
    _make(path, key)
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - 1500)
    with pytest.raises(VaultDamaged):
        open_engine(path, key)


def test_flipped_bytes_are_found_by_the_integrity_check(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "vault.db"
    _make(path, key, rows=400)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8] = bytes(b ^ 0xFF for b in data[middle : middle + 8])
    path.write_bytes(bytes(data))
    try:
        engine = open_engine(path, key)
    except VaultDamaged:
        return  # found at once: also fine
    assert integrity_problems(engine) != []
    engine.dispose()


def test_missing_wal_with_its_index_present_is_reported(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "vault.db"
    _make(path, key)
    (tmp_path / "vault.db-shm").write_bytes(b"\0" * 32768)
    with pytest.raises(VaultDamaged):
        open_engine(path, key)
