"""What a document's source shows to visitors: a URL, or a file's path relative to the folder ingested.

Imported by the loaders (light: no numpy) and by the index reader (indexes written before this kept paths)."""

from __future__ import annotations

from pathlib import PurePosixPath


def cited_source(doc_id: str, source: str) -> str:
    """What answers show as a document's source: a URL as it is; a file's path relative to the folder ingested
    (its `doc_id`), or its name, never a path of the machine that ingested it (indexes written before this
    recorded the path as given to `docqa ingest`: they are shown the same way without re-ingesting)."""
    if "://" in source:
        return source
    if not PurePosixPath(doc_id).is_absolute() and (source == doc_id or source.endswith("/" + doc_id)):
        return doc_id
    return PurePosixPath(source).name if PurePosixPath(source).is_absolute() else source
