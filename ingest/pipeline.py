"""ingest(paths) → a new, atomically published index version, and a report."""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from docqa.index.answering.language import detect_language
from docqa.index.embedding import cache as embedding_cache

from docqa.index.storage import store, versions
from docqa.index.storage.bm25 import BM25Settings
from docqa.index.embedding.embedder import Embedder
from docqa.errors import DocqaError, IndexNotFound, InvalidInput, NothingIndexed, StorageError
from docqa.ingest import chunk_cache
from docqa.ingest.chunker import ChunkingSettings, SplitProgress, chunk_text
from docqa.ingest.loaders import SUPPORTED_SUFFIXES, Document, FileLimits, Skipped, load_file, printable_path
from docqa.ingest.pdf_text import stop_helper


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did: counts, the files it skipped and why, the version it wrote."""

    documents: int
    chunks: int
    sentences: int
    skipped: list[Skipped] = field(default_factory=list)
    version: str | None = None


@dataclass(frozen=True)
class Phase:
    """One finished step of an ingest: what it did (`name`), how many of what (`counts`), how long."""

    name: str
    counts: Mapping[str, int]
    seconds: float

    def describe(self) -> str:
        """One plain line, e.g. "split 3 documents into 16 chunks, 120 sentences (0.41 s)"."""
        c = self.counts
        if self.name == "read":
            what = f"read {counted(c['documents'], 'document')}" + (f" ({counted(c['skipped'], 'file')} skipped)" if c.get("skipped") else "")
        elif self.name == "split":
            what = f"split {counted(c['documents'], 'document')} into {counted(c['chunks'], 'chunk')}, {counted(c['sentences'], 'sentence')}"
        elif self.name == "embed":
            what = f"embedded {counted(c['chunks'], 'chunk')} and {counted(c['sentences'], 'sentence')}"
        elif self.name == "splitting":  # progress within the split phase of a large ingest
            what = f"splitting into sentences: {c['done']:,} of {counted(c['total'], 'character')} done"
        elif self.name == "embedding":  # progress within the embed phase of a large ingest (saved: see index/embedding/cache.py)
            what = f"embedding: {c['done']:,} of {counted(c['total'], 'new text')} done and saved"
        elif self.name == "ray":
            what = f"read, split and embedded {counted(c['documents'], 'document')} into {counted(c['chunks'], 'chunk')} on {counted(c['workers'], 'Ray worker')}"
        elif self.name == "write":
            what = f"wrote the index version: vectors, BM25 and {counted(c['chunks'], 'chunk')}"
        else:
            what = self.name + ": " + ", ".join(f"{v} {k}" for k, v in c.items())
        return f"{what} ({self.seconds:.2f} s)"


def counted(count: int, noun: str) -> str:
    """`count` and `noun`, plural unless one: "1 document", "2,048 chunks"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


SPLIT_PROGRESS_CHARS = 500_000
"""A "splitting" progress phase after each this many characters split (~5-15 s of sentence splitting)."""

PhaseCallback = Callable[[Phase], None]
"""Called after each phase of an ingest (read, split, embed, write): progress without a progress bar."""


def _ignore(phase: Phase) -> None:
    pass


def settings_fingerprint(*, model: str, chunking: ChunkingSettings, bm25: BM25Settings, index_type: str = "auto") -> bytes:
    """What decides an index's content besides the documents (the model, every indexing setting, the format),
    as bytes for the cache keys of evaluation indexes (docqa.ingest.beir, docqa.ingest.squad)."""
    settings = {"model": model, "chunking": asdict(chunking), "bm25": asdict(bm25), "format": store.FORMAT_VERSION}
    if index_type != "auto":  # (keys made before the setting existed stay valid)
        settings["index_type"] = index_type
    return json.dumps(settings, sort_keys=True).encode()


def discover(paths: Sequence[Path]) -> tuple[list[tuple[Path, str]], list[Skipped]]:
    """Files under `paths` with a stable document id each (path relative to the argument).

    A file reached twice (the same argument given twice, a file inside a folder also given, a link to a
    file of the folder) is listed once, the others noted as ignored skips. Two different files with the
    same id (policy.txt in two folders given) keep it for the first, and the argument's folder name
    in front for the next ("finance/policy.txt").
    """
    found: list[tuple[Path, str, Path]] = []
    problems: list[Skipped] = []
    for root in paths:
        try:
            is_file, is_dir = root.is_file(), root.is_dir()
        except OSError as exc:  # a file in a folder this user may not enter (not "cannot write the index")
            problems.append(Skipped(printable_path(root), f"cannot read: {exc.strerror or exc}"))
            continue
        if is_file:
            found.append((root, root.name, root.parent))
        elif is_dir:
            unreadable = lambda e: problems.append(Skipped(printable_path(e.filename), f"cannot read: {e.strerror}"))  # noqa: E731
            for folder, dirs, files in os.walk(root, onerror=unreadable):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in list(dirs):
                    refused = _not_walked(Path(folder) / name)
                    if refused is not None:
                        problems.append(refused)
                        dirs.remove(name)
                for name in sorted(files):
                    if not name.startswith("."):
                        path = Path(folder) / name
                        found.append((path, path.relative_to(root).as_posix(), root))
        elif root.is_symlink() or root.exists():
            problems.append(Skipped(printable_path(root), "not a regular file or folder (broken link?)"))
        else:
            raise InvalidInput(f"No such file or folder: {printable_path(root)}")
    distinct = _distinct(found, problems)
    return distinct, list(dict.fromkeys(problems))  # a folder given twice: its problems once


def _not_walked(folder: Path) -> Skipped | None:
    """Why a subfolder is not walked into: a link (never followed: loops; a choice, not a failure, so `ignored`),
    or one that cannot be examined (in a folder this user may list but not enter); None: it is walked."""
    shown = printable_path(folder)
    try:
        return Skipped(shown, "link to a folder (not followed)", ignored=True) if folder.is_symlink() else None
    except OSError as exc:
        return Skipped(shown, f"cannot read: {exc.strerror or exc}")


def _is_link(path: Path) -> bool:
    """Whether `path` is a symbolic link (False when it cannot be examined: reading it says why)."""
    try:
        return path.is_symlink()
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths the same file (links followed); a path that cannot be examined stands for itself."""
    try:
        info = path.stat()
    except OSError:
        return str(path)
    return (info.st_dev, info.st_ino)


def _distinct(found: Sequence[tuple[Path, str, Path]], problems: list[Skipped]) -> list[tuple[Path, str]]:
    """`found` (path, id, the folder the id is relative to) with each file once (preferably not through a
    link) and unique ids; the files left out are noted in `problems` as ignored."""
    identities = [_identity(path) for path, _, _ in found]
    keeper: dict[tuple[int, int] | str, int] = {}
    for position, (path, _, _) in enumerate(found):
        first = keeper.setdefault(identities[position], position)
        if first != position and _is_link(found[first][0]) and not _is_link(path):
            keeper[identities[position]] = position
    distinct: list[tuple[Path, str]] = []
    taken: dict[tuple[int, int] | str, str] = {}
    ids: set[str] = set()
    for position, (path, doc_id, base) in enumerate(found):
        if keeper[identities[position]] != position:
            continue
        if doc_id in ids:
            doc_id = f"{base.name}/{doc_id}" if base.name else doc_id
        if doc_id in ids:
            doc_id = path.absolute().as_posix()
        ids.add(doc_id)
        taken[identities[position]] = doc_id
        distinct.append((path, doc_id))
    for position, (path, _, _) in enumerate(found):
        # an unsupported type is said once, of the copy kept ("indexed once" would be untrue)
        if keeper[identities[position]] != position and path.suffix.lower() in SUPPORTED_SUFFIXES:
            problems.append(Skipped(printable_path(path), f"the same file as {printable_path(taken[identities[position]])} (indexed once)", ignored=True))
    return distinct


def load_documents(paths: Sequence[Path], *, limits: FileLimits = FileLimits()) -> tuple[list[Document], list[Skipped]]:
    """Load every file under `paths`; each unreadable one (or one beyond `limits`) becomes a `Skipped`."""
    files, skipped = discover(paths)
    documents: list[Document] = []
    seen: set[str] = set()
    try:
        for path, doc_id in files:
            loaded = load_file(path, doc_id=doc_id, limits=limits)
            if isinstance(loaded, Skipped):
                skipped.append(loaded)
            elif doc_id in seen:
                skipped.append(Skipped(printable_path(path), f"duplicate document id {doc_id!r}"))
            else:
                seen.add(doc_id)
                documents.append(loaded)
    finally:
        stop_helper()  # the PDF reader's helper process, if one was started
    return documents, skipped


def embedding_text(title: str, text: str) -> str:
    """What is embedded for a chunk: its document title gives it context."""
    return f"{title}\n{text}" if title else text


@dataclass(frozen=True)
class DocumentSplit:
    """One document cut into chunks and sentences (sentence rows count from 0 within the document)."""

    record: store.DocumentRecord
    chunk_texts: list[str]
    embed_texts: list[str]
    chunk_spans: list[tuple[int, int]]
    chunk_sentences: list[tuple[int, int]]
    sentence_spans: list[tuple[int, int]]
    sentence_texts: list[str]


def split_document(
    doc: Document,
    *,
    embedder: Embedder,
    chunking: ChunkingSettings,
    chunker: Callable[..., list] = chunk_text,
    on_progress: SplitProgress | None = None,
) -> DocumentSplit:
    """Chunk `doc` within the model's token limit (its title, embedded with each chunk, counts) and list its
    sentences; `on_progress` hears how many characters of its text are split so far."""
    limit = embedder.max_tokens - 2  # [CLS] and [SEP]
    title_tokens = embedder.count_tokens([doc.title])[0] + 1 if doc.title else 0
    budget = min(chunking.max_tokens, limit - title_tokens)
    if budget < 16:  # an absurdly long title: do not let it starve the text
        budget = min(chunking.max_tokens, limit)
    progress = {} if on_progress is None else {"on_progress": on_progress}
    spans = chunker(doc.text, count_tokens=embedder.count_tokens, max_tokens=budget, overlap_sentences=chunking.overlap_sentences, **progress)
    language = doc.language or detect_language(doc.text[:2000])
    record = store.DocumentRecord(
        doc_id=doc.doc_id, title=doc.title, source=doc.source, hash=doc.hash, language=language, site=doc.site, language_links=doc.language_links
    )
    split = DocumentSplit(record, [], [], [], [], [], [])
    row_of: dict[tuple[int, int], int] = {}
    for span in spans:
        for sentence in span.sentences:
            if sentence not in row_of:
                row_of[sentence] = len(split.sentence_spans)
                split.sentence_spans.append(sentence)
                split.sentence_texts.append(doc.text[sentence[0] : sentence[1]])
        rows = [row_of[s] for s in span.sentences]
        split.chunk_sentences.append((rows[0], rows[-1] + 1))
        text = doc.text[span.start : span.end]
        split.chunk_texts.append(text)
        split.embed_texts.append(embedding_text(doc.title, text))
        split.chunk_spans.append((span.start, span.end))
    return split


def assemble_contents(splits: Sequence[DocumentSplit], *, chunk_vectors: np.ndarray, sentence_vectors: np.ndarray) -> store.IndexContents:
    """The index contents of `splits` in order, with the vectors of their chunks and sentences (rows in the same order)."""
    chunk_doc: list[int] = []
    chunk_sentences: list[tuple[int, int]] = []
    first_sentence = 0
    for position, split in enumerate(splits):
        chunk_doc += [position] * len(split.chunk_texts)
        chunk_sentences += [(first_sentence + start, first_sentence + end) for start, end in split.chunk_sentences]
        first_sentence += len(split.sentence_spans)
    return store.IndexContents(
        documents=[split.record for split in splits],
        chunk_texts=[text for split in splits for text in split.chunk_texts],
        chunk_doc=np.array(chunk_doc, dtype=np.int64),
        chunk_spans=np.array([span for split in splits for span in split.chunk_spans], dtype=np.int64).reshape(-1, 2),
        chunk_sentences=np.array(chunk_sentences, dtype=np.int64).reshape(-1, 2),
        chunk_vectors=chunk_vectors,
        sentence_spans=np.array([span for split in splits for span in split.sentence_spans], dtype=np.int64).reshape(-1, 2),
        sentence_vectors=sentence_vectors,
    )


def build_contents(
    documents: Iterable[Document],
    *,
    embedder: Embedder,
    chunking: ChunkingSettings,
    progress: bool = False,
    chunker: Callable[..., list] = chunk_text,
    on_phase: PhaseCallback = _ignore,
) -> store.IndexContents:
    """Chunk, split into sentences and embed `documents` (in memory); `chunker` works as `chunk_text`.
    A "splitting" phase reports progress every `SPLIT_PROGRESS_CHARS` characters split."""
    started = time.perf_counter()
    documents = list(documents)
    total = sum(len(doc.text) for doc in documents)
    reported = [0, started]  # characters split when last reported, and when

    def on_split(done: int) -> None:
        if done - reported[0] >= SPLIT_PROGRESS_CHARS and done < total:
            now = time.perf_counter()
            on_phase(Phase("splitting", {"done": done, "total": total}, now - reported[1]))
            reported[:] = [done, now]

    splits: list[DocumentSplit] = []
    before = 0
    for doc in documents:
        splits.append(split_document(doc, embedder=embedder, chunking=chunking, chunker=chunker, on_progress=lambda n, at=before: on_split(at + n)))
        before += len(doc.text)
        on_split(before)
    counts = {"documents": len(splits), "chunks": sum(len(s.chunk_texts) for s in splits), "sentences": sum(len(s.sentence_spans) for s in splits)}
    split_done = time.perf_counter()
    on_phase(Phase("split", counts, split_done - started))
    chunk_vectors = embedder.embed([text for split in splits for text in split.embed_texts], progress=progress)
    sentence_vectors = embedder.embed([text for split in splits for text in split.sentence_texts], progress=progress)
    on_phase(Phase("embed", counts, time.perf_counter() - split_done))
    return assemble_contents(splits, chunk_vectors=chunk_vectors, sentence_vectors=sentence_vectors)


def ingest(
    paths: Sequence[Path],
    *,
    index_root: Path,
    embedder: Embedder,
    chunking: ChunkingSettings = ChunkingSettings(),
    keep_versions: int = 3,
    index_type: str = "auto",
    progress: bool = False,
    on_phase: PhaseCallback | None = None,
    limits: FileLimits = FileLimits(),
) -> IngestReport:
    """Index the documents under `paths` as a new current version of `index_root`.

    `index_type` picks the vector index (auto | flat | ivf | hnsw); `progress` shows progress bars
    while embedding; `on_phase` gets each finished phase; `limits` bound each file (pages, text,
    seconds). Raises `NothingIndexed` (and writes nothing) when no file could be read, a
    `DocqaError` at once when another ingest holds the root, `StorageError` when the root
    cannot be written (the served version stays).
    """
    on_phase = on_phase or _ignore
    with writing(index_root):  # before reading or embedding anything: a second ingest learns at once
        started = time.perf_counter()
        documents, skipped = load_documents(paths, limits=limits)
        on_phase(Phase("read", {"documents": len(documents), "skipped": len(skipped)}, time.perf_counter() - started))
        if not documents:
            raise nothing_indexed(skipped, searched=paths)
        return publish(
            documents,
            index_root=index_root,
            embedder=embedder,
            chunking=chunking,
            keep_versions=keep_versions,
            index_type=index_type,
            progress=progress,
            on_phase=on_phase,
            skipped=skipped,
        )


@contextlib.contextmanager
def writing(index_root: Path) -> Iterator[None]:
    """The root's writer lock (re-entrant), held throughout an ingest; the OS refusing to write there (a full
    disk, no permission, a read-only file system) becomes one `StorageError` line. An OS error about a file
    outside the root (a model cache, a document) is one line naming that file instead."""
    try:
        with versions.writer_lock(index_root):
            yield
    except OSError as exc:
        unchanged = "Nothing was published; the served version is unchanged."
        if isinstance(exc.filename, str) and not _inside(Path(exc.filename), index_root):
            raise DocqaError(f"{exc.strerror or exc}: {printable_path(exc.filename)}. {unchanged}") from exc
        where = f" ({Path(exc.filename).name})" if isinstance(exc.filename, str) else ""
        raise StorageError(f"{exc.strerror or exc}: cannot write the index in {index_root}{where}. {unchanged}") from exc


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or within it (as written, or with links resolved)."""
    for resolve in (os.path.abspath, os.path.realpath):
        name, top = resolve(path), resolve(folder)
        if name == top or name.startswith(os.path.join(top, "")):
            return True
    return False


def nothing_indexed(skipped: Sequence[Skipped], *, searched: Sequence[Path] = ()) -> NothingIndexed:
    """The error of an ingest that could read no document, naming the first files skipped (else the folders searched)."""
    where = f" in {', '.join(printable_path(p) for p in searched)}" if searched else ""
    return NothingIndexed("Nothing could be indexed: " + ("; ".join(f"{s.path}: {s.reason}" for s in skipped[:10]) or f"no files found{where}"))


def publish_once(index_root: Path, documents: Callable[[], Sequence[Document]], **options: Any) -> Path:
    """`index_root` as it is when it already serves a version, else `documents()` published there
    (`options` as for `publish`): evaluation collections are indexed on first use, then reused."""
    try:
        versions.current_version(index_root)
        return index_root
    except IndexNotFound:
        pass
    publish(documents(), index_root=index_root, **options)
    return index_root


def publish(
    documents: Sequence[Document],
    *,
    index_root: Path,
    embedder: Embedder,
    chunking: ChunkingSettings = ChunkingSettings(),
    keep_versions: int = 3,
    index_type: str = "auto",
    progress: bool = False,
    on_phase: PhaseCallback | None = None,
    skipped: Sequence[Skipped] = (),
    bm25: BM25Settings = BM25Settings(),
) -> IngestReport:
    """Index already-loaded `documents` as a new current version of `index_root`.

    Vectors and chunk spans are cached under the root by model and text: unchanged text is
    neither embedded nor split into sentences again. `on_phase` gets each finished phase.
    Holds the root's writer lock throughout (see `ingest`).
    """
    outer = on_phase or _ignore
    last = [time.perf_counter()]

    def report(phase: Phase) -> None:
        outer(phase)
        last[0] = time.perf_counter()

    def on_part(done: int, total: int) -> None:  # a line per saved part of a large ingest (every few seconds), where no bar is shown
        report(Phase("embedding", {"done": done, "total": total}, time.perf_counter() - last[0]))

    with writing(index_root):
        with embedding_cache.cached(embedder, index_root, on_part=on_part) as embedder, chunk_cache.cached(index_root, model=embedder.name) as chunker:
            contents = build_contents(documents, embedder=embedder, chunking=chunking, progress=progress, chunker=chunker, on_phase=report)
        return write_version(
            contents,
            index_root=index_root,
            model=embedder.name,
            dim=embedder.dim,
            chunking=chunking,
            keep_versions=keep_versions,
            index_type=index_type,
            on_phase=outer,
            skipped=skipped,
            bm25=bm25,
        )


def write_version(
    contents: store.IndexContents,
    *,
    index_root: Path,
    model: str,
    dim: int,
    chunking: ChunkingSettings,
    keep_versions: int = 3,
    index_type: str = "auto",
    on_phase: PhaseCallback | None = None,
    skipped: Sequence[Skipped] = (),
    bm25: BM25Settings = BM25Settings(),
) -> IngestReport:
    """Write `contents` (embedded with `model`) as a new version of `index_root` and make it current:
    the one writer of versions, whether the vectors were computed here or on a cluster (distributed.py)."""
    on_phase = on_phase or _ignore
    with writing(index_root):
        manifest = store.Manifest(
            model=model,
            dim=dim,
            chunking=asdict(chunking),
            documents=[{"doc_id": d.doc_id, "hash": d.hash} for d in contents.documents],
            counts={"documents": len(contents.documents), "chunks": len(contents.chunk_texts), "sentences": len(contents.sentence_spans)},
            bm25=asdict(bm25),
        )
        started = time.perf_counter()
        folder = versions.commit_version(index_root, lambda tmp: store.save(tmp, contents, manifest, index_type=index_type), keep=keep_versions)
        on_phase(Phase("write", {"chunks": len(contents.chunk_texts)}, time.perf_counter() - started))
    return IngestReport(
        documents=len(contents.documents),
        chunks=len(contents.chunk_texts),
        sentences=len(contents.sentence_spans),
        skipped=list(skipped),
        version=folder.name,
    )
