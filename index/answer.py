"""Question → the sentence(s) of the documents that answer it, or an honest "not found".

No language model: the sentences of the best passages are scored by their
stored embeddings (no extra model call) and by word overlap with the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from index.search import Passage, Searcher

NOT_FOUND = "I could not find this in the documents."

_STOPWORDS = frozenset(
    """a an and are as at be been by can could did do does for from had has have how i in is it its
    many much of on or our that the their them there these they this to was were what when where which
    who whom whose why will with would you your about tell me please does do
    le la les un une des du de et est que qui quoi quand où comment combien pourquoi quel quelle quels
    quelles il elle ils elles en dans sur pour par au aux ce cette ces se sa son ses doit il-il""".split()
)


def content_words(text: str) -> set[str]:
    """Lower-cased words of `text` that carry meaning (no stopwords, no 1-letter words)."""
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 1 and w not in _STOPWORDS}


_ANAPHORA = frozenset("it its this these those they their such he she his her il elle ils elles ce cette ces".split())


def _with_antecedent(chunk, span: tuple[int, int]) -> tuple[int, int]:
    """Extend `span` to the previous sentence when it opens with a pronoun (it needs that sense)."""
    first = re.match(r"\w+", chunk.text[span[0] : span[1]])
    spans = list(chunk.sentences)
    position = spans.index(span)
    if first and first.group().lower() in _ANAPHORA and position > 0:
        return (spans[position - 1][0], span[1])
    return span


@dataclass(frozen=True)
class Source:
    """A passage cited for an answer."""

    doc_id: str
    title: str
    source: str
    text: str
    score: float
    answer_span: tuple[int, int] | None = None
    """Where the answer sentence(s) sit in `text`, if this passage holds the answer."""


@dataclass(frozen=True)
class Answer:
    """What the assistant says, and the passages it is based on."""

    answer: str
    answered: bool
    sources: list[Source]
    highlights: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class AnswerSettings:
    """Knobs of the answerer."""

    passages: int = 5
    min_score: float = 0.45
    """Below this combined sentence score the assistant declines to answer."""
    lexical_weight: float = 0.4


class Answerer:
    """Answers questions from one searcher's index."""

    def __init__(self, searcher: Searcher, *, settings: AnswerSettings = AnswerSettings()) -> None:
        self.searcher = searcher
        self.settings = settings

    def ask(self, question: str, *, history: Sequence[dict] = (), mode: str = "dense") -> Answer:
        """Answer `question` from the documents (`history`: earlier turns, oldest first)."""
        query_vector = self.searcher.embed_query(question)
        passages = self.searcher.search(question, k=self.settings.passages, mode=mode, query_vector=query_vector)
        if not passages:
            return Answer(answer=NOT_FOUND, answered=False, sources=[])
        best = self._best_sentence(question, query_vector, passages)
        if best is None or best[0] < self.settings.min_score:
            return Answer(answer=NOT_FOUND, answered=False, sources=[self._source(p) for p in passages])
        _, passage, span = best
        span = _with_antecedent(passage.chunk, span)
        text = passage.chunk.text[span[0] : span[1]]
        sources = [self._source(passage, span)] + [self._source(p) for p in passages if p is not passage]
        return Answer(answer=text, answered=True, sources=sources)

    def _best_sentence(
        self, question: str, query_vector: np.ndarray, passages: list[Passage]
    ) -> tuple[float, Passage, tuple[int, int]] | None:
        words = content_words(question)
        vectors = self.searcher.index.sentence_vectors
        candidates: list[tuple[Passage, tuple[int, int], float, set[str]]] = []
        seen: set[int] = set()  # overlapping chunks share sentences: score each once
        for passage in passages:
            chunk = passage.chunk
            if not chunk.sentence_rows:
                continue
            dense = np.asarray(vectors[list(chunk.sentence_rows)], dtype=np.float32) @ query_vector
            for row, span, similarity in zip(chunk.sentence_rows, chunk.sentences, dense):
                if row in seen:
                    continue
                seen.add(row)
                # A sentence opening with a pronoun is about its antecedent: give it those words too.
                context = _with_antecedent(chunk, span)
                candidates.append((passage, span, float(similarity), content_words(chunk.text[context[0] : context[1]])))
        if not candidates:
            return None
        # Words rare among the candidate sentences say more about which one answers.
        n = len(candidates)
        weight = {w: np.log(1 + n / (0.5 + sum(w in c[3] for c in candidates))) for w in words}
        total = sum(weight.values()) or 1.0
        best: tuple[float, Passage, tuple[int, int]] | None = None
        for passage, span, similarity, sentence_words in candidates:
            overlap = sum(weight[w] for w in words & sentence_words) / total
            score = similarity + self.settings.lexical_weight * overlap
            if best is None or score > best[0]:
                best = (score, passage, span)
        return best

    @staticmethod
    def _source(passage: Passage, span: tuple[int, int] | None = None) -> Source:
        chunk = passage.chunk
        return Source(
            doc_id=chunk.document.doc_id,
            title=chunk.document.title,
            source=chunk.document.source,
            text=chunk.text,
            score=round(passage.score, 4),
            answer_span=span,
        )
