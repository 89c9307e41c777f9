"""Typos in questions (index/answering/spelling.py): corrected to a word of the documents only when the word
cannot be meant as written, and the answer then is the one the well-spelled question gets."""

from __future__ import annotations

from collections import Counter

import pytest

from docqa.index import text
from docqa.index.answering import spelling

TERMS = text.Tokenizer()


def documents(*texts: str):
    """(frequency, written) over a tiny collection, one chunk per text, as the answerer builds them from BM25."""
    chunks = [set(TERMS.tokenize(t)) for t in texts]
    df = Counter(term for chunk in chunks for term in chunk)
    words = {w.lower() for t in texts for w in text.WORD.findall(t)}
    return {"terms": TERMS, "frequency": lambda term: df[term], "written": lambda word, term: word in words}


PAGE_TEXTS = (
    "ICPerMed is a platform comprising over 30 members from Europe and Canada.",
    "ERA PerMed, the network for personalised medicine, starts at the end of 2017.",
    "The Action Plan lists 22 research activities and their funded partners.",
)
PAGE = documents(*PAGE_TEXTS)


def test_slips_are_what_a_typist_does_inside_a_word() -> None:
    found = spelling.slips("stand")
    assert {"satnd", "stnd", "sttand", "stsnd"} <= found  # a swap, a letter dropped, one added, a row neighbour
    assert "tand" not in found and "stan" not in found and "stanx" not in found and "stamd" in found
    assert "stznd" not in found  # z is no neighbour of a on the keyboard's row
    assert found <= spelling.edits("stand") and "stand" not in found


def test_edits_are_every_string_one_keystroke_away() -> None:
    found = spelling.edits("form")
    assert {"from", "fom", "forms", "norm"} <= found  # a swap, a deletion, an insertion, a replacement
    assert "form" not in found and "farm" in found and "frm" in found
    assert len(found) == len(set(found)) and all(len(s) in (3, 4, 5) for s in found)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("how many memebers does icpermed have?", "how many members does icpermed have?"),
        ("when does era permd start?", "when does era permed start?"),
        ("Memebers of icpermed?", "Members of icpermed?"),  # a leading capital is kept
        ("what is personalised medecine?", "what is personalised medicine?"),
        ("how many research activites are listed?", "how many research activities are listed?"),
        # A word the documents lack: the one English word a typing slip away.
        ("when does the bgein?", "when does the begin?"),
        ("what does the acrpnym ERA stand for?", "what does the acronym ERA stand for?"),
        ("which organisations blong to it?", "which organisations belong to it?"),
    ],
)
def test_a_typo_of_a_document_word_is_read_as_that_word(typed: str, meant: str) -> None:
    assert spelling.correct(typed, **PAGE) == meant


@pytest.mark.parametrize(
    "question",
    [
        "how many members does icpermed have?",  # nothing to correct
        "Is Germany a member of ICPerMed?",  # an English word, though "German"... would be one edit away
        "which counties take part?",  # an English word, kept as the visitor wrote it
        "What is the capital of Carpathia?",  # a name: a capital inside the question
        "who is part of ICPerMd?",  # a name: a capital inside the word
        "when was ICPerMed fpunded?",  # "funded" is in the documents, "founded" is the likelier word
        "what is it agains?",  # one edit from a stop word ("against")
        "is it era pm?",  # under four letters
        "is it pemd?",  # no document word one edit away, and too short to be read as an English word ("peed")
        "why did it pubish that?",  # "punish" or "publish": two English words a slip away
        "is inserm a member?",  # a name typed in lower case: "insert" is an edit away, not a slip
        "when was ehealth funded?",  # "health" is an edit away (the first letter), not a slip
        "is nicolas a member?",  # a slip from "Nicholas", which English knows as a name only
        "did muller fund it?",  # "Miller": the same
    ],
)
def test_words_that_may_be_meant_as_written_stay(question: str) -> None:
    assert spelling.correct(question, **PAGE) == question


@pytest.mark.parametrize(
    "question",
    [
        "what are the dorms like?",  # a form of an English word neither list holds as written ("dorm"), not "forms"
        "is https://www.example.org/memebers the page?",  # a web address
        "may I write to memebers@example.org?",  # an e-mail address
        "are the memebers2 listed?",  # a word with digits
    ],
)
def test_inflections_addresses_and_words_with_digits_stay(question: str) -> None:
    collection = documents(*PAGE_TEXTS, "Registration forms are at the front desk.")
    assert spelling.correct(question, **collection) == question


def test_only_plurals_of_english_words_count_as_english() -> None:
    collection = documents(*PAGE_TEXTS, "Genomics is included in the plan.")
    # "incluse" (the gloss of French "incluse") shares its English stem with "inclusive", but is no form of it
    assert spelling.correct("is genomics incluse?", **collection) == "is genomics include?"
    assert spelling.correct("what does the plan staes?", **documents(*PAGE_TEXTS, "The plan states its goals.")) == "what does the plan states?"


def test_a_question_costs_a_bounded_number_of_look_ups() -> None:
    assert spelling.correct("x" * 990 + "?", **PAGE) == "x" * 990 + "?"  # longer than any word: not looked up
    typed = " ".join(["memebers"] * (spelling.MOST_LOOKED_UP + 2))
    assert spelling.correct(typed, **PAGE).split().count("members") == spelling.MOST_LOOKED_UP
    assert spelling.correct_french(" ".join(["cobien"] * 9), terms=TERMS, frequency=PAGE["frequency"]).split().count("combien") == spelling.MOST_LOOKED_UP


def test_of_two_forms_of_one_index_term_the_written_one_is_taken() -> None:
    # "icpermd" is one edit from "icperm" and from "icpermed", both the term "icperm": the documents write the second.
    assert spelling.correct("what is icpermd?", **PAGE) == "what is icpermed?"
    # A replacement is an English word or a form the documents write: "medicin" (the term of "medicine") is neither.
    unwritten = {**PAGE, "written": lambda word, term: False}
    assert spelling.correct("what is icpermd?", **unwritten) == "what is icpermd?"
    assert spelling.correct("was ist personalisierte medizin?", **PAGE) == "was ist personalisierte medizin?"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Quand ERA PerMed va-t-il comencer ?", "Quand ERA PerMed va-t-il commencer ?"),
        ("cobien de membres compte l'ICPerMed ?", "combien de membres compte l'ICPerMed ?"),
        ("Cobien de membres compte l'ICPerMed ?", "Combien de membres compte l'ICPerMed ?"),  # a leading capital is kept
        ("Depuis quelle année l'ANR paarticipe-t-elle à PerMed ?", "Depuis quelle année l'ANR participe-t-elle à PerMed ?"),
    ],
)
def test_a_typo_of_a_general_french_word_is_read_as_that_word(typed: str, meant: str) -> None:
    assert spelling.correct_french(typed, terms=TERMS, frequency=PAGE["frequency"]) == meant


@pytest.mark.parametrize(
    "question",
    [
        "Quand ERA PerMed va-t-il commencer ?",  # nothing to correct
        "Qui préside l'ICPerMd ?",  # a name
        "Quel est le rôle de la Commission européenne ?",  # not general vocabulary, but no typo of it either
        "Combien de membres compte l'icpermed ?",  # a word of the documents
        "Quelles sont les mesures ?",  # a form of a regular verb of the vocabulary ("mesurer")
        "Le comte de Paris y participe-t-il ?",  # "comte" is one edit from "compte" and from "coute": no guess
        "Quel est le titre de cette page ?",  # "page" is English too (the gloss keeps it), not a slip for "paye"
    ],
)
def test_french_words_that_may_be_meant_as_written_stay(question: str) -> None:
    assert spelling.correct_french(question, terms=TERMS, frequency=PAGE["frequency"]) == question


def test_the_answerer_searches_the_corrected_question(tiny_index, fake_embedder) -> None:
    from docqa.index.answering.extractive import AnswerSettings
    from docqa.index.assistant import Assistant

    assistant = Assistant(tiny_index, embedder=fake_embedder)
    lang, english, query = assistant.answerer.read_question("where does the Danube flow? how many countreis?")
    assert lang == "en" and english == query == "where does the Danube flow? how many countries?"
    answer = assistant.ask("how many countreis does the Danube flow through?")
    assert answer.query == "how many countries does the Danube flow through?"
    assert answer.answered and "ten countries" in answer.answer
    as_typed = Assistant(tiny_index, embedder=fake_embedder, answer_settings=AnswerSettings(correct_typos=False))
    assert as_typed.ask("how many countreis does the Danube flow through?").query == "how many countreis does the Danube flow through?"


@pytest.mark.model
def test_a_typo_gets_the_answer_the_well_spelled_question_gets(corpus_index, real_embedder) -> None:
    from docqa.index.assistant import Assistant

    assistant = Assistant(corpus_index, embedder=real_embedder)
    for typed, spelled in [
        ("how many memebers does icpermed have?", "how many members does icpermed have?"),
        ("what is personalised medecine?", "what is personalised medicine?"),
    ]:
        wrong, right = assistant.ask(typed), assistant.ask(spelled)
        assert wrong.answered and (wrong.answer, wrong.short_answer, wrong.confidence) == (right.answer, right.short_answer, right.confidence)
    # A French question's gloss is read the same way: the cognate rules leave "médecine" as "medecine".
    assert assistant.answerer.read_question("Qu'est-ce que la médecine personnalisée ?")[1] == "what is the medicine personalised?"
    assert assistant.answerer.read_question("Qu'est-ce que la médecine persnonalisée ?")[1] == "what is the medicine personalised?"
    assert assistant.answerer.read_question("Quand ERA PerMed va-t-il comencer ?")[1] == "when ERA PerMed will start?"
    assert assistant.ask("Qu'est-ce que la médecine personnalisée ?").answer.startswith("Personalised medicine is an innovative method")


def test_a_speller_reads_each_word_once_and_as_correct_does() -> None:
    looked_up: Counter[str] = Counter()

    def frequency(term: str) -> int:
        looked_up[term] += 1
        return PAGE["frequency"](term)

    speller = spelling.Speller(terms=TERMS, frequency=frequency, written=PAGE["written"])
    typed = "how many memebers does icpermed have?"
    assert speller.correct(typed) == spelling.correct(typed, **PAGE) == "how many members does icpermed have?"
    first = sum(looked_up.values())
    assert first > 0
    assert speller.correct("which memebers come from Canada?") == "which members come from Canada?"
    assert sum(looked_up.values()) == first  # "memebers" was read with the first question; the other words need no reading
    assert speller.correct_french("cobien de membres ?") == "combien de membres ?"
