"""Optional dependencies of the embedding code, checked before use so a missing one is one clear line.

The core install serves and ingests with ONNX Runtime. torch, sentence-transformers, transformers,
onnx and the model's safetensors come with the `torch` extra (`pip install 'docqa[torch]'`).
"""

from __future__ import annotations

import importlib.util
import os
from typing import Sequence

from docqa.errors import InvalidInput

TORCH_EXTRA = "pip install 'docqa[torch]'"

TORCH_MODULES = ("torch", "sentence_transformers")
"""What the sentence-transformers backends (torch, torch-bf16) import."""

EXPORT_MODULES = ("torch", "transformers", "onnx")
"""What an ONNX export and quantisation import."""


def installed(modules: Sequence[str]) -> bool:
    """Whether every module can be imported (found, not imported: cheap)."""
    return all(importlib.util.find_spec(module) is not None for module in modules)


def require(modules: Sequence[str], *, purpose: str) -> None:
    """Raise InvalidInput naming the torch extra when any of `modules` is not installed."""
    missing = [module for module in modules if importlib.util.find_spec(module) is None]
    if missing:
        raise InvalidInput(f"{purpose} needs {', '.join(missing)}, which this install lacks: {TORCH_EXTRA}")


HUGGING_FACE_QUIET = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}
"""Hugging Face libraries' own variables: offline (nothing downloaded at run time), no progress bars, errors only."""


def quiet_offline_hugging_face() -> None:
    """Set `HUGGING_FACE_QUIET` (where the user has not set them) before transformers or sentence-transformers load."""
    for name, value in HUGGING_FACE_QUIET.items():
        os.environ.setdefault(name, value)
