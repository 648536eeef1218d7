"""Device tokens and enrolment codes: the server stores only their SHA-256, never the secret.

Tokens and codes are long random strings, so a plain hash is enough (nothing to brute-force); the
throttle slows down whoever keeps presenting wrong ones.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    # Typed by an officer: 16 characters without look-alikes, in groups of four.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: int
    officer: str
    municipality_id: int


@dataclass
class AuthThrottle:
    """Failed attempts per client address; after ``free_failures`` each one doubles the wait.

    While an address must wait, every request from it is answered 429 with Retry-After, before the
    token is even looked at. A success clears the address.
    """

    free_failures: int = 5
    base_seconds: float = 1.0
    max_seconds: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, address: str) -> float:
        with self._lock:
            _count, until = self._failures.get(address, (0, 0.0))
            return max(0.0, until - self.clock())

    def failed(self, address: str) -> None:
        with self._lock:
            count, _until = self._failures.get(address, (0, 0.0))
            count += 1
            wait = 0.0
            if count > self.free_failures:
                wait = min(self.max_seconds, self.base_seconds * 2 ** (count - self.free_failures - 1))
            self._failures[address] = (count, self.clock() + wait)
            if len(self._failures) > 100_000:  # a flood of addresses must not grow memory without end
                self._failures.clear()

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)


def parse_networks(values: Iterable[str | Network]) -> tuple[Network, ...]:
    """Trusted proxies as given in the settings: addresses (``10.0.0.5``, ``::1``) or networks
    (``10.0.0.0/24``). ValueError names the first one that is neither."""
    networks = []
    for value in values:
        if isinstance(value, ipaddress.IPv4Network | ipaddress.IPv6Network):
            networks.append(value)
            continue
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"geen IP-adres of netwerk: {value!r}") from None
    return tuple(networks)


def _address(text: str) -> Address | None:
    """An address as a proxy writes it, or None. Also ``1.2.3.4:567`` and ``[2001:db8::1]:567``
    (some proxies add the port); an IPv4-mapped IPv6 address counts as the IPv4 address."""
    text = text.strip()
    if text.startswith("["):
        text, bracket, port = text[1:].partition("]")
        if not bracket or (port and not (port[0] == ":" and port[1:].isdigit())):
            return None
    elif text.count(":") == 1:
        text, _colon, port = text.partition(":")
        if not port.isdigit():
            return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The address the throttle counts a request under.

    The direct peer, unless it is a trusted proxy: then the right-most address of X-Forwarded-For
    (all its headers, in order) that is not itself a trusted proxy, that is the last hop no trusted
    proxy vouches for. Whatever a client writes into the header itself is to the left of that hop,
    so forging it changes nothing. An entry that is not an address (where the walk needs it) means
    the chain cannot be read: the peer's address is used. If every hop is a trusted proxy, the
    left-most one is the client.
    """

    def is_trusted(address: Address | None) -> bool:
        return address is not None and any(address in network for network in trusted)

    if not trusted or not forwarded_for or not is_trusted(_address(peer)):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    client: Address | None = None
    for hop in reversed(hops):
        client = _address(hop)
        if client is None:
            return peer
        if not is_trusted(client):
            break
    return str(client) if client is not None else peer
