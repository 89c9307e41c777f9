"""Settings reach library code as parameters: the CLI's ingest, the API's question limit, the embedder options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.index.assistant import Assistant
from docqa.server import cli
from docqa.server.app import create_app
from tests.conftest import FakeEmbedder


@pytest.fixture
def recorded_embedder_options(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """get_embedder replaced by a fake that records the options it was called with."""
    calls: list[dict] = []
    fake = FakeEmbedder()

    def get_embedder(model: str, **options):
        calls.append({"model": model, **options})
        return fake

    monkeypatch.setattr("docqa.index.embedding.embedder.get_embedder", get_embedder)
    return calls


def manifest_of(root: Path) -> dict:
    name = (root / "CURRENT").read_text().strip()
    return json.loads((root / "versions" / name / "manifest.json").read_text())


def test_docqa_index_type_hnsw_gives_an_hnsw_index_through_the_cli(
    tmp_path: Path, tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch, recorded_embedder_options: list[dict]
) -> None:
    import faiss

    monkeypatch.setenv("DOCQA_INDEX_TYPE", "hnsw")
    root = tmp_path / "idx"
    assert cli.main(["ingest", str(tiny_corpus), "--index", str(root)]) == 0
    assert manifest_of(root)["index_type"] == "hnsw"
    version = root / "versions" / (root / "CURRENT").read_text().strip()
    assert isinstance(faiss.downcast_index(faiss.read_index(str(version / "vectors.faiss"))), faiss.IndexHNSWFlat)


def test_embedder_settings_reach_get_embedder(tmp_path: Path, tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch, recorded_embedder_options: list[dict]) -> None:
    monkeypatch.setenv("DOCQA_BACKEND", "onnx-fp32")
    monkeypatch.setenv("DOCQA_THREADS", "3")
    monkeypatch.setenv("DOCQA_CACHE", str(tmp_path / "cache"))
    assert cli.main(["ingest", str(tiny_corpus), "--index", str(tmp_path / "idx")]) == 0
    assert recorded_embedder_options[-1] == {"model": Settings().model, "backend": "onnx-fp32", "threads": 3, "cache_dir": tmp_path / "cache"}


def test_a_bad_setting_is_an_exit_2_message(tmp_path: Path, tiny_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DOCQA_BACKEND", "gpu")
    assert cli.main(["ingest", str(tiny_corpus), "--index", str(tmp_path / "idx")]) == 2
    assert "DOCQA_BACKEND: unknown embedding backend 'gpu'" in capsys.readouterr().err


def test_max_question_chars_is_enforced_by_the_api(tiny_index: Path, fake_embedder: FakeEmbedder) -> None:
    settings = Settings(index=tiny_index, model=fake_embedder.name, max_question_chars=20)
    app = create_app(settings, assistant=Assistant(tiny_index, embedder=fake_embedder))
    with TestClient(app) as client:
        assert client.post("/api/ask", json={"question": "Which river?"}).status_code == 200
        too_long = client.post("/api/ask", json={"question": "Which river flows through ten countries?"})
        assert too_long.status_code == 422 and "longer than 20 characters" in too_long.json()["error"]
        assert client.get("/api/search", params={"q": "x" * 21}).status_code == 422
        schema = client.get("/openapi.json").json()
    question = schema["components"]["schemas"]["AskRequest"]["properties"]["question"]
    assert question["maxLength"] == 20
    q = next(p for p in schema["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["maxLength"] == 20


def test_the_api_schema_lists_the_three_modes_and_rejects_others(tiny_index: Path, fake_embedder: FakeEmbedder) -> None:
    app = create_app(Settings(index=tiny_index, model=fake_embedder.name), assistant=Assistant(tiny_index, embedder=fake_embedder))
    with TestClient(app) as client:
        schema = client.get("/openapi.json").json()
        assert schema["components"]["schemas"]["SearchMode"]["enum"] == ["dense", "bm25", "hybrid"]
        assert client.post("/api/ask", json={"question": "Which river?", "mode": "bm25"}).status_code == 200
        bad = client.post("/api/ask", json={"question": "Which river?", "mode": "fuzzy"})
        assert bad.status_code == 422 and "dense" in bad.json()["error"]


def test_cli_modes_are_parsed_in_one_place(tmp_path: Path, tiny_index: Path, capsys: pytest.CaptureFixture, recorded_embedder_options: list[dict]) -> None:
    assert cli.main(["ask", "Which river?", "--index", str(tiny_index), "--mode", "fuzzy"]) == 2
    assert "Unknown search mode 'fuzzy'; choose one of: dense, bm25, hybrid" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["serve", "--bogus"], ["ask"], ["ask", "Which river?", "--index"], ["serve", "--workers", "0"]])
def test_a_usage_error_is_a_message_and_exit_2_not_a_traceback(argv: list[str], capsys: pytest.CaptureFixture) -> None:
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "Error:" in err and "Traceback" not in err


def test_help_shows_the_variables_and_defaults_in_brackets(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["ask", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "[env DOCQA_INDEX]" in out and "[default: hybrid]" in out


def test_reload_with_a_bad_url_is_a_message_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("DOCQA_ADMIN_TOKEN", "secret")
    assert cli.main(["reload", "--url", "localhost-without-scheme"]) == 2
    assert "--url must look like http://HOST:PORT" in capsys.readouterr().err


def test_an_index_folder_that_cannot_be_written_is_a_message_and_exit_1(
    tmp_path: Path, tiny_corpus: Path, capsys: pytest.CaptureFixture, recorded_embedder_options: list[dict]
) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    assert cli.main(["ingest", str(tiny_corpus), "--index", str(not_a_folder)]) == 1
    err = capsys.readouterr().err
    assert "Error: Not a directory" in err and "Traceback" not in err
