"""Pseudo-relevance feedback: RM3 term weights and the Rocchio move."""

from __future__ import annotations

import numpy as np
import pytest

from docqa.index.retrieval import feedback


def test_rm3_keeps_the_query_share_and_adds_the_feedback_words():
    passages = [feedback.term_counts(["wing", "flutter", "wing", "speed"]), feedback.term_counts(["flutter", "panel"])]
    mixed = feedback.rm3({"flutter": 1.0, "wing": 1.0}, passages, [3.0, 1.0], terms=2, original_weight=0.5)
    assert sum(mixed.values()) == pytest.approx(1.0)
    # The relevance model: flutter 3/4·1/4 + 1/4·1/2 = 0.3125, wing 3/4·2/4 = 0.375; speed and panel fall outside the 2 terms.
    expansion = {"wing": 0.375, "flutter": 0.3125}
    total = sum(expansion.values())
    assert mixed == pytest.approx({w: 0.25 + 0.5 * expansion[w] / total for w in ("wing", "flutter")})
    assert feedback.rm3({"a": 2.0}, [feedback.term_counts([])], [1.0]) == {"a": 0.5}  # no words to learn: the query, scaled


def test_rocchio_moves_towards_the_feedback_and_stays_normalised():
    query = np.array([1.0, 0.0], dtype=np.float32)
    moved = feedback.rocchio(query, np.array([[0.0, 1.0]], dtype=np.float32), [1.0], beta=1.0)
    np.testing.assert_allclose(moved, [2**-0.5, 2**-0.5], rtol=1e-6)
    assert feedback.rocchio(query, np.zeros((0, 2), dtype=np.float32), [], beta=1.0) is query
