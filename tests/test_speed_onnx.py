"""The ONNX backend: backend choice, export cache, and (with the real model) agreement with sentence-transformers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from docqa.index.embedding import onnx_export
from docqa.index.embedding.embedder import get_embedder, resolve_backend
from docqa.errors import InvalidInput


def test_auto_backend_is_onnx_for_a_folder_and_torch_for_a_hub_name(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    assert resolve_backend("auto", str(tmp_path)) == "onnx"
    assert resolve_backend(None, "some-org/some-model") == "torch"
    assert resolve_backend("torch", str(tmp_path)) == "torch"
    with pytest.raises(InvalidInput):
        resolve_backend("tensorflow", str(tmp_path))


def test_backend_setting_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    monkeypatch.setenv("DOCQA_BACKEND", "torch")
    assert resolve_backend(None, str(tmp_path)) == "torch"


def test_amx_bf16_is_read_from_the_cpu_flags(tmp_path: Path) -> None:
    from docqa.index.embedding.embedder import cpu_has_amx_bf16

    info = tmp_path / "cpuinfo"
    info.write_text("model name\t: Xeon\nflags\t\t: fpu avx2 amx_bf16 amx_tile\n")
    assert cpu_has_amx_bf16(info)
    info.write_text("model name\t: Xeon amx_bf16 edition\nflags\t\t: fpu avx2 amx_tile avx512_bf16\n")
    assert not cpu_has_amx_bf16(info)
    assert not cpu_has_amx_bf16(tmp_path / "missing")


def test_split_embedder_sends_large_batches_to_its_large_backend() -> None:
    from tests.conftest import FakeEmbedder
    from docqa.index.embedding.embedder import SplitEmbedder

    calls = []

    class Recording(FakeEmbedder):
        def __init__(self, label: str) -> None:
            self.label = label

        def embed(self, texts, **options):
            calls.append((self.label, len(texts)))
            return super().embed(texts)

    small = Recording("small")
    split = SplitEmbedder(small, Recording("large"), large_from=3)
    assert split.embed(["a", "b"]).shape == (2, small.dim) and split.embed(["a", "b", "c"]).shape == (3, small.dim)
    assert calls == [("small", 2), ("large", 3)]
    assert split.name == small.name and split.dim == small.dim and split.count_tokens(["a b"]) == small.count_tokens(["a b"])


def test_export_folder_follows_model_files_and_cache_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    monkeypatch.setenv("DOCQA_CACHE", str(tmp_path / "cache"))
    first = onnx_export.export_dir(model, "my/model")
    assert first.parent == tmp_path / "cache" / "onnx" and first.name.startswith("my_model-")
    (model / "config.json").write_text('{"changed": true}')
    assert onnx_export.export_dir(model, "my/model") != first


def test_pooling_modes(tmp_path: Path) -> None:
    (tmp_path / "1_Pooling").mkdir()
    modules = [
        {"path": "", "type": "sentence_transformers.models.Transformer"},
        {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    (tmp_path / "modules.json").write_text(json.dumps(modules))
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_mean_tokens": True}))
    assert onnx_export.pooling_mode(tmp_path) == "mean"
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    assert onnx_export.pooling_mode(tmp_path) == "cls"
    (tmp_path / "modules.json").write_text(json.dumps(modules + [{"path": "2_Dense", "type": "sentence_transformers.models.Dense"}]))
    with pytest.raises(InvalidInput):
        onnx_export.pooling_mode(tmp_path)


def test_unknown_preset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        onnx_export.ensure_exported(tmp_path, name="x", preset="int4")


SAMPLE = [
    "The Danube flows through ten countries.",
    "What is the boundary layer thickness on a flat plate at high Mach number?",
    "Experimental investigation of the aerodynamics of a wing in a slipstream. An experimental study of a wing in a "
    "propeller slipstream was made in order to determine the spanwise distribution of the lift increase due to "
    "slipstream at different angles of attack of the wing and at different free stream to slipstream velocity ratios.",
    "Bonjour, où se trouve la gare ?",
    "x",
    "Ingest builds a new index version and publishes it atomically. " * 30,  # longer than the model reads
]


@pytest.mark.model
def test_quantised_backend_stays_within_the_cosine_bound_of_sentence_transformers() -> None:
    onnx = get_embedder(backend="onnx")
    torch = get_embedder(backend="torch")
    assert onnx.name == torch.name and onnx.dim == torch.dim and onnx.max_tokens == torch.max_tokens
    assert onnx.count_tokens(SAMPLE) == torch.count_tokens(SAMPLE)
    ours, reference = onnx.embed(SAMPLE), torch.embed(SAMPLE)
    assert ours.dtype == np.float32 and ours.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.mean() >= 0.99 and cosine.min() >= 0.97, cosine
    # Activations are quantised per batch, so a text's vector depends a little on its batch: alone it stays in bound too.
    alone = np.vstack([onnx.embed([t]) for t in SAMPLE])
    assert (alone * reference).sum(axis=1).min() >= 0.97


@pytest.mark.model
def test_bf16_backend_stays_within_the_cosine_bound_of_fp32() -> None:
    ours, reference = get_embedder(backend="torch-bf16").embed(SAMPLE), get_embedder(backend="torch").embed(SAMPLE)
    cosine = (ours * reference).sum(axis=1)
    assert ours.dtype == np.float32 and cosine.mean() >= 0.99 and cosine.min() >= 0.97, cosine


@pytest.mark.model
def test_index_built_with_one_backend_serves_with_the_other(corpus_index: Path) -> None:
    from docqa.index.assistant import Assistant

    for backend in ("onnx", "torch"):
        assistant = Assistant(corpus_index, embedder=get_embedder(backend=backend))
        passages = assistant.search("personalised medicine", k=3)
        assert passages and passages[0].score > 0.3


@pytest.mark.model
def test_answering_with_the_default_backend_never_imports_torch(corpus_index: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from docqa.index.assistant import Assistant; "
        f"a = Assistant.open(Path({str(corpus_index)!r}), model='all-MiniLM-L6-v2'); a.ask('What is personalised medicine?'); "
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
