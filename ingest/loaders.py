"""Files → `Document`s: .txt, .md, .html, .pdf, .docx and .odt, cleaned and normalised.

Every file either becomes a `Document` or a `Skipped` with a reason a person can act on.
`load_data` reads the same formats from bytes (the web crawler's responses).
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import stat
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, TypeVar

from docqa.index.storage.sources import cited_source
from docqa.index.storage.store import LanguageLink
from docqa.ingest.pdf_text import HelperFailed, TooDemanding, Unreadable, in_helper, pdf_text

T = TypeVar("T")

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".odt")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Office files are zip archives: one that unpacks to more than this is refused (a zip bomb)."""
IN_PROCESS_BYTES = 256 * 1024
"""HTML, Markdown, DOCX and ODT files (and a crawled page's links) larger than this are parsed in the helper process (ingest/pdf_text.py),
within `FileLimits.max_seconds`: their parsers are not linear on hostile nesting (100,000 nested <div>,
1.1 MB, took 33 s; 1.1 MB of 250-deep blocks 37 s), while no file of this size took more than ~7 s."""


@dataclass(frozen=True)
class FileLimits:
    """How much one PDF may demand at ingest; beyond any of these it is skipped with the reason
    (a PDF bomb: small file, pages inflating to megabytes of drawing commands). See ingest/pdf_text.py."""

    max_pages: int = 2000
    max_chars: int = 10_000_000
    """Characters of extracted text."""
    max_seconds: float = 60.0
    """Time to read the file (it is read in a helper process, stopped after this)."""


@dataclass(frozen=True)
class Document:
    """One source document as clean, normalised text."""

    doc_id: str
    title: str
    source: str
    text: str
    language: str | None = None
    """Its language as declared (a crawled page's lang attribute or Content-Language), e.g. "fr";
    None: detected from the text at ingest."""
    site: str | None = None
    """The name of the site an HTML page belongs to, from its metadata or banner (`site_name`); None if none."""
    language_links: tuple[LanguageLink, ...] = ()
    """An HTML page's links to its versions in other languages (language_links.py)."""

    @property
    def hash(self) -> str:
        """Content hash: changes exactly when the indexed text, title, site name or language links change."""
        site = f"\n{self.site}" if self.site else ""  # (a document without them keeps the hash it had)
        links = "".join(f"\n{link.language} {link.label} {link.url}" for link in self.language_links)
        return hashlib.sha256(f"{self.title}\n{self.text}{site}{links}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Skipped:
    """A file that could not be indexed, and why."""

    path: str
    reason: str
    ignored: bool = False
    """Left out by policy, not a failure: a file of a type docqa does not read, a link to a folder, a file
    reached twice (reported, but the ingest still counts as complete: exit 0)."""


def normalise_text(text: str) -> str:
    """Repair mojibake, NFC-normalise, tidy whitespace (paragraph breaks kept)."""
    import ftfy

    text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's: it begins with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def unicode_bom(data: bytes) -> str | None:
    """The encoding a UTF-16 or UTF-32 byte order mark at the start of `data` names (Windows "Unicode"
    text), else None. Such text is full of NUL bytes, so it is recognised before the binary check."""
    return next((encoding for bom, encoding in _UNICODE_BOMS if data.startswith(bom)), None)


def web_codec(label: str) -> str | None:
    """The Python codec for a charset label (a Content-Type's or a `<meta>`'s); None for one Python does not know
    or that is not a text encoding (x-bogus, rot13, zlib)."""
    import codecs

    try:
        name = codecs.lookup(label.strip().strip("'\"")).name
        b"\0\0\0\0".decode(name)  # LookupError for a codec that is not a text encoding
    except LookupError:
        return None
    return name


def _meta_charset(data: bytes) -> str | None:
    """The charset an HTML page's `<meta charset>` or `<meta http-equiv="Content-Type">` declares within its
    first 1024 bytes (where browsers look for it), if Python knows it."""
    from email.message import Message

    from selectolax.lexbor import LexborHTMLParser

    for node in LexborHTMLParser(data[:1024].decode("ascii", "replace")).css("meta"):
        label = node.attributes.get("charset")
        if not label and (node.attributes.get("http-equiv") or "").lower() == "content-type":
            header = Message()
            header["content-type"] = node.attributes.get("content") or ""
            label = header.get_content_charset()
        codec = web_codec(label) if label else None
        if codec:
            return "utf-8" if codec.startswith(("utf-16", "utf-32")) else codec  # what browsers do: this head was ASCII
    return None


def decode_bytes(data: bytes, *, html: bool = False) -> str | None:
    """UTF-16/32 with a byte order mark; UTF-8 when valid; for `html`, the charset its `<meta>` declares; else
    windows-1252 when the charset detector finds that reading plausible (what browsers assume for Western pages
    that declare nothing: the detector alone reads short French or English text as a Central European or Baltic
    code page); else the detector's most plausible encoding; else None."""
    encoding = unicode_bom(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        return None if "\x00" in text else text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _meta_charset(data) if html else None
    if declared:
        return data.decode(declared, "replace")
    import charset_normalizer

    western = charset_normalizer.from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None:
        return str(western)
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        return None
    return str(best)


def _title_from_text(text: str, fallback: str) -> str:
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    if first and len(first) <= 120 and not first.endswith((".", "?", "!", ":")):
        return first
    return fallback


def _load_markdown(raw: str, fallback_title: str) -> tuple[str, str]:
    from markdown_it import MarkdownIt

    blocks: list[str] = []
    title = ""
    tokens = MarkdownIt().parse(raw)
    for i, token in enumerate(tokens):
        if token.type == "inline":
            text = "".join(
                c.content if c.type in ("text", "code_inline") else " " if c.type in ("softbreak", "hardbreak") else ""
                for c in token.children or []
            )
            if not title and i > 0 and tokens[i - 1].type == "heading_open" and tokens[i - 1].tag == "h1":
                title = text.strip()
            blocks.append(text)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
    return title or _title_from_text(raw, fallback_title), "\n".join(b for b in blocks if b.strip())


_SITE_META = 'meta[property="og:site_name"], meta[name="og:site_name"], meta[name="application-name"]'
_NOT_BANNER = "nav, script, style, ul, ol, form, button, noscript, template, select"
_MAX_SITE_CHARS = 200


def site_name(tree) -> str | None:
    """The name of the site a parsed HTML page (selectolax) belongs to: its og:site_name or application-name meta
    tag, else the text of its banner (the page's own <header> or role="banner", not an article's; navigation, lists
    and forms left out). None when the page has neither or the banner's text is longer than a name."""
    for meta in tree.css(_SITE_META):
        content = " ".join((meta.attributes.get("content") or "").split())
        if 1 < len(content) <= _MAX_SITE_CHARS:
            return content
    within: dict[int, bool] = {}  # node -> whether an article, main, section or aside holds it (each node walked once)
    for banner in tree.css('header, [role="banner"]'):
        path, parent, inside = [], banner.parent, False
        while parent is not None:
            if parent.tag in ("article", "main", "section", "aside"):
                inside = True
                break
            if parent.mem_id in within:
                inside = within[parent.mem_id]
                break
            path.append(parent.mem_id)
            parent = parent.parent
        within.update(dict.fromkeys(path, inside))
        if inside:
            continue
        for node in banner.css(_NOT_BANNER):
            node.decompose()
        words = " ".join(banner.text(separator=" ").split())
        return words if 1 < len(words) <= _MAX_SITE_CHARS else None
    return None


@dataclass(frozen=True)
class _Parsed:
    """What a parser read of a file: its title and text; of an HTML page also its canonical URL, site and language links."""

    title: str
    text: str
    url: str | None = None
    site: str | None = None
    language_links: tuple[LanguageLink, ...] = ()


def _load_html(raw: str, fallback_title: str) -> _Parsed:
    import trafilatura
    from selectolax.lexbor import LexborHTMLParser

    from docqa.ingest.language_links import language_links

    text = trafilatura.extract(raw, output_format="txt", favor_recall=True, include_comments=False, include_tables=True)
    meta = trafilatura.extract_metadata(raw)
    title = (meta.title if meta and meta.title else "") or fallback_title
    url = meta.url if meta and meta.url else None
    tree = LexborHTMLParser(raw)
    links = language_links(tree, page_url=url)  # first: site_name takes the banner's lists out of the tree
    site = site_name(tree)
    if not text:
        for node in tree.css("script, style, nav, header, footer, noscript, template"):
            node.decompose()
        body = tree.body
        text = body.text(separator="\n") if body else ""
    return _Parsed(title, text or "", url, site, links)


def _load_pdf(data: bytes, fallback_title: str, limits: FileLimits) -> tuple[str, str]:
    title, text = pdf_text(data, max_pages=limits.max_pages, max_chars=limits.max_chars, max_seconds=limits.max_seconds)
    return title or _title_from_text(text, fallback_title), text


def _check_archive(data: bytes) -> None:
    """A .docx or .odt must be a zip archive of a sane unpacked size."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(item.file_size for item in archive.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValueError(f"unpacks to {unpacked // (1024 * 1024)} MB (limit {MAX_UNPACKED_BYTES // (1024 * 1024)} MB)")


def _load_docx(data: bytes, fallback_title: str) -> tuple[str, str]:
    import docx
    from docx.table import Table

    _check_archive(data)
    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for block in document.iter_inner_content():  # paragraphs and tables, in reading order
        if isinstance(block, Table):
            blocks.extend(" | ".join(cell.text.strip() for cell in row.cells) for row in block.rows)
        else:
            blocks.append(block.text)
    text = "\n\n".join(b for b in blocks if b.strip())
    title = (document.core_properties.title or "").strip()
    return title or _title_from_text(text, fallback_title), text


def _load_odt(data: bytes, fallback_title: str) -> tuple[str, str]:
    from odfdo import Document as OdfDocument

    _check_archive(data)
    document = OdfDocument(io.BytesIO(data))
    text = document.get_formatted_text()
    title = (document.meta.get_title() or "").strip()
    return title or _title_from_text(text, fallback_title), text


def _parse(raw: str | bytes, suffix: str, fallback_title: str) -> _Parsed:
    """What an HTML or Markdown text, or DOCX or ODT bytes, hold."""
    if suffix in (".html", ".htm"):
        return _load_html(raw, fallback_title)  # type: ignore[arg-type]
    if suffix in (".md", ".markdown"):
        return _Parsed(*_load_markdown(raw, fallback_title))  # type: ignore[arg-type]
    return _Parsed(*(_load_docx if suffix == ".docx" else _load_odt)(raw, fallback_title))  # type: ignore[arg-type]


def within_limits(function: Callable[..., T], *args: Any, size: int, limits: FileLimits) -> T:
    """`function(*args)` here for an input of `size` bytes up to `IN_PROCESS_BYTES`, else in the helper process,
    stopped after `limits.max_seconds` (`TooDemanding`): a module-level function, pickled by name."""
    if size <= IN_PROCESS_BYTES:
        return function(*args)
    return in_helper(function, *args, max_seconds=limits.max_seconds)


def helper_refusal(suffix: str, exc: TooDemanding | HelperFailed) -> str:
    """Why a file of type `suffix` was not read, for a limit it went beyond or a helper process that died."""
    return f"{suffix[1:].upper()} {'over a limit' if isinstance(exc, TooDemanding) else 'not read'}: {exc}"


def printable_path(path: Path | str) -> str:
    """A file name as valid UTF-8 (undecodable bytes in names become U+FFFD)."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def load_file(path: Path, *, doc_id: str, limits: FileLimits = FileLimits()) -> Document | Skipped:
    """Read one file into a `Document`, or say why it was skipped (`limits`: what a PDF may demand).

    The document cites `doc_id` (the path relative to the folder ingested), never this machine's path
    (`sources.cited_source`); an HTML page's canonical link replaces it. A `Skipped` names the path as given."""
    shown = printable_path(path)
    doc_id = printable_path(doc_id)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return Skipped(shown, f"unsupported file type {suffix or '(no extension)'}", ignored=True)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            return Skipped(shown, "not a regular file (device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            return Skipped(shown, f"too large ({info.st_size // (1024 * 1024)} MB; limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
        if len(data) > MAX_FILE_BYTES:
            return Skipped(shown, f"too large (more than {MAX_FILE_BYTES // (1024 * 1024)} MB; it grew while being read)")
    except OSError as exc:
        return Skipped(shown, f"cannot read: {exc.strerror or exc}")
    fallback_title = path.stem.replace("_", " ").replace("-", " ").strip() or path.name
    loaded = load_data(data, suffix=suffix, doc_id=doc_id, source=shown, fallback_title=fallback_title, limits=limits)
    if isinstance(loaded, Document) and loaded.source == shown:
        return replace(loaded, source=cited_source(doc_id, shown))
    return loaded


def load_data(
    data: bytes, *, suffix: str, doc_id: str, source: str, fallback_title: str, limits: FileLimits = FileLimits()
) -> Document | Skipped:
    """Read a document's bytes as a file of type `suffix` (".html", ".pdf"...) into a `Document`, or say why not.

    `source` is what answers cite (an HTML page's canonical link replaces it) and what a `Skipped` names.
    """
    shown = source
    parsed: _Parsed | None = None
    if not data.strip():
        return Skipped(shown, "empty file")
    try:
        if suffix == ".pdf":
            if not data.startswith(b"%PDF"):
                return Skipped(shown, "not a PDF file (no %PDF header)")
            title, text = _load_pdf(data, fallback_title, limits)
        elif suffix in (".docx", ".odt"):
            if not data.startswith(b"PK"):
                return Skipped(shown, f"not a {suffix[1:].upper()} file (not a zip archive)")
            parsed = within_limits(_parse, data, suffix, fallback_title, size=len(data), limits=limits)
            title, text = parsed.title, parsed.text
        else:
            if b"\x00" in data[:8192] and unicode_bom(data) is None:
                return Skipped(shown, "binary file (contains NUL bytes)")
            raw = decode_bytes(data, html=suffix in (".html", ".htm"))
            if raw is None:
                return Skipped(shown, "undecodable text (no plausible character encoding)")
            if suffix in (".html", ".htm", ".md", ".markdown"):
                parsed = within_limits(_parse, raw, suffix, fallback_title, size=len(data), limits=limits)
                title, text, source = parsed.title, parsed.text, parsed.url or shown
            else:
                title, text = _title_from_text(raw, fallback_title), raw
    except (TooDemanding, HelperFailed) as exc:
        return Skipped(shown, helper_refusal(suffix, exc))
    except Unreadable as exc:
        return Skipped(shown, f"corrupt or unreadable {suffix[1:].upper()}: {exc}"[:300])
    except Exception as exc:  # parsers raise many kinds on corrupt input; each becomes a reason
        return Skipped(shown, f"corrupt or unreadable {suffix[1:].upper()}: {type(exc).__name__}: {exc}"[:300])
    text = normalise_text(text)
    if not text:
        return Skipped(shown, "no text found" + (" (a scan? text in images is not read)" if suffix == ".pdf" else ""))
    site, links = (parsed.site, parsed.language_links) if parsed is not None else (None, ())
    return Document(doc_id=doc_id, title=normalise_text(title) or fallback_title, source=source, text=text, site=site, language_links=links)
