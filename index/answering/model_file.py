"""The answering models' JSON files (confidence-model.json, ranker-model.json): read, write, refuse.

    ModelFileError                  a model file is missing, unreadable or does not fit the answerer
    read_model_json(path, what=, refit=)   the parsed JSON, or ModelFileError naming the file and the refit command
    write_model_json(path, data)    indented JSON, written atomically (a temporary file renamed)
    model_from_json(data, format=, what=, build=)   a model from its JSON: the format checked, its feature table read
    load_model_file(path, what=, refit=, from_json=)  read_model_json then from_json, errors naming the file
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Mapping, TypeVar

from docqa.errors import DocqaError

__all__ = ["ModelFileError", "load_model_file", "model_from_json", "read_model_json", "write_model_json"]

Model = TypeVar("Model")


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


def model_from_json(
    data: Any, *, format: str, what: str, build: Callable[[tuple[str, ...], Callable[[str], tuple[float, ...]]], Model]
) -> Model:
    """`build(names, column)` on a model file's JSON: `names` its features in order, `column(key)` each one's `key`
    value ("mean", "weight"...). ModelFileError when the format is not `format` or anything is missing or malformed."""
    if not isinstance(data, Mapping) or data.get("format") != format:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise ModelFileError(f"{what}: expected format {format!r}, found {found!r}")
    try:
        table = data["features"]
        names = tuple(str(name) for name in table)
        return build(names, lambda key: tuple(float(table[n][key]) for n in names))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ModelFileError(f"{what}: malformed ({type(error).__name__}: {error})") from None


def load_model_file(path: Path, *, what: str, refit: str, from_json: Callable[[Any], Model]) -> Model:
    """The model saved at `path`; ModelFileError naming the file if it is missing, not JSON or malformed."""
    data = read_model_json(path, what=what, refit=refit)
    try:
        return from_json(data)
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None
