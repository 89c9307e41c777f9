"""Hostile corpus: every file is indexed or skipped with a reason; exit codes say complete/partial/failed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HUGE_BYTES = 50 * 1024 * 1024


def _hostile_corpus(folder: Path) -> dict[str, str]:
    """Add hostile files to a good corpus; returns {file name: 'indexed' | a word of the expected skip reason}."""
    expect = {p.name: "indexed" for p in folder.iterdir()}
    assert len(expect) == 2
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    expect["binary.txt"] = "binary"
    (folder / "program.exe").write_bytes(b"MZ\x90\x00" * 100)
    expect["program.exe"] = "unsupported"
    (folder / "empty.txt").write_bytes(b"")
    expect["empty.txt"] = "empty"
    (folder / "blank.md").write_text("   \n\n  \t \n")
    expect["blank.md"] = "empty"
    with open(folder / "huge.txt", "wb") as handle:
        line = b"All work and no play makes a very large file indeed.\n"
        handle.write(line * (HUGE_BYTES // len(line) + 1))
    expect["huge.txt"] = "too large"
    (folder / "latin1.txt").write_bytes("Cafés de Genève\n\nLe café crème coûte trois francs à Genève. Très bon!".encode("latin-1"))
    expect["latin1.txt"] = "indexed"
    (folder / "broken_utf8.txt").write_bytes(b"Broken bytes\n\nThe \xff\xfe\xc3\x28 glacier \xe2\x28\xa1 melts in spring. " * 20)
    expect["broken_utf8.txt"] = "indexed-or-skipped"
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage \x00\xff trailer")
    expect["corrupt.pdf"] = "pdf"
    (folder / "fake.pdf").write_bytes(b"just some text pretending to be a PDF")
    expect["fake.pdf"] = "not a pdf"
    scripts = "".join(f"<script>alert('xss{i}'); document.cookie</script>" for i in range(200))
    (folder / "scripts.html").write_text(
        f"<html><head><title>Glaciers</title>{scripts}</head><body>{scripts}"
        "<article><p>Glaciers in the Alps retreat every summer because of rising temperatures.</p></article>"
        f"<img src=x onerror=alert(1)>{scripts}</body></html>"
    )
    expect["scripts.html"] = "indexed"
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    expect["loop_a.txt"] = expect["loop_b.txt"] = "symbolic links"
    os.symlink(".", folder / "loopdir")
    expect["loopdir"] = "link to a folder"
    os.mkfifo(folder / "pipe.txt")
    expect["pipe.txt"] = "not a regular file"
    # 150 KB without a line break: the sentence splitter is quadratic per line (~10 s before lines were cut).
    (folder / "one_line.txt").write_text("Long lines\n" + "The quick fox jumps over the lazy dog near the bank. " * 3000)
    expect["one_line.txt"] = "indexed"
    (folder / "vanishing.txt").write_text("This file disappears while the ingest runs.")
    expect["vanishing.txt"] = "no such file"
    with open(os.path.join(os.fsencode(folder), b"bad-\xffname.txt"), "w") as handle:
        handle.write("Odd names\n\nA file whose name is not valid UTF-8 is still indexed.")
    expect["bad-\ufffdname.txt"] = "indexed"
    return expect


@pytest.fixture
def vanishing(monkeypatch: pytest.MonkeyPatch):
    """Delete vanishing.txt after discovery, just before it is read."""
    import docqa.ingest.pipeline as pipeline

    real = pipeline.load_file

    def load_file(path: Path, *, doc_id: str, **options):
        if path.name == "vanishing.txt":
            path.unlink()
        return real(path, doc_id=doc_id, **options)

    monkeypatch.setattr(pipeline, "load_file", load_file)


def test_hostile_corpus_indexes_the_rest_and_explains_each_skip(tmp_path: Path, tiny_corpus: Path, fake_embedder, vanishing) -> None:
    from docqa.index.storage import store, versions
    from docqa.ingest.pipeline import ingest

    folder = tiny_corpus
    expect = _hostile_corpus(folder)
    report = ingest([folder], index_root=tmp_path / "index", embedder=fake_embedder)

    loaded = store.load(versions.current_version(tmp_path / "index"))
    indexed = {d.doc_id for d in loaded.documents}
    skipped = {Path(s.path).name: s.reason for s in report.skipped}
    print(f"\nhostile corpus: {len(indexed)} indexed, {len(skipped)} skipped")
    for name, reason in sorted(skipped.items()):
        print(f"  skipped {name}: {reason}")
    assert indexed.isdisjoint(skipped), "a file was both indexed and skipped"
    assert indexed | set(skipped) == set(expect), "every file is either indexed or skipped with a reason"
    for name, what in expect.items():
        if what == "indexed":
            assert name in indexed, f"{name} should be indexed (skipped: {skipped.get(name)})"
        elif what != "indexed-or-skipped":
            assert what in skipped.get(name, "").lower(), f"{name}: expected a reason mentioning {what!r}, got {skipped.get(name)!r}"
    text = " ".join(loaded.chunk(i).text for i in range(len(loaded)))
    assert "Genève" in text and "café crème" in text  # Latin-1 decoded, not mojibake
    assert "Glaciers in the Alps" in text and "alert(" not in text and "document.cookie" not in text


def _cli(argv: list[str], monkeypatch: pytest.MonkeyPatch, fake_embedder) -> int:
    import docqa.index.embedding.embedder
    from docqa.server.cli import main

    monkeypatch.setattr(docqa.index.embedding.embedder, "get_embedder", lambda *a, **k: fake_embedder)
    return main(argv)


def test_ingest_exit_codes_complete_partial_failed(tmp_path: Path, tiny_corpus: Path, monkeypatch, fake_embedder, capsys) -> None:
    root = str(tmp_path / "index")
    (tiny_corpus / "questions.jsonl").write_text("{}\n")  # an unsupported type is listed, not a failure
    assert _cli(["ingest", str(tiny_corpus), "--index", root], monkeypatch, fake_embedder) == 0
    (tiny_corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert _cli(["ingest", str(tiny_corpus), "--index", root], monkeypatch, fake_embedder) == 3
    assert "skipped" in capsys.readouterr().err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "x.bin").write_bytes(b"\x00")
    assert _cli(["ingest", str(bad), "--index", root], monkeypatch, fake_embedder) == 1
    assert _cli(["ingest", str(tmp_path / "missing"), "--index", root], monkeypatch, fake_embedder) == 2
    # the failed runs left the last good version served
    from docqa.index.storage import versions

    assert len(versions.list_versions(Path(root))) == 2


def test_long_lines_are_split_in_linear_time() -> None:
    import time

    from docqa.ingest.chunker import MAX_BLOCK_CHARS, split_sentences

    text = "Intro\n" + "Sentence number one is here. " * 4000 + "\n" + "x" * (3 * MAX_BLOCK_CHARS)
    started = time.perf_counter()
    spans = split_sentences(text)
    assert time.perf_counter() - started < 10
    assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    assert sum(1 for a, b in spans if text[a:b] == "Sentence number one is here.") >= 3990
    assert "".join(text[a:b] for a, b in spans if text[a:b].startswith("x")) == "x" * (3 * MAX_BLOCK_CHARS)
