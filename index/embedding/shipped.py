"""Models shipped inside the docqa package, ready for the ONNX backend (no torch, no export, no download).

    docqa/models/<name>/
        int8.onnx              transformer + pooling + L2 norm, BERT-fused, int8 weights (per channel)
        tokenizer.json, config.json, sentence_bert_config.json, modules.json, 1_Pooling/config.json
        onnx-model.json        MANIFEST: the ONNX file's sha256, its source, the recipe, the command that re-creates it

Any folder with such a manifest (written by `python -m docqa.index.embedding.onnx_export`) is served
as it is; the ONNX file's checksum is verified when the model loads.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from docqa.errors import InvalidInput

MANIFEST = "onnx-model.json"
"""The file that marks a prepared ONNX model folder."""

CONFIG_FILES = ("tokenizer.json", "config.json", "sentence_bert_config.json", "modules.json", "1_Pooling/config.json")
"""What the ONNX backend reads beside the ONNX file (copied by the export command when present)."""


def models_root() -> Path:
    """docqa/models/ of the installed (or checked-out) docqa package."""
    import docqa

    return Path(docqa.__file__).resolve().parent / "models"


def shipped_model_dir(name: str) -> Path | None:
    """The shipped folder for a model name, or None when docqa ships none for it."""
    folder = models_root() / name
    return folder if (folder / MANIFEST).is_file() else None


def read_manifest(folder: Path) -> dict | None:
    """A prepared folder's manifest, or None for an ordinary (sentence-transformers) folder."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"The model manifest {path} cannot be read ({exc}); reinstall docqa or re-export the model.") from exc
    if not isinstance(manifest, dict) or not {"file", "preset", "sha256"} <= manifest.keys():
        raise InvalidInput(f"The model manifest {path} lacks file, preset or sha256; reinstall docqa or re-export the model.")
    return manifest


def prepared_onnx(folder: Path, preset: str) -> tuple[Path, str] | None:
    """(ONNX file, its expected sha256) when `folder` is a prepared folder holding `preset`, else None."""
    manifest = read_manifest(folder)
    if manifest is None or manifest["preset"] != preset:
        return None
    return folder / manifest["file"], str(manifest["sha256"])


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected_sha256: str) -> Path:
    """`path`, after checking that its sha256 is the manifest's; a missing or damaged file raises InvalidInput."""
    try:
        actual = sha256_of(path)
    except OSError as exc:
        raise InvalidInput(f"The model file {path} cannot be read ({exc.strerror or exc}); reinstall docqa.") from exc
    if actual != expected_sha256:
        raise InvalidInput(
            f"The model file {path} is damaged: sha256 {actual[:16]}… instead of {expected_sha256[:16]}…; reinstall docqa "
            "(or re-create the file with the command in its folder's onnx-model.json)."
        )
    return path
