"""One sync: crawl the sites, compare the documents with the served version, publish only when they differ.

The documents published are every page the crawl state holds a text for (fetched now, or unchanged
since an earlier crawl: 304 or the same sitemap lastmod). Only text never embedded before is
embedded (the index's embedding cache). A failed crawl publishes nothing and keeps the old state,
unless `allow_partial`; the state is saved only after its version is published.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from docqa.errors import IndexNotFound, NothingIndexed
from docqa.index.embedding.embedder import Embedder
from docqa.index.storage import store, versions
from docqa.ingest.chunker import ChunkingSettings
from docqa.ingest.crawl.crawler import CrawlOptions, ProgressCallback, UrlOutcome, crawl
from docqa.ingest.crawl.state import CrawlState, crawl_lock
from docqa.ingest.loaders import Document
from docqa.ingest.pipeline import IngestReport, PhaseCallback, publish


@dataclass(frozen=True)
class CrawlReport:
    """What a sync did: URL outcomes, document changes against the served version, what was published."""

    outcomes: list[UrlOutcome]
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    documents: int = 0
    embedded: int = 0
    """Texts sent to the model (chunks and sentences never embedded before)."""
    version: str | None = None
    """The version published by this sync (None: nothing changed, or the crawl failed)."""
    served: str | None = None
    """The version served after this sync."""
    failure: str | None = None
    requests: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """URLs with this outcome (fetched, not-modified, lastmod, gone, skipped, error)."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def partial(self) -> bool:
        """Whether some URLs could not be fetched or the crawl failed."""
        return self.failure is not None or self.count("error") > 0


class CountingEmbedder:
    """Passes calls to an embedder and counts the texts it embeds (behind the cache: only the misses)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.embedded = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def embed(self, texts: Sequence[str], **options: Any):
        self.embedded += len(texts)
        return self._inner.embed(texts, **options)


def _served_documents(index_root: Path) -> tuple[str | None, dict[str, str]]:
    """The served version's name and its documents (id → content hash)."""
    try:
        folder = versions.current_version(index_root)
    except IndexNotFound:
        return None, {}
    manifest = store.Manifest.read(folder)
    return folder.name, {d["doc_id"]: d["hash"] for d in manifest.documents}


def sync(
    start_urls: Sequence[str],
    *,
    index_root: Path,
    embedder: Embedder,
    options: CrawlOptions = CrawlOptions(),
    chunking: ChunkingSettings = ChunkingSettings(),
    keep_versions: int = 3,
    index_type: str = "auto",
    progress: bool = False,
    on_progress: ProgressCallback | None = None,
    on_phase: PhaseCallback | None = None,
    publisher: "Callable[[Sequence[Document]], IngestReport] | None" = None,
) -> CrawlReport:
    """Crawl `start_urls` into `index_root`: a new version when the documents changed, else none.

    Raises `InvalidInput` for bad start URLs and options, `NothingIndexed` when the crawl found no
    document at all; a failed crawl is a report with `failure` set (nothing published unless
    `options.allow_partial`). `publisher` publishes the documents instead of `pipeline.publish` here (e.g.
    `distributed.publish_on_ray` with its options bound); it embeds them all (no embedding cache).
    """
    started = time.perf_counter()
    with crawl_lock(index_root):
        before = CrawlState.load(index_root)
        result = asyncio.run(crawl(list(start_urls), state=before, options=options, on_progress=on_progress))
        served, served_docs = _served_documents(index_root)
        documents = result.state.documents()
        current = {d.doc_id: d.hash for d in documents}
        report = CrawlReport(
            outcomes=result.outcomes,
            new=sorted(set(current) - set(served_docs)),
            changed=sorted(d for d in current if d in served_docs and served_docs[d] != current[d]),
            removed=sorted(set(served_docs) - set(current)),
            documents=len(documents),
            served=served,
            failure=result.failure,
            requests=result.requests,
        )
        if result.failure is not None and not options.allow_partial:
            return replace(report, seconds=time.perf_counter() - started)
        counting = CountingEmbedder(embedder)
        version, embedded = None, 0
        if current != served_docs:
            if not documents:
                raise NothingIndexed("The crawl found no page or document with text to index; nothing was published.")
            if publisher is not None:
                published = publisher(documents)
                embedded = published.chunks + published.sentences
            else:
                published = publish(
                    documents,
                    index_root=index_root,
                    embedder=counting,
                    chunking=chunking,
                    keep_versions=keep_versions,
                    index_type=index_type,
                    progress=progress,
                    on_phase=on_phase,
                )
                embedded = counting.embedded
            version = published.version
        result.state.save(index_root)
    return replace(report, embedded=embedded, version=version, served=version or served, seconds=time.perf_counter() - started)
