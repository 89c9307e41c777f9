import hashlib
from pathlib import Path

import pytest

from docqa.index.storage.store import LanguageLink
from docqa.ingest.loaders import Document, Skipped, load_file, normalise_text
from tests.conftest import CORPUS


def load(path: Path) -> Document | Skipped:
    return load_file(path, doc_id=path.name)


def test_txt_title_and_text(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Opening hours\n\nThe library opens at 9 am.\n")
    doc = load(path)
    assert isinstance(doc, Document)
    assert doc.title == "Opening hours" and "opens at 9 am" in doc.text and doc.source == "note.txt"  # never this machine's path


def test_markdown_syntax_is_removed(tmp_path):
    path = tmp_path / "guide.md"
    path.write_text("# The Guide\n\nSome **bold** text and a [link](http://x.org).\n\n- item one\n")
    doc = load(path)
    assert doc.title == "The Guide"
    assert "Some bold text and a link." in doc.text and "**" not in doc.text and "item one" in doc.text


def test_bundled_html_keeps_main_text_drops_navigation():
    doc = load(CORPUS / "personalised-medicine-action-plan.html")
    assert doc.title == "Personalised Medicine : an international Action Plan published"
    assert doc.source.startswith("http://www.agence-nationale-recherche.fr/")
    assert "should start end of 2017" in doc.text
    assert "Calls for proposals" not in doc.text and "Legal notice" not in doc.text
    assert doc.site == "The French National Research Agency · Projects for science"  # its banner, navigation left out
    assert doc.language_links == (LanguageLink("fr", "Version française", "http://www.agence-nationale-recherche.fr/fr/"),)


@pytest.mark.parametrize(
    "head, body, site",
    [
        ('<meta property="og:site_name" content="Harbour  Board">', "<header><p>Welcome</p></header>", "Harbour Board"),
        ('<meta name="application-name" content="Port Authority">', "", "Port Authority"),
        ("", '<div role="banner">Port Authority <nav><a href="/">Home</a></nav></div>', "Port Authority"),
        # an article's own header is no banner, and a banner longer than a name is none
        ("", "<main><article><header><h1>Quay opens</h1></header></article></main>", None),
        ("", "<header>" + "word " * 60 + "</header>", None),
        ("", "", None),
    ],
)
def test_an_html_pages_site_name_comes_from_its_metadata_or_banner(tmp_path, head, body, site):
    page = tmp_path / "page.html"
    page.write_text(f"<html><head><title>Quay</title>{head}</head><body>{body}<main><p>The new quay opens in May 2026 "
                    "and holds twelve cranes.</p></main></body></html>", encoding="utf-8")
    doc = load(page)
    assert doc.site == site


def test_a_site_name_is_found_in_linear_time_among_thousands_of_nested_banners():
    import time

    from selectolax.lexbor import LexborHTMLParser

    from docqa.ingest.loaders import site_name

    n = 5000  # 90 KB, read in process: each banner had walked up every banner above it (2.8 s; 20,000: 45 s)
    for html in ("<article>" + "<header>x" * n + "</header>" * n + "</article>",
                 "<section>" + "<div>" * n + "<header>x</header>" * n + "</div>" * n + "</section>"):
        tree = LexborHTMLParser(html)
        started = time.perf_counter()
        assert site_name(tree) is None
        # ~0.1 s linear, 2.8 s quadratic; the margin absorbs a stall of the 2-core CI machine (one run took 0.98 s)
        assert time.perf_counter() - started < 1.5


def test_a_document_without_a_site_name_keeps_the_hash_it_had():
    plain = Document(doc_id="a", title="T", source="a", text="Text.")
    assert plain.hash == hashlib.sha256(b"T\nText.").hexdigest()[:16]  # as computed before site names were kept
    assert Document(doc_id="a", title="T", source="a", text="Text.", site="Port").hash != plain.hash


def test_pdf(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, "The observatory was founded in 1898 by the city council.")
    pdf.set_title("Observatory history")
    path = tmp_path / "history.pdf"
    pdf.output(str(path))
    doc = load(path)
    assert doc.title == "Observatory history" and "founded in 1898" in doc.text


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("blob.txt", b"\x00\x01\x02binary\x00" * 50, "binary"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"   \n\n  ", "empty"),
        ("noise.txt", bytes(range(128, 256)) * 4, "undecodable"),
        ("broken.pdf", b"%PDF-1.4\n garbage that is not a pdf", "corrupt"),
        ("fake.pdf", b"hello, not a pdf", "not a PDF"),
        ("image.png", b"\x89PNG\r\n", "unsupported"),
    ],
)
def test_unreadable_files_are_skipped_with_a_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    result = load(path)
    assert isinstance(result, Skipped), result
    assert reason in result.reason


def test_latin1_and_mojibake_are_repaired(tmp_path):
    path = tmp_path / "fr.txt"
    path.write_bytes("Le café crème est très bon, déjà vu à Noël.".encode("latin-1"))
    assert "café crème est très bon" in load(path).text
    assert normalise_text("cafÃ©  crÃ¨me\r\n\r\n\r\nnext") == "café crème\n\nnext"


def test_nfc_normalisation():
    decomposed = "e\u0301t\u00e9"
    assert normalise_text(decomposed) == "été"
