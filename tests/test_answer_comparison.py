"""Questions comparing two counts, answered by the sentence giving both (answering/comparison.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import comparison
from docqa.index.answering.extractive import BY_FORM_PROBABILITY, AnswerSettings

PLAN = "The Action Plan lists, 22 research and 8 supporting activities, which have been identified as ready for action."


@pytest.mark.parametrize(
    "question, counted",
    [
        ("Which is bigger, the number of research or supporting activities?", "22 research"),
        ("Which are more numerous: research or supporting activities?", "22 research"),
        ("which has more activities, research or support?", "22 research"),
        ("Are there more research activities than supporting ones?", "22 research"),
        ("Are there fewer supporting activities than research ones?", "8 supporting"),
        ("Which are fewer, research or supporting activities?", "8 supporting"),
    ],
)
def test_the_count_asked_for_is_read_off_the_sentence(question, counted):
    asked = comparison.asked_comparison(question)
    assert asked is not None
    span = comparison.compared_span(PLAN, asked)
    assert span is not None and PLAN[span[0] : span[1]] == counted


@pytest.mark.parametrize(
    "question",
    [
        "Which is more important, research or support?",  # no count compared
        "Is ICPerMed older than ERA PerMed?",
        "How many research activities are there?",
        "Which activities are research or supporting ones?",
        "Which countries have more than 20 members or observers?",  # a threshold, not two things compared
    ],
)
def test_other_questions_compare_no_counts(question):
    assert comparison.asked_comparison(question) is None


def test_a_sentence_giving_one_count_or_two_equal_ones_answers_no_comparison():
    asked = comparison.asked_comparison("Which has more members, ICPerMed or ERA PerMed?")
    assert asked is not None
    assert comparison.compared_span("ICPerMed has over 30 members.", asked) is None
    asked = comparison.asked_comparison("Are there more research activities than supporting ones?")
    assert comparison.compared_span("It lists five research and five supporting activities.", asked) is None


@pytest.mark.parametrize(
    "sentence, counted",
    [
        # a number a comma or period ends is no count of the next word ("2015, research…")
        ("In 2015, research activities numbered 22 and supporting ones 8.", None),
        ("Section 1.2.3 research lists 4 supporting activities.", None),  # a section number: no count, no crash
        ("It lists 2,000 research and 800.5 supporting activities.", "2,000 research"),
    ],
)
def test_only_a_number_written_as_a_count_counts(sentence, counted):
    asked = comparison.asked_comparison("Are there more research activities than supporting ones?")
    span = comparison.compared_span(sentence, asked)
    assert (span and sentence[span[0] : span[1]]) == counted


def test_a_long_sentence_of_numbers_is_read_in_linear_time():
    import time

    asked = comparison.asked_comparison("Are there more research activities than supporting ones?")
    started = time.perf_counter()
    comparison.compared_span("1," * 2500, asked)
    assert time.perf_counter() - started < 0.02


def test_a_comparison_is_answered_by_the_sentence_counting_both(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(f"The plan was published in May. {PLAN} It will feed into a new network.", encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings())
    answer = assistant.ask("Are there fewer supporting activities than research ones?")
    assert answer.answered and answer.answer == PLAN and answer.short_answer == "8 supporting"
    assert answer.confidence >= BY_FORM_PROBABILITY


def test_number_words_are_one_table():
    from docqa.index.answering import number_words

    assert number_words.VALUES["seventeen"] == 17 and number_words.VALUES["ninety"] == 90
    assert {"hundreds", "dozens", "trillions"} <= number_words.COUNT_WORDS and "hundreds" not in number_words.VALUES
    import re

    # longest first: "seventeen" is read whole, not as "seven"
    assert re.match(number_words.CARDINAL, "seventeen").group() == "seventeen"
