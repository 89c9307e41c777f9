"""A named thing's status written beside its name, answered by the sentence's form (answering/status.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import status
from docqa.index.answering.extractive import BY_FORM_PROBABILITY

SENTENCE = (
    "The plan will feed into the European Research Area Network for personalized medicine (ERA PerMed), actually in "
    "preparation, which should start end of 2017."
)


@pytest.mark.parametrize(
    "question, asks",
    [
        ("What is the current status of ERA PerMed?", True),
        ("What stage was ERA PerMed at?", True),
        ("Current status of ERA PerMed at the time of the news item?", True),
        ("era permed status", True),  # search-box words
        ("ERA PerMed already started?", True),  # "ERA PerMed a-t-il déjà commencé ?" glossed
        ("Which projects have already started?", False),  # asks which
        ("Is ERA PerMed already running?", True),
        ("had ERA PerMed already started when this was written?", True),
        ("Is ERA PerMed still being set up?", True),
        ("Is it running yet? (ERA PerMed)", True),  # a follow-up, its subject added
        ("When does ERA PerMed start?", False),
        ("What does ERA PerMed fund?", False),
        ("Is ERA PerMed open to researchers outside Europe?", False),
    ],
)
def test_questions_asking_how_far_along_something_is(question, asks):
    assert status.asks_for_status(question) is asks


@pytest.mark.parametrize(
    "question, phrase",
    [
        ("What is the current status of ERA PerMed?", "in \npreparation"),
        ("At the time of writing, was ERA PerMed already running?", "in \npreparation"),
        ("Current status of ERA PerMed at the time of the news item?", "in \npreparation"),
        ("What is the status of ERA PerMed's first call?", None),  # the sentence writes no call
        ("Is the plan still in preparation?", None),  # the status stands beside ERA PerMed, far from the plan
    ],
)
def test_the_status_written_beside_the_name_asked_about(question, phrase):
    sentence = SENTENCE.replace("in preparation", "in \npreparation")  # a phrase may break across a line
    span = status.status_span(sentence, question)
    assert (sentence[span[0] : span[1]] if span else None) == phrase


def test_a_sentence_writing_no_status_answers_no_status_question():
    assert status.status_span("ERA PerMed should start end of 2017.", "What is the status of ERA PerMed?") is None


def test_the_sentence_writing_the_status_answers_by_its_form(tmp_path, fake_embedder):
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "news.txt").write_text(f"{SENTENCE} ANR funds research projects.\n\nRivers flood in spring.", encoding="utf-8")
    ingest([docs], index_root=tmp_path / "index", embedder=fake_embedder)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    answer = assistant.ask("Is ERA PerMed already running?")
    assert answer.answered and answer.answer.startswith("The plan will feed into")
    assert answer.short_answer == "in preparation"
    assert answer.confidence >= BY_FORM_PROBABILITY
    # The status of something else: nothing answers by its form
    assert assistant.ask("What is the status of the ANR research projects?").confidence < BY_FORM_PROBABILITY


@pytest.mark.parametrize("question", ["Quel est le statut actuel d'ERA PerMed ?", "ERA PerMed est-il déjà lancé ?", "Où en est ERA PerMed ?"])
def test_a_french_status_question_glossed_asks_for_the_status(question):
    from docqa.index.answering import language

    english = language.gloss_french(question)
    assert status.asks_for_status(english)
    span = status.status_span(SENTENCE, english)
    assert span is not None and SENTENCE[span[0] : span[1]] == "in preparation"
