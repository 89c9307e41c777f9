"""Index versions: list, rollback, prune; the server follows CURRENT without dropping a request."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docqa.index.storage import versions
from docqa.index.assistant import Assistant
from docqa.ingest.pipeline import ingest
from docqa.server.app import create_app
from docqa.config import Settings


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_list_rollback_and_prune(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    root = tmp_path / "index"
    names = [ingest([tiny_corpus], index_root=root, embedder=fake_embedder, keep_versions=3).version for _ in range(4)]
    listed = versions.list_versions(root)
    assert [v.name for v in listed] == names[1:]  # the oldest was pruned
    assert [v.current for v in listed] == [False, False, True]
    assert listed[-1].documents == 2 and listed[-1].model == "fake-bow"
    assert versions.rollback(root) == names[2]
    assert versions.current_name(root) == names[2]
    assert versions.rollback(root) == names[1]
    with pytest.raises(Exception, match="older"):
        versions.rollback(root)
    assert versions.rollback(root, names[3]) == names[3]
    from docqa.errors import InvalidInput

    with pytest.raises(InvalidInput):
        versions.rollback(root, "no-such-version")
    # a rolled-back-to version survives pruning; nothing temporary is left behind
    versions.rollback(root, names[1])
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder, keep_versions=1)
    assert len(versions.version_names(root)) == 1
    assert not [p for p in (root / "versions").iterdir() if p.name.startswith(".")]


def test_cli_index_list_and_rollback(tmp_path: Path, tiny_corpus: Path, fake_embedder, capsys) -> None:
    from docqa.server.cli import main

    root = tmp_path / "index"
    first = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    second = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    assert main(["index", "list", "--index", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"  {first}") and out[1].startswith(f"* {second}")
    assert main(["index", "rollback", "--index", str(root)]) == 0
    assert versions.current_name(root) == first
    assert main(["index", "rollback", "nope", "--index", str(root)]) == 2
    assert main(["index", "list", "--index", str(tmp_path / "empty")]) == 1
    assert main(["reload"]) == 1  # no admin token: a message, not a traceback
    assert "DOCQA_ADMIN_TOKEN" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://127.0.0.1:abc", "http://127.0.0.1:99999", "127.0.0.1:8000", "ftp://127.0.0.1/", "http://[::1"])
def test_reload_with_a_malformed_url_is_bad_usage(url: str, monkeypatch, capsys) -> None:
    from docqa.server.cli import main

    monkeypatch.setenv("DOCQA_ADMIN_TOKEN", "secret")
    assert main(["reload", "--url", url]) == 2
    err = capsys.readouterr().err
    assert "--url must look like http://HOST:PORT" in err and "Traceback" not in err


def _reload_answered_with(status: int, body: bytes, monkeypatch, capsys) -> str:
    """`docqa reload --url` at a server on 127.0.0.1 that answers every POST with `status` and `body`: its exit
    status must be 1; what it wrote on stderr."""
    import http.server
    import threading

    from docqa.server.cli import main

    class Answering(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the base class's name
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Answering)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("DOCQA_ADMIN_TOKEN", "secret")
        assert main(["reload", "--url", f"http://127.0.0.1:{server.server_address[1]}"]) == 1
    finally:
        server.shutdown()
    return capsys.readouterr().err


@pytest.mark.parametrize(("status", "says"), [(404, "started without DOCQA_ADMIN_TOKEN"), (401, "not the server's admin token")])
def test_reload_refused_says_why(status: int, says: str, monkeypatch, capsys) -> None:
    """A server without admin routes answers 404, a wrong token 401: each is said plainly, not as raw HTTP."""
    import json

    body = json.dumps({"error": "Not Found" if status == 404 else "Admin token missing or wrong."}).encode()
    err = _reload_answered_with(status, body, monkeypatch, capsys)
    assert "refused the reload" in err and says in err and "Traceback" not in err, err


@pytest.mark.parametrize("body", [b"[1, 2]", b"null", b"\"ok\"", b"{\"version\": 5", b"\xff\xfe"])
def test_reload_answered_by_something_else_than_docqa_says_so(body: bytes, monkeypatch, capsys) -> None:
    """`--url` at another service that answers 200 with JSON that is not docqa's object: one line, exit 1."""
    err = _reload_answered_with(200, body, monkeypatch, capsys)
    assert "did not answer as docqa does" in err and "Traceback" not in err, err


def test_an_ingest_into_a_version_folder_is_refused_before_any_work(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    """`--index ROOT/versions/NAME` would nest a new index inside a version (served by nothing, deleted
    with it when pruned) and say 'Version X in ...' all the same."""
    from docqa.errors import InvalidInput

    root = tmp_path / "index"
    name = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    version = root / versions.VERSIONS / name
    before = sorted(p.name for p in version.iterdir())
    with pytest.raises(InvalidInput, match="is one index version"):
        ingest([tiny_corpus], index_root=version, embedder=fake_embedder)
    assert sorted(p.name for p in version.iterdir()) == before and versions.current_name(root) == name


def _served_text(client: TestClient) -> str:
    return " ".join(p["text"] for p in client.get("/api/search?q=river&k=10").json()["passages"])


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_server_follows_current_without_dropping_requests(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    root = tmp_path / "index"
    ingest([tiny_corpus], index_root=root, embedder=fake_embedder)
    settings = Settings(index=root, model=fake_embedder.name, reload_check_seconds=0)
    app = create_app(settings, assistant=Assistant(root, embedder=fake_embedder))
    app.state.reloader.load = lambda: Assistant(root, embedder=fake_embedder)
    with TestClient(app) as client:
        assert "Danube" in _served_text(client)
        old = app.state.assistant
        # A request that is still running on the old version when the new one arrives.
        started, release = threading.Event(), threading.Event()
        real_search = old.search

        def slow_search(*args, **kwargs):
            started.set()
            release.wait(10)
            return real_search(*args, **kwargs)

        old.search = slow_search
        result: dict = {}
        worker = threading.Thread(target=lambda: result.update(r=client.get("/api/search?q=danube")))
        worker.start()
        assert started.wait(10)
        other = _write(tmp_path / "v2", "lakes.txt", "Lakes\n\nLake Baikal is the deepest lake, and a river leaves it.")
        new_version = ingest([other], index_root=root, embedder=fake_embedder).version
        client.get("/healthz")  # any request notices the new CURRENT
        _wait_for(lambda: app.state.reloader.served_version() == new_version)
        assert "Baikal" in _served_text(client) and "Danube" not in _served_text(client)
        release.set()
        worker.join(10)
        assert result["r"].status_code == 200 and "Danube" in result["r"].text  # finished on the old version
        # rollback: the server follows again
        versions.rollback(root)
        client.get("/healthz")
        _wait_for(lambda: app.state.reloader.served_version() != new_version)
        assert "Danube" in _served_text(client)


def test_a_broken_new_version_is_not_served(tmp_path: Path, tiny_corpus: Path, fake_embedder) -> None:
    root = tmp_path / "index"
    good = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    settings = Settings(index=root, model=fake_embedder.name, reload_check_seconds=0, admin_token="t0ken")
    app = create_app(settings, assistant=Assistant(root, embedder=fake_embedder))
    app.state.reloader.load = lambda: Assistant(root, embedder=fake_embedder)
    bad = ingest([tiny_corpus], index_root=root, embedder=fake_embedder).version
    (root / "versions" / bad / "vectors.faiss").write_bytes(b"garbage")
    with TestClient(app) as client:
        r = client.post("/admin/reload", headers={"authorization": "Bearer t0ken"})
        assert r.status_code == 503 and bad in r.json()["error"]
        client.get("/healthz")
        time.sleep(0.2)
        assert app.state.reloader.served_version() == good
        assert client.get("/healthz").json()["version"] == good
        assert client.post("/api/ask", json={"question": "Which river rises in the Swiss Alps?"}).status_code == 200
        versions.rollback(root, good)  # the operator's fix
        assert client.post("/admin/reload", headers={"authorization": "Bearer t0ken"}).json()["version"] == good
