"""Security headers on every response (pure ASGI middleware).

The Content-Security-Policy allows scripts from this server only: no inline
scripts, no `eval`, no third-party hosts. `frame-ancestors` lets the server's own
pages and the DOCQA_ALLOWED_ORIGINS sites frame it, nobody else; the staff pages
(/admin/*) nobody at all (`'none'` and `X-Frame-Options: DENY`: the sites allowed to
embed the widget must not frame the sign-in form or the report, clickjacking). A route
that sets its own Content-Security-Policy keeps it.
"""

from __future__ import annotations

from typing import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

STAFF_PREFIX = "/admin"


def content_security_policy(frame_origins: Iterable[str] = (), *, frameable: bool = True) -> str:
    """The policy for docqa's pages; `frame_origins` may embed them in a frame (none may when not `frameable`)."""
    ancestors = " ".join(["'self'", *(o for o in frame_origins if o and o != "*")]) if frameable else "'none'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            f"frame-ancestors {ancestors}",
        ]
    )


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff and referrer headers to each HTTP response that lacks them."""

    def __init__(self, app: ASGIApp, *, frame_origins: Iterable[str] = ()) -> None:
        self.app = app
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"strict-origin-when-cross-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        self.headers = [(b"content-security-policy", content_security_policy(frame_origins).encode()), *common]
        self.staff_headers = [
            (b"content-security-policy", content_security_policy(frameable=False).encode()),
            (b"x-frame-options", b"DENY"),
            *common,
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        headers = self.staff_headers if path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/") else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in headers if k not in present]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
