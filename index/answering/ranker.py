"""Which of the best few candidate sentences answers: a conditional logit read from a shipped JSON file.

The hand-set selection score (cosine + word overlap + a bonus for a span of the kind asked for) orders
the candidate sentences. The first `top` of them are then compared on the confidence model's features,
each computed as if that sentence were the answer (answering/features.py: names, numbers and words of
the question it does or does not write, swaps, negation...), plus its place in the hand-set order
(`selection_rank` = 1 / (1 + place)). The one with the highest w · (x − mean) / scale is chosen.

`ranker-model.json` (beside this module) holds the feature names, means, scales and weights, `top`,
what it was fitted on and its figures; plain, versioned JSON written by `benchmarks/fit_ranker.py`
(a softmax over each answerable fit question's candidates, maximising the probability of those that
hold a gold answer) — no pickle.

    SentenceRanker                 the model: scores(rows), to_json / from_json, save / load
    load_ranker(path=None)         the shipped model (cached), or the one at `path`; ModelFileError if unusable
    ranking_rows(vectors)          the candidates' feature rows with their selection_rank column
    fit_conditional_logit(groups)  the weights, by Newton's method (numpy only)
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from docqa.index.answering import features
from docqa.index.answering.model_file import ModelFileError, load_model_file, model_from_json, write_model_json

__all__ = ["FEATURES", "FORMAT", "MODEL_FILE", "SentenceRanker", "fit_conditional_logit", "load_ranker", "ranking_rows"]

FORMAT = "docqa-ranker/1"
"""The file format this module reads and writes."""
MODEL_FILE = Path(__file__).with_name("ranker-model.json")
"""The shipped model."""
FEATURES: tuple[str, ...] = (*features.FEATURES, "selection_rank")
"""The ranker's features: the confidence model's, then the candidate's place in the hand-set order."""


@dataclass(frozen=True)
class SentenceRanker:
    """A linear score over standardised, named features; the candidate scoring highest is chosen."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    top: int = 4
    """How many of the hand-set order's best candidates are compared."""
    training: Mapping[str, Any] = field(default_factory=dict)
    """What it was fitted on, and how (free-form, for people)."""
    metrics: Mapping[str, Any] = field(default_factory=dict)
    """Figures on the fit and check data (free-form, for people)."""

    def __post_init__(self) -> None:
        n = len(self.features)
        if not n or any(len(v) != n for v in (self.mean, self.scale, self.weights)):
            raise ModelFileError("ranker model: features, mean, scale and weights must have the same, non-zero length")
        if any(not math.isfinite(v) for v in (*self.mean, *self.scale, *self.weights)):
            raise ModelFileError("ranker model: every number must be finite")
        if any(s <= 0 for s in self.scale):
            raise ModelFileError("ranker model: every scale must be positive")
        if not isinstance(self.top, int) or self.top < 1:
            raise ModelFileError(f"ranker model: top must be a whole number ≥ 1, not {self.top!r}")
        if tuple(self.features) != FEATURES:
            raise ModelFileError("ranker model does not match the answerer's features (refit with benchmarks/fit_ranker.py)")

    @functools.cached_property
    def _per_unit(self) -> tuple[np.ndarray, float]:
        weights = np.asarray(self.weights) / np.asarray(self.scale)
        return weights, float(weights @ np.asarray(self.mean))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """One score per row of `rows` (columns as FEATURES); only their order matters."""
        weights, offset = self._per_unit
        return np.asarray(rows, dtype=np.float64) @ weights - offset

    def to_json(self) -> dict:
        """A JSON-ready dict, features listed beside their weights for people to read."""
        data = asdict(self)
        return {
            "format": FORMAT,
            "kind": "conditional logit over each question's best candidate sentences, standardised features",
            "formula": "choose the candidate maximising sum_i weight_i * (x_i - mean_i) / scale_i",
            "top": self.top,
            "features": {n: {"weight": w, "mean": m, "scale": s} for n, w, m, s in zip(self.features, self.weights, self.mean, self.scale)},
            "training": data["training"],
            "metrics": data["metrics"],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "SentenceRanker":
        """The model described by `to_json` output; ModelFileError if it is not one."""
        return model_from_json(
            data,
            format=FORMAT,
            what="ranker model",
            build=lambda names, column: cls(
                features=names,
                mean=column("mean"),
                scale=column("scale"),
                weights=column("weight"),
                top=data["top"],
                training=dict(data.get("training") or {}),
                metrics=dict(data.get("metrics") or {}),
            ),
        )

    def save(self, path: Path) -> None:
        """Write the model to `path` as indented JSON (atomically: a temporary file renamed)."""
        write_model_json(path, self.to_json())

    @classmethod
    def load(cls, path: Path) -> "SentenceRanker":
        """The model saved at `path`; ModelFileError naming the file if it is missing, not JSON or malformed."""
        return load_model_file(path, what="ranker model", refit="benchmarks/fit_ranker.py", from_json=cls.from_json)


@functools.lru_cache(maxsize=8)
def load_ranker(path: Path | None = None) -> SentenceRanker:
    """The model at `path` (default: the shipped `MODEL_FILE`), read once per process."""
    return SentenceRanker.load(MODEL_FILE if path is None else Path(path))


def ranking_rows(vectors: Sequence[Sequence[float]]) -> np.ndarray:
    """The rows the ranker scores: each candidate's confidence features (best of the hand-set order first) and its
    selection_rank, 1 / (1 + place)."""
    rows = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), len(features.FEATURES))
    places = 1.0 / (1.0 + np.arange(len(rows), dtype=np.float64))
    return np.hstack([rows, places[:, None]])


def fit_conditional_logit(groups: Sequence[tuple[np.ndarray, np.ndarray]], *, l2: float = 1.0, iterations: int = 50) -> np.ndarray:
    """Weights w maximising Σ_groups log Σ_{right rows} softmax(x · w) − l2/2 · |w|², by Newton's method.

    `groups`: one (rows, right) pair per question, `rows` already standardised and `right` 0/1 per row
    (groups without a right row carry no information and are skipped); the targets spread evenly over
    the right rows."""
    usable = [(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)) for x, y in groups if np.asarray(y).sum() > 0]
    if not usable:
        raise ValueError("no group has a right row to learn from")
    d = usable[0][0].shape[1]
    w = np.zeros(d)
    for _ in range(iterations):
        gradient = l2 * w
        hessian = l2 * np.eye(d)
        for x, y in usable:
            s = x @ w
            p = np.exp(s - s.max())
            p /= p.sum()
            target = y / y.sum()
            gradient -= x.T @ (target - p)
            mean = x.T @ p
            hessian += (x * p[:, None]).T @ x - np.outer(mean, mean)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w
