"""The real model on the bundled corpus: the hybrid default finds the answer passages at least as well as dense."""

from __future__ import annotations

import pytest

from docqa.index.assistant import Assistant
from docqa.index.evaluation.evaluate import evaluate_questions, load_questions
from tests.conftest import CORPUS

pytestmark = pytest.mark.model


def test_hybrid_default_ranks_answer_passages_on_the_bundled_questions(corpus_index, real_embedder):
    items = load_questions(CORPUS / "questions.jsonl")
    result = evaluate_questions(Assistant(corpus_index, embedder=real_embedder), items, modes=("dense", "hybrid"))
    dense, hybrid = result.modes["dense"].metrics, result.modes["hybrid"].metrics
    assert result.default_mode == "hybrid" and hybrid["retrieval_queries"] >= 25
    assert hybrid["mrr@10"] >= dense["mrr@10"] and hybrid["recall@5"] == 1.0
    assert hybrid["answer_accuracy"] >= dense["answer_accuracy"] - 0.05
