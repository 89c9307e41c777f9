"""Each suggested question carries its own language in a real browser: English suggestions on a French chat page
are buttons with lang="en", so screen readers switch voice (fake embedder: no model)."""

from __future__ import annotations

import pytest

from tests.browser_harness import playwright_browser, serve_app  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e]


def test_english_suggestions_on_a_french_page_are_marked_english(playwright_browser, tiny_index, fake_embedder):
    from docqa.config import Settings
    from docqa.index.assistant import Assistant
    from docqa.server.app import create_app

    settings = Settings(index=tiny_index, model=fake_embedder.name, log_questions=False, suggestions="When was Voyager 1 launched?|Quand Apollo 11 a-t-il aluni ?")
    with serve_app(create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))) as url:
        context = playwright_browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
        try:
            page = context.new_page()
            page.goto(url + "/")
            assert page.evaluate("document.documentElement.lang") == "fr"
            buttons = page.locator("[data-docqa] .intro .sugg button")
            buttons.first.wait_for()
            shown = buttons.evaluate_all("bs => bs.map(b => [b.textContent, b.lang])")
        finally:
            context.close()
    assert shown == [["When was Voyager 1 launched?", "en"], ["Quand Apollo 11 a-t-il aluni ?", "fr"]]
