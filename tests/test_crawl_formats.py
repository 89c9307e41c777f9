"""DOCX and ODT documents, for `docqa ingest` as for the crawler's linked files (ingest/loaders.py)."""

from __future__ import annotations

import io
import zipfile

from docqa.ingest.loaders import Document, Skipped, load_data, load_file
from docqa.server import cli
from tests.conftest import FakeEmbedder
from tests.crawl_site import make_docx, make_odt


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


def test_docqa_ingest_reads_docx_and_odt(tmp_path, capsys, monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr("docqa.index.embedding.embedder.get_embedder", lambda model=None, **options: fake)
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "minutes.docx").write_bytes(make_docx("Board minutes", "The board approved the new ethics charter."))
    (folder / "agenda.odt").write_bytes(make_odt("Seminar agenda", "The seminar on open data takes place in Lyon."))
    assert cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")]) == 0
    assert "Indexed 2 documents" in capsys.readouterr().out
