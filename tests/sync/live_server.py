"""A real uvicorn server in a subprocess (to SIGKILL it), and a TCP proxy that cuts connections."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx

from pg_cluster import free_port


@dataclass
class LiveServer:
    database_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    tls: tuple[str, str] | None = None  # (certificate file, key file)

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, "INTAKE_SERVER_DB": self.database_url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "intake_app.sync.server.cli", "serve", "--db", self.database_url,
             "--host", "127.0.0.1", "--port", str(self.port),
             *(["--ssl-certfile", self.tls[0], "--ssl-keyfile", self.tls[1]] if self.tls else [])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1, verify=False).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError("server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:  # uvicorn waits for open keep-alive connections; a test need not
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.kill()


class CuttingProxy:
    """Forwards 127.0.0.1:port → target; cuts some connections after a random number of bytes.

    Each accepted connection draws, with probability ``cut_chance``, a direction and a byte offset
    up to ``max_offset``; when that many bytes have passed in that direction both sides are closed.
    Bounded: at most ``max_connections`` connections, then it refuses more.
    """

    def __init__(self, target_port: int, *, seed: int, cut_chance: float = 0.5, max_offset: int = 40_000,
                 max_connections: int = 500) -> None:
        self.target_port = target_port
        self.rng = random.Random(seed)
        self.cut_chance, self.max_offset, self.max_connections = cut_chance, max_offset, max_connections
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.connections = 0
        self.cuts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> CuttingProxy:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self.listener.close()
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        self.listener.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _address = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            if self.connections > self.max_connections:
                client.close()
                continue
            cut_up = cut_down = None
            if self.rng.random() < self.cut_chance:
                offset = self.rng.randint(0, self.max_offset)
                if self.rng.random() < 0.5:
                    cut_up = offset
                else:
                    cut_down = offset
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            state = {"closed": False}
            threading.Thread(target=self._pipe, args=(client, upstream, cut_up, state), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, cut_down, state), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, cut_at: int | None, state: dict[str, bool]) -> None:
        passed = 0
        try:
            while not state["closed"]:
                data = source.recv(4096)
                if not data:
                    break
                if cut_at is not None and passed + len(data) >= cut_at:
                    sink.sendall(data[: max(0, cut_at - passed)])
                    self.cuts += 1
                    break
                sink.sendall(data)
                passed += len(data)
        except OSError:
            pass
        finally:
            state["closed"] = True
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
