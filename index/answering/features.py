"""The evidence for and against an answer, as numbers the confidence model reads (issue 12 items 3 and 4).

`answer_features` describes the answerer's best sentence (and how far ahead of the runner-up it
is): how close it is to the question by meaning (the stored embeddings) and by words (shares of the
question's index terms weighted by their rarity in the collection, in the sentence and in its
passage), whether it holds an answer of the kind asked for (answering/question_type.py), and whether
the text says what the question takes for granted (answering/premise.py: its names, numbers and
years, its negation). Every feature is a share, a cosine, a flag or a log-count, so that it reads the
same on a collection of ten passages as on one of a million; none depends on the retrieval mode's
score scale.

    FEATURES          the feature names, in the order of the vectors
    CONFIDENCE_FEATURES   FEATURES and the one the answerer adds for its chosen sentence (the confidence model's)
    Evidence          what the answerer knows about its best candidate(s), gathered once per question
    answer_features   Evidence → one vector (a tuple of floats, FEATURES' order)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping

from docqa.index.answering import contradiction, premise, question_type

__all__ = ["CONFIDENCE_FEATURES", "FEATURES", "Evidence", "answer_features"]

FEATURES: tuple[str, ...] = (
    "similarity",  # cosine of the best sentence (with its antecedent, if any) and the question
    "similarity_gap",  # that cosine minus the best other candidate's
    "score",  # the answerer's selection score (cosine + rarity-weighted overlap + type bonus)
    "margin",  # selection score minus the runner-up's
    "overlap",  # rarity-weighted share of the question's stems found in the sentence (rarity among the candidates)
    "terms_in_sentence",  # share of the question's index terms in the sentence, weighted by collection IDF
    "terms_in_passage",  # the same in the sentence's passage
    "rarest_missing_from_sentence",  # IDF of the rarest question term the sentence lacks / the largest IDF possible
    "terms_missing_from_sentence",  # log(1 + question terms the sentence lacks)
    "near_copy_with_gap",  # terms_in_sentence when 1 or 2 question terms are missing (a swapped word), else 0
    "bigrams_in_sentence",  # share of the question's word pairs (function words included) the sentence writes too
    "function_words_missing",  # share of the question's meaningful function words (more, before, only...) the sentence lacks
    "rarest_missing_from_passage",  # IDF of the rarest question term the passage lacks / the largest IDF possible
    "terms_unknown",  # share of the question's index terms no passage of the collection holds
    "rule_score",  # the hand-set confidence of docqa 0.1 (selection score less penalties for a missing type or topic)
    "topic_all_missing",  # none of the question's own topic words is in the sentence
    "topic_missing",  # share of the question's own topic words (not names or cue words) missing from the sentence
    "names_missing_from_sentence",  # share of the question's names the sentence does not write
    "names_missing_from_passage",  # ... nor its passage
    "words_swapped",  # log(1 + question words the sentence replaces by another beside the same neighbour)
    "rarest_swapped",  # IDF of the rarest such word's index term / the largest IDF possible (0 if none)
    "years_conflict",  # the question's years are not the sentence's, which names others
    "numbers_conflict",  # the same for other numbers
    "numbers_missing_from_passage",  # share of the question's numbers and years the passage does not hold
    "negation_only_in_question",  # the question says "not"/"never"... and the sentence does not
    "negation_only_in_sentence",
    "opposite_swapped",  # the question says a word (more, before, north...) where the sentence says its opposite
    "typed_span",  # a typed question (when, how many...) and the sentence holds a span of that kind
    "typed_missing",  # a typed question and no such span
    "kind_when",
    "kind_number",  # how many / how much
    "kind_who",
    "kind_where",
    "kind_definition",
    "kind_why",
    "passage_rank",  # 1 / rank of the sentence's passage among the retrieved ones
    "passage_best_cosine",  # the best sentence cosine of the top passage
    "question_words",  # log(1 + content words of the question)
    "sentence_words",  # log(1 + words of the sentence)
)
"""Follow-ups and French questions are not features: the SQuAD data the model is fitted on has neither, so
their weight could not be learnt (they are answered from the completed, glossed question like any other)."""

CONFIDENCE_FEATURES: tuple[str, ...] = (
    *FEATURES,
    "least_supported_token",  # the question's content word piece least supported by the sentence's, in context (token_support.py)
)
"""What the confidence model reads: FEATURES (every candidate has them; the ranker reads them too) and the token
feature, which needs a model run over the sentence and so is computed for the chosen sentence only."""


@dataclass(frozen=True)
class Evidence:
    """What the answerer knows about its best candidate, for `answer_features`."""

    query: str
    """The visitor's own question in English (glossed if French; a follow-up's borrowed words left out)."""
    kind: str
    """Its answer type (question_type.classify)."""
    sentence: str
    """The best sentence as it would be shown (with its antecedent, if any), after the headline that reports it, if
    one does (sentence_reading.evidence_text)."""
    passage: str
    """The text of the passage it comes from."""
    passage_rank: int
    similarity: float
    score: float
    overlap: float
    topic_missing: float
    rule_score: float
    typed: bool
    runner_up_score: float | None
    best_other_similarity: float | None
    top_passage_cosine: float
    premise: premise.Premise
    query_terms: Mapping[str, float]
    """The question's index terms (BM25 tokenizer) → their IDF in the collection (`idf`)."""
    max_idf: float
    """The largest IDF a term can have in this collection (a term in no chunk)."""


FEWEST_PASSAGES = 250
"""The confidence model was fitted on collections of 271 and 383 passages, where a name the whole collection is
about still has a fair weight; in a collection of three passages it is in all three and would weigh nothing. So a
collection of fewer passages is read as if ordinary English passages made up the difference (`idf`)."""


def idf(document_frequency: float, documents: int, *, background: float = 0.0) -> float:
    """BM25's (Lucene's) inverse document frequency, never negative. A collection of fewer than FEWEST_PASSAGES
    passages counts as that many, the others ordinary English text holding the term with probability `background`
    (its rate in general English); a term no passage holds keeps the largest weight."""
    if documents < FEWEST_PASSAGES:
        if document_frequency > 0:
            document_frequency += (FEWEST_PASSAGES - documents) * background
        documents = FEWEST_PASSAGES
    return math.log(1.0 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def _share(terms: Mapping[str, float], present: frozenset[str]) -> float:
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in present) / total if total > 0 else 1.0


def answer_features(evidence: Evidence, *, terms_of: Callable[[str], frozenset[str]]) -> tuple[float, ...]:
    """The feature vector of `evidence` (FEATURES' order); `terms_of(text)` gives a text's index terms."""
    e = evidence
    sentence_terms, passage_terms = terms_of(e.sentence), terms_of(e.passage)
    absent = [w for t, w in e.query_terms.items() if t not in passage_terms]
    unknown = [t for t, w in e.query_terms.items() if w >= e.max_idf - 1e-9]
    absent_here = [w for t, w in e.query_terms.items() if t not in sentence_terms]
    in_sentence = _share(e.query_terms, sentence_terms)
    question_pairs = premise.word_pairs(e.query)
    function_words = premise.function_words(e.query)
    swaps = premise.swapped(e.query, e.sentence)
    swap_terms = terms_of(" ".join(swaps)) if swaps else frozenset()
    swap_idf = [w for t, w in e.query_terms.items() if t in swap_terms]
    p = e.premise
    numbers = p.numbers | p.years
    kind = e.kind
    q_neg, s_neg = p.negated, premise.has_negation(e.sentence)
    values = {
        "similarity": e.similarity,
        "similarity_gap": e.similarity - e.best_other_similarity if e.best_other_similarity is not None else 0.3,
        "score": e.score,
        "margin": e.score - e.runner_up_score if e.runner_up_score is not None else 0.5,
        "overlap": e.overlap,
        "terms_in_sentence": in_sentence,
        "terms_in_passage": _share(e.query_terms, passage_terms),
        "rarest_missing_from_sentence": max(absent_here) / e.max_idf if absent_here and e.max_idf > 0 else 0.0,
        "terms_missing_from_sentence": math.log1p(len(absent_here)),
        "near_copy_with_gap": in_sentence if 1 <= len(absent_here) <= 2 else 0.0,
        "bigrams_in_sentence": len(question_pairs & premise.word_pairs(e.sentence)) / len(question_pairs) if question_pairs else 1.0,
        "function_words_missing": premise.missing(function_words, e.sentence) if function_words else 0.0,
        "rarest_missing_from_passage": max(absent) / e.max_idf if absent and e.max_idf > 0 else 0.0,
        "rule_score": e.rule_score,
        "topic_all_missing": float(e.topic_missing >= 1.0),
        "topic_missing": e.topic_missing,
        "terms_unknown": len(unknown) / len(e.query_terms) if e.query_terms else 0.0,
        "names_missing_from_sentence": premise.missing(p.names, e.sentence),
        "names_missing_from_passage": premise.missing(p.names, e.passage),
        "words_swapped": math.log1p(len(swaps)),
        "rarest_swapped": max(swap_idf) / e.max_idf if swap_idf and e.max_idf > 0 else 0.0,
        "years_conflict": float(premise.conflicting_numbers(p.years, e.sentence)),
        "numbers_conflict": float(premise.conflicting_numbers(p.numbers, e.sentence)),
        "numbers_missing_from_passage": premise.missing(numbers, e.passage),
        "negation_only_in_question": float(q_neg and not s_neg),
        "negation_only_in_sentence": float(s_neg and not q_neg),
        "opposite_swapped": float(contradiction.opposite_swapped(e.query, e.sentence)),
        "typed_span": float(kind in question_type.TYPED and e.typed),
        "typed_missing": float(kind in question_type.TYPED and not e.typed),
        "kind_when": float(kind == question_type.WHEN),
        "kind_number": float(kind in (question_type.HOW_MANY, question_type.HOW_MUCH)),
        "kind_who": float(kind == question_type.WHO),
        "kind_where": float(kind == question_type.WHERE),
        "kind_definition": float(kind == question_type.DEFINITION),
        "kind_why": float(kind == question_type.WHY),
        "passage_rank": 1.0 / max(e.passage_rank, 1),
        "passage_best_cosine": e.top_passage_cosine,
        "question_words": math.log1p(len(e.query_terms)),
        "sentence_words": math.log1p(len(e.sentence.split())),
    }
    return tuple(float(values[name]) for name in FEATURES)
