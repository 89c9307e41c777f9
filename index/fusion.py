"""Combining ranked lists: reciprocal rank fusion and normalised weighted score fusion.

A ranked list is a mapping chunk id → score (higher is better) over that list's
candidates. Fusion returns one mapping over the union of the candidates.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

Scores = Mapping[int, float]


def reciprocal_rank(lists: Sequence[Scores], *, k: float = 60.0, weights: Sequence[float] | None = None) -> dict[int, float]:
    """Reciprocal rank fusion: Σ w / (k + rank) over the lists a candidate appears in."""
    weights = weights or [1.0] * len(lists)
    fused: dict[int, float] = {}
    for scores, weight in zip(lists, weights):
        for rank, cid in enumerate(sorted(scores, key=scores.__getitem__, reverse=True), start=1):
            fused[cid] = fused.get(cid, 0.0) + weight / (k + rank)
    return fused


def normalise(scores: Scores, *, method: str = "zscore") -> dict[int, float]:
    """Put one list's scores on a comparable scale.

    zscore: (s − mean) / std over the list; minmax: (s − min) / (max − min).
    """
    if not scores:
        return {}
    ids = list(scores)
    values = np.fromiter((scores[i] for i in ids), dtype=np.float64, count=len(ids))
    if method == "minmax":
        low, span = values.min(), values.max() - values.min()
        scaled = (values - low) / span if span > 0 else np.ones_like(values)
    elif method == "zscore":
        std = values.std()
        scaled = (values - values.mean()) / std if std > 0 else np.zeros_like(values)
    else:
        raise ValueError(f"unknown normalisation {method!r}")
    return dict(zip(ids, scaled.tolist()))


def weighted(lists: Sequence[Scores], *, weights: Sequence[float], method: str = "zscore") -> dict[int, float]:
    """Weighted sum of normalised scores; a candidate missing from a list gets that list's lowest value."""
    normalised = [normalise(s, method=method) for s in lists]
    union = set().union(*normalised) if normalised else set()
    fused = dict.fromkeys(union, 0.0)
    for scores, weight in zip(normalised, weights):
        floor = min(scores.values()) if scores else 0.0
        for cid in union:
            fused[cid] += weight * scores.get(cid, floor)
    return fused


def top(scores: Scores, k: int) -> list[tuple[int, float]]:
    """The `k` best (id, score) pairs, best first (ties: lower id first, for stable results)."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
