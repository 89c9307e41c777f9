"""What documents' text and host pages can do to the chat page and the widget, in a real browser (Chromium):
answer offsets on text beyond the BMP (emoji), a host page that redefines built-ins (Prototype.js), and a
widget site that frames the staff sign-in (clickjacking)."""

from __future__ import annotations

import json

import pytest

from tests.browser_harness import host_page, playwright_browser, serve_app, serve_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

SHADOW = "document.querySelector('[data-docqa]').shadowRoot"
QUESTION = "When does the party start?"
# Astral characters (two UTF-16 units each, one code point in Python) before the answer's words.
# A long passage (over the widget's 480-character excerpt) whose answer is followed by a run of
# characters beyond the BMP with no space to cut at.
FIREWORKS = "Fireworks\n\nThe fireworks start at ten tonight. " + "\U00020000" * 400 + "."
PARTY = "Party notes 🎉\n\nThe 🎉 party 🎈 starts at nine o'clock on Friday in the great hall. 𝒜 band plays.\n\nThe museum opens at ten on Sundays."
# Prototype.js 1.6 (still on old sites) adds Array.prototype.toJSON: JSON.stringify([...]) then gives a string.
PROTOTYPE_JS = (
    "<script>Array.prototype.toJSON = function () {"
    " return '[' + this.map(function (v) { return JSON.stringify(v); }).join(', ') + ']'; };</script>"
)


@pytest.fixture(scope="module")
def sites(tmp_path_factory, playwright_browser):
    from docqa.config import Settings
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest
    from tests.conftest import FakeEmbedder

    embedder = FakeEmbedder()
    docs = tmp_path_factory.mktemp("docs")
    (docs / "party.txt").write_text(PARTY, encoding="utf-8")
    (docs / "fireworks.txt").write_text(FIREWORKS, encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    ingest([docs], index_root=index, embedder=embedder)
    folder = tmp_path_factory.mktemp("host")
    from docqa.server.app import create_app

    with serve_folder(folder) as host:
        settings = Settings(index=index, model=embedder.name, allowed_origins=host, admin_token="audit-token")
        # The fake embedder's closeness is not the real model's: the answers these tests look at are made to clear a
        # fixed decline point (0.1) rather than the fitted one, which moves with every refit of the model.
        assistant = Assistant(index, embedder=embedder, answer_settings=AnswerSettings(min_score=0.1))
        app = create_app(settings, assistant=assistant)
        with serve_app(app) as server:
            (folder / "prototype.html").write_text(host_page(server=server, body="<h1>An old site</h1>", head=PROTOTYPE_JS), encoding="utf-8")
            frames = f'<iframe name="chat" src="{server}/"></iframe><iframe name="staff" src="{server}/admin/login"></iframe>'
            (folder / "frames.html").write_text(host_page(server=server, body=frames, widget=False), encoding="utf-8")
            yield {"server": server, "host": host}


@pytest.fixture
def page(playwright_browser):
    context = playwright_browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def _ask(page, question: str) -> dict:
    with page.expect_response(lambda r: r.url.endswith("/api/ask")) as response:
        field = page.get_by_label("Your question")
        field.fill(question)
        field.press("Enter")
    done = page.locator("[data-docqa] li.msg.bot:not(.loading), [data-docqa] li.msg.error").last
    done.wait_for(timeout=20_000)
    assert "error" not in (done.get_attribute("class") or ""), done.inner_text()
    return response.value.json()


def test_highlights_mark_the_servers_words_on_text_with_emoji(sites, page):
    """The API counts offsets in code points (Python); JavaScript strings in UTF-16 units."""
    page.goto(sites["server"] + "/")
    body = _ask(page, QUESTION)
    assert body["answered"] and "🎉" in body["answer"][: body["highlights"][0][0]]
    (a, b), = body["highlights"][:1]
    shown = page.evaluate(f"() => [...{SHADOW}.querySelectorAll('li.msg.bot .text strong')].map(e => e.textContent)")
    assert shown[0] == body["answer"][a:b]
    source = next(s for s in body["sources"] if s["answer_span"])
    page.locator("[data-docqa] li.msg.bot summary").first.click()
    marked = page.evaluate(f"() => {SHADOW}.querySelector('li.msg.bot blockquote mark').textContent")
    assert marked == source["text"][source["answer_span"][0] : source["answer_span"][1]]
    assert not _lone_surrogates(page) and page.errors == []


def test_a_long_passage_is_not_cut_inside_a_character(sites, page):
    page.goto(sites["server"] + "/")
    body = _ask(page, "When do the fireworks start?")
    assert any(len(s["text"].encode("utf-16-le")) > 2 * 480 and s["answer_span"] for s in body["sources"])
    assert not _lone_surrogates(page) and page.errors == []


def _lone_surrogates(page) -> bool:
    """Half a character beyond the BMP anywhere in the conversation (shown as a replacement glyph)."""
    pattern = "/[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(^|[^\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]/"
    return page.evaluate(f"() => {pattern}.test({SHADOW}.querySelector('.log').textContent)")


def test_widget_works_on_a_host_page_that_adds_array_tojson(sites, page):
    page.goto(sites["host"] + "/prototype.html")
    page.locator("[data-docqa] .launcher").click()
    sent = []
    page.on("request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/api/ask") else None)
    _ask(page, QUESTION)
    _ask(page, "And the museum?")
    assert isinstance(sent[1]["history"], list) and sent[1]["history"][0]["content"] == QUESTION
    assert page.locator("[data-docqa] li.msg.error").count() == 0
    page.reload()  # the conversation is kept in sessionStorage across the site's pages
    page.locator("[data-docqa] li.msg.user").first.wait_for(state="attached", timeout=10_000)
    assert page.locator("[data-docqa] li.msg.user").count() == 2
    assert page.errors == []


def test_a_widget_site_may_frame_the_chat_page_but_not_the_staff_sign_in(sites, page):
    page.goto(sites["host"] + "/frames.html")
    page.frame(name="chat").wait_for_selector("[data-docqa]", state="attached")
    staff = page.frame(name="staff")
    page.wait_for_timeout(300)
    assert staff.url.startswith("chrome-error://"), staff.url  # refused by frame-ancestors 'none'
