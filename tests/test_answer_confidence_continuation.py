"""Answers of more than one sentence for list and description questions (issue 12 item 5)."""

from __future__ import annotations

import re

import pytest

from docqa.index.answering import continuation


def _spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^.:\n]+[.:]", text)]


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What kinds of boats does the club own?", True),
        ("What else does the plan take into account?", True),
        ("Besides rowing, what does the club offer?", True),
        ("Describe the club's history.", True),
        ("When was the club founded?", False),
        ("Who founded the club?", False),
    ],
)
def test_list_and_description_questions_are_recognised(question, expected):
    assert continuation.asks_for_more(question) is expected


def test_the_next_sentences_are_added_while_they_continue_the_answer():
    text = "The club owns rowing boats. It also owns two sailing boats. In addition, it rents kayaks. The club was founded in 1901."
    spans = _spans(text)
    end = continuation.continued_end(text, spans, 0)
    assert text[:end] == "The club owns rowing boats. It also owns two sailing boats. In addition, it rents kayaks."


def test_a_colon_introduces_the_next_sentence_and_a_new_paragraph_stops():
    text = "The plan covers three areas: Research comes first.\n\nFunding is separate."
    spans = _spans(text)
    assert text[: continuation.continued_end(text, spans, 0)] == "The plan covers three areas: Research comes first."
    assert continuation.continued_end(text, spans, 1) == spans[1][1]


def test_an_unrelated_next_sentence_is_not_added_and_at_most_two_are():
    text = "Boats are kept here. The club was founded in 1901."
    assert continuation.continued_end(text, _spans(text), 0) == _spans(text)[0][1]
    many = "A is one. Also B. Also C. Also D."
    assert many[: continuation.continued_end(many, _spans(many), 0)] == "A is one. Also B. Also C."
