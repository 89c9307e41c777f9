"""Files to clean text to chunks: knows file formats, knows nothing of HTTP.

This package is also docqa's public `ingest` function (`from docqa import ingest`): calling it
calls `docqa.ingest.pipeline.ingest`. One object for the one name `docqa.ingest`, so both
meanings work whichever is imported first (a function bound to that name would hide the
subpackages, `docqa.ingest.beir`..., and Python rebinds the name to the package on its import).
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docqa.ingest.pipeline import IngestReport


class _IngestPackage(types.ModuleType):
    """The `docqa.ingest` package, callable as `docqa.ingest.pipeline.ingest`."""

    def __call__(self, *args: Any, **kwargs: Any) -> "IngestReport":
        """Index the documents under `paths` as a new current version (see `docqa.ingest.pipeline.ingest`)."""
        from docqa.ingest.pipeline import ingest

        return ingest(*args, **kwargs)


sys.modules[__name__].__class__ = _IngestPackage
