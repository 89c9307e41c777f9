"""Request body limits, as pure ASGI middleware: body size and encoding, JSON content type.

Each refusal is a 4xx with a JSON body `{"error": ..., "request_id": ...}`, sent
before the request reaches a route, so hostile input never costs a model call.

- `BodyLimitMiddleware`: bodies over `max_bytes` → 413 (checked on Content-Length and
  again while reading, for chunked uploads); `/api/*` bodies that are not UTF-8, or whose JSON strings hold
  a lone surrogate or a NUL (PostgreSQL text cannot store one: the question log's batch would fail) → 400;
  `POST /api/*` without `Content-Type: application/json` → 415.
(The per-client rate limit is server/rate_limit.py; connection limits, below the app, server/connections.py.)
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


API_PREFIX = "/api/"


async def send_json_error(scope: Scope, send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    """Answer with `{"error": message, "request_id": ...}` (the id set by server/access_log.py)."""
    body = {"error": message}
    request_id = scope.get("state", {}).get("request_id")
    if request_id:
        body["request_id"] = request_id
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return value
    return None


def _holds_nul(data: object) -> bool:
    """True when a string of the parsed JSON `data` (a key or a value, at any depth) holds U+0000."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _text_problem(body: bytes) -> str | None:
    """Why `body` is not usable text: invalid UTF-8, or JSON whose strings hold lone surrogates or NULs."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "The request body is not valid UTF-8."
    if "\\u" not in text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None  # not JSON: the route's own parsing answers with a 4xx
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" escapes decode to code points no UTF-8 text can hold
        return "The request body contains an invalid Unicode escape (a lone surrogate)."
    except (ValueError, RecursionError):
        return None
    if _holds_nul(data):
        return "The request body contains a NUL character (\\u0000), which no field accepts."
    return None


class BodyLimitMiddleware:
    """Reads each request body up front (at most `max_bytes`) and replays it to the app."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = f"The request body is larger than {self.max_bytes} bytes."
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await send_json_error(scope, send, 400, "Invalid Content-Length header.")
                return
            if int(declared) > self.max_bytes:
                await send_json_error(scope, send, 413, too_large)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await send_json_error(scope, send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        api = scope.get("path", "").startswith(API_PREFIX)
        if api and scope.get("method") == "POST":
            content_type = (_header(scope, b"content-type") or b"").split(b";")[0].strip().lower()
            if content_type != b"application/json":
                await send_json_error(scope, send, 415, "Send the request body as JSON (Content-Type: application/json).")
                return
        if api and body:
            problem = _text_problem(body)
            if problem:
                await send_json_error(scope, send, 400, problem)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # waits for the disconnect, as a real receive would

        await self.app(scope, replay, send)
