"""Issue 17, parts 1-3: stateless replicas behind nginx, one PostgreSQL question log, one index folder.

Three real `docqa serve` processes on 127.0.0.1 share an index folder and a PostgreSQL database; a real
nginx, configured by `docqa deploy nginx`, spreads 32 clients' questions over them (tests/replica_cluster.py).
During the run a new version is published with `docqa ingest` and one replica is SIGKILLed and started
again: no client request fails, every replica serves the new version within 5 s and no answer to a
request sent after that comes from the old one; the log holds one row per answer, none twice, and
misses only what the killed replica had not yet written (answers of its last second).
The 60 s version is benchmarks/replicas.py (and the slow test below).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from docqa.server.app import NO_INDEX_MESSAGE
from tests.replica_cluster import NGINX, Figures, figures, logged_answer_ids, run_trial, start_cluster
from tests.serve_harness import http, start_serve

pytestmark = [pytest.mark.e2e, pytest.mark.model]

AGREE_SECONDS = 5.0
LOST_WINDOW_SECONDS = 1.0  # the log's writer waits at most 0.05 s for a batch to gather, then writes it (slowly on a loaded machine)


@pytest.fixture
def log_database(postgres_server: str) -> str:
    from tests.postgres_harness import new_database

    return new_database(postgres_server, f"replicas{time.monotonic_ns()}")


def trial_figures(tmp_path: Path, database_url: str, *, seconds: float, publish_at: float, kill_at: float) -> Figures:
    if not Path(NGINX).exists():
        pytest.skip("nginx missing: apt-get install nginx (.ci/run does)")
    cluster = start_cluster(tmp_path, database_url=database_url)
    try:
        trial = run_trial(cluster, seconds=seconds, clients=32, publish_at=publish_at, kill_at=kill_at)
    finally:
        cluster.stop()  # SIGTERM: the live replicas write what their logs still hold
    found = figures(trial, logged_ids=logged_answer_ids(database_url))
    print("\n".join(found.lines()))
    assert trial.killed is not None and trial.restarted_ready is not None, "the killed replica did not serve again"
    # A replica killed while answering: nginx retries the request elsewhere as long as no byte of the answer had
    # left, and docqa sends an answer's head and body in one write (server/connections.py HeadWithBody).
    assert found.requests > 100 and found.failed == 0, (trial.failures()[:5], f"nginx and replica logs: {tmp_path}")
    assert found.seconds_to_agree is not None and found.seconds_to_agree <= AGREE_SECONDS, found
    assert found.old_answers_after_5s == 0, found
    assert found.logged_not_answered == 0 and found.logged == len(set(logged_answer_ids(database_url))), found  # none twice
    # What is missing is what the killed replica had not yet written: the batch it was writing and the rows
    # queued behind it (more than one batch's worth when a write is slow: 22 rows once, against batches of
    # at most 12), all answered just before the kill; nothing older is ever lost.
    assert found.answered_not_logged is not None, found
    assert found.lost_seconds_before_kill is not None and found.lost_seconds_before_kill <= LOST_WINDOW_SECONDS, found
    assert found.logged == found.requests - found.answered_not_logged
    return found


def test_three_replicas_behind_nginx_a_publish_and_a_kill_lose_no_request(tmp_path: Path, log_database: str) -> None:
    trial_figures(tmp_path, log_database, seconds=15, publish_at=1, kill_at=7)


@pytest.mark.slow
def test_three_replicas_for_60_seconds(tmp_path: Path, log_database: str) -> None:
    trial_figures(tmp_path, log_database, seconds=60, publish_at=10, kill_at=30)


def test_a_replica_given_another_models_index_says_so_and_answers_503(tmp_path: Path) -> None:
    """A replica set to another model than the shared index's: /healthz and /api/ask say which (503, so
    nginx passes its requests to the others), and nothing is written to the index."""
    good = start_serve(tmp_path / "good")  # builds the index with the shipped model
    good.stop()
    index = tmp_path / "good" / "index"
    before = sorted(p.name for p in (index / "versions").iterdir())
    other = start_serve(tmp_path / "other", {"DOCQA_INDEX": str(index), "DOCQA_MODEL": "sentence-transformers/paraphrase-MiniLM-L3-v2"}, wait_ready=False)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            status, _, body = http(f"{other.base}/healthz")
            health = json.loads(body)
            if health.get("status") == "error" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        asked = http(f"{other.base}/api/ask", method="POST", body=b'{"question": "when does the museum open?"}', headers={"Content-Type": "application/json"})  # fmt: skip
    finally:
        other.stop()
    assert status == 503 and "all-MiniLM-L6-v2" in health["error"] and "paraphrase-MiniLM-L3-v2" in health["error"], health
    assert asked[0] == 503 and json.loads(asked[2])["error"] == NO_INDEX_MESSAGE  # visitors: plain words; /healthz: why
    assert sorted(p.name for p in (index / "versions").iterdir()) == before
