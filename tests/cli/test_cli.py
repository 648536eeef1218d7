"""The command line as a script would use it: real subprocesses on real vault folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake_app.storage.vault import Vault

from support import OFFICER, PASSPHRASE


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_") or k == "INTAKE_APP_HOME"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "intake_app", *args], capture_output=True, text=True, env=full_env,
        stdin=subprocess.DEVNULL, timeout=120,
    )


@pytest.fixture
def cli_vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    result = run("vault", "create", "--vault", str(folder), "--officer", OFFICER,
                 env={"INTAKE_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    assert "Kluis aangemaakt" in result.stdout
    return folder


def test_create_refuses_a_weak_passphrase(tmp_path: Path) -> None:
    result = run("vault", "create", "--vault", str(tmp_path / "v"), "--officer", "Jan",
                 env={"INTAKE_PASSPHRASE": "welkom"})
    assert result.returncode == 2
    assert "te kort" in result.stderr
    assert not (tmp_path / "v" / "keys.json").exists()


def test_create_without_a_passphrase_and_no_terminal_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "INTAKE_PASSPHRASE"}
    result = subprocess.run(
        [sys.executable, "-m", "intake_app", "vault", "create", "--vault", str(tmp_path / "v"), "--officer", "Jan"],
        capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=60,
    )
    assert result.returncode != 0
    assert "INTAKE_PASSPHRASE" in result.stderr


def test_create_refuses_an_existing_vault(cli_vault: Path) -> None:
    before = (cli_vault / "keys.json").read_bytes()
    result = run("vault", "create", "--vault", str(cli_vault), "--officer", "Ander",
                 env={"INTAKE_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 2
    assert "staat al een kluis" in result.stderr
    assert (cli_vault / "keys.json").read_bytes() == before


def test_audit_verify_reports_intact_then_tampered(cli_vault: Path) -> None:
    ok = run("audit", "verify", "--vault", str(cli_vault), "--officer", OFFICER,
             env={"INTAKE_PASSPHRASE": PASSPHRASE})
    assert ok.returncode == 0, ok.stderr
    assert "ongeschonden" in ok.stdout

    vault = Vault.unlock(cli_vault, OFFICER, PASSPHRASE)
    with vault.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_log SET action = 'export' WHERE seq = 2")
    vault.close(make_backup=False)
    bad = run("audit", "verify", "--vault", str(cli_vault), "--officer", OFFICER,
              env={"INTAKE_PASSPHRASE": PASSPHRASE})
    assert bad.returncode == 1
    assert "Regel 2" in bad.stdout and "aangetast" in bad.stdout


def test_wrong_passphrase_on_the_command_line(cli_vault: Path) -> None:
    result = run("audit", "verify", "--vault", str(cli_vault), "--officer", OFFICER,
                 env={"INTAKE_PASSPHRASE": "dit is het niet"})
    assert result.returncode == 2
    assert "Naam of wachtwoord klopt niet" in result.stderr
    assert "Traceback" not in result.stderr


def test_recovery_key_round_trip(tmp_path: Path) -> None:
    private, public = tmp_path / "gemeente.key.pem", tmp_path / "gemeente.pub.pem"
    generated = run("recovery-key", "generate", "--private-out", str(private), "--public-out", str(public))
    assert generated.returncode == 0, generated.stderr
    assert "Vingerafdruk" in generated.stdout
    folder = tmp_path / "vault"
    created = run("vault", "create", "--vault", str(folder), "--officer", OFFICER,
                  "--recovery-public-key", str(public), env={"INTAKE_PASSPHRASE": PASSPHRASE})
    assert created.returncode == 0, created.stderr
    vault = Vault.unlock(folder, OFFICER, PASSPHRASE)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Dawit")
    vault.close()

    new_passphrase = "de kat van de buren zingt opera"
    recovered = run("vault", "recover", "--vault", str(folder), "--recovery-key", str(private),
                    "--officer", OFFICER, env={"INTAKE_NEW_PASSPHRASE": new_passphrase})
    assert recovered.returncode == 0, recovered.stderr
    assert "1 dossiers" in recovered.stdout
    again = Vault.unlock(folder, OFFICER, new_passphrase)
    assert again.answers(case_id) == {("given_names", ""): "Dawit"}
    again.close()


def test_check_and_restore_a_damaged_vault(cli_vault: Path) -> None:
    vault = Vault.unlock(cli_vault, OFFICER, PASSPHRASE)
    case_id = vault.create_case()
    for i in range(200):
        vault.save_answer(case_id, (f"q{i}", ""), "waarde " * 30)
    vault.close()
    database = cli_vault / "vault.db"
    with database.open("r+b") as handle:
        handle.truncate(database.stat().st_size - 3000)
    env = {"INTAKE_PASSPHRASE": PASSPHRASE}
    checked = run("vault", "check", "--vault", str(cli_vault), "--officer", OFFICER, env=env)
    assert checked.returncode == 2
    assert "beschadigd" in checked.stderr
    restored = run("vault", "restore-backup", "--vault", str(cli_vault))
    assert restored.returncode == 0, restored.stderr
    again = run("vault", "check", "--vault", str(cli_vault), "--officer", OFFICER, env=env)
    assert again.returncode == 0, again.stderr
    assert "in orde" in again.stdout
