"""DOCX and ODT documents, for `docqa ingest` as for the crawler's linked files (ingest/loaders.py)."""

from __future__ import annotations

import io
import zipfile

from docqa.ingest.loaders import Document, Skipped, load_data, load_file
from docqa.server import cli
from tests.crawl_site import make_docx, make_odt
from tests.test_cli import fake_model  # noqa: F401  (the fixture)


def test_docx_and_odt_files_become_documents_with_their_titles_tables_and_text(tmp_path):
    (tmp_path / "minutes.docx").write_bytes(make_docx("Board minutes", "The board approved the new ethics charter."))
    (tmp_path / "agenda.odt").write_bytes(make_odt("Seminar agenda", "The seminar on open data takes place in Lyon."))
    docx = load_file(tmp_path / "minutes.docx", doc_id="minutes.docx")
    odt = load_file(tmp_path / "agenda.odt", doc_id="agenda.odt")
    assert isinstance(docx, Document) and docx.title == "Board minutes"
    assert "ethics charter" in docx.text and "Room | B-204" in docx.text  # table rows too, in reading order
    assert isinstance(odt, Document) and odt.title == "Seminar agenda" and "open data takes place in Lyon" in odt.text


def test_damaged_office_files_are_skipped_with_a_reason(tmp_path):
    assert "not a zip archive" in load_data(b"plain text", suffix=".docx", doc_id="a", source="a.docx", fallback_title="a").reason
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("content.xml", "<not-odf/>")
    skipped = load_data(broken.getvalue(), suffix=".odt", doc_id="b", source="b.odt", fallback_title="b")
    assert isinstance(skipped, Skipped) and "corrupt or unreadable ODT" in skipped.reason


def test_docqa_ingest_reads_docx_and_odt(tmp_path, capsys, fake_model):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(make_docx("Board minutes", "The board approved the new ethics charter."))
    (folder / "agenda.odt").write_bytes(make_odt("Seminar agenda", "The seminar on open data takes place in Lyon."))
    assert cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")]) == 0
    assert "Indexed 2 documents" in capsys.readouterr().out


def fetched(body: bytes, content_type: str = "text/html", url: str = "https://agency.example/news/a.html", **headers: str):
    from docqa.ingest.crawl.fetcher import Fetched

    return Fetched(url=url, final_url=url, status=200, headers={"content-type": content_type, **headers}, body=body)


def test_a_response_becomes_a_document_with_its_canonical_url_links_and_language():
    from docqa.ingest.crawl.pages import read_response

    html = (
        b'<html><head><title>Grants</title><link rel="canonical" href="/news/grants"></head><body><main>'
        b'<p>The grants programme funds forty young researchers each year.</p><a href="../docs/r.pdf#p2">report</a></main></body></html>'
    )
    content = read_response(fetched(html, **{"content-language": "en-GB"}))
    assert content.document.doc_id == content.document.source == "https://agency.example/news/grants"
    assert content.language == "en" and "https://agency.example/docs/r.pdf" in content.links
    off_site = read_response(fetched(html.replace(b'href="/news/grants"', b'href="https://elsewhere.example/"')))
    assert off_site.canonical == "https://agency.example/news/a.html"  # a canonical link to another site is ignored
    assert read_response(fetched(html.replace(b"<title>", b'<meta name="robots" content="noindex"><title>'))).document is None
    assert "unsupported content type (image/png)" == read_response(fetched(b"\x89PNG", "image/png")).reason
    pdf = read_response(fetched(b"%PDF-1.4 broken", "application/octet-stream", url="https://agency.example/r.pdf"))
    assert pdf.document is None and "PDF" in pdf.reason  # the name decides when the server does not say


def test_sitemap_parsing_gzip_plain_text_and_what_is_not_a_sitemap():
    import gzip

    import pytest

    from docqa.ingest.crawl.sitemaps import BadSitemap, parse_sitemap

    urlset = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/x</loc><lastmod>2026-01-02</lastmod></url></urlset>'
    assert parse_sitemap(gzip.compress(urlset)) == ([("https://a.example/x", "2026-01-02")], [])
    assert parse_sitemap(b"https://a.example/1\nhttps://a.example/2\n") == ([("https://a.example/1", None), ("https://a.example/2", None)], [])
    for bad, why in ((b"<html><p>oops</html>", "not XML"), (b"<rss></rss>", "not a sitemap"), (b"hello", "not XML"), (b"\x1f\x8bjunk", "damaged gzip")):
        with pytest.raises(BadSitemap, match=why):
            parse_sitemap(bad)
    entity = b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/hostname">]><urlset><url><loc>&x;</loc></url></urlset>'
    assert parse_sitemap(entity) == ([], [])  # external entities are never read


def test_private_addresses_are_refused_unless_allowed():
    import asyncio

    import pytest

    from docqa.ingest.crawl.safety import AddressGuard, RefusedAddress

    for url in ("http://127.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/", "http://192.168.1.10/", "http://[::ffff:10.0.0.1]/", "http://localhost:8000/"):
        with pytest.raises(RefusedAddress):
            asyncio.run(AddressGuard().check(url))
        asyncio.run(AddressGuard(allow_private=True).check(url))
    asyncio.run(AddressGuard().check("http://8.8.8.8/"))  # a public address literal: no lookup, allowed
