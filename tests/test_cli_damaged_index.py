"""`docqa ask` / `docqa index list|rollback` on index folders damaged in ways checksums cannot see:
a manifest that is JSON of the wrong shape, a CURRENT that is not a version name, a broken array in
a version written before checksums. Each is one
`Error:` line and a non-zero exit, never a traceback; the versions on disk are left as they were."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docqa.index.storage import versions
from docqa.ingest.pipeline import ingest
from docqa.server import cli
from tests.conftest import FakeEmbedder


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr("docqa.index.embedding.embedder.get_embedder", lambda model=None, **options: fake)
    return fake


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


def _two_versions(root: Path, corpus: Path, embedder) -> tuple[str, str]:
    older = ingest([corpus], index_root=root, embedder=embedder).version
    newer = ingest([corpus], index_root=root, embedder=embedder).version
    return older, newer


MANIFEST_GARBLES = {
    "a list": lambda m: [1, 2],
    "a string": lambda m: "manifest",
    "only the format version": lambda m: {"format_version": 1},
    "no model": lambda m: {k: v for k, v in m.items() if k != "model"},
    "files a list": lambda m: {**m, "files": [1]},
    "a file entry a string": lambda m: {**m, "files": {"chunks.npy": "x"}},
}


@pytest.mark.parametrize("garble", MANIFEST_GARBLES.values(), ids=MANIFEST_GARBLES.keys())
def test_a_manifest_of_the_wrong_shape_is_named_damaged(tmp_path, tiny_corpus, fake_model, capsys, garble) -> None:
    root = tmp_path / "index"
    older, newer = _two_versions(root, tiny_corpus, fake_model)
    manifest = root / "versions" / newer / "manifest.json"
    manifest.write_text(json.dumps(garble(json.loads(manifest.read_text()))))
    code, err = _run(capsys, "ask", "Which river rises in the Swiss Alps?", "--index", str(root))
    assert code == 1 and f"index version {newer} is damaged" in err
    code, err = _run(capsys, "index", "list", "--index", str(root))
    assert code == 0
    code, err = _run(capsys, "index", "rollback", "--index", str(root))
    assert code == 0 and versions.current_name(root) == older


@pytest.mark.parametrize(
    "content", [b"\xff\xfe\x00garbage\n", b"../../elsewhere\n", b"..\n", b"20200101T000000000000Z\n"], ids=["not UTF-8", "a path", "dot dot", "a missing version"]
)
def test_a_current_that_is_not_a_version_name_is_no_index(tmp_path, tiny_corpus, fake_model, capsys, content) -> None:
    root = tmp_path / "index"
    older, newer = _two_versions(root, tiny_corpus, fake_model)
    (root / "CURRENT").write_bytes(content)
    code, err = _run(capsys, "ask", "Which river rises in the Swiss Alps?", "--index", str(root))
    assert code == 1 and "No index found" in err
    assert f"kept: {older}, {newer}" in err and "docqa index rollback" in err  # not 'build one': the versions are there
    code, _ = _run(capsys, "index", "list", "--index", str(root))
    assert code == 0
    if b"2020" not in content:
        assert versions.current_name(root) is None
    code, _ = _run(capsys, "index", "rollback", newer, "--index", str(root))
    assert code == 0 and versions.current_name(root) == newer and versions.version_names(root) == [older, newer]


def test_rollback_with_no_versions_says_so(tmp_path, capsys) -> None:
    code, err = _run(capsys, "index", "rollback", "--index", str(tmp_path / "nothing"))
    assert code == 1 and "No index versions under" in err and "None" not in err


def _garble_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[10:20] = b"(" * 10  # the .npy header's dict, after the magic and the header length: unbalanced
    path.write_bytes(bytes(data))


ARRAYS = ["chunks.npy", "chunk_sentences.npy", "sentences.npy", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy", "bm25/indptr.csc.index.npy"]


@pytest.mark.parametrize("damage", [lambda p: p.write_bytes(b""), _garble_header], ids=["emptied", "header garbled"])
@pytest.mark.parametrize("name", ARRAYS)
def test_an_unchecked_version_with_a_damaged_array_is_named_damaged(tmp_path, tiny_corpus, fake_model, capsys, name, damage) -> None:
    """A version written before checksums (no `files` in its manifest) is loaded unchecked: numpy's
    own errors for a broken array (EOFError, tokenize.TokenError) are damage too, not 'Aborted.'."""
    root = tmp_path / "index"
    version = ingest([tiny_corpus], index_root=root, embedder=fake_model).version
    manifest = root / "versions" / version / "manifest.json"
    manifest.write_text(json.dumps({k: v for k, v in json.loads(manifest.read_text()).items() if k != "files"}))
    damage(root / "versions" / version / name)
    code, err = _run(capsys, "ask", "Which river rises in the Swiss Alps?", "--index", str(root), "--mode", "bm25")
    assert code == 1 and "damaged" in err


def test_a_current_that_is_a_directory_is_one_clear_line_for_every_command(tmp_path, tiny_corpus, fake_model, capsys) -> None:
    """CURRENT replaced by a directory: ask, index list, rollback and ingest each say so (not "Is a directory:
    .CURRENT.tmp") and exit 1; no version is lost, no new one is written, the directory is left alone."""
    root = tmp_path / "index"
    older, newer = _two_versions(root, tiny_corpus, fake_model)
    (root / "CURRENT").unlink()
    (root / "CURRENT").mkdir()
    (root / "CURRENT" / "note.txt").write_text("someone's file")
    commands = {
        "ask": ["ask", "Which river rises in the Swiss Alps?", "--index", str(root)],
        "list": ["index", "list", "--index", str(root)],
        "rollback": ["index", "rollback", "--index", str(root)],
        "rollback to a version": ["index", "rollback", older, "--index", str(root)],
        "ingest": ["ingest", str(tiny_corpus), "--index", str(root)],
    }
    for what, argv in commands.items():
        code, err = _run(capsys, *argv)
        assert code == 1, (what, err)
        assert f"{root / 'CURRENT'} is a directory" in err and f"kept: {older}, {newer}" in err, (what, err)
        assert "Is a directory" not in err and ".CURRENT.tmp" not in err, (what, err)
    assert versions.version_names(root) == [older, newer] and not (root / ".CURRENT.tmp").exists()
    assert (root / "CURRENT" / "note.txt").read_text() == "someone's file"
    (root / "CURRENT" / "note.txt").unlink()
    (root / "CURRENT").rmdir()  # what the message asks for; then rollback serves the newest again
    code, _ = _run(capsys, "index", "rollback", "--index", str(root))
    assert code == 0 and versions.current_name(root) == newer


ROLLBACK_DAMAGE = {
    "manifest unreadable": lambda v: (v / "manifest.json").write_text("{bad"),
    "a file shortened": lambda v: (v / "vectors.faiss").write_bytes((v / "vectors.faiss").read_bytes()[:10]),
    "a file overwritten": lambda v: (v / "chunks.bin").write_bytes(b"x" * (v / "chunks.bin").stat().st_size),
    "a file removed": lambda v: (v / "sentences.npy").unlink(),
}


@pytest.mark.parametrize("damage", ROLLBACK_DAMAGE.values(), ids=ROLLBACK_DAMAGE.keys())
@pytest.mark.parametrize("named", [True, False], ids=["rollback VERSION", "rollback"])
def test_rollback_to_a_damaged_version_is_refused_and_the_served_one_stays(tmp_path, tiny_corpus, fake_model, capsys, damage, named) -> None:
    """Rolling back to a version that cannot load would leave `docqa ask`, `eval` and every restarted server
    without the version the operator thinks is served: refused, CURRENT unchanged."""
    root = tmp_path / "index"
    older, newer = _two_versions(root, tiny_corpus, fake_model)
    damage(root / "versions" / older)
    code, err = _run(capsys, "index", "rollback", *([older] if named else []), "--index", str(root))
    assert code == 1 and f"index version {older} is damaged" in err and f"{newer} is still served" in err, err
    assert versions.current_name(root) == newer and versions.version_names(root) == [older, newer]
    code, _ = _run(capsys, "ask", "Which river rises in the Swiss Alps?", "--index", str(root))
    assert code == 0
