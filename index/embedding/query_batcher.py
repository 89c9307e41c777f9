"""Micro-batching of concurrent one-text embeddings (the questions of concurrent requests).

While one model call runs, questions arriving from other threads queue up; the next
thread to find the model free embeds all of them in one call. No timer and no extra
thread: a lone request is embedded at once, so there is no added latency when idle.
One batched forward pass over the CPU's cores does more per second than several
small ones competing for them.
"""

from __future__ import annotations

import threading
from typing import Sequence

import numpy as np

from docqa.index.embedding.embedder import Embedder
from docqa.index.embedding.token_vectors import TokenVectors, token_vectors_of


class _Slot:
    __slots__ = ("text", "vector", "error")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None

    @property
    def done(self) -> bool:
        return self.vector is not None or self.error is not None


class QueryBatcher:
    """An `Embedder` that batches concurrent single-text `embed` calls; anything else goes straight through."""

    def __init__(self, inner: Embedder, *, max_batch: int = 32) -> None:
        self.inner = inner
        self.name = inner.name
        self.variant = getattr(inner, "variant", "")
        self.max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Slot] = []
        self._busy = False
        self.batches = 0
        """Model calls made for single texts (a test and the benchmarks read it)."""

    @property
    def dim(self) -> int:
        return self.inner.dim

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.inner.count_tokens(texts)

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if len(texts) != 1:
            return self.inner.embed(texts, batch_size=batch_size, progress=progress)
        return self._embed_one(texts[0]).reshape(1, -1)

    def token_vectors(self, text: str) -> TokenVectors | None:
        return token_vectors_of(self.inner, text)

    def embed_together(self, texts: Sequence[str]) -> np.ndarray:
        """A few texts as one batch of the inner embedder's (see `embed_together` below)."""
        return embed_together(self.inner, list(texts))

    def _embed_one(self, text: str) -> np.ndarray:
        slot = _Slot(text)
        with self._cond:
            self._pending.append(slot)
        while True:
            with self._cond:
                while not slot.done and self._busy:
                    self._cond.wait()
                if slot.done:
                    break
                self._busy = True  # this thread leads the next batch
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
            try:
                vectors = embed_together(self.inner, [s.text for s in batch])
                for s, vector in zip(batch, vectors):
                    s.vector = vector
            except BaseException as exc:  # handed to every waiting caller, raised in each
                for s in batch:
                    s.error = exc
            finally:
                with self._cond:
                    self.batches += 1
                    self._busy = False
                    self._cond.notify_all()
        if slot.error is not None:
            raise slot.error
        assert slot.vector is not None
        return slot.vector


def embed_together(embedder: "Embedder", texts: list[str]) -> np.ndarray:
    """`texts` embedded as one batch where the backend offers it (`embed_together`: few runs, few GIL turns), else `embed`."""
    together = getattr(embedder, "embed_together", None)
    return together(texts) if together is not None else embedder.embed(texts, batch_size=len(texts))
