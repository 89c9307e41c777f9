"""A small agency website served on 127.0.0.1 for the crawl tests (and benchmarks/crawl.py).

Every response carries an ETag and a Last-Modified header and honours If-None-Match /
If-Modified-Since with 304; each request is logged (path, status). Pages can be changed,
deleted and added while it runs. `agency_site()` builds the fixture site of issue 13.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.server import ThreadingHTTPServer

from tests.local_http import QuietHandler, serve, url_of

HTML = "text/html; charset=utf-8"


@dataclass
class Resource:
    body: bytes
    content_type: str
    modified: float
    sitemap: str | None = None
    """Which sitemap lists it ("news", "calls"), if any."""
    lastmod: bool = True
    """Whether its sitemap entry has a <lastmod>."""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


def page(title: str, body: str, *, lang: str = "en", links: tuple[str, ...] = (), canonical: str | None = None) -> bytes:
    """An HTML page with navigation and a footer around its article (the cleaning drops them)."""
    nav = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    head = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head><body>'
        f'<nav><ul><li><a href="/">Home</a></li></ul></nav><main><article><h1>{title}</h1>{body}'
        f'<ul class="related">{nav}</ul></article></main><footer>Agency footer. Legal notice. Contact.</footer></body></html>'
    ).encode()


class FixtureSite:
    """A mutable website on 127.0.0.1 with a request log."""

    def __init__(self) -> None:
        self.resources: dict[str, Resource] = {}
        self.redirects: dict[str, str] = {}
        self.raw: dict[str, tuple[bytes, str]] = {}
        """Paths answered as they are (robots.txt extras, broken sitemaps), still with validators."""
        self.slow: dict[str, float] = {}
        self.disallow: list[str] = []
        self.crawl_delay: float | None = None
        self.failing: tuple[str, ...] = ()
        """Path prefixes answered 503 (a site going down)."""
        self.times: list[float] = []
        self.log: list[tuple[str, int]] = []
        self._clock = 1_700_000_000.0
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # ---- content

    def tick(self) -> float:
        self._clock += 3600
        return self._clock

    def put(self, path: str, body: bytes, content_type: str = HTML, *, sitemap: str | None = None, lastmod: bool = True) -> None:
        self.resources[path] = Resource(body, content_type, self.tick(), sitemap, lastmod)

    def delete(self, path: str) -> None:
        del self.resources[path]

    def sitemap(self, name: str) -> bytes:
        entries = []
        for path, res in sorted(self.resources.items()):
            if res.sitemap == name:
                lastmod = f"<lastmod>{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(res.modified))}</lastmod>" if res.lastmod else ""
                entries.append(f"<url><loc>{self.url}{path}</loc>{lastmod}</url>")
        return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(entries) + "</urlset>").encode()

    def answer(self, path: str) -> tuple[int, bytes, str, float, dict[str, str]]:
        """(status, body, content type, modified time, extra headers) for a path."""
        if path == "/robots.txt":
            rules = "".join(f"Disallow: {p}\n" for p in self.disallow)
            rules += f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
            return 200, f"User-agent: *\n{rules}\nSitemap: {self.url}/sitemap_index.xml\n".encode(), "text/plain", self._clock, {}
        if path == "/sitemap_index.xml":
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{self.url}/sitemaps/news.xml</loc></sitemap><sitemap><loc>{self.url}/sitemaps/calls.xml.gz</loc></sitemap>"
                "</sitemapindex>"
            ).encode()
            return 200, body, "application/xml", self._clock, {}
        if path == "/sitemaps/news.xml":
            return 200, self.sitemap("news"), "application/xml", self._clock, {}
        if path == "/sitemaps/calls.xml.gz":
            return 200, gzip.compress(self.sitemap("calls"), mtime=0), "application/gzip", self._clock, {}
        if path.startswith(self.failing or ("\0",)):
            return 503, b"<h1>Service unavailable</h1>", HTML, self._clock, {}
        if path in self.redirects:
            return 301, b"", HTML, self._clock, {"Location": self.redirects[path]}
        if path in self.raw:
            body, content_type = self.raw[path]
            return 200, body, content_type, self._clock, {}
        res = self.resources.get(path)
        if res is None:
            return 404, b"<h1>Not found</h1>", HTML, self._clock, {}
        return 200, res.body, res.content_type, res.modified, {}

    # ---- serving

    @property
    def url(self) -> str:
        return url_of(self.server)

    def start(self) -> "FixtureSite":
        site = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with site._lock:
                    status, body, content_type, modified, extra = site.answer(path)
                    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                    if status == 200 and self._not_modified(etag, modified):
                        status = 304
                    site.log.append((path, status))
                    site.times.append(time.monotonic())
                if path in site.slow:
                    time.sleep(site.slow[path])
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", formatdate(modified, usegmt=True))
                for key, value in extra.items():
                    self.send_header(key, value)
                if status == 304:
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (the slow page)

            def _not_modified(self, etag: str, modified: float) -> bool:
                match = self.headers.get("If-None-Match")
                if match is not None:
                    return etag in [m.strip() for m in match.split(",")]
                since = self.headers.get("If-Modified-Since")
                if since:
                    try:
                        return parsedate_to_datetime(since).timestamp() >= int(modified)
                    except (TypeError, ValueError):
                        return False
                return False

        self.server = serve(Handler)
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def requests_since(self, mark: int) -> list[tuple[str, int]]:
        return self.log[mark:]


DISCOVERY = {"/robots.txt", "/sitemap_index.xml", "/sitemaps/news.xml", "/sitemaps/calls.xml.gz"}


def make_pdf(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def make_docx(title: str, text: str) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Room"
    table.rows[0].cells[1].text = "B-204"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_odt(title: str, text: str) -> bytes:
    from odfdo import Document, Header, Paragraph

    document = Document("text")
    document.body.clear()
    document.meta.set_title(title)
    document.body.append(Header(1, title))
    document.body.append(Paragraph(text))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PAGES = {
    "/news/budget.html": ("Budget 2025", "<p>The agency's budget for 2025 is 42 million euros.</p><p>Most of it funds research calls.</p>"),
    "/news/lab.html": ("New laboratory", "<p>The glacier laboratory opened in Grenoble in March.</p><p>It hosts twelve researchers.</p>"),
    "/news/moved.html": ("Partnership renewed", "<p>The partnership with the Nordic council was renewed until 2030.</p>"),
    "/calls/call-2025.html": ("Call 2025", "<p>The 2025 call on ocean acidification closes on 14 May.</p>"),
    "/calls/call-2026.html": ("Call 2026", "<p>The 2026 call funds projects on soil microbes, up to 300,000 euros each.</p>"),
    "/hidden.html": ("Staff directory", "<p>The press officer of the agency is Marta Oliveira.</p>"),
}


def agency_site(*, big_bytes: int = 300_000, slow_seconds: float = 2.0) -> FixtureSite:
    """The fixture site of issue 13 (not started): see the tests for what each path exercises."""
    site = FixtureSite()
    site.disallow = ["/private/"]
    home_links = ("/news/budget.html", "/hidden.html", "/missing.html", "/docs/report.pdf", "/docs/minutes.docx",
                  "/docs/agenda.odt", "/private/secret.html", "http://other.invalid/page.html", "/images/logo.png")
    site.put("/", page("Research Agency", "<p>The research agency funds science in two languages.</p>", links=home_links), sitemap="news")
    for path, (title, body) in PAGES.items():
        listed = None if path in ("/hidden.html", "/news/moved.html") else ("calls" if path.startswith("/calls/") else "news")
        canonical = "/news/moved.html" if path == "/news/moved.html" else None
        site.put(path, page(title, body, canonical=canonical), sitemap=listed, lastmod=path != "/calls/call-2025.html")
    site.put("/fr/actualite.html", page("Appel à projets", "<p>L'appel à projets sur les océans est ouvert jusqu'au 14 mai.</p>", lang="fr"), sitemap="news")
    site.redirects["/old-partnership.html"] = "/news/moved.html"
    site.resources["/old-partnership.html"] = Resource(b"", HTML, site.tick(), sitemap="news")  # listed under its old address
    site.put("/slow.html", page("Slow page", "<p>This page answers too late.</p>"), sitemap="news")
    site.slow["/slow.html"] = slow_seconds
    site.put("/big.html", page("Big page", "<p>" + "Large archive text. " * (big_bytes // 20) + "</p>"), sitemap="news")
    site.put("/private/secret.html", page("Secret", "<p>Internal salary grid.</p>"), sitemap="news")
    site.put("/docs/report.pdf", make_pdf("Annual report. The agency funded 118 projects in 2024."), "application/pdf")
    site.put("/docs/minutes.docx", make_docx("Board minutes", "The board met on 3 June and approved the new ethics charter."),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    site.put("/docs/agenda.odt", make_odt("Seminar agenda", "The seminar on open data takes place in Lyon on 9 October."),
             "application/vnd.oasis.opendocument.text")
    return site
