"""Query → scored passages from one loaded index: dense, BM25, or hybrid.

hybrid (the default, best measured, see benchmarks/retrieval.py): dense and BM25
candidates are fused by normalised weighted scores; then the best fused passages
serve as pseudo-relevance feedback (RM3 terms for BM25, Rocchio for the query
vector) for a second, fused search, itself fused with the first. Scores are
z-normalised over each list's top `depth` candidates.

The index is read through `LoadedIndex.vectors` (the `VectorIndex` protocol,
storage/vector_index.py) and `LoadedIndex.bm25`: another vector store is a new
`VectorIndex` class, not a change here.
"""

from __future__ import annotations

import enum
import functools
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Mapping, TypeVar, Union

import numpy as np

from docqa.errors import InvalidInput
from docqa.index.embedding.embedder import Embedder
from docqa.index.retrieval import feedback, fusion
from docqa.index.retrieval.fusion import Ranked
from docqa.index.storage.store import Chunk, LoadedIndex


class SearchMode(str, enum.Enum):
    """How passages are found: by meaning (dense), by words (bm25), or both fused (hybrid, the default)."""

    DENSE = "dense"
    BM25 = "bm25"
    HYBRID = "hybrid"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: "str | SearchMode | None") -> "SearchMode":
        """The mode named `value` (case and surrounding spaces ignored; None: the default), else InvalidInput listing the choices."""
        if value is None:
            return DEFAULT_SEARCH_MODE
        if isinstance(value, cls):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise InvalidInput(f"Unknown search mode {value!r}; choose one of: {', '.join(m.value for m in cls)}") from None


DEFAULT_SEARCH_MODE = SearchMode.HYBRID
MODES = tuple(m.value for m in SearchMode)
"""The mode names, for callers that take plain strings ("dense", "bm25", "hybrid")."""
DEFAULT_MODE = DEFAULT_SEARCH_MODE.value
OVERLAP_FROM = 50_000
"""From this many chunks, the model call and FAISS searches run on a helper thread while BM25
is scored (all three release the GIL); on a smaller index the hand-over costs more than it saves."""

Pending = Union[np.ndarray, "Future[np.ndarray]"]
"""A query vector, or its computation still running on a helper thread."""


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
    depth: int = 500
    """Candidates taken from each list (at least the `k` asked for); also the sample the z-scores are taken over."""
    rrf_k: float = 60.0
    feedback_passages: int = 5
    """Best first-pass passages used as pseudo-relevance feedback; 0 turns feedback off."""
    feedback_terms: int = 20
    original_weight: float = 0.5
    """RM3: weight of the original query terms against the expansion terms."""
    rocchio_beta: float = 1.0
    """How far the query vector moves towards the feedback passages."""
    feedback_sharpness: float = 1.0
    """0: feedback passages count equally; higher: the best ones count more."""
    first_pass_weight: float = 0.3
    """With feedback: share of the first-pass lists in the final fusion (0: second pass only)."""


class Searcher:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: LoadedIndex, embedder: Embedder, *, hybrid: HybridSettings = HybridSettings()) -> None:
        self.index = index
        self.embedder = embedder
        self.hybrid = hybrid
        # Feedback passages recur from question to question: keep their BM25 terms.
        self._feedback_tokens = functools.lru_cache(maxsize=4096)(self._chunk_tokens)

    def embed_query(self, query: str) -> np.ndarray:
        """The normalised query vector (float32, shape [dim])."""
        return self.embedder.embed([query])[0]

    def query_vector(self, query: str) -> Pending:
        """`embed_query`, started on a helper thread on a large index (see `resolved`)."""
        return self._in_background(self.embed_query, query)

    def search(
        self, query: str, *, k: int = 5, mode: "SearchMode | str" = DEFAULT_SEARCH_MODE, query_vector: Pending | None = None
    ) -> list[Passage]:
        """The `k` best passages for `query`, best first (`mode`: a SearchMode or its name; `query_vector`:
        from `query_vector()`, if already started). An unknown mode raises InvalidInput."""
        mode = SearchMode.parse(mode)
        if k < 1 or len(self.index) == 0:
            return []
        if mode is SearchMode.BM25:
            scores = self._lexical(self.index.bm25.query_terms(query), k)
        else:
            vector = self.query_vector(query) if query_vector is None else query_vector
            scores = self._dense(resolved(vector), k) if mode is SearchMode.DENSE else self._hybrid(query, vector, k)
        best = scores.top(k)
        return [
            Passage(chunk=self.index.chunk(cid), score=score, rank=rank)
            for rank, (cid, score) in enumerate(zip(best.ids.tolist(), best.scores.tolist()), start=1)
        ]

    def _dense(self, vector: np.ndarray, n: int) -> Ranked:
        scores, ids = self.index.vectors.search(vector.reshape(1, -1).astype(np.float32), min(n, len(self.index)))
        found = ids[0] >= 0
        return Ranked.of(ids[0][found], scores[0][found])

    def _lexical(self, terms: dict[str, float], n: int) -> Ranked:
        scores = self.index.bm25.scores(terms)
        best = top_positive(scores, n)
        return Ranked.of(best, scores[best])

    def _lexical_among(self, terms: dict[str, float], chunk_ids: np.ndarray) -> Ranked:
        """The BM25 scores of `chunk_ids` that are positive."""
        scores = self.index.bm25.scores_of(terms, chunk_ids)
        keep = scores > 0
        return Ranked.of(chunk_ids[keep], scores[keep])

    def _in_background(self, work, *args) -> Pending:
        """`work(*args)` on a helper thread on a large index, else at once."""
        if len(self.index) < OVERLAP_FROM:
            return work(*args)
        return _HELPERS.submit(work, *args)

    def _fuse(self, lists: list[tuple[Ranked, float]]) -> Ranked:
        """Fuse (scores, weight) lists; empty lists drop out."""
        lists = [(scores, weight) for scores, weight in lists if len(scores) and weight > 0]
        if not lists:
            return Ranked.of(np.zeros(0), np.zeros(0))
        if self.hybrid.fusion == "rrf":
            dicts = [x.as_dict() for x, _ in lists]
            return Ranked.from_dict(fusion.reciprocal_rank(dicts, k=self.hybrid.rrf_k, weights=[w for _, w in lists]))
        return fusion.weighted_ranked([x for x, _ in lists], weights=[w for _, w in lists], method=self.hybrid.fusion)

    def _hybrid(self, query: str, pending: Pending, k: int) -> Ranked:
        s = self.hybrid
        w = s.dense_weight
        depth = max(k, s.depth)
        terms = self.index.bm25.query_terms(query)
        lexical = self._lexical(terms, depth)  # while the question is embedded, on a large index
        vector = resolved(pending)
        dense = self._dense(vector, depth)
        first = [(dense, w), (lexical, 1 - w)]
        fused = self._fuse(first)
        if s.feedback_passages < 1 or not len(fused) or len(self.index) <= s.feedback_passages:
            return fused  # (when every chunk would be a feedback passage, feedback learns nothing about relevance)
        ranked = fused.top(s.feedback_passages)
        best = ranked.ids.tolist()
        # Better first-pass passages count more (softmax of the fused scores, as RM3's P(Q|D)).
        scores = ranked.scores.tolist()
        weights = [float(np.exp(s.feedback_sharpness * (score - scores[0]))) for score in scores]
        if s.feedback_terms > 0 and s.original_weight < 1:
            terms = feedback.rm3(
                terms,
                [self._feedback_tokens(cid) for cid in best],
                weights,
                terms=s.feedback_terms,
                original_weight=s.original_weight,
            )
        if s.rocchio_beta > 0:
            vector = feedback.rocchio(vector, self._vectors(best), weights, beta=s.rocchio_beta)
        # The second pass re-scores the expanded query on the candidates found so far (both first
        # lists, then the moved vector's): its cost no longer grows with the collection.
        moved = self._in_background(self._dense, vector, depth)
        known = np.unique(np.concatenate([dense.ids, lexical.ids]))
        expanded = self._lexical_among(terms, known)
        moved = resolved(moved)
        extra = np.setdiff1d(moved.ids, known, assume_unique=True)
        if len(extra):
            more = self._lexical_among(terms, extra)
            expanded = Ranked(np.concatenate([expanded.ids, more.ids]), np.concatenate([expanded.scores, more.scores]))
        second = [(moved, w), (expanded.top(depth), 1 - w)]
        if s.first_pass_weight <= 0:
            return self._fuse(second)
        return self._fuse([(x, w * s.first_pass_weight) for x, w in first] + [(x, w * (1 - s.first_pass_weight)) for x, w in second])

    def _chunk_tokens(self, chunk_id: int) -> Mapping[str, int]:
        """The BM25 terms of a chunk as indexed (title field included), counted."""
        chunk = self.index.chunk(chunk_id)
        return feedback.term_counts(self.index.bm25.chunk_terms(chunk.document.title, chunk.text))

    def _vectors(self, chunk_ids: list[int]) -> np.ndarray:
        """Stored chunk embeddings; the mean of their sentence embeddings if the vector index keeps none."""
        stored = self.index.vectors.reconstruct(np.asarray(chunk_ids, dtype=np.int64))
        if stored is not None:
            return stored
        rows = [self.index.chunk(cid).sentence_rows for cid in chunk_ids]
        means = np.stack([np.asarray(self.index.sentence_vectors[list(r)], dtype=np.float32).mean(axis=0) for r in rows])
        return means / np.linalg.norm(means, axis=1, keepdims=True).clip(1e-9)


def top_positive(values: np.ndarray, n: int, *, block: int = 256) -> np.ndarray:
    """Positions of the `n` largest positive `values` (any order; ties at the cut broken arbitrarily).

    On a large array, the n-th largest of the block maxima bounds the n-th largest value
    from below (n blocks each hold a value at least that high), so only the few values
    above it are sorted, not every match of a common word.
    """
    if n < 1:
        return np.zeros(0, dtype=np.int64)
    floor = 0.0
    blocks = len(values) // block
    if blocks > 4 * n:
        maxima = values[: blocks * block].reshape(blocks, block).max(axis=1)
        floor = float(np.partition(maxima, blocks - n)[blocks - n])
    found = np.flatnonzero(values >= floor) if floor > 0 else np.flatnonzero(values > 0)
    if len(found) > n:
        found = found[np.argpartition(-values[found], n - 1)[:n]]
    return found


T = TypeVar("T")


def resolved(value: "T | Future[T]") -> T:
    """A result of `Searcher.query_vector` (or other helper-thread work), waited for if still running."""
    return value.result() if isinstance(value, Future) else value


# Several threads, so that concurrent requests' questions still meet in the embedder's batches.
# Made at import (its threads start on first use), so concurrent first calls share one pool.
_HELPERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="docqa-search")
