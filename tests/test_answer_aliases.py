"""Questions asking for another name of something, answered by the name the sentence gives it (answering/aliases.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import aliases
from docqa.index.answering.extractive import AnswerSettings

SECRETARIAT = (
    "ANR is additionally part of the ICPerMed Coordination and Support Action (ICPerMed Secretariat; CSA; 2016-2020) "
    "and the future ERA PerMed."
)


@pytest.mark.parametrize(
    "question, name",
    [
        ("By what other name is the ICPerMed Coordination and Support Action known?", "ICPerMed Coordination and Support Action"),
        ("What is the Harbour Board also called?", "Harbour Board"),
        ("Under which alternative name is the Harbour Board known?", "Harbour Board"),
        ("ICPerMed is also known as what?", "ICPerMed"),  # a first word written as a name
        ("What was Henry IV known as before taking the throne?", "Henry IV"),
        ("What is Warsaw known as in Carpathian?", "Warsaw"),  # not the language after "known as"
        ("What is ICPerMed's other name?", "ICPerMed"),  # a possessive's name, as sentences write it
    ],
)
def test_a_question_asking_for_another_name_names_what_it_asks_about(question, name):
    assert aliases.asked_alias(question) == name


@pytest.mark.parametrize(
    "question",
    [
        "What is the Harbour Board?",  # no other name asked for
        "Primitive jawless vertebrates possess an array of receptors referred to as what?",  # a capital opening the question
        "what is the harbour board also called?",  # no name written as one
        "Who is known as the Iron Lady?",  # the other name is given: who bears it is asked
    ],
)
def test_other_questions_ask_for_no_other_name(question):
    assert aliases.asked_alias(question) is None


@pytest.mark.parametrize(
    "sentence, name, other",
    [
        (SECRETARIAT, "ICPerMed Coordination and Support Action", "ICPerMed Secretariat"),
        ("Warsaw (Polish: Warszawa) is the capital.", "Warsaw", "Warszawa"),  # after its label
        ("The board (2016-2020; the Port Authority) met.", "board", "the Port Authority"),  # not a period
        ("The Big Apple, also known as New York City, is large.", "Big Apple", "New York City"),
        ("The Harbour Board, or HB, meets weekly.", "harbour  board", "HB"),
    ],
)
def test_the_other_name_is_the_one_written_right_after_the_name(sentence, name, other):
    span = aliases.alias_span(sentence, name)
    assert span is not None and sentence[span[0] : span[1]] == other


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("The Big Apple (1990) is a film.", "Big Apple"),
        ("The Big Apple (see below) is a film.", "Big Apple"),  # a remark, no name
        ("The Harbour Board meets weekly.", "Harbour Board"),
        (SECRETARIAT, "Secretariat"),
        ("Members of ICPerMed or ERA PerMed may apply.", "ICPerMed"),  # "or" without a comma joins two things
    ],
)
def test_a_sentence_naming_no_other_name_gives_none(sentence, name):
    assert aliases.alias_span(sentence, name) is None


def test_a_question_of_another_type_asks_no_other_name(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    sentence = "Of the 129 MSPs of Scotland (Members of the Scottish Parliament), 73 are known as Constituency MSPs."
    (docs / "council.txt").write_text(sentence, encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0))
    question = "How many MSPs of Scotland are known as Constituency MSPs?"
    assert aliases.asked_alias(question) == "MSPs of Scotland"  # worded as if asking another name...
    assert assistant.ask(question).short_answer != "Members of the Scottish Parliament"  # ...but it asks a number


def test_the_answer_to_another_name_is_that_name(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.txt").write_text(SECRETARIAT + " The docks hold twelve cranes.", encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    # Whatever the fake embedder's confidence: what is shown, with what short answer (the span finder alone picks "ANR").
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder, answer_settings=AnswerSettings(min_score=0.0))
    answer = assistant.ask("By what other name is the ICPerMed Coordination and Support Action known?")
    assert answer.answered and answer.answer == SECRETARIAT
    assert answer.short_answer == "ICPerMed Secretariat"
