"""Query → scored passages from one loaded index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.embedder import Embedder
from index.errors import InvalidInput
from index.store import Chunk, LoadedIndex

MODES = ("dense",)


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its score (higher is better) and 1-based rank."""

    chunk: Chunk
    score: float
    rank: int


class Searcher:
    """Searches one loaded index with one embedder."""

    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder

    def embed_query(self, query: str) -> np.ndarray:
        """The normalised query vector (float32, shape [dim])."""
        return self.embedder.embed([query])[0]

    def search(self, query: str, *, k: int = 5, mode: str = "dense", query_vector: np.ndarray | None = None) -> list[Passage]:
        """The `k` best passages for `query`, best first."""
        if mode not in MODES:
            raise InvalidInput(f"Unknown search mode {mode!r}; choose one of: {', '.join(MODES)}")
        if k < 1 or len(self.index) == 0:
            return []
        vector = self.embed_query(query) if query_vector is None else query_vector
        scores, ids = self.index.faiss.search(vector.reshape(1, -1).astype(np.float32), min(k, len(self.index)))
        return [
            Passage(chunk=self.index.chunk(int(i)), score=float(s), rank=r)
            for r, (s, i) in enumerate(zip(scores[0], ids[0]), start=1)
            if i >= 0
        ]
