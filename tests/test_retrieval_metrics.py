"""Evaluation arithmetic against values computed by hand, and the fusion functions."""

from __future__ import annotations

import math

import pytest

from docqa.index.retrieval import fusion
from docqa.index.evaluation.evaluate import answer_tradeoff, retrieval_metrics


def test_retrieval_metrics_match_hand_computed_values():
    qrels = {"q1": {"d1": 2, "d3": 1}, "q2": {"d2": 1}}
    run = {"q1": ["d3", "d2", "d1"], "q2": ["d1", "d4"]}
    means, per_query = retrieval_metrics(qrels, run)
    # q1: gains 1 (rank 1) and 2 (rank 3): DCG = 1/log2(2) + 2/log2(4) = 2; ideal = 2 + 1/log2(3).
    ndcg_q1 = 2 / (2 + 1 / math.log2(3))
    assert per_query["q1"]["ndcg@10"] == pytest.approx(ndcg_q1, abs=1e-6)
    assert per_query["q1"]["mrr@10"] == 1.0
    assert per_query["q1"]["recall@1"] == 0.5 and per_query["q1"]["recall@5"] == 1.0
    assert per_query["q2"] == {m: 0.0 for m in per_query["q2"]}  # nothing relevant retrieved
    assert means["ndcg@10"] == pytest.approx(ndcg_q1 / 2, abs=1e-4)
    assert means["mrr@10"] == 0.5
    assert means["recall@1"] == 0.25 and means["recall@5"] == 0.5 and means["recall@100"] == 0.5


def test_metrics_count_a_query_missing_from_the_run_as_a_miss():
    qrels = {"q1": {"d1": 1}, "q2": {"d2": 1}}
    means, per_query = retrieval_metrics(qrels, {"q1": ["d0", "d1"]})
    assert per_query["q1"]["mrr@10"] == 0.5
    assert per_query["q2"]["mrr@10"] == 0.0
    assert means["mrr@10"] == 0.25


@pytest.mark.parametrize("run", [{"q1": [], "q2": []}, {}, {"q1": []}, {"other": ["d1"]}])
def test_a_run_that_retrieved_nothing_scores_zero_not_a_crash(run):
    """A question of stop words alone ("What?") finds nothing in bm25; when no judged query found anything, ranx
    cannot even build the run (max() of an empty sequence)."""
    qrels = {"q1": {"d1": 1}, "q2": {"d2": 1}}
    means, per_query = retrieval_metrics(qrels, run)
    assert means == {m: 0.0 for m in means} and set(means) >= {"ndcg@10", "mrr@10", "recall@1", "recall@100"}
    assert per_query == {"q1": {m: 0.0 for m in means}, "q2": {m: 0.0 for m in means}}


def test_a_query_that_retrieved_nothing_beside_one_that_did_is_a_miss():
    means, per_query = retrieval_metrics({"q1": {"d1": 1}, "q2": {"d2": 1}}, {"q1": [], "q2": ["d2"]})
    assert per_query["q1"]["recall@1"] == 0.0 and per_query["q2"]["recall@1"] == 1.0 and means["recall@1"] == 0.5


def test_answer_tradeoff_counts_and_rates():
    outcomes = [(True, "correct"), (True, "correct"), (True, "wrong"), (True, "declined"), (False, "declined"), (False, "wrong")]
    stats = answer_tradeoff(outcomes)
    assert (stats["answerable_correct"], stats["answerable_wrong"], stats["answerable_declined"]) == (2, 1, 1)
    assert (stats["unanswerable_declined"], stats["unanswerable_answered"]) == (1, 1)
    assert stats["answer_accuracy"] == 0.5 and stats["decline_rate"] == 0.5 and stats["false_decline_rate"] == 0.25


def test_reciprocal_rank_fusion():
    fused = fusion.reciprocal_rank([{1: 0.9, 2: 0.5}, {2: 7.0, 3: 1.0}], k=60)
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1] == pytest.approx(1 / 61) and fused[3] == pytest.approx(1 / 62)
    assert [cid for cid, _ in fusion.top(fused, 3)] == [2, 1, 3]


def test_weighted_fusion_normalises_each_list():
    dense = {1: 0.8, 2: 0.6, 3: 0.4}  # mean 0.6
    lexical = {3: 30.0, 4: 10.0}
    minmax = fusion.weighted([dense, lexical], weights=[0.5, 0.5], method="minmax")
    assert minmax[1] == pytest.approx(0.5 * 1 + 0.5 * 0)  # missing from BM25: its lowest value
    assert minmax[3] == pytest.approx(0.5 * 0 + 0.5 * 1)
    z = fusion.normalise(dense, method="zscore")
    assert z[2] == pytest.approx(0.0) and z[1] == pytest.approx(-z[3])
    with pytest.raises(ValueError):
        fusion.normalise(dense, method="nope")
