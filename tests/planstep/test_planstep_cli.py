"""``intake-app pip`` end to end: a real vault, a real subprocess, the PDF on disk and in the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from planstep_profiles import refugee, vault_with_case

from intake_app.plan import Route
from intake_app.services import plan_service as ps
from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_") or k == "INTAKE_APP_HOME"}
    env["INTAKE_PASSPHRASE"] = PASSPHRASE
    return subprocess.run([sys.executable, "-m", "intake_app", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, str, str]:
    """A vault with a case that has a fixed plan, and one without any plan."""
    session, case_id = vault_with_case(tmp_path / "vault", refugee(), client_language="ar")
    on = date(2024, 6, 3)
    plan = ps.open_plan(session, case_id, on)
    ps.save_plan(session, plan, ps.build_plan(plan, Route.B1, on=on), fix=True, today=on)
    empty = session.create_case()
    session.lock()
    return tmp_path / "vault", case_id, empty


def _common(folder: Path, case_id: str) -> list[str]:
    return ["pip", "--vault", str(folder), "--officer", OFFICER, "--case", case_id]


def test_pip_writes_the_stored_pdf_of_the_latest_version(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, case_id, _ = vault
    out = tmp_path / "pip-ar.pdf"
    result = run(*_common(folder, case_id), "--lang", "ar", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "PIP versie 1 (ar)" in result.stdout
    stored = Vault.unlock(folder, OFFICER, PASSPHRASE)
    try:
        from intake_app.storage import plans

        document = plans.document(stored, case_id, 1, "ar")
        assert document is not None and out.read_bytes() == document.pdf
        exports = [e for e in stored.audit_entries() if e.action == "export"]
        assert [(e.case_id, e.detail) for e in exports] == [(case_id, "plan_document:1:ar")]
        assert str(out) not in " ".join(e.detail for e in stored.audit_entries())
    finally:
        stored.close(make_backup=False)


def test_pip_renders_a_language_not_stored_yet_and_keeps_it(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, case_id, _ = vault
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert run(*_common(folder, case_id), "--lang", "ti", "--out", str(first)).returncode == 0
    assert run(*_common(folder, case_id), "--lang", "ti", "--out", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes() and first.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("case", "lang", "message"), [
    ("empty", "nl", "nog geen plan"),
    ("unknown", "nl", "Dit dossier bestaat niet"),
    ("planned", "xx", "Onbekende taal ‘xx’"),
])
def test_pip_says_in_dutch_what_is_wrong(
    vault: tuple[Path, str, str], tmp_path: Path, case: str, lang: str, message: str
) -> None:
    folder, planned, empty = vault
    case_id = {"empty": empty, "unknown": "0" * 32, "planned": planned}[case]
    out = tmp_path / "pip.pdf"
    result = run(*_common(folder, case_id), "--lang", lang, "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
