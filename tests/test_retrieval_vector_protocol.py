"""Searcher needs only the VectorIndex protocol: a plain-numpy vector store serves every mode."""

from __future__ import annotations

import numpy as np
import pytest

from docqa.index.retrieval.search import MODES, HybridSettings, Searcher
from docqa.index.storage import store, vector_index, versions


class NumpyVectors:
    """Exact inner-product search over an in-memory matrix: a VectorIndex without FAISS."""

    def __init__(self, vectors: np.ndarray, *, keep_vectors: bool = True) -> None:
        self._vectors = np.asarray(vectors, dtype=np.float32)
        self._keep = keep_vectors
        self.calls: list[str] = []

    @property
    def dim(self) -> int:
        return self._vectors.shape[1]

    def __len__(self) -> int:
        return len(self._vectors)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        self.calls.append("search")
        scores = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim) @ self._vectors.T
        ids = np.argsort(-scores, axis=1)[:, :k]
        return np.take_along_axis(scores, ids, axis=1), ids.astype(np.int64)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray | None:
        self.calls.append("reconstruct")
        return self._vectors[np.asarray(ids)] if self._keep else None


@pytest.fixture
def loaded(tiny_index):
    return store.load(versions.current_version(tiny_index))


@pytest.mark.parametrize("keep_vectors", [True, False])
@pytest.mark.parametrize("mode", MODES)
def test_search_runs_on_any_vector_index(loaded, fake_embedder, mode, keep_vectors):
    feedback = HybridSettings(feedback_passages=1)  # the tiny index has few chunks: force the feedback pass
    faiss_passages = Searcher(loaded, fake_embedder, hybrid=feedback).search("Where does the Rhine rise?", k=3, mode=mode)
    fake = NumpyVectors(loaded.vectors.reconstruct(np.arange(len(loaded))), keep_vectors=keep_vectors)
    assert isinstance(fake, vector_index.VectorIndex)
    loaded.vectors = fake  # the only vector store Searcher may use
    passages = Searcher(loaded, fake_embedder, hybrid=feedback).search("Where does the Rhine rise?", k=3, mode=mode)
    assert "Rhine" in passages[0].chunk.text
    if keep_vectors:  # the same vectors, the same ranking as FAISS
        assert [p.chunk.chunk_id for p in passages] == [p.chunk.chunk_id for p in faiss_passages]
    assert ("search" in fake.calls) == (mode != "bm25")
    assert ("reconstruct" in fake.calls) == (mode == "hybrid")  # Rocchio feedback reads the stored vectors


def test_faiss_index_implements_the_protocol(loaded):
    assert isinstance(loaded.vectors, vector_index.FaissIndex) and isinstance(loaded.vectors, vector_index.VectorIndex)
    assert loaded.vectors.dim == loaded.manifest.dim and len(loaded.vectors) == len(loaded)
    vectors = loaded.vectors.reconstruct(np.array([0, 1]))
    scores, ids = loaded.vectors.search(vectors, 1)
    assert ids[:, 0].tolist() == [0, 1] and scores.shape == (2, 1)
