"""The probability that an answer is right: a small logistic regression read from a shipped JSON file.

`confidence-model.json` (beside this module) holds the feature names (answering/features.py), their
means and scales, the coefficients and intercept, a Platt recalibration (a, b), the decline operating
point, a description of the data it was fitted on and its metrics. It is plain JSON, versioned
(`format`), written by `benchmarks/fit_confidence.py` (which fits it on the fit part of
../shared/datasets/squad2-a: see that script for the exact command) — no pickle.

    p = sigmoid(a · (w · (x - mean) / scale + intercept) + b)

The answerer declines when p < `operating_point`.

    ConfidenceModel            the model: probability(features), to_json / from_json, save / load
    load_model(path=None)      the shipped model (cached), or the one at `path`; ModelFileError if unusable
    fit_logistic(X, y, ...)    standardised L2-regularised logistic regression by IRLS (numpy only)
    fit_platt(z, y)            Platt's scaling of scores z (a 1-feature logistic regression)
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from docqa.index.answering.model_file import ModelFileError, load_model_file, model_from_json, write_model_json

__all__ = ["FORMAT", "MODEL_FILE", "ConfidenceModel", "ModelFileError", "fit_logistic", "fit_platt", "load_model"]

FORMAT = "docqa-confidence/1"
"""The file format this module reads and writes."""
MODEL_FILE = Path(__file__).with_name("confidence-model.json")
"""The shipped model."""


@dataclass(frozen=True)
class ConfidenceModel:
    """A standardised logistic regression over named features, with Platt recalibration and a decline point."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    platt: tuple[float, float] = (1.0, 0.0)
    """(a, b): p = sigmoid(a · z + b) for the regression's log-odds z."""
    operating_point: float = 0.5
    """Answers whose probability is below this are declined."""
    training: Mapping[str, Any] = field(default_factory=dict)
    """What it was fitted on, how, and the operating-point rule (free-form, for people)."""
    metrics: Mapping[str, Any] = field(default_factory=dict)
    """Figures on the fit and check data (free-form, for people)."""

    def __post_init__(self) -> None:
        n = len(self.features)
        if not n or any(len(v) != n for v in (self.mean, self.scale, self.coefficients)):
            raise ModelFileError("confidence model: features, mean, scale and coefficients must have the same, non-zero length")
        if any(not math.isfinite(v) for v in (*self.mean, *self.scale, *self.coefficients, self.intercept, *self.platt)):
            raise ModelFileError("confidence model: every number must be finite")
        if any(s <= 0 for s in self.scale):
            raise ModelFileError("confidence model: every scale must be positive")

    @functools.cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        mean = np.asarray(self.mean, dtype=np.float64)
        scale = np.asarray(self.scale, dtype=np.float64)
        weights = np.asarray(self.coefficients, dtype=np.float64)
        return mean, weights / scale, np.asarray(weights @ (mean / scale))

    def log_odds(self, features: Sequence[float] | np.ndarray) -> np.ndarray | float:
        """The regression's log-odds z for one vector (a float) or a matrix of rows (an array), before Platt."""
        mean, per_unit, offset = self._arrays
        x = np.asarray(features, dtype=np.float64)
        z = x @ per_unit - offset + self.intercept
        return float(z) if x.ndim == 1 else z

    def probability(self, features: Sequence[float] | np.ndarray) -> np.ndarray | float:
        """The calibrated probability that the answer is right, for one vector or a matrix of rows."""
        a, b = self.platt
        z = a * np.asarray(self.log_odds(features)) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        return float(p) if np.ndim(p) == 0 else p

    def to_json(self) -> dict:
        """A JSON-ready dict, features listed beside their coefficients for people to read."""
        data = asdict(self)
        weights = {name: {"coefficient": c, "mean": m, "scale": s} for name, c, m, s in zip(self.features, self.coefficients, self.mean, self.scale)}
        return {
            "format": FORMAT,
            "kind": "logistic regression on standardised features, Platt-recalibrated",
            "formula": "p = 1 / (1 + exp(-(a * (intercept + sum_i coefficient_i * (x_i - mean_i) / scale_i) + b)))",
            "intercept": self.intercept,
            "platt": {"a": self.platt[0], "b": self.platt[1]},
            "operating_point": self.operating_point,
            "features": weights,
            "training": data["training"],
            "metrics": data["metrics"],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ConfidenceModel":
        """The model described by `to_json` output; ModelFileError if it is not one."""
        return model_from_json(
            data,
            format=FORMAT,
            what="confidence model",
            build=lambda names, column: cls(
                features=names,
                mean=column("mean"),
                scale=column("scale"),
                coefficients=column("coefficient"),
                intercept=float(data["intercept"]),
                platt=(float(data["platt"]["a"]), float(data["platt"]["b"])),
                operating_point=float(data["operating_point"]),
                training=dict(data.get("training") or {}),
                metrics=dict(data.get("metrics") or {}),
            ),
        )

    def save(self, path: Path) -> None:
        """Write the model to `path` as indented JSON (atomically: a temporary file renamed)."""
        write_model_json(path, self.to_json())

    @classmethod
    def neutral(cls, features: Sequence[str]) -> "ConfidenceModel":
        """A model that weighs nothing (probability 0.5 for all): stands in while the real one is refitted."""
        n = len(features)
        return cls(tuple(features), (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0)

    @classmethod
    def load(cls, path: Path) -> "ConfidenceModel":
        """The model saved at `path`; ModelFileError naming the file if it is missing, not JSON or malformed."""
        return load_model_file(path, what="confidence model", refit="benchmarks/fit_confidence.py", from_json=cls.from_json)

    def check_features(self, expected: Sequence[str]) -> "ConfidenceModel":
        """This model, if its features are `expected` in that order; else ModelFileError."""
        if tuple(expected) != self.features:
            extra, lacking = set(self.features) - set(expected), set(expected) - set(self.features)
            raise ModelFileError(
                "confidence model does not match the answerer's features"
                + (f"; unknown: {sorted(extra)}" if extra else "")
                + (f"; missing: {sorted(lacking)}" if lacking else "")
                + ("; order differs" if not extra and not lacking else "")
                + " (refit with benchmarks/fit_confidence.py)"
            )
        return self


@functools.lru_cache(maxsize=8)
def load_model(path: Path | None = None) -> ConfidenceModel:
    """The model at `path` (default: the shipped `MODEL_FILE`), read once per process."""
    return ConfidenceModel.load(MODEL_FILE if path is None else Path(path))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float = 1.0,
    iterations: int = 50,
    weights: np.ndarray | None = None,
    fixed: Mapping[int, float] | None = None,
) -> tuple[np.ndarray, float]:
    """(coefficients, intercept) of an L2-penalised logistic regression of `y` (0/1) on the columns of `x`,
    fitted by iteratively reweighted least squares (Newton's method); the intercept is not penalised.
    `fixed`: columns whose coefficient is given (column → coefficient), not fitted."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    fixed = dict(fixed or {})
    if fixed:
        free = [j for j in range(x.shape[1]) if j not in fixed]
        held = sorted(fixed)
        offset = x[:, held] @ np.asarray([fixed[j] for j in held])
        fitted, intercept = _irls(x[:, free], y, l2=l2, iterations=iterations, weights=weights, offset=offset)
        coefficients = np.zeros(x.shape[1])
        coefficients[free] = fitted
        coefficients[held] = [fixed[j] for j in held]
        return coefficients, intercept
    return _irls(x, y, l2=l2, iterations=iterations, weights=weights, offset=np.zeros(len(y)))


def _irls(
    x: np.ndarray, y: np.ndarray, *, l2: float, iterations: int, weights: np.ndarray | None, offset: np.ndarray
) -> tuple[np.ndarray, float]:
    n, d = x.shape
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, float(l2))
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(design @ beta + offset)
        gradient = design.T @ (w * (p - y)) + penalty * beta
        hessian = (design * (w * np.maximum(p * (1 - p), 1e-9))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-9 * np.eye(d + 1), gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


def fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt's (a, b) for log-odds `z` and outcomes `y`, with his smoothed targets (no over-confidence on few points)."""
    y = np.asarray(y, dtype=np.float64)
    positives, negatives = y.sum(), len(y) - y.sum()
    target = np.where(y > 0, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    coefficients, intercept = fit_logistic(np.asarray(z, dtype=np.float64).reshape(-1, 1), target, l2=0.0)
    return float(coefficients[0]), intercept
