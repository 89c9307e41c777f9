"""Micro-batching of concurrent question embeddings: same vectors, fewer model calls, errors reach every caller."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from docqa.index.embedding.query_batcher import QueryBatcher


class GatedEmbedder:
    """Wraps the fake embedder; the first call blocks until released, so others queue behind it."""

    def __init__(self, inner, *, fail: bool = False) -> None:
        self.inner = inner
        self.name, self.dim, self.max_tokens = inner.name, inner.dim, inner.max_tokens
        self.calls: list[list[str]] = []
        self.gate = threading.Event()
        self.fail = fail

    def count_tokens(self, texts):
        return self.inner.count_tokens(texts)

    def embed(self, texts, *, batch_size: int = 32, progress: bool = False):
        self.calls.append(list(texts))
        if len(self.calls) == 1:
            self.gate.wait(10)
        if self.fail:
            raise RuntimeError("model broke")
        return self.inner.embed(texts)


def _run_concurrently(batcher: QueryBatcher, gated: GatedEmbedder, questions: list[str]) -> dict:
    results: dict = {}

    def ask(q: str) -> None:
        try:
            results[q] = batcher.embed([q])
        except RuntimeError as exc:
            results[q] = exc

    first = threading.Thread(target=ask, args=(questions[0],))
    first.start()
    while not gated.calls:
        time.sleep(0.001)
    others = [threading.Thread(target=ask, args=(q,)) for q in questions[1:]]
    for t in others:
        t.start()
    while len(batcher._pending) < len(others):
        time.sleep(0.001)
    gated.gate.set()
    for t in [first, *others]:
        t.join(10)
    return results


def test_questions_waiting_behind_a_model_call_are_embedded_in_one_batch(fake_embedder) -> None:
    gated = GatedEmbedder(fake_embedder)
    batcher = QueryBatcher(gated)
    questions = ["where is the danube", "who launched voyager", "when did apollo land", "what is the rhine", "how long is a river"]
    results = _run_concurrently(batcher, gated, questions)
    assert [len(c) for c in gated.calls] == [1, 4]
    for q in questions:
        np.testing.assert_array_equal(results[q], fake_embedder.embed([q]))


def test_a_lone_question_and_lists_go_straight_through(fake_embedder) -> None:
    batcher = QueryBatcher(fake_embedder)
    np.testing.assert_array_equal(batcher.embed(["one question"]), fake_embedder.embed(["one question"]))
    texts = ["a b", "c d", "e f"]
    np.testing.assert_array_equal(batcher.embed(texts), fake_embedder.embed(texts))
    assert batcher.batches == 1
    assert (batcher.name, batcher.dim, batcher.max_tokens) == (fake_embedder.name, fake_embedder.dim, fake_embedder.max_tokens)


def test_a_model_error_reaches_every_waiting_caller(fake_embedder) -> None:
    gated = GatedEmbedder(fake_embedder, fail=True)
    batcher = QueryBatcher(gated)
    results = _run_concurrently(batcher, gated, ["q1", "q2", "q3"])
    assert all(isinstance(r, RuntimeError) for r in results.values())
    with pytest.raises(RuntimeError):
        batcher.embed(["after the failure"])
