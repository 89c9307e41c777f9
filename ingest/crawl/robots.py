"""robots.txt (RFC 9309) through protego: which URLs the `docqa` user agent may fetch, its Crawl-delay,
and the site's Sitemap lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from docqa.ingest.crawl.fetcher import USER_AGENT, FetchError, Fetcher
from docqa.ingest.crawl.urls import normalise, site_of


MAX_ROBOTS_BYTES = 500 * 1024
"""Only this much of a robots.txt is read (RFC 9309 §2.5 allows such a limit; Google's is the same): every URL is
checked against every rule, so a robots.txt of millions of rules would cost hours of CPU."""


class SiteUnreachable(Exception):
    """robots.txt could not be fetched (network error, timeout, 5xx): the site is treated as down."""


@dataclass(frozen=True)
class Robots:
    """One site's robots.txt rules (an absent robots.txt allows everything)."""

    site: str
    parser: Any = None
    """protego.Protego, or None when the site has no robots.txt."""
    sitemaps: tuple[str, ...] = field(default=())

    def allows(self, url: str) -> bool:
        """Whether `docqa` may fetch `url`."""
        return self.parser is None or self.parser.can_fetch(url, USER_AGENT)

    @property
    def crawl_delay(self) -> float:
        """Seconds to wait between two requests (0 when robots.txt says nothing)."""
        delay = self.parser.crawl_delay(USER_AGENT) if self.parser is not None else None
        return float(delay or 0.0)


def robots_url(url: str) -> str:
    """/robots.txt of the site of `url`."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


async def fetch_robots(start_url: str, fetcher: Fetcher) -> Robots:
    """The robots.txt of `start_url`'s site: absent (4xx) allows everything; unreachable raises `SiteUnreachable`."""
    from protego import Protego

    site = site_of(start_url)
    url = robots_url(start_url)
    try:
        answer = await fetcher.get(url, may_follow=lambda target: None if site_of(target) == site else "on another site")
    except FetchError as exc:
        if exc.transient:
            raise SiteUnreachable(f"cannot reach {url}: {exc}") from None
        return Robots(site=site)  # a redirect off the site or a loop: no usable robots.txt, as if absent
    if answer.status >= 500 or answer.status == 429:
        raise SiteUnreachable(f"{url} answered HTTP {answer.status}: the site seems down")
    if answer.status != 200:
        return Robots(site=site)
    body = answer.body
    if len(body) > MAX_ROBOTS_BYTES:
        body = body[: body.rfind(b"\n", 0, MAX_ROBOTS_BYTES) + 1]  # whole lines only
    text = body.decode("utf-8", "replace")
    parser = Protego.parse(text)
    sitemaps = tuple(dict.fromkeys(u for u in (normalise(s) for s in parser.sitemaps) if u))
    return Robots(site=site, parser=parser, sitemaps=sitemaps)
