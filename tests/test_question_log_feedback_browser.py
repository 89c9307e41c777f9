"""Thumbs up/down and the comment in a real browser, through the real API into the real log: on the chat page
and in the widget embedded on /demo (the widget's own behaviour is tested in test_browser_chat.py)."""

from __future__ import annotations

import re

import pytest

from tests.browser_harness import playwright_browser, serve_app  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.model]


@pytest.fixture(scope="module")
def logging_server(corpus_index, real_embedder, tmp_path_factory):
    from docqa.config import Settings
    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('log') / 'questions.sqlite3'}"
    app = create_app(Settings(index=corpus_index, database_url=url), assistant=Assistant(corpus_index, embedder=real_embedder))
    with serve_app(app) as base:
        yield base, app


def rows_by_question(app) -> dict[str, dict]:
    log = app.state.question_log
    assert log.flush(timeout=10)
    return {r["question"]: r for r in log.store().rows()}


def thumbs(answer):
    group = answer.get_by_role("group", name="Was this helpful?")
    return group, group.get_by_role("button", name="Helpful", exact=True), group.get_by_role("button", name="Not helpful")


def ask(page, question: str, count: int):
    field = page.get_by_label("Your question")
    field.fill(question)
    field.press("Enter")
    answer = page.locator("[data-docqa] li.msg.bot:not(.loading)").nth(count - 1)
    answer.wait_for(timeout=20_000)
    return answer


def test_thumbs_and_comment_reach_the_log_from_the_chat_page_and_the_widget(logging_server, playwright_browser) -> None:  # noqa: F811
    base, app = logging_server
    contexts = [playwright_browser.new_context()]  # closed at the end: open keep-alive connections would hold up the server's stop
    page = contexts[0].new_page()
    try:
        page.goto(base + "/")
        group, up, _ = thumbs(ask(page, "When does ERA PerMed start?", 1))
        up.click()
        group.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
        second = ask(page, "How many members does ICPerMed have?", 2)
        group, _, down = thumbs(second)
        down.click()
        group.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
        second.get_by_label("What was missing? (optional)").fill("<b>The list</b> of members'; --")
        second.get_by_role("button", name="Send").click()
        for _ in range(100):  # the comment is a second request, after the thumbs
            rows = rows_by_question(app)
            if rows["How many members does ICPerMed have?"]["comment"] is not None:
                break
            page.wait_for_timeout(100)
        first, member = rows["When does ERA PerMed start?"], rows["How many members does ICPerMed have?"]
        assert first["helpful"] is True and member["helpful"] is False and member["comment"] == "<b>The list</b> of members'; --"
        assert first["origin"] == base and re.fullmatch(r"[0-9a-f]{32}", first["conversation_id"] or "")
        assert member["conversation_id"] == first["conversation_id"]  # one conversation, one id

        contexts.append(playwright_browser.new_context())  # a new tab: the widget starts a conversation of its own
        page = contexts[-1].new_page()
        page.goto(base + "/demo")  # the embedded widget
        page.locator("[data-docqa] .launcher").click()
        answer = ask(page, "How many research activities does the Action Plan list?", 1)
        group, _, down = thumbs(answer)
        down.click()
        group.get_by_role("status").filter(has_text="Thank you for your feedback.").wait_for()
        row = rows_by_question(app)["How many research activities does the Action Plan list?"]
        assert row["helpful"] is False and row["comment"] is None and row["answered"] is True
        assert row["conversation_id"] != first["conversation_id"]
    finally:
        for context in contexts:
            context.close()
