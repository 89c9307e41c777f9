"""Wires issue 7's protections into the app: limits, security headers, access log, hot reload, admin routes.

Middleware order, outermost first: access log (request id) → security headers →
rate limit → body limit → the app's own middleware (origin policy) → routes.
"""

from __future__ import annotations

import signal
from collections import Counter
from typing import Any, Callable

from fastapi import FastAPI

from server.access_log import AccessLogMiddleware
from server.admin import install_admin_routes
from server.limits import BodyLimitMiddleware, RateLimit, RateLimitMiddleware, TokenBuckets
from server.reload import Reloader
from server.security import SecurityHeadersMiddleware
from server.settings import Settings


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
    app.state.rate_buckets = TokenBuckets(limit) if limit else None
    app.add_middleware(_PollReload, reloader=reloader)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    if app.state.rate_buckets is not None:
        app.add_middleware(RateLimitMiddleware, buckets=app.state.rate_buckets)
    app.add_middleware(SecurityHeadersMiddleware, frame_origins=settings.allowed_origin_list)
    app.add_middleware(AccessLogMiddleware, statuses=app.state.request_statuses)
    install_admin_routes(app, token=settings.admin_token)
    return reloader


def reload_on_sighup(reloader: Reloader) -> None:
    """`kill -HUP <pid>` makes the server load the current index version (call from the main thread)."""
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, lambda *_: reloader.start_in_background())
