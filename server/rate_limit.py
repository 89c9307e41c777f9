"""The per-client rate limit on `/api/*` (DOCQA_RATE_LIMIT): bounded memory, constant work per request.

Each client's bucket is one number, GCRA's "theoretical arrival time" (`due`: when its bucket is full
again; equivalent to a token bucket of `requests` tokens refilled over `seconds`). The buckets live
in two flat arrays, set-associative like a CPU cache: a client's key hashes (SipHash, seeded per
process, so nobody can aim at another client's slots) to one group of `WAYS` slots. A request
looks at those slots only, so its work is the same with ten clients or a million; a new client in
a full group replaces the one whose bucket is fullest there (the one that has rested longest: for
a bucket already full, forgetting it changes nothing). Memory is fixed at start: 32 bytes per
remembered client (two slots of 8 + 8 bytes each, so groups rarely overflow before the cap).

Clients are their address: an IPv4 address, or the /64 network of an IPv6 one (one machine holds a
whole /64); the address is the TCP peer's, or the one a trusted proxy forwarded (server/connections.py).
"""

from __future__ import annotations

import math
import re
import socket
import time
from array import array
from dataclasses import dataclass
from typing import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from docqa.errors import InvalidInput
from docqa.server.limits import API_PREFIX, send_json_error

_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
WAYS = 8
"""Slots a client's key may occupy (its group)."""
_V4_MAPPED = b"\0" * 10 + b"\xff\xff"


@dataclass(frozen=True)
class RateLimit:
    """`requests` per `seconds`, as parsed from "30/minute" or "5/second"."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> "RateLimit | None":
        """None for an empty setting (no limit); `InvalidInput` for a malformed one."""
        text = text.strip().lower()
        if not text or text in ("0", "off", "none"):
            return None
        match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?", text)
        if not match or int(match.group(1)) < 1:
            raise InvalidInput(f'DOCQA_RATE_LIMIT must look like "30/minute" or "5/second", not {text!r}')
        return cls(int(match.group(1)), _PERIODS[match.group(3)] * int(match.group(2) or 1))


def client_key(host: str) -> bytes:
    """The rate-limit key of a client address: 4 bytes for IPv4 (IPv4-mapped IPv6 included), the first
    8 bytes (the /64) for IPv6, else the text itself (a Unix socket, a test client's name)."""
    try:
        if ":" in host:
            packed = socket.inet_pton(socket.AF_INET6, host.split("%", 1)[0])
            return packed[12:] if packed[:12] == _V4_MAPPED else packed[:8]
        return socket.inet_pton(socket.AF_INET, host)
    except OSError:
        return b"?" + host.encode("utf-8", "replace")


class ClientRateLimiter:
    """At most `limit.requests` per `limit.seconds` per key, for about `clients` keys (see the module docstring).

    Called from the event loop's thread only (the middleware), so it takes no lock: no `await` or
    thread switch can fall between reading a bucket and writing it back there.
    """

    def __init__(self, limit: RateLimit, *, clients: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self.interval = limit.seconds / limit.requests
        self.burst = limit.seconds - self.interval  # how far ahead of now `due` may be and still let a request in
        self._tolerance = self.burst + 1e-9
        groups = 1 << max(0, math.ceil(2 * clients / WAYS) - 1).bit_length()
        self._group_mask = groups - 1
        self.slots = groups * WAYS
        self._keys = array("q", bytes(8 * self.slots))  # key hash; 0: empty
        self._due = array("d", bytes(8 * self.slots))
        self.clients = 0
        self.refused = 0
        self.replaced = 0

    @property
    def memory_bytes(self) -> int:
        return self._keys.itemsize * len(self._keys) + self._due.itemsize * len(self._due)

    def take(self, key: bytes) -> float:
        """0 when a request from `key` may pass now (and counts it), else the seconds until one may."""
        tag = hash(key) or 1
        first = (tag & self._group_mask) * WAYS
        last = first + WAYS
        keys, due = self._keys, self._due
        now = self.clock()
        try:
            slot = keys.index(tag, first, last)  # a C scan of the group's 8 slots
        except ValueError:  # a new client: an empty slot of the group, else its fullest bucket's
            try:
                slot = keys.index(0, first, last)
                self.clients += 1
            except ValueError:
                slot = min(range(first, last), key=due.__getitem__)
                self.replaced += 1
            keys[slot], due[slot] = tag, now
        arrival = max(due[slot], now)
        if arrival - now <= self._tolerance:
            due[slot] = arrival + self.interval
            return 0.0
        self.refused += 1
        return arrival - self.burst - now


class RateLimitMiddleware:
    """Refuses `/api/*` requests beyond the per-client limit with 429 and Retry-After (CORS preflights pass)."""

    def __init__(self, app: ASGIApp, *, limiter: ClientRateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(API_PREFIX) and scope.get("method") != "OPTIONS":
            client = scope.get("client") or ("", 0)
            wait = self.limiter.take(client_key(str(client[0])))
            if wait > 0:
                retry = str(max(1, math.ceil(wait))).encode()
                await send_json_error(scope, send, 429, "Too many requests; please wait a moment.", [(b"retry-after", retry)])
                return
        await self.app(scope, receive, send)
