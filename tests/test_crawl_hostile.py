"""docqa crawl against a hostile website on 127.0.0.1 (tests/hostile_site.py): pages that never end,
compression bombs, lies and traps. Each test's docstring says what went wrong before its fix."""

from __future__ import annotations

import asyncio
import gzip
import time
import tracemalloc

import pytest

from docqa.ingest.crawl.crawler import CrawlOptions, CrawlResult, crawl
from docqa.ingest.crawl.state import CrawlState
from tests.hostile_site import HostileSite, drip, fixed, html
from tests.test_cli import fake_model  # noqa: F401  (the fixture)


@pytest.fixture
def site():
    served = HostileSite().start()
    yield served
    served.stop()


def crawl_site(site: HostileSite, path: str = "/", *, within: float = 20.0, state: CrawlState = CrawlState(), **options) -> CrawlResult:
    """One crawl of `site` from `path`; a crawl that does not end within `within` seconds fails the test."""
    options = CrawlOptions(**{"allow_private": True, "timeout": 0.5, **options})
    return asyncio.run(asyncio.wait_for(crawl([site.url + path], state=state, options=options), within))


def outcomes(result: CrawlResult) -> dict[str, tuple[str, str]]:
    return {o.url.split("/", 3)[-1]: (o.status, o.detail) for o in result.outcomes}


def test_a_page_that_drips_forever_ends_as_a_timeout(site):
    """Was a hang: httpx's timeout is per read, so one byte every 0.2 s kept a 0.5 s-timeout crawl waiting for ever."""
    site.routes["/"] = fixed(html('<a href="/drip.html">news</a>'))
    site.routes["/drip.html"] = drip(site, every=0.2)
    started = time.monotonic()
    result = crawl_site(site, follow_links=True)
    status, detail = outcomes(result)["drip.html"]
    assert status == "error" and "timeout" in detail and "drip" not in detail
    assert time.monotonic() - started < 10


def test_a_nested_gzip_bomb_stops_at_the_size_limit_without_unpacking(site):
    """Was unbounded memory: this body of a few hundred bytes sent as `Content-Encoding: gzip, gzip` made the crawl
    hold 500 MB at once (httpx unpacks each network chunk whole, through both layers) before the size limit was checked."""
    bomb = gzip.compress(gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9), compresslevel=9)
    site.routes["/"] = fixed(html('<a href="/bomb.html">bomb</a> <a href="/bomb1.html">bomb</a> <a href="/ok.html">ok</a>'))
    site.routes["/bomb.html"] = fixed(bomb, Content_Encoding="gzip, gzip")
    site.routes["/bomb1.html"] = fixed(gzip.compress(b"\0" * (20 * 1024 * 1024)), Content_Encoding="gzip")
    site.routes["/ok.html"] = fixed(gzip.compress(html("A gzipped page about glaciers.")), Content_Encoding="gzip")
    tracemalloc.start()
    try:
        result = crawl_site(site, follow_links=True, max_bytes=100_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    seen = outcomes(result)
    assert seen["bomb.html"][0] == "skipped" and seen["bomb1.html"][0] == "skipped"
    assert "too large" in seen["bomb1.html"][1]
    assert seen["ok.html"] == ("fetched", "") and "glaciers" in result.state.pages[site.url + "/ok.html"].text
    assert peak < 40 * 1024 * 1024, f"{peak / 1e6:.0f} MB held at once"


def test_redirects_to_javascript_are_skipped_and_do_not_crash_the_crawl(site):
    """Was a crash: httpx raises InvalidURL (not an HTTPError) building the next request for `Location: javascript:…`;
    from robots.txt it escaped the crawl as a traceback, from a page it was an "unexpected" error."""
    site.routes["/robots.txt"] = fixed(b"", status=301, Location="javascript:alert(1)")
    site.routes["/"] = fixed(html('<a href="/js.html">a</a> <a href="/ok.html">b</a>'))
    site.routes["/js.html"] = fixed(b"", status=302, Location="javascript:alert(document.cookie)")
    site.routes["/ok.html"] = fixed(html("A page about glaciers."))
    result = crawl_site(site, follow_links=True)
    seen = outcomes(result)
    assert result.failure is None and seen["ok.html"] == ("fetched", "")
    status, detail = seen["js.html"]
    assert status == "skipped" and "unexpected" not in detail and "javascript" in detail


def test_links_too_long_to_request_are_skipped_not_counted_as_failures(site):
    """Was a failed crawl: httpx refuses a URL over 64 KB with InvalidURL, an "unexpected" error per link,
    so six such links on one page made "too many errors" and the crawl published nothing."""
    long_links = " ".join(f'<a href="/{i}{"x" * 70_000}">x</a>' for i in range(6))
    site.routes["/"] = fixed(html(f'{long_links} <a href="/ok.html">ok</a>'))
    site.routes["/ok.html"] = fixed(html("A page about glaciers."))
    result = crawl_site(site, follow_links=True)
    assert result.failure is None and outcomes(result)["ok.html"] == ("fetched", "")
    long = [o for o in result.outcomes if len(o.url) > 70_000]
    assert len(long) == 6 and all(o.status == "skipped" and "too long" in o.detail for o in long)


def test_the_charset_the_server_declares_is_used(site):
    """Was mojibake: the declared charset was ignored, so one stray byte in a UTF-8 page made the detector read the
    whole page as a legacy code page (every accent garbled), and a UTF-16 page was refused as binary."""
    french = "<html lang='fr'><body><main><p>Le volcan était très haut, à côté du lac.</p></main></body></html>"
    site.routes["/"] = fixed(html('<a href="/stray.html">a</a> <a href="/utf16.html">b</a>'))
    site.routes["/stray.html"] = fixed(french.encode().replace(b"Le volcan", b"Le \xff volcan"), "text/html; charset=UTF-8")
    site.routes["/utf16.html"] = fixed(french.encode("utf-16"), "text/html; charset=utf-16")
    result = crawl_site(site, follow_links=True)
    for path in ("stray.html", "utf16.html"):
        assert "était très haut, à côté" in (result.state.pages[f"{site.url}/{path}"].text or ""), path


def test_a_huge_robots_txt_is_read_up_to_500_kib(site):
    """Was CPU without end: every URL was checked against all the 300,000 rules of this 8 MB robots.txt (0.6 s a URL:
    25 s for these 42, hours for a large site). RFC 9309 lets a crawler stop at 500 KiB, as Google does."""
    rules = "".join(f"Disallow: /p{i}/*x*y*z$\n" for i in range(300_000))
    site.routes["/robots.txt"] = fixed(f"User-agent: *\nDisallow: /early/\n{rules}Disallow: /late/\n".encode(), "text/plain")
    pages = [f"/a{i}.html" for i in range(40)] + ["/early/x.html", "/late/x.html"]
    site.routes["/"] = fixed(html(" ".join(f'<a href="{p}">x</a>' for p in pages)))
    for path in pages:
        site.routes[path] = fixed(html("A page about glaciers."))
    seen = outcomes(crawl_site(site, follow_links=True, within=20))
    assert seen["early/x.html"] == ("skipped", "disallowed by robots.txt")
    assert seen["late/x.html"] == ("fetched", "")  # beyond the 500 KiB read
    assert sum(status == "fetched" for status, _ in seen.values()) == 42


def test_pages_named_like_pdf_files_cannot_lead_the_crawl_past_its_depth(site):
    """Was a crawler trap: linked PDF/DOCX/ODT files are followed at any depth, so HTML pages named /tN.pdf,
    each linking the next, were crawled until --max-pages (10,000), whatever --depth said."""

    def chain(handler) -> None:
        n = int(handler.path.removeprefix("/t").removesuffix(".pdf"))
        fixed(html(f'<a href="/t{n + 1}.pdf">next</a> Part {n} of the glacier report.'))(handler)

    site.routes["/"] = fixed(html('<a href="/t0.pdf">the report</a>'))
    for n in range(60):
        site.routes[f"/t{n}.pdf"] = chain
    result = crawl_site(site, max_pages=50, depth=3)  # no sitemap: links followed up to --depth
    fetched = sorted(o.url for o in result.outcomes if ".pdf" in o.url)
    assert fetched == [f"{site.url}/t{n}.pdf" for n in range(4)]  # one step past --depth at most: a file linked at the last click


FAKE_MODEL_CLI = """
import sys
import docqa.index.embedding.embedder as embedder_module
from tests.conftest import FakeEmbedder

embedder_module.get_embedder = lambda model=None, **options: FakeEmbedder()
from docqa.server import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_during_a_crawl_says_what_is_served_and_keeps_index_and_state(site, tmp_path, fake_model):
    """Was "Aborted." and exit 1 (click's word for Ctrl-C), unlike `docqa ingest`: now exit 130 and a line saying
    what is still served. The index, the crawl state and the lock are left as they were (the next crawl runs)."""
    import os
    import signal
    import subprocess
    import sys

    from docqa.index.storage import versions
    from docqa.server import cli
    from tests.conftest import REPO
    from tests.hostile_site import silent

    root = tmp_path / "idx"
    site.routes["/"] = fixed(html('<a href="/a.html">a</a> Home of the glacier survey.'))
    site.routes["/a.html"] = fixed(html("The glacier lost twelve metres this year."))
    args = ["crawl", site.url + "/", "--index", str(root), "--allow-private", "--timeout", "30"]
    assert cli.main(args) == 0
    served, state = versions.current_name(root), (root / "crawl" / "state.json").read_bytes()
    site.routes["/a.html"] = silent(site)  # the re-crawl waits there
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    process = subprocess.Popen([sys.executable, "-c", FAKE_MODEL_CLI, *args], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while site.log.count("/a.html") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    lines = [line for line in err.splitlines() if line.strip()]
    assert process.returncode == 130 and "Traceback" not in err, err
    assert lines[-1] == f"Interrupted: nothing was published; {root} still serves version {served}.", err
    assert versions.current_name(root) == served and (root / "crawl" / "state.json").read_bytes() == state
    site.routes["/a.html"] = fixed(html("The glacier lost fifteen metres this year."))
    assert cli.main(args) == 0 and versions.current_name(root) != served


def test_a_page_crawled_before_keeps_its_text_through_an_unexpected_error_or_a_408(site, monkeypatch):
    """Was a page lost from the index: an unexpected error (a parser's surprise) is reported as "error", like a
    timeout, but dropped the page's last text; and 408 Request Timeout dropped it as if the page were gone."""
    import docqa.ingest.crawl.crawler as crawler_module

    site.routes["/"] = fixed(html('<a href="/boom.html">a</a> <a href="/busy.html">b</a>'))
    site.routes["/boom.html"] = fixed(html("The glacier lost twelve metres this year."))
    site.routes["/busy.html"] = fixed(html("The survey hut sleeps six."))
    first = crawl_site(site, follow_links=True)
    read_response = crawler_module.read_response

    def surprised(answer, **options):
        if answer.url.endswith("/boom.html"):
            raise RuntimeError("a parser's surprise")
        return read_response(answer, **options)

    monkeypatch.setattr(crawler_module, "read_response", surprised)
    site.routes["/busy.html"] = fixed(b"", status=408)
    again = crawl_site(site, follow_links=True, state=first.state)
    seen = outcomes(again)
    assert seen["boom.html"][0] == "error" and seen["busy.html"] == ("error", "HTTP 408")
    assert "twelve metres" in again.state.pages[site.url + "/boom.html"].text
    assert "sleeps six" in again.state.pages[site.url + "/busy.html"].text


def test_percent_escapes_of_plain_letters_do_not_make_one_page_many(site):
    """Was one page crawled and indexed several times: /%63al.html, /c%61l.html and /cal.html are one URL
    (RFC 3986 §6.2.2: escapes of unreserved characters decoded, hex digits in upper case), as are %2f and %2F."""
    links = ["/cal.html", "/%63al.html", "/c%61l.html", "/%63%61%6C.html", "/a%2fb.html", "/a%2Fb.html"]
    site.routes["/"] = fixed(html(" ".join(f'<a href="{link}">x</a>' for link in links)))
    site.routes["/cal.html"] = fixed(html("The calendar of the glacier survey."))
    result = crawl_site(site, follow_links=True)
    assert sorted(o.url.removeprefix(site.url) for o in result.outcomes) == ["/", "/a%2Fb.html", "/cal.html"]
    assert site.log.count("/cal.html") == 1


def test_a_page_of_deeply_nested_html_is_refused_within_the_time_limit(site):
    """Was a crawl stalled for half a minute per such page (minutes for a site of them), unbounded: the crawler read
    every page's links with an HTML parser in its own process, which took ~26 s on these 100,000 nested <div> (1.1 MB)."""
    from docqa.ingest.loaders import FileLimits

    nested = b"<!doctype html><html><body>" + b"<div>" * 100_000 + b"<p>Buried text.</p>" + b"</div>" * 100_000 + b"</body></html>"
    site.routes["/"] = fixed(html('<a href="/nested.html">deep</a> <a href="/ok.html">ok</a>'))
    site.routes["/nested.html"] = fixed(nested)
    site.routes["/ok.html"] = fixed(html("A page about glaciers."))
    started = time.monotonic()
    result = crawl_site(site, follow_links=True, limits=FileLimits(max_seconds=3), within=60)
    seconds = time.monotonic() - started
    found = outcomes(result)
    assert found["nested.html"] == ("fetched", "nothing indexed: HTML over a limit: took longer than 3 s to read (limit 3 s)")
    assert found["ok.html"] == ("fetched", "")
    assert seconds < 12  # the 3 s limit, and a helper process started twice
