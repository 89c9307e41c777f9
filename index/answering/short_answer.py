"""The short answer inside an answer sentence: the span that fills the question's missing slot.

    find_short_answer(question, sentence, *, context="", kind=None) -> (start, end) | None
    short_answer(question, sentence, *, context="", kind=None) -> ShortAnswer | None

First version: the hand-written finders of answering/question_type.py. A fitted scorer
for every question type replaces it (same interface).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docqa.index import text
from docqa.index.answering import question_type

__all__ = ["ShortAnswer", "find_short_answer", "short_answer"]


@dataclass(frozen=True)
class ShortAnswer:
    """A short answer: character offsets into the sentence, and the scorer's probability for it."""

    start: int
    end: int
    score: float


def short_answer(question: str, sentence: str, *, context: str = "", kind: str | None = None) -> ShortAnswer | None:
    """The span of `sentence` that answers `question` (English), with its score; None when there is none.

    `context`: the text before the sentence (its antecedent), if any; `kind`: question_type's kind of
    `question` when the caller already knows it.
    """
    kind = kind or question_type.classify(question)
    spans = question_type.find_spans(sentence, kind)
    stems = frozenset(text.match_stem(w) for w in text.content_words(question))
    best = question_type.best_span(sentence, spans, stems)
    if best is None or not re.search(r"\w", sentence[best[0] : best[1]]):
        return None
    return ShortAnswer(best[0], best[1], 1.0)


def find_short_answer(question: str, sentence: str, *, context: str = "", kind: str | None = None) -> tuple[int, int] | None:
    """(start, end) of the short answer to `question` in `sentence`, or None (see `short_answer`)."""
    found = short_answer(question, sentence, context=context, kind=kind)
    return None if found is None else (found.start, found.end)
