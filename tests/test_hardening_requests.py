"""Hostile requests and abuse: always a 4xx JSON answer, never a 500; limits, headers, admin, logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docqa.index.assistant import Assistant
from docqa.server.app import create_app
from docqa.config import Settings


def make_client(index: Path, embedder, **settings) -> TestClient:
    app = create_app(Settings(index=index, model=embedder.name, **settings), assistant=Assistant(index, embedder=embedder))
    app.state.reloader.load = lambda: Assistant(index, embedder=embedder)  # reloads use the fake model too
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(tiny_index, fake_embedder):
    with make_client(tiny_index, fake_embedder) as c:
        yield c


def assert_json_4xx(response, status: int | None = None, *, id_in_body: bool = True) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])
    if status is not None:
        assert response.status_code == status, response.text[:200]
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"]
    assert response.headers["x-request-id"]
    if id_in_body:
        assert body.get("request_id") == response.headers["x-request-id"]
    return body


HOSTILE_BODIES = [
    ("not json", "application/json", 422),
    ("{", "application/json", 422),
    ("[]", "application/json", 422),
    ("null", "application/json", 422),
    ('"question"', "application/json", 422),
    ('{"question": 5}', "application/json", 422),
    ('{"question": ""}', "application/json", 422),
    ('{"question": "   "}', "application/json", 422),
    ('{"question": "x", "extra": 1}', "application/json", 422),
    ('{"question": "x", "history": "no"}', "application/json", 422),
    ('{"question": "x", "history": [{"role": "system", "content": "hi"}]}', "application/json", 422),
    ('{"question": "x", "history": [{"role": "user"}]}', "application/json", 422),
    ('{"question": "x", "mode": "sql"}', "application/json", 422),
    ('{"question": "' + "a" * 1001 + '"}', "application/json", 422),
    ('{"question": "x", "history": [' + ",".join(['{"role": "user", "content": "hi"}'] * 21) + "]}", "application/json", 422),
    ('{"question": "x", "history": [{"role": "user", "content": "' + "b" * 4001 + '"}]}', "application/json", 422),
    ('{"question": "x"}', "text/plain", 415),
    ('{"question": "x"}', "application/x-www-form-urlencoded", 415),
    ("question=x", "multipart/form-data; boundary=zz", 415),
    ('{"question": "x"}', "", 415),
    ('{"question": "\\ud800"}', "application/json", 400),  # lone surrogate escape: not text
    ('{"question": "x", "history": [{"role": "user", "content": "a\\udc00b"}]}', "application/json", 400),
    ('{"question": "\\ud83d\\ude00 emoji as a surrogate pair is fine"}', "application/json", 200),
]


@pytest.mark.parametrize("body,content_type,status", HOSTILE_BODIES)
def test_hostile_ask_bodies_get_a_json_4xx(client, body, content_type, status):
    headers = {"content-type": content_type} if content_type else {}
    r = client.post("/api/ask", content=body.encode(), headers=headers)
    if status == 200:
        assert r.status_code == 200, r.text[:200]
        return
    assert_json_4xx(r, status)


def test_invalid_utf8_and_nul_bytes(client):
    assert_json_4xx(client.post("/api/ask", content=b'{"question": "caf\xe9"}', headers={"content-type": "application/json"}), 400)
    r = client.post("/api/ask", content=b'{"question": "a\x00b"}', headers={"content-type": "application/json"})
    assert r.status_code == 200 or assert_json_4xx(r)


def test_body_size_limit_is_413(tiny_index, fake_embedder):
    with make_client(tiny_index, fake_embedder) as c:  # default 64 KB
        big = json.dumps({"question": "x", "history": [{"role": "user", "content": "y" * 3000}] * 20 + [{"role": "user", "content": "z" * 4000}] * 2})
        assert len(big) > 64 * 1024
        assert_json_4xx(c.post("/api/ask", content=big, headers={"content-type": "application/json"}), 413)
        # without Content-Length (chunked upload)
        r = c.post("/api/ask", content=iter([b'{"question": "', b"q" * 70_000, b'"}']), headers={"content-type": "application/json"})
        assert_json_4xx(r, 413)
        assert_json_4xx(c.post("/api/ask", content=b"{}", headers={"content-type": "application/json", "content-length": "abc"}), 400)
    with make_client(tiny_index, fake_embedder, max_body_bytes=2048) as c:
        assert_json_4xx(c.post("/api/ask", json={"question": "q" * 900, "history": [{"role": "user", "content": "h" * 2000}]}), 413)
        assert c.post("/api/ask", json={"question": "Which river rises in the Swiss Alps?"}).status_code == 200


@pytest.mark.parametrize(
    "query,status",
    [("q=danube&k=0", 422), ("q=danube&k=101", 422), ("q=danube&k=-1", 422), ("q=danube&k=1e9", 422), ("q=danube&k=abc", 422),
     ("q=", 422), ("q=%20%20", 422), ("k=3", 422), ("q=" + "a" * 1001, 422), ("q=danube&mode=evil", 422), ("q=%FF%FE", None), ("q=%ED%A0%80", None), ("q=%00", None)],
)
def test_search_parameter_bounds(client, query, status):
    r = client.get(f"/api/search?{query}")
    if status is None and r.status_code == 200:
        return
    assert_json_4xx(r, status)


def test_unknown_routes_and_methods(client):
    assert_json_4xx(client.get("/api/nope"), 404)
    assert_json_4xx(client.get("/admin/stats"), 404)  # no admin token set: admin routes do not exist
    assert_json_4xx(client.post("/admin/reload"), 404)
    assert_json_4xx(client.get("/api/ask"), 405)
    assert_json_4xx(client.delete("/api/search?q=x"), 405)
    assert_json_4xx(client.put("/healthz"), 405)
    assert_json_4xx(client.request("PATCH", "/api/ask", json={"question": "x"}), 405)


@pytest.mark.parametrize(
    "path",
    ["/static/../app.py", "/static/%2e%2e/app.py", "/static/%252e%252e/app.py", "/static/..%2fapp.py", "/static/..%252fapp.py",
     "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/....//app.py", "/static//etc/passwd", "/static/%00", "/static/..\\app.py",
     "/%2e%2e/server/app.py", "/static/%c0%ae%c0%ae/app.py"],
)
def test_no_route_serves_files_outside_its_folder(client, path):
    r = client.get(path)
    assert r.status_code in (400, 404, 405), (path, r.status_code)
    assert "create_app" not in r.text and "root:" not in r.text and "[project]" not in r.text


def test_security_headers_on_pages_and_api(client):
    for path in ("/", "/api/search?q=danube", "/nope", "/healthz"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] == "'self'" and "unsafe" not in csp
        assert directives["frame-ancestors"].startswith("'self'")
        assert r.headers["x-content-type-options"] == "nosniff"
    page = client.get("/").text
    assert "<script>" not in page.replace(" ", "").lower(), "inline scripts would be blocked by the CSP"


def test_frame_ancestors_follow_the_allowed_origins(tiny_index, fake_embedder):
    with make_client(tiny_index, fake_embedder, allowed_origins="https://shop.example") as c:
        assert "frame-ancestors 'self' https://shop.example" in c.get("/").headers["content-security-policy"]
        # the origin allowlist (server/origins.py) is enforced on the API
        assert_json_4xx(c.post("/api/ask", json={"question": "x"}, headers={"origin": "https://evil.example"}), 403, id_in_body=False)
        ok = c.post("/api/ask", json={"question": "Which river rises in the Swiss Alps?"}, headers={"origin": "https://shop.example"})
        assert ok.status_code == 200


def test_rate_limit_answers_429_with_retry_after(tiny_index, fake_embedder):
    with make_client(tiny_index, fake_embedder, rate_limit="5/minute") as c:
        codes = [c.get("/api/search?q=danube").status_code for _ in range(8)]
        assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
        r = c.get("/api/search?q=danube")
        assert_json_4xx(r, 429)
        assert 1 <= int(r.headers["retry-after"]) <= 12
        assert c.get("/healthz").status_code == 200 and c.get("/").status_code == 200  # pages are not limited


def test_rate_limit_setting_is_validated():
    from docqa.errors import InvalidInput
    from docqa.server.rate_limit import ClientRateLimiter as TokenBuckets, RateLimit

    assert RateLimit.parse("30/minute") == RateLimit(30, 60.0)
    assert RateLimit.parse("2/10second") == RateLimit(2, 10.0)
    assert RateLimit.parse("") is None
    for bad in ("30", "fast", "0/minute", "30/fortnight"):
        with pytest.raises(InvalidInput):
            RateLimit.parse(bad)
    now = [0.0]
    buckets = TokenBuckets(RateLimit(2, 1.0), clock=lambda: now[0])
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0] and buckets.take("a") == pytest.approx(0.5)
    assert buckets.take("b") == 0.0  # per client
    now[0] = 0.5
    assert buckets.take("a") == 0.0 and buckets.refused == 1


def test_admin_routes_need_the_token(tiny_index, fake_embedder):
    with make_client(tiny_index, fake_embedder, admin_token="s3cret-token") as c:
        assert_json_4xx(c.get("/admin/stats"), 401)
        assert_json_4xx(c.get("/admin/stats", headers={"authorization": "Bearer wrong"}), 401)
        assert_json_4xx(c.post("/admin/reload", headers={"authorization": "s3cret-token"}), 401)
        auth = {"authorization": "Bearer s3cret-token"}
        stats = c.get("/admin/stats", headers=auth).json()
        assert stats["version"] and stats["status"] == "ready" and stats["rss_bytes"] > 0
        assert c.post("/admin/reload", headers=auth).json()["version"] == stats["version"]
        assert "/admin/stats" not in c.get("/openapi.json").text


@pytest.mark.parametrize("cookie", [b"9" * 5000 + b".sig", b"\xb2\xb2.sig", b".", b"1.2.3", b"-1.sig"])
def test_a_malformed_session_cookie_is_signed_out_not_a_500(tiny_index, fake_embedder, cookie):
    # Digits Python's int() refuses: more than 4,300 of them, or superscripts (str.isdigit() is true for "²",
    # which a Latin-1 header byte 0xB2 decodes to; the test client would re-encode it, so the raw scope is used).
    from starlette.requests import Request

    with make_client(tiny_index, fake_embedder, admin_token="s3cret-token") as c:
        if cookie.isascii():
            headers = {"cookie": b"docqa_admin=" + cookie}
            assert_json_4xx(c.get("/admin/stats", headers=headers), 401)
            assert_json_4xx(c.get("/admin/export/questions.csv", headers=headers), 401)
            page = c.get("/admin", headers=headers)
            assert page.status_code == 401 and "sign-in" in page.text
        request = Request({"type": "http", "headers": [(b"cookie", b"docqa_admin=" + cookie)]})
        assert c.app.state.admin_auth.staff(request) is False


def test_access_log_and_request_ids(client, caplog):
    caplog.set_level(logging.INFO, logger="docqa")
    r = client.get("/api/search?q=danube", headers={"x-request-id": "abc-123"})
    assert r.headers["x-request-id"] == "abc-123"
    bad = client.get("/api/search?q=danube", headers={"x-request-id": "<script>" * 20})
    assert bad.headers["x-request-id"] != "<script>" * 20 and len(bad.headers["x-request-id"]) == 32
    lines = [rec.msg for rec in caplog.records if rec.name == "docqa.access"]
    first = next(line for line in lines if line["request_id"] == "abc-123")
    assert first["route"] == "/api/search" and first["status"] == 200 and first["latency_ms"] >= 0
    from docqa.server.access_log import JsonLineFormatter

    record = next(rec for rec in caplog.records if rec.name == "docqa.access")
    assert json.loads(JsonLineFormatter().format(record))["request_id"]


def test_unexpected_errors_are_json_500_with_the_request_id(client, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="docqa")
    monkeypatch.setattr(client.app.state.assistant, "search", lambda *a, **k: 1 / 0)
    r = client.get("/api/search?q=danube")
    assert r.status_code == 500 and r.json()["request_id"] == r.headers["x-request-id"]
    assert r.headers["vary"] == "Origin"  # like every /api/* response
    assert "ZeroDivisionError" not in r.text
    assert any(r.headers["x-request-id"] in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_healthz_says_starting_until_the_index_is_loaded(tiny_index, fake_embedder, monkeypatch):
    import threading

    gate = threading.Event()
    settings = Settings(index=tiny_index, model=fake_embedder.name)
    app = create_app(settings, load_in_background=True)

    def slow_load():
        gate.wait(10)
        return Assistant(tiny_index, embedder=fake_embedder)

    app.state.reloader.load = slow_load
    with TestClient(app) as c:
        r = c.get("/healthz")
        assert r.status_code == 503 and r.json()["status"] == "starting"
        assert c.post("/api/ask", json={"question": "Which river?"}).status_code == 503
        gate.set()
        for _ in range(100):
            if c.get("/healthz").status_code == 200:
                break
            gate.wait(0.05)
        body = c.get("/healthz").json()
        assert body["status"] == "ok" and body["ready"] is True


@pytest.mark.parametrize(
    "body",
    [b"[" * 60_000, b'{"question": ' * 5_000, b'{"question": 1e999999}', b'{"question": "x", "question": "y", "history": [[[[[]]]]]}',
     b'\xef\xbb\xbf{"question": "x"}', b'{"question": "\\u0000"}', b"\x00" * 100],
)
def test_pathological_json_is_4xx(client, body):
    r = client.post("/api/ask", content=body, headers={"content-type": "application/json"})
    if r.status_code == 200:  # e.g. a duplicate key resolved by the parser: fine if answered
        return
    assert_json_4xx(r)


def test_sighup_triggers_a_reload(tiny_index, fake_embedder):
    import os
    import signal

    from docqa.server.hardening import reload_on_sighup

    with make_client(tiny_index, fake_embedder) as c:
        reloader = c.app.state.reloader
        calls = []
        reloader.start_in_background = lambda: calls.append(1)
        previous = signal.getsignal(signal.SIGHUP)
        try:
            reload_on_sighup(reloader)
            os.kill(os.getpid(), signal.SIGHUP)
        finally:
            signal.signal(signal.SIGHUP, previous)
        assert calls == [1]


def test_healthz_reports_a_failed_first_load(tmp_path, fake_embedder):
    settings = Settings(index=tmp_path / "no-index", model=fake_embedder.name)
    app = create_app(settings, load_in_background=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        for _ in range(100):
            r = c.get("/healthz")
            if r.json()["status"] != "starting":
                break
            import time

            time.sleep(0.05)
        assert r.status_code == 503 and r.json()["status"] == "error" and "No index" in r.json()["error"]
        assert_json_4xx(c.get("/nope"), 404)
        assert c.post("/api/ask", json={"question": "Which river?"}).status_code == 503
