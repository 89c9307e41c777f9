"""`docqa serve --workers N`: worker processes get the supervisor's settings (not through os.environ); the shared socket is TCP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from docqa.server import workers
from docqa.server.connections import listening_socket
from docqa.config import Settings


def test_workers_get_the_supervisors_settings_without_the_environment(monkeypatch: pytest.MonkeyPatch, tiny_index: Path) -> None:
    import os
    import pickle

    import uvicorn.supervisors

    captured: dict = {}

    class FakeSupervisor:
        def __init__(self, config, sockets) -> None:
            captured["config"], captured["sockets"] = config, sockets

        def run(self) -> None:
            for sock in captured["sockets"]:
                sock.close()

    monkeypatch.setattr(uvicorn.supervisors, "Multiprocess", FakeSupervisor)
    monkeypatch.setattr("docqa.server.access_log.configure_logging", lambda **_: None)
    monkeypatch.setattr("docqa.server.app.prepare_serving_process", lambda: None)
    original = Settings(index=tiny_index, port=0, passages=7, allowed_origins="https://a.example", threads=4, index_type="hnsw")
    environment_before = dict(os.environ)
    workers.run(original, workers=2)
    assert dict(os.environ) == environment_before  # nothing exported

    # What a spawned worker receives: the pickled factory, whatever its environment says.
    monkeypatch.setenv("DOCQA_PASSAGES", "3")
    factory = pickle.loads(pickle.dumps(captured["config"].app))
    assert captured["config"].factory is True
    expected = original.model_copy(update={"threads": 2})  # 4 cores shared by 2 workers
    assert factory.args == (expected,)
    app = factory()
    assert app.state.settings == expected and app.state.settings.passages == 7


def test_the_shared_socket_is_tcp_so_responses_are_not_delayed() -> None:
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only on such sockets' connections
        assert sock.get_inheritable()
    finally:
        sock.close()
