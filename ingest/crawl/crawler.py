"""The crawl: discover each site's pages (robots.txt, sitemaps, links), fetch what may have changed,
and say what became of every URL. Nothing here writes to disk: `sync.py` publishes the result.

A URL is not requested at all when its sitemap <lastmod> equals the one recorded when it was last
fetched; otherwise it is requested with If-None-Match / If-Modified-Since, so an unchanged page
costs a 304. Linked PDF, DOCX and ODT files are followed from the pages crawled (up to `depth` + 1
clicks away); other pages' links only with `follow_links`, or on a site without a sitemap, up to `depth` clicks away.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urljoin

from docqa.errors import DocqaError, InvalidInput
from docqa.ingest.crawl.fetcher import FetchError, Fetcher
from docqa.ingest.crawl.pages import read_response
from docqa.ingest.crawl.robots import Robots, SiteUnreachable, fetch_robots
from docqa.ingest.crawl.safety import RefusedAddress, UnknownHost
from docqa.ingest.crawl.sitemaps import BadSitemap, SitemapListing, read_sitemaps
from docqa.ingest.crawl.state import CrawlState, PageRecord
from docqa.ingest.crawl.urls import UrlFilter, check_start_url, kind_of, looks_like_sitemap, site_of
from docqa.ingest.loaders import MAX_FILE_BYTES, FileLimits

log = logging.getLogger("docqa.crawl")


@dataclass(frozen=True)
class CrawlOptions:
    """How a crawl behaves (the `docqa crawl` flags)."""

    follow_links: bool = False
    depth: int = 3
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = 10_000
    concurrency: int = 2
    timeout: float = 20.0
    max_bytes: int = MAX_FILE_BYTES
    allow_private: bool = False
    max_error_share: float = 0.2
    """The crawl fails (and stops) when more than this share of its URLs fail (timeouts, network, 5xx), from 5 failures on."""
    limits: FileLimits = FileLimits()
    """What one linked PDF may demand (pages, characters, seconds), as at ingest."""
    allow_partial: bool = False
    """A failed crawl still publishes what it got (sync.py), and a site whose robots.txt or sitemaps
    fail does not stop the crawl of the other sites."""

    def __post_init__(self) -> None:
        for name, low, flag in (("depth", 0, "--depth 0"), ("max_pages", 1, "--max-pages 1"), ("concurrency", 1, "--concurrency 1"), ("max_bytes", 1024, "--max-mb 0.001")):
            if getattr(self, name) < low:
                raise InvalidInput(f"{flag.split()[0]} must be at least {flag.split()[1]}.")
        if not self.timeout > 0:
            raise InvalidInput("--timeout must be more than 0 seconds.")


@dataclass(frozen=True)
class UrlOutcome:
    """What became of one URL: `status` is fetched | not-modified | lastmod | gone | skipped | error
    (`detail` says why; for a page fetched but holding nothing to index, why not)."""

    url: str
    status: str
    detail: str = ""


@dataclass(frozen=True)
class CrawlResult:
    """The state to keep after this crawl, each URL's outcome, and why the crawl failed (None: it did not)."""

    state: CrawlState
    outcomes: list[UrlOutcome]
    failure: str | None = None
    complete_sites: frozenset[str] = frozenset()
    """Sites crawled in full: their URLs not seen this time are dropped from the state (removed)."""
    requests: int = 0


ProgressCallback = Callable[[UrlOutcome, int, int], None]
"""Called after each URL: its outcome, URLs done so far, URLs known so far."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class _Site:
    start_pages: list[str]
    declared_sitemaps: list[str]
    robots: Robots | None = None
    listing: SitemapListing = field(default_factory=SitemapListing)
    failed: bool = False


class _Crawl:
    def __init__(self, seeds: list[str], *, state: CrawlState, options: CrawlOptions, fetcher: Fetcher, on_progress: ProgressCallback) -> None:
        self.options = options
        self.old = state
        self.fetcher = fetcher
        self.on_progress = on_progress
        self.filter = UrlFilter(options.include, options.exclude)
        self.sites: dict[str, _Site] = {}
        for seed in seeds:
            site = self.sites.setdefault(site_of(seed), _Site([], []))
            (site.declared_sitemaps if looks_like_sitemap(seed) else site.start_pages).append(seed)
        self.records: dict[str, PageRecord] = {}
        self.queued: set[str] = set()
        self.visited: set[str] = set()
        """URLs this crawl decided about (a crawl that stops early leaves some queued URLs unvisited)."""
        self.outcomes: list[UrlOutcome] = []
        self.errors = 0
        self.truncated = False
        self.stopped = False
        self.failure: str | None = None
        self.queue: asyncio.Queue = asyncio.Queue()
        self.known = 0

    # ---- what may be fetched

    def reachable(self, url: str) -> str | None:
        """Why `url` may not be requested at all (None: it may)."""
        site = self.sites.get(site_of(url))
        if site is None:
            return "on another site"
        if site.failed:
            return "on a site that could not be crawled"
        if site.robots is not None and not site.robots.allows(url):
            return "disallowed by robots.txt"
        return None

    def wanted(self, url: str) -> str | None:
        return self.reachable(url) or (None if self.filter.allows(url) else "excluded by --include/--exclude")

    # ---- discovery

    async def discover(self) -> None:
        for name, site in self.sites.items():
            first = (site.start_pages or site.declared_sitemaps)[0]
            try:
                await self.fetcher.guard.check(first)
            except RefusedAddress as exc:
                raise InvalidInput(f"{first}: {exc}") from None
            except UnknownHost as exc:
                raise DocqaError(f"{first}: {exc}") from None
            try:
                site.robots = await fetch_robots(first, self.fetcher)
                self.fetcher.set_delay(name, site.robots.crawl_delay)
                declared = site.declared_sitemaps + [u for u in site.robots.sitemaps if site_of(u) == name]
                guessed = [] if declared else [urljoin(first, "/sitemap.xml")]
                site.listing = await read_sitemaps(declared, guessed=guessed, fetcher=self.fetcher, allowed=self.reachable)
            except (SiteUnreachable, BadSitemap) as exc:
                self.failure = self.failure or str(exc)
                site.failed = True
            for skipped in site.listing.skipped:  # the site is then not crawled in full (see run)
                log.warning("%s: %s", skipped.url, skipped.reason)
                self.known += 1
                self.note(UrlOutcome(skipped.url, "error" if skipped.transient else "skipped", skipped.reason), via="sitemap")

    # ---- the frontier

    def enqueue(self, url: str, *, depth: int, via: str, lastmod: str | None = None) -> None:
        if url in self.queued:
            return
        if len(self.queued) >= self.options.max_pages:
            self.truncated = True
            return
        self.queued.add(url)
        self.known += 1
        self.queue.put_nowait((url, depth, via, lastmod))

    def follow(self, links: tuple[str, ...], *, depth: int, page_url: str) -> None:
        site = self.sites.get(site_of(page_url))
        follow_pages = self.options.follow_links or (site is not None and not site.listing.found)
        listed = site.listing.pages if site is not None else {}
        for link in links:
            kind = kind_of(link)
            if self.reachable(link) == "on another site" or kind == "other":
                continue
            # Files one click past the depth at most: a "file" that is an HTML page must not lead further (a trap).
            if (kind == "file" and depth <= self.options.depth) or (follow_pages and depth < self.options.depth):
                self.enqueue(link, depth=depth + 1, via="link", lastmod=listed.get(link))

    def note(self, outcome: UrlOutcome, *, via: str) -> None:
        self.outcomes.append(outcome)
        if via == "start" and outcome.status in ("skipped", "gone", "error") and self.failure is None:
            self.failure = f"the start page {outcome.url} could not be crawled: {outcome.detail}"
            self.stopped = not self.options.allow_partial
        if outcome.status == "error":
            self.errors += 1
            done = len(self.outcomes)
            if self.errors >= 5 and self.errors > self.options.max_error_share * done and not self.stopped:
                self.failure = self.failure or f"too many errors: {self.errors} of {done} URLs could not be fetched (last: {outcome.url}: {outcome.detail})"
                self.stopped = True  # a site going down is not hammered further
        self.on_progress(outcome, len(self.outcomes), self.known)

    # ---- one URL

    async def visit(self, url: str, depth: int, via: str, lastmod: str | None) -> None:
        self.visited.add(url)
        old = self.old.pages.get(url)
        reason = self.wanted(url)
        if reason:
            self.note(UrlOutcome(url, "skipped", reason), via=via)
            return
        now = _now()
        if old is not None and lastmod is not None and old.lastmod == lastmod and old.last_seen:
            self.records[url] = dataclasses.replace(old, last_seen=now, via=via)
            self.note(UrlOutcome(url, "lastmod", f"lastmod {lastmod}"), via=via)
            self.follow(old.links, depth=depth, page_url=url)
            return
        try:
            answer = await self.fetcher.get(url, headers=old.conditional_headers() if old else None, may_follow=self.reachable)
        except FetchError as exc:
            if exc.transient:
                if old is not None:
                    self.records[url] = old  # kept as it was: the site may answer next time
                self.note(UrlOutcome(url, "error", str(exc)), via=via)
            else:
                self.records[url] = PageRecord(
                    url=url, via=via, etag=exc.headers.get("etag"), last_modified=exc.headers.get("last-modified"),
                    lastmod=lastmod, last_seen=now, skipped=str(exc),
                )
                self.note(UrlOutcome(url, "skipped", str(exc)), via=via)
            return
        status = answer.status
        if status == 304 and old is not None:
            validators = {k: v for k, v in (("etag", answer.headers.get("etag")), ("last_modified", answer.headers.get("last-modified"))) if v}
            self.records[url] = dataclasses.replace(old, last_seen=now, via=via, lastmod=lastmod or old.lastmod, **validators)
            self.note(UrlOutcome(url, "not-modified", "304"), via=via)
            self.follow(old.links, depth=depth, page_url=url)
        elif status in (404, 410):
            self.note(UrlOutcome(url, "gone", f"HTTP {status}"), via=via)
        elif status >= 500 or status in (408, 429):  # the server's trouble (408: it timed out): may answer next time
            if old is not None:
                self.records[url] = old
            self.note(UrlOutcome(url, "error", f"HTTP {status}"), via=via)
        elif status != 200:
            self.note(UrlOutcome(url, "skipped", f"HTTP {status}"), via=via)
        else:
            content = await asyncio.to_thread(read_response, answer, limits=self.options.limits)
            document = content.document
            self.records[url] = PageRecord(
                url=url,
                final_url=answer.final_url,
                canonical=content.canonical or answer.final_url,
                via=via,
                etag=answer.headers.get("etag"),
                last_modified=answer.headers.get("last-modified"),
                lastmod=lastmod,
                content_hash=document.hash if document else None,
                last_seen=now,
                language=content.language,
                links=content.links,
                title=document.title if document else None,
                text=document.text if document else None,
                skipped=content.reason,
                site=document.site if document else None,
            )
            self.note(UrlOutcome(url, "fetched", "" if document else f"nothing indexed: {content.reason}"), via=via)
            self.follow(content.links, depth=depth, page_url=url)

    async def worker(self) -> None:
        while True:
            url, depth, via, lastmod = await self.queue.get()
            try:
                if not self.stopped:
                    await self.visit(url, depth, via, lastmod)
            except Exception as exc:  # a bug or a parser's surprise: one URL's error, never a hung crawl
                log.exception("crawling %s failed", url)
                if url in self.old.pages and url not in self.records:
                    self.records[url] = self.old.pages[url]  # an error keeps the last text, as a timeout does
                self.note(UrlOutcome(url, "error", f"unexpected {type(exc).__name__}: {exc}"[:300]), via=via)
            finally:
                self.queue.task_done()

    async def run(self) -> CrawlResult:
        await self.discover()
        if self.failure is None or self.options.allow_partial:
            for site in self.sites.values():
                for page in site.start_pages:
                    self.enqueue(page, depth=0, via="start", lastmod=site.listing.pages.get(page))
                for page, lastmod in site.listing.pages.items():
                    if kind_of(page) != "other":
                        self.enqueue(page, depth=0, via="sitemap", lastmod=lastmod)
            workers = [asyncio.create_task(self.worker()) for _ in range(self.options.concurrency)]
            await self.queue.join()
            for task in workers:
                task.cancel()
        cut_short = self.truncated or self.stopped
        # A sitemap that could not be read may list pages still there: the site's old pages are kept.
        complete = frozenset() if cut_short else frozenset(n for n, site in self.sites.items() if not (site.failed or site.listing.skipped))
        errors = self.errors > 0 or self.failure is not None
        pages: dict[str, PageRecord] = {}
        for url, record in self.old.pages.items():
            # Absent from a complete crawl: gone. (Pages found by links only when nothing failed:
            # a page that could not be fetched may be the one linking to them.)
            absent = site_of(url) in complete and (record.via != "link" or not errors)
            if url not in self.visited and not absent:
                pages[url] = record
        pages.update(self.records)
        return CrawlResult(
            state=CrawlState(pages=pages, finished_at=_now()),
            outcomes=self.outcomes,
            failure=self.failure,
            complete_sites=complete,
            requests=self.fetcher.requests,
        )


async def crawl(
    start_urls: list[str], *, state: CrawlState, options: CrawlOptions = CrawlOptions(), on_progress: ProgressCallback | None = None
) -> CrawlResult:
    """Crawl the sites of `start_urls` (pages or sitemaps), comparing with `state`; see the module doc.

    Raises `InvalidInput` for a bad start URL (a malformed URL, another scheme, a private address
    without `allow_private`); a site that cannot be crawled is a `failure` in the result.
    """
    seeds = list(dict.fromkeys(check_start_url(url) for url in start_urls))
    if not seeds:
        raise InvalidInput("Give at least one URL to crawl.")
    async with Fetcher(
        concurrency=options.concurrency, timeout=options.timeout, max_bytes=options.max_bytes, allow_private=options.allow_private
    ) as fetcher:
        return await _Crawl(seeds, state=state, options=options, fetcher=fetcher, on_progress=on_progress or (lambda *a: None)).run()
