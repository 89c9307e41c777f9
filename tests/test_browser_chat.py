"""The chat as people meet it, in a real browser (Chromium driven by Playwright), on the bundled corpus.

The short answer first, sources grouped by page (a text-fragment link to the page), a greeting and
suggested questions, feedback thumbs, declines in the question's language; and accessibility: axe-core
run inside the page on every state (tests/browser_harness.py: axe_faults), a keyboard-only walk-through,
the modal panel on a phone, dark mode and 200% zoom. A screenshot of each state goes to test-artifacts/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser_harness import CONTRAST_JS, axe_faults, playwright_browser, serve_app  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CORPUS_PAGE = REPO / "corpus" / "personalised-medicine-action-plan.html"
CANONICAL = re.search(r'rel="canonical" href="([^"]+)"', CORPUS_PAGE.read_text(encoding="utf-8")).group(1)
SHADOW = "document.querySelector('[data-docqa]').shadowRoot"
DEMO_SUGGESTIONS = [
    "When does ERA PerMed start?",
    "How many members does ICPerMed have?",
    "How many research activities does the Action Plan list?",
    "What is personalised medicine?",
]
# The focused element, inside the widget's shadow root or on the host page: "tag.class|name".
FOCUSED = """() => {
  const host = document.querySelector('[data-docqa]');
  const inside = host && host.shadowRoot.activeElement;
  const a = inside || document.activeElement;
  const name = (a.getAttribute('aria-label') || a.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 120);
  return (inside ? '' : 'page:') + a.tagName.toLowerCase() + (a.className && typeof a.className === 'string' ? '.' + a.className.split(' ').join('.') : '') + '|' + name;
}"""


@pytest.fixture(scope="module")
def server(corpus_index, real_embedder):
    from docqa.config import Settings
    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app

    # No question log: these tests give answers an answer_id themselves (test_question_log_feedback_browser.py uses the real one).
    app = create_app(Settings(index=corpus_index, log_questions=False), assistant=Assistant(corpus_index, embedder=real_embedder))
    with serve_app(app) as url:
        yield url


@pytest.fixture
def new_page(playwright_browser):
    """new_page(width=, height=, dark=): a page in a fresh browser context (its own sessionStorage)."""
    contexts = []

    def make(*, width: int = 1280, height: int = 800, dark: bool = False):
        context = playwright_browser.new_context(viewport={"width": width, "height": height}, color_scheme="dark" if dark else "light")
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()


def shadow(page, expression: str):
    return page.evaluate(f"() => {{ const root = {SHADOW}; return {expression}; }}")


def snap(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chat-{name}.png"))


def accessible(page, state: str) -> None:
    """axe-core finds nothing the issue forbids, and every widget text meets WCAG AA contrast."""
    page.evaluate(f"() => Promise.all({SHADOW}.getAnimations().filter(a => a.effect.getTiming().iterations !== Infinity).map(a => a.finished))")
    faults = axe_faults(page)
    assert faults == [], f"{state}: {json.dumps(faults, indent=1)}"
    assert page.evaluate(f"() => ({CONTRAST_JS})({SHADOW})") == [], state
    snap(page, state)


def bot_answers(page, count: int):
    answers = page.locator("[data-docqa] li.msg.bot:not(.loading)")
    answers.nth(count - 1).wait_for(timeout=20_000)
    return answers.nth(count - 1)


def ask(page, question: str, count: int):
    field = page.get_by_label("Your question")
    field.fill(question)
    field.press("Enter")
    return bot_answers(page, count)


def test_chat_page_states(server, new_page):
    from docqa.config import Settings

    page = new_page()
    page.goto(server + "/")
    intro = page.locator("[data-docqa] .intro")
    assert intro.locator("p").inner_text().startswith("Hello!")  # the built-in greeting (DOCQA_GREETING unset)
    suggestions = intro.get_by_role("list", name="Suggested questions").get_by_role("button")
    assert suggestions.all_inner_texts() == Settings().suggestion_list and 3 <= suggestions.count() <= 4
    accessible(page, "page-empty")

    suggestions.first.click()  # "When does ERA PerMed start?"
    answer = bot_answers(page, 1)
    assert shadow(page, "root.activeElement.id") == "dq-q"
    # The short answer comes first, large; then the sentence with the answer marked.
    assert answer.locator("p").first.evaluate("e => e.className") == "short"
    assert answer.locator("p.short").inner_text() == "end of 2017"
    assert float(answer.locator("p.short").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) > float(
        answer.locator("p.text").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )
    assert "end of 2017" in answer.locator("p.text strong").inner_text()
    # Sources grouped by page: the corpus is one page, cited by three passages.
    assert answer.locator(".sources > li").count() == 1
    link = answer.locator("a.doc")
    assert "Personalised Medicine" in link.inner_text()
    href = link.get_attribute("href")
    assert href.startswith(CANONICAL + "#:~:text=") and "end%20of%202017" in href
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert answer.locator("summary").inner_text() == "3 passages" and answer.locator("details").get_attribute("open") is None
    assert answer.locator(".fb").count() == 0  # no answer_id from the API: no feedback controls
    accessible(page, "page-answer")

    answer.locator("summary").click()
    assert answer.locator("blockquote").count() == 3
    assert "end of 2017" in answer.locator("blockquote mark").first.inner_text()
    accessible(page, "page-source-expanded")

    declined = ask(page, "What is the capital of Peru?", 2)
    assert declined.locator(".badge").inner_text() == "Not in the documents"
    assert declined.locator(".srchead").inner_text().lower() == "passages that may help" and declined.locator(".short").count() == 0
    accessible(page, "page-declined")

    french = ask(page, "Quelle est la capitale du Pérou ?", 3)  # on an English page: the decline speaks French
    assert french.locator(".badge").inner_text() == "Absent des documents" and french.locator(".badge").get_attribute("lang") == "fr"
    assert "trouvé" in french.locator("p.text").inner_text() and french.locator(".srchead").inner_text().lower() == "passages qui peuvent aider"
    answered_fr = ask(page, "Quand commence ERA PerMed ?", 4)
    assert answered_fr.locator("p.short").inner_text() == "end of 2017"
    accessible(page, "page-french")
    assert page.errors == []


@pytest.mark.parametrize("width, height, dark", [(1280, 800, False), (375, 740, False), (1280, 800, True), (375, 740, True)])
def test_demo_page_states(server, new_page, width, height, dark):
    page = new_page(width=width, height=height, dark=dark)
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    name = f"demo-{width}{'-dark' if dark else ''}"
    page.goto(server + "/demo")
    launcher = page.locator("[data-docqa] .launcher")
    launcher.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no overflow (the code block wraps)
    # The page's last line can be scrolled clear of the launcher.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    last = page.locator("main > *").last.bounding_box()
    assert last["y"] + last["height"] <= launcher.bounding_box()["y"]
    accessible(page, name + "-closed")

    launcher.click()
    panel = page.locator("[data-docqa] .panel")
    assert panel.is_visible() and shadow(page, "root.activeElement.id") == "dq-q"
    assert page.locator("[data-docqa] .intro p").inner_text().startswith("Hello! I answer questions about our news")
    suggestions = page.locator("[data-docqa] .sugg button")
    assert suggestions.all_inner_texts() == DEMO_SUGGESTIONS
    narrow = width <= 480
    assert panel.get_attribute("aria-modal") == ("true" if narrow else "false")
    if narrow:  # the panel covers the screen; its own close button is there, the launcher is not
        panel.evaluate("e => Promise.all(e.getAnimations().map(a => a.finished))")  # the panel has slid in
        assert panel.bounding_box() == {"x": 0, "y": 0, "width": width, "height": height} and not launcher.is_visible()
    else:
        assert launcher.get_attribute("aria-label") == "Close the assistant" and launcher.get_attribute("aria-expanded") == "true"
    accessible(page, name + "-open")

    suggestions.nth(1).click()
    answer = bot_answers(page, 1)
    assert answer.locator("p.short").inner_text() == "over 30"
    assert shadow(page, "root.querySelector('.log').scrollWidth <= root.querySelector('.log').clientWidth")
    accessible(page, name + "-answered")

    # One request for the script, nothing from another origin, nothing missing (favicon included).
    assert [u for u in requests if u.endswith("/widget.js")] == [server + "/widget.js"]
    assert [u for u in requests if not u.startswith(server + "/")] == []
    assert failures == [] and page.errors == []


def test_keyboard_only_walkthrough(server, new_page):
    page = new_page()
    page.goto(server + "/demo")
    page.locator("[data-docqa] .launcher").wait_for()

    def press(key: str, expected: str) -> None:
        page.keyboard.press(key)
        assert page.evaluate(FOCUSED) == expected, f"after {key}"

    press("Tab", "page:a|News")
    press("Tab", "page:a|About")
    press("Tab", "page:a|Full-page assistant")
    press("Tab", "button.launcher|Open the assistant — Ask our documents")
    press("Enter", "input|")  # the panel opens with focus in the question field
    assert shadow(page, "root.querySelector('.launcher').getAttribute('aria-expanded')") == "true"
    press("Shift+Tab", f"button|{DEMO_SUGGESTIONS[-1]}")
    for question in reversed(DEMO_SUGGESTIONS[:-1]):
        press("Shift+Tab", f"button|{question}")
    press("Shift+Tab", "ol.log|Conversation")  # the conversation scrolls: it can take focus
    press("Shift+Tab", "button.close|Close the assistant")
    press("Shift+Tab", "button.clear|New conversation")
    press("Tab", "button.close|Close the assistant")
    press("Tab", "ol.log|Conversation")
    press("Tab", f"button|{DEMO_SUGGESTIONS[0]}")
    press("Enter", "input|")  # the suggestion is asked; focus stays in the question field
    assert bot_answers(page, 1).locator("p.short").inner_text() == "end of 2017"
    page.keyboard.type("What is personalised medicine?")
    press("Enter", "input|")
    answer = bot_answers(page, 2)
    assert "innovative method" in answer.locator("p.short").inner_text()
    press("Shift+Tab", "summary|3 passages")  # the last answer's passages
    press("Enter", "summary|3 passages")
    assert answer.locator("details").get_attribute("open") == ""
    press("Shift+Tab", "a.doc|Personalised Medicine : an international Action Plan published (opens in a new tab)")
    press("Tab", "summary|3 passages")
    press("Tab", "input|")
    press("Tab", "button.send|Ask")
    press("Tab", "button.launcher|Close the assistant")
    press("Enter", "button.launcher|Open the assistant — Ask our documents")  # closed; focus stays on the launcher
    assert shadow(page, "root.querySelector('.panel').hidden") is True
    press("Enter", "input|")
    press("Escape", "button.launcher|Open the assistant — Ask our documents")  # Escape closes and returns focus
    assert shadow(page, "root.querySelector('.panel').hidden") is True
    assert page.errors == []


def test_phone_panel_is_a_modal_dialog(server, new_page):
    page = new_page(width=375, height=740)
    page.goto(server + "/demo")
    for _ in range(4):
        page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED).startswith("button.launcher|Open")
    page.keyboard.press("Enter")
    assert shadow(page, "root.querySelector('.panel').getAttribute('aria-modal')") == "true"
    assert shadow(page, "root.querySelector('.panel').getAttribute('role')") == "dialog"
    # Tab goes round inside the panel: clear, close, the conversation, four suggestions, the field, Ask.
    ring = ["button.clear|New conversation", "button.close|Close the assistant", "ol.log|Conversation"]
    ring += [f"button|{q}" for q in DEMO_SUGGESTIONS] + ["input|", "button.send|Ask"]
    assert page.evaluate(FOCUSED) == "input|"
    seen = []
    for _ in range(len(ring) + 2):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
    assert seen == (ring[-1:] + ring + ring[:1])[: len(seen)]
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED) == "button.send|Ask"  # from the first control back round to the last
    page.keyboard.press("Escape")
    assert shadow(page, "root.querySelector('.panel').hidden") is True
    assert page.evaluate(FOCUSED) == "button.launcher|Open the assistant — Ask our documents"
    assert page.errors == []


def test_feedback_thumbs_and_conversation_id(server, new_page):
    """Thumbs under an answer only when the API gives an answer_id (mocked here), posted to /api/feedback."""
    page = new_page()
    asked, posted = [], []

    def with_answer_id(route):
        asked.append(json.loads(route.request.post_data))
        response = route.fetch()
        body = {**response.json(), "answer_id": f"ans-{len(asked)}"}
        route.fulfill(response=response, json=body)

    def feedback(route):
        posted.append(json.loads(route.request.post_data))
        if "comment" in posted[-1]:
            route.fulfill(status=429, json={"detail": "Too many requests; try again in a minute."})
        else:
            route.fulfill(status=200, json={"recorded": True})

    page.route("**/api/ask", with_answer_id)
    page.route("**/api/feedback", feedback)
    page.goto(server + "/")
    first = ask(page, "When does ERA PerMed start?", 1)
    thumbs = first.get_by_role("group", name="Was this helpful?")
    up, down = thumbs.get_by_role("button", name="Helpful", exact=True), thumbs.get_by_role("button", name="Not helpful")
    assert up.get_attribute("aria-pressed") == "false" and down.get_attribute("aria-pressed") == "false"
    up.click()
    thumbs.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
    assert posted == [{"answer_id": "ans-1", "helpful": True}] and up.get_attribute("aria-pressed") == "true"

    second = ask(page, "How many members does ICPerMed have?", 2)
    second.get_by_role("button", name="Not helpful").click()
    comment = second.get_by_label("What was missing? (optional)")
    assert shadow(page, "root.activeElement.tagName") == "TEXTAREA" and comment.get_attribute("maxlength") == "1000"
    accessible(page, "feedback")
    comment.fill("The list of members")
    second.get_by_role("button", name="Send").click()
    second.get_by_role("status").filter(has_text="Too many requests").wait_for()  # the server's message, shown politely
    assert second.get_by_role("status").inner_text() == "Your feedback could not be sent: Too many requests; try again in a minute."
    assert posted[1:] == [
        {"answer_id": "ans-2", "helpful": False},
        {"answer_id": "ans-2", "helpful": False, "comment": "The list of members"},
    ]

    # One random id per tab (and per conversation), sent with every question; the server accepts it.
    ids = {a["conversation_id"] for a in asked}
    assert len(ids) == 1 and re.fullmatch(r"[0-9a-f]{32}", ids.pop())
    page.get_by_role("button", name="New conversation").click()
    ask(page, "When does ERA PerMed start?", 1)
    assert asked[-1]["conversation_id"] != asked[0]["conversation_id"]
    assert page.errors == []


@pytest.mark.parametrize("path, dark", [("/", True), ("/demo", False)])
def test_zoom_200_percent_loses_nothing(server, new_page, path, dark):
    """1280×800 at 200% zoom is a 640×400 CSS-pixel viewport: the panel fills it, nothing is cut off."""
    page = new_page(width=640, height=400, dark=dark)
    page.goto(server + path)
    if path == "/demo":
        page.locator("[data-docqa] .launcher").click()
    answer = ask(page, "How many members does ICPerMed have?", 1)
    answer.locator("summary").click()
    for part in (".panel", ":is(h1, h2)", "input", ".send"):
        box = page.locator(f"[data-docqa] {part}").first.bounding_box()
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 640 and box["y"] + box["height"] <= 400, part
    clipped = shadow(page, "[...root.querySelectorAll('.log, .msg, h1, h2, blockquote, .sources')].filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.className || e.tagName)")
    assert clipped == []
    accessible(page, f"zoom200-{'demo' if path == '/demo' else 'page'}{'-dark' if dark else ''}")
    assert page.errors == []


def test_source_link_opens_the_page_at_the_quoted_sentence(server, playwright_browser):
    context = playwright_browser.new_context(viewport={"width": 1000, "height": 400})
    try:  # the bundled page's address, answered here with the bundled file (no network)
        context.route(CANONICAL + "*", lambda route: route.fulfill(status=200, content_type="text/html", body=CORPUS_PAGE.read_bytes()))
        page = context.new_page()
        page.goto(server + "/")
        answer = ask(page, "When does ERA PerMed start?", 1)
        with context.expect_page() as opened:
            answer.locator("a.doc").click()
        target = opened.value
        target.wait_for_load_state()
        assert ":~:text=" in target.url
        target.wait_for_function("() => scrollY > 0", timeout=5_000)  # scrolled down to the quoted sentence
        assert target.evaluate("window.opener") is None
    finally:
        context.close()


def test_a_web_address_in_an_answer_is_a_link(server, new_page):
    # Asked for the page in French, the answer is the page's language link: its address opens in a new tab.
    page = new_page()
    page.goto(server + "/")
    answer = ask(page, "Is there a French version of this page?", 1)
    assert answer.locator("p.text strong").inner_text() == "Version française"
    link = answer.locator("p.text a.link")
    assert link.inner_text() == "http://www.agence-nationale-recherche.fr/fr/" and link.get_attribute("href") == link.inner_text()
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert answer.locator("p.text").inner_text() == "Version française: http://www.agence-nationale-recherche.fr/fr/"
    accessible(page, "web-address")
    assert page.errors == []


@pytest.mark.parametrize("dark", [False, True])
def test_a_question_with_a_typo_says_how_it_was_read(server, new_page, dark):
    page = new_page(dark=dark)
    page.goto(server + "/")
    answer = ask(page, "how many memebers does icpermed have?", 1)
    assert answer.locator("p.readas").inner_text() == "Read as “How many members does ICPerMed have?”"
    assert answer.locator("p.readas span").get_attribute("lang") == "en"
    assert answer.locator("p.short").inner_text() == "over 30"
    french = ask(page, "Quand ERA PerMed va-t-il comencer ?", 2)
    assert french.locator("p.readas").inner_text() == "Read as “Quand ERA PerMed va-t-il commencer ?”"
    assert french.locator("p.readas span").get_attribute("lang") == "fr"
    spelled = ask(page, "how many members does icpermed have?", 3)
    assert spelled.locator("p.readas").count() == 0  # nothing corrected, nothing said
    accessible(page, "typo-dark" if dark else "typo")
    page.reload()  # the conversation is kept in the tab: so is how each question was read
    assert bot_answers(page, 1).locator("p.readas").inner_text() == "Read as “How many members does ICPerMed have?”"
    assert page.errors == []


def test_api_reference_page_has_no_serious_axe_fault(server, new_page):
    """/docs is Swagger UI's markup under docqa's stylesheet (server/static/api-docs.css): no contrast,
    landmark or nested-control fault, folded or with an operation open; the one left is Swagger's
    heading levels (its h1 title, then h3 per tag)."""
    page = new_page()
    page.goto(server + "/docs")
    page.locator(".opblock").first.wait_for(timeout=20_000)
    folded = axe_faults(page)
    page.locator(".opblock-summary-control").first.click()
    page.locator(".highlight-code").first.wait_for(timeout=20_000)
    opened = axe_faults(page)
    for state, faults in (("folded", folded), ("opened", opened)):
        assert [f["id"] for f in faults] == ["heading-order"], f"{state}: {json.dumps(faults, indent=1)}"
    assert page.errors == []
