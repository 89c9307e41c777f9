"""docqa: answers from an organisation's documents, with the passage they came from.

The public API is small and imported lazily (a plain ``import docqa`` loads no model,
no FAISS, no web framework)::

    from docqa import Assistant, Settings, ingest
    from docqa import DocqaError, InvalidInput, IndexNotFound, IndexMismatch, NothingIndexed

The subpackages follow the data: ``docqa.ingest`` (files → chunks → a new index version),
``docqa.index`` (the index on disk and everything that reads it), ``docqa.server`` (HTTP and CLI).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "Assistant",
    "DocqaError",
    "IndexMismatch",
    "IndexNotFound",
    "InvalidInput",
    "NothingIndexed",
    "Settings",
    "ingest",
]

_WHERE = {
    "Assistant": "docqa.index.assistant",
    "Settings": "docqa.config",
    **{name: "docqa.errors" for name in ("DocqaError", "IndexMismatch", "IndexNotFound", "InvalidInput", "NothingIndexed")},
}

# `ingest` is the subpackage docqa.ingest, which is callable as docqa.ingest.pipeline.ingest
# (ingest/__init__.py): `from docqa import ingest` imports it like any subpackage.

if TYPE_CHECKING:
    from docqa.config import Settings
    from docqa.errors import DocqaError, IndexMismatch, IndexNotFound, InvalidInput, NothingIndexed
    from docqa.index.assistant import Assistant
    from docqa.ingest.pipeline import ingest


def __getattr__(name: str) -> Any:
    if name == "ingest":  # `docqa.ingest` before anything imported the subpackage
        return import_module("docqa.ingest")
    if name not in _WHERE:
        raise AttributeError(f"module 'docqa' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
