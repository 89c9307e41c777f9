"""Issue 16 rows 4, 10, 11 and 12: the rate limiter's memory and work are bounded; a question needs a visible
character (Unicode categories); HEAD works wherever GET does; a refused origin gets no CORS headers, every
/api/* response varies on Origin, and the limits' own refusals carry CORS headers for allowed origins."""

from __future__ import annotations

import re
import sys
import time
import unicodedata

import pytest

from docqa.server.rate_limit import ClientRateLimiter, RateLimit, client_key
from docqa.server.visible import DRAWN_AS_NOTHING, QUESTION_PATTERN, has_visible_character
from tests.test_hardening_requests import assert_json_4xx, make_client

PARTNER = "https://partner.example"


# -- row 4: the rate limiter -------------------------------------------------------------------------------
def test_the_key_cap_holds_on_insertion_whatever_the_traffic():
    """Row 4: the cap was only checked on a refusal, so 300,000 passing keys were all kept."""
    limiter = ClientRateLimiter(RateLimit(10, 60.0), clients=1000)
    for n in range(50_000):
        assert limiter.take(n.to_bytes(4, "big")) == 0.0
    assert limiter.slots == 2048 and limiter.clients == limiter.slots
    assert limiter.replaced == 50_000 - limiter.slots
    assert limiter.memory_bytes == 2048 * 16


def test_refusals_cost_the_same_with_many_keys():
    """Row 4: with 150,000 keys, each refusal scanned them all (~30 ms each on the event loop)."""
    limiter = ClientRateLimiter(RateLimit(1, 3600.0), clients=200_000)
    for n in range(150_000):
        limiter.take((1_000_000 + n).to_bytes(4, "big"))
    # The refused client comes last: a client taken among the first would be its full group's oldest bucket, the one
    # a newcomer replaces (1 run in 181 here, and once in CI), and its next request would pass.
    refused = (7).to_bytes(4, "big")
    assert limiter.take(refused) == 0.0
    started = time.perf_counter()
    waits = [limiter.take(refused) for _ in range(2000)]
    elapsed = time.perf_counter() - started
    assert all(w > 3500 for w in waits) and limiter.refused == 2000
    assert elapsed < 1.0, f"2,000 refusals took {elapsed:.2f} s"  # the scan took about a minute


def test_a_new_key_in_a_full_group_replaces_the_fullest_bucket():
    now = [0.0]
    limiter = ClientRateLimiter(RateLimit(2, 100.0), clients=1, clock=lambda: now[0])  # one group of 8 slots
    assert limiter.slots == 8
    keys = [bytes([n]) for n in range(9)]
    for n, key in enumerate(keys[:8]):
        now[0] = float(n)
        limiter.take(key)
        limiter.take(key)  # empty now: due at n + 10
    now[0] = 8.0
    limiter.take(keys[0])  # the oldest is still refused...
    assert limiter.refused == 1
    limiter.take(keys[8])  # ...and the newcomer replaces it: its bucket is the fullest
    assert limiter.replaced == 1
    assert limiter.take(keys[1]) > 0  # the others keep their state
    assert limiter.take(keys[0]) == 0.0  # forgotten: a full bucket again, which it nearly was anyway


def test_ipv6_clients_are_grouped_by_their_64():
    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("::ffff:192.0.2.7") == client_key("192.0.2.7") != client_key("192.0.2.8")
    assert client_key("fe80::1%eth0") == client_key("fe80::2")
    assert client_key("testclient") == b"?testclient"
    limiter = ClientRateLimiter(RateLimit(2, 60.0), clients=100)
    codes = [limiter.take(client_key(f"2001:db8:1:2::{n}")) == 0.0 for n in range(1, 5)]
    assert codes == [True, True, False, False]


# -- row 10: a visible character ---------------------------------------------------------------------------
INVISIBLE_QUESTIONS = ["\u200b\u200c\u200d", "\u200e\u200f", "\u3164", "\u2800\u2800", "\u115f\u1160\uffa0", "\ufeff \u2060",
                       "\u202e\u2066", "\U000e0041\U000e0042", "\u034f\ufe0f", "\u00a0\u3000\u2028", "\x01\x1f"]  # fmt: skip


def test_a_question_without_a_visible_character_is_422(tiny_index, fake_embedder):
    """Row 10: zero-width, RTL-mark, U+3164 and U+2800 questions were answered (200)."""
    with make_client(tiny_index, fake_embedder) as client:
        for question in INVISIBLE_QUESTIONS:
            assert_json_4xx(client.post("/api/ask", json={"question": question}), 422)
            assert_json_4xx(client.get("/api/search", params={"q": question}), 422)
        for question in ["\u200bDanube?", "😀", "\u0301", "٣", "\ue000", "?"]:  # visible characters of every kind
            assert client.post("/api/ask", json={"question": question}).status_code == 200, repr(question)


def test_the_schema_pattern_is_exactly_the_rule_for_every_code_point():
    """One rule: categories Z, Cc, Cf and the characters drawn as nothing are invisible, all else visible
    (lone surrogates never reach it); and JSON Schema validators built on Rust's regex engine
    (jsonschema-rs, which schemathesis uses: a pattern it cannot compile is silently dropped) accept it."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    jsonschema_rs.Draft202012Validator({"type": "string", "pattern": QUESTION_PATTERN})
    drawn_as_nothing = {chr(c) for first, last in DRAWN_AS_NOTHING for c in range(first, last + 1)}
    every = [chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF]
    invisible_categories = {"Zs", "Zl", "Zp", "Cc", "Cf"}
    invisible = {c for c in every if unicodedata.category(c) in invisible_categories or c.isspace()} | drawn_as_nothing
    assert QUESTION_PATTERN.startswith("[^") and QUESTION_PATTERN.endswith("]")
    excluded = set(re.findall("[" + QUESTION_PATTERN[2:], "".join(every)))  # the class's complement: what it refuses
    disagree = sorted(f"U+{ord(c):04X}" for c in invisible ^ excluded)
    assert disagree == [], f"server/visible.py disagrees with unicodedata {unicodedata.unidata_version} on {disagree[:20]}"
    assert has_visible_character("a\u200b") and not has_visible_character("\u200b")


# -- row 11: HEAD ------------------------------------------------------------------------------------------
def test_head_answers_like_get_without_a_body(tiny_index, fake_embedder):
    """Row 11: HEAD on /, /demo, /widget.js, /docs and /healthz was 405."""
    paths = ["/", "/demo", "/widget.js", "/docs", "/healthz", "/openapi.json", "/api/search?q=danube", "/api/origin", "/static/widget.js", "/nope"]
    with make_client(tiny_index, fake_embedder) as client:
        for path in paths:
            got, head = client.get(path), client.head(path)
            assert head.status_code == got.status_code and head.content == b"", path
            assert head.headers["content-type"] == got.headers["content-type"]
            assert head.headers.get("content-length") == got.headers.get("content-length")
        assert client.head("/api/ask").status_code == 405  # no GET there either


# -- row 12: origins ---------------------------------------------------------------------------------------
def test_a_refused_origin_gets_no_cors_headers(tiny_index, fake_embedder):
    """Row 12: the 403 echoed the refused origin (null included) in Access-Control-Allow-Origin."""
    with make_client(tiny_index, fake_embedder, allowed_origins=PARTNER) as client:
        answers = [
            answer
            for origin in ["https://evil.example", "null", "http://testserver:8081"]
            for answer in (
                client.post("/api/ask", json={"question": "Danube?"}, headers={"Origin": origin}),
                client.get("/api/origin", headers={"Origin": origin}),
                client.options("/api/ask", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}),
            )
        ]
        for r in answers:
            assert r.status_code == 403
            assert not [h for h in r.headers if h.lower().startswith("access-control-")], dict(r.headers)
            assert "origin" in r.headers["vary"].lower()


@pytest.mark.parametrize(
    "origin, host", [("http://[::1", None), ("https://]", None), ("http://[zz]", None), ("http://testserver", "["), ("http://testserver", "[::1")]
)
def test_a_malformed_origin_or_host_is_refused_not_a_500(tiny_index, fake_embedder, origin, host):
    """An unbalanced or bogus IPv6 bracket made urlsplit() raise inside the origin check: a 500 with a traceback."""
    with make_client(tiny_index, fake_embedder, allowed_origins=PARTNER) as client:
        headers = {"Origin": origin, **({"Host": host} if host else {})}
        for r in (
            client.post("/api/ask", json={"question": "Danube?"}, headers=headers),
            client.get("/api/origin", headers=headers),
            client.options("/api/ask", headers={**headers, "Access-Control-Request-Method": "POST"}),
        ):
            assert r.status_code == 403, (r.status_code, r.text[:200])
            assert "not allowed" in r.json()["error"]
            assert not [h for h in r.headers if h.lower().startswith("access-control-")], dict(r.headers)


def test_every_api_response_varies_on_origin(tiny_index, fake_embedder):
    """Row 12: responses to requests without an Origin lacked `Vary: Origin`."""
    with make_client(tiny_index, fake_embedder, rate_limit="3/minute") as client:
        answers = [
            client.get("/api/search?q=danube"),
            client.post("/api/ask", json={"question": ""}),
            client.get("/api/nope"),
            client.get("/api/search?q=danube"),  # the fourth: 429
            client.post("/api/ask", content=b"{}", headers={"content-type": "text/plain"}),
            client.get("/api/origin"),  # answered by the origin policy, before the rate limit
        ]
        assert [r.status_code for r in answers] == [200, 422, 404, 429, 429, 200]
        for r in answers:
            assert [v.strip().lower() for v in r.headers["vary"].split(",")].count("origin") == 1, r.headers["vary"]


def test_the_limits_refusals_carry_cors_headers_for_an_allowed_origin(tiny_index, fake_embedder):
    """The leftover: 429, 413 and 415 came from middleware outside the origin policy, without CORS headers."""
    with make_client(tiny_index, fake_embedder, allowed_origins=PARTNER, rate_limit="3/minute", max_body_bytes=2048) as client:
        cors = {"Origin": PARTNER}
        too_large = client.post("/api/ask", content=b'{"question": "' + b"q" * 3000 + b'"}', headers={**cors, "content-type": "application/json"})
        not_json = client.post("/api/ask", content=b"question", headers={**cors, "content-type": "text/plain"})
        assert client.get("/api/search?q=danube", headers=cors).status_code == 200
        limited = client.get("/api/search?q=danube", headers=cors)
        for r, status in ((too_large, 413), (not_json, 415), (limited, 429)):
            assert r.status_code == status
            assert r.headers["access-control-allow-origin"] == PARTNER
            assert "retry-after" in r.headers["access-control-expose-headers"].lower()
        assert int(limited.headers["retry-after"]) >= 1


# -- settings → uvicorn (the connection limits themselves: tests/test_hardening_connections.py) -------------
def test_connection_settings_reach_uvicorn_and_pickle_into_workers():
    import pickle

    import uvicorn

    from docqa.config import Settings
    from docqa.server.connections import GuardedHttpToolsProtocol, uvicorn_options

    trusting = uvicorn_options(Settings(trusted_proxies="127.0.0.1, 10.0.0.0/8", keep_alive_seconds=7, max_headers=20))
    assert trusting["proxy_headers"] is True and trusting["forwarded_allow_ips"] == ["127.0.0.1", "10.0.0.0/8"]
    assert trusting["timeout_keep_alive"] == 7 and trusting["http"].keywords["limits"].max_headers == 20
    default = uvicorn_options(Settings())
    assert default["proxy_headers"] is False  # uvicorn's own default trusts 127.0.0.1
    config = uvicorn.Config(lambda scope, receive, send: None, **default)
    config.load()
    assert config.http_protocol_class.func is GuardedHttpToolsProtocol
    assert pickle.loads(pickle.dumps(default["http"])).keywords == default["http"].keywords  # --workers pickles the Config


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /healthz?q=\xe9 HTTP/1.1\r\nHost: x\r\n\r\n",  # a raw non-ASCII byte in the URL
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",  # a NUL in a header value
        b"FOO /api/ask HTTP/1.1\r\nHost: x\r\n\r\n",  # a method HTTP does not have
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # TLS spoken to the plain-HTTP port
    ],
)
def test_a_request_the_http_parser_refuses_gets_a_json_400(request_bytes):
    """Below the app: uvicorn answers these with a plain-text 400; docqa's protocol answers JSON, like every refusal."""
    import json
    import socket
    import threading

    import uvicorn

    from docqa.config import Settings
    from docqa.server.connections import uvicorn_options

    async def app(scope, receive, send):  # never reached
        raise AssertionError(scope)

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="critical", lifespan="off", **uvicorn_options(Settings())))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline
            time.sleep(0.01)
        with socket.create_connection(sock.getsockname(), timeout=10) as client:
            client.sendall(request_bytes)
            answer = b""
            while chunk := client.recv(65536):
                answer += chunk
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), answer[:200]
    assert b"content-type: application/json" in head.lower()
    assert "not valid HTTP" in json.loads(body)["error"]


# -- trailing slashes: no redirect built from the client's Host --------------------------------------------
def test_a_trailing_slash_gets_a_json_404_never_a_redirect_to_the_callers_host(tiny_index, fake_embedder):
    """Starlette answered `/api/ask/` with a 307 whose Location took its host from the request's Host header
    (docqa keeps no Host allow-list): a foreign Host got a redirect to itself. Redirects are off: a JSON 404."""
    import http.client
    import json
    from urllib.parse import urlsplit

    from tests.browser_harness import serve_app

    with serve_app(make_client(tiny_index, fake_embedder).app) as base:  # a real server; the TestClient is not entered
        answers = {}
        for method, path, body in [
            ("POST", "/api/ask/", b'{"question": "Which river?"}'),
            ("GET", "/api/search/?q=danube", None),
            ("GET", "/healthz/", None),
            ("GET", "/admin/", None),
        ]:
            connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
            connection.request(method, path, body=body, headers={"Host": "evil.example", "Content-Type": "application/json"})
            response = connection.getresponse()
            answers[path] = (response.status, response.getheader("location"), response.getheader("content-type"), response.read())
            connection.close()
    for path, (status, location, content_type, body) in answers.items():
        assert status == 404 and location is None, (path, status, location)
        assert content_type == "application/json" and json.loads(body)["error"], (path, body)
