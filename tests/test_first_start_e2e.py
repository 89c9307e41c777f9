"""The real `docqa serve` on an empty index directory: /healthz answers 503 "starting" before 200; each
request is logged once; a first start writes no warning or error (end to end: a subprocess, the real model)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import load_benchmark

REPO = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 180


def healthz(base: str) -> tuple[int, dict] | None:
    """(status, body), or None while nothing listens."""
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except OSError:
        return None


@pytest.mark.e2e
@pytest.mark.model
def test_serve_on_an_empty_index_answers_starting_then_ready(tmp_path: Path) -> None:
    port = load_benchmark().free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}  # the defaults, whatever this shell sets
    env.update(DOCQA_INDEX=str(tmp_path / "index"), DOCQA_CACHE=str(tmp_path / "cache"), HF_HUB_OFFLINE="1")
    log_path = tmp_path / "stderr.log"  # a file, not a pipe: an unread pipe fills up and blocks the server
    with open(log_path, "wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "docqa", "serve", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file
        )
    seen: list[tuple[int, str]] = []
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not seen or seen[-1][0] != 200:
            assert time.monotonic() < deadline, f"no 200 from /healthz before the deadline; seen {seen}"
            answer = healthz(base)
            if answer is not None:
                seen.append((answer[0], answer[1].get("status", "")))
            time.sleep(0.05)
        request_id = f"e2e-{uuid.uuid4().hex[:12]}"
        ask = urllib.request.Request(
            f"{base}/api/ask",
            data=json.dumps({"question": "when does ERA PerMed start?"}).encode(),
            headers={"content-type": "application/json", "x-request-id": request_id},
        )
        with urllib.request.urlopen(ask, timeout=60) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert (503, "starting") in seen, f"the first /healthz answers should say starting; seen {seen}"
    assert seen.index((503, "starting")) < seen.index((200, "ok"))
    stderr = log_path.read_text(encoding="utf-8", errors="replace")
    assert stderr.count(request_id) == 1, stderr
    lines = stderr.splitlines()
    worrying = [line for line in lines if "Traceback" in line or "WARNING" in line or '"level": "warning"' in line or '"level": "error"' in line]
    assert worrying == [], "\n".join(worrying)
    phases = [json.loads(line).get("phase") for line in lines if '"event": "first_index"' in line]
    assert {"read", "split", "embed", "write", "ready"} <= set(phases)
