"""The `docqa crawl` command: its summary and exit codes, and bad input: each a clear message and an
exit status, never a traceback, and the served index untouched."""

from __future__ import annotations

import shutil
import socket

import pytest

from docqa.index.storage import versions
from docqa.server import cli
from tests.conftest import FakeEmbedder
from tests.crawl_site import HTML, agency_site
from tests.test_cli import fake_model  # noqa: F401  (the fixture)


@pytest.fixture(scope="module")
def site():
    served = agency_site()
    served.delete("/slow.html")  # a clean site: a complete crawl
    served.delete("/big.html")
    served.raw["/bad-sitemap.xml"] = (b"<html><body><p>Page not found<br></body></html>", HTML)
    served.raw["/html-sitemap.xml"] = (b"<html><body>Page not found</body></html>", HTML)
    served.raw["/plain-sitemap.xml"] = (b"Sitemap unavailable, sorry.", "text/plain")
    served.redirects["/loop-a.html"] = "/loop-b.html"
    served.redirects["/loop-b.html"] = "/loop-a.html"
    served.start()
    yield served
    served.stop()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def crawl(*args: str) -> int:
    return cli.main(["crawl", *args])


def test_crawl_prints_a_summary_and_a_second_run_changes_nothing(site, tmp_path, capsys, fake_model):
    index = str(tmp_path / "idx")
    assert crawl(site.url + "/", "--index", index, "--allow-private", "--follow-links") == 0
    out, err = capsys.readouterr()
    assert "11 fetched in full" in out and "11 new" in out and "Published version" in out
    assert "gone " + site.url + "/missing.html: HTTP 404" in err and "disallowed by robots.txt" in err
    assert "crawled 13 of 13 URLs (fetched 11, gone 1, skipped 1)" in err  # plain progress lines without a terminal
    assert "Traceback" not in err
    assert crawl(site.url + "/", "--index", index, "--allow-private", "--follow-links") == 0
    out, _ = capsys.readouterr()
    assert "0 fetched in full" in out and "0 texts embedded" in out and "Nothing changed" in out
    assert len(versions.version_names(tmp_path / "idx")) == 1


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory):
    """An index of the site, crawled once (each test works on its own copy)."""
    index = tmp_path_factory.mktemp("crawled") / "idx"
    with pytest.MonkeyPatch.context() as patch:
        fake = FakeEmbedder()
        patch.setattr("docqa.index.embedding.embedder.get_embedder", lambda model=None, **options: fake)
        assert crawl(site.url + "/", "--index", str(index), "--allow-private") == 0
    return index


@pytest.mark.parametrize(
    "start, extra, code, message",
    [
        ("http://exa mple.org/", [], 2, "not a valid URL"),
        ("http://[::1/", [], 2, "not a valid URL"),  # an IPv6 host without its closing bracket
        ("agency.example.org", [], 2, "give it in full"),
        ("ftp://127.0.0.1/files/", [], 2, "only http and https"),
        ("file:///etc/passwd", [], 2, "only http and https"),
        ("{site}/", ["--include", "news/(unclosed"], 2, "Bad URL pattern"),
        ("{site}/", ["--allow-private", "--max-mb", "nan"], 2, "--max-mb must be"),
        ("{site}/", ["--allow-private", "--max-mb", "inf"], 2, "--max-mb must be"),
        ("{site}/", [], 2, "loopback address; docqa crawl refuses private"),  # no --allow-private
        ("http://10.1.2.3/", [], 2, "private address"),
        ("http://127.0.0.1:{closed}/", ["--allow-private"], 1, "cannot reach"),
        ("{site}/bad-sitemap.xml", ["--allow-private"], 1, "is not XML"),
        ("{site}/plain-sitemap.xml", ["--allow-private"], 1, "is not XML"),
        ("{site}/html-sitemap.xml", ["--allow-private"], 1, "is XML, but not a sitemap"),
        ("{site}/loop-a.html", ["--allow-private"], 1, "redirect loop"),
    ],
)
def test_bad_input_is_a_message_and_an_exit_status_and_the_served_index_stays(
    site, crawled, tmp_path, capsys, fake_model, start, extra, code, message
):
    index = tmp_path / "idx"
    shutil.copytree(crawled, index)
    served, kept = versions.current_name(index), versions.version_names(index)
    state = (index / "crawl" / "state.json").read_bytes()
    capsys.readouterr()
    url = start.format(site=site.url, closed=closed_port())
    assert crawl(url, "--index", str(index), *extra) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err
    assert versions.current_name(index) == served and versions.version_names(index) == kept
    assert (index / "crawl" / "state.json").read_bytes() == state


def test_allow_partial_publishes_what_a_failed_crawl_got_with_exit_3(site, tmp_path, capsys, fake_model):
    index = tmp_path / "idx"
    code = crawl(site.url + "/loop-a.html", "--index", str(index), "--allow-private", "--allow-partial")
    out, err = capsys.readouterr()
    assert code == 3 and "redirect loop" in err + out and "Published version" in out
    assert versions.current_name(index) is not None
