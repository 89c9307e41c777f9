"""Questions about the page itself, answered by its title (answering/page_title.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import page_title
from docqa.index.answering.extractive import BY_FORM_PROBABILITY, AnswerSettings
from tests.conftest import index_of

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
        "Which heading introduces the page?",  # the heading that opens the page itself, not a part of it
        "What heading introduces this article?",
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
        "Under what heading does the page give background on the quay?",  # a section's heading, not the page's
        "What heading introduces the section at the end of the page?",
        "What heading comes after the title?",
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


@pytest.mark.parametrize(
    "question, asks",
    [
        ("What heading introduces the background section?", True),
        ("Under what heading does the page give background on the quay?", True),
        ("what heading comes before the part about the cranes", True),
        ("What subheading comes after the title?", True),
        ("What is the headline of this news item?", False),  # the page's own title
        ("Which heading does the page carry?", False),
        ("Where is the ferry heading?", False),  # no part of the page
    ],
)
def test_a_question_may_ask_for_the_heading_of_a_part_of_the_page(question, asks):
    assert page_title.asks_for_section_heading(question) is asks


def test_the_heading_asked_for_opens_the_part_the_question_describes(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    news = (
        f"# {HEADLINE}\n\nThe new quay opens in May.\n\n## Opening hours:\n\nThe quay is open from dawn to dusk.\n\n"
        "## Cranes and ferries:\n\nIt holds twelve cranes and serves the ferries.\n"
    )
    assistant = Assistant(index_of(tmp_path, fake_embedder, {"news.md": news}), embedder=fake_embedder)
    answer = assistant.ask("What heading introduces the part about the cranes?")
    assert answer.answered and answer.short_answer == "Cranes and ferries:" and answer.confidence >= BY_FORM_PROBABILITY
    assert assistant.ask("Which heading comes before the opening hours part?").short_answer == "Opening hours:"
    assert "Cranes" not in assistant.ask("How many cranes does the quay hold?").answer  # a heading answers no other question


@pytest.mark.model
def test_the_bundled_page_answers_questions_about_itself_and_its_counts(corpus_index, real_embedder):
    from docqa.index.assistant import Assistant

    assistant = Assistant(corpus_index, embedder=real_embedder)
    headline = assistant.ask("What is the headline of this news item?")
    assert headline.answered and headline.short_answer == "Personalised Medicine : an international Action Plan published"
    compared = assistant.ask("Are there more research activities than supporting ones?")
    assert compared.answered and compared.short_answer == "22 research"  # answering/comparison.py
    site = assistant.ask("Which organisation publishes this website?")
    assert site.answered and site.short_answer == "The French National Research Agency"  # the page's banner


@pytest.mark.parametrize(
    "question",
    [
        "Which agency runs this site?",
        "Which organisation publishes this website?",
        "Who is the page from?",
        "who put this page up?",
        "whose website is this",
        "Which agency's website is the announcement posted on?",
        "Which organisation's website is this news page from? I need to cite the publisher.",
        "Who is behind this site?",
        "Which organism wrote this web page?",
        "This page is from which agency, the French one?",
        "Who is the site by?",
        "Who put this site up?",
        "Which agency runs the web portal of the port?",
        "Which agency's news page is this?",
        "Which national body issued this web notice?",
    ],
)
def test_a_question_about_whose_page_this_is_asks_for_the_site(question):
    assert page_title.asks_for_site(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who published the plan on this page?",  # the plan is what was published, not the page
        "Who runs the harbour board?",
        "What is the headline of this page?",
        "Is there a French version of this page?",
        "Which ships does the page say use the quay?",
        "Whose idea was the quay?",
        "Who wrote the plan on this page?",
        "who wrote this article?",  # its author, whom the page may not name
        # a site that is a place, not the website
        "Who owned the site before the museum was built?",
        "Which company operates the site at Sellafield?",
        "Who manages the site of the old mill?",
        "Who issued the notice of termination?",  # a notice the text is about, not the page
    ],
)
def test_other_questions_do_not_ask_for_the_site(question):
    assert not page_title.asks_for_site(question)


def _page(banner: str, title: str = HEADLINE) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><header>{banner}<nav><a href='/'>Home</a></nav></header><main>"
        "<p>The new quay opens in May. It holds twelve cranes and serves the ferries.</p></main></body></html>"
    )


def _site_assistant(tmp_path, fake_embedder, banner: str, **more_files: str):
    from docqa.index.assistant import Assistant

    root = index_of(tmp_path, fake_embedder, {"news.html": _page(banner), **more_files})
    return Assistant(root, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0))


def test_whose_site_it_is_is_answered_by_the_sites_banner(tmp_path, fake_embedder):
    answer = _site_assistant(tmp_path, fake_embedder, "<p>Harbour Board · Ports for all</p>").ask("Who runs this website?")
    assert answer.answered and answer.answer == "Harbour Board · Ports for all" and answer.short_answer == "Harbour Board"
    assert answer.confidence >= BY_FORM_PROBABILITY
    assert answer.sources[0].text == answer.answer and answer.sources[0].doc_id.endswith("news.html")
    other = _site_assistant(tmp_path / "b", fake_embedder, "<p>Harbour Board</p>").ask("When does the new quay open?")
    assert "May" in other.answer  # other questions are answered by the text, as before


def test_the_slogan_beside_the_sites_name_is_the_banners_tagline(tmp_path, fake_embedder):
    assert page_title.asks_for_tagline("What's the little slogan next to the agency's name at the top of the page?")
    assert page_title.asks_for_tagline("What tagline accompanies the name in the page header?")
    assert not page_title.asks_for_tagline("What is the harbour board's motto?")  # not the page's banner
    assert not page_title.asks_for_tagline("What is the headline of this page?")
    # a slogan the page writes about is not its banner's
    assert not page_title.asks_for_tagline("What slogan does the article say the campaign used?")
    assert not page_title.asks_for_tagline("What was the name of the campaign slogan?")
    assert not page_title.asks_for_tagline("What was the slogan of the top-selling brand?")
    assert not page_title.asks_for_tagline("What was the party's slogan under its new name?")
    assert page_title.asks_for_tagline("What is the site’s tagline?") and page_title.asks_for_tagline("What is the website's slogan?") and page_title.asks_for_tagline("What tagline is on this page?")
    assert page_title.asks_for_tagline("what is the slogan in high of the page?")  # French, glossed
    assert page_title.site_tagline("Harbour Board · Ports for all") == "Ports for all"
    assert page_title.site_tagline("Harbour Board") is None
    answer = _site_assistant(tmp_path, fake_embedder, "<p>Harbour Board · Ports for all</p>").ask(
        "What slogan is written beside the board's name at the top of the page?"
    )
    assert answer.answered and answer.short_answer == "Ports for all"
    assert [answer.answer[a:b] for a, b in answer.highlights] == ["Ports for all"]
    # A banner that is a name alone holds no slogan: the text answers (or the question is declined).
    plain = _site_assistant(tmp_path / "b", fake_embedder, "<p>Harbour Board</p>").ask("What tagline is on this page?")
    assert plain.short_answer != "Harbour Board" and plain.confidence < BY_FORM_PROBABILITY


def test_a_page_without_a_banner_answers_from_its_text_or_declines(tmp_path, fake_embedder):
    answer = _site_assistant(tmp_path, fake_embedder, "<p></p>").ask("Who runs this website?")
    assert answer.confidence < BY_FORM_PROBABILITY and all("new quay opens" in s.text for s in answer.sources)


def test_whose_site_it_is_is_answered_by_a_banner_when_the_best_passage_has_none(tmp_path, fake_embedder):
    # a file linked from the site (a PDF, a text file) keeps no banner, and may be the passage found first
    terms = "Terms of use\n\nWho runs this website decides who may use this website."
    assistant = _site_assistant(tmp_path, fake_embedder, "<p>Harbour Board · Ports for all</p>", **{"terms.txt": terms})
    found = assistant.answerer.assess("Who runs this website?")
    assert found.passages[0].chunk.document.site is None  # the text file's passage comes first
    answer = assistant.ask("Who runs this website?")
    assert answer.answered and answer.short_answer == "Harbour Board" and answer.sources[0].doc_id.endswith("news.html")


def test_the_sentence_a_headline_reports_answers_questions_in_the_headlines_words(tmp_path, fake_embedder):
    # "…Plan published" reports the one sentence saying "published", which calls the plan something else.
    from docqa.index.assistant import Assistant

    news = (
        "# Harbour Plan published\n\nThe harbour grows every year. To serve it, the Quay Club has recently published a"
        " consensus view on the works. The Harbour Plan will feed into the city budget next year.\n"
    )
    index = index_of(tmp_path, fake_embedder, {"news.md": news})
    assistant = Assistant(index, embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0))
    assert "Quay Club" in assistant.ask("Who published the Harbour Plan?").answer
    assert "budget" in assistant.ask("What will the Harbour Plan feed into?").answer


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Who is heading the second phase of the project?", False),  # a verb: who leads it
        ("Who will be heading the section on ethics?", False),
        ("Where is the committee heading next?", False),
        ("Is the port heading towards a new plan after the review?", False),
        ("Under which heading is the budget listed?", True),  # what stands under it is a part of the page
        ("What is the heading of the second section?", True),
    ],
)
def test_a_verb_heading_asks_for_no_heading(question, asks):
    assert page_title.asks_for_section_heading(question) is asks


def test_a_question_about_who_is_heading_a_part_of_the_work_is_not_answered_with_a_heading(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    news = (
        f"# {HEADLINE}\n\nThe new quay opens in May.\n\n## Second phase:\n\nThe second phase adds twelve cranes.\n"
    )
    assistant = Assistant(index_of(tmp_path, fake_embedder, {"news.md": news}), embedder=fake_embedder)
    answer = assistant.ask("Who is heading the second phase?")
    assert answer.short_answer != "Second phase:" and answer.confidence < BY_FORM_PROBABILITY


def test_the_page_title_is_no_answer_for_a_section_heading(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    # a markdown heading without a colon is a heading line of its own: it is the heading asked for, and the page's
    # own title heads no section
    news = f"# {HEADLINE}\n\nThe new quay opens in May.\n\n## Cranes and ferries\n\nIt holds twelve cranes.\n"
    assistant = Assistant(index_of(tmp_path, fake_embedder, {"news.md": news}), embedder=fake_embedder)
    answer = assistant.ask("What heading introduces the part about the cranes?")
    assert answer.short_answer == "Cranes and ferries" and answer.confidence >= BY_FORM_PROBABILITY
    # a page with no heading but its title: the title is no section's heading
    news = f"# {HEADLINE}\n\nThe new quay opens in May. It holds twelve cranes.\n"
    assistant = Assistant(index_of(tmp_path / "plain", fake_embedder, {"news.md": news}), embedder=fake_embedder)
    answer = assistant.ask("What heading introduces the part about the cranes?")
    assert answer.short_answer != HEADLINE and answer.confidence < BY_FORM_PROBABILITY
