"""Issue 17 part 3 in one process: a replica that gets no request picks up a new CURRENT within
DOCQA_RELOAD_CHECK_SECONDS (the reloader also follows it on a timer), and /api/ask and /healthz name
the version they come from. (tests/test_replicas.py checks the same on three real replicas.)"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from docqa.config import Settings
from docqa.index.assistant import Assistant
from docqa.ingest.pipeline import ingest
from docqa.server.app import create_app

CHECK_SECONDS = 0.3


def _followers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "docqa-follow")


def test_an_idle_replica_serves_a_new_version_before_its_next_request(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    root = tmp_path / "index"
    first = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    settings = Settings(index=root, model=fake_embedder.name, reload_check_seconds=CHECK_SECONDS, log_questions=False)
    app = create_app(settings, assistant=Assistant(root, embedder=fake_embedder))
    app.state.reloader.load = lambda: Assistant(root, embedder=fake_embedder)
    before = _followers()
    with TestClient(app) as client:
        asked = client.post("/api/ask", json={"question": "Which river flows through Vienna?"}).json()
        assert asked["index_version"] == first == client.get("/healthz").json()["version"]
        (tmp_path / "v2").mkdir()
        (tmp_path / "v2" / "lakes.txt").write_text("Lakes\n\nLake Baikal is the deepest lake.")
        second = ingest([tmp_path / "v2"], index_root=root, embedder=fake_embedder).version
        published = time.monotonic()
        while app.state.reloader.served_version() != second:  # no request meanwhile
            assert time.monotonic() - published < CHECK_SECONDS + 5, "the idle server did not pick up the new version"
            time.sleep(0.02)
        assert client.post("/api/ask", json={"question": "Which lake is the deepest?"}).json()["index_version"] == second
        assert client.get("/healthz").json()["version"] == second
        assert _followers() == before + 1
    deadline = time.monotonic() + 5
    while _followers() > before:  # the timer stops with the app
        assert time.monotonic() < deadline, "the follower thread outlived the app"
        time.sleep(0.05)
