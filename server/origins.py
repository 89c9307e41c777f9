"""The origin policy for browser calls to `/api/*`: the server's own origin plus DOCQA_ALLOWED_ORIGINS.

A pure ASGI middleware. Requests without an `Origin` header (curl, the CLI, same-origin GETs)
pass. Requests from another origin that is not listed get 403 with a JSON error — refused,
not merely left without CORS headers — and no CORS header at all (a refused origin, `null`
included, is never echoed back), so a browser lets the page read nothing. CORS preflights are
answered only for listed origins. Every `/api/*` response carries `Vary: Origin` (caches must
not serve one origin's answer to another). It runs outside the rate and body limits, so their
429, 413 and 415 carry CORS headers for allowed origins. `GET /api/origin` reports the verdict for
the caller's origin; the widget tells "refused" from "unreachable" after a failed request by
whether that call is readable, and whether the server answers at all (server/static/widget.js).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from urllib.parse import urlsplit


API_PREFIX = "/api/"
CHECK_PATH = "/api/origin"
ALLOWED_METHODS = "GET, POST, OPTIONS"
ALLOWED_HEADERS = ("content-type", "accept", "accept-language")
PREFLIGHT_MAX_AGE = "600"
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _netloc(scheme: str, host: str) -> str:
    """`host[:port]`, lower-cased, with the scheme's default port dropped."""
    host = host.strip().lower()
    try:  # urlsplit raises on a bogus IPv6 bracket ("[", "[zz]"), .port on a bad port
        parsed = urlsplit(f"//{host}")
        port = parsed.port
    except ValueError:
        return host
    name = parsed.hostname or ""
    if ":" in name:  # IPv6 literal
        name = f"[{name}]"
    return name if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{name}:{port}"


@dataclass(frozen=True)
class OriginPolicy:
    """Which browser origins may call the API (`*` in `allowed` lets any origin in)."""

    allowed: frozenset[str]

    @classmethod
    def from_list(cls, origins: Iterable[str]) -> "OriginPolicy":
        return cls(frozenset(o.strip().rstrip("/").lower() for o in origins if o.strip()))

    def permits(self, origin: str, *, host: str) -> bool:
        """True for the server's own origin (same host and port as `Host`) and for listed origins."""
        origin = origin.strip().rstrip("/").lower()
        if "*" in self.allowed or origin in self.allowed:
            return True
        try:
            parts = urlsplit(origin)
        except ValueError:  # a bogus IPv6 bracket: no browser sends that
            return False
        if parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
            return False  # "null" (sandboxed frames, file://) and other opaque origins
        # Compare host:port only: behind a TLS-terminating proxy the page is https, the request http.
        own = {_netloc(scheme, host) for scheme in _DEFAULT_PORTS}
        return _netloc(parts.scheme, parts.netloc) in own


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _with_vary_origin(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """`headers` with `Origin` added to their `Vary` header (or a new `Vary: Origin`)."""
    out, found = [], False
    for key, value in headers:
        if key.lower() == b"vary":
            found = True
            if b"origin" not in value.lower() and value.strip() != b"*":
                value = value + b", Origin"
        out.append((key, value))
    return out if found else [*out, (b"vary", b"Origin")]


async def _respond(send: Send, status: int, body: dict | None, headers: list[tuple[bytes, bytes]]) -> None:
    payload = b"" if body is None else json.dumps(body).encode()
    head = _with_vary_origin(headers)
    if body is not None:
        head.append((b"content-type", b"application/json"))
    head.append((b"content-length", str(len(payload)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": payload})


class OriginMiddleware:
    """Enforces an `OriginPolicy` on `/api/*` and answers its CORS preflights."""

    def __init__(self, app: ASGIApp, *, allowed_origins: Iterable[str] = ()) -> None:
        self.app = app
        self.policy = OriginPolicy.from_list(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        method = scope.get("method", "GET")
        if origin is None:
            if scope.get("path") == CHECK_PATH and method == "GET":
                await _respond(send, 200, {"origin": None, "allowed": True}, [])
                return

            async def send_with_vary(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": _with_vary_origin(message.get("headers", ()))}
                await send(message)

            await self.app(scope, receive, send_with_vary)
            return
        if not self.policy.permits(origin, host=_header(scope, b"host") or ""):
            error = "This site is not allowed to use this assistant (origin not in DOCQA_ALLOWED_ORIGINS)."
            await _respond(send, 403, {"error": error, "origin": origin}, [])
            return
        cors = [(b"access-control-allow-origin", origin.encode("latin-1"))]
        if method == "OPTIONS" and _header(scope, b"access-control-request-method"):
            requested = (_header(scope, b"access-control-request-headers") or "").lower()
            extra = [h.strip() for h in requested.split(",") if h.strip() and h.strip() not in ALLOWED_HEADERS]
            if extra:
                await _respond(send, 403, {"error": f"request headers not allowed: {', '.join(extra)}"}, cors)
                return
            await _respond(
                send,
                204,
                None,
                cors
                + [
                    (b"access-control-allow-methods", ALLOWED_METHODS.encode()),
                    (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
                    (b"access-control-max-age", PREFLIGHT_MAX_AGE.encode()),
                ],
            )
            return
        if scope.get("path") == CHECK_PATH and method == "GET":
            await _respond(send, 200, {"origin": origin, "allowed": True}, cors)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"access-control-allow-origin"]
                # Retry-After (the 503 while starting, a 429) is not a CORS-safelisted header: the widget reads it.
                exposed = [(b"access-control-expose-headers", b"Retry-After, X-Request-ID")]
                message = {**message, "headers": _with_vary_origin(headers + cors + exposed)}
            await send(message)

        await self.app(scope, receive, send_with_cors)
