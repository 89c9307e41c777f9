"""One-time conversion of a sentence-transformers folder into ONNX files docqa can serve without torch.

    <cache>/onnx/<name>-<fingerprint>/
        fp32.onnx     transformer + pooling + L2 normalisation, fused for BERT on the CPU
        int8.onnx     the same with dynamically quantised int8 weights (per output channel)

The fingerprint covers the model folder's files (name, size, mtime) and `EXPORT_VERSION`,
so a changed model or a changed recipe exports afresh. Files are written under a temporary
name and renamed into place, so concurrent processes never read half a file.
Only this module imports torch / transformers, and only when a file is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from docqa.errors import InvalidInput

EXPORT_VERSION = 1
PRESETS = ("int8", "fp32")
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def cache_root() -> Path:
    """$DOCQA_CACHE, else $XDG_CACHE_HOME/docqa, else ~/.cache/docqa."""
    explicit = os.environ.get("DOCQA_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "docqa"


def fingerprint(model_dir: Path) -> str:
    """A short hash of the folder's files and the export recipe (cheap: no file is read)."""
    digest = hashlib.sha256(f"export-{EXPORT_VERSION}".encode())
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


def export_dir(model_dir: Path, name: str) -> Path:
    """Where the ONNX files of this model folder live."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cache_root() / "onnx" / f"{safe}-{fingerprint(model_dir)}"


def ensure_exported(model_dir: Path, *, name: str, preset: str = "int8") -> Path:
    """The ONNX file for `preset`, exporting (and quantising) it first if it is not cached."""
    if preset not in PRESETS:
        raise InvalidInput(f"Unknown ONNX preset {preset!r}; choose one of: {', '.join(PRESETS)}")
    folder = export_dir(model_dir, name)
    target = folder / f"{preset}.onnx"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "fp32.onnx"
    if not fp32.is_file():
        _atomic(fp32, lambda tmp: _export_fp32(model_dir, tmp))
    if preset == "int8" and not target.is_file():
        _atomic(target, lambda tmp: _quantise(fp32, tmp))
    return target


def _atomic(target: Path, write) -> None:
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
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
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
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

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
                output_names=["embedding"],
                dynamic_axes={**{k: {0: "batch", 1: "sequence"} for k in INPUTS}, "embedding": {0: "batch"}},
                opset_version=17,
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
