"""The command lines as an administrator and an officer use them: intake-server admin/serve, intake-app sync."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.storage.keys import KdfParams
from intake_app.storage.vault import Vault
from intake_app.sync.server import admin as server_admin
from intake_app.sync.server.db import create_server_engine, upgrade

from live_server import LiveServer
from support import OFFICER, PASSPHRASE


def run(*args: str, module: str = "intake_app") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_") or k == "INTAKE_APP_HOME"}
    env["INTAKE_PASSPHRASE"] = PASSPHRASE
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def admin(*args: str, db: str) -> str:
    result = run("admin", *args, "--db", db, module="intake_app.sync.server.cli")
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    engine = create_server_engine(db)
    upgrade(engine)
    server_admin.create_municipality(engine, "0363", "Amsterdam")
    officer = server_admin.create_officer(engine, "0363", OFFICER)
    engine.dispose()
    server = LiveServer(db)
    server.start()
    yield server, str(officer)
    server.stop()


def test_an_administrator_sets_up_a_municipality_from_the_command_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert run("migrate", "--db", db, module="intake_app.sync.server.cli").returncode == 0
    admin("create-municipality", "--code", "0599", "--name", "Rotterdam", db=db)
    created = re.search(r"nummer (\d+)", admin("create-officer", "--municipality", "0599", "--name", "Sanne", db=db))
    assert created is not None
    code = admin("enrol-code", "--officer", created.group(1), "--valid-hours", "1", db=db).rsplit(" ", 1)[-1].strip()
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    duplicate = run("admin", "create-municipality", "--code", "0599", "--name", "R", "--db", db,
                    module="intake_app.sync.server.cli")
    assert duplicate.returncode == 2 and "bestaat al" in duplicate.stderr


def test_an_officer_enrols_a_laptop_and_syncs_from_the_command_line(
    served: tuple[LiveServer, str], tmp_path: Path
) -> None:
    server, officer_id = served
    db = server.database_url
    folder = tmp_path / "vault"
    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Meron")
    vault.close(make_backup=False)

    code = admin("enrol-code", "--officer", officer_id, db=db).rsplit(" ", 1)[-1].strip()
    first = run("sync", "--vault", str(folder), "--officer", OFFICER, "--server", server.url, "--enrol", code)
    assert first.returncode == 0, first.stderr
    assert "gekoppeld" in first.stdout and "1 verstuurd" in first.stdout

    again = run("sync", "--vault", str(folder), "--officer", OFFICER)  # server and token come from the vault
    assert again.returncode == 0, again.stderr
    assert "0 verstuurd" in again.stdout

    reused = run("sync", "--vault", str(tmp_path / "other"), "--officer", OFFICER, "--server", server.url,
                 "--enrol", code)
    assert reused.returncode != 0

    [device] = [line.split("\t")[0] for line in admin("list-devices", db=db).splitlines()]
    admin("revoke-device", "--device", device, db=db)
    revoked = run("sync", "--vault", str(folder), "--officer", OFFICER)
    assert revoked.returncode == 1
    assert "niet (meer) gekoppeld" in revoked.stderr

    opened = Vault.unlock(folder, OFFICER, PASSPHRASE)
    assert opened.pending_changes() == 0
    assert "gemeente" not in opened.folder.joinpath("keys.json").read_text()  # the token lives in the database
    opened.close(make_backup=False)


def test_a_wrong_enrolment_code_is_explained_in_dutch(served: tuple[LiveServer, str], tmp_path: Path) -> None:
    server, _officer = served
    folder = tmp_path / "vault"
    Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS).close(make_backup=False)
    result = run("sync", "--vault", str(folder), "--officer", OFFICER, "--server", server.url,
                 "--enrol", "AAAA-BBBB-CCCC-DDDD")
    assert result.returncode == 1
    assert "koppelcode is onbekend" in result.stderr


def test_an_unreachable_server_leaves_everything_queued(tmp_path: Path) -> None:
    from intake_app.storage import sync_store

    from pg_cluster import free_port

    folder = tmp_path / "vault"
    vault = Vault.create(folder, OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
    case_id = vault.create_case()
    vault.save_answer(case_id, ("given_names", ""), "Meron")
    sync_store.set_settings(vault, {sync_store.TOKEN_KEY: "t", sync_store.SERVER_URL_KEY:
                                    f"http://127.0.0.1:{free_port()}"})
    vault.close(make_backup=False)
    result = run("sync", "--vault", str(folder), "--officer", OFFICER, "--tries", "2")
    assert result.returncode == 1
    assert "niet bereikbaar" in result.stderr
    again = Vault.unlock(folder, OFFICER, PASSPHRASE)
    assert again.pending_changes() == 1
    again.close(make_backup=False)


def test_the_server_speaks_tls_with_the_given_certificate(tmp_path: Path) -> None:
    import datetime
    import ipaddress

    import httpx
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from intake_app.services import sync_service
    from intake_app.sync.client import SyncClient

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "server.crt", tmp_path / "server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    db = f"sqlite:///{tmp_path / 'server.db'}"
    engine = create_server_engine(db)
    upgrade(engine)
    server_admin.create_municipality(engine, "0363", "Amsterdam")
    code = server_admin.create_enrolment_code(engine, server_admin.create_officer(engine, "0363", OFFICER))
    engine.dispose()
    server = LiveServer(db, tls=(str(cert_file), str(key_file)))
    server.start()
    try:
        vault = Vault.create(tmp_path / "vault", OFFICER, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
        case_id = vault.create_case()
        vault.save_answer(case_id, ("given_names", ""), "Meron")
        with httpx.Client(base_url=server.url, verify=str(cert_file)) as http:
            client = SyncClient(server.url, http=http)
            sync_service.enrol(vault, server.url, code, client=client)
            assert sync_service.sync(vault, client=client).pushed == 1
        with pytest.raises(httpx.ConnectError):  # an unknown certificate is refused
            httpx.get(f"{server.url}/health")
        vault.close(make_backup=False)
    finally:
        server.stop()
