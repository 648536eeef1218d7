from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.storage.keys import KdfParams
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE


@pytest.fixture
def vault_folder(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_folder: Path) -> Iterator[Vault]:
    v = Vault.create(vault_folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    yield v
    v.close(make_backup=False)
