"""An on-disk embedding cache keyed by model and text, so re-ingesting unchanged text embeds nothing.

    ROOT/cache/embeddings/<model key>/
        <shard>.vectors.npy   float32 [n, dim]
        <shard>.keys.npy      uint8 [n, 16]: blake2b-128 of the text (written last: a shard without keys is ignored)

The model key is the embedder's `name` plus its `variant` (backend and precision) when it
has one, so vectors of different models, or of backends that round differently, never mix.
(A `SplitEmbedder`'s variant names both its backends: small calls get ONNX int8 vectors, large
ones bf16, both within 0.01 cosine of fp32, as the questions searched against them are.)
Each ingest appends a shard with the texts it had to embed about every `SAVED_EVERY` of them or
`SAVED_CHARACTERS` characters (and one with the rest at its end), so that an ingest interrupted after
hours of embedding (Ctrl-C, a crash, SIGKILL) loses only its last seconds: the next one embeds only
what is missing. Each saved part is reported (`on_part`), a progress line every 3-12 s on 2 cores (a 1.3 MB file).
When stale entries outnumber the ones a complete ingest used, the cache is compacted to those.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from docqa.index.embedding.embedder import Embedder
from docqa.index.storage.row_file import NPY_DAMAGE

FOLDER = Path("cache") / "embeddings"
SAVED_EVERY = 2048
"""New vectors are written as a shard about every this many texts (sentences: a few seconds on 2 cores)..."""
SAVED_CHARACTERS = 400_000
"""... or this many characters, whichever comes first (chunks: 4-5 s on 2 cores, the first with the model load 12 s; 2,048 took a minute)."""
SMALLEST_PART = 256
"""No part of a call is smaller (an embedder may pick its backend by call size: embedder.SplitEmbedder)."""


def text_key(text: str) -> bytes:
    """16-byte digest of a text (the model is the cache folder)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def model_key(embedder: Embedder) -> str:
    """The cache folder name of an embedder: its model name and variant, made safe for a file name."""
    raw = f"{embedder.name}-{getattr(embedder, 'variant', '')}".rstrip("-")
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in raw)


class EmbeddingCache:
    """The cached vectors of one model under an index root; `embedder()` gives the caching embedder."""

    def __init__(self, folder: Path, inner: Embedder, *, on_part: "Callable[[int, int], None] | None" = None) -> None:
        self.folder = folder
        self.inner = inner
        self.on_part = on_part
        """Called with (texts embedded, texts to embed) after each part of a call split into parts: progress."""
        self._rows: dict[bytes, tuple[int, int]] = {}  # key → (shard, row)
        self._shards: list[tuple[Path, np.ndarray]] = []
        self._new_keys: list[bytes] = []
        self._new_vectors: list[np.ndarray] = []
        self._used: set[bytes] = set()
        self.embedded = 0
        """Texts this cache had to send to the model (hits are not counted)."""
        self._read()

    @classmethod
    def for_index(cls, index_root: Path, inner: Embedder, *, on_part: "Callable[[int, int], None] | None" = None) -> "EmbeddingCache":
        """The cache of `inner`'s vectors under `index_root` (ROOT/cache/embeddings/<model key>/)."""
        return cls(index_root / FOLDER / model_key(inner), inner, on_part=on_part)

    def _read(self) -> None:
        if not self.folder.is_dir():
            return
        for keys_file in sorted(self.folder.glob("*.keys.npy")):
            vectors_file = keys_file.with_name(keys_file.name.replace(".keys.npy", ".vectors.npy"))
            try:
                keys = np.load(keys_file)
                vectors = np.load(vectors_file, mmap_mode="r")
            except NPY_DAMAGE:
                continue  # a damaged shard only costs re-embedding
            if keys.ndim != 2 or keys.shape[1] != 16 or len(keys) != len(vectors):
                continue
            shard = len(self._shards)
            self._shards.append((keys_file, vectors))
            for row, key in enumerate(keys):
                self._rows[key.tobytes()] = (shard, row)

    def __len__(self) -> int:
        return len(self._rows)

    @property
    def dim(self) -> int:
        """From the cached vectors when there are some: a fully cached ingest never loads the model."""
        return int(self._shards[0][1].shape[1]) if self._shards else self.inner.dim

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Vectors for `texts`: cached ones read, the others embedded (each distinct text once) and kept."""
        keys = [text_key(t) for t in texts]
        self._used.update(keys)
        pending = {k: i for i, k in enumerate(keys) if k not in self._rows}
        dim = self.dim
        out = np.empty((len(texts), dim), dtype=np.float32)
        todo = list(pending.items())
        characters = sum(len(texts[i]) for _, i in todo)
        # Parts of equal size, each saved (and reported) when done: a progress line every few seconds.
        parts = max(-(-len(todo) // SAVED_EVERY), min(-(-characters // SAVED_CHARACTERS), -(-len(todo) // SMALLEST_PART)))
        size = -(-len(todo) // parts) if todo else 1
        for start in range(0, len(todo), size):
            part = todo[start : start + size]
            fresh = self.inner.embed([texts[i] for _, i in part], batch_size=batch_size, progress=progress)
            self.embedded += len(part)
            base = len(self._shards)  # the shard `_save_new` will write
            for key, _ in part:
                self._rows[key] = (base, len(self._new_keys))
                self._new_keys.append(key)
            self._new_vectors.append(np.asarray(fresh, dtype=np.float32))
            if parts > 1 or len(self._new_keys) >= SAVED_EVERY:
                self._save_new()
            if parts > 1 and self.on_part is not None:
                self.on_part(start + len(part), len(todo))
        new_vectors = np.concatenate(self._new_vectors) if self._new_vectors else None
        for i, key in enumerate(keys):
            shard, row = self._rows[key]
            out[i] = new_vectors[row] if shard == len(self._shards) else self._shards[shard][1][row]
        return out

    def _save_new(self) -> None:
        """Write the vectors embedded since the last save as a shard (read back from it from now on)."""
        if not self._new_keys:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        vectors = np.concatenate(self._new_vectors)
        vectors_file = self._write(f"{time.time_ns():x}-{os.getpid()}", self._new_keys, vectors)
        self._shards.append((vectors_file, np.load(vectors_file, mmap_mode="r")))
        self._new_keys, self._new_vectors = [], []

    def flush(self, *, complete: bool = True) -> None:
        """Write what was embedded as a new shard; after a `complete` ingest, compact when most entries are
        stale (after an interrupted one, the texts it did not reach would look stale)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self._save_new()
        stale = len(self._rows) - len(self._used & self._rows.keys())
        if complete and stale > len(self._used) and self._shards:
            self._compact()

    def _write(self, name: str, keys: list[bytes], vectors: np.ndarray) -> Path:
        vectors_file = self.folder / f"{name}.vectors.npy"
        keys_file = self.folder / f"{name}.keys.npy"
        np.save(vectors_file, vectors)
        tmp = self.folder / f".{name}.keys.tmp.npy"
        np.save(tmp, np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(-1, 16))
        os.replace(tmp, keys_file)
        return vectors_file

    def _compact(self) -> None:
        keep = [k for k in self._used if k in self._rows]
        vectors = np.stack([self._shards[s][1][r] for s, r in (self._rows[k] for k in keep)]) if keep else np.zeros((0, self.inner.dim), dtype=np.float32)
        old = [p for p in self.folder.glob("*.npy")]
        self._write(f"{time.time_ns():x}-{os.getpid()}-compact", keep, vectors.astype(np.float32))
        for path in old:
            path.unlink(missing_ok=True)

    def embedder(self) -> "CachedEmbedder":
        """An `Embedder` that reads and fills this cache."""
        return CachedEmbedder(self)


class CachedEmbedder:
    """The `Embedder` ingest uses: the inner model's identity, the cache's `embed`."""

    def __init__(self, cache: EmbeddingCache) -> None:
        self.cache = cache
        self.name = cache.inner.name

    @property
    def dim(self) -> int:
        return self.cache.dim

    @property
    def max_tokens(self) -> int:
        return self.cache.inner.max_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.cache.inner.count_tokens(texts)

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        return self.cache.embed(texts, batch_size=batch_size, progress=progress)


@contextlib.contextmanager
def cached(embedder: Embedder, index_root: Path, *, on_part: "Callable[[int, int], None] | None" = None) -> Iterator[CachedEmbedder]:
    """`embedder` behind the cache of `index_root`; new vectors are written as they come and when the block
    ends, also by an error or Ctrl-C (they are right whatever went wrong after: the next ingest reuses them).
    `on_part(done, total)`: progress of a large call, after each part saved."""
    cache = EmbeddingCache.for_index(index_root, embedder, on_part=on_part)
    try:
        yield cache.embedder()
    except BaseException:
        with contextlib.suppress(OSError):  # (a full disk: the error being raised says so)
            cache.flush(complete=False)
        raise
    cache.flush()
