"""Request limits, as pure ASGI middleware: body size and encoding, JSON content type, per-client rate.

Each refusal is a 4xx with a JSON body `{"error": ..., "request_id": ...}`, sent
before the request reaches a route, so hostile input never costs a model call.

- `BodyLimitMiddleware`: bodies over `max_bytes` → 413 (checked on Content-Length and
  again while reading, for chunked uploads); `/api/*` bodies that are not UTF-8 → 400;
  `POST /api/*` without `Content-Type: application/json` → 415.
- `RateLimitMiddleware`: a token bucket per client address on `/api/*`
  (`DOCQA_RATE_LIMIT`, e.g. `30/minute`) → 429 with `Retry-After` in seconds.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from dataclasses import dataclass
from typing import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docqa.errors import InvalidInput


API_PREFIX = "/api/"
_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


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


def _text_problem(body: bytes) -> str | None:
    """Why `body` is not usable text: invalid UTF-8, or JSON whose strings hold lone surrogates."""
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


@dataclass(frozen=True)
class RateLimit:
    """`requests` per `seconds`, as parsed from "30/minute" or "5/second"."""

    requests: int
    seconds: float

    @classmethod
    def parse(cls, text: str) -> "RateLimit | None":
        """None for an empty setting (no limit); `InvalidInput` for a malformed one."""
        text = text.strip().lower()
        if not text or text in ("0", "off", "none"):
            return None
        match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*(second|minute|hour|day)s?", text)
        if not match or int(match.group(1)) < 1:
            raise InvalidInput(f'DOCQA_RATE_LIMIT must look like "30/minute" or "5/second", not {text!r}')
        return cls(int(match.group(1)), _PERIODS[match.group(3)] * int(match.group(2) or 1))


class TokenBuckets:
    """One token bucket per key: `requests` tokens, refilled evenly over `seconds`."""

    MAX_KEYS = 100_000

    def __init__(self, limit: RateLimit, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.rate = limit.requests / limit.seconds
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self.refused = 0

    def take(self, key: str) -> float:
        """0 when the request may pass, else the seconds until it may."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.limit.requests), now))
            tokens = min(float(self.limit.requests), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            self.refused += 1
            if len(self._buckets) > self.MAX_KEYS:
                self._forget_full(now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled is the same as no bucket: drop those to bound memory.
        full = [k for k, (t, last) in self._buckets.items() if t + (now - last) * self.rate >= self.limit.requests]
        for key in full:
            del self._buckets[key]


class RateLimitMiddleware:
    """Refuses `/api/*` requests beyond the per-client limit with 429 and Retry-After."""

    def __init__(self, app: ASGIApp, *, buckets: TokenBuckets) -> None:
        self.app = app
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path", "").startswith(API_PREFIX) and scope.get("method") != "OPTIONS":
            client = scope.get("client") or ("unknown", 0)
            wait = self.buckets.take(str(client[0]))
            if wait > 0:
                retry = str(max(1, math.ceil(wait))).encode()
                await send_json_error(scope, send, 429, "Too many requests; please wait a moment.", [(b"retry-after", retry)])
                return
        await self.app(scope, receive, send)
