"""URLs: start URLs checked, links normalised, the site a URL belongs to, --include / --exclude.

A site is a host and port; http and https of the same host are one site (a redirect from one
to the other stays on it). The crawl never requests a URL outside the sites it was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from docqa.errors import InvalidInput

PAGE_SUFFIXES = frozenset({"", ".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".cfm"})
FILE_SUFFIXES = frozenset({".pdf", ".docx", ".odt"})
"""Linked documents that are indexed (by their Content-Type too, whatever the name says)."""
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
SESSION_PARAMETERS = re.compile(r"jsessionid|phpsessid|aspsessionid[a-z]{8}|sessionid|session_id|sessid|cfid|cftoken", re.IGNORECASE)
"""Query parameters (whole names) that carry a session id (Java servlets, PHP, classic ASP, ColdFusion): dropped."""
TRACKING_PARAMETERS = re.compile(
    r"utm_\w+|mtm_\w+|pk_\w+|gclid|gbraid|wbraid|dclid|fbclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|xtor", re.IGNORECASE
)
"""Query parameters (whole names) of campaign trackers: dropped."""
_PATH_SESSION = re.compile(r";jsessionid=[^/;?#]*", re.IGNORECASE)
"""A servlet's session id in the path (`/page;jsessionid=0A1B…`)."""


def _tidy_escapes(path: str) -> str:
    """RFC 3986 §6.2.2: an escaped unreserved character is the character (%7E is ~), other escapes in upper case
    (%2f is %2F); otherwise one page is many URLs to the crawl (a trap, and duplicate documents). An escaped `;`
    is a `;` again (courlan escapes it): servlet containers read `/doc;v=2` as /doc with a path parameter, but
    `/doc%3Bv=2` as another name."""

    def one(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char.isascii() and (char.isalnum() or char in "-._~;") else "%" + match.group(1).upper()

    return _ESCAPE.sub(one, path)


def _clean_query(query: str) -> str:
    """The query without session ids and trackers, its parameters sorted (as courlan sorts them). courlan's own
    cleaning is not used: it drops any parameter whose name merely starts like a tracker's (gallery=, glossary=,
    sessions=, reference=), which selects another page, and keeps PHPSESSID, jsessionid and ASPSESSIONID…."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (SESSION_PARAMETERS.fullmatch(k) or TRACKING_PARAMETERS.fullmatch(k))]
    return urlencode(sorted(kept, key=lambda pair: pair[0]))  # a repeated parameter's values keep their order


def site_of(url: str) -> str:
    """The site a URL belongs to: `host:port` (http and https share it when on their default ports)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    return host if port in (80, 443) else f"{host}:{port}"


def normalise(url: str, *, base: str | None = None) -> str | None:
    """`url` (resolved against `base`) as one spelling: lower-case scheme and host, no default port,
    no fragment, "/" for an empty path, no session id (`;jsessionid=…`, `?PHPSESSID=…`) or campaign tracker
    (`utm_source=`…) and the other query parameters sorted. None for anything that is not a usable http(s) URL."""
    import courlan

    try:
        absolute = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(absolute)
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            return None
        parts.port  # raises ValueError on a port that is not a number
        # courlan for the host, port and path; the query is cleaned here (see _clean_query).
        without_query = urlunsplit((parts.scheme, parts.netloc, _PATH_SESSION.sub("", parts.path), "", ""))
        cleaned = urlsplit(courlan.normalize_url(without_query, strict=False))
    except ValueError:
        return None
    return urlunsplit((cleaned.scheme, cleaned.netloc, _tidy_escapes(cleaned.path) or "/", _clean_query(parts.query), ""))


def check_start_url(url: str) -> str:
    """A start URL, normalised; `InvalidInput` saying what is wrong with it otherwise."""
    text = url.strip()
    if not text:
        raise InvalidInput("An empty URL was given.")
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:  # "http://[::1/": a bracket not closed
        raise InvalidInput(f"{url!r} is not a valid URL.") from None
    if scheme in ("file", "ftp", "ftps", "sftp", "mailto", "data", "javascript") or (scheme and "://" in text and scheme not in _DEFAULT_PORTS):
        raise InvalidInput(f"{url!r}: only http and https URLs can be crawled, not {scheme}:")
    if "://" not in text:
        raise InvalidInput(f"{url!r} is not a URL: give it in full, with http:// or https:// (e.g. https://{text.lstrip('/')})")
    if any(c.isspace() for c in text) or not urlsplit(text).hostname:
        raise InvalidInput(f"{url!r} is not a valid URL (no host name, or spaces in it).")
    try:
        urlsplit(text).port
    except ValueError:
        raise InvalidInput(f"{url!r} is not a valid URL (bad port).") from None
    normalised = normalise(text)
    if normalised is None:
        raise InvalidInput(f"{url!r} is not a valid URL.")
    return normalised


def kind_of(url: str) -> str:
    """"page", "file" (a linked document: PDF, DOCX, ODT) or "other" (images, archives...: not fetched),
    by the URL's name; what the server says (Content-Type) decides in the end."""
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    suffix = name[name.rindex(".") :] if "." in name else ""
    if suffix in FILE_SUFFIXES:
        return "file"
    if suffix in PAGE_SUFFIXES or not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        return "page"
    return "other"


def looks_like_sitemap(url: str) -> bool:
    """A start URL naming a sitemap (…/sitemap.xml, …/sitemap_index.xml.gz, …/pages.xml)."""
    path = urlsplit(url).path.lower()
    return path.endswith((".xml", ".xml.gz"))


@dataclass(frozen=True)
class UrlFilter:
    """--include / --exclude: regular expressions searched in the URL (no include pattern: all included)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for pattern in (*self.include, *self.exclude):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InvalidInput(f"Bad URL pattern {pattern!r}: {exc}") from None

    def allows(self, url: str) -> bool:
        """Whether the patterns let `url` be crawled."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)
