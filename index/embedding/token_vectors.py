"""A text's word pieces as the model reads them in context: the last layer's token vectors, before pooling.

The embedding backends give them beside the sentence vector (the ONNX file's second output, sentence-transformers'
`token_embeddings`); the answerer compares a question's pieces with its answer's (answering/token_support.py).
They are never stored: a backend keeps the latest texts' in a small memo, so the question just embedded for
retrieval, and the sentences answered again and again, cost no second model run.

    TokenVectors         unit vectors, one row per word piece, and each piece's (start, end) in the text
    from_hidden          a model's hidden states and the tokenizer's offsets → TokenVectors (special tokens left out)
    TokenMemo            a thread-safe memo of at most MEMO_BYTES: text → TokenVectors
    token_vectors_of     an embedder's TokenVectors for a text, or None when it cannot give them
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["MEMO_BYTES", "TokenMemo", "TokenVectors", "from_hidden", "token_vectors_of"]

MEMO_BYTES = 32 * 1024 * 1024
"""What a backend's memo holds at most (float16: ~30 KB a sentence, so about a thousand sentences; fewer long ones)."""


@dataclass(frozen=True)
class TokenVectors:
    """One row per word piece of a text (special tokens left out): L2-normalised vectors and (start, end) offsets."""

    vectors: np.ndarray
    offsets: tuple[tuple[int, int], ...]


def from_hidden(hidden: np.ndarray, offsets: Sequence[tuple[int, int]]) -> TokenVectors:
    """TokenVectors from one text's hidden states (tokens × dim) and its tokenizer offsets; pieces with an empty
    span ([CLS], [SEP], padding) are left out."""
    rows = [i for i, (start, end) in enumerate(offsets[: len(hidden)]) if end > start]
    vectors = np.asarray(hidden, dtype=np.float32)[rows]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float16)
    return TokenVectors(vectors=vectors, offsets=tuple((int(offsets[i][0]), int(offsets[i][1])) for i in rows))


class TokenMemo:
    """The latest texts' TokenVectors, at most `max_bytes` of vectors, least recently used dropped first; thread-safe."""

    def __init__(self, max_bytes: int = MEMO_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, TokenVectors] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, text: str) -> TokenVectors | None:
        with self._lock:
            found = self._items.get(text)
            if found is not None:
                self._items.move_to_end(text)
            return found

    def put(self, text: str, vectors: TokenVectors) -> None:
        with self._lock:
            earlier = self._items.pop(text, None)
            if earlier is not None:
                self._bytes -= earlier.vectors.nbytes
            self._items[text] = vectors
            self._bytes += vectors.vectors.nbytes
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.vectors.nbytes


def token_vectors_of(embedder: object, text: str) -> TokenVectors | None:
    """`embedder.token_vectors(text)` where the embedder offers it (the ONNX and sentence-transformers backends and
    their wrappers do; an ONNX file exported before token vectors were an output gives None), else None."""
    provider = getattr(embedder, "token_vectors", None)
    return provider(text) if provider is not None else None
