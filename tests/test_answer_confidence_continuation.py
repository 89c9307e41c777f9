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


def test_a_list_a_colon_leads_into_is_added_item_by_item_across_blank_lines():
    items = [f"- theme number {n};" for n in range(1, 11)]
    text = "Proposals must address one of these themes:\n\n" + "\n".join(items) + "\n\nWho can apply?"
    spans = [m.span() for m in re.finditer(r"[^\n]+", text)]  # one sentence a line, as the splitter reads a list
    assert continuation.leads_into_list(text, spans[0][1])
    end = continuation.continued_end(text, spans, 0)
    assert text[:end].endswith(f"- theme number {continuation.MAX_LIST_ITEMS};")  # at most MAX_LIST_ITEMS items
    prose = "Bills pass in a number of stages:\n\nStage 1 is the first."
    assert not continuation.leads_into_list(prose, _spans(prose)[0][1])  # a paragraph after the colon is no list
    assert continuation.continued_end(prose, _spans(prose), 0) == _spans(prose)[0][1]


def test_a_lead_in_is_shown_with_its_list_whatever_was_asked(tmp_path, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = (
        "Proposals must address at least one of the following themes:\n\n- access to primary care;\n"
        "- mental health of fishing workers;\n- digital tools for remote consultations.\n\nWho can apply?"
    )
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"call.txt": text}), embedder=fake_embedder,
                         answer_settings=AnswerSettings(min_score=0.0)).answerer
    answer = answerer.ask("Which themes can proposals address?")
    assert answer.answer.endswith("- digital tools for remote consultations.") and answer.short_answer is None


def test_a_date_or_amount_asked_and_written_in_the_lead_in_stays_the_short_answer(tmp_path, fake_embedder):
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = (
        "Health call 2025\n\nThe call opens on 3 March 2025 for the following applicants:\n- universities;\n"
        "- hospitals;\n- research institutes.\n\nProposals may address up to three of the following themes:\n"
        "- primary care;\n- mental health.\n\nWho can apply?"
    )
    answerer = Assistant(index_of(tmp_path, fake_embedder, {"call.txt": text}), embedder=fake_embedder,
                         answer_settings=AnswerSettings(min_score=0.0)).answerer
    opens = answerer.ask("When does the call open?")
    assert opens.answer.endswith("- research institutes.") and opens.short_answer == "3 March 2025"
    assert "three" in answerer.ask("How many themes may proposals address?").short_answer
    assert answerer.ask("Which themes may proposals address?").short_answer is None


def test_a_list_item_of_two_sentences_does_not_cut_the_list():
    from docqa.ingest.chunker import split_sentences

    text = (
        "To apply:\n1. Register on the portal. Registration takes one day.\n2. Fill in the form.\n3. Submit it.\n\n"
        "The panel meets in June."
    )
    spans = [tuple(s) for s in split_sentences(text)]
    assert text[: continuation.continued_end(text, spans, 0)] == text.split("\n\nThe panel")[0]
