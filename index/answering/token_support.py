"""How well the answer's sentence supports the question's least supported word, read in context (issue 12 item 4).

SQuAD's unanswerable questions copy a sentence and change one word ("…the deciding bell" where the text rings the
division bell; "a matching helper B cell" where it attracts a T cell). Word overlap sees one word missing among
many found; a sentence embedding barely moves. The model's last-layer token vectors read each word in its
context: every word piece of the question's content words is matched to its closest piece of the sentence
(cosine), a word is as supported as its best-matched piece ("herald" carries "heralded"; its "##ed" may match
nothing), and the least supported word's figure is the feature `least_supported_token` of the confidence model
(answering/features.py). A paraphrase ("put out" for "published") still finds close pieces; a swapped name or term
does not ("Iran" 0.47 against a sentence naming Saudi Arabia; "leave" 0.28 against "joined").

    least_supported(question, question_text, sentence)   the weakest word's support, or None (no content word)
"""

from __future__ import annotations

import re

import numpy as np

from docqa.index import text
from docqa.index.embedding.token_vectors import TokenVectors

__all__ = ["least_supported"]

_WORD = re.compile(r"\w+")


def least_supported(question: TokenVectors, question_text: str, sentence: TokenVectors) -> float | None:
    """The smallest, over the question's content words (not stop words), of the best cosine any of the word's pieces
    has to a piece of the sentence; None when either side has nothing to compare."""
    stop = text.stopwords()
    content_words = [m.span() for m in _WORD.finditer(question_text) if m.group().lower() not in stop]
    word_of = [next((w for w, (a, b) in enumerate(content_words) if a <= start < b), None) for start, _ in question.offsets]
    rows = [i for i, w in enumerate(word_of) if w is not None]
    if not rows or not len(sentence.vectors):
        return None
    best = (question.vectors[rows].astype(np.float32) @ sentence.vectors.astype(np.float32).T).max(axis=1)
    per_word: dict[int, float] = {}
    for row, cosine in zip(rows, best.tolist()):
        per_word[word_of[row]] = max(per_word.get(word_of[row], -1.0), cosine)
    return min(per_word.values())
