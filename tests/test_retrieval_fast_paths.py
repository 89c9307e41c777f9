"""The speed-ups of the search path give exactly what the plain computations give."""

from __future__ import annotations

import numpy as np
import pytest

from docqa.index.retrieval import fusion
from docqa.index.storage.bm25 import BM25Index, BM25Settings


def test_bm25_scores_equal_the_per_term_sums_for_rare_and_common_terms():
    rng = np.random.default_rng(0)
    words = ["wing", "flow", "shock", "heat", "plate", "cone", "drag", "lift"]
    # Skewed draws: some terms occur in most chunks (whole-column path), some in few (scatter path).
    texts = [" ".join(rng.choice(words, size=6, p=[0.4, 0.3, 0.1, 0.08, 0.06, 0.03, 0.02, 0.01])) for _ in range(200)]
    index = BM25Index.build(texts, settings=BM25Settings(stemmer="none"))
    terms = {w: float(rng.random()) + 0.1 for w in words}
    expected = np.zeros(len(index), dtype=np.float32)
    for term, weight in terms.items():
        column = index._vocab[term]
        lo, hi = int(index._indptr[column]), int(index._indptr[column + 1])
        expected[index._indices[lo:hi]] += np.float32(weight) * index._data[lo:hi]
    lengths = [index.document_frequency(w) for w in words]
    assert max(lengths) * 4 >= len(index) > min(lengths) * 4  # both paths ran
    assert np.array_equal(index.scores(terms), expected)


def test_ranked_fusion_matches_the_dict_computation_and_breaks_ties_by_id():
    dense = {5: 0.9, 2: 0.7, 8: 0.7, 1: 0.1}
    lexical = {8: 12.0, 3: 4.0, 2: 1.5}
    fused = fusion.weighted_ranked([fusion.Ranked.from_dict(dense), fusion.Ranked.from_dict(lexical)], weights=[0.5, 0.5])
    z_dense, z_lex = fusion.normalise(dense), fusion.normalise(lexical)
    by_hand = {c: 0.5 * z_dense.get(c, min(z_dense.values())) + 0.5 * z_lex.get(c, min(z_lex.values())) for c in {*dense, *lexical}}
    assert fused.as_dict() == by_hand
    best = fusion.Ranked.from_dict({4: 1.0, 9: 2.0, 2: 1.0, 7: 0.5}).top(3)
    assert best.ids.tolist() == [9, 2, 4]
    assert [cid for cid, _ in fusion.top(by_hand, len(by_hand))] == fused.top(len(fused)).ids.tolist()


@pytest.mark.parametrize("block", [4, 256])
def test_top_positive_finds_the_largest_positive_values(block):
    from docqa.index.retrieval.search import top_positive

    rng = np.random.default_rng(3)
    for trial in range(60):
        size, n = int(rng.integers(1, 5000)), int(rng.integers(1, 60))
        values = (rng.random(size) * (rng.random(size) < rng.random())).astype(np.float32)
        if trial % 2:
            values = np.round(values, 1).astype(np.float32)  # many ties
        found = top_positive(values, n, block=block)
        positive = np.sort(values[values > 0])[::-1]
        assert len(found) == len(set(found.tolist())) == min(n, len(positive))
        assert np.sort(values[found])[::-1].tolist() == positive[: len(found)].tolist()
    assert top_positive(np.zeros(10, dtype=np.float32), 3).tolist() == []
