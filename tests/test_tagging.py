"""Parts of speech and chunks (index/answering/tagging.py) and the syntax the short-answer scorer reads from them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from docqa.index.answering import short_answer as sa
from docqa.index.answering import span_features, tagging
from docqa.index.answering.question_shape import read_question, tokenize

SENTENCES = [
    "Baran developed the concept of distributed adaptive message block switching during his research at the RAND Corporation.",
    "The Action Plan lists, 22 research and 8 supporting activities, which have been identified as 'ready for action'.",
    "Perhaps you will see the very nice work and the old red car, or quickly run away.",
    "Since 2013, ANR was highly involved in the Coordination and Support Action (CSA) of PerMed.",
    "Cats and dogs, and then and or but, happily jumped.",
]


def _words(sentence: str) -> list[str]:
    return [w for w, _, _ in tokenize(sentence)]


def test_words_get_their_part_of_speech_and_phrase_chunk():
    tagged = tagging.tag(_words("Baran developed the concept of switching."))
    assert [t.pos for t in tagged] == ["NNP", "VBD", "DT", "NN", "IN", "VBG", "."]
    assert [t.chunk for t in tagged][:4] == ["B-NP", "B-VP", "B-NP", "I-NP"]
    assert tagging.tag([]) == ()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_chunks_are_textblobs_own(sentence):
    # The linear-time chunker marks what TextBlob's find_chunks marks, from the same rules.
    reference = tagging._tagger()[0].func.__globals__["find_chunks"]  # TextBlob's own, from its _text.py
    tagged = tagging.tag(_words(sentence))
    expected = [token[2] for token in reference([[w, t.pos] for w, t in zip(_words(sentence), tagged)])]
    assert [t.chunk for t in tagged] == expected


@pytest.mark.parametrize("sentence", SENTENCES)
def test_contextual_rules_retag_as_textblobs_own(sentence):
    # The rules looked up by tag give what TextBlob's Context.apply gives trying every rule on every word.
    tag_words, lexicon, context, _ = tagging._tagger()
    before = tag_words(_words(sentence))
    expected = lexicon.context.apply([list(t) for t in before])
    assert context.apply([list(t) for t in before]) == expected


def test_contextual_rules_are_applied():
    # "developed" after a name is a past tense (VBD), not the lexicon's most frequent tag (VBN).
    assert tagging.tag(["Baran", "developed", "the", "concept"])[1].pos == "VBD"
    tag_words, _, context, _ = tagging._tagger()
    changed = [w for w in SENTENCES if context.apply(tag_words(_words(w))) != tag_words(_words(w))]
    assert changed


def test_the_tagger_loads_without_importing_nltk():
    code = "import sys; from docqa.index.answering import tagging; tagging.tag(['a', 'cat']); print('nltk' in sys.modules, 'textblob' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_a_missing_textblob_is_named(monkeypatch):
    monkeypatch.setattr(tagging.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="textblob"):
        tagging._tagger.__wrapped__()


@pytest.mark.parametrize(
    "question, verbs, role",
    [
        ("What did Baran develop during his research?", {"devel"}, "object"),  # an auxiliary after the wh-word
        ("Who founded Harvard?", {"found"}, "subject"),  # a verb after it
        ("What has an equivalence between mass and space-time?", {"has"}, "subject"),  # "has" as a verb
        ("What has Baran developed?", {"devel"}, "object"),  # "has" as an auxiliary
        ("What is the center library?", set(), ""),  # a copula: either side
        ("How were the activities labelled?", {"label"}, ""),  # "how" is no subject or object
    ],
)
def test_questions_are_read_for_their_verbs_and_the_wh_words_role(question, verbs, role):
    shape = read_question(question)
    assert set(shape.verbs) == verbs
    assert shape.role == role


def _row(question: str, sentence: str, span: str) -> dict[str, float]:
    found = span_features.candidates(question, sentence)
    start = sentence.index(span)
    index = found.spans.index((start, start + len(span)))
    return dict(zip(span_features.FEATURES, found.features[index].tolist()))


def test_the_object_of_the_questions_verb_is_marked_as_its_slot():
    sentence = "Baran developed the concept of switching during his research."
    obj = _row("What did Baran develop?", sentence, "the concept of switching")
    assert obj["qverb_left"] == obj["qverb_left_object"] == 1
    # starts where a noun phrase starts, cuts none at its end
    assert obj["np_bounded"] == _row("What did Baran develop?", sentence, "the concept")["np_bounded"] == 1
    assert _row("What did Baran develop?", sentence, "concept")["np_bounded"] == 0  # starts inside one
    subject = _row("Who developed the concept of switching?", sentence, "Baran")
    assert subject["qverb_right"] == subject["qverb_right_subject"] == 1 and subject["qverb_left"] == 0
    assert _row("What did Baran develop?", sentence, "his research")["qverb_left"] == 0


def test_a_span_never_holds_half_a_pair_of_brackets():
    sentence = "ANR helped to generate the Strategic Research and Innovation Support Action (SRIA) for it."
    spans = [sentence[a:b] for a, b in span_features.candidates("What did ANR help to generate?", sentence).spans]
    assert "Innovation Support Action (SRIA) for it" in spans and "SRIA" in spans
    assert not [s for s in spans if s.count("(") != s.count(")")]


def test_the_object_of_the_questions_verb_is_the_short_answer():
    sentence = "Baran developed the concept of distributed adaptive message block switching during his research at the RAND Corporation."
    found = sa.short_answer("What did Baran develop?", sentence)
    assert found is not None and sentence[found.start : found.end].startswith("the concept of distributed")
    assert np.isfinite(found.score)


def test_a_name_the_lexicon_does_not_know_is_a_proper_noun_whatever_its_ending():
    # "ICPerMed" ends in "-ed": the tagger's rules for unknown words made it a past participle (a verb).
    tagged = tagging.tag(["ICPerMed", "published", "a", "view", "on", "ERA", "PerMed", "."])
    assert tagged[0].pos == tagged[6].pos == "NNP" and tagged[1].pos.startswith("VB")
    assert tagging.tag(["They", "developed", "it"])[1].pos.startswith("VB")  # a known verb stays one
    assert "icper" not in read_question("Who published the view of ICPerMed?").verbs


def test_warming_up_the_assistant_loads_the_tagger(tiny_index, fake_embedder):
    # "warm up" is declined, so no short answer is sought: the warm-up loads the tagger itself.
    from docqa.index.assistant import Assistant

    tagging._tagger.cache_clear()
    Assistant(tiny_index, embedder=fake_embedder).warm_up()
    assert tagging._tagger.cache_info().currsize == 1
