"""The question a visitor's text asks, greetings and thanks aside (index/answering/utterance.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering.utterance import Utterance, read_utterance


@pytest.mark.parametrize(
    "typed, question, context",
    [
        ("Hi! When does ERA PerMed start? Thanks!", "When does ERA PerMed start?", ("Hi!",)),
        ("when does ERA PerMed start???", "when does ERA PerMed start?", ()),
        ("Is it over?!", "Is it over?", ()),
        ("Hello, I am a researcher and would like to know something. Who chairs ICPerMed?", "Who chairs ICPerMed?",
         ("Hello, I am a researcher and would like to know something.",)),
        ("I read about ICPerMed. How many members does it have?", "How many members does it have?", ("I read about ICPerMed.",)),
        ("Hello. I would like to know when ERA PerMed starts.", "when ERA PerMed starts.", ("Hello.",)),
        ("Bonjour ! Combien de membres compte l'ICPerMed ? Merci", "Combien de membres compte l'ICPerMed ?", ("Bonjour !",)),
    ],
)  # fmt: skip
def test_the_one_sentence_that_asks_is_the_question(typed: str, question: str, context: tuple[str, ...]) -> None:
    assert read_utterance(typed) == Utterance(question, context)


@pytest.mark.parametrize(
    "typed",
    [
        "What did Dr. Smith say about the U.S. plan, e.g. its budget?",  # abbreviations end no sentence
        "What did Mrs. Smith say?",
        "When does ERA PerMed start? How many members does ICPerMed have?",  # two questions: both are read
        "ERA PerMed start date",
        "Tell me about ERA PerMed. I need the dates.",  # nothing asks
        "I know what ICPerMed is. Tell me the number of activities.",  # a relative "what" asks nothing
    ],
)
def test_a_text_with_one_sentence_or_several_or_none_that_ask_is_read_whole(typed: str) -> None:
    assert read_utterance(typed) == Utterance(typed)


@pytest.mark.parametrize(
    "typed, question",
    [
        ("Hi, can you please tell me when ERA PerMed starts?", "when ERA PerMed starts?"),
        ("Can you tell me: icpermed full name", "icpermed full name"),
        ("I would like to know when ERA PerMed starts.", "when ERA PerMed starts."),
        ("Do you know who chairs ICPerMed?", "who chairs ICPerMed?"),
        ("what is the full name of era permed, please?", "what is the full name of era permed?"),
        ("Pouvez-vous me dire quand ERA PerMed démarre ? Merci", "quand ERA PerMed démarre ?"),
        ("Que signifie le sigle ERA PerMed, svp ?", "Que signifie le sigle ERA PerMed?"),
        ("please help", "please help"),  # one word would be left: kept whole
        ("Can you tell me", "Can you tell me"),
        ("What does the page say about thanks?", "What does the page say about thanks?"),  # what it asks about
        ("Could you tell me if Germany is a member?", "Could you tell me if Germany is a member?"),  # no statement
        ("Pouvez-vous me dire si l'ANR est membre ?", "Pouvez-vous me dire si l'ANR est membre ?"),
        # a spoken filler before the question's first word, as dictation writes it
        ("so um what agency runs this website", "what agency runs this website"),
        ("Okay, so how many members are there?", "how many members are there?"),
        ("Well, is it open?", "is it open?"),
        ("Well water is safe to drink?", "Well water is safe to drink?"),  # a word of the question
        ("So the activities go from what to what", "So the activities go from what to what"),
        ("um is it open?", "is it open?"),  # a sound before the auxiliary
        ("so um, does it fund research?", "does it fund research?"),
        # a word or abbreviation before the auxiliary with no comma may be the subject: it was left out
        ("OK is the postal abbreviation of which state?", "OK is the postal abbreviation of which state?"),
        ("ER is the short name of which ward?", "ER is the short name of which ward?"),
        ("Oh Canada is the anthem of which country?", "Oh Canada is the anthem of which country?"),
        # a request embedding the question it asks
        ("Please indicate which national body issued this web notice.", "which national body issued this web notice."),
        ("Kindly indicate how the consortium regards the plan.", "how the consortium regards the plan."),
        ("tell me what the action plan lists", "what the action plan lists"),
        ("Indicate the end date of ERA PerMed.", "Indicate the end date of ERA PerMed."),  # no question embedded
        ("Say which is bigger", "which is bigger"),
        ("Say hello to the team", "Say hello to the team"),
    ],
)
def test_courtesy_around_the_question_is_left_out(typed: str, question: str) -> None:
    assert read_utterance(typed).question == question


@pytest.mark.parametrize(
    "typed, question",
    [
        ("whats era permed", "what's era permed"),
        ("Whos in ICPerMed?", "Who's in ICPerMed?"),
        ("WHENS ERA PERMED STARTING", "WHEN'S ERA PERMED STARTING"),  # all capitals stay all capitals
        ("doesnt it start in 2017?", "doesn't it start in 2017?"),
        ("cant I apply?", "can't I apply?"),
        ("its members", "its members"),  # an English word as typed: left alone
        ("dont they fund it?", "don't they fund it?"),
        ("Quels sont les pays dont la contribution est la plus grande ?", "Quels sont les pays dont la contribution est la plus grande ?"),  # French "dont"
    ],
)
def test_a_contraction_typed_without_its_apostrophe_is_read_with_it(typed: str, question: str) -> None:
    assert read_utterance(typed).question == question


def test_the_answerer_reads_the_question_not_the_greetings(tiny_index, fake_embedder) -> None:
    from docqa.index.assistant import Assistant

    assistant = Assistant(tiny_index, embedder=fake_embedder)
    plain = assistant.ask("How many countries does the Danube flow through?")
    wrapped = assistant.ask("Hello, I am a student and I would like to know something. How many countries does the Danube flow through??? Thanks!")
    assert (wrapped.query, wrapped.answer, wrapped.confidence, wrapped.read_as) == (plain.query, plain.answer, plain.confidence, None)
    # A sentence before the question that names something is what a follow-up is about; one naming nothing is not.
    follow_up = assistant.ask("I have a question about the Danube. How many countries does it flow through?")
    assert follow_up.query == "How many countries does Danube flow through?"
    assert assistant.answerer.read_question("Hi! How many countries does it flow through?")[2] == "How many countries does it flow through?"
    # A French sentence names what its elided article is glued to ("l'Europe"), as an earlier turn's gloss does.
    said = "J'ai une question sur l'Europe. Combien de fleuves contient-elle ?"
    assert assistant.answerer.read_question(said)[2].endswith("Europe?")
    # A typo in the question is said, in the question alone.
    assert assistant.ask("Hi! How many countreis does the Danube flow through? Thanks").read_as == "How many countries does the Danube flow through?"


@pytest.mark.model
def test_greetings_and_thanks_change_no_answer_on_the_page(corpus_index, real_embedder) -> None:
    from docqa.index.assistant import Assistant

    assistant = Assistant(corpus_index, embedder=real_embedder)
    for question in ("How many members does ICPerMed have?", "Who chairs ICPerMed?", "Combien de membres compte l'ICPerMed ?"):
        plain = assistant.ask(question)
        for wrapped in (
            f"Hi! {question} Thanks!",
            f"Hello, I am a researcher and I would like to know something. {question}",
            f"Can you please tell me: {question.rstrip(' ?')}, please?",
        ):
            answer = assistant.ask(wrapped)
            assert (answer.answered, answer.answer, answer.confidence, answer.language) == (plain.answered, plain.answer, plain.confidence, plain.language), wrapped
