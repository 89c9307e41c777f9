"""What the last crawl saw of each URL, kept with the index: ROOT/crawl/state.json.

Per URL: its validators (ETag, Last-Modified), the sitemap's lastmod, the content hash, when it was
last seen, the links it holds, and the document's text, so that a page answering 304 (or skipped
because its lastmod has not moved) is published again without being downloaded. The file is
replaced atomically, and only after the index version it describes has been published.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Iterator

from docqa.errors import DocqaError
from docqa.ingest.loaders import Document

FOLDER = "crawl"
STATE_FILE = "state.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class PageRecord:
    """One URL as the last crawl left it. `text` is None when it holds no document (`skipped` says why)."""

    url: str
    final_url: str = ""
    canonical: str = ""
    """The document's id and cited source: the page's canonical URL."""
    via: str = "link"
    """How it was found: "start", "sitemap" or "link"."""
    etag: str | None = None
    last_modified: str | None = None
    lastmod: str | None = None
    """The sitemap's <lastmod> when the page was fetched."""
    content_hash: str | None = None
    last_seen: str = ""
    language: str | None = None
    links: tuple[str, ...] = ()
    title: str | None = None
    text: str | None = None
    skipped: str | None = None
    site: str | None = None
    """The site name the page's banner or metadata gave (loaders.site_name)."""

    @property
    def document(self) -> Document | None:
        """The indexed document, or None."""
        if self.text is None:
            return None
        return Document(
            doc_id=self.canonical, title=self.title or self.canonical, source=self.canonical, text=self.text, language=self.language, site=self.site
        )

    def conditional_headers(self) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the last answer (a page refused as too large has them too)."""
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class CrawlState:
    """Every URL the crawls of an index know, by URL."""

    pages: dict[str, PageRecord] = field(default_factory=dict)
    finished_at: str | None = None

    def documents(self) -> list[Document]:
        """The documents to publish, by document id (not in the order the pages happened to arrive, so that two
        crawls of one site publish the same version): one per canonical URL (the first URL that reached it wins).

        A canonical link is a hint, as search engines take it: a page whose text differs from the text crawled at
        its canonical URL (or, when that URL was not crawled, from another page naming it) keeps its own address.
        So a CMS that gives every page the canonical "/" does not make the site one document, while a print view
        with the same text as its original is still one document with it."""
        found_at: dict[str, str] = {}
        """URL (requested, or after redirects) → the text crawled there."""
        claimed: dict[str, set[str]] = {}
        """Canonical URL → the texts of the pages naming it."""
        for record in self.pages.values():
            if record.text is not None:
                found_at.setdefault(record.url, record.text)
                found_at.setdefault(record.final_url or record.url, record.text)
                claimed.setdefault(record.canonical, set()).add(record.text)
        seen: dict[str, Document] = {}
        for record in self.pages.values():
            document = record.document
            if document is None:
                continue
            there = found_at.get(record.canonical)
            differs = (record.text != there) if there is not None else len(claimed[record.canonical]) > 1
            if differs:
                own = record.final_url or record.url
                document = replace(document, doc_id=own, source=own)
            seen.setdefault(document.doc_id, document)
        return [seen[doc_id] for doc_id in sorted(seen)]

    @classmethod
    def load(cls, index_root: Path) -> "CrawlState":
        """The saved state (empty when there is none; a damaged file costs a full crawl, nothing more)."""
        path = index_root / FOLDER / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION or not isinstance(data["pages"], list):
                return cls()
            known = {f.name for f in fields(PageRecord)}
            pages = {}
            for item in data["pages"]:
                item = {k: v for k, v in item.items() if k in known}
                item["links"] = tuple(item.get("links", ()))
                if not isinstance(item["url"], str) or not all(isinstance(v, str) or v is None for k, v in item.items() if k != "links"):
                    raise TypeError("a page's fields are strings")
                if not all(isinstance(link, str) for link in item["links"]):
                    raise TypeError("a page's links are strings")
                pages[item["url"]] = PageRecord(**item)
            return cls(pages=pages, finished_at=data.get("finished_at"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError, KeyError, TypeError, AttributeError):  # AttributeError: an item that is not an object
            return cls()

    def save(self, index_root: Path) -> None:
        """Write the state atomically (temporary file, flushed, renamed over the old one)."""
        folder = index_root / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        body = {"format_version": FORMAT_VERSION, "finished_at": self.finished_at, "pages": [asdict(p) for p in self.pages.values()]}
        handle, name = tempfile.mkstemp(dir=folder, prefix=".tmp-state-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(body, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(name, folder / STATE_FILE)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise


@contextlib.contextmanager
def crawl_lock(index_root: Path) -> Iterator[None]:
    """One crawl per index at a time; a second one fails at once with a clear message."""
    folder = index_root / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DocqaError(f"Another crawl is updating {index_root}; try again when it has finished.") from None
        yield
