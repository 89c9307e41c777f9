"""Connection limits that `docqa serve` enforces itself, below the ASGI app: a small layer over uvicorn's HTTP protocol.

uvicorn with httptools (docqa's fast path) bounds neither the size nor the number of header
fields (llhttp buffers a 100 MB header), has no deadline for receiving a request (a socket that
sends half a request, or nothing, stays open for ever), and its `--limit-concurrency` answers 503
only once a request has arrived, so idle sockets still use up file descriptors. hypercorn and
granian each cover part of this (an idle timeout, a header read timeout) but not a connection cap,
and would replace a server whose latency docqa has measured and tuned; h11's
`max_incomplete_event_size` bounds only bytes. So docqa keeps uvicorn + httptools and subclasses
its protocol (`GuardedHttpToolsProtocol`), adding per connection:

- the request head (request line and header fields) at most `max_header_bytes`, and at most
  `max_headers` fields: beyond either, 431 and the connection is closed; the bytes are counted as
  they arrive, before the parser buffers them;
- a deadline: a new connection's first request, and each later request from its first byte, must
  arrive whole (head and body) within `request_timeout` seconds; else 408 (or, when nothing
  came at all, a plain close);
- between requests, uvicorn's keep-alive timeout (`keep_alive` seconds) closes an idle connection;
- at most `max_connections` open connections per process: a connection beyond it is answered
  503 with `Retry-After` and closed at once;
- a request the parser refuses (a raw non-ASCII byte in the URL, a NUL in a header, a malformed
  Content-Length...) gets docqa's JSON 400 instead of uvicorn's plain-text one;
- a response's head (status line and headers) leaves in one write with its first body bytes
  (`HeadWithBody`), so a process killed while answering has sent either none of a small answer or all
  of it, never the head alone, which a proxy has already passed on and can no longer retry elsewhere.

`check_open_file_limit` makes sure at start that the process may open that many sockets (plus
`RESERVED_FILES` for the index, the model and logs), raising the soft limit when the hard one
allows. `uvicorn_options(settings)` is what `docqa serve` (one process or `--workers N`) passes to
uvicorn: this protocol, the keep-alive timeout, no websockets, and proxy headers only from
`DOCQA_TRUSTED_PROXIES`.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import json
import logging
import socket
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.utils import get_remote_addr

from docqa.config import Settings
from docqa.errors import DocqaError

log = logging.getLogger("docqa.connections")

RESERVED_FILES = 128
"""File descriptors kept beside the connections: index files, the model, logs, the listening socket."""
LINGER_SECONDS = 1.0
LINGER_BYTES = 64 * 1024
"""After a refusal, the rest of what the client sends is read and dropped for up to LINGER_SECONDS
and LINGER_BYTES before the socket closes, so a client that finishes sending reads the answer
instead of a reset (as nginx's lingering close); one that goes on sending (a 100 MB header) is no longer
read and is closed when the linger ends (its sends block meanwhile, which slows a reconnecting attacker)."""

_REASONS = {400: "Bad Request", 408: "Request Timeout", 431: "Request Header Fields Too Large", 503: "Service Unavailable"}


@dataclass(frozen=True)
class ConnectionLimits:
    """What one connection may do before it is refused and closed (see the module docstring)."""

    max_header_bytes: int = 32 * 1024
    max_headers: int = 100
    request_timeout: float = 10.0
    max_connections: int = 1000

    @classmethod
    def from_settings(cls, settings: Settings) -> "ConnectionLimits":
        return cls(
            max_header_bytes=settings.max_header_bytes,
            max_headers=settings.max_headers,
            request_timeout=settings.request_timeout_seconds,
            max_connections=settings.max_connections,
        )


def refusal(status: int, message: str, *, headers: tuple[tuple[str, str], ...] = ()) -> bytes:
    """A complete HTTP/1.1 response that closes the connection, with docqa's JSON error body."""
    body = json.dumps({"error": message}).encode()
    head = [f"HTTP/1.1 {status} {_REASONS.get(status, '')}", "content-type: application/json", f"content-length: {len(body)}", "connection: close"]
    head += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with docqa's `ConnectionLimits` (uvicorn makes one per connection)."""

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits
        self._deadline: asyncio.TimerHandle | None = None
        self._reading_head = True
        self._head_bytes = 0
        self._header_count = 0
        self._received_any = False
        self._refused = False
        self._over_cap = False
        self._dropped = 0

    # -- connection ----------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            self.transport, self.client, self._over_cap = transport, get_remote_addr(transport), True
            self._refuse(503, "The server has too many open connections; try again shortly.", headers=(("retry-after", "1"),))
            return
        super().connection_made(transport)
        self._start_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_deadline()
        if self._over_cap:  # never counted among the connections
            self.parser = None  # type: ignore[assignment]
            return
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        # The head is fed to the parser only up to the limit: past it, the connection is refused
        # before httptools has buffered more than `max_header_bytes`.
        while data and not self._refused:
            if self._reading_head:
                room = self.limits.max_header_bytes - self._head_bytes
                if room <= 0:
                    self._refuse(431, f"The request head is larger than {self.limits.max_header_bytes} bytes.")
                    break
                part, data = data[:room], data[room:]
                self._head_bytes += len(part)
            else:
                part, data = data, b""
            self._received_any = True
            super().data_received(part)
            if self.transport.is_closing():
                return
        if self._refused:  # lingering: what follows a refusal is dropped, up to LINGER_BYTES
            self._dropped += len(data)
            if self._dropped > LINGER_BYTES:
                # Stop reading, not reset: a sender that goes on (a 100 MB head) then waits for the linger
                # timer's close instead of reconnecting at once, a thousand times a second, for the server to parse.
                self.transport.pause_reading()

    def send_400_response(self, msg: str) -> None:
        """A request the HTTP parser cannot read: docqa's JSON 400 (uvicorn's own is plain text), then close."""
        self._refuse(400, "The request is not valid HTTP/1.1 (its request line, a header or the body's framing).")

    # -- parser callbacks ------------------------------------------------------------------------
    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._reading_head = False
        super().on_headers_complete()
        cycle = self.cycle
        if cycle is not None and cycle.transport is self.transport:  # the new request's cycle (not yet run)
            cycle.transport = HeadWithBody(cycle, self.transport, self.loop)  # type: ignore[assignment]

    def on_message_begin(self) -> None:
        if self._deadline is None:
            self._start_deadline()
        super().on_message_begin()

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._refused:
            return
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refuse(431, f"The request has more than {self.limits.max_headers} header fields.")
            return
        super().on_header(name, value)

    def on_body(self, body: bytes) -> None:
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if self._refused:
            return
        self._stop_deadline()
        self._reading_head, self._head_bytes, self._header_count = True, 0, 0
        super().on_message_complete()

    # -- limits ----------------------------------------------------------------------------------
    def _start_deadline(self) -> None:
        self._stop_deadline()
        self._deadline = self.loop.call_later(self.limits.request_timeout, self._request_too_slow)

    def _stop_deadline(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _request_too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if not self._received_any or (self.cycle is not None and self.cycle.response_started):
            self._refused = True
            self._note(0, "closed: no request within the deadline")
            self.transport.close()
            return
        if self.cycle is not None:  # the app was waiting for the rest of the body: it now sees a disconnect
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self._refuse(408, f"The request did not arrive within {self.limits.request_timeout:g} seconds.")

    def _refuse(self, status: int, message: str, *, headers: tuple[tuple[str, str], ...] = ()) -> None:
        """Answer `status`, stop reading requests, and close after a short linger."""
        self._refused = True
        self._stop_deadline()
        self._unset_keepalive_if_required()
        self._note(status, message)
        transport = self.transport
        transport.write(refusal(status, message, headers=headers))
        try:
            transport.write_eof()
        except (NotImplementedError, RuntimeError, OSError):
            transport.close()
            return
        self.loop.call_later(LINGER_SECONDS, transport.abort)

    def _note(self, status: int, message: str) -> None:
        client = (self.client or ("", 0))[0]
        log.info({"event": "connection refused", "status": status, "reason": message, "client": client})


class HeadWithBody:
    """The transport one response is written through: its head is held and sent in one write with the first
    body bytes, or at the end of the current event-loop step when no body follows in it (a HEAD answer, a
    stream whose first chunk is not ready yet).

    uvicorn writes the head and the body in two `transport.write` calls. Between them the event loop's thread
    gives up the GIL (in the head's send()), and on a busy machine it may wait tens of milliseconds to get
    it back. A replica SIGKILLed in that gap had sent nginx the head alone: nginx had already passed it to
    the client, could not retry the request on another replica (`proxy_next_upstream` applies only until
    a response starts) and closed the client's connection mid-answer (the client saw 200 and then an
    IncompleteRead). With one write a killed replica has sent nothing, and nginx retries the request.
    (aiohttp coalesces small responses the same way.)
    """

    def __init__(self, cycle: Any, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self.cycle = cycle  # uvicorn's RequestResponseCycle: its head is the first write once the response started
        self.transport = transport
        self.loop = loop
        self._head: bytes | None = None
        self._head_seen = False

    def write(self, data: bytes) -> None:
        if self._head is not None:
            data, self._head = self._head + data, None
        elif not self._head_seen and self.cycle.response_started:  # not an interim "100 Continue"
            self._head_seen, self._head = True, data
            self.loop.call_soon(self.flush)
            return
        self.transport.write(data)

    def flush(self) -> None:
        """Send a head still held (no body came in the step that wrote it)."""
        head, self._head = self._head, None
        if head is not None and not self.transport.is_closing():
            self.transport.write(head)

    def close(self) -> None:
        self.flush()
        self.transport.close()

    def is_closing(self) -> bool:
        return self.transport.is_closing()

    def __getattr__(self, name: str) -> Any:  # anything else a cycle may use (get_extra_info...)
        return getattr(self.transport, name)


def protocol_factory(limits: ConnectionLimits) -> functools.partial:
    """The `http` protocol uvicorn should build connections with (a partial: it pickles into `--workers` processes)."""
    return functools.partial(GuardedHttpToolsProtocol, limits=limits)


def trusted_proxy_list(settings: Settings) -> list[str]:
    """DOCQA_TRUSTED_PROXIES as a list of addresses or networks (empty: trust no forwarded header)."""
    return [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for `uvicorn.run` / `uvicorn.Config` that enforce docqa's connection settings."""
    proxies = trusted_proxy_list(settings)
    return {
        "http": protocol_factory(ConnectionLimits.from_settings(settings)),
        "ws": "none",
        "timeout_keep_alive": settings.keep_alive_seconds,
        # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told otherwise: only listed proxies here.
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
    }


def check_open_file_limit(max_connections: int) -> int:
    """Make sure this process may open `max_connections` sockets plus `RESERVED_FILES`; returns the limit.

    Raises the soft RLIMIT_NOFILE up to what is needed when the hard limit allows, else raises
    `DocqaError` saying what to change (the limit is inherited by `--workers` processes).
    """
    try:
        import resource
    except ImportError:  # not on POSIX: nothing to check
        return max_connections + RESERVED_FILES
    needed = max_connections + RESERVED_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return needed if soft == resource.RLIM_INFINITY else soft
    if hard == resource.RLIM_INFINITY or hard >= needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
        log.info(f"raised the open-file limit from {soft} to {needed} (DOCQA_MAX_CONNECTIONS {max_connections} + {RESERVED_FILES})")
        return needed
    raise DocqaError(
        f"The open-file limit ({hard}) is below DOCQA_MAX_CONNECTIONS ({max_connections}) + {RESERVED_FILES} for the index "
        f"and logs. Raise it (ulimit -n {needed}, or LimitNOFILE= in a systemd unit) or set DOCQA_MAX_CONNECTIONS="
        f"{max(1, hard - RESERVED_FILES)} or less."
    )


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound (uvicorn or the workers' supervisor listens on it). Created as TCP explicitly:
    uvicorn's own has protocol 0, so asyncio does not set TCP_NODELAY on its connections and every response
    waits ~40 ms for a delayed ACK (measured). A port in use (or an address not of this machine) is a
    `DocqaError` line, said before anything is indexed or served."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = " (is another server using it? choose another with --port or DOCQA_PORT)" if exc.errno == errno.EADDRINUSE else ""
        raise DocqaError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from exc
    sock.set_inheritable(True)
    return sock
