"""`docqa serve --workers N`: worker processes rebuild the same settings; the shared socket is TCP."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from docqa.server import workers
from docqa.config import Settings


def test_worker_settings_round_trip_through_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    original = Settings(index=tmp_path / "idx", port=8123, passages=7, allowed_origins="https://a.example")
    exported: dict[str, str] = {}
    workers.settings_to_environment(original, environ=exported)
    for name in original.model_dump():
        monkeypatch.delenv(f"DOCQA_{name.upper()}", raising=False)
    for key, value in exported.items():
        monkeypatch.setenv(key, value)
    assert Settings() == original


def test_the_shared_socket_is_tcp_so_responses_are_not_delayed() -> None:
    sock = workers._listening_socket("127.0.0.1", 0, backlog=8)
    try:
        assert sock.proto == socket.IPPROTO_TCP  # asyncio sets TCP_NODELAY only on such sockets' connections
        assert sock.get_inheritable()
    finally:
        sock.close()
