"""Wires the protections into the app: limits, origin policy, security headers, access log, hot reload, admin routes.

Middleware order, outermost first: access log (request id) → HEAD as GET → security headers →
origin policy (so the limits' 429/413/415 carry CORS headers for allowed origins) → rate limit →
body limit → reload poll (a new CURRENT?) → routes. Connection limits (header size, deadlines,
connection cap) sit below all of these, in the HTTP protocol (server/connections.py).
"""

from __future__ import annotations

import contextlib
import signal
from collections import Counter
from typing import Any, Callable

from fastapi import FastAPI

from docqa.server.access_log import AccessLogMiddleware
from docqa.server.admin import install_admin_routes
from docqa.server.head import HeadAsGetMiddleware
from docqa.server.limits import BodyLimitMiddleware
from docqa.server.origins import OriginMiddleware
from docqa.server.rate_limit import ClientRateLimiter, RateLimit, RateLimitMiddleware
from docqa.server.reload import Reloader
from docqa.server.security import SecurityHeadersMiddleware
from docqa.config import Settings


class _PollReload:
    """Looks for a new CURRENT index version (cheaply) as requests arrive."""

    def __init__(self, app: Any, *, reloader: Reloader) -> None:
        self.app = app
        self.reloader = reloader

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http":
            self.reloader.poll()
        await self.app(scope, receive, send)


def install_hardening(app: FastAPI, settings: Settings, *, load: Callable[[], Any]) -> Reloader:
    """Add the middleware and admin routes to `app`; returns the app's `Reloader` (also `app.state.reloader`).

    Call after the app's own middleware, so these wrap it.
    """
    reloader = Reloader(app.state, load=load, root=settings.index, check_seconds=settings.reload_check_seconds)
    app.state.reloader = reloader
    app.state.request_statuses = Counter()
    limit = RateLimit.parse(settings.rate_limit)
    app.state.rate_buckets = ClientRateLimiter(limit, clients=settings.rate_limit_clients) if limit else None
    app.add_middleware(_PollReload, reloader=reloader)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if app.state.rate_buckets is not None:
        app.add_middleware(RateLimitMiddleware, limiter=app.state.rate_buckets)
    app.add_middleware(OriginMiddleware, allowed_origins=settings.allowed_origin_list)
    app.add_middleware(SecurityHeadersMiddleware, frame_origins=settings.allowed_origin_list)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(AccessLogMiddleware, statuses=app.state.request_statuses)
    install_admin_routes(app, token=settings.admin_token)
    document_error_responses(app)
    follow_while_serving(app, reloader)
    return reloader


def follow_while_serving(app: FastAPI, reloader: Reloader) -> None:
    """Run `reloader.follow()` for as long as the app serves (around the app's own lifespan)."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> Any:
        stop = reloader.follow()
        try:
            async with inner(app) as state:
                yield state
        finally:
            stop()

    app.router.lifespan_context = lifespan


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "request_id": {"type": "string"}},
    "required": ["error"],
}
_ERRORS = {
    "400": "Malformed request (body not UTF-8, a lone surrogate or NUL in a JSON string, bad Content-Length, unparsable body)",
    "403": "Browser origin not allowed",
    "413": "Request body too large",
    "415": "Body is not JSON",
    "429": "Rate limit exceeded (see Retry-After)",
    "503": "The index is still loading, or it is damaged (the message says which)",
}


def document_error_responses(app: FastAPI) -> None:
    """List the middleware's error answers in /openapi.json, so clients (and fuzzers) know every status."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path, item in schema.get("paths", {}).items():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                for status, description in _ERRORS.items():
                    if status in ("413", "415") and method != "post":
                        continue
                    if status in ("403", "429") and not path.startswith("/api/"):
                        continue
                    content = {"application/json": {"schema": _ERROR_SCHEMA}}
                    if path == "/healthz" and status == "503":
                        content = {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}}}}}
                    responses.setdefault(status, {"description": description, "content": content})
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def reload_on_sighup(reloader: Reloader) -> None:
    """`kill -HUP <pid>` makes the server load the current index version (call from the main thread)."""
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: reloader.start_in_background())
