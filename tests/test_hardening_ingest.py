"""Hostile conditions at ingest (issue 16, rows 7 to 9): PDF bombs and other over-demanding PDFs are
skipped with their reason while the rest is indexed; a full disk or a read-only folder is one clear
line and exit status 1 with the served version kept; a second ingest learns at once that another
holds the index, before reading or embedding anything."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest

from docqa.config import Settings
from docqa.errors import DocqaError, StorageError
from docqa.index.storage import store, versions
from docqa.ingest.loaders import FileLimits
from docqa.ingest.pipeline import ingest
from tests.conftest import REPO


def pdf_bomb(pages: int, *, page_bytes: int = 2_000_000) -> bytes:
    """A small PDF whose every page draws `page_bytes` of text commands (one compressed stream shared by all pages)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, StreamObject

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"), NameObject("/BaseFont"): NameObject("/Helvetica")})
    )
    line = b"BT /F1 12 Tf 72 700 Td (All work and no play makes a dull PDF.) Tj ET\n"
    stream = StreamObject()
    stream._data = zlib.compress(line * (page_bytes // len(line)), 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    contents = writer._add_object(stream)
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        page[NameObject("/Contents")] = contents
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_pdf(path: Path, pages: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 10, text)
    pdf.output(str(path))


def test_a_pdf_bomb_is_skipped_with_its_reason_and_the_rest_is_indexed(tmp_path, tiny_corpus, fake_embedder) -> None:
    bomb = pdf_bomb(50)
    assert len(bomb) < 100_000  # tiny on disk; 100 MB of drawing commands once inflated
    (tiny_corpus / "bomb.pdf").write_bytes(bomb)
    _text_pdf(tiny_corpus / "fine.pdf", ["The lighthouse was painted red in 1931."])
    started = time.perf_counter()
    report = ingest([tiny_corpus], index_root=tmp_path / "index", embedder=fake_embedder, limits=FileLimits(max_seconds=3))
    elapsed = time.perf_counter() - started
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert "took longer than 3 s" in reasons["bomb.pdf"], reasons
    assert report.documents == 3 and "fine.pdf" not in reasons  # the PDF after the bomb was read by a fresh helper
    assert elapsed < 30, elapsed  # without the limit: tens of seconds per page


def test_pdf_page_and_text_limits(tmp_path) -> None:
    from docqa.ingest.loaders import Document, load_file

    path = tmp_path / "long.pdf"
    _text_pdf(path, [f"Page {n} says the bridge opened in 19{n:02d}." for n in range(5)])
    assert isinstance(load_file(path, doc_id="long.pdf", limits=FileLimits(max_pages=5)), Document)
    skipped = load_file(path, doc_id="long.pdf", limits=FileLimits(max_pages=4))
    assert skipped.reason == "PDF over a limit: too many pages (5; limit 4)"
    skipped = load_file(path, doc_id="long.pdf", limits=FileLimits(max_chars=60))
    assert skipped.reason == "PDF over a limit: too much text (over 60 characters)"


def test_the_limits_are_settings() -> None:
    from docqa.server import components

    limits = components.file_limits(Settings(ingest_max_pages=7, ingest_max_chars=1000, ingest_max_seconds=2.5))
    assert limits == FileLimits(max_pages=7, max_chars=1000, max_seconds=2.5)


def test_a_second_ingest_learns_at_once_that_another_holds_the_index(tmp_path, tiny_corpus, fake_embedder, monkeypatch) -> None:
    import docqa.ingest.pipeline as pipeline

    root = tmp_path / "index"
    held, release = threading.Event(), threading.Event()

    def other_ingest() -> None:  # another writer (a thread: the lock is per open file, as across processes)
        with versions.writer_lock(root):
            held.set()
            release.wait(30)

    work: list[str] = []
    real_load = pipeline.load_file
    monkeypatch.setattr(pipeline, "load_file", lambda path, **options: work.append(f"read {path.name}") or real_load(path, **options))
    real_embed = fake_embedder.embed
    monkeypatch.setattr(fake_embedder, "embed", lambda texts, **options: work.append("embed") or real_embed(texts, **options))
    thread = threading.Thread(target=other_ingest)
    thread.start()
    try:
        assert held.wait(10)
        started = time.perf_counter()
        with pytest.raises(DocqaError, match="Another ingest is writing"):
            ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
        assert work == [] and time.perf_counter() - started < 1
    finally:
        release.set()
        thread.join()
    assert ingest([tiny_corpus], index_root=root, embedder=fake_embedder).documents == 2 and "embed" in work


def test_out_of_space_is_one_clear_line_and_the_served_version_stays(tmp_path, tiny_corpus, fake_embedder, monkeypatch, capsys) -> None:
    import errno

    from docqa.index.storage import vector_index
    from docqa.server import components
    from docqa.server.cli import main

    root = tmp_path / "index"
    served = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    monkeypatch.setattr(components, "embedder", lambda settings: fake_embedder)

    def full_disk(index, path):
        with open(path, "wb") as handle:
            handle.write(b"\0" * 10)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(vector_index, "write", full_disk)
    (tiny_corpus / "more.txt").write_text("Lakes\n\nLake Baikal is the deepest lake.")
    with pytest.raises(StorageError, match="No space left on device"):
        ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    capsys.readouterr()
    assert main(["ingest", str(tiny_corpus), "--index", str(root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()  # the phases done so far, then the error
    assert [line for line in err if line.startswith("Error")] == err[-1:] and "Traceback" not in "\n".join(err)
    assert err[-1].startswith("Error: No space left on device: cannot write the index in")
    assert "served version is unchanged" in err[-1]
    assert versions.current_name(root) == served and store.load(versions.current_version(root)).manifest.counts["documents"] == 2
    assert not [p for p in (root / "versions").iterdir() if p.name.startswith(".")]


def _can_mount_tmpfs() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True)
    return probe.returncode == 0


@pytest.mark.model
@pytest.mark.skipif(not _can_mount_tmpfs(), reason="cannot mount a tmpfs here (unshare -rm)")
def test_a_real_full_disk_and_a_read_only_folder(tmp_path: Path) -> None:
    """`docqa ingest` on a real 2 MB tmpfs (in a private mount namespace): filled up, then read-only."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Opening hours\n\nThe museum opens at nine on Sundays.")
    (tmp_path / "mnt").mkdir()
    script = f"""
set -u
cd {REPO}
mount -t tmpfs -o size=2m tmpfs {tmp_path}/mnt || exit 90
ingest() {{ {sys.executable} -m docqa ingest {docs} --index {tmp_path}/mnt/index; }}
ingest > /dev/null 2>&1 || exit 91
cp {tmp_path}/mnt/index/CURRENT {tmp_path}/before
head -c 3m /dev/zero > {tmp_path}/mnt/filler 2>/dev/null
echo "The tram reaches the harbour in 14 minutes." >> {docs}/a.txt
ingest 2> {tmp_path}/full.err; echo $? > {tmp_path}/full.rc
cp {tmp_path}/mnt/index/CURRENT {tmp_path}/after
ls -a {tmp_path}/mnt/index/versions > {tmp_path}/versions
{sys.executable} -c "from pathlib import Path; from docqa.index.storage import store, versions; print(store.load(versions.current_version(Path('{tmp_path}/mnt/index'))).manifest.counts)" > {tmp_path}/loads 2>&1
rm {tmp_path}/mnt/filler
mount -o remount,ro {tmp_path}/mnt
ingest 2> {tmp_path}/ro.err; echo $? > {tmp_path}/ro.rc
"""
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300, env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)
    for case in ("full", "ro"):
        err = (tmp_path / f"{case}.err").read_text().strip().splitlines()  # the phases done so far, then the error
        assert (tmp_path / f"{case}.rc").read_text().strip() == "1", err
        assert "cannot write the index in" in err[-1] and "Traceback" not in "\n".join(err), err
    assert (tmp_path / "full.err").read_text().strip().splitlines()[-1].startswith("Error: No space left on device: cannot write")
    assert (tmp_path / "ro.err").read_text().strip().splitlines()[-1].startswith("Error: Read-only file system: cannot write")
    assert (tmp_path / "before").read_text() == (tmp_path / "after").read_text()  # the served version stays
    assert not [n for n in (tmp_path / "versions").read_text().split() if n.startswith(".tmp")]
    assert "'documents': 1" in (tmp_path / "loads").read_text()  # and it still loads, checksums and all
