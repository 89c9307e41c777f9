"""Polite HTTP for the crawler (httpx): few requests at once, a delay per site, timeouts, a size limit,
redirects followed one hop at a time so that each target is checked (site, robots.txt, address)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
import zlib
from dataclasses import dataclass, field
from typing import AsyncIterator, Callable, Mapping
from urllib.parse import urldefrag, urljoin

from docqa.ingest.crawl.safety import AddressGuard, PinnedBackend, RefusedAddress, UnknownHost
from docqa.ingest.crawl.urls import normalise, site_of

USER_AGENT = "docqa"
"""The crawler's name: robots.txt rules for `docqa` apply to it (and the `*` rules otherwise)."""
MAX_REDIRECTS = 10
MAX_CRAWL_DELAY = 60.0
"""A robots.txt Crawl-delay above this is capped (a crawl of a few hundred pages must end)."""
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-language", "x-robots-tag")
WHOLE_ANSWER_TIMEOUTS = 3
"""A response must be complete within this many --timeout (a server dripping a byte at a time never times out a read)."""
ACCEPT_ENCODING = "gzip, deflate"
"""The codings the fetcher undoes itself, never unpacking more than the size limit at once (a gzip bomb)."""


class FetchError(Exception):
    """A URL could not be fetched. `transient`: the site may answer next time (timeouts, network),
    so what was indexed from it is kept; otherwise the URL is skipped for good (too large, a redirect loop...)."""

    def __init__(self, message: str, *, transient: bool, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.headers = dict(headers or {})
        """The validators of a response refused for its size: next time it can answer 304."""


@dataclass(frozen=True)
class Fetched:
    """One answered request: the status after redirects, the headers the crawl keeps, the body."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


FollowCheck = Callable[[str], "str | None"]
"""Says why a redirect target may not be followed (None: it may)."""


class Fetcher:
    """An httpx client with the crawl's limits; use as `async with Fetcher(...) as fetcher`."""

    def __init__(
        self,
        *,
        concurrency: int = 2,
        timeout: float = 20.0,
        max_bytes: int = 20 * 1024 * 1024,
        allow_private: bool = False,
        user_agent: str = USER_AGENT,
    ) -> None:
        import httpx

        self.timeout = timeout
        self.max_bytes = max_bytes
        self.guard = AddressGuard(allow_private=allow_private)
        transport = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency), trust_env=False
        )
        if not allow_private:
            # httpx has no public hook for the network backend (encode/httpx#3749): set it on its pool.
            transport._pool._network_backend = PinnedBackend(transport._pool._network_backend)
        self._client = httpx.AsyncClient(
            transport=transport,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout),
            event_hooks={"response": [_check_redirect]},
            headers={"User-Agent": f"{user_agent}/{_version()} (self-hosted document assistant)"},
            trust_env=False,
        )
        self._slots = asyncio.Semaphore(concurrency)
        self._delays: dict[str, float] = {}
        self._site_locks: dict[str, asyncio.Lock] = {}
        self._next_start: dict[str, float] = {}
        self.requests = 0

    async def __aenter__(self) -> "Fetcher":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    def set_delay(self, site: str, seconds: float) -> None:
        """Wait at least `seconds` between two requests to `site` (robots.txt Crawl-delay)."""
        self._delays[site] = min(max(seconds, 0.0), MAX_CRAWL_DELAY)

    @contextlib.asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        site = site_of(url)
        async with self._slots:
            delay = self._delays.get(site, 0.0)
            if delay:
                async with self._site_locks.setdefault(site, asyncio.Lock()):
                    wait = self._next_start.get(site, 0.0) - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    self._next_start[site] = time.monotonic() + delay
            self.requests += 1
            yield

    async def get(self, url: str, *, headers: Mapping[str, str] | None = None, may_follow: FollowCheck | None = None) -> Fetched:
        """GET `url`, following redirects that `may_follow` allows; raises `FetchError`."""
        import httpx

        chain = [url]
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                await self.guard.check(current)
            except (RefusedAddress, UnknownHost) as exc:
                raise FetchError(str(exc), transient=isinstance(exc, UnknownHost)) from None
            try:
                async with self._slot(current):
                    answer, location = await asyncio.wait_for(self._hop(url, current, headers), self.timeout * WHOLE_ANSWER_TIMEOUTS)
                if answer is not None:
                    return dataclasses.replace(answer, final_url=chain[-1])  # not the spelling with a session id
            except RefusedAddress as exc:
                raise FetchError(str(exc), transient=False) from None
            except httpx.InvalidURL as exc:  # no HTTPError: a URL over 64 KB, say
                raise FetchError(f"an address httpx cannot request ({exc})", transient=False) from None
            except httpx.TimeoutException:
                raise FetchError(f"no answer within {self.timeout:g} s (timeout)", transient=True) from None
            except asyncio.TimeoutError:
                raise FetchError(
                    f"the answer did not end within {self.timeout * WHOLE_ANSWER_TIMEOUTS:g} s ({WHOLE_ANSWER_TIMEOUTS} × the timeout)",
                    transient=True,
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(f"cannot fetch: {exc or type(exc).__name__}", transient=True) from None
            target = normalise(location, base=current)
            if target is None:
                raise _unusable_redirect(location)
            as_written = urldefrag(urljoin(current, location)).url
            if target == chain[-1] == current != as_written:
                # The same page with a session id added (a servlet checking for cookies: /a → /a;jsessionid=…):
                # asked once as written, since the server may insist on it.
                current = as_written
                continue
            if target in chain:
                raise FetchError("redirect loop: " + " → ".join([*chain, target]), transient=False)
            reason = may_follow(target) if may_follow else None
            if reason:
                raise FetchError(f"redirected to {target}, which is {reason}", transient=False)
            chain.append(target)
            current = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", transient=False)

    async def _hop(self, url: str, current: str, headers: Mapping[str, str] | None) -> tuple[Fetched | None, str | None]:
        """One request: (the answer, None), or (None, where it redirects to)."""
        async with self._client.stream("GET", current, headers={"Accept-Encoding": ACCEPT_ENCODING, **dict(headers or {})}) as response:
            if response.has_redirect_location:
                return None, response.headers["location"]
            kept = {k: "\n".join(response.headers.get_list(k)) for k in KEPT_HEADERS if k in response.headers}  # a line per header
            body = await self._read(response, kept) if response.status_code == 200 else b""
            return Fetched(url=url, final_url=current, status=response.status_code, headers=kept, body=body), None

    async def _read(self, response, headers: Mapping[str, str]) -> bytes:
        limit = self.max_bytes
        unpack = _unpacker(response.headers.get("content-encoding", ""), headers)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"too large ({_size(int(declared))}; limit {_size(limit)})", transient=False, headers=headers)
        parts: list[bytes] = []
        size = 0
        async for raw in response.aiter_raw():
            part = unpack(raw, limit - size)
            size += len(part)
            if size > limit:
                raise FetchError(f"too large (more than {_size(limit)})", transient=False, headers=headers)
            parts.append(part)
        return b"".join(parts)


def _unusable_redirect(location: str) -> FetchError:
    return FetchError(f"redirected to an address that cannot be crawled: {location[:200]}", transient=False)


async def _check_redirect(response) -> None:
    """Refuse a redirect to a non-http(s) or malformed address before httpx builds its request
    (for `javascript:…` it would raise InvalidURL, which is no httpx.HTTPError)."""
    if response.has_redirect_location and normalise(response.headers["location"], base=str(response.url)) is None:
        raise _unusable_redirect(response.headers["location"])


def _unpacker(encoding: str, headers: Mapping[str, str]) -> Callable[[bytes, int], bytes]:
    """A function undoing the Content-Encoding of each raw chunk, returning at most `room` + 1 bytes of it (more: too large)."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    if not codings:
        return lambda data, room: data
    if len(codings) > 1 or codings[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"unsupported Content-Encoding ({encoding[:100]}); docqa asks for {ACCEPT_ENCODING}", transient=False, headers=headers)
    # deflate is meant to be zlib-wrapped, but some servers send it raw (as httpx, try both).
    decoders = [zlib.decompressobj(16 + zlib.MAX_WBITS)] if codings[0] != "deflate" else [zlib.decompressobj(), zlib.decompressobj(-zlib.MAX_WBITS)]

    def unpack(data: bytes, room: int) -> bytes:
        while True:
            try:
                return decoders[0].decompress(data, room + 1)  # stops one byte over the room: the caller sees it is too large
            except zlib.error as exc:
                if len(decoders) == 1:
                    raise FetchError(f"a damaged {codings[0]} body ({exc})", transient=False, headers=headers) from None
                decoders.pop(0)

    return unpack


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docqa")
    except PackageNotFoundError:
        return "dev"


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"
