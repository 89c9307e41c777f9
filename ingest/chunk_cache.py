"""Chunk spans cached by document text, so re-ingesting unchanged documents skips sentence splitting.

Sentence splitting dominates an ingest whose vectors all come from the embedding cache
(index/embedding/cache.py). The key covers the text, the token budget, the overlap, the
tokenizer's model and the chunker's own source, so any change to how chunks are cut
re-chunks. Stored as ROOT/cache/chunks/<model>.json; each ingest rewrites it with the
entries it used (which prunes the rest).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterator

from docqa.ingest import chunker
from docqa.ingest.chunker import ChunkSpan, SplitProgress, TokenCounter

FOLDER = Path("cache") / "chunks"
Chunker = Callable[..., list[ChunkSpan]]


@functools.lru_cache(maxsize=1)
def _chunker_version() -> str:
    return hashlib.blake2b(Path(chunker.__file__).read_bytes(), digest_size=8).hexdigest()


class ChunkCache:
    """Cached `chunk_text` results for one tokenizer (model name)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._entries: dict[str, list] = json.loads(path.read_text())
        except (OSError, ValueError):
            self._entries = {}  # absent or damaged: it only costs re-chunking
        if not isinstance(self._entries, dict):
            self._entries = {}  # JSON of another shape: damaged too
        self._used: dict[str, list] = {}

    def chunk_text(
        self, text: str, *, count_tokens: TokenCounter, max_tokens: int, overlap_sentences: int = 1, on_progress: SplitProgress | None = None
    ) -> list[ChunkSpan]:
        """`ingest.chunker.chunk_text`, answered from the cache when the same text was cut the same way."""
        key = hashlib.blake2b(
            f"{_chunker_version()}|{max_tokens}|{overlap_sentences}|".encode() + text.encode("utf-8", "surrogatepass"), digest_size=16
        ).hexdigest()
        entry = self._entries.get(key)
        if entry is None:
            spans = chunker.chunk_text(text, count_tokens=count_tokens, max_tokens=max_tokens, overlap_sentences=overlap_sentences, on_progress=on_progress)
            entry = [[s.start, s.end, [list(x) for x in s.sentences]] for s in spans]
        self._used[key] = entry
        return [ChunkSpan(start=a, end=b, sentences=tuple((int(x), int(y)) for x, y in sentences)) for a, b, sentences in entry]

    def flush(self, *, complete: bool = True) -> None:
        """Write the entries a `complete` ingest used (the others are pruned); after an interrupted one, add
        the entries it made to all the others."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(self._used if complete else {**self._entries, **self._used}, separators=(",", ":")))
        os.replace(tmp, self.path)


@contextlib.contextmanager
def cached(index_root: Path, *, model: str) -> Iterator[Chunker]:
    """A `chunk_text` backed by the cache of `index_root` for `model`'s tokenizer; saved when the block ends,
    also by an error or Ctrl-C (an ingest interrupted while embedding has split every document: the next one
    does not split them again)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)
    cache = ChunkCache(index_root / FOLDER / f"{safe}.json")
    try:
        yield cache.chunk_text
    except BaseException:
        with contextlib.suppress(OSError):  # (a full disk: the error being raised says so)
            cache.flush(complete=False)
        raise
    cache.flush()
