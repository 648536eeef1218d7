"""Fixtures for the case list, life cycle, imports and transfers: real vaults on disk, fast KDF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.services.vault_service import VaultSession, create_vault
from intake_app.storage.keys import KdfParams

from support import OFFICER, PASSPHRASE
from workspace_support import EXAMPLE


@pytest.fixture
def session(tmp_path: Path) -> Iterator[VaultSession]:
    s = create_vault(tmp_path / "vault", OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    yield s
    if s.is_open:
        s.lock()


@pytest.fixture
def coa_document() -> dict[str, Any]:
    """The documented example handover, as a dict to vary per test."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))
