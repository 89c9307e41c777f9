"""Operator routes: the staff report `GET /admin` (admin_report.py), `POST /admin/reload`, `GET /admin/stats`.

They exist only when DOCQA_ADMIN_TOKEN is set (otherwise they are 404 like any unknown path) and
are left out of the public OpenAPI schema. Scripts send `Authorization: Bearer <token>`; people sign
in at `/admin/login` with the token and get a session cookie (HttpOnly, SameSite=Strict, Secure over
HTTPS, 12 hours) that reads the report and its exports. The cookie holds an expiry and an HMAC of it
keyed by the token, not the token: changing the token signs everybody out. A wrong token at the form is
answered after a second. Changing things (`POST /admin/reload`) takes the bearer header only.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import time
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

SESSION_COOKIE = "docqa_admin"
SESSION_SECONDS = 12 * 3600
WRONG_TOKEN_DELAY_S = 1.0
MAX_TOKEN_CHARS = 1000
FIRST_INDEX_RETRY_SECONDS = 10


def _rss_bytes() -> int | None:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


class AdminAuth:
    """Checks the bearer token and the session cookie; makes session cookies."""

    def __init__(self, token: str, *, clock=time.time) -> None:
        self._token = token.encode()
        self.clock = clock

    def token_ok(self, given: str) -> bool:
        return hmac.compare_digest(given.strip().encode(), self._token)

    def bearer_ok(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value)

    def _signature(self, expires: int) -> str:
        return hmac.new(self._token, f"docqa-admin-session:{expires}".encode(), hashlib.sha256).hexdigest()

    def session_value(self) -> str:
        expires = int(self.clock()) + SESSION_SECONDS
        return f"{expires}.{self._signature(expires)}"

    def session_ok(self, request: Request) -> bool:
        expires, _, signature = request.cookies.get(SESSION_COOKIE, "").partition(".")
        # ASCII digits, a dozen at most: int() refuses "²" (which isdigit() accepts) and numbers of 4,300+ digits.
        if not (expires.isascii() and expires.isdigit() and len(expires) <= 12) or int(expires) < self.clock():
            return False
        return hmac.compare_digest(signature.encode(), self._signature(int(expires)).encode())

    def staff(self, request: Request) -> bool:
        """A bearer token or a session cookie: may read the report."""
        return self.bearer_ok(request) or self.session_ok(request)

    def set_session(self, response: Response, request: Request) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self.session_value(),
            max_age=SESSION_SECONDS,
            path="/admin",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )


def install_admin_routes(app: FastAPI, *, token: str, started: float | None = None) -> None:
    """Add the admin routes to `app` when `token` is non-empty."""
    if not token:
        return
    from docqa.server.admin_report import install_report_routes, login_page

    started = time.time() if started is None else started
    auth = AdminAuth(token)
    app.state.admin_auth = auth

    def bearer(request: Request) -> None:
        if not auth.bearer_ok(request):
            raise HTTPException(401, "Admin token missing or wrong.", headers={"WWW-Authenticate": "Bearer"})

    def staff(request: Request) -> None:
        if not auth.staff(request):
            raise HTTPException(401, "Admin token missing or wrong; sign in at /admin/login.", headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/admin", include_in_schema=False)

    @router.post("/reload", dependencies=[Depends(bearer)])
    def reload(request: Request) -> dict:
        """Load the current index version now; the old one serves until the new one is ready."""
        first = getattr(request.app.state, "first_index", None)
        if first is not None and first.running:  # no version to load yet: it is served by itself once built
            raise HTTPException(
                503,
                f"The first index is still being built ({first.phase}); it is served as soon as it is ready. "
                "Try again later (GET /healthz says when it is ready).",
                headers={"Retry-After": str(FIRST_INDEX_RETRY_SECONDS)},
            )
        name = request.app.state.reloader.reload_now()
        return {"status": "ok", "version": name}

    @router.get("/stats", dependencies=[Depends(staff)])
    def stats(request: Request) -> dict[str, Any]:
        """Served version, request counts by status, rate-limit refusals, reloads, memory, the question log's counts."""
        state = request.app.state
        assistant = state.assistant
        question_log = getattr(state, "question_log", None)
        return {
            "version": state.reloader.served_version(),
            "status": state.reloader.status,
            "health": assistant.health() if assistant is not None else state.reloader.health(),
            "requests_by_status": {str(k): v for k, v in sorted(state.request_statuses.items())},
            "rate_limited": state.rate_buckets.refused if state.rate_buckets is not None else 0,
            "reloads": state.reloader.reloads,
            "uptime_s": round(time.time() - started, 1),
            "rss_bytes": _rss_bytes(),
            "question_log": asdict(question_log.counts()) if question_log is not None else None,
        }

    @router.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return login_page(request)

    @router.post("/login")
    async def login(request: Request) -> Response:
        """The form's token → a session cookie and the report; a wrong token → the form again (401)."""
        try:
            form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=4)
        except ValueError:  # more fields than a login form has
            form = {}
        given = (form.get("token") or [""])[0][:MAX_TOKEN_CHARS]
        if not given or not auth.token_ok(given):
            await asyncio.sleep(WRONG_TOKEN_DELAY_S)  # guessing tokens one by one gets slow
            return login_page(request, error="That token is not right.", status_code=401)
        response = RedirectResponse("/admin", status_code=303)
        auth.set_session(response, request)
        return response

    @router.post("/logout")
    def logout() -> Response:
        response = RedirectResponse("/admin/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/admin", httponly=True, samesite="strict")
        return response

    install_report_routes(router, auth=auth)
    app.include_router(router)
