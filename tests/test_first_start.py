"""First start: the port opens at once, /healthz and /api/ask say "starting" while the first index is
built, failures are readable; one log line per request. (Unit tests: a fake embedder, no timings.)"""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.errors import NothingIndexed
from docqa.index.assistant import Assistant
from docqa.ingest.pipeline import ingest
from docqa.server.app import NO_INDEX_MESSAGE, STARTING_MESSAGE, create_app
from docqa.server.first_index import without_paths
from tests.conftest import FakeEmbedder

DEADLINE_SECONDS = 30


def first_start_app(
    tmp_path: Path, corpus: Path, embedder: FakeEmbedder, *, gate: threading.Event | None = None, fail: Exception | None = None, **settings
):
    """An app on an empty index directory whose first index is built with `embedder` (after `gate`); `settings` on top."""
    root = tmp_path / "index"
    app = create_app(Settings(index=root, corpus=corpus, model=embedder.name, **settings), load_in_background=True, build_missing_index=True)

    def build(paths, settings, on_phase):
        if gate is not None:
            assert gate.wait(DEADLINE_SECONDS)
        if fail is not None:
            raise fail
        return ingest(paths, index_root=settings.index, embedder=embedder, on_phase=on_phase)

    app.state.first_index.build = build
    app.state.reloader.load = lambda: Assistant(root, embedder=embedder)
    return app


def wait_for_health(client: TestClient, *, code: int | None = None, status: str | None = None) -> dict:
    """/healthz's body once it answers HTTP `code` or says `status` (within DEADLINE_SECONDS)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        r = client.get("/healthz")
        if r.status_code == code or r.json().get("status") == status:
            return {**r.json(), "http_status": r.status_code}
        assert time.monotonic() < deadline, f"/healthz still {r.status_code} {r.json()}"
        time.sleep(0.02)


def test_healthz_says_starting_while_the_first_index_is_built_then_ok(tmp_path, tiny_corpus, fake_embedder):
    gate = threading.Event()
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, gate=gate)
    with TestClient(app) as client:
        starting = client.get("/healthz")
        assert starting.status_code == 503
        assert starting.json()["status"] == "starting" and starting.json()["ready"] is False and starting.json()["phase"]
        gate.set()
        ready = wait_for_health(client, code=200)
    assert ready["status"] == "ok" and ready["documents"] == 2


def test_ask_answers_503_with_retry_after_while_starting(tmp_path, tiny_corpus, fake_embedder):
    gate = threading.Event()
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, gate=gate)
    with TestClient(app) as client:
        r = client.post("/api/ask", json={"question": "Which river?"})
        assert r.status_code == 503
        assert r.json()["error"] == STARTING_MESSAGE and r.json()["request_id"] == r.headers["x-request-id"]
        assert int(r.headers["retry-after"]) > 0
        assert client.get("/api/search", params={"q": "river"}).status_code == 503
        gate.set()
        wait_for_health(client, code=200)
        assert client.post("/api/ask", json={"question": "Which river?"}).status_code == 200


def test_a_failed_first_index_is_a_readable_503_and_is_logged(tmp_path, tiny_corpus, fake_embedder, caplog):
    caplog.set_level(logging.INFO, logger="docqa")
    secret = "/srv/private/corpus/notes.txt"
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, fail=NothingIndexed(f"Nothing could be indexed: {secret}: empty file"))
    with TestClient(app) as client:
        body = wait_for_health(client, status="error")
        ask = client.post("/api/ask", json={"question": "Which river?"})
    assert body["http_status"] == 503 and body["ready"] is False and "notes.txt: empty file" in body["error"]
    assert "/srv" not in body["error"] and "Traceback" not in body["error"]
    assert ask.status_code == 503 and "retry-after" not in ask.headers
    assert any("could not build the first index" in rec.getMessage() and secret in rec.getMessage() for rec in caplog.records)


def test_a_visitor_is_told_plainly_when_no_index_could_be_prepared(tmp_path, tiny_corpus, fake_embedder):
    """The visitor's message names no operator's tool (/healthz, commands); /healthz keeps the reason."""
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, fail=NothingIndexed("Nothing could be indexed: notes.txt: empty file"))
    with TestClient(app) as client:
        health = wait_for_health(client, status="error")
        ask = client.post("/api/ask", json={"question": "Which river?"}).json()["error"]
    assert ask == NO_INDEX_MESSAGE and "healthz" not in ask and "index" not in ask and "try again later" in ask
    assert "notes.txt: empty file" in health["error"]


def test_an_unexpected_failure_names_no_path_and_no_stack(tmp_path, tiny_corpus, fake_embedder):
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, fail=RuntimeError("boom in /opt/secret/module.py"))
    with TestClient(app) as client:
        body = wait_for_health(client, status="error")
    assert body["http_status"] == 503
    assert body["error"] == "The first index could not be built: unexpected RuntimeError; the server log has the details"


def test_without_paths_keeps_the_last_part_only():
    assert without_paths("Cannot read /home/ann/docs/a.txt: denied; see ./b and ~/c") == "Cannot read a.txt: denied; see ./b and ~/c"


def test_a_request_is_logged_exactly_once_even_with_a_root_handler(tiny_index, fake_embedder, monkeypatch):
    """A library's bare logging.warning() installs a root handler; docqa's lines must not reach it too."""
    from docqa.server.access_log import configure_logging

    docqa_log = logging.getLogger("docqa")
    saved = (docqa_log.handlers[:], docqa_log.propagate, docqa_log.level)
    root_stream, our_stream = io.StringIO(), io.StringIO()
    root_handler = logging.StreamHandler(root_stream)
    logging.getLogger().addHandler(root_handler)
    monkeypatch.setattr(sys, "stderr", our_stream)
    try:
        configure_logging()
        app = create_app(Settings(index=tiny_index, model=fake_embedder.name), assistant=Assistant(tiny_index, embedder=fake_embedder))
        with TestClient(app) as client:
            client.get("/healthz", headers={"x-request-id": "logged-once-1"})
    finally:
        logging.getLogger().removeHandler(root_handler)
        docqa_log.handlers[:], docqa_log.propagate = saved[0], saved[1]
        docqa_log.setLevel(saved[2])
    lines = [json.loads(line) for line in our_stream.getvalue().splitlines() if "logged-once-1" in line]
    assert len(lines) == 1 and lines[0]["route"] == "/healthz" and lines[0]["status"] == 200
    assert "logged-once-1" not in root_stream.getvalue()


def test_admin_reload_while_the_first_index_is_built_says_so(tmp_path, tiny_corpus, fake_embedder):
    """Not "No index found ... docqa ingest" (the server is building one): a 503 saying so, with Retry-After."""
    gate = threading.Event()
    app = first_start_app(tmp_path, tiny_corpus, fake_embedder, gate=gate, admin_token="t0ken")
    auth = {"authorization": "Bearer t0ken"}
    with TestClient(app) as client:
        early = client.post("/admin/reload", headers=auth)
        gate.set()
        wait_for_health(client, code=200)
        ready = client.post("/admin/reload", headers=auth)
    assert early.status_code == 503 and int(early.headers["retry-after"]) > 0
    message = early.json()["error"]
    assert "first index is still being built" in message and "try again" in message.lower()
    assert "No index found" not in message and "docqa ingest" not in message
    assert ready.status_code == 200 and ready.json()["version"]
