"""`docqa serve --workers 2` under 32 concurrent clients: every answered question is logged exactly once,
none lost (the last batches are written at graceful shutdown), on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from docqa.server.questions.store import QuestionStore
from tests.conftest import ACCEPTANCE_QUESTIONS, load_benchmark

REPO = Path(__file__).resolve().parent.parent
CLIENTS, QUESTIONS_EACH = 32, 20


@pytest.mark.e2e
@pytest.mark.model
def test_two_workers_and_32_clients_log_exactly_640_rows(corpus_index: Path, database_url: str, tmp_path: Path) -> None:
    port = load_benchmark().free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DOCQA_INDEX": str(corpus_index), "DOCQA_DATABASE_URL": database_url, "DOCQA_RATE_LIMIT": "", "HF_HUB_OFFLINE": "1"}
    log_file = open(tmp_path / "server.log", "wb")  # a file, not a pipe: an unread pipe blocks the server
    server = subprocess.Popen(
        [sys.executable, "-m", "docqa", "serve", "--workers", "2", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file
    )
    ids: list[str] = []
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 120
        ready = 0
        while ready < 6:  # /healthz is not logged; a worker still loading answers 503
            assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()[-3000:]
            try:
                ready = ready + 1 if httpx.get(f"{base}/healthz", timeout=5).status_code == 200 else 0
            except httpx.HTTPError:
                ready = 0
            time.sleep(0.1)
        lock = threading.Lock()

        def client(n: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                for i in range(QUESTIONS_EACH):
                    question = f"{ACCEPTANCE_QUESTIONS[(n + i) % len(ACCEPTANCE_QUESTIONS)][0]} ({n}-{i})"
                    for _attempt in range(50):
                        r = http.post("/api/ask", json={"question": question, "conversation_id": f"client-{n}"})
                        if r.status_code != 503:  # the other worker may still be loading its index
                            break
                        time.sleep(0.1)
                    with lock:
                        if r.status_code == 200 and r.json()["answer_id"]:
                            ids.append(r.json()["answer_id"])
                        else:
                            failures.append(f"{r.status_code} {r.text[:200]}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.send_signal(signal.SIGTERM)  # graceful: each worker writes what it has queued
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log_file.close()
    assert failures == []
    assert len(ids) == len(set(ids)) == CLIENTS * QUESTIONS_EACH
    store = QuestionStore.open(database_url)
    try:
        rows = list(store.rows())
    finally:
        store.close()
    assert len(rows) == 640 and {r["answer_id"] for r in rows} == set(ids)
    assert {r["conversation_id"] for r in rows} == {f"client-{n}" for n in range(CLIENTS)}
    assert "dropped" not in (tmp_path / "server.log").read_text()
