"""A hostile website on 127.0.0.1 for the crawl audit (tests/test_crawl_hostile.py): each path is answered
by a function that writes what it likes on the socket (drips, bombs, lies), so the tests say how the
crawler copes. Routes can be changed while it runs; every request is logged (path with its query)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from tests.local_http import QuietHandler, serve, url_of

Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8", **headers: str) -> None:
    """A complete response with a Content-Length."""
    handler.send_response(status)
    if content_type is not None:
        handler.send_header("Content-Type", content_type)
    for key, value in headers.items():
        handler.send_header(key.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def html(body: str, *, title: str = "Page") -> bytes:
    """A small HTML page."""
    return f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><main><p>{body}</p></main></body></html>".encode()


def fixed(body: bytes, content_type: str | None = "text/html; charset=utf-8", status: int = 200, **headers: str) -> Route:
    """A route answering always the same."""
    return lambda handler: send(handler, status, body, content_type, **headers)


class HostileSite:
    """`routes[path]` answers `path` (the query string is ignored for routing); unknown paths get 404."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {"/robots.txt": fixed(b"User-agent: *\nAllow: /\n", "text/plain")}
        self.log: list[str] = []
        self.server: ThreadingHTTPServer | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        return url_of(self.server)

    def wait(self, seconds: float) -> bool:
        """Sleep (True) unless the site stops first (False)."""
        return not self._stop.wait(seconds)

    def start(self) -> "HostileSite":
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                site.log.append(self.path)
                route = site.routes.get(self.path.split("?", 1)[0])
                try:
                    if route is None:
                        send(self, 404, b"not found")
                    else:
                        route(self)
                except OSError:
                    self.close_connection = True  # the crawler gave up

        self.server = serve(Handler)
        return self

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def drip(site: HostileSite, *, every: float, headers_first: bool = True) -> Route:
    """A 200 page that sends one byte every `every` seconds and never ends (until the site stops)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        handler.wfile.flush()
        while site.wait(every):
            handler.wfile.write(b"a")
            handler.wfile.flush()

    return route


def silent(site: HostileSite) -> Route:
    """Accepts the request and never answers (until the site stops)."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        while site.wait(0.2):
            pass

    return route
