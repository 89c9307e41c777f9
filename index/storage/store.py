"""One index version on disk: FAISS vectors, chunk store, sentence store, manifest.

    manifest.json          format version, model, dimension, chunking, documents, counts
    documents.json         [{doc_id, title, source, hash, language, site, language_links: [{language, label, url}] where any}]
    chunks.bin             chunk texts, UTF-8, back to back
    chunks.npy             int64 [n, 5]: byte start, byte end (in chunks.bin), document index, start, end
    chunk_sentences.npy    int64 [n, 2]: each chunk's sentence rows [lo, hi)
    sentences.npy          int64 [m, 2]: sentence spans (document offsets), each sentence once
    sentence_vectors.npy   float16 [m, dim]: sentence embeddings for answer selection
    vectors.faiss          the chunk embeddings (inner product on normalised vectors; flat, IVF or HNSW by size: storage/vector_index.py)
    bm25/                  the bm25s lexical index over title + chunk text, and its tokenizer (storage/bm25.py)

The manifest is written last, so a directory without one is never a complete version; it
records each other file's size and SHA-256 (storage/checksums.py), checked on load. Nothing is
memory-mapped: a mapped file shortened on disk kills the process at its next use. The vectors,
the small arrays and BM25 are read into memory on load; chunk texts and sentence vectors, the
large ones, are read a few rows per question (storage/row_file.py), each read checked against
the file as it was loaded, so damage after loading fails that request with `IndexDamaged`.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from docqa.index.storage import checksums, vector_index
from docqa.index.storage.sources import cited_source
from docqa.index.storage.row_file import NPY_DAMAGE, NpyRows, StoredBytes
from docqa.errors import DocqaError, IndexDamaged, IndexMismatch, IndexNotFound
from docqa.index.storage.versions import MANIFEST

if TYPE_CHECKING:
    from docqa.index.storage.bm25 import BM25Index

FORMAT_VERSION = 1


@dataclass(frozen=True)
class LanguageLink:
    """A web page's link to itself, or to its site, in another language (its language switcher: "Version française")."""

    language: str
    """The other language's ISO 639-1 code ("fr")."""
    label: str
    """The link's text as the page shows it ("Version française"), else the language's English name."""
    url: str
    """Where it leads (absolute when the page's own address is known)."""


@dataclass(frozen=True)
class DocumentRecord:
    """What the index keeps of a source document."""

    doc_id: str
    title: str
    source: str
    hash: str
    language: str | None = None
    """The document's language ("en", "fr", or as a crawled page declared it); None in indexes written before it was kept."""
    site: str | None = None
    """The name of the site the document belongs to (an HTML page's banner or metadata); None if it has none or the
    index was written before it was kept."""
    language_links: tuple[LanguageLink, ...] = ()
    """An HTML page's links to its versions in other languages (ingest/language_links.py); () for other documents
    and in indexes written before they were kept."""

    def to_json(self) -> dict[str, Any]:
        """The record as documents.json holds it: without `language_links` when it has none, so that a docqa from
        before they were kept (a rollback) still reads the index."""
        data = asdict(self)
        if not self.language_links:
            del data["language_links"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "DocumentRecord":
        """The record `to_json` wrote to documents.json."""
        links = tuple(LanguageLink(**link) for link in data.get("language_links", ()))
        return cls(**{**data, "language_links": links})


@dataclass(frozen=True)
class Chunk:
    """A passage of a document, with offsets into the document's text."""

    chunk_id: int
    document: DocumentRecord
    text: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]
    """Sentence spans relative to `text`."""
    sentence_rows: tuple[int, ...]
    """Row of each sentence in the sentence store (for its embedding)."""


@dataclass(frozen=True)
class Manifest:
    """The description of one index version (manifest.json)."""

    model: str
    dim: int
    chunking: dict
    documents: list[dict]
    counts: dict
    format_version: int = FORMAT_VERSION
    created_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    index_type: str = "auto"
    """flat | ivf | hnsw (storage/vector_index.py); "auto" is resolved when the version is written (see `save`)."""
    bm25: dict = field(default_factory=dict)
    """BM25 settings (storage/bm25.py BM25Settings); empty for indexes written before BM25."""
    files: dict = field(default_factory=dict)
    """Every other file of the version: relative path → {"bytes", "sha256"} (storage/checksums.py);
    empty for versions written before checksums (loaded unchecked)."""

    @classmethod
    def read(cls, folder: Path) -> "Manifest":
        try:
            data = json.loads((folder / MANIFEST).read_text())
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise IndexDamaged(f"index version {folder.name} is damaged: its manifest is unreadable") from exc
        version = data.get("format_version")
        if version != FORMAT_VERSION:
            raise IndexMismatch(
                f"The index in {folder} has format version {version}; this docqa reads version {FORMAT_VERSION}. "
                "Rebuild it with: docqa ingest"
            )
        known = {f for f in cls.__dataclass_fields__}
        files = data.get("files", {})
        try:
            if not isinstance(files, dict) or not all(isinstance(entry, dict) for entry in files.values()):
                raise TypeError("files is not a mapping of file entries")
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError as exc:  # valid JSON of the wrong shape: a field missing, a record not an object
            raise IndexDamaged(f"index version {folder.name} is damaged: its manifest is incomplete") from exc

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")


@dataclass(frozen=True)
class IndexContents:
    """Everything that goes into one index version, in memory."""

    documents: list[DocumentRecord]
    chunk_texts: list[str]
    chunk_doc: np.ndarray  # int64 [n]: index into documents
    chunk_spans: np.ndarray  # int64 [n, 2]: document offsets
    chunk_sentences: np.ndarray  # int64 [n, 2]: sentence rows [lo, hi)
    chunk_vectors: np.ndarray  # float32 [n, dim]
    sentence_spans: np.ndarray  # int64 [m, 2]: document offsets
    sentence_vectors: np.ndarray  # float32 [m, dim]


def check_compatible(manifest: Manifest, *, model: str, dim: int | None = None) -> None:
    """Refuse an index built with another model or dimension, with a clear message."""
    if manifest.model != model:
        raise IndexMismatch(
            f"This index was built with the model {manifest.model!r}, but docqa is set to use {model!r}. "
            f"Use --model {manifest.model} or rebuild the index with docqa ingest."
        )
    if dim is not None and manifest.dim != dim:
        raise IndexMismatch(f"This index has {manifest.dim}-dimensional vectors but the model produces {dim}. Rebuild it.")


def save(folder: Path, contents: IndexContents, manifest: Manifest, *, index_type: str = "auto") -> None:
    """Write one complete index version into `folder` (manifest last).

    `index_type` (auto | flat | ivf | hnsw, see vector_index.py) picks the vector index; "auto"
    defers to `manifest.index_type`, itself "auto" (by size) unless set. The manifest records
    the concrete type.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "documents.json").write_text(json.dumps([d.to_json() for d in contents.documents], ensure_ascii=False))
    encoded = [t.encode("utf-8") for t in contents.chunk_texts]
    ends = np.cumsum([len(b) for b in encoded], dtype=np.int64)
    starts = ends - np.array([len(b) for b in encoded], dtype=np.int64)
    with open(folder / "chunks.bin", "wb") as handle:
        for blob in encoded:
            handle.write(blob)
    table = np.column_stack([starts, ends, contents.chunk_doc, contents.chunk_spans]).astype(np.int64).reshape(-1, 5)
    np.save(folder / "chunks.npy", table)
    np.save(folder / "chunk_sentences.npy", contents.chunk_sentences.astype(np.int64).reshape(-1, 2))
    np.save(folder / "sentences.npy", contents.sentence_spans.astype(np.int64).reshape(-1, 2))
    np.save(folder / "sentence_vectors.npy", contents.sentence_vectors.astype(np.float16))
    requested = manifest.index_type if (index_type or "auto").strip().lower() == "auto" else index_type
    kind = vector_index.choose(len(contents.chunk_vectors), requested)
    manifest = replace(manifest, index_type=kind)
    vector_index.write(vector_index.build(contents.chunk_vectors, dim=manifest.dim, index_type=kind), folder / "vectors.faiss")
    _save_bm25(folder, contents, manifest)
    replace(manifest, files=checksums.digest_files(folder, skip=MANIFEST)).write(folder)


def _bm25_texts(documents: list[DocumentRecord], chunk_texts: list[str], chunk_doc, settings) -> list[str]:
    from docqa.index.storage.bm25 import chunk_terms_text

    return [chunk_terms_text(documents[int(d)].title, t, settings=settings) for t, d in zip(chunk_texts, chunk_doc)]


def _save_bm25(folder: Path, contents: IndexContents, manifest: Manifest) -> None:
    from docqa.index.storage.bm25 import FOLDER, BM25Index, BM25Settings

    settings = BM25Settings(**manifest.bm25)
    texts = _bm25_texts(contents.documents, contents.chunk_texts, contents.chunk_doc, settings)
    BM25Index.build(texts, settings=settings).save(folder / FOLDER)


class LoadedIndex:
    """A read-only index version: chunks by id, sentence vectors, the chunk vectors (`vectors`) and BM25 (`bm25`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest = Manifest.read(folder)
        what = f"index version {folder.name}"
        checksums.verify(folder, self.manifest.files, what=what)
        reading = "documents.json"
        try:
            self.documents = [
                replace(record, source=cited_source(record.doc_id, record.source))
                for record in (DocumentRecord.from_json(d) for d in json.loads((folder / reading).read_text()))
            ]
            reading = "chunks.npy"
            self._table = np.load(folder / reading)
            reading = "chunk_sentences.npy"
            self._chunk_sentences = np.load(folder / reading)
            reading = "sentences.npy"
            self._sentences = np.load(folder / reading)
            reading = "sentence_vectors.npy"
            self.sentence_vectors = NpyRows(folder / reading, what=f"{what}: {reading}")
            reading = "chunks.bin"
            self._texts = StoredBytes(folder / reading, what=f"{what}: {reading}")
            reading = "vectors.faiss"
            self.vectors: vector_index.VectorIndex = vector_index.read(folder / reading)
        except (*NPY_DAMAGE, RuntimeError, TypeError) as exc:  # damage the checksums could not see
            raise IndexDamaged(f"{what} is damaged or incomplete: {reading} cannot be read") from exc
        if self.vectors.dim != self.manifest.dim or len(self.vectors) != len(self._table):
            raise IndexMismatch(f"{what} is inconsistent with its manifest. Rebuild it.")

    def __len__(self) -> int:
        return len(self._table)

    @property
    def faiss(self) -> Any:
        """The raw FAISS object behind `vectors` (benchmarks and tests); search goes through `vectors`."""
        return self.vectors.raw

    @functools.cached_property
    def bm25(self) -> "BM25Index":
        """The lexical index (storage/bm25.py) with its saved tokenizer, loaded on first use.

        An index written before BM25 existed gets one built in memory from its chunks.
        """
        from docqa.index.storage.bm25 import FOLDER, BM25Index, BM25Settings

        if (self.folder / FOLDER).is_dir():  # with the tokenizer it was built with (older ones: docqa's then)
            try:
                loaded = BM25Index.load(self.folder / FOLDER)
            except DocqaError as exc:
                raise IndexDamaged(f"index version {self.folder.name} is damaged: its BM25 index cannot be read") from exc
            if len(loaded) != len(self):
                raise IndexMismatch(f"The BM25 index of index version {self.folder.name} does not match its chunks. Rebuild it.")
            return loaded
        settings = BM25Settings(**self.manifest.bm25)
        texts = [self.chunk(i).text for i in range(len(self))]
        return BM25Index.build(_bm25_texts(self.documents, texts, self._table[:, 2], settings), settings=settings)

    def chunk(self, chunk_id: int) -> Chunk:
        """The chunk stored under `chunk_id` (its FAISS row)."""
        b0, b1, doc, start, end = self._table[chunk_id].tolist()
        lo, hi = self._chunk_sentences[chunk_id].tolist()
        spans = tuple((s - start, e - start) for s, e in self._sentences[lo:hi].tolist())
        return Chunk(
            chunk_id=chunk_id,
            document=self.documents[doc],
            text=self._texts[b0:b1].decode("utf-8"),
            start=start,
            end=end,
            sentences=spans,
            sentence_rows=tuple(range(lo, hi)),
        )


def load(folder: Path, *, model: str | None = None) -> LoadedIndex:
    """Load one index version, refusing one built with another model."""
    if not (folder / MANIFEST).is_file():
        raise IndexNotFound(f"No index manifest in {folder}")
    loaded = LoadedIndex(folder)
    if model is not None:
        check_compatible(loaded.manifest, model=model)
    return loaded
