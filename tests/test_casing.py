"""Questions whose capitals say nothing (all capitals, all lower case, Title Case) are read as if written normally
(index/answering/casing.py)."""

from __future__ import annotations

import pytest

from docqa.index.answering import casing

FORMS = {"icpermed": "ICPerMed", "era": "ERA", "permed": "PerMed", "european": "European", "commission": "Commission"}
WORDS = frozenset("when does start is a of member the full what did i miss who que la est ce qu".split())


def _recased(question: str) -> str:
    return casing.capitalised(casing.lowered(question, forms=FORMS), known=WORDS.__contains__)


@pytest.mark.parametrize(
    "question, caseless",
    [
        ("WHEN DOES ERA PERMED START?", True),
        ("Is The European Commission A Full Member Of ICPerMed?", True),
        ("QU'EST-CE QUE LA MÉDECINE PERSONNALISÉE ?", True),
        ("is germany a member of icpermed?", True),
        ("when does ERA PerMed start?", False),
        ("When does ERA PerMed start?", False),
        ("ANR?", False),  # one acronym: nothing to read again
        ("Barack Obama?", False),  # two words
        ("Is Germany a member of ICPerMed?", False),
    ],
)
def test_capitals_lower_case_and_title_case_are_told_from_names(question: str, caseless: bool) -> None:
    assert casing.caseless(question) is caseless


@pytest.mark.parametrize(
    "question, read",
    [
        ("WHEN DOES ERA PERMED START?", "When does ERA PerMed start?"),  # the documents' forms of their names
        ("IS GERMANY A MEMBER OF ICPERMED?", "Is Germany a member of ICPerMed?"),  # an unknown word: a name
        ("is germany a member of icpermed?", "Is Germany a member of ICPerMed?"),
        ("Is The European Commission A Full Member Of ICPerMed?", "Is the European Commission a full member of ICPerMed?"),
        ("Who Is Anne Frank?", "Who is Anne Frank?"),
        ("WHAT DID I MISS", "What did I miss"),
        ("QU'EST-CE QUE LA ICPERMED ?", "Qu'est-ce que la ICPerMed ?"),
        # Addresses and words joined to digits, underscores or dots are no names: they stay as typed.
        ("is https://www.era-permed.eu a member of era permed?", "Is https://www.era-permed.eu a member of ERA PerMed?"),
        ("is info@icpermed.eu a member?", "Is info@icpermed.eu a member?"),
        ("what is the 2nd member of icpermed of 1990s?", "What is the 2nd member of ICPerMed of 1990s?"),
        ("is config.py a member?", "Is config.py a member?"),
        ("https://www.era-permed.eu is a member?", "https://www.era-permed.eu is a member?"),
        ("what did i miss", "What did I miss"),
    ],
)
def test_a_caseless_question_is_written_as_the_documents_and_the_language_write_it(question: str, read: str) -> None:
    assert _recased(question) == read


@pytest.mark.parametrize(
    "question, read",
    [
        ("How many members does IC PerMed have?", "How many members does ICPerMed have?"),  # written apart
        ("When does ERAPerMed start?", "When does ERA PerMed start?"),  # two names written together
        ("When does ERA PerMed start?", "When does ERA PerMed start?"),
        ("What problem in C is harder?", "What problem in C is harder?"),  # no capital on "in": no "Inc"
        ("Is the Standard Model a Unified Model?", "Is the Standard Model a Unified Model?"),  # known words
        ("what does i c per med stand for", "what does ICPerMed stand for"),  # spelled out, as dictation writes it
        ("when does e r a start", "when does ERA start"),
        ("can i c the plan", "can i c the plan"),  # single letters that spell no name of the documents
    ],
)
def test_a_name_written_apart_or_together_is_read_as_the_documents_write_it(question: str, read: str) -> None:
    forms = {**FORMS, "inc": "Inc", "mod": "MoD", "el": "El"}
    assert casing.rejoined(question, forms=forms, known=(WORDS | {"model", "standard", "unified", "in"}).__contains__) == read


def test_title_case_keeps_words_capitalised_on_purpose() -> None:
    assert casing.lowered("Does IcPerMed Include ANR Among Its Members?", forms={}) == "does IcPerMed include ANR among its members?"


def test_the_answerer_reads_a_caseless_question_as_written(tiny_index, fake_embedder) -> None:
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    assistant = Assistant(tiny_index, embedder=fake_embedder)
    for typed in ("HOW MANY COUNTRIES DOES THE DANUBE FLOW THROUGH?", "How Many Countries Does The Danube Flow Through?",
                  "how many countries does the danube flow through?"):  # fmt: skip
        assert assistant.answerer.read_question(typed)[1] == "How many countries does the Danube flow through?"
        answer = assistant.ask(typed)
        assert answer.answered and "ten countries" in answer.answer and answer.read_as is None  # capitals alone: no news
    # A typo in capitals is corrected too, and said, in the documents' and the language's case.
    typed = assistant.ask("HOW MANY COUNTREIS DOES THE DANUBE FLOW THROUGH?")
    assert typed.read_as == "How many countries does the Danube flow through?" and "ten countries" in typed.answer
    as_typed = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(correct_typos=False))
    assert as_typed.answerer.read_question("HOW MANY COUNTREIS DOES THE DANUBE FLOW?")[1] == "How many Countreis does the Danube flow?"
    # A typo of a name is read as the name, in its documents' form.
    assert assistant.answerer.read_question("where does the rhien rise?")[1] == "Where does the Rhine rise?"
    # The plural of an English word is no name, though the lexicon lacks it ("enthalpy", not "enthalpies").
    assert assistant.answerer.read_question("what are the enthalpies of the danube?")[1] == "What are the enthalpies of the Danube?"


@pytest.mark.model
def test_a_question_in_capitals_gets_the_answer_the_question_as_written_gets(corpus_index, real_embedder) -> None:
    from docqa.index.assistant import Assistant

    assistant = Assistant(corpus_index, embedder=real_embedder)
    for written in (
        "Will ANR take part in ERA PerMed?",  # a yes/no question: in capitals, every word read as a name not found
        "Is Germany a member of ICPerMed?",  # declined as written: still declined (in lower case, it was answered)
        "How many members does ICPerMed have?",
        "Qu'est-ce qui empêche la médecine personnalisée d'atteindre son plein potentiel ?",
    ):
        title = " ".join(word[:1].upper() + word[1:] for word in written.split(" "))
        as_written = assistant.ask(written)
        for typed in (written.upper(), title, written.lower()):
            answer = assistant.ask(typed)
            assert (answer.answered, answer.answer, answer.short_answer) == (as_written.answered, as_written.answer, as_written.short_answer), typed


def test_rejoining_a_very_long_word_takes_no_time() -> None:
    import time

    # each way of splitting a word of 50,000 letters was tried (its square: about half a second)
    question = "What is A" + "b" * 50_000 + "?"
    started = time.perf_counter()
    assert casing.rejoined(question, forms={"ab": "Ab", "bb": "Bb"}, known=lambda word: False) == question
    assert time.perf_counter() - started < 0.1
