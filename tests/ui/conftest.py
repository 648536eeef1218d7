from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from intake_app.services.vault_service import create_vault
from intake_app.storage.keys import KdfParams

from support import OFFICER, PASSPHRASE
from ui_support import Shell, make_shell


@pytest.fixture
def existing_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    session = create_vault(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    for name in ("Amina", "Yonas"):
        case_id = session.create_case()
        session.save_answer(case_id, ("given_names", ""), name)
    session.lock()
    return folder


@pytest.fixture
def shell(qtbot: QtBot, existing_vault: Path) -> Iterator[Shell]:
    s = make_shell(qtbot, existing_vault)
    yield s
    s.controller.shutdown()
