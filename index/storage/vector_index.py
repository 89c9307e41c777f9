"""The chunk vectors' index: the `VectorIndex` protocol search needs, and FAISS behind it.

    flat   exact inner product; the default below `IVF_FROM` chunks (a scan of 100k
           384-d vectors costs a few ms)
    ivf    inverted lists over k-means cells (~4·√n cells, `nprobe` of them searched), vectors
           stored as 8-bit scalars (4x smaller, so the pages searches touch stay few):
           ~1 ms scans at a million chunks, recall@10 vs exact ≥ 0.95
    hnsw   graph search; best recall per millisecond, but slow to build on a small CPU

`auto` (the default) picks by size; callers pass the setting (`store.save(..., index_type=)`),
this module reads no environment. Files are read into memory, not mapped: a mapped file
shortened on disk would kill the process (SIGBUS) at the next search. Another vector store
is another class implementing `VectorIndex`; retrieval (docqa.index.retrieval.search) needs
nothing else.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from docqa.errors import InvalidInput

INDEX_TYPES = ("auto", "flat", "ivf", "hnsw")
IVF_FROM = 100_000
TRAIN_PER_CELL = 48
HNSW_M = 32


@runtime_checkable
class VectorIndex(Protocol):
    """Chunk vectors searchable by inner product (row i = chunk i): all that retrieval uses."""

    @property
    def dim(self) -> int:
        """The vectors' dimension."""
        ...

    def __len__(self) -> int:
        """How many vectors (chunks) the index holds."""
        ...

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores float32 [n, k], ids int64 [n, k]) of the `k` best rows for each of the `n` query
        `vectors`, best first; missing results have id -1."""
        ...

    def reconstruct(self, ids: np.ndarray) -> np.ndarray | None:
        """The stored vectors of chunk `ids` (float32 [len(ids), dim]), or None when the index keeps none."""
        ...


def choose(size: int, index_type: str = "auto") -> str:
    """The concrete index type for `size` vectors: `index_type`, or for "auto" flat below `IVF_FROM`, else ivf."""
    chosen = (index_type or "auto").strip().lower()
    if chosen not in INDEX_TYPES:
        raise InvalidInput(f"Unknown index type {chosen!r}; choose one of: {', '.join(INDEX_TYPES)}")
    if chosen == "auto":
        return "flat" if size < IVF_FROM else "ivf"
    return chosen


def ivf_cells(size: int) -> int:
    """About 4·√n cells, fewer when there are too few vectors to train them."""
    return max(1, min(int(4 * math.sqrt(size)), size // TRAIN_PER_CELL))


def build(vectors: np.ndarray, *, dim: int, index_type: str, seed: int = 1234) -> "FaissIndex":
    """A FAISS index over L2-normalised `vectors` (row i = chunk i), inner-product metric (a concrete type, not auto)."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
    if index_type == "flat" or len(vectors) == 0:
        index = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 96
    elif index_type == "ivf":
        cells = ivf_cells(len(vectors))
        index = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(dim), dim, cells, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        index.by_residual = False  # one code per vector, independent of its cell: faster to add and to scan
        sample = vectors
        if len(vectors) > cells * TRAIN_PER_CELL:
            rows = np.random.default_rng(seed).choice(len(vectors), cells * TRAIN_PER_CELL, replace=False)
            sample = vectors[np.sort(rows)]
        index.cp.seed = seed
        index.train(sample)
        # ~1/64 of the cells, at least 32: recall@10 ≥ 0.95 against exact search on clustered embeddings.
        index.nprobe = min(cells, max(32, cells // 64))
    else:
        raise InvalidInput(f"Unknown index type {index_type!r}")
    if len(vectors):
        index.add(vectors)
    return FaissIndex(index)


def write(index: "FaissIndex", path: Path) -> None:
    """Write a FAISS index built by `build` to `path` (through Python's files: a full disk is an `OSError`)."""
    import faiss

    with open(path, "wb") as handle:
        handle.write(memoryview(faiss.serialize_index(index.raw)))


def read(path: Path) -> "FaissIndex":
    """The index at `path`, read into memory (a copy the file's later fate cannot touch)."""
    import faiss

    # One query per request thread: OpenMP teams only add barrier stalls on a small shared CPU
    # (measured 2.5x slower with 2 threads under load).
    faiss.omp_set_num_threads(1)
    return FaissIndex(faiss.read_index(str(path)))


class FaissIndex:
    """A FAISS index as a `VectorIndex`; `raw` is the FAISS object itself (for tools and benchmarks)."""

    def __init__(self, raw) -> None:
        self.raw = raw

    @property
    def dim(self) -> int:
        return int(self.raw.d)

    def __len__(self) -> int:
        return int(self.raw.ntotal)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.raw.search(np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim), k)

    def reconstruct(self, ids: np.ndarray) -> np.ndarray | None:
        try:
            return self.raw.reconstruct_batch(np.asarray(ids, dtype=np.int64))
        except RuntimeError:  # e.g. an IVF index without a direct map
            return None
