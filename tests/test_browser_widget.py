"""The chat page and the embedded widget in a real browser (Chromium driven by Playwright).

One docqa server over the bundled corpus (host site A allowed), one over a hostile XSS corpus,
and two static host sites on their own ports: A (allowed) and B (not allowed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser_harness import CONTRAST_JS, host_page, playwright_browser, serve_app, serve_folder  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
QUESTION = "When does ERA PerMed start?"
SHADOW = "document.querySelector('[data-docqa]').shadowRoot"
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(2)</script>"
HOST_BODY = """
<header><a href="index.html">Home</a> <a href="other.html">Other page</a></header>
<h1>Agency news</h1>
<p id="para">Personalised medicine research is funded through calls for proposals.</p>
<button id="hostbutton" type="button">A host button</button>
"""
HOSTILE_CSS = "<style>* { color: red !important; font-size: 40px !important } button { background: lime !important; padding: 30px !important }</style>"


@pytest.fixture(scope="module")
def sites(tmp_path_factory, corpus_index, real_embedder):
    """URLs: the docqa server, the XSS server, host site A (allowed) and host site B (refused)."""
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest
    from docqa.server.app import create_app
    from docqa.config import Settings

    folder = tmp_path_factory.mktemp("host-site")
    xss_docs = tmp_path_factory.mktemp("xss-docs")
    (xss_docs / "incident.txt").write_text(
        "Security incident report\n\n"
        f"The attacker posted the image tag {XSS_IMG} into the comment form of the website. "
        f"A second comment contained the script tag {XSS_SCRIPT} and was blocked.\n\n"
        "The comment form was closed for maintenance on 3 May 2024.",
        encoding="utf-8",
    )
    (xss_docs / "harmless.md").write_text("# Opening hours\n\nThe library opens at 9 o'clock on weekdays.", encoding="utf-8")
    xss_index = tmp_path_factory.mktemp("xss-index")
    ingest([xss_docs], index_root=xss_index, embedder=real_embedder)

    with serve_folder(folder) as host_a, serve_folder(folder) as host_b:
        settings = Settings(index=corpus_index, allowed_origins=host_a)
        app = create_app(settings, assistant=Assistant(corpus_index, embedder=real_embedder))
        xss_app = create_app(Settings(index=xss_index), assistant=Assistant(xss_index, embedder=real_embedder))
        with serve_app(app) as server, serve_app(xss_app) as xss_server:
            pages = {
                "index.html": host_page(server=server, body=HOST_BODY),
                "other.html": host_page(server=server, body="<h1>Another page of the host site</h1><p><a href='index.html'>Back</a></p>"),
                "plain.html": host_page(server=server, body=HOST_BODY, widget=False),
                "hostile.html": host_page(server=server, body=HOST_BODY, head=HOSTILE_CSS),
                "fr.html": host_page(server=server, body="<h1>Actualités</h1><p>Bienvenue.</p>", lang="fr", attributes=' data-accent="#fde047" data-position="left"'),  # no defer: runs before <body>
            }
            for name, html in pages.items():
                (folder / name).write_text(html, encoding="utf-8")
            yield {"server": server, "xss": xss_server, "a": host_a, "b": host_b}


@pytest.fixture
def page(playwright_browser):
    context = playwright_browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    page.errors = []  # uncaught exceptions in the page: the widget must raise none
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def shadow(page, expression: str):
    return page.evaluate(f"() => {{ const root = {SHADOW}; return {expression}; }}")


def open_with_keyboard(page) -> None:
    """Tab until the launcher has focus, then press Enter."""
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const r = document.querySelector('[data-docqa]'); return !!r && r.shadowRoot.activeElement === r.shadowRoot.querySelector('.launcher'); }}"):
            break
    else:
        pytest.fail("the launcher never received keyboard focus")
    page.keyboard.press("Enter")


def last_answer(page):
    answer = page.locator("[data-docqa] li.msg.bot:not(.loading)").last
    answer.wait_for(timeout=20_000)
    return answer


def test_chat_page_answers_with_highlight_and_source(sites, page):
    page.goto(sites["server"] + "/")
    field = page.get_by_label("Your question")
    assert shadow(page, "root.activeElement && root.activeElement.id") == "dq-q"  # the page focuses the question
    page.evaluate(
        f"""() => {{ window.seen = []; new MutationObserver(ms => ms.forEach(m => m.addedNodes.forEach(n => n.className && seen.push(n.className))))
            .observe({SHADOW}.querySelector('.log'), {{childList: true}}); }}"""
    )
    field.fill(QUESTION)
    field.press("Enter")
    answer = last_answer(page)
    assert "msg bot loading" in page.evaluate("() => window.seen")  # the loading indicator was shown
    assert "2017" in answer.locator("p.text").inner_text()
    bold = [b.lower() for b in answer.locator("p.text strong").all_inner_texts()]
    assert any("end of 2017" in b for b in bold), bold
    assert "Personalised Medicine" in answer.locator("a.doc").first.inner_text()  # the page's title links to it
    answer.locator("summary").first.click()
    assert "end of 2017" in answer.locator("blockquote mark").first.inner_text()

    field.fill("What is the capital of Peru?")
    field.press("Enter")
    declined = page.locator("[data-docqa] li.msg.bot.declined")
    declined.wait_for(timeout=20_000)
    assert "Not in the documents" in declined.locator(".badge").inner_text()
    assert declined.locator(".srchead").text_content() == "Passages that may help" and declined.locator("summary").count() >= 1
    assert page.errors == []


def test_widget_cross_origin_keyboard_only(sites, page, capsys):
    asked = []
    page.on("request", lambda r: asked.append(r) if r.url.endswith("/api/ask") and r.method == "POST" else None)
    page.goto(sites["a"] + "/index.html")
    assert sites["a"] != sites["server"]
    open_with_keyboard(page)
    assert shadow(page, "root.activeElement.id") == "dq-q"  # focus moved into the panel
    assert shadow(page, "root.querySelector('.launcher').getAttribute('aria-expanded')") == "true"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    answer = last_answer(page)
    assert "2017" in answer.inner_text()
    assert asked[0].header_value("origin") == sites["a"]
    live = page.locator("[data-docqa] [aria-live=polite]")
    page.wait_for_function(f"() => {SHADOW}.querySelector('[aria-live]').textContent.includes('2017')")
    assert live.get_attribute("role") == "status"

    # Every control has an accessible name.
    unnamed = shadow(
        page,
        "[...root.querySelectorAll('button, input, summary, a')].filter(e => !((e.getAttribute('aria-label') || e.textContent).trim() || (e.labels && e.labels.length))).map(e => e.outerHTML)",
    )
    assert unnamed == []
    assert page.evaluate(f"() => ({CONTRAST_JS})({SHADOW})") == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-open.png"))
    with capsys.disabled():
        print(f"\nscreenshot of the open widget: {ARTIFACTS / 'widget-open.png'}")
    answer.locator("summary").first.click()  # sources open: their text counts for contrast too
    assert page.evaluate(f"() => ({CONTRAST_JS})({SHADOW})") == []

    page.keyboard.press("Escape")
    assert shadow(page, "root.querySelector('.panel').hidden") is True
    assert shadow(page, "root.activeElement && root.activeElement.className") == "launcher"

    # Another page of the host site: the conversation is still there, and is sent as history.
    page.goto(sites["a"] + "/other.html")
    open_with_keyboard(page)
    assert "2017" in last_answer(page).inner_text()
    page.keyboard.type("Who coordinates it?")
    page.keyboard.press("Enter")
    page.locator("[data-docqa] li.msg.bot:not(.loading)").nth(1).wait_for(timeout=20_000)
    history = json.loads(asked[-1].post_data)["history"]
    assert [turn["role"] for turn in history] == ["user", "assistant"]
    assert history[0]["content"] == QUESTION and "2017" in history[1]["content"]
    assert page.errors == []


def test_host_css_and_widget_do_not_leak(sites, page):
    probe = """(names) => { const root = document.querySelector('[data-docqa]').shadowRoot;
        return Object.fromEntries(names.map(sel => { const e = root.querySelector(sel), s = getComputedStyle(e), r = e.getBoundingClientRect();
          return [sel, [s.color, s.fontSize, s.fontFamily, s.backgroundColor, s.padding, Math.round(r.width), Math.round(r.height)]]; })); }"""
    parts = [".launcher", "h2", "input", ".send", ".intro", ".panel"]

    def widget_styles(url: str) -> dict:
        page.goto(url)
        if shadow(page, "root.querySelector('.panel').hidden"):  # sessionStorage may have kept it open
            page.locator("[data-docqa] .launcher").click()
        return page.evaluate(probe, parts)

    calm, hostile = widget_styles(sites["a"] + "/index.html"), widget_styles(sites["a"] + "/hostile.html")
    assert hostile == calm
    assert calm[".launcher"][1] != "40px" and "255, 0, 0" not in calm["h2"][0]

    host = """() => Object.fromEntries(['h1', '#para', '#hostbutton', 'header a', 'body'].map(sel => { const e = document.querySelector(sel),
        s = getComputedStyle(e), r = e.getBoundingClientRect(); return [sel, [s.color, s.fontSize, s.fontFamily, s.margin, r.x, r.y, r.width, r.height]]; }))"""
    page.goto(sites["a"] + "/plain.html")
    without = page.evaluate(host)
    page.goto(sites["a"] + "/index.html")
    page.locator("[data-docqa] .launcher").wait_for()
    assert page.evaluate(host) == without
    assert page.evaluate("() => document.styleSheets.length") == 0  # nothing added to the host's styles
    assert page.errors == []


def test_xss_document_renders_inert(sites, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(sites["xss"] + "/")
    field = page.get_by_label("Your question")
    field.fill("Which image tag did the attacker post into the comment form?")
    field.press("Enter")
    answer = last_answer(page)
    for summary in answer.locator("summary").all():
        summary.click()
    shown = shadow(page, "root.querySelector('.log').textContent")
    assert XSS_IMG in shown and XSS_SCRIPT in shown
    assert shadow(page, "root.querySelectorAll('img, script, iframe, object').length") == 0
    page.wait_for_timeout(300)
    assert dialogs == [] and page.errors == []


def test_not_allowed_origin_gets_a_clear_message(sites, page):
    answers = []
    page.on("response", lambda r: answers.append(r.status) if r.url.endswith("/api/ask") else None)
    page.goto(sites["b"] + "/index.html")
    open_with_keyboard(page)
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    error = page.locator("[data-docqa] li.msg.error")
    error.wait_for(timeout=10_000)
    assert "This site is not allowed to use this assistant." in error.inner_text()
    assert error.get_by_role("button", name="Retry").is_visible()
    assert page.locator("[data-docqa] li.msg.bot:not(.loading)").count() == 0
    assert 200 not in answers
    assert page.evaluate(f"() => ({CONTRAST_JS})({SHADOW})") == []


def test_french_unreachable_then_retry_and_reduced_motion(sites, page):
    calls = []

    def flaky(route):
        calls.append(route.request.url)
        route.abort() if len(calls) == 1 else route.continue_()

    page.emulate_media(reduced_motion="reduce")
    page.route("**/api/ask", flaky)
    page.goto(sites["a"] + "/fr.html")
    launcher = page.get_by_role("button", name="Ouvrir l’assistant — Questions aux documents")
    assert launcher.evaluate("e => getComputedStyle(e).color") == "rgb(17, 24, 39)"  # dark text on a light accent
    assert launcher.bounding_box()["x"] < 100  # data-position="left"
    launcher.click()
    assert page.locator("[data-docqa] .panel").evaluate("e => getComputedStyle(e).animationName") == "none"
    field = page.get_by_label("Votre question")
    field.fill("Quand commence ERA PerMed ?")
    field.press("Enter")
    error = page.locator("[data-docqa] li.msg.error")
    error.wait_for(timeout=10_000)
    assert "Impossible de joindre l’assistant" in error.inner_text()
    error.get_by_role("button", name="Réessayer").click()
    answer = last_answer(page)
    assert len(calls) == 2 and page.locator("[data-docqa] li.msg.error").count() == 0
    assert answer.inner_text().strip()
    page.emulate_media(reduced_motion="no-preference")
    page.goto(sites["a"] + "/index.html")
    assert page.locator("[data-docqa] .panel").evaluate("e => getComputedStyle(e).animationName") == "dq-in"
    assert page.errors == []


def test_a_starting_server_is_shown_as_preparing_and_asked_again(sites, page):
    """503 + Retry-After (the first index is being built): "preparing…", then the answer, no error."""
    calls = []

    def starting_then_ready(route):
        calls.append(route.request.url)
        if len(calls) <= 2:
            body = {"error": "The assistant is still preparing its index; try again in a few seconds.", "request_id": "x"}
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"}, body=json.dumps(body))
        else:
            route.continue_()

    page.route("**/api/ask", starting_then_ready)
    page.goto(sites["server"] + "/")
    field = page.get_by_label("Your question")
    field.fill(QUESTION)
    field.press("Enter")
    page.locator("[data-docqa] li.msg.bot.loading.preparing").wait_for(timeout=10_000)
    assert "preparing its documents" in page.locator("[data-docqa] li.msg.bot.loading").inner_text()
    answer = last_answer(page)
    assert "2017" in answer.locator("p.text").inner_text()
    assert len(calls) == 3 and page.locator("[data-docqa] li.msg.error").count() == 0
    assert page.errors == []
