"""The authentication throttle behind a reverse proxy: X-Forwarded-For names the client, but only
when the request comes from a trusted proxy, and only as far as trusted proxies vouch for it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from intake_app.sync.server import admin, cli
from intake_app.sync.server.app import create_app
from intake_app.sync.server.auth import AuthThrottle, forwarded_client, parse_networks
from intake_app.sync.server.db import create_server_engine, upgrade

from pg_cluster import free_port

PROXY = "10.0.0.1"  # nginx on the server's own network
OUTSIDE = "203.0.113.7"  # a peer that is not a proxy
FREE = 3  # failures without consequence; the one after those sets a wait: from then on, 429
FAILS = FREE + 1  # failures answered 401


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    engine = create_server_engine(url)
    upgrade(engine)
    admin.create_municipality(engine, "0363", "Amsterdam")
    admin.create_officer(engine, "0363", "Fatima de Vries")
    engine.dispose()
    return url


def _app(database: str, *trusted: str) -> FastAPI:
    # A clock that stands still: an address that must wait keeps waiting for the whole test.
    return create_app(database, migrate=False, trusted_proxies=trusted,
                      throttle=AuthThrottle(free_failures=FREE, base_seconds=60, clock=lambda: 1000.0))


def _from(app: FastAPI, peer: str) -> TestClient:
    return TestClient(app, client=(peer, 40000))


def _cases(http: TestClient, forwarded: str | bytes | list[str] | None = None, token: str = "wrong") -> int:
    headers: list[tuple[str, str | bytes]] = [("Authorization", f"Bearer {token}")]
    for value in [forwarded] if isinstance(forwarded, str | bytes) else forwarded or []:
        headers.append(("X-Forwarded-For", value))
    return http.get("/v1/cases", headers=headers).status_code


def _token(database: str, via: TestClient, forwarded: str) -> str:
    engine = create_server_engine(database)
    code = admin.create_enrolment_code(engine, admin.create_officer(engine, "0363", "Joris Bakker"))
    engine.dispose()
    answer = via.post("/v1/enrol", json={"code": code, "device_name": "laptop"}, headers={"X-Forwarded-For": forwarded})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def test_without_trusted_proxies_the_header_is_ignored(database: str) -> None:
    http = _from(_app(database), PROXY)
    statuses = [_cases(http, f"198.51.100.{n}") for n in range(FAILS + 2)]
    assert statuses == [401] * FAILS + [429, 429]  # a new forged client each time: still one address


def test_a_forged_header_from_an_untrusted_peer_does_not_dodge_the_throttle(database: str) -> None:
    app = _app(database, PROXY)
    http = _from(app, OUTSIDE)
    statuses = [_cases(http, f"198.51.100.{n}") for n in range(FAILS + 2)]
    assert statuses == [401] * FAILS + [429, 429]
    assert _cases(_from(app, "203.0.113.8")) == 401  # another peer is not affected


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(database: str) -> None:
    app = _app(database, PROXY)
    proxy = _from(app, PROXY)
    statuses = [_cases(proxy, "198.51.100.1") for _ in range(FAILS + 1)]
    assert statuses == [401] * FAILS + [429]
    # Another laptop behind the same proxy, and the proxy itself, are not slowed down by the first.
    assert _cases(proxy, "198.51.100.2") == 401
    assert _cases(proxy) == 401
    token = _token(database, proxy, "198.51.100.2")
    assert _cases(proxy, "198.51.100.2", token) == 200
    assert _cases(proxy, "198.51.100.1", token) == 429  # even a good token waits on a throttled client


def test_a_client_cannot_dodge_the_throttle_by_writing_the_header_itself(database: str) -> None:
    proxy = _from(_app(database, PROXY), PROXY)
    # What the client sent, with the address nginx appends ($proxy_add_x_forwarded_for) after it.
    statuses = [_cases(proxy, f"192.0.2.{n}, 198.51.100.1") for n in range(FAILS + 1)]
    assert statuses == [401] * FAILS + [429]
    assert _cases(proxy, [f"192.0.2.{FAILS + 5}", "198.51.100.1"]) == 429  # nor by sending two headers


def test_a_chain_of_trusted_proxies_is_followed_to_the_client(database: str) -> None:
    app = _app(database, "10.0.0.0/24", "172.16.0.5")
    proxy = _from(app, "10.0.0.2")  # load balancer → nginx at 172.16.0.5 → a proxy in 10.0.0.0/24 → us
    statuses = [_cases(proxy, "192.0.2.1, 198.51.100.1, 172.16.0.5") for _ in range(FAILS + 1)]
    assert statuses == [401] * FAILS + [429]
    assert _cases(proxy, ["198.51.100.1", "172.16.0.5"]) == 429  # the same chain in two headers
    assert _cases(proxy, "198.51.100.2, 172.16.0.5") == 401
    # An untrusted hop in the middle ends the walk: 198.51.100.3 is the client, not 198.51.100.1.
    assert _cases(proxy, "198.51.100.1, 198.51.100.3, 172.16.0.5") == 401


@pytest.mark.parametrize("forwarded", [
    "", " ", ",", "unknown", "198.51.100.1,", ", 198.51.100.1 ,", "198.51.100.1,,", "999.1.1.1", "1.2.3.4.5",
    "2001:db8::g", "[2001:db8::1", "198.51.100.1:port", "_hidden", "a" * 4000, "198.51.100.1;for=x",
    "é".encode(), b"198.51.100.1\xff", b"\x00",
])
def test_a_malformed_header_counts_for_the_proxy_itself(database: str, forwarded: str | bytes) -> None:
    proxy = _from(_app(database, PROXY), PROXY)
    assert [_cases(proxy, forwarded) for _ in range(FAILS)] == [401] * FAILS
    assert _cases(proxy) == 429  # the failures were counted under the proxy's address
    assert _cases(proxy, "198.51.100.9") == 401  # a client it names properly is not affected


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("10.0.0.1", [], "10.0.0.1"),
    ("10.0.0.1", ["198.51.100.1"], "198.51.100.1"),
    ("10.0.0.1", [" 198.51.100.1 "], "198.51.100.1"),
    ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),  # not a proxy: the header is ignored
    ("10.0.0.1", ["192.0.2.1, 198.51.100.1"], "198.51.100.1"),  # the right-most one
    ("10.0.0.1", ["198.51.100.1, 10.0.0.7"], "198.51.100.1"),  # proxies skipped from the right
    ("10.0.0.1", ["198.51.100.1", "10.0.0.7"], "198.51.100.1"),  # several headers are one list
    ("10.0.0.1", ["10.0.0.8, 10.0.0.7"], "10.0.0.8"),  # all proxies: the left-most is the client
    ("10.0.0.1", ["garbage, 198.51.100.1"], "198.51.100.1"),  # left of the client: never read
    ("10.0.0.1", ["198.51.100.1, garbage"], "10.0.0.1"),  # where the walk needs it: the peer
    ("10.0.0.1", ["198.51.100.1:4711"], "198.51.100.1"),  # a port some proxies add
    ("10.0.0.1", ["[2001:db8::1]:4711"], "2001:db8::1"),
    ("10.0.0.1", ["[2001:db8::1]"], "2001:db8::1"),
    ("10.0.0.1", ["[2001:db8::1"], "10.0.0.1"),
    ("10.0.0.1", ["[2001:db8::1]4711"], "10.0.0.1"),
    ("10.0.0.1", ["198.51.100.1:port"], "10.0.0.1"),
    ("10.0.0.1", ["2001:DB8:0::1"], "2001:db8::1"),  # one spelling per address
    ("::ffff:10.0.0.1", ["::ffff:198.51.100.1"], "198.51.100.1"),  # IPv4-mapped (dual-stack socket)
    ("fd00::1", ["198.51.100.1"], "198.51.100.1"),
    ("testclient", ["198.51.100.1"], "testclient"),  # a peer that is no address is no proxy
])
def test_forwarded_client(peer: str, forwarded: list[str], client: str) -> None:
    assert forwarded_client(peer, forwarded, parse_networks(["10.0.0.0/24", "fd00::/8"])) == client


def test_trusted_proxies_must_be_addresses_or_networks(database: str) -> None:
    assert [str(n) for n in parse_networks(["10.0.0.1", " 10.1.0.0/16 ", "::1", "10.2.0.7/24"])] == [
        "10.0.0.1/32", "10.1.0.0/16", "::1/128", "10.2.0.0/24"]
    for wrong in ("nginx", "10.0.0.0/33", "10.0.0.1, 10.0.0.2", ""):
        with pytest.raises(ValueError, match="geen IP-adres of netwerk"):
            parse_networks([wrong])
        with pytest.raises(ValueError):
            create_app(database, migrate=False, trusted_proxies=[wrong])


def test_serve_refuses_a_wrong_trusted_proxy(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["serve", "--db", "sqlite:///unused.db", "--trusted-proxy", "nginx"])
    assert exit_.value.code == 2
    assert "geen IP-adres of netwerk" in capsys.readouterr().err


def test_app_from_environment_takes_the_trusted_proxies(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_SERVER_DB", database)
    monkeypatch.setenv(cli.TRUSTED_PROXIES_ENV, "10.0.0.1, 172.16.0.0/12")
    app = cli.app_from_environment()
    assert isinstance(app, FastAPI)
    assert [str(n) for n in app.state.trusted_proxies] == ["10.0.0.1/32", "172.16.0.0/12"]
    monkeypatch.delenv(cli.TRUSTED_PROXIES_ENV)
    app = cli.app_from_environment()
    assert isinstance(app, FastAPI)
    assert app.state.trusted_proxies == ()


@pytest.fixture
def served(database: str) -> Iterator[str]:
    """``intake-server serve --trusted-proxy 127.0.0.1`` in a subprocess: the test is the proxy."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_app.sync.server.cli", "serve", "--db", database, "--host", "127.0.0.1",
         "--port", str(port), "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"server exited with {process.returncode}"
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_serve_with_a_trusted_proxy_throttles_each_client_on_its_own(served: str) -> None:
    def status(client: str) -> int:
        headers = {"Authorization": "Bearer wrong", "X-Forwarded-For": client}
        return httpx.get(f"{served}/v1/cases", headers=headers, timeout=10).status_code

    # The real server's throttle: 5 free failures, a sixth sets a wait.
    assert [status("198.51.100.1") for _ in range(7)] == [401] * 6 + [429]
    assert status("198.51.100.2") == 401
