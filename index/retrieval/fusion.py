"""Combining ranked lists: reciprocal rank fusion and normalised weighted score fusion.

A ranked list is a mapping chunk id → score (higher is better) over that list's
candidates, or the same as arrays (`Ranked`, what the searcher uses: no per-candidate
Python work). Fusion returns one list over the union of the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

Scores = Mapping[int, float]


@dataclass(frozen=True)
class Ranked:
    """A ranked list as arrays: unique chunk ids (int64) and their scores (float64), in the list's own order."""

    ids: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, ids: np.ndarray, scores: np.ndarray) -> "Ranked":
        """From any integer ids and real scores (copied to int64 / float64)."""
        return cls(np.asarray(ids, dtype=np.int64), np.asarray(scores, dtype=np.float64))

    @classmethod
    def from_dict(cls, scores: Scores) -> "Ranked":
        """From a mapping id → score (its order kept)."""
        return cls.of(np.fromiter(scores.keys(), dtype=np.int64, count=len(scores)), np.fromiter(scores.values(), dtype=np.float64, count=len(scores)))

    def as_dict(self) -> dict[int, float]:
        """The mapping id → score, in this list's order."""
        return dict(zip(self.ids.tolist(), self.scores.tolist()))

    def top(self, k: int) -> "Ranked":
        """The `k` best, best first (ties: lower id first, as `top`)."""
        order = np.lexsort((self.ids, -self.scores))[:k]
        return Ranked(self.ids[order], self.scores[order])


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
    ranked = Ranked.from_dict(scores)
    return dict(zip(ranked.ids.tolist(), normalised(ranked.scores, method=method).tolist()))


def normalised(values: np.ndarray, *, method: str = "zscore") -> np.ndarray:
    """`normalise` on an array of scores (float64, non-empty)."""
    if method == "minmax":
        low, span = values.min(), values.max() - values.min()
        return (values - low) / span if span > 0 else np.ones_like(values)
    if method == "zscore":
        centred = values - values.mean()
        std = np.sqrt((centred * centred).mean())  # what values.std() computes, without its wrapper's overhead
        return centred / std if std > 0 else np.zeros_like(values)
    raise ValueError(f"unknown normalisation {method!r}")


def weighted(lists: Sequence[Scores], *, weights: Sequence[float], method: str = "zscore") -> dict[int, float]:
    """Weighted sum of normalised scores; a candidate missing from a list gets that list's lowest value."""
    return weighted_ranked([Ranked.from_dict(s) for s in lists], weights=weights, method=method).as_dict()


def weighted_ranked(lists: Sequence[Ranked], *, weights: Sequence[float], method: str = "zscore") -> Ranked:
    """`weighted` on arrays; the result lists the union of the candidates by increasing id."""
    union = np.unique(np.concatenate([r.ids for r in lists])) if lists else np.zeros(0, dtype=np.int64)
    fused = np.zeros(len(union), dtype=np.float64)
    for ranked, weight in zip(lists, weights):
        if not len(ranked):
            continue  # as a missing list: it adds nothing
        scores = normalised(ranked.scores, method=method)
        column = np.full(len(union), scores.min())
        column[np.searchsorted(union, ranked.ids)] = scores
        fused += weight * column  # list by list, as the sum over the lists was always taken
    return Ranked(union, fused)


def top(scores: Scores, k: int) -> list[tuple[int, float]]:
    """The `k` best (id, score) pairs, best first (ties: lower id first, for stable results)."""
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
