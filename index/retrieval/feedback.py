"""Pseudo-relevance feedback: learn from the best first-pass passages, then search again.

RM3 expands a lexical query with the words most typical of the feedback passages;
Rocchio moves a dense query vector towards their embeddings. Both keep the
original query dominant, so a poor first pass cannot drift far.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

import numpy as np


def term_counts(tokens: Sequence[str]) -> Mapping[str, int]:
    """A tokenised passage as `rm3` reads it (worth caching for passages that recur)."""
    return Counter(tokens)


def rm3(
    query: Mapping[str, float],
    passages: Sequence[Mapping[str, int]],
    passage_weights: Sequence[float],
    *,
    terms: int = 10,
    original_weight: float = 0.5,
) -> dict[str, float]:
    """The query interpolated with a relevance model of the feedback passages.

    `passages` are the feedback passages' `term_counts` and `passage_weights` how much
    each counts (e.g. its normalised retrieval score). Returns term → weight, summing to 1
    when the passages hold words (else the query scaled by `original_weight`).
    """
    model: Counter[str] = Counter()
    total_weight = float(sum(passage_weights)) or 1.0
    for counts, weight in zip(passages, passage_weights):
        length = sum(counts.values())
        if not length:
            continue
        share = weight / total_weight / length
        for term, count in counts.items():
            model[term] += share * count
    expansion = dict(model.most_common(terms))
    expansion_sum = sum(expansion.values()) or 1.0
    query_sum = sum(query.values()) or 1.0
    mixed: dict[str, float] = {}
    for term, weight in query.items():
        mixed[term] = original_weight * weight / query_sum
    for term, weight in expansion.items():
        mixed[term] = mixed.get(term, 0.0) + (1 - original_weight) * weight / expansion_sum
    return mixed


def rocchio(query: np.ndarray, vectors: np.ndarray, weights: Sequence[float], *, beta: float) -> np.ndarray:
    """`query` moved by `beta` towards the weighted centroid of `vectors`, re-normalised."""
    if len(vectors) == 0 or beta == 0:
        return query
    w = np.asarray(weights, dtype=np.float32)
    w = w / w.sum() if w.sum() > 0 else np.full(len(vectors), 1 / len(vectors), dtype=np.float32)
    moved = query.astype(np.float32) + beta * (w @ np.asarray(vectors, dtype=np.float32))
    norm = float(np.linalg.norm(moved))
    return moved / norm if norm > 0 else query
