"""End to end with the real `docqa serve`: starting → ready, re-index while serving, reload, SIGHUP, rollback (slow)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import load_benchmark

REPO = Path(__file__).resolve().parent.parent


def get(url: str, *, headers: dict | None = None, method: str = "GET") -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def wait_for(predicate, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.3)


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.model
def test_serve_follows_reindex_reload_sighup_and_rollback(tmp_path: Path) -> None:
    free_port = load_benchmark().free_port

    root = tmp_path / "index"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Opening hours\n\nThe museum opens at nine on Sundays.")
    env = {**os.environ, "DOCQA_INDEX": str(root), "DOCQA_ADMIN_TOKEN": "tok", "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-m", "docqa"]
    assert subprocess.run([*cli, "ingest", str(docs)], cwd=REPO, env=env, capture_output=True).returncode == 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"  # a file, not a pipe: an unread pipe fills up and blocks the server
    log_file = open(log_path, "wb")
    server = subprocess.Popen([*cli, "serve", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    try:
        statuses: set = set()

        def ready() -> bool:
            try:
                status, body = get(f"{base}/healthz")
            except OSError:
                return False
            statuses.add(body.get("status"))
            return status == 200

        wait_for(ready)
        print(f"\nhealthz statuses seen while starting: {statuses}")
        first = get(f"{base}/healthz")[1]["version"]

        # Re-index while serving: the server follows CURRENT by itself.
        (docs / "b.txt").write_text("Transport\n\nThe blue tram reaches the harbour in 14 minutes.")
        assert subprocess.run([*cli, "ingest", str(docs)], cwd=REPO, env=env, capture_output=True).returncode == 0

        def serving_other_than(name: str):
            return lambda: get(f"{base}/healthz")[1].get("version") != name

        wait_for(serving_other_than(first))
        second = get(f"{base}/healthz")[1]["version"]
        assert get(f"{base}/healthz")[1]["documents"] == 2

        # docqa index rollback + docqa reload (admin route)
        assert subprocess.run([*cli, "index", "rollback"], cwd=REPO, env=env, capture_output=True).returncode == 0
        reload = subprocess.run([*cli, "reload", "--url", base], cwd=REPO, env=env, capture_output=True, text=True)
        assert reload.returncode == 0, reload.stderr
        assert get(f"{base}/healthz")[1]["version"] == first
        # SIGHUP after switching back
        subprocess.run([*cli, "index", "rollback", second], cwd=REPO, env=env, check=True, capture_output=True)
        server.send_signal(signal.SIGHUP)
        wait_for(lambda: get(f"{base}/healthz")[1].get("version") == second, timeout=30)
        stats = get(f"{base}/admin/stats", headers={"Authorization": "Bearer tok"})[1]
        assert stats["reloads"] >= 3 and stats["version"] == second
        assert get(f"{base}/admin/stats")[0] == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_file.close()
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if "route" in line]
    assert access and all({"request_id", "route", "status", "latency_ms"} <= set(line) for line in access)
