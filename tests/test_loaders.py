from pathlib import Path

import pytest

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
