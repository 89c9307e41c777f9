"""Operator routes: `POST /admin/reload` and `GET /admin/stats`.

They exist only when DOCQA_ADMIN_TOKEN is set (otherwise they are 404 like any
unknown path) and require `Authorization: Bearer <token>`; they are left out of
the public OpenAPI schema.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request


def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def install_admin_routes(app: FastAPI, *, token: str, started: float | None = None) -> None:
    """Add the admin routes to `app` when `token` is non-empty."""
    if not token:
        return
    started = time.time() if started is None else started
    expected = token.encode()

    def authorised(request: Request) -> None:
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), expected):
            raise HTTPException(401, "Admin token missing or wrong.", headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/admin", include_in_schema=False, dependencies=[Depends(authorised)])

    @router.post("/reload")
    def reload(request: Request) -> dict:
        """Load the current index version now; the old one serves until the new one is ready."""
        name = request.app.state.reloader.reload_now()
        return {"status": "ok", "version": name}

    @router.get("/stats")
    def stats(request: Request) -> dict[str, Any]:
        """Served version, request counts by status, rate-limit refusals, reloads, memory."""
        state = request.app.state
        assistant = state.assistant
        return {
            "version": state.reloader.served_version(),
            "status": state.reloader.status,
            "health": assistant.health() if assistant is not None else state.reloader.health(),
            "requests_by_status": {str(k): v for k, v in sorted(state.request_statuses.items())},
            "rate_limited": state.rate_buckets.refused if state.rate_buckets is not None else 0,
            "reloads": state.reloader.reloads,
            "uptime_s": round(time.time() - started, 1),
            "rss_bytes": _rss_bytes(),
        }

    app.include_router(router)
