"""A BEIR-layout test collection → `Document`s → a cached index for `docqa eval`.

    DIR/corpus.jsonl       {"_id", "title", "text"} per line
    DIR/queries.jsonl      {"_id", "text"} per line        (read by index/evaluation/evaluate.py)
    DIR/qrels/test.tsv     query-id, corpus-id, score       (read by index/evaluation/evaluate.py)

The corpus is indexed once into a cache folder keyed by the corpus content hash,
the model, and the chunking, BM25 and index-format settings; later runs reuse it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from docqa.index.storage.bm25 import BM25Settings
from docqa.index.embedding.embedder import Embedder
from docqa.errors import IndexNotFound, InvalidInput, NothingIndexed
from docqa.ingest.chunker import ChunkingSettings
from docqa.ingest.loaders import Document
from docqa.ingest.pipeline import PhaseCallback, publish_once, settings_fingerprint

CORPUS = "corpus.jsonl"


def is_beir_dir(path: Path) -> bool:
    """Whether `path` looks like a BEIR collection folder."""
    return path.is_dir() and (path / CORPUS).is_file()


def read_corpus(folder: Path) -> Iterator[Document]:
    """The documents of `folder/corpus.jsonl`; the document id is the BEIR `_id`."""
    from docqa.index.evaluation.evaluate import parse_json

    path = folder / CORPUS
    try:
        lines = path.open(encoding="utf-8-sig")  # (a leading byte order mark dropped)
    except OSError as exc:
        raise IndexNotFound(f"Cannot read {path}: {exc.strerror or exc}") from exc
    with lines:
        number = 0
        try:
            for number, line in enumerate(lines, start=1):
                document = _document(parse_json(line, where=f"{path}:{number}"), where=f"{path}:{number}") if line.strip() else None
                if document is not None and document.text:  # (a line with neither title nor text has nothing to index)
                    yield document
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"Cannot read {path}: not UTF-8 text (after line {number}: {exc.reason}); save it as UTF-8") from exc


def _document(row: object, *, where: str) -> Document:
    """One corpus line as a `Document`; `InvalidInput` naming `where` when it is not a BEIR corpus object."""
    if not isinstance(row, dict) or "_id" not in row:
        raise InvalidInput(f"{where}: not a BEIR corpus line (expected an object with \"_id\")")
    if not isinstance(row["_id"], (str, int)) or isinstance(row["_id"], bool):
        raise InvalidInput(f"{where}: \"_id\" must be a string or an integer")
    if not isinstance(row.get("text"), str):
        raise InvalidInput(f"{where}: not a BEIR corpus line (expected \"text\" as a string, \"\" when only the title has words)")
    if row.get("title") is not None and not isinstance(row["title"], str):
        raise InvalidInput(f"{where}: \"title\" must be a string")
    doc_id = str(row["_id"])
    title = " ".join((row.get("title") or "").split())
    return Document(doc_id=doc_id, title=title, source=doc_id, text=row["text"].strip() or title)


def cache_folder(cache: Path) -> Path:
    """Where evaluation indexes are kept under docqa's cache folder (`Settings.cache`)."""
    return cache / "beir"


def cache_key(folder: Path, *, model: str, chunking: ChunkingSettings, bm25: BM25Settings, index_type: str = "auto") -> str:
    """A key that changes with the corpus content, the model or any indexing setting."""
    digest = hashlib.sha256()
    with (folder / CORPUS).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(settings_fingerprint(model=model, chunking=chunking, bm25=bm25, index_type=index_type))
    return digest.hexdigest()[:20]


def prepare_index(
    folder: Path,
    *,
    embedder: Embedder,
    cache: Path,
    chunking: ChunkingSettings = ChunkingSettings(),
    bm25: BM25Settings = BM25Settings(),
    index_type: str = "auto",
    progress: bool = False,
    on_phase: PhaseCallback | None = None,
) -> Path:
    """The index root for the BEIR collection in `folder`, built on first use and kept under `cache`/beir;
    `on_phase` hears each ingest step (and embedding progress) while it is built."""
    if not is_beir_dir(folder):
        raise InvalidInput(f"{folder} is not a BEIR collection (no {CORPUS})")
    key = cache_key(folder, model=embedder.name, chunking=chunking, bm25=bm25, index_type=index_type)
    root = cache_folder(cache) / f"{folder.resolve().name}-{key}"

    def documents() -> list[Document]:
        found = list(read_corpus(folder))
        if not found:
            raise NothingIndexed(f"{folder / CORPUS} holds no document with text")
        return found

    return publish_once(
        root, documents, embedder=embedder, chunking=chunking, keep_versions=1, index_type=index_type, progress=progress, bm25=bm25, on_phase=on_phase
    )
