"""A fetched response → a `Document` (through the ingest loaders: HTML cleaning, PDF, DOCX, ODT), the
links it holds, its canonical URL and its language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from docqa.ingest.crawl.fetcher import Fetched
from docqa.ingest.crawl.urls import normalise, site_of
from docqa.ingest.loaders import Document, FileLimits, Skipped, decode_bytes, helper_refusal, load_data, web_codec, within_limits
from docqa.ingest.pdf_text import HelperFailed, TooDemanding

CONTENT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
}
_BY_NAME = {".htm": ".html", ".html": ".html", ".pdf": ".pdf", ".docx": ".docx", ".odt": ".odt", ".txt": ".txt"}


@dataclass(frozen=True)
class PageContent:
    """What a response holds for the index: a document (or why not), links, canonical URL, language."""

    document: Document | None
    reason: str | None = None
    links: tuple[str, ...] = ()
    canonical: str | None = None
    language: str | None = None


def _suffix(fetched: Fetched) -> str | None:
    content_type = fetched.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type in CONTENT_TYPES:
        return CONTENT_TYPES[content_type]
    if content_type in ("", "application/octet-stream", "binary/octet-stream", "application/download"):
        name = urlsplit(fetched.final_url).path.lower()
        return next((kind for suffix, kind in _BY_NAME.items() if name.endswith(suffix)), None)
    return None


def _as_utf8(fetched: Fetched) -> bytes:
    """The body in UTF-8 when the Content-Type names a charset Python knows (it wins over a guess, as in
    browsers: one stray byte must not make the detector read a UTF-8 page as a legacy code page); else as sent."""
    from email.message import Message

    header = Message()
    header["content-type"] = fetched.headers.get("content-type", "")
    charset = header.get_content_charset()
    codec = web_codec(charset) if charset else None  # None: an unknown or a non-text codec (x-bogus, rot13)
    if not codec:
        return fetched.body
    return fetched.body.decode(codec, "replace").encode("utf-8")


_ROBOTS_RULES = frozenset({
    "all", "noindex", "nofollow", "none", "noarchive", "nocache", "nosnippet", "noimageindex", "notranslate",
    "indexifembedded", "unavailable_after", "max-snippet", "max-image-preview", "max-video-preview",
})


def asks_noindex(rules: str, *, header: bool = False) -> bool:
    """Whether robots rules (a `<meta name="robots">` content; an X-Robots-Tag `header`, a line per header) say
    `noindex` or `none` to docqa. In a header, the rules after `robot-name:` are that robot's alone."""
    for line in rules.lower().splitlines():
        robot = None
        for rule in line.split(","):
            name, colon, rest = rule.partition(":")
            if header and colon and name.strip() not in _ROBOTS_RULES:
                robot, rule = name.strip(), rest
            if rule.strip() in ("noindex", "none") and robot in (None, "docqa"):
                return True
    return False


def _fallback_title(url: str) -> str:
    path = urlsplit(url).path.rstrip("/")
    name = unquote(path.rsplit("/", 1)[-1]).rsplit(".", 1)[0].replace("-", " ").replace("_", " ").strip()
    return name or urlsplit(url).hostname or url


def _html_facts(raw: str, url: str) -> tuple[tuple[str, ...], str | None, str | None, bool]:
    """(links, canonical URL on the same site, lang attribute, whether meta robots says noindex)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)
    base_node = tree.css_first("base[href]")
    base = normalise(base_node.attributes.get("href") or "", base=url) if base_node else None
    base = base or url
    links: dict[str, None] = {}
    for node in tree.css("a[href], area[href]"):
        link = normalise(node.attributes.get("href") or "", base=base)
        if link:
            links[link] = None
    canonical = None
    for node in tree.css("link[rel][href]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split():
            found = normalise(node.attributes.get("href") or "", base=base)
            if found and site_of(found) == site_of(url):
                canonical = found
            break
    html = tree.css_first("html")
    lang = (html.attributes.get("lang") or html.attributes.get("xml:lang") or "") if html else ""
    noindex = any(
        asks_noindex(node.attributes.get("content") or "")
        for node in tree.css("meta[name][content]")
        if (node.attributes.get("name") or "").lower() in ("robots", "docqa")
    )
    return tuple(links), canonical, lang or None, noindex


def _language(declared: str | None, text: str) -> str:
    if declared:
        return declared.split(",", 1)[0].strip().split("-", 1)[0].lower() or "und"
    from docqa.index.answering.language import detect_language

    return detect_language(text[:2000])


def read_response(fetched: Fetched, *, limits: FileLimits = FileLimits()) -> PageContent:
    """The document a 200 response holds (None, with a reason, when it holds none to index); `limits`: what a PDF may
    demand, and the time to read a large page's links and then its text (each in the helper process, as at ingest)."""
    url = fetched.final_url
    suffix = _suffix(fetched)
    if suffix is None:
        kind = fetched.headers.get("content-type", "").split(";", 1)[0].strip() or "no Content-Type"
        return PageContent(None, f"unsupported content type ({kind})")
    links: tuple[str, ...] = ()
    canonical = None
    declared = fetched.headers.get("content-language")
    body = _as_utf8(fetched) if suffix in (".html", ".txt") else fetched.body
    if suffix == ".html":
        raw = decode_bytes(body, html=True)
        if raw is not None:
            try:  # a large page is read in the helper process, like a large HTML file at ingest (hostile nesting)
                links, canonical, lang, noindex = within_limits(_html_facts, raw, url, size=len(body), limits=limits)
            except (TooDemanding, HelperFailed) as exc:
                return PageContent(None, helper_refusal(suffix, exc))
            declared = lang or declared
            if noindex:
                return PageContent(None, "the page asks not to be indexed (meta robots noindex)", links, canonical)
    canonical = canonical or url
    if asks_noindex(fetched.headers.get("x-robots-tag", ""), header=True):
        return PageContent(None, "the page asks not to be indexed (X-Robots-Tag noindex)", links, canonical)
    loaded = load_data(body, suffix=suffix, doc_id=canonical, source=canonical, fallback_title=_fallback_title(canonical), limits=limits)
    if isinstance(loaded, Skipped):
        return PageContent(None, loaded.reason, links, canonical)
    document = dataclasses.replace(loaded, source=canonical)  # the page's canonical URL, not a metadata guess
    return PageContent(document, None, links, canonical, _language(declared, document.text))
