"""Fixtures of the sync tests: a real PostgreSQL cluster per session, servers, enrolled laptops."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.services import sync_service
from intake_app.storage.keys import KdfParams
from intake_app.storage.vault import Vault
from intake_app.sync.client import SyncClient
from intake_app.sync.server.db import create_server_engine, upgrade

from pg_cluster import Cluster, PostgresMissing, start_cluster
from support import PASSPHRASE
from sync_support import NO_WAIT, Laptop, LaptopFactory, Server, make_server

_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    try:
        cluster = start_cluster()
    except PostgresMissing as error:
        pytest.skip(str(error))
    try:
        cluster.admin("CREATE DATABASE template_sync")
        engine = create_server_engine(cluster.url("template_sync"))
        upgrade(engine)
        engine.dispose()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "server.db"
    engine = create_server_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def new_database_url(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if kind == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / f"server-{next(_numbers)}.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    cluster: Cluster = request.getfixturevalue("postgres")
    name = f"sync_{next(_numbers)}"
    cluster.admin(f"CREATE DATABASE {name} TEMPLATE template_sync")
    return cluster.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database_url(str(request.param), request, tmp_path)


@pytest.fixture
def server(database_url: str) -> Iterator[Server]:
    server = make_server(database_url)
    yield server
    server.http.close()
    server.engine.dispose()


@pytest.fixture
def laptops(server: Server, tmp_path: Path) -> Iterator[LaptopFactory]:
    made: list[Laptop] = []

    def make(officer: str = "Fatima de Vries", server_: Server | None = None) -> Laptop:
        target = server_ or server
        folder = tmp_path / f"laptop-{len(made)}"
        vault = Vault.create(folder, officer, PASSPHRASE, kdf=KdfParams.FAST_FOR_TESTS)
        client = SyncClient("http://testserver", http=target.http, retry=NO_WAIT, batch_size=50, pull_limit=40)
        sync_service.enrol(vault, "http://testserver", target.code(officer), client=client)
        laptop = Laptop(vault, client)
        made.append(laptop)
        return laptop

    yield make
    for laptop in made:
        laptop.vault.close(make_backup=False)
