"""Damaged index versions (issue 16, rows 5 and 6): checksums checked on load, files changed after
loading fail one request with 503 "the index is damaged" (never the process), the start falls back
to the newest version that loads, and nothing public shows a path or a library's internals."""

from __future__ import annotations

import importlib.util
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.errors import IndexDamaged
from docqa.index.assistant import Assistant
from docqa.index.storage import checksums, store, versions
from docqa.ingest.pipeline import ingest
from docqa.server.app import create_app
from docqa.server.first_index import index_exists
from tests.conftest import REPO

QUESTION = "Which river rises in the Swiss Alps?"


def _damage_trial():
    spec = importlib.util.spec_from_file_location("docqa_damage_trial", REPO / "benchmarks" / "damage_trial.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _flip_byte(path: Path, at: int = 0) -> None:
    with open(path, "r+b") as handle:
        handle.seek(at)
        byte = handle.read(1)
        handle.seek(at)
        handle.write(bytes([byte[0] ^ 0xFF]))


def _shows_nothing_private(text: str, tmp_path: Path) -> bool:
    lowered = text.lower()
    return str(tmp_path) not in text and "/tmp" not in text and "faiss::" not in lowered and "error in" not in lowered


def test_every_file_has_its_size_and_checksum_in_the_manifest_and_damage_is_named(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    folder = versions.current_version(root)
    files = json.loads((folder / "manifest.json").read_text())["files"]
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert sorted(files) == on_disk and any(name.startswith("bm25/") for name in files)
    for name, entry in files.items():
        assert entry == {"bytes": (folder / name).stat().st_size, "sha256": checksums.sha256_of(folder / name)}
    store.load(folder)  # intact: loads
    for name in ("vectors.faiss", "chunks.bin", "sentence_vectors.npy", "chunks.npy", "documents.json", "bm25/data.csc.index.npy"):
        original = (folder / name).read_bytes()
        _flip_byte(folder / name, len(original) // 2)
        with pytest.raises(IndexDamaged, match=f"{name}.*checksum") as same_size:
            store.load(folder)
        (folder / name).write_bytes(original[: len(original) // 2])
        with pytest.raises(IndexDamaged, match=f"{name} has {len(original) // 2} bytes") as shorter:
            store.load(folder)
        (folder / name).write_bytes(original)
        for raised in (same_size, shorter):
            assert str(tmp_path) not in str(raised.value) and folder.name in str(raised.value)
    store.load(folder)


def test_files_changed_after_loading_fail_the_read_not_the_process(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    assistant = Assistant(root, embedder=fake_embedder)
    assistant.warm_up()
    folder = assistant.index.folder
    # Read into memory on load: damage on disk no longer reaches them (no mapping to fault on).
    for name in ("vectors.faiss", "chunks.npy", "sentences.npy", "chunk_sentences.npy", "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy"):
        os.truncate(folder / name, 0)
    assert "Rhine" in assistant.ask(QUESTION).answer
    # Read a few rows per question: every read checks the file is the one loaded.
    before = assistant.index.sentence_vectors[0]
    _flip_byte(folder / "sentence_vectors.npy", (folder / "sentence_vectors.npy").stat().st_size - 1)  # same size
    time.sleep(0.01)
    os.utime(folder / "sentence_vectors.npy")  # (a coarse clock could leave the time unchanged within a tick)
    with pytest.raises(IndexDamaged, match="sentence_vectors.npy changed on disk"):
        assistant.index.sentence_vectors[0]
    with pytest.raises(IndexDamaged, match="sentence_vectors.npy changed on disk"):
        assistant.ask(QUESTION)
    assert before.shape == (fake_embedder.dim,)
    os.truncate(folder / "chunks.bin", 10)
    with pytest.raises(IndexDamaged, match="chunks.bin changed on disk") as raised:
        assistant.index.chunk(len(assistant.index) - 1)
    assert str(tmp_path) not in str(raised.value)


def _app_on(root: Path, embedder, **settings) -> "TestClient":
    app = create_app(Settings(index=root, model=embedder.name, reload_check_seconds=0, **settings))
    app.state.reloader.load = lambda **version: Assistant(root, embedder=embedder, **version)
    return app


def test_start_on_a_damaged_current_serves_the_newest_good_version_and_says_so(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    oldest, older, newest = (ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version for _ in range(3))
    os.truncate(root / "versions" / newest / "vectors.faiss", 100)
    _flip_byte(root / "versions" / older / "chunks.npy", 200)
    app = _app_on(root, fake_embedder)
    with TestClient(app) as client:
        health = client.get("/healthz")
        assert health.status_code == 200 and health.json()["version"] == oldest
        skipped = health.json()["skipped"]
        assert [s["version"] for s in skipped] == [newest, older]
        assert "vectors.faiss" in skipped[0]["reason"] and "chunks.npy" in skipped[1]["reason"]
        assert _shows_nothing_private(health.text, tmp_path)
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
        fixed = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version  # a good version is published
        client.get("/healthz")
        deadline = time.monotonic() + 20
        while app.state.reloader.served_version() != fixed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.get("/healthz").json()["version"] == fixed and "skipped" not in client.get("/healthz").json()


def test_start_with_no_good_version_says_the_index_is_damaged_without_paths(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    only = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    (root / "versions" / only / "vectors.faiss").write_bytes(b"garbage")
    app = _app_on(root, fake_embedder)
    with pytest.raises(IndexDamaged):  # a start that must load now (not in the background) fails loudly
        with TestClient(app):
            pass
    app = create_app(Settings(index=root, model=fake_embedder.name, reload_check_seconds=0), load_in_background=True)
    app.state.reloader.load = lambda **version: Assistant(root, embedder=fake_embedder, **version)
    with TestClient(app) as client:
        deadline = time.monotonic() + 20
        while app.state.reloader.status != "error" and time.monotonic() < deadline:
            time.sleep(0.05)
        health = client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "error"
        assert "vectors.faiss" in health.json()["error"] and _shows_nothing_private(health.text, tmp_path)
        for response in (client.post("/api/ask", json={"question": QUESTION}), client.get("/api/search", params={"q": "river"})):
            assert response.status_code == 503 and "index is damaged" in response.json()["error"]
            assert _shows_nothing_private(response.text, tmp_path) and "docqa " not in response.json()["error"]  # no operator commands
        ingest([tiny_corpus], index_root=root, embedder=fake_embedder)  # answers again once a good version is published
        deadline = time.monotonic() + 20
        while client.post("/api/ask", json={"question": QUESTION}).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_a_version_with_a_damaged_manifest_is_not_taken_for_an_empty_index(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    name = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    (root / "versions" / name / "manifest.json").unlink()
    assert index_exists(root)  # so `docqa serve` reports it instead of indexing the bundled corpus over it
    assert not index_exists(tmp_path / "empty")


def test_an_api_error_never_shows_a_folder(tmp_path, tiny_corpus, fake_embedder) -> None:
    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    app = _app_on(root, fake_embedder)
    with TestClient(app) as client:
        served = app.state.assistant
        served.searcher.search = lambda *a, **k: (_ for _ in ()).throw(IndexDamaged(f"in {root}: broken"))
        response = client.get("/api/search", params={"q": "river"})
        assert response.status_code == 503 and "index is damaged" in response.json()["error"]
        assert _shows_nothing_private(response.text, tmp_path)


@pytest.mark.e2e
@pytest.mark.model
def test_served_files_truncated_in_place_never_kill_the_server(tmp_path: Path) -> None:
    trial = _damage_trial()
    result = trial.run(
        trials=3, clients=4, dwell=0.4, check_seconds=0.2, work=tmp_path,
        damages=["truncate vectors.faiss", "truncate chunks.bin", "truncate sentence_vectors.npy"],
    )
    assert result["deaths"] == 0, result
    assert result["bad"] == 0, result["bad_samples"]
    per_trial = result["per_trial"]
    assert per_trial[1]["responses"].get("damaged") and per_trial[2]["responses"].get("damaged"), per_trial  # read per question
    assert result["recovered"] == 3, result
    assert result["damage_log_lines"] > 0


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.model
def test_damage_trial_random_files(tmp_path: Path) -> None:
    trial = _damage_trial()
    result = trial.run(trials=10, clients=8, dwell=0.5, seed=16, work=tmp_path)
    print(json.dumps({k: v for k, v in result.items() if k != "per_trial"}, indent=1))
    assert trial.met(result), result
