"""The case commands as a script uses them: real subprocesses on real vault folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workspace_support import EXAMPLE

PASSPHRASE = "paarse kameel fietst naar Dokkum"


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_") or k == "INTAKE_APP_HOME"}
    full_env.update({"INTAKE_PASSPHRASE": PASSPHRASE, **env})
    return subprocess.run([sys.executable, "-m", "intake_app", *args], capture_output=True, text=True, env=full_env,
                          stdin=subprocess.DEVNULL, timeout=300)


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "demo"
    result = run("demo", "create", "--vault", str(folder), "--count", "12")
    assert result.returncode == 0, result.stderr
    assert "12 fictieve dossiers" in result.stdout
    return folder


def test_cases_lists_ids_status_group_language_and_deadline_without_names(demo_vault: Path) -> None:
    result = run("cases", "--vault", str(demo_vault), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 12
    assert set(rows[0]) == {"id", "status", "target_group", "client_language", "next_deadline", "deadline_kind",
                            "demo"}
    assert any(row["next_deadline"] for row in rows) and all(row["demo"] for row in rows)
    table = run("cases", "--vault", str(demo_vault), "--officer", "Demo Consulent")
    assert table.returncode == 0 and "12 dossiers." in table.stdout
    assert "Haddad" not in table.stdout + result.stdout


def test_import_coa_checks_imports_refuses_a_duplicate_and_undoes(demo_vault: Path, tmp_path: Path) -> None:
    dry = run("import-coa", "--vault", str(demo_vault), "--dry-run", str(EXAMPLE))
    assert dry.returncode == 0 and "zouden worden geïmporteerd" in dry.stdout, dry.stderr
    done = run("import-coa", "--vault", str(demo_vault), str(EXAMPLE))
    assert done.returncode == 0 and "Geïmporteerd: dossier" in done.stdout, done.stderr
    again = run("import-coa", "--vault", str(demo_vault), str(EXAMPLE))
    assert again.returncode == 1 and "al geïmporteerd" in again.stderr and "Er is niets opgeslagen" in again.stderr
    undo = run("import-coa", "--vault", str(demo_vault), "--undo", str(EXAMPLE))
    assert undo.returncode == 0 and "ongedaan gemaakt" in undo.stdout
    broken = tmp_path / "kapot.json"
    broken.write_text('{"format": "intake_app.coa_handover", "version": 1, "person": {"bsn": "1"}}')
    bad = run("import-coa", "--vault", str(demo_vault), str(broken))
    assert bad.returncode == 1
    assert "person.family_name (Achternaam): Verplicht veld ontbreekt." in bad.stderr
    assert "person.bsn (BSN): Een BSN bestaat uit 9 cijfers." in bad.stderr


def test_transfer_export_and_import_between_two_vaults(demo_vault: Path, tmp_path: Path) -> None:
    rows = json.loads(run("cases", "--vault", str(demo_vault), "--json").stdout)
    case_id = next(row["id"] for row in rows if row["status"] == "intake_bezig")
    package = tmp_path / "overdracht.intake-overdracht"
    sent = run("transfer", "export", "--vault", str(demo_vault), "--case", case_id, "--out", str(package),
               "--from-municipality", "Gemeente Demo", INTAKE_TRANSFER_PASSPHRASE="zeven groene kikkers zingen vals")
    assert sent.returncode == 0, sent.stderr
    receiver = tmp_path / "ontvanger"
    assert run("vault", "create", "--vault", str(receiver), "--officer", "Piet").returncode == 0
    wrong = run("transfer", "import", "--vault", str(receiver), str(package), INTAKE_TRANSFER_PASSPHRASE="fout")
    assert wrong.returncode == 2 and "wachtwoord klopt niet" in wrong.stderr
    got = run("transfer", "import", "--vault", str(receiver), str(package),
              INTAKE_TRANSFER_PASSPHRASE="zeven groene kikkers zingen vals")
    assert got.returncode == 0 and "Overdracht ingelezen" in got.stdout, got.stderr
    (received,) = json.loads(run("cases", "--vault", str(receiver), "--json").stdout)
    assert received["status"] == "intake_bezig" and received["demo"]
