"""A synthetic index of N chunks for the latency and scale benchmarks (benchmark helper, not part of docqa).

Texts: 3 sentences of 12 words drawn (Zipf-like) from the Cranfield vocabulary, so BM25
has realistic postings. Vectors: 384-d, clustered around 2,000 random centres (real
embeddings are clustered; uniform random vectors would be the worst case for ANN indexes),
L2-normalised. Sentence vectors are the chunk vector plus noise, float16 as docqa stores them.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np

from _common import cranfield

SENTENCES_PER_CHUNK = 3
WORDS_PER_SENTENCE = 12


def vocabulary() -> list[str]:
    _, texts, _, _ = cranfield()
    counts: dict[str, int] = {}
    for text in texts:
        for word in re.findall(r"[a-z]{3,}", text.lower()):
            counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)


def clustered_vectors(n: int, dim: int, *, rng: np.random.Generator, centres: int = 2000, spread: float = 0.06) -> np.ndarray:
    """float32 [n, dim], unit length, in `centres` clusters (in blocks, to bound memory)."""
    middle = rng.standard_normal((centres, dim)).astype(np.float32)
    middle /= np.linalg.norm(middle, axis=1, keepdims=True)
    out = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        block = middle[rng.integers(0, centres, stop - start)] + spread * rng.standard_normal((stop - start, dim)).astype(np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def contents(n: int, *, dim: int = 384, seed: int = 0):
    """store.IndexContents of `n` synthetic chunks in n/100 documents."""
    from docqa.index.storage import store

    rng = np.random.default_rng(seed)
    words = np.array(vocabulary())
    weights = 1.0 / np.arange(1, len(words) + 1)
    weights /= weights.sum()
    picks = rng.choice(len(words), size=(n * SENTENCES_PER_CHUNK, WORDS_PER_SENTENCE), p=weights)
    sentences = [" ".join(words[row]).capitalize() + "." for row in picks]
    texts, sentence_spans = [], []
    for c in range(n):
        parts = sentences[c * SENTENCES_PER_CHUNK : (c + 1) * SENTENCES_PER_CHUNK]
        text, offset = " ".join(parts), 0
        for part in parts:
            sentence_spans.append((offset, offset + len(part)))
            offset += len(part) + 1
        texts.append(text)
    docs = max(1, n // 100)
    documents = [store.DocumentRecord(doc_id=f"doc-{d}.txt", title=f"Synthetic document {d}", source=f"doc-{d}.txt", hash=f"{d:016x}") for d in range(docs)]
    chunk_doc = np.minimum(np.arange(n) // 100, docs - 1).astype(np.int64)
    vectors = clustered_vectors(n, dim, rng=rng)
    noise = 0.05 * rng.standard_normal((n * SENTENCES_PER_CHUNK, dim)).astype(np.float32)
    sentence_vectors = np.repeat(vectors, SENTENCES_PER_CHUNK, axis=0) + noise
    sentence_vectors /= np.linalg.norm(sentence_vectors, axis=1, keepdims=True)
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    return store.IndexContents(
        documents=documents,
        chunk_texts=texts,
        chunk_doc=chunk_doc,
        chunk_spans=np.column_stack([np.zeros(n, dtype=np.int64), lengths]),
        chunk_sentences=np.column_stack([np.arange(n) * SENTENCES_PER_CHUNK, (np.arange(n) + 1) * SENTENCES_PER_CHUNK]).astype(np.int64),
        chunk_vectors=vectors,
        sentence_spans=np.array(sentence_spans, dtype=np.int64),
        sentence_vectors=sentence_vectors.astype(np.float16),
    )


def build(root: Path, n: int, *, model: str = "all-MiniLM-L6-v2", seed: int = 0) -> dict:
    """Write a synthetic index version under `root`; returns timings (s) and size on disk (MB)."""
    from docqa.index.storage import store, versions

    started = time.perf_counter()
    data = contents(n, seed=seed)
    generated = time.perf_counter()
    manifest = store.Manifest(
        model=model,
        dim=data.chunk_vectors.shape[1],
        chunking={"max_tokens": 200, "overlap_sentences": 1},
        documents=[{"doc_id": d.doc_id, "hash": d.hash} for d in data.documents],
        counts={"documents": len(data.documents), "chunks": n, "sentences": len(data.sentence_spans)},
    )
    folder = versions.commit_version(root, lambda tmp: store.save(tmp, data, manifest), keep=1)
    done = time.perf_counter()
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"generate_s": round(generated - started, 1), "build_s": round(done - generated, 1), "disk_mb": round(size / 2**20, 1), "folder": str(folder)}
