"""docqa crawl against quirks of real websites, served by the hostile site (tests/hostile_site.py): session ids in
URLs, legacy charsets nobody declared, broken child sitemaps, a CMS's wrong canonical links, query parameters that
select a page, robots rules outside robots.txt. Each test's docstring says what went wrong before its fix."""

from __future__ import annotations

from docqa.ingest.crawl.crawler import CrawlResult
from tests.hostile_site import HostileSite, fixed, html
from tests.test_crawl_hostile import crawl_site, outcomes, site  # noqa: F401  (site: the fixture)


def crawled(result: CrawlResult, site: HostileSite) -> list[str]:
    """The URLs the crawl decided about, without the site's address."""
    return sorted(o.url.removeprefix(site.url) for o in result.outcomes)


def by_query(pages: dict[str, bytes]):
    """A route answering by the whole query string (404 for another one)."""

    def route(handler) -> None:
        query = handler.path.split("?", 1)[1] if "?" in handler.path else ""
        body = pages.get(query)
        (fixed(body) if body is not None else fixed(b"no such page", status=404))(handler)

    return route


def test_session_ids_in_urls_do_not_make_one_page_many(site):
    """Was one page crawled (and indexed) once per session id: courlan drops `sessionid=` but keeps PHPSESSID,
    jsessionid and ASPSESSIONID…, and it escapes a servlet's `;jsessionid=…` path parameter to `%3Bjsessionid=…`,
    an address the server does not know (404)."""
    links = [
        "/page.html?sessionid=abc", "/page.html?PHPSESSID=9682993c8daa2c5497996114facdc805", "/page.html;jsessionid=0A1B2C3D4E5F",
        "/page.html;jsessionid=FFEE01.node2?", "/page.html?JSESSIONID=77", "/page.html?ASPSESSIONIDQACTRDSA=KLMNOPQRSTUV",
        "/list.html?year=2024&PHPSESSID=xyz", "/list.html;JSESSIONID=ab12?year=2024",
    ]
    site.routes["/"] = fixed(html(" ".join(f'<a href="{link}">x</a>' for link in links)))
    site.routes["/page.html"] = fixed(html("The glacier survey page."))
    site.routes["/list.html"] = by_query({"year=2024": html("The 2024 list of glacier surveys.")})
    result = crawl_site(site, follow_links=True)
    assert crawled(result, site) == ["/", "/list.html?year=2024", "/page.html"]
    assert all(o.status == "fetched" and not o.detail for o in result.outcomes), result.outcomes
    assert site.log.count("/page.html") == 1 and len(result.state.documents()) == 3


def test_a_redirect_that_adds_a_session_id_to_the_same_page_is_followed(site):
    """Was "redirect loop: /app.html → /app.html": a servlet checking for cookies redirects a page to itself with
    `;jsessionid=…`, which is the same page once the session id is dropped. That redirect is now followed as
    written, and the page is kept under its address without the session id."""
    site.routes["/"] = fixed(html('<a href="/app.html">the application</a> <a href="/again.html">again</a>'))
    site.routes["/app.html"] = fixed(b"", status=302, Location="/app.html;jsessionid=5F3A09C1")
    site.routes["/app.html;jsessionid=5F3A09C1"] = fixed(html("The glacier survey application."))
    site.routes["/again.html"] = fixed(b"", status=302, Location="/again.html;jsessionid=AA")  # a new id each time:
    site.routes["/again.html;jsessionid=AA"] = fixed(b"", status=302, Location="/again.html;jsessionid=BB")  # a loop
    result = crawl_site(site, follow_links=True)
    seen = outcomes(result)
    assert seen["app.html"] == ("fetched", "") and seen["again.html"][0] == "skipped" and "redirect loop" in seen["again.html"][1]
    assert site.log.count("/again.html") == 1 and site.log.count("/again.html;jsessionid=AA") == 1
    record = result.state.pages[site.url + "/app.html"]
    assert record.final_url == record.canonical == site.url + "/app.html" and "application" in record.text


def test_path_parameters_are_requested_as_written(site):
    """Was a 404: courlan escapes `;` in paths, so the servlet path parameter in /doc;v=2 was requested as
    /doc%3Bv=2, a name the server does not have."""
    site.routes["/"] = fixed(html('<a href="/doc;v=2">the second version</a>'))
    site.routes["/doc;v=2"] = fixed(html("Version 2 of the glacier report."))
    result = crawl_site(site, follow_links=True)
    assert outcomes(result)["doc;v=2"] == ("fetched", "")
    assert "Version 2" in result.state.pages[site.url + "/doc;v=2"].text


def test_query_parameters_that_select_a_page_are_kept(site):
    """Was distinct pages crawled as one, and an address requested that no page links to: courlan drops every query
    parameter whose name merely starts like a tracker's (gallery=, sessions=, reference=: ga, session, ref), so
    /photos.php?gallery=1 and ?gallery=2 were both fetched as /photos.php."""
    pages = {"gallery=1": html("Photos of the Mer de Glace."), "gallery=2": html("Photos of the Aletsch glacier."),
             "sessions=2024": html("The 2024 conference sessions."), "reference=12": html("Reference 12: ice cores.")}
    site.routes["/"] = fixed(html(" ".join(f'<a href="/photos.php?{query}">x</a>' for query in pages)
                                  + ' <a href="/photos.php?gallery=1&amp;utm_source=newsletter&amp;fbclid=x1">tracked</a>'))
    site.routes["/photos.php"] = by_query(pages)
    result = crawl_site(site, follow_links=True)
    assert crawled(result, site) == ["/", *sorted(f"/photos.php?{query}" for query in pages)]  # trackers are still dropped
    assert all(status == "fetched" for status, _ in outcomes(result).values())


def test_short_pages_in_a_legacy_charset_nobody_declared_read_right(site):
    """Was mojibake ("Le cafť ťtait fermť"): without a declared charset, charset_normalizer reads short Western
    text (and French at any length) as a Central European or Baltic code page."""
    pages = {  # path: (text, encoding, Content-Type, what the index must read)
        "/latin1.html": ("<p>Le café était fermé.</p>", "latin-1", "text/html", "Le café était fermé."),
        "/cp1252.html": ("<p>“Un été à Noël” – 5 €</p>", "cp1252", "text/html", "“Un été à Noël” – 5 €"),
        "/note": ("Le café était fermé à Noël, déjà très tôt.", "latin-1", "text/plain", "fermé à Noël, déjà très tôt"),
        "/long.html": ("<p>" + "Le café était fermé à Noël, déjà très tôt. " * 20 + "</p>", "cp1252", "text/html", "fermé à Noël, déjà très tôt"),
        # Still read right: a declared charset, and a text that is not Western European.
        "/declared.html": ('<meta charset="iso-8859-2"><p>Árvíztűrő tükörfúrógép: a tanács hétfőn ülésezik.</p>', "iso-8859-2", "text/html", "Árvíztűrő"),
        "/russian.html": ("<p>Привет! Это страница агентства о ледниках и океанах.</p>", "cp1251", "text/html", "Это страница агентства"),
    }
    site.routes["/"] = fixed(html(" ".join(f'<a href="{path}">x</a>' for path in pages)))
    for path, (text, encoding, content_type, _) in pages.items():
        site.routes[path] = fixed(text.encode(encoding), content_type)
    result = crawl_site(site, follow_links=True)
    assert len(pages["/latin1.html"][0].encode("latin-1")) < 30
    for path, (*_, expected) in pages.items():
        assert expected in (result.state.pages[site.url + path].text or ""), (path, result.state.pages[site.url + path].text)


def sitemap_index(site: HostileSite, children: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{site.url}{child}</loc></sitemap>" for child in children)
    return f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'.encode()


def urlset(site: HostileSite, paths: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{site.url}{path}</loc></url>" for path in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'.encode()


def test_a_child_sitemap_that_fails_is_skipped_with_a_warning_and_its_pages_are_kept(site, caplog):
    """Was a failed crawl that published nothing: one child of a sitemap index answering 404 (or 500, or an HTML
    page) failed the whole crawl."""
    children = ["/sm/ok.xml", "/sm/missing.xml", "/sm/broken.xml", "/sm/html.xml"]
    site.routes["/robots.txt"] = fixed(f"User-agent: *\nAllow: /\nSitemap: {site.url}/sitemap_index.xml\n".encode(), "text/plain")
    site.routes["/sitemap_index.xml"] = fixed(sitemap_index(site, children), "application/xml")
    site.routes["/sm/ok.xml"] = fixed(urlset(site, ["/", "/a.html"]), "application/xml")
    site.routes["/sm/broken.xml"] = fixed(urlset(site, ["/b.html"]), "application/xml")
    site.routes["/sm/html.xml"] = fixed(html("Our sitemap moved."))
    site.routes["/"] = fixed(html("Home of the glacier survey."))
    site.routes["/a.html"] = fixed(html("The survey hut sleeps six."))
    site.routes["/b.html"] = fixed(html("The glacier lost twelve metres this year."))
    first = crawl_site(site)
    seen = outcomes(first)
    assert first.failure is None and seen["a.html"] == seen["b.html"] == ("fetched", "")
    assert seen["sm/missing.xml"] == ("skipped", "sitemap answered HTTP 404; the pages it lists were not crawled")
    assert seen["sm/html.xml"][0] == "skipped" and "not XML" in seen["sm/html.xml"][1]
    assert f"{site.url}/sm/missing.xml: sitemap answered HTTP 404" in caplog.text  # the log of `serve --sync` says it too
    assert site.url.removeprefix("http://") not in first.complete_sites  # a sitemap missing: removed pages cannot be told

    site.routes["/sm/broken.xml"] = fixed(b"<h1>Internal error</h1>", status=500)
    again = crawl_site(site, state=first.state)
    seen = outcomes(again)
    assert again.failure is None and seen["a.html"] == ("fetched", "")
    assert seen["sm/broken.xml"] == ("error", "sitemap answered HTTP 500; the pages it lists were not crawled")
    assert "twelve metres" in again.state.pages[site.url + "/b.html"].text  # listed there only: kept, not removed


def page_with_canonical(canonical: str, text: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><title>{text[:20]}</title><link rel="canonical" href="{canonical}"></head>'
            f"<body><main><p>{text}</p></main></body></html>").encode()


def test_a_canonical_link_to_the_home_page_on_every_page_does_not_merge_the_site(site):
    """Was the whole site indexed as one document: every page said <link rel="canonical" href="/"> (a common CMS
    misconfiguration), and one document is kept per canonical URL. A true duplicate (a print view) still merges."""
    site.routes["/"] = fixed(page_with_canonical("/", 'Home of the glacier survey. <a href="/a.html">a</a> <a href="/b.html">b</a> '
                                                 '<a href="/a.html?print=1">print</a> <a href="/index.html">home</a>'))
    article = "The survey hut sleeps six and has a stove."

    def a_page(handler) -> None:  # its print view names the article as canonical, as it should
        fixed(page_with_canonical("/a.html" if "print=1" in handler.path else "/", article))(handler)

    site.routes["/a.html"] = a_page
    site.routes["/b.html"] = fixed(page_with_canonical("/", "The glacier lost twelve metres this year."))
    site.routes["/index.html"] = site.routes["/"]
    result = crawl_site(site, follow_links=True)
    documents = {d.doc_id.removeprefix(site.url): d.text for d in result.state.documents()}
    assert sorted(documents) == ["/", "/a.html", "/b.html"]
    assert "stove" in documents["/a.html"] and "twelve metres" in documents["/b.html"] and "Home" in documents["/"]


def test_pages_and_files_that_ask_not_to_be_indexed_are_not(site):
    """Were indexed: `<meta name="robots" content="none">` (noindex and nofollow in one word) and the
    `X-Robots-Tag: noindex` header (the only way a PDF can ask) were not read; rules for another robot still do not apply."""
    from tests.crawl_site import make_pdf

    pdf = make_pdf("Internal salary grid of the agency.")
    site.routes["/"] = fixed(html(" ".join(f'<a href="{p}">x</a>' for p in ("/none.html", "/header.html", "/grid.pdf", "/other.pdf"))))
    site.routes["/none.html"] = fixed(b'<html><head><meta name="robots" content="none"></head><body><p>Draft page.</p></body></html>')
    site.routes["/header.html"] = fixed(html("A draft page."), X_Robots_Tag="noarchive, NoIndex")
    site.routes["/grid.pdf"] = fixed(pdf, "application/pdf", X_Robots_Tag="unavailable_after: 25 Jun 2030 15:00:00 PST, noindex")
    site.routes["/other.pdf"] = fixed(pdf, "application/pdf", X_Robots_Tag="googlebot: noindex")
    result = crawl_site(site, follow_links=True)
    seen = outcomes(result)
    for path in ("none.html", "header.html", "grid.pdf"):
        assert seen[path][0] == "fetched" and "not to be indexed" in seen[path][1], (path, seen[path])
    assert seen["other.pdf"] == ("fetched", "")  # a rule for googlebot alone
    assert [d.doc_id.removeprefix(site.url) for d in result.state.documents()] == ["/", "/other.pdf"]
