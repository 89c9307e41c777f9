"""Incremental ingest: the embedding cache re-embeds only text it has not seen with the same model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from docqa.index.storage import store, versions
from docqa.index.embedding.cache import FOLDER, EmbeddingCache, model_key
from docqa.ingest.pipeline import ingest
from tests.conftest import TINY_DOCS, FakeEmbedder


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, remembering every text it was asked to embed."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts, *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        self.seen.extend(texts)
        return super().embed(texts)


def _vectors(root: Path) -> tuple[np.ndarray, np.ndarray]:
    loaded = store.load(versions.current_version(root))
    return loaded.faiss.reconstruct_n(0, len(loaded)), np.asarray(loaded.sentence_vectors)


def test_reingesting_an_unchanged_corpus_embeds_nothing(tiny_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    first = CountingEmbedder()
    ingest([tiny_corpus], index_root=root, embedder=first)
    before = _vectors(root)
    assert first.seen
    again = CountingEmbedder()
    ingest([tiny_corpus], index_root=root, embedder=again)
    assert again.seen == []
    after = _vectors(root)
    np.testing.assert_array_equal(before[0], after[0])
    np.testing.assert_array_equal(before[1], after[1])


def test_changing_one_document_embeds_only_its_texts(tiny_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=CountingEmbedder())
    changed = TINY_DOCS["rivers.txt"] + "\n\nThe Elbe flows into the North Sea at Cuxhaven."
    (tiny_corpus / "rivers.txt").write_text(changed, encoding="utf-8")
    counting = CountingEmbedder()
    ingest([tiny_corpus], index_root=root, embedder=counting)
    assert counting.seen, "the changed document must be embedded again"
    assert any("Elbe" in t for t in counting.seen)
    # Every text embedded comes from the changed document (its chunks carry its title on the first line).
    for text in counting.seen:
        body = text.split("\n", 1)[1] if text.startswith("Rivers of Europe\n") else text
        assert body in changed, text
        assert "Voyager" not in text and "Apollo" not in text


def test_cache_round_trip_and_duplicate_texts(tmp_path: Path) -> None:
    model = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "c", model)
    texts = ["alpha beta", "gamma", "alpha beta"]
    vectors = cache.embed(texts)
    assert model.seen == ["alpha beta", "gamma"]  # each distinct text once
    cache.flush()
    reread = EmbeddingCache(tmp_path / "c", CountingEmbedder())
    assert len(reread) == 2
    np.testing.assert_array_equal(reread.embed(texts), vectors)
    assert reread.inner.seen == [] and reread.dim == model.dim


def test_models_and_backends_do_not_share_vectors(tmp_path: Path) -> None:
    a, b = FakeEmbedder(), FakeEmbedder()
    b.variant = "onnx-int8"
    assert model_key(a) != model_key(b)
    assert EmbeddingCache.for_index(tmp_path, a).folder == tmp_path / FOLDER / "fake-bow"


def test_a_damaged_shard_only_costs_reembedding(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, CountingEmbedder())
    cache.embed(["one", "two"])
    cache.flush()
    for keys in tmp_path.glob("*.keys.npy"):
        keys.write_bytes(b"not numpy")
    again = EmbeddingCache(tmp_path, CountingEmbedder())
    again.embed(["one"])
    assert again.inner.seen == ["one"]


def test_an_emptied_or_unparsable_shard_only_costs_reembedding(tmp_path: Path) -> None:
    for damage in (b"", b"\x93NUMPY\x01\x00v\x00((((((((((("):  # numpy: EOFError, tokenize.TokenError
        cache = EmbeddingCache(tmp_path / repr(damage), CountingEmbedder())
        cache.embed(["one", "two"])
        cache.flush()
        for shard in (tmp_path / repr(damage)).glob("*.npy"):
            shard.write_bytes(damage)
        again = EmbeddingCache(tmp_path / repr(damage), CountingEmbedder())
        again.embed(["one"])
        assert again.inner.seen == ["one"]


def test_a_damaged_cache_never_stops_a_second_ingest(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    root = tmp_path / "index"
    first = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    for path in (root / "cache").rglob("*"):
        if path.is_file():
            path.write_bytes(b"[1, 2]" if path.suffix == ".json" else b"")  # JSON of the wrong shape; emptied arrays
    second = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    assert versions.current_name(root) == second != first


def test_stale_entries_are_compacted_away(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, CountingEmbedder())
    cache.embed([f"old text {i}" for i in range(10)])
    cache.flush()
    later = EmbeddingCache(tmp_path, CountingEmbedder())
    later.embed(["new text"])
    later.flush()
    final = EmbeddingCache(tmp_path, CountingEmbedder())
    assert len(final) == 1
    final.embed(["new text"])
    assert final.inner.seen == []


def test_chunk_cache_returns_the_chunker_spans_and_round_trips(tmp_path: Path, fake_embedder) -> None:
    from docqa.ingest import chunk_cache
    from docqa.ingest.chunker import chunk_text

    text = TINY_DOCS["rivers.txt"] * 3
    direct = chunk_text(text, count_tokens=fake_embedder.count_tokens, max_tokens=20)
    with chunk_cache.cached(tmp_path, model="fake-bow") as chunker:
        assert chunker(text, count_tokens=fake_embedder.count_tokens, max_tokens=20) == direct

    def refuse(texts):
        raise AssertionError("a cached text must not be counted again")

    with chunk_cache.cached(tmp_path, model="fake-bow") as chunker:
        assert chunker(text, count_tokens=refuse, max_tokens=20) == direct  # from disk
        other = chunker(text, count_tokens=fake_embedder.count_tokens, max_tokens=30)  # another budget: cut again
    assert other == chunk_text(text, count_tokens=fake_embedder.count_tokens, max_tokens=30)


class InterruptedEmbedder(CountingEmbedder):
    """Embeds `calls` calls, then is interrupted (Ctrl-C) in the next one."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls

    def embed(self, texts, *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if self.calls == 0:
            raise KeyboardInterrupt
        self.calls -= 1
        return super().embed(texts)


def test_an_interrupted_ingest_keeps_what_it_had_embedded(tiny_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from docqa.errors import IndexNotFound
    from docqa.index.embedding import cache

    monkeypatch.setattr(cache, "SAVED_EVERY", 4)  # a large ingest in miniature: a shard every few texts
    whole = CountingEmbedder()
    ingest([tiny_corpus], index_root=tmp_path / "whole", embedder=whole)
    root = tmp_path / "index"
    interrupted = InterruptedEmbedder(calls=2)
    with pytest.raises(KeyboardInterrupt):
        ingest([tiny_corpus], index_root=root, embedder=interrupted)
    with pytest.raises(IndexNotFound):
        versions.current_version(root)  # nothing published
    assert 0 < len(interrupted.seen) < len(whole.seen)
    from docqa.ingest import chunker

    def refuse(*args, **kwargs):
        raise AssertionError("every document was split before the interruption: none is split again")

    monkeypatch.setattr(chunker, "chunk_text", refuse)
    resumed = CountingEmbedder()
    ingest([tiny_corpus], index_root=root, embedder=resumed)
    assert sorted(resumed.seen) == sorted(set(whole.seen) - set(interrupted.seen))  # only what was not reached
    for ours, reference in zip(_vectors(root), _vectors(tmp_path / "whole")):
        np.testing.assert_array_equal(ours, reference)


def test_a_large_ingest_reports_its_embedding_progress(tiny_corpus: Path, tmp_path: Path, monkeypatch) -> None:
    from docqa.index.embedding import cache

    monkeypatch.setattr(cache, "SAVED_EVERY", 4)
    phases = []
    ingest([tiny_corpus], index_root=tmp_path / "index", embedder=CountingEmbedder(), on_phase=phases.append)
    names = [p.name for p in phases]
    progress = [p for p in phases if p.name == "embedding"]
    assert progress and names.index("split") < names.index("embedding") < names.index("embed")
    assert progress[-1].counts["done"] == progress[-1].counts["total"]
    assert progress[0].describe().startswith(f"embedding: {progress[0].counts['done']:,} of ")


def test_long_texts_are_saved_and_reported_in_parts_of_bounded_characters(tmp_path: Path, monkeypatch) -> None:
    from docqa.index.embedding import cache

    monkeypatch.setattr(cache, "SAVED_CHARACTERS", 1_000)
    monkeypatch.setattr(cache, "SMALLEST_PART", 2)
    parts: list[tuple[int, int]] = []
    inner = CountingEmbedder()
    cached = cache.EmbeddingCache(tmp_path / "cache", inner, on_part=lambda done, total: parts.append((done, total)))
    texts = [f"chunk {i} " + "word " * 100 for i in range(10)]  # ~510 characters each: 2 a part
    vectors = cached.embed(texts)
    assert parts == [(2, 10), (4, 10), (6, 10), (8, 10), (10, 10)]
    assert len(list((tmp_path / "cache").glob("*.keys.npy"))) == 5  # each part saved as it was done
    np.testing.assert_array_equal(vectors, CountingEmbedder().embed(texts))
    short = [f"sentence {i}" for i in range(10)]  # far below the bound: one part, as before
    parts.clear()
    cached.embed(short)
    assert parts == []
