"""Helpers of the sync tests (importable as `sync_support`; fixtures stay in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from intake_app.services import sync_service
from intake_app.storage.vault import Vault
from intake_app.sync.client import RetryPolicy, SyncClient
from intake_app.sync.server import admin
from intake_app.sync.server.app import create_app
from intake_app.sync.server.auth import AuthThrottle
from intake_app.sync.server.db import create_server_engine

NO_WAIT = RetryPolicy(attempts=3, first_delay=0.0, max_delay=0.0, sleep=lambda _s: None)


@dataclass
class Server:
    """An in-process server with two municipalities, each with one officer."""

    engine: Engine
    http: TestClient
    officers: dict[str, int] = field(default_factory=dict)

    def code(self, officer: str = "Fatima de Vries") -> str:
        return admin.create_enrolment_code(self.engine, self.officers[officer])

    def token(self, officer: str = "Fatima de Vries", device: str = "laptop") -> str:
        client = SyncClient("http://testserver", http=self.http, retry=NO_WAIT)
        return str(client.enrol(self.code(officer), device)["token"])


def make_server(url: str, throttle: AuthThrottle | None = None) -> Server:
    engine = create_server_engine(url)
    app = create_app(engine, migrate=False, throttle=throttle or AuthThrottle(free_failures=1000))
    server = Server(engine, TestClient(app))
    admin.create_municipality(engine, "0363", "Amsterdam")
    admin.create_municipality(engine, "0599", "Rotterdam")
    server.officers["Fatima de Vries"] = admin.create_officer(engine, "0363", "Fatima de Vries")
    server.officers["Joris Bakker"] = admin.create_officer(engine, "0363", "Joris Bakker")
    server.officers["Sanne Jansen"] = admin.create_officer(engine, "0599", "Sanne Jansen")
    return server


@dataclass
class Laptop:
    vault: Vault
    client: SyncClient

    def sync(self) -> sync_service.SyncReport:
        return sync_service.sync(self.vault, client=self.client)


LaptopFactory = Callable[..., Laptop]
