"""Answer-quality metrics as pure functions: SQuAD matching, ranking quality and calibration of a confidence.

- `normalize_answer`, `exact_match`, `f1_score`: the official SQuAD 2.0 evaluation script's rules
  (lower case; punctuation removed; the words a / an / the removed; whitespace collapsed). With several
  gold answers a prediction scores its best match. An unanswerable question has no gold answer: it is
  scored against the empty answer (only an empty prediction matches), as the official script does.
- `contains_answer`: whether a longer answer (a sentence) holds a gold answer, after the same normalisation.
- `roc_auc`: the probability that a random positive scores above a random negative (ties count one half).
- `expected_calibration_error`: 10 equal-width bins of predicted probability.
- `risk_coverage`: accuracy when answering only the most confident share of questions.

numpy only; no model, no I/O.
"""

from __future__ import annotations

import collections
import math
import re
import string
from dataclasses import dataclass
from typing import Sequence

import numpy as np

_PUNCTUATION = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b", re.UNICODE)


def normalize_answer(text: str) -> str:
    """The official SQuAD normalisation: lower case, no punctuation, no articles, single spaces.

    Only ASCII punctuation (`string.punctuation`) is removed, as in the official script: curly
    quotes and dashes such as "–" stay.
    """
    text = text.lower()
    text = "".join(ch for ch in text if ch not in _PUNCTUATION)
    text = _ARTICLES.sub(" ", text)
    return " ".join(text.split())


def answer_tokens(text: str) -> list[str]:
    """The normalised answer's words (empty for an empty or all-punctuation answer)."""
    return normalize_answer(text).split() if text else []


def _golds(golds: Sequence[str]) -> Sequence[str]:
    # The official script: a question without gold answers (unanswerable) is scored against "".
    return [g for g in golds if normalize_answer(g)] or [""]


def exact_match(prediction: str, golds: Sequence[str]) -> float:
    """1.0 when the normalised `prediction` equals a normalised gold answer, else 0.0."""
    predicted = normalize_answer(prediction)
    return float(any(predicted == normalize_answer(g) for g in _golds(golds)))


def _f1(prediction: str, gold: str) -> float:
    predicted, wanted = answer_tokens(prediction), answer_tokens(gold)
    if not predicted or not wanted:
        return float(predicted == wanted)
    common = collections.Counter(predicted) & collections.Counter(wanted)
    shared = sum(common.values())
    if shared == 0:
        return 0.0
    precision, recall = shared / len(predicted), shared / len(wanted)
    return 2 * precision * recall / (precision + recall)


def f1_score(prediction: str, golds: Sequence[str]) -> float:
    """Token F1 (bag of normalised words) of `prediction` against its best-matching gold answer."""
    return max(_f1(prediction, g) for g in _golds(golds))


def contains_answer(text: str, golds: Sequence[str]) -> bool:
    """Whether normalised `text` holds a normalised, non-empty gold answer as whole words.

    Whole words: "22" is found in "lists 22 research activities" but not in "2022"; an empty gold
    answer (all articles or punctuation) never counts.
    """
    haystack = f" {normalize_answer(text)} "
    return any(needle and f" {needle} " in haystack for needle in (normalize_answer(g) for g in golds))


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve of `scores` for telling `labels` True from False (rank-based).

    Equal to P(score of a random positive > score of a random negative) + ½ P(equal): tied scores
    get their average rank (Mann–Whitney U). 1.0: every positive above every negative; 0.5: no
    better than chance (or all scores equal). NaN when either class is empty.
    """
    values = np.asarray(scores, dtype=np.float64)
    positive = np.asarray(labels, dtype=bool)
    if values.shape != positive.shape or values.ndim != 1:
        raise ValueError("scores and labels must be two sequences of the same length")
    n_pos = int(positive.sum())
    n_neg = len(values) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = np.arange(1, len(values) + 1)
    # Average ranks within ties.
    unique, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    if len(unique) < len(values):
        sums = np.bincount(inverse, weights=ranks)
        ranks = (sums / counts)[inverse]
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


@dataclass(frozen=True)
class CalibrationBin:
    """One bin of `calibration_bins`: predictions in [low, high) (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_probability: float
    accuracy: float


def calibration_bins(probabilities: Sequence[float], outcomes: Sequence[bool], *, bins: int = 10) -> list[CalibrationBin]:
    """The non-empty equal-width bins of `probabilities` over [0, 1], each with its mean prediction and hit rate.

    Raises ValueError for a probability outside [0, 1] (a raw score must be mapped to a probability first).
    """
    p = np.asarray(probabilities, dtype=np.float64)
    y = np.asarray(outcomes, dtype=bool)
    if p.shape != y.shape or p.ndim != 1:
        raise ValueError("probabilities and outcomes must be two sequences of the same length")
    if bins < 1:
        raise ValueError("bins must be 1 or more")
    if len(p) and (np.isnan(p).any() or p.min() < 0.0 or p.max() > 1.0):
        raise ValueError("probabilities must lie in [0, 1]")
    which = np.minimum((p * bins).astype(np.int64), bins - 1)
    out: list[CalibrationBin] = []
    for b in range(bins):
        members = which == b
        count = int(members.sum())
        if count:
            out.append(CalibrationBin(b / bins, (b + 1) / bins, count, float(p[members].mean()), float(y[members].mean())))
    return out


def expected_calibration_error(probabilities: Sequence[float], outcomes: Sequence[bool], *, bins: int = 10) -> float:
    """ECE: Σ over bins of (share of predictions in the bin) × |hit rate − mean predicted probability|.

    Bins are `bins` equal-width intervals of [0, 1] ([0, 0.1), [0.1, 0.2), … [0.9, 1.0]); `outcomes[i]`
    is whether the event predicted with `probabilities[i]` happened (the answer was right). 0 is
    perfect calibration; NaN for no predictions.
    """
    table = calibration_bins(probabilities, outcomes, bins=bins)
    total = sum(b.count for b in table)
    if not total:
        return math.nan
    return float(sum(b.count / total * abs(b.accuracy - b.mean_probability) for b in table))


@dataclass(frozen=True)
class CoveragePoint:
    """Accuracy when only the most confident `coverage` share of questions is answered."""

    coverage: float
    answered: int
    accuracy: float
    threshold: float
    """The lowest confidence among the answered ones (answering at ≥ this gives about this coverage)."""


def risk_coverage(
    confidences: Sequence[float], correct: Sequence[bool], *, coverages: Sequence[float] = (0.5, 0.8, 1.0)
) -> list[CoveragePoint]:
    """For each coverage c: the accuracy of the ceil(c × n) most confident answers.

    Ties in confidence at the cut are broken by position (a stable sort), so the count answered is
    exactly ceil(c × n). `correct[i]` says whether answering question i would be right (for an
    unanswerable question any answer is wrong).
    """
    values = np.asarray(confidences, dtype=np.float64)
    right = np.asarray(correct, dtype=bool)
    if values.shape != right.shape or values.ndim != 1:
        raise ValueError("confidences and correct must be two sequences of the same length")
    order = np.argsort(-values, kind="mergesort")
    points: list[CoveragePoint] = []
    for coverage in coverages:
        if not 0.0 < coverage <= 1.0:
            raise ValueError(f"coverage must be in (0, 1] (got {coverage})")
        n = min(len(values), math.ceil(coverage * len(values) - 1e-9))
        if n == 0:
            points.append(CoveragePoint(coverage, 0, math.nan, math.nan))
            continue
        top = order[:n]
        points.append(CoveragePoint(coverage, n, float(right[top].mean()), float(values[top].min())))
    return points
