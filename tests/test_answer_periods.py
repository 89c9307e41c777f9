"""A named thing's period written in brackets beside it (answering/periods.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import periods

SENTENCE = "ANR is part of the ICPerMed Coordination and Support Action (ICPerMed Secretariat; CSA; 2016-2020) and the future ERA PerMed."


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Which years does the ICPerMed Secretariat run?", True),
        ("For what period was ANR part of the support action?", True),
        ("icpermed secretariat years", True),
        ("years? (ICPerMed CSA)", True),  # a follow-up, its subject added in brackets
        ("When does the coordination action run?", True),
        ("The Secretariat runs for which years?", True),
        ("When was the plan published?", False),  # a date, not a period
        ("How many years of funding are there?", False),
        ("Who runs the Secretariat?", False),
    ],
)
def test_asks_for_period(question: str, asks: bool) -> None:
    assert periods.asks_for_period(question) is asks


@pytest.mark.parametrize(
    "question, years",
    [
        ("Which years does the ICPerMed Secretariat run?", "2016-2020"),  # named inside the bracket
        ("For what period was ANR part of the ICPerMed Coordination and Support Action?", "2016-2020"),  # before it
        ("What years does the CSA cover?", "2016-2020"),
        ("Which years did the PerMed CSA run?", None),  # "PerMed" is written only after the bracket, as "ERA PerMed"
        ("What years does the ERA PerMed run?", None),
        ("Which years does the ICPerMed Council run?", None),  # no council
    ],
)
def test_period_span_needs_every_word_of_the_question_up_to_the_bracket(question: str, years: str | None) -> None:
    found = periods.period_span(SENTENCE, question)
    assert (SENTENCE[found[0] : found[1]] if found else None) == years


def test_a_bracket_without_a_year_range_is_no_period() -> None:
    assert periods.period_span("The Secretariat (CSA; since 2016) runs the meetings.", "Which years does the Secretariat run?") is None
    assert periods.period_span("The Secretariat (CSA) ran from 2016 to 2020.", "Which years does the Secretariat run?") is None


def test_the_period_asked_for_is_the_answer_by_its_form(tmp_path, fake_embedder) -> None:
    from docqa.index.answering.extractive import BY_FORM_PROBABILITY
    from docqa.index.assistant import Assistant
    from tests.conftest import index_of

    text = (
        "Partners\n\nThe agency funds research in many fields. It is part of the Northern Health Network (NHN "
        "Secretariat; 2019-2023) and of other networks."
    )
    assistant = Assistant(index_of(tmp_path, fake_embedder, {"partners.txt": text}), embedder=fake_embedder)
    answer = assistant.ask("Which years does the NHN Secretariat run?")
    assert answer.answered and answer.short_answer == "2019-2023" and answer.confidence >= BY_FORM_PROBABILITY
    other = assistant.answerer.assess("Which years does the Southern Health Network run?")
    assert other.candidate is None or not other.candidate.dated
