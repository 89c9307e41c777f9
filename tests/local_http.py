"""What the test websites on 127.0.0.1 share (tests/crawl_site.py, tests/hostile_site.py): a quiet request
handler base and a threaded server started on a free port."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as real sites), no request logging on stderr."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up (a crawler's timeout)


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """A threaded server for `handler` on 127.0.0.1 and a free port, already serving (daemon threads)."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def url_of(server: ThreadingHTTPServer | None) -> str:
    """http://127.0.0.1:PORT of a started server."""
    assert server is not None
    return f"http://127.0.0.1:{server.server_address[1]}"
