"""Index type by size, approximate-search recall against exact search, memory-mapped save→load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from docqa.index.storage import store, vector_index, versions
from docqa.errors import InvalidInput
from docqa.ingest.pipeline import ingest


def _clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((50, dim)).astype(np.float32)
    x = centres[rng.integers(0, 50, n)] + 0.3 * rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_type_follows_size_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert vector_index.choose(1_000) == "flat"
    assert vector_index.choose(vector_index.IVF_FROM) == "ivf"
    assert vector_index.choose(10, "hnsw") == "hnsw" and vector_index.choose(10, index_type=" IVF ") == "ivf"
    monkeypatch.setenv("DOCQA_INDEX_TYPE", "ivf")
    assert vector_index.choose(10) == "flat"  # the module reads no environment: callers pass the setting
    with pytest.raises(InvalidInput, match="choose one of: auto, flat, ivf, hnsw"):
        vector_index.choose(10, "lsh")


@pytest.mark.parametrize("kind", ["ivf", "hnsw"])
def test_approximate_recall_at_10_against_exact(kind: str, tmp_path: Path) -> None:
    vectors = _clustered(6000)
    queries = _clustered(200, seed=1)
    exact = vector_index.build(vectors, dim=32, index_type="flat")
    approx = vector_index.build(vectors, dim=32, index_type=kind)
    vector_index.write(approx, tmp_path / "v.faiss")
    loaded = vector_index.read(tmp_path / "v.faiss")  # read back, same answers
    _, truth = exact.search(queries, 10)
    _, found = loaded.search(queries, 10)
    recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)])
    assert recall >= 0.95, recall


def test_ingest_records_the_type_and_an_override_round_trips(tiny_corpus: Path, tmp_path: Path, fake_embedder) -> None:
    from docqa.ingest.chunker import ChunkingSettings
    from docqa.ingest.pipeline import build_contents, load_documents

    ingest([tiny_corpus], index_root=tmp_path / "a", embedder=fake_embedder)
    assert store.load(versions.current_version(tmp_path / "a")).manifest.index_type == "flat"
    documents, _ = load_documents([tiny_corpus])
    contents = build_contents(documents, embedder=fake_embedder, chunking=ChunkingSettings())
    manifest = store.Manifest(model=fake_embedder.name, dim=fake_embedder.dim, chunking={}, documents=[], counts={})
    versions.commit_version(tmp_path / "b", lambda tmp: store.save(tmp, contents, manifest, index_type="hnsw"), keep=1)
    loaded = store.load(versions.current_version(tmp_path / "b"))
    assert loaded.manifest.index_type == "hnsw" and len(loaded.vectors) == len(loaded) == loaded.faiss.ntotal
    assert isinstance(loaded.vectors, vector_index.VectorIndex)
    vector = fake_embedder.embed(["Danube"])
    assert loaded.vectors.search(vector, 1)[1][0][0] >= 0
