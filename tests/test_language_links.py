"""A page's language switcher: read at ingest (ingest/language_links.py), kept in the index, and answering "Is there
a French version of this page?" (answering/other_language.py)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from docqa.index.answering import other_language
from docqa.index.answering.extractive import BY_FORM_PROBABILITY, AnswerSettings
from docqa.index.storage.store import LanguageLink
from docqa.ingest.language_links import language_links
from docqa.ingest.loaders import Document
from tests.conftest import index_of

PAGE_URL = "https://port.example/en/news/quay/"


def _links(html: str, page_url: str | None = PAGE_URL) -> tuple[LanguageLink, ...]:
    return language_links(LexborHTMLParser(html), page_url=page_url)


def test_the_banners_links_to_other_language_sections_are_the_pages_versions():
    html = (
        "<html lang='en'><body><header><nav><a href='/en/'>Home</a><a href='/en/about/'>About</a>"
        "<a href='/fr/'>Version française</a><a href='https://port.example/de/news/'>Deutsch</a>"
        "<a href='https://other.example/es/'>Puerto amigo</a><a href='/it/'><img alt=''></a></nav></header>"
        "<main><p>See the <a href='/nl/report.pdf'>Dutch report</a>.</p></main></body></html>"
    )
    assert _links(html) == (
        LanguageLink("fr", "Version française", "https://port.example/fr/"),
        LanguageLink("de", "Deutsch", "https://port.example/de/news/"),
        LanguageLink("it", "Italian", "https://port.example/it/"),  # a flag without text: the language's name
    )  # the page's own language, another site's page and a link in the text are no versions of it


def test_marked_links_count_wherever_they_are_and_whatever_the_pages_language():
    html = (
        "<html><head><link rel='alternate' hreflang='fr-FR' href='https://port.example/fr/quai/'>"
        "<link rel='alternate' hreflang='x-default' href='https://port.example/'></head>"
        "<body><p><a hreflang='es' href='/es/muelle/'>Leer en español</a> <a href='/de/'>Deutsch</a></p></body></html>"
    )
    assert _links(html, page_url=None) == (
        LanguageLink("fr", "French", "https://port.example/fr/quai/"),
        LanguageLink("es", "Leer en español", "/es/muelle/"),
    )  # with the page's language unknown, an unmarked "/de/" might be its own section: left out
    assert _links("<html lang='en'><body><nav><a href='/fr/'>FR</a></nav></body></html>", page_url=None) == (
        LanguageLink("fr", "FR", "/fr/"),
    )


def test_a_page_of_one_language_links_to_none():
    html = "<html lang='en'><body><header><nav><a href='/en/'>Home</a><a href='/news/'>News</a><a href='#top'>Top</a></nav></header></body></html>"
    assert _links(html) == ()


def test_the_links_change_the_documents_hash():
    plain = Document(doc_id="a", title="T", source="a", text="Text.", site="Port")
    linked = Document(doc_id="a", title="T", source="a", text="Text.", site="Port", language_links=(LanguageLink("fr", "FR", "/fr/"),))
    assert linked.hash != plain.hash


@pytest.mark.parametrize(
    "question, code",
    [
        ("Is there a French version of this page?", "fr"),
        ("Is a French-language version of the notice offered?", "fr"),
        ("french version", "fr"),
        ("Is there a version of this page in another language?", other_language.ANY),
        ("What link to another language edition appears at the top of the page?", other_language.ANY),
        ("Is there a link to the page in another language?", other_language.ANY),
        ("Can I read this in German?", "de"),
        ("Is this page available in Spanish?", "es"),
        ("are there a version French of this page?", "fr"),  # "Y a-t-il une version française de cette page ?", glossed
        ("How do I switch language?", other_language.ANY),
    ],
)
def test_questions_asking_for_the_page_in_another_language(question, code):
    assert other_language.asked_language(question) == code


@pytest.mark.parametrize(
    "question",
    [
        "Which French ministry is involved?",
        "What language is the action plan written in?",
        "Is the action plan available in French?",  # the plan's language, not the page's
        "Is there a French version of the Action Plan?",
        "Is there a new version of the Action Plan?",
        "What does the English translation of ANR's name mean?",
        "Who translated the plan?",
    ],
)
def test_other_questions_ask_for_no_version_of_the_page(question):
    assert other_language.asked_language(question) is None


def _assistant(tmp_path, fake_embedder, nav: str):
    from docqa.index.assistant import Assistant

    page = (
        f"<html lang='en'><head><title>New quay</title></head><body><header><p>Harbour Board</p><nav>{nav}</nav></header>"
        "<main><p>The new quay opens in May. It holds twelve cranes and serves the ferries.</p></main></body></html>"
    )
    root = index_of(tmp_path, fake_embedder, {"news.html": page})
    return Assistant(root, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0))


def test_asked_for_another_language_the_switchers_link_answers(tmp_path, fake_embedder):
    assistant = _assistant(tmp_path, fake_embedder, "<a href='/en/'>Home</a><a href='/fr/'>Version française</a>")
    answer = assistant.ask("Is there a French version of this page?")
    assert answer.answered and answer.answer == "Version française: /fr/" and answer.short_answer == "Version française"
    assert [answer.answer[a:b] for a, b in answer.highlights] == ["Version française"]
    assert answer.confidence == BY_FORM_PROBABILITY and answer.sources[0].text == answer.answer
    assert assistant.ask("Y a-t-il une version française de cette page ?").short_answer == "Version française"
    # a language the page does not link to is not answered by the link (the text answers); nor is another question
    assert "/fr/" not in assistant.ask("Is there a German version of this page?").answer
    assert "May" in assistant.ask("When does the new quay open?").answer


def test_a_page_without_a_switcher_answers_from_its_text(tmp_path, fake_embedder):
    answer = _assistant(tmp_path, fake_embedder, "<a href='/news/'>News</a>").ask("Is there a French version of this page?")
    assert answer.confidence < BY_FORM_PROBABILITY and "/fr/" not in answer.answer
