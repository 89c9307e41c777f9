"""Sitemaps (sitemaps.org): `<urlset>` pages with their `<lastmod>`, `<sitemapindex>` children, gzip,
and plain-text sitemaps, read with lxml (entities not resolved, no network)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from typing import Callable

from docqa.ingest.crawl.fetcher import FetchError, Fetcher
from docqa.ingest.crawl.urls import normalise

MAX_SITEMAPS = 1000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""A gzip sitemap that unpacks to more than this is refused (sitemaps.org allows 50 MB)."""


class BadSitemap(Exception):
    """A declared sitemap could not be read (not XML, not a sitemap, an HTTP error): the crawl fails."""


@dataclass(frozen=True)
class SkippedSitemap:
    """A child of a sitemap index that could not be read; `transient`: it may answer next time (5xx, a timeout)."""

    url: str
    reason: str
    transient: bool


@dataclass(frozen=True)
class SitemapListing:
    """The pages the sitemaps list (URL → lastmod as written, or None), which sitemaps were read, and which
    children of an index could not be (the pages they list are unknown this time)."""

    pages: dict[str, str | None] = field(default_factory=dict)
    sitemaps: tuple[str, ...] = ()
    skipped: tuple[SkippedSitemap, ...] = ()

    @property
    def found(self) -> bool:
        """Whether the site has a sitemap at all."""
        return bool(self.sitemaps)


def _gunzip(data: bytes) -> bytes:
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = unpacker.decompress(data, MAX_UNPACKED_BYTES)
    except zlib.error as exc:
        raise BadSitemap(f"a damaged gzip file ({exc})") from None
    if unpacker.unconsumed_tail:
        raise BadSitemap(f"unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB")
    return out


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(data: bytes) -> tuple[list[tuple[str, str | None]], list[str]]:
    """(pages with their lastmod, child sitemaps) of one sitemap file; `BadSitemap` says why it is not one."""
    from lxml import etree

    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head != b"<":
        lines = [line.strip() for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
        if lines and all(line.startswith(("http://", "https://")) for line in lines):
            return [(line, None) for line in lines], []  # a plain-text sitemap: one URL a line
        raise BadSitemap("not XML")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadSitemap(f"not XML ({exc})") from None
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise BadSitemap(f"XML, but not a sitemap (its root element is <{kind}>, not <urlset> or <sitemapindex>)")
    pages: list[tuple[str, str | None]] = []
    children: list[str] = []
    for entry in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in entry}
        if not fields.get("loc"):
            continue
        if kind == "urlset":
            pages.append((fields["loc"], fields.get("lastmod") or None))
        else:
            children.append(fields["loc"])
    return pages, children


async def read_sitemaps(
    declared: list[str], *, guessed: list[str], fetcher: Fetcher, allowed: Callable[[str], str | None]
) -> SitemapListing:
    """Every page listed by the `declared` sitemaps (robots.txt lines, a start URL) and their indexes.

    The `guessed` ones (/sitemap.xml) may be absent or not be sitemaps at all (a soft 404 page):
    then they are ignored. A declared sitemap that cannot be read raises `BadSitemap`; a child of an
    index that cannot be read is listed in `skipped`, and the others are read.
    `allowed(url)` says why a URL may not be fetched (another site, robots.txt), None if it may.
    """
    pending = [(url, "declared") for url in declared] + [(url, "guessed") for url in guessed if url not in declared]
    seen: set[str] = set()
    read: list[str] = []
    skipped: list[SkippedSitemap] = []
    pages: dict[str, str | None] = {}
    while pending:
        url, kind = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        if len(seen) > MAX_SITEMAPS:
            raise BadSitemap(f"more than {MAX_SITEMAPS} sitemaps")
        try:
            listed, children = await _read_one(url, fetcher=fetcher, allowed=allowed)
        except _Unreadable as exc:
            if kind == "child":
                skipped.append(SkippedSitemap(url, f"sitemap {exc}; the pages it lists were not crawled", exc.transient))
            elif kind == "declared" or exc.transient:
                raise BadSitemap(f"sitemap {url} {exc}") from None
            continue
        read.append(url)
        for loc, lastmod in listed:
            page = normalise(loc, base=url)
            if page is not None:
                pages.setdefault(page, lastmod)
        pending.extend((child, "child") for child in (normalise(c, base=url) for c in children) if child)
    return SitemapListing(pages=pages, sitemaps=tuple(read), skipped=tuple(skipped))


class _Unreadable(Exception):
    """Why one sitemap cannot be read; `transient`: it may be next time (5xx, a timeout)."""

    def __init__(self, why: str, *, transient: bool = False) -> None:
        super().__init__(why)
        self.transient = transient


async def _read_one(url: str, *, fetcher: Fetcher, allowed: Callable[[str], str | None]) -> tuple[list[tuple[str, str | None]], list[str]]:
    """What `parse_sitemap` finds in the sitemap at `url`; `_Unreadable` says why nothing."""
    reason = allowed(url)
    if reason:
        raise _Unreadable(f"is {reason}")
    try:
        answer = await fetcher.get(url, may_follow=allowed)
    except FetchError as exc:
        raise _Unreadable(f"cannot be fetched: {exc}", transient=exc.transient) from None
    if answer.status != 200:
        raise _Unreadable(f"answered HTTP {answer.status}", transient=answer.status >= 500)
    try:
        return parse_sitemap(answer.body)
    except BadSitemap as exc:
        raise _Unreadable(f"is {exc}") from None
