"""A response's head leaves with its body, in one write (server/connections.py `HeadWithBody`).

A replica SIGKILLed after writing an answer's head but before its body left nginx holding a started
response it could not retry elsewhere: 1 client request in ~6,000 failed with IncompleteRead in
tests/test_replicas.py. Here a real uvicorn with docqa's protocol serves a tiny ASGI app that kills its
own process between the two, over a real socket.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest

from tests.serve_harness import REPO, free_port

pytestmark = pytest.mark.e2e

SERVER = """
import asyncio, os, signal, sys
import uvicorn
from docqa.server.connections import ConnectionLimits, protocol_factory

async def app(scope, receive, send):
    path = scope["path"]
    body = b"hello"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]})
    if path == "/die-after-head":
        os.kill(os.getpid(), signal.SIGKILL)
    if path == "/slow-body":
        await asyncio.sleep(1.0)
    await send({"type": "http.response.body", "body": body})

config = uvicorn.Config(app, host="127.0.0.1", port=int(sys.argv[1]), http=protocol_factory(ConnectionLimits()),
                        lifespan="off", log_level="warning")
uvicorn.Server(config).run()
"""


@pytest.fixture
def server():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=REPO)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the test server did not start") from None
            time.sleep(0.05)
    yield port, process
    if process.poll() is None:
        process.terminate()
        process.wait(10)


def request(sock: socket.socket, method: str, path: str) -> None:
    sock.sendall(f"{method} {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())


def read_until(sock: socket.socket, ending: bytes, *, timeout: float = 10) -> bytes:
    sock.settimeout(timeout)
    data = b""
    while not data.endswith(ending):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_a_process_killed_between_head_and_body_has_sent_nothing(server):
    """Before: the head (200, content-length 5) had left; a proxy passes that on and cannot retry."""
    port, process = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        request(sock, "GET", "/die-after-head")
        assert process.wait(10) == -9
        assert read_until(sock, b"never") == b""  # a plain close: nginx retries the request on another replica


def test_a_head_without_body_in_the_same_step_is_not_held_back(server):
    """A stream whose first chunk is not ready, and a HEAD answer, get their head at once."""
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        started = time.monotonic()
        request(sock, "GET", "/slow-body")
        head = read_until(sock, b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and time.monotonic() - started < 0.8
        assert read_until(sock, b"hello") == b"hello"
        request(sock, "HEAD", "/")  # no body write at all: the head still leaves, and the connection goes on
        assert b"content-length: 5" in read_until(sock, b"\r\n\r\n")
        request(sock, "GET", "/")
        assert read_until(sock, b"hello").endswith(b"\r\n\r\nhello")
