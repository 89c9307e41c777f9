"""The front-end as served: /widget.js (size, text-only DOM), the pages, and the origin policy on /api/*."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docqa.index.assistant import Assistant
from docqa.server.app import create_app
from docqa.server.front_end import WIDGET, page_language
from docqa.server.origins import OriginMiddleware, OriginPolicy
from docqa.config import Settings

WIDGET_GZIP_LIMIT = 12 * 1024
OWN = "http://testserver"
PARTNER = "https://partner.example"


@pytest.fixture
def client(tiny_index, fake_embedder):
    settings = Settings(index=tiny_index, model=fake_embedder.name, allowed_origins=f"{PARTNER}/, https://other.example")
    app = create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))
    with TestClient(app) as c:
        yield c


ASK = {"question": "Which river rises in the Swiss Alps?"}


def test_widget_js_is_small_and_served(client, capsys):
    size = len(gzip.compress(WIDGET.read_bytes(), compresslevel=9))
    with capsys.disabled():
        print(f"\nwidget.js: {WIDGET.stat().st_size} bytes, {size} bytes gzipped (limit {WIDGET_GZIP_LIMIT})")
    assert size <= WIDGET_GZIP_LIMIT
    r = client.get("/widget.js")
    assert r.status_code == 200 and r.content == WIDGET.read_bytes()
    assert r.headers["content-type"].startswith("text/javascript")


def test_widget_never_inserts_html():
    source = WIDGET.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


@pytest.mark.parametrize("path", ["/", "/demo", "/demo?page=about"])
def test_pages_load_the_widget_without_inline_script(client, path):
    r = client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert re.search(r'<script src="/widget\.js"[^>]*\bdefer\b', r.text)
    # CSP-friendly: no inline scripts, no inline event handlers, no inline styles.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text)
    assert not re.search(r"\son[a-z]+\s*=", r.text)
    assert "style=" not in r.text


def test_chat_page_language_follows_the_browser(client):
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.8"}).text
    assert '<html lang="en">' in client.get("/").text
    assert page_language("de-DE, en;q=0.5") == "en" and page_language(None) == "en"


def test_chat_page_greets_and_suggests_from_settings(tiny_index, fake_embedder):
    settings = Settings(index=tiny_index, model=fake_embedder.name, greeting='Hi <b>"you"</b>', suggestions=" Where? | What <i>? || Who? |Why?|How?")
    assert settings.suggestion_list == ["Where?", "What <i>?", "Who?", "Why?"]  # at most 4, blanks dropped
    with TestClient(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as c:
        page = c.get("/").text
    tag = re.search(r'<script src="/widget\.js"[^>]*>', page).group(0)
    assert 'data-greeting="Hi &lt;b&gt;&#34;you&#34;&lt;/b&gt;"' in tag  # escaped: an attribute value, never markup
    assert 'data-suggestions="Where?|What &lt;i&gt;?|Who?|Why?"' in tag


def test_chat_page_defaults_and_no_suggestions(client, tiny_index, fake_embedder):
    tag = re.search(r'<script src="/widget\.js"[^>]*>', client.get("/").text).group(0)
    assert "data-greeting" not in tag  # the widget's own greeting, in the visitor's language
    assert f'data-suggestions="{"|".join(Settings().suggestion_list)}"' in tag
    settings = Settings(index=tiny_index, model=fake_embedder.name, suggestions="")
    with TestClient(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as c:
        assert 'data-suggestions=""' in c.get("/").text


def test_chat_page_marks_each_suggestion_s_language(tiny_index, fake_embedder):
    """The default suggestions are English: on a French page each is marked lang="en" (screen readers' voice)."""
    tag = lambda c: re.search(r'<script src="/widget\.js"[^>]*>', c.get("/", headers={"Accept-Language": "fr"}).text).group(0)  # noqa: E731
    settings = Settings(index=tiny_index, model=fake_embedder.name)
    with TestClient(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as c:
        assert f'data-suggestions-lang="{"|".join(["en"] * len(settings.suggestion_list))}"' in tag(c)
    settings = Settings(index=tiny_index, model=fake_embedder.name, suggestions="Quand commence ERA PerMed ?|Who observes ICPerMed?")
    with TestClient(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as c:
        assert 'data-suggestions-lang="fr|en"' in tag(c)
    settings = Settings(index=tiny_index, model=fake_embedder.name, suggestions="")
    with TestClient(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as c:
        assert "data-suggestions-lang" not in tag(c)


def test_favicon(client):
    for path in ("/favicon.ico", "/static/favicon.svg"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
    for path in ("/", "/demo"):
        assert '<link rel="icon" href="/static/favicon.svg"' in client.get(path).text


def test_ask_takes_a_conversation_id(client):
    assert client.post("/api/ask", json={**ASK, "conversation_id": "f" * 64}).status_code == 200
    r = client.post("/api/ask", json={**ASK, "conversation_id": "f" * 65})
    assert r.status_code == 422 and "conversation_id" in r.json()["error"]
    assert client.post("/api/ask", json={**ASK, "session": "x"}).status_code == 422  # other unknown fields are still refused


@pytest.mark.model
def test_the_suggested_questions_are_answered(corpus_index, real_embedder):
    """The demo page's and the chat page's suggestions get a short answer from the bundled corpus."""
    settings = Settings(index=corpus_index)
    with TestClient(create_app(settings, assistant=Assistant(corpus_index, embedder=real_embedder))) as c:
        demo = re.search(r'data-suggestions="([^"]+)"', c.get("/demo").text).group(1).split("|")
        for question in [*demo, *settings.suggestion_list]:
            body = c.post("/api/ask", json={"question": question}).json()
            assert body["answered"] and body["short_answer"], (question, body["answer"])


def test_static_assets_served(client):
    assert client.get("/static/page.css").status_code == 200
    assert client.get("/static/demo.css").status_code == 200


def test_same_origin_and_no_origin_are_accepted(client):
    assert client.post("/api/ask", json=ASK).status_code == 200
    r = client.post("/api/ask", json=ASK, headers={"Origin": OWN})
    assert r.status_code == 200 and r.json()["answered"]


def test_other_origin_is_refused_with_403(client):
    r = client.post("/api/ask", json=ASK, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert "not allowed" in r.json()["error"]
    assert "answer" not in r.json()
    assert client.get("/api/search", params={"q": "Rhine"}, headers={"Origin": "https://evil.example"}).status_code == 403
    # Same host name on another port is another origin.
    assert client.post("/api/ask", json=ASK, headers={"Origin": "http://testserver:8081"}).status_code == 403
    assert client.post("/api/ask", json=ASK, headers={"Origin": "null"}).status_code == 403


def test_refused_preflight(client):
    r = client.options(
        "/api/ask", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    )
    assert r.status_code == 403
    assert "access-control-allow-methods" not in r.headers


def test_allowed_origin_preflight_and_response(client):
    r = client.options(
        "/api/ask", headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "Content-Type"}
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == PARTNER
    assert "POST" in r.headers["access-control-allow-methods"]
    assert "content-type" in r.headers["access-control-allow-headers"].lower()
    assert "origin" in r.headers["vary"].lower()
    assert "access-control-allow-credentials" not in r.headers
    r = client.post("/api/ask", json=ASK, headers={"Origin": PARTNER})
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == PARTNER
    assert "Rhine" in r.json()["answer"]


def test_preflight_with_unexpected_header_is_refused(client):
    r = client.options("/api/ask", headers={"Origin": PARTNER, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key"})
    assert r.status_code == 403 and "x-api-key" in r.json()["error"]


def test_origin_check_endpoint(client):
    assert client.get("/api/origin", headers={"Origin": PARTNER}).json() == {"origin": PARTNER, "allowed": True}
    refused = client.get("/api/origin", headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "access-control-allow-origin" not in refused.headers  # issue 16 row 12
    assert client.get("/api/origin").status_code == 200


def test_pages_are_not_subject_to_the_policy(client):
    # A foreign site may load the script and read nothing else; only /api/* is guarded.
    assert client.get("/widget.js", headers={"Origin": "https://evil.example"}).status_code == 200


@pytest.mark.parametrize(
    "origin, host, allowed",
    [
        ("http://localhost:8000", "localhost:8000", True),
        ("https://docs.example.org", "docs.example.org", True),  # TLS ended at a proxy
        ("https://docs.example.org:443", "docs.example.org", True),
        ("http://docs.example.org", "docs.example.org:80", True),
        ("http://docs.example.org.evil.com", "docs.example.org", False),
        ("http://localhost:8001", "localhost:8000", False),
        ("file://", "localhost:8000", False),
        ("https://partner.example", "localhost:8000", True),
        ("HTTPS://Partner.Example/", "localhost:8000", True),
        ("http://[::1]:8000", "[::1]:8000", True),
    ],
)
def test_policy(origin, host, allowed):
    assert OriginPolicy.from_list(["https://partner.example"]).permits(origin, host=host) is allowed


def test_wildcard_allows_any_origin():
    assert OriginPolicy.from_list(["*"]).permits("https://anyone.example", host="localhost:8000")


def test_middleware_leaves_non_api_paths_alone():
    app = FastAPI()

    @app.get("/hello")
    def hello() -> dict:
        return {"ok": True}

    wrapped = OriginMiddleware(app, allowed_origins=[])
    with TestClient(wrapped) as c:
        r = c.get("/hello", headers={"Origin": "https://evil.example"})
    assert r.status_code == 200 and "access-control-allow-origin" not in r.headers
