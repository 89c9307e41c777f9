"""The docqa command: ingest reports and exit codes, ask output (fake embedder unless marked)."""

import json
import sys

import pytest

from docqa.server import cli
from tests.conftest import CORPUS, FakeEmbedder


def make_mixed_folder(folder):
    from fpdf import FPDF

    folder.mkdir()
    (folder / "hours.txt").write_text("Opening hours\n\nThe museum opens at nine on Sundays.")
    (folder / "tram.md").write_text("# Transport\n\nThe blue tram line reaches the harbour in 14 minutes.")
    (folder / "prize.html").write_text(
        "<html><head><title>Prize news</title></head><body><nav><a href='/'>Home</a></nav>"
        "<main><h1>Prize news</h1><p>The Orchid Prize was awarded to Lena Berg for her glacier survey.</p>"
        "<p>The ceremony took place in the old town hall.</p></main><footer>Legal notice</footer></body></html>"
    )
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, "The observatory telescope has a mirror of 2.4 metres.")
    pdf.output(str(folder / "telescope.pdf"))
    (folder / "photo.bin.txt").write_bytes(b"\x00\xff\x10binary" * 40)
    (folder / "empty.md").write_text("")
    (folder / "garbled.txt").write_bytes(bytes(range(128, 256)) * 4)


@pytest.fixture
def fake_model(monkeypatch):
    fake = FakeEmbedder()
    monkeypatch.setattr("docqa.index.embedding.embedder.get_embedder", lambda model=None, **options: fake)
    return fake


def test_ingest_mixed_folder_reports_skips(tmp_path, capsys, fake_model):
    folder = tmp_path / "mixed"
    make_mixed_folder(folder)
    code = cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")])
    out, err = capsys.readouterr()
    assert code == 3  # partial: an index was written, some files were skipped (issue 7)
    assert "Indexed 4 documents" in out and "skipped 3" in out
    assert "photo.bin.txt: binary file" in err
    assert "empty.md: empty file" in err
    assert "garbled.txt: undecodable" in err


def test_ingest_nothing_readable_fails(tmp_path, capsys, fake_model):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    assert cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")]) == 1
    assert "Nothing could be indexed" in capsys.readouterr().err


def test_an_empty_folder_is_named_in_the_failure(tmp_path, capsys, fake_model):
    (tmp_path / "empty").mkdir()
    assert cli.main(["ingest", str(tmp_path / "empty"), "--index", str(tmp_path / "idx")]) == 1
    assert f"Nothing could be indexed: no files found in {tmp_path / 'empty'}" in capsys.readouterr().err


def test_missing_path_and_missing_index_are_messages_not_tracebacks(tmp_path, capsys, fake_model):
    assert cli.main(["ingest", str(tmp_path / "nope"), "--index", str(tmp_path / "idx")]) == 2
    assert cli.main(["ask", "hello", "--index", str(tmp_path / "idx")]) == 1
    err = capsys.readouterr().err
    assert "No such file or folder" in err and "No index found" in err and "Traceback" not in err


def test_an_empty_path_argument_is_refused_not_taken_for_the_working_folder(tmp_path, capsys, fake_model, monkeypatch):
    (tmp_path / "elsewhere.txt").write_text("The working folder holds this file, which nobody asked to index.")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["ingest", "", "--index", str(tmp_path / "idx")]) == 2  # `docqa ingest "$DOCS"` with DOCS unset
    assert cli.main(["ingest", str(CORPUS), "--index", ""]) == 2
    assert cli.main(["ask", "hello", "--index", " "]) == 2
    err = capsys.readouterr().err
    assert err.count("Error: ") == 3 and "empty" in err and "Traceback" not in err
    assert not (tmp_path / "idx").exists() and not (tmp_path / "versions").exists()


def test_ask_json_matches_api_shape(tmp_path, capsys, fake_model):
    folder = tmp_path / "mixed"
    make_mixed_folder(folder)
    cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")])
    capsys.readouterr()
    assert cli.main(["ask", "Who was awarded the Orchid Prize?", "--index", str(tmp_path / "idx"), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    from docqa.server.app import AskResponse, SourceOut

    assert set(body) == set(AskResponse.model_fields)  # README: "the same JSON as the API"
    assert set(body["sources"][0]) == set(SourceOut.model_fields)
    assert body["index_version"] == (tmp_path / "idx" / "CURRENT").read_text().strip() and body["answer_id"] is None
    assert "Lena Berg" in body["answer"]


@pytest.mark.model
def test_real_model_finds_a_fact_from_each_format(tmp_path, capsys):
    folder = tmp_path / "mixed"
    make_mixed_folder(folder)
    index = str(tmp_path / "idx")
    assert cli.main(["ingest", str(folder), "--index", index]) == 3  # partial: the folder holds unreadable files
    for question, expected in [
        ("When does the museum open on Sundays?", "nine"),
        ("How long does the blue tram take to the harbour?", "14 minutes"),
        ("Who won the Orchid Prize?", "Lena Berg"),
        ("How big is the telescope mirror?", "2.4 metres"),
    ]:
        capsys.readouterr()
        assert cli.main(["ask", question, "--index", index, "--json"]) == 0
        body = json.loads(capsys.readouterr().out)
        assert body["answered"] and expected in body["answer"], (question, body["answer"])


def test_bundled_corpus_is_the_default_ingest_source(tmp_path, capsys, fake_model):
    assert cli.main(["ingest", "--index", str(tmp_path / "idx")]) == 0
    assert "Indexed 1 document, " in capsys.readouterr().out  # (was "1 documents")
    assert cli.main(["index", "list", "--index", str(tmp_path / "idx")]) == 0
    assert "  1 document, " in capsys.readouterr().out
    assert (CORPUS / "personalised-medicine-action-plan.html").is_file()


def test_ingest_with_a_folder_link_is_complete_exit_0(tmp_path, capsys, fake_model):
    """A link to a folder is not followed by choice (loops): listed, but not a failure; every readable document
    was indexed, so a script gets 0. A file that could not be read still makes it partial (3), and says so."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text("Opening hours\n\nThe library opens at 9 am.")
    (folder / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    assert cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")]) == 0
    out, err = capsys.readouterr()
    assert "elsewhere: link to a folder (not followed)" in err
    assert "Indexed 1 document" in out and "skipped 1." in out and "could not be read" not in out
    (folder / "empty.txt").write_text("")
    assert cli.main(["ingest", str(folder), "--index", str(tmp_path / "idx")]) == 3
    assert "skipped 2 (1 could not be read)." in capsys.readouterr().out


def test_serve_on_a_port_in_use_is_docqa_s_one_line_and_exit_1(tmp_path, capsys, fake_model, monkeypatch):
    """docqa's "Error: ..." line (not uvicorn's "ERROR: [Errno 98]..." log), and exit 1 (uvicorn exits 3 when it
    cannot start, docqa's 'ingest partial'), before anything is served or indexed."""
    import signal
    import socket

    monkeypatch.setattr(signal, "signal", lambda *a: None)  # serve's SIGHUP handler: not in the test process
    assert cli.main(["ingest", str(CORPUS), "--index", str(tmp_path / "idx")]) == 0
    capsys.readouterr()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for workers in ("1", "2"):
            assert cli.main(["serve", "--index", str(tmp_path / "idx"), "--port", str(port), "--workers", workers]) == 1
            err = capsys.readouterr().err
            assert err.startswith(f"Error: Cannot listen on 127.0.0.1:{port}: Address already in use (is another server using it?")
            assert err.count("\n") == 1 and "Errno" not in err and "serving" not in err


SLOW_INGEST = """
import sys, time
import docqa.index.embedding.embedder as embedder_module
from tests.conftest import FakeEmbedder

class StalledEmbedder(FakeEmbedder):
    def embed(self, texts, **options):
        print("embedding", flush=True)
        time.sleep(60)  # Ctrl-C lands here, mid-ingest
        return super().embed(texts, **options)

embedder_module.get_embedder = lambda model=None, **options: StalledEmbedder()
from docqa.server import cli
sys.exit(cli.main(sys.argv[1:]))
"""


def test_ctrl_c_during_ingest_says_the_index_is_unchanged_and_exits_130(tmp_path, tiny_corpus, capsys, fake_model):
    """A real `docqa ingest` process (the CLI's main, a stalled fake embedder) gets SIGINT while embedding:
    one line on stderr, exit 130, the served version unchanged and still answering, the next ingest fine."""
    import os
    import signal
    import subprocess
    import sys

    from docqa.index.assistant import Assistant
    from docqa.index.storage import versions
    from tests.conftest import REPO

    root = tmp_path / "idx"
    assert cli.main(["ingest", str(tiny_corpus), "--index", str(root)]) == 0
    served = versions.current_name(root)
    new_docs = tmp_path / "new"
    new_docs.mkdir()
    (new_docs / "tides.txt").write_text("Tides\n\nThe tide at the harbour turns every six hours.")  # not in the embedding cache
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_INGEST, "ingest", str(new_docs), "--index", str(root)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "embedding"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    lines = [line for line in err.splitlines() if line.strip()]
    assert process.returncode == 130, err
    assert lines[-1] == f"Interrupted: nothing was published; {root} still serves version {served}.", err
    assert "Traceback" not in err
    assert versions.current_name(root) == served and versions.version_names(root) == [served]
    assert "Rhine" in Assistant(root, embedder=fake_model).ask("Which river rises in the Swiss Alps?").answer
    assert cli.main(["ingest", str(new_docs), "--index", str(root)]) == 0  # no lock or leftover in the way


@pytest.mark.parametrize("command", ["ingest", "crawl"])
def test_a_ray_address_without_ray_installed_names_where_it_was_set(command, tmp_path, tiny_corpus, capsys, fake_model, monkeypatch):
    """Was "--ray needs Ray" when the address came from DOCQA_RAY_ADDRESS and no --ray was given."""
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails, as in a plain install
    source = [str(tiny_corpus)] if command == "ingest" else ["http://127.0.0.1:9/"]
    monkeypatch.setenv("DOCQA_RAY_ADDRESS", "auto")
    assert cli.main([command, *source, "--index", str(tmp_path / "idx")]) == 2
    assert capsys.readouterr().err == "Error: DOCQA_RAY_ADDRESS needs Ray, which this install lacks: pip install 'docqa[ray]'\n"
    monkeypatch.delenv("DOCQA_RAY_ADDRESS")
    assert cli.main([command, *source, "--index", str(tmp_path / "idx"), "--ray", "auto"]) == 2
    assert capsys.readouterr().err == "Error: --ray needs Ray, which this install lacks: pip install 'docqa[ray]'\n"
    assert not (tmp_path / "idx").exists()


def test_version_option(capsys):
    from importlib.metadata import version

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"docqa {version('docqa')}"


@pytest.mark.model
def test_ask_prints_the_short_answer_first_and_each_source_document_once(corpus_index, capsys):
    assert cli.main(["ask", "when does ERA PerMed start?", "--index", str(corpus_index)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "end of 2017" and "should start end of 2017" in lines[1], lines
    assert len([line for line in lines if line.startswith("  [")]) == 1, lines  # the bundled corpus is one page
    assert cli.main(["ask", "what is the capital of France?", "--index", str(corpus_index)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["I could not find this in the documents.", "Closest passages:"], lines
    assert cli.main(["ask", "when does ERA PerMed strat?", "--index", str(corpus_index)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["(read as: when does ERA PerMed start?)", "end of 2017"], lines
