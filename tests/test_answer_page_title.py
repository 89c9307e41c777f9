"""Questions about the page itself, answered by its title (answering/page_title.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import page_title
from docqa.index.answering.extractive import BY_FORM_PROBABILITY, AnswerSettings

HEADLINE = "Harbour works: the new quay opens"


@pytest.mark.parametrize(
    "question",
    [
        "What is the headline of this news item?",
        "Under what headline was this news item about the harbour published?",
        "What's the title of this article?",
        "what is this page about",
        "Which heading does the page carry?",
        "What is this web page titled?",
        "what is the title of this page?",  # French "Quel est le titre de cette page ?", glossed
    ],
)
def test_a_question_about_the_page_asks_for_its_title(question):
    assert page_title.asks_for_title(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is the title of the Harvard president?",  # a title, but no page named
        "What is the quay about?",
        "Which page of the report lists the cranes?",  # a page named, no title asked
        "What is the aim of the harbour works?",
        "Which company made headlines in 2020?",  # the idiom: in the news, no page's headline
        "Who was in the headlines last week?",
    ],
)
def test_other_questions_do_not_ask_for_the_title(question):
    assert not page_title.asks_for_title(question)


@pytest.mark.parametrize("question", ["the page " * 600, "title " * 900, "this article " * 400 + "called"])
def test_a_long_question_is_read_in_linear_time(question):
    import time

    started = time.perf_counter()
    page_title.asks_for_title(question)
    assert time.perf_counter() - started < 0.02


def _assistant(tmp_path, fake_embedder, *, min_score):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "news.md").write_text(
        f"# {HEADLINE}\n\nThe new quay opens in May. It holds twelve cranes and serves the ferries.\n", encoding="utf-8"
    )
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    return Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=min_score))


def test_the_headline_asked_for_is_the_pages_title(tmp_path, fake_embedder):
    assistant = _assistant(tmp_path, fake_embedder, min_score=None)
    answer = assistant.ask("What is the headline of this news item?")
    assert answer.answered and answer.answer == HEADLINE == answer.short_answer
    assert answer.confidence >= BY_FORM_PROBABILITY


def test_the_title_is_no_answer_to_other_questions(tmp_path, fake_embedder):
    # The title labels the text: a question about its words is answered by a sentence, as before.
    answer = _assistant(tmp_path, fake_embedder, min_score=0.0).ask("When does the new quay open?")
    assert answer.answer != HEADLINE and "May" in answer.answer


@pytest.mark.model
def test_the_bundled_page_answers_questions_about_itself_and_its_counts(corpus_index, real_embedder):
    from docqa.index.assistant import Assistant

    assistant = Assistant(corpus_index, embedder=real_embedder)
    headline = assistant.ask("What is the headline of this news item?")
    assert headline.answered and headline.short_answer == "Personalised Medicine : an international Action Plan published"
    compared = assistant.ask("Are there more research activities than supporting ones?")
    assert compared.answered and compared.short_answer == "22 research"  # answering/comparison.py
