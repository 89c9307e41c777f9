"""Request ids and the structured access log (outermost ASGI middleware).

Every request gets an id (the caller's `X-Request-ID` when it is a short plain
token, else a new one), returned in the `X-Request-ID` header and, for errors, in
the JSON body. Each request is logged as one JSON line on the `docqa.access`
logger: id, method, route template, status, latency. An exception that escapes a
route is logged with the request id and answered with a JSON 500 carrying the id.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


access_log = logging.getLogger("docqa.access")
error_log = logging.getLogger("docqa.error")
_CALLER_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id(scope_or_request: Any) -> str | None:
    """The id of the request (a Starlette `Request` or an ASGI scope)."""
    scope = getattr(scope_or_request, "scope", scope_or_request)
    return scope.get("state", {}).get("request_id")


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: the record's dict message, or {"level", "logger", "message"}."""

    def format(self, record: logging.LogRecord) -> str:
        if isinstance(record.msg, dict):
            data = dict(record.msg)
        else:
            data = {"level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
            if record.exc_info:
                data["exception"] = self.formatException(record.exc_info)
        data.setdefault("time", round(record.created, 3))
        return json.dumps(data, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is logged, not to the stream it was when configured
    (a replaced and closed stderr, as under a test's capture, would otherwise fail every later line)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(*, level: int = logging.INFO) -> None:
    """Send docqa's logs (access log, errors, first-start progress) to stderr as JSON lines (once per process).

    They stop at the "docqa" logger: a handler on the root logger (which a library's bare
    `logging.warning()` installs, e.g. onnxruntime's quantizer) would print every line a second time.
    """
    docqa_log = logging.getLogger("docqa")
    docqa_log.propagate = False
    if any(getattr(h, "_docqa_json", False) for h in docqa_log.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(JsonLineFormatter())
    handler._docqa_json = True  # type: ignore[attr-defined]
    docqa_log.addHandler(handler)
    docqa_log.setLevel(level)


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is not None:
        return path or "/"
    return "(unmatched)"


class AccessLogMiddleware:
    """Assigns request ids, logs one line per request and turns escaped exceptions into JSON 500s."""

    def __init__(self, app: ASGIApp, *, statuses: Counter[int] | None = None) -> None:
        self.app = app
        self.statuses: Counter[int] = Counter() if statuses is None else statuses

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == b"x-request-id"), "")
        rid = given if _CALLER_ID.fullmatch(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        started = time.perf_counter()
        status = 0
        size = 0

        async def send_logged(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != b"x-request-id"]
                message = {**message, "headers": [*headers, (b"x-request-id", rid.encode())]}
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        except Exception:
            error_log.exception("unexpected error in request %s (%s %s)", rid, scope.get("method"), scope.get("path"))
            if status:  # the response had started: nothing sensible left to send
                raise
            from docqa.server.limits import send_json_error

            vary = [(b"vary", b"Origin")] if str(scope.get("path", "")).startswith("/api/") else []  # as origins.py's
            await send_json_error(scope, send_logged, 500, "Internal error; quote the request id when reporting it.", vary)
        finally:
            self.statuses[status] += 1
            access_log.info(
                {
                    "request_id": rid,
                    "method": scope.get("method"),
                    "route": _route_of(scope),
                    "path": scope.get("path", "")[:200],
                    "status": status,
                    "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                    "bytes": size,
                    "client": (scope.get("client") or ("", 0))[0],
                }
            )
