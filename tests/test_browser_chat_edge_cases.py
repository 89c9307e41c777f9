"""The chat page under a demanding visitor, in a real browser: a new conversation started while a question is
pending, a failed answer (accessible, and no Retry when the same question would fail again), a question
with no visible character, and a long conversation (the page itself never scrolls into blank space).
"""

from __future__ import annotations

import json

import pytest

from tests.browser_harness import axe_faults, playwright_browser  # noqa: F401 (a fixture)
from tests.test_browser_chat import ask, new_page, server  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.model]

STORED_MESSAGES = "() => Object.values(sessionStorage).map(v => JSON.parse(v).messages.length)"


def test_new_conversation_drops_the_answer_still_on_its_way(server, new_page):
    page = new_page()
    held = []
    page.route("**/api/ask", lambda route: held.append(route))
    page.goto(server + "/")
    field = page.get_by_label("Your question")
    field.fill("what is ICPerMed?")
    field.press("Enter")
    page.locator("[data-docqa] li.msg.bot.loading").wait_for()
    page.get_by_role("button", name="New conversation").click()
    held[0].continue_()
    page.wait_for_timeout(1500)  # the old answer arrives meanwhile
    log = page.locator("[data-docqa] ol.log > li")
    assert log.count() == 1 and page.locator("[data-docqa] li.intro").count() == 1, log.all_inner_texts()
    assert page.evaluate(STORED_MESSAGES) == [0]
    page.unroute("**/api/ask")
    answer = ask(page, "when does ERA PerMed start?", 1)  # the form is usable at once
    assert "2017" in answer.inner_text()
    assert page.evaluate(STORED_MESSAGES) == [2] and page.errors == []


def test_a_failed_answer_is_an_accessible_list_item_and_retry_only_when_it_may_help(server, new_page):
    page = new_page()
    status = {"code": 500}

    def failing(route):
        body = {"error": "boom" if status["code"] == 500 else "question: the question is longer than 1000 characters", "request_id": "x"}
        route.fulfill(status=status["code"], headers={"Content-Type": "application/json"}, body=json.dumps(body))

    page.route("**/api/ask", failing)
    page.goto(server + "/")
    field = page.get_by_label("Your question")
    field.fill("when does ERA PerMed start?")
    field.press("Enter")
    error = page.locator("[data-docqa] li.msg.error")
    error.wait_for()
    assert page.get_by_role("alert").inner_text() == "The assistant could not answer: boom"
    assert error.get_by_role("button", name="Retry").count() == 1
    faults = axe_faults(page)
    assert faults == [], json.dumps(faults, indent=1)
    error.get_by_role("button", name="Retry").click()
    status["code"] = 422  # refused as asked: the same question would be refused again
    field.fill("when does ERA PerMed start, again?")
    field.press("Enter")
    page.locator("[data-docqa] li.msg.error").nth(1).wait_for()
    assert page.locator("[data-docqa] li.msg.error").nth(1).get_by_role("button", name="Retry").count() == 0
    assert page.errors == []


def test_a_question_with_no_visible_character_is_not_sent(server, new_page):
    page = new_page()
    calls = []
    page.route("**/api/ask", lambda route: (calls.append(1), route.continue_()))
    page.goto(server + "/")
    field = page.get_by_label("Your question")
    for invisible in ["\u200b\u200b", " \u2800 ", "\u3164\ufe0f"]:
        field.fill(invisible)
        field.press("Enter")
    page.wait_for_timeout(500)
    assert calls == [] and page.locator("[data-docqa] li.msg").count() == 0
    assert "2017" in ask(page, "\u200bwhen does ERA PerMed start?", 1).inner_text()
    assert len(calls) == 1


def test_a_long_conversation_scrolls_inside_the_chat_not_the_page(server, new_page):
    page = new_page(width=1000, height=600)
    page.goto(server + "/")
    for n, question in enumerate(["when does ERA PerMed start?", "how many members does ICPerMed have?", "what is personalised medicine?", "who is ANR?"], 1):
        ask(page, question, n)
    assert page.evaluate("[document.documentElement.scrollHeight, innerHeight]") == [600, 600]
    log_height = page.locator("[data-docqa] ol.log").evaluate("e => [e.scrollHeight > e.clientHeight, e.clientHeight < innerHeight]")
    assert log_height == [True, True]


def test_a_decline_in_french_on_an_english_page_asks_for_feedback_in_french(server, new_page):
    """The decline speaks the question's language; its thumbs and comment box do too (not half English)."""
    page = new_page()

    def with_answer_id(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "answer_id": "ans-1"})

    page.route("**/api/ask", with_answer_id)
    page.route("**/api/feedback", lambda route: route.fulfill(status=200, json={"status": "ok", "answer_id": "ans-1"}))
    page.goto(server + "/")
    declined = ask(page, "quelle est la couleur du ciel ?", 1)
    assert "Absent des documents" in declined.inner_text()
    thumbs = declined.get_by_role("group", name="Cette réponse vous a-t-elle aidé ?")
    assert thumbs.get_attribute("lang") == "fr"
    thumbs.get_by_role("button", name="Pas utile").click()
    assert thumbs.get_by_role("textbox", name="Que manquait-il ? (facultatif)").count() == 1
    thumbs.get_by_role("status").filter(has_text="Merci pour votre avis.").wait_for()
    assert "Was this helpful" not in declined.inner_text() and page.errors == []


def test_on_a_french_page_the_english_document_text_is_marked_english(server, playwright_browser):
    """WCAG 3.1.2 (language of parts): the quoted sentence, short answer, source title and passages carry
    lang="en" on a French chat page, so a screen reader does not read English with a French voice."""
    context = playwright_browser.new_context(locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(server + "/")
        assert page.evaluate("document.documentElement.lang") == "fr"
        field = page.get_by_label("Votre question")
        field.fill("quand commence ERA PerMed ?")
        field.press("Enter")
        answer = page.locator("[data-docqa] li.msg.bot:not(.loading)").first
        answer.wait_for(timeout=20_000)
        assert [answer.locator(sel).first.get_attribute("lang") for sel in ["p.short", "p.text", ".doc", "blockquote"]] == ["en"] * 4
        assert answer.locator(".doc .sr").get_attribute("lang") == "fr"  # "(s’ouvre dans un nouvel onglet)"
        assert answer.locator("p.srchead").get_attribute("lang") is None  # the chat's own words: the page's language
    finally:
        context.close()
    english = playwright_browser.new_page()
    try:
        english.goto(server + "/")
        english.get_by_label("Your question").fill("when does ERA PerMed start?")
        english.get_by_label("Your question").press("Enter")
        answer = english.locator("[data-docqa] li.msg.bot:not(.loading)").first
        answer.wait_for(timeout=20_000)
        assert answer.locator("p.text").get_attribute("lang") is None  # same language as the page: nothing to mark
    finally:
        english.close()


def test_the_chat_page_takes_questions_as_long_as_the_server_does(corpus_index, real_embedder, playwright_browser):
    """DOCQA_MAX_QUESTION_CHARS=1500: the page's field took 1,000 characters (a pasted question was cut silently)."""
    from docqa.config import Settings
    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app
    from tests.browser_harness import serve_app

    app = create_app(Settings(index=corpus_index, log_questions=False, max_question_chars=1500), assistant=Assistant(corpus_index, embedder=real_embedder))
    with serve_app(app) as url:
        page = playwright_browser.new_page()
        try:
            page.goto(url + "/")
            field = page.get_by_label("Your question")
            assert field.get_attribute("maxlength") == "1500"
            question = "when does ERA PerMed start? " + "please " * 190  # 1,358 characters
            field.fill(question)
            assert field.input_value() == question
            field.press("Enter")
            page.locator("[data-docqa] li.msg.bot:not(.loading)").first.wait_for(timeout=20_000)
            assert page.locator("[data-docqa] li.msg.error").count() == 0
        finally:
            page.close()
