"""The staff report in a real browser: refused without the token, signed in with it, three charts drawn
under the CSP with no violation and no script (screenshot in test-artifacts/), visitors' HTML shown as text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.browser_harness import CHROMIUM, CHROMIUM_ARGS, serve_app
from tests.test_question_log import answer

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "browser-test-token"


@pytest.mark.e2e
def test_admin_page_signs_in_and_draws_its_charts(tiny_index, fake_embedder, tmp_path) -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: apt-get install chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    from docqa.config import Settings
    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app
    from docqa.server.questions.store import QuestionStore, utc_now

    url = f"sqlite:///{tmp_path / 'q.sqlite3'}"
    store = QuestionStore.open(url)
    now = utc_now()
    rows, n = [], 0
    for day in range(14):  # two weeks of questions, more each day, a third declined
        for k in range(5 + 2 * day):
            n += 1
            declined = k % 3 == 0
            question = ["opening hours on sunday?", "When is the museum open on Sundays", "<b>parking</b> prices"][(k // 3) % 3] if declined else f"question {k % 4}"
            rows.append(answer(n, answered=not declined, question=question, asked_at=now - timedelta(days=13 - day, minutes=k), latency_ms=10 + k + day))
    store.insert(rows)
    store.rate(rows[-2].answer_id, helpful=False, comment="<script>alert('comment')</script>")
    store.close()
    settings = Settings(index=tiny_index, model=fake_embedder.name, admin_token=TOKEN, database_url=url)
    app = create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))
    ARTIFACTS.mkdir(exist_ok=True)
    with serve_app(app) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.add_init_script(
                "window.__violations = []; document.addEventListener('securitypolicyviolation',"
                " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
            )
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            refused = page.goto(base + "/admin")
            assert refused.status == 401 and page.locator("input[name=token]").is_visible()
            assert page.locator("svg.chart").count() == 0
            page.fill("input[name=token]", "not the token")
            page.click("button[type=submit]")
            assert page.locator("[role=alert]").inner_text() == "That token is not right."
            page.fill("input[name=token]", TOKEN)
            page.click("button[type=submit]")
            page.wait_for_selector("svg.chart")
            assert page.url == base + "/admin"
            cookie = next(c for c in page.context.cookies() if c["name"] == "docqa_admin")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert page.evaluate("document.cookie") == ""  # HttpOnly: no script can read it
            charts = page.locator("svg.chart")
            assert charts.count() == 3
            for i in range(3):
                box = charts.nth(i).bounding_box()
                assert box and box["width"] > 300 and box["height"] > 100
            assert page.locator("svg.chart rect.s-declined:has(title)").count() == 14  # a bar a day (the legend has no title)
            fill = page.evaluate("getComputedStyle(document.querySelector('svg.chart rect.s-answered')).fill")
            assert fill not in ("", "rgb(0, 0, 0)")  # styled by admin.css, not blocked
            page.screenshot(path=str(ARTIFACTS / "admin-report.png"), full_page=True)
            text = page.inner_text("main")
            assert "<script>alert('comment')</script>" in text and "<b>parking</b> prices" in text  # shown as text
            assert dialogs == [] and page.evaluate("window.__violations") == []
            with page.expect_download() as download:
                page.click("a[href^='/admin/export/questions.csv']")
            assert download.value.suggested_filename == "docqa-questions-30d.csv"
            page.click("text=Sign out")
            assert page.locator("input[name=token]").is_visible()
            assert page.goto(base + "/admin").status == 401
        finally:
            browser.close()
