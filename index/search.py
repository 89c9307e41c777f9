"""Query → scored passages from one loaded index: dense, BM25, or hybrid.

hybrid (the default, best measured, see benchmarks/retrieval.py): dense and BM25
candidates are fused by normalised weighted scores; then the best fused passages
serve as pseudo-relevance feedback (RM3 terms for BM25, Rocchio for the query
vector) for a second, fused search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index import feedback, fusion
from index.bm25 import chunk_terms_text, tokenize
from index.embedder import Embedder
from index.errors import InvalidInput
from index.store import Chunk, LoadedIndex

MODES = ("dense", "bm25", "hybrid")
DEFAULT_MODE = "hybrid"


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its score (higher is better) and 1-based rank."""

    chunk: Chunk
    score: float
    rank: int


@dataclass(frozen=True)
class HybridSettings:
    """How the hybrid mode fuses and expands (defaults: the best measured setting)."""

    fusion: str = "zscore"
    """zscore | minmax (weighted sum of normalised scores) | rrf (reciprocal rank fusion)."""
    dense_weight: float = 0.5
    """Share of the dense list in the weighted sum (BM25 gets the rest)."""
    depth: int = 100
    """Candidates taken from each list (at least the `k` asked for)."""
    rrf_k: float = 60.0
    feedback_passages: int = 0
    """Best first-pass passages used as pseudo-relevance feedback; 0 turns feedback off."""
    feedback_terms: int = 10
    original_weight: float = 0.5
    """RM3: weight of the original query terms against the expansion terms."""
    rocchio_beta: float = 0.0
    """How far the query vector moves towards the feedback passages."""


class Searcher:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, *, hybrid: HybridSettings = HybridSettings()) -> None:
        self.index = index
        self.embedder = embedder
        self.hybrid = hybrid

    def embed_query(self, query: str) -> np.ndarray:
        """The normalised query vector (float32, shape [dim])."""
        return self.embedder.embed([query])[0]

    def search(
        self, query: str, *, k: int = 5, mode: str = DEFAULT_MODE, query_vector: np.ndarray | None = None
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first."""
        if mode not in MODES:
            raise InvalidInput(f"Unknown search mode {mode!r}; choose one of: {', '.join(MODES)}")
        if k < 1 or len(self.index) == 0:
            return []
        if mode == "bm25":
            scores = self._lexical(self.index.bm25.query_terms(query), k)
        else:
            vector = self.embed_query(query) if query_vector is None else query_vector
            scores = self._dense(vector, k) if mode == "dense" else self._hybrid(query, vector, k)
        return [
            Passage(chunk=self.index.chunk(cid), score=float(score), rank=rank)
            for rank, (cid, score) in enumerate(fusion.top(scores, k), start=1)
        ]

    def _dense(self, vector: np.ndarray, n: int) -> dict[int, float]:
        scores, ids = self.index.faiss.search(vector.reshape(1, -1).astype(np.float32), min(n, len(self.index)))
        return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}

    def _lexical(self, terms: dict[str, float], n: int) -> dict[int, float]:
        scores = self.index.bm25.scores(terms)
        n = min(n, len(scores))
        best = np.argpartition(-scores, n - 1)[:n] if n < len(scores) else np.arange(len(scores))
        return {int(i): float(scores[i]) for i in best if scores[i] > 0}

    def _fuse(self, dense: dict[int, float], lexical: dict[int, float]) -> dict[int, float]:
        s = self.hybrid
        if not lexical:
            return dense
        if s.fusion == "rrf":
            return fusion.reciprocal_rank([dense, lexical], k=s.rrf_k, weights=[2 * s.dense_weight, 2 * (1 - s.dense_weight)])
        return fusion.weighted([dense, lexical], weights=[s.dense_weight, 1 - s.dense_weight], method=s.fusion)

    def _hybrid(self, query: str, vector: np.ndarray, k: int) -> dict[int, float]:
        s = self.hybrid
        depth = max(k, s.depth)
        terms = self.index.bm25.query_terms(query)
        fused = self._fuse(self._dense(vector, depth), self._lexical(terms, depth))
        if s.feedback_passages < 1 or not fused:
            return fused
        best = [cid for cid, _ in fusion.top(fused, s.feedback_passages)]
        weights = [1.0] * len(best)
        if s.feedback_terms > 0 and s.original_weight < 1:
            stemmer = self.index.bm25.settings.stemmer
            texts = [self._terms_text(cid) for cid in best]
            terms = feedback.rm3(
                terms,
                [tokenize(t, stemmer=stemmer) for t in texts],
                weights,
                terms=s.feedback_terms,
                original_weight=s.original_weight,
            )
        if s.rocchio_beta > 0:
            vector = feedback.rocchio(vector, self._vectors(best), weights, beta=s.rocchio_beta)
        return self._fuse(self._dense(vector, depth), self._lexical(terms, depth))

    def _terms_text(self, chunk_id: int) -> str:
        chunk = self.index.chunk(chunk_id)
        return chunk_terms_text(chunk.document.title, chunk.text, settings=self.index.bm25.settings)

    def _vectors(self, chunk_ids: list[int]) -> np.ndarray:
        """Stored chunk embeddings; the mean of their sentence embeddings if FAISS cannot return them."""
        try:
            return self.index.faiss.reconstruct_batch(np.asarray(chunk_ids, dtype=np.int64))
        except RuntimeError:  # e.g. an IVF index without a direct map
            rows = [self.index.chunk(cid).sentence_rows for cid in chunk_ids]
            means = np.stack([np.asarray(self.index.sentence_vectors[list(r)], dtype=np.float32).mean(axis=0) for r in rows])
            return means / np.linalg.norm(means, axis=1, keepdims=True).clip(1e-9)
