"""The answering models' JSON files (confidence-model.json, ranker-model.json): read, write, refuse.

    ModelFileError                  a model file is missing, unreadable or does not fit the answerer
    read_model_json(path, what=, refit=)   the parsed JSON, or ModelFileError naming the file and the refit command
    write_model_json(path, data)    indented JSON, written atomically (a temporary file renamed)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docqa.errors import DocqaError

__all__ = ["ModelFileError", "read_model_json", "write_model_json"]


class ModelFileError(DocqaError):
    """An answering model file is missing, unreadable or does not fit the answerer's features."""


def read_model_json(path: Path, *, what: str, refit: str) -> Any:
    """The JSON at `path`; ModelFileError saying which model (`what`) and how to recreate it (`refit`) if it is
    missing, unreadable or not JSON."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"{what} file not found: {path} (refit with {refit})") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelFileError(f"{what} file {path} is unreadable or not JSON: {error}") from None


def write_model_json(path: Path, data: Any) -> None:
    """Write `data` to `path` as indented JSON (atomically: a temporary file renamed)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
