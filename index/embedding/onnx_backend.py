"""The ONNX Runtime embedding backend: onnxruntime + tokenizers only, no torch on this path.

Same vectors as sentence-transformers (same tokenizer file, truncation, pooling and
normalisation; int8 weights give cosine ≥ 0.99 to fp32), so the model name recorded in
the manifest is the same and an index built with one backend serves with the other.
The ONNX file is the prepared one shipped with the model (shipped.py; its checksum is
verified on load), else exported once into the cache (onnx_export.py; needs the torch extra).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from docqa.errors import InvalidInput
from docqa.index.embedding.token_vectors import TokenMemo, TokenVectors, from_hidden


SUBMITTED_AT_ONCE = 4096
"""Texts handed to the threads at a time (a million queued futures would hold hundreds of MB)."""


def _model_max_tokens(model_dir: Path) -> int:
    config = model_dir / "sentence_bert_config.json"
    if config.is_file():
        value = json.loads(config.read_text()).get("max_seq_length")
        if value:
            return int(value)
    return int(json.loads((model_dir / "config.json").read_text()).get("max_position_embeddings", 512))


class OnnxEmbedder:
    """A sentence-transformers folder served by ONNX Runtime (loaded lazily, once)."""

    def __init__(
        self,
        name: str,
        model_dir: Path,
        *,
        preset: str = "int8",
        threads: int | None = None,
        onnx_file: Path | None = None,
        sha256: str | None = None,
        cache_dir: Path | str | None = None,
    ) -> None:
        """`onnx_file` (with its expected `sha256`, checked on load) serves a prepared file; without it
        the model folder is exported into `cache_dir` on first load. `threads`: cores for bulk work."""
        if not (model_dir / "tokenizer.json").is_file():
            raise InvalidInput(f"The ONNX backend needs a model folder with tokenizer.json; {model_dir} has none. Set DOCQA_BACKEND=torch.")
        self.name = name
        self.model_dir = model_dir
        self.preset = preset
        self.variant = f"onnx-{preset}"
        self.onnx_file = onnx_file
        self._sha256 = sha256
        self._cache_dir = cache_dir
        self._max_tokens = _model_max_tokens(model_dir)
        self._cores = threads or os.cpu_count() or 1
        self._session = None
        self._tokenizer = None
        self._counter = None
        self._dim: int | None = None
        self._lock = threading.Lock()
        self._executor = None
        self._tokens = TokenMemo()
        self._token_output = False

    def _new_session(self, threads: int):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # No busy-waiting between batches: the CPU is shared with the web server and other requests.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        path = self._onnx_path()
        try:
            return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own kinds (Fail, InvalidGraph...): one message for the user
            raise InvalidInput(f"ONNX Runtime cannot load the model file {path}: {exc}") from exc

    def _onnx_path(self) -> Path:
        if self.onnx_file is not None:
            from docqa.index.embedding.shipped import verify

            return verify(self.onnx_file, self._sha256) if self._sha256 else self.onnx_file
        from docqa.index.embedding.onnx_export import ensure_exported

        return ensure_exported(self.model_dir, name=self.name, preset=self.preset, cache_dir=self._cache_dir)

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            from tokenizers import Tokenizer

            # One thread per call: a lone question runs faster on one core than split over two
            # (measured), and bulk work runs one call per core side by side (`embed`).
            session = self._new_session(1)
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tokenizer.no_padding()
            tokenizer.enable_truncation(max_length=self._max_tokens)
            self._dim = int(session.get_outputs()[0].shape[-1]) if isinstance(session.get_outputs()[0].shape[-1], int) else None
            self._inputs = {i.name for i in session.get_inputs()}
            # Files exported before EXPORT_VERSION 2 give the sentence vector only (token_vectors then gives None).
            self._token_output = len(session.get_outputs()) > 1
            self._tokenizer = tokenizer
            self._session = session
            if self._dim is None:
                self._dim = int(self._run("dimension probe").shape[0])

    @property
    def dim(self) -> int:
        self._load()
        assert self._dim is not None
        return self._dim

    @property
    def max_tokens(self) -> int:
        return self._max_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if self._counter is None:
            # Counting needs only the tokenizer, untruncated: no model load; and a server never builds it (~8 MB).
            from tokenizers import Tokenizer

            counter = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            counter.no_padding()
            counter.no_truncation()
            self._counter = counter
        return [len(e.ids) for e in self._counter.encode_batch(list(texts), add_special_tokens=False)]

    def _run(self, text: str, *, keep_tokens: bool = False) -> np.ndarray:
        encoded = self._tokenizer.encode(text)
        ids = np.array([encoded.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.array([encoded.attention_mask], dtype=np.int64)}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        outputs = self._session.run(None, feeds)
        if keep_tokens and self._token_output:
            self._tokens.put(text, from_hidden(outputs[1][0], encoded.offsets))
        return outputs[0][0]

    def token_vectors(self, text: str) -> TokenVectors | None:
        """`text`'s word pieces in context (token_vectors.py): from the memo when the text was embedded as a question
        or asked for lately, else from one model run; None when the ONNX file has no token output."""
        self._load()
        if not self._token_output:
            return None
        found = self._tokens.get(text)
        if found is None:
            self._run(text, keep_tokens=True)
            found = self._tokens.get(text)
        return found

    def embed_together(self, texts: Sequence[str]) -> np.ndarray:
        """Concurrent questions (query_batcher.py): one padded run for up to 8, else two runs side by side.

        In a busy server every run takes its turn of the GIL among the request threads, so few runs beat one
        run per text (178 against 136 requests/s at 16 clients, measured). Their int8 vectors then shift a
        little with each other (cosine ≥ 0.95); an index's texts never go this way (`embed`)."""
        self._load()
        if len(texts) <= 8:
            return self._run_together(texts)
        half = -(-len(texts) // 2)
        parts = list(self._pool().map(self._run_together, (texts[:half], texts[half:])))
        return np.concatenate(parts)

    def _run_together(self, texts: Sequence[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.zeros((len(encoded), max(len(e.ids) for e in encoded)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encoded):
            ids[row, : len(e.ids)], mask[row, : len(e.ids)] = e.ids, 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        outputs = self._session.run(None, feeds)
        if self._token_output:  # questions: the answerer reads their token vectors next
            for row, (text, e) in enumerate(zip(texts, encoded)):
                self._tokens.put(text, from_hidden(outputs[1][row, : len(e.ids)], e.offsets))
        return outputs[0]

    def embed(self, texts: Sequence[str], *, batch_size: int = 16, progress: bool = False) -> np.ndarray:
        """One run per text, side by side on the cores (`batch_size` is ignored).

        A text's vector never depends on what else is embedded with it: int8 dynamic quantisation scales
        each run's activations together, so batch-mates changed vectors by up to 0.05 in cosine (an ingest
        on Ray against a local one, the embedding cache). One text per run also wastes nothing on padding:
        measured as fast as batches of 16 in fp32 and 1.4x faster in int8 (BENCHMARKS.md)."""
        self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) == 1:  # a question (or a one-text ingest): the answerer reads its token vectors next
            return self._run(texts[0], keep_tokens=True)[None, :]
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="embedding", unit="text")

        def run(row: int) -> None:
            out[row] = self._run(texts[row])
            if bar is not None:
                bar.update(1)

        # Independent single-threaded runs, one per core: no per-operator barrier to stall on
        # when another process takes a core (measured faster than one run over all cores).
        try:
            for start in range(0, len(texts), SUBMITTED_AT_ONCE):
                list(self._pool().map(run, range(start, min(len(texts), start + SUBMITTED_AT_ONCE))))
        finally:  # a failed text still ends the progress bar's line
            if bar is not None:
                bar.close()
        return out

    def _pool(self):
        with self._lock:
            if self._executor is None:
                from concurrent.futures import ThreadPoolExecutor

                self._executor = ThreadPoolExecutor(max_workers=self._cores, thread_name_prefix="docqa-embed")
            return self._executor
