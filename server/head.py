"""`HEAD` wherever `GET` works (pure ASGI middleware): the request is routed as a GET and its body dropped.

FastAPI's GET routes answer HEAD with 405; HTTP says a HEAD must get the GET's status and headers
(monitors and link checkers send it). uvicorn sees the original HEAD, so it sends no body either.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    """Answers HEAD with what GET would answer, headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        inner = {**scope, "method": "GET"}
        try:
            await self.app(inner, receive, headers_only)
        finally:
            if "route" in inner:  # for the access log, which reads the matched route from its own scope
                scope["route"] = inner["route"]
