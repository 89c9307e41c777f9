"""The question log's costs: POST /api/ask latency with and without it, loss under load, the admin page at 100k rows.

    python benchmarks/question_log.py [--questions 400] [--load-seconds 20] [--rows 100000] [--postgres] [--skip ...]

1. latency: two real `docqa serve` on the bundled corpus, one with DOCQA_LOG_QUESTIONS=off, one logging to
   SQLite; each question goes to both, back to back, alternating which goes first, so load on the
   machine hits both alike. Also the in-process cost of QuestionLog.record(). Target: p50 +0.3 ms at most.
2. load: the logging server at the throughput benchmark's rate (16 keep-alive clients); then its
   /admin/stats and, after a graceful stop, the rows in the database. Target: no answer lost.
3. report: a log of --rows questions over 30 days (70% answered; questions drawn from 3,000 distinct ones,
   Zipf-like; each batch's declined questions embedded and cached as the log's writer thread does), then
   GET /admin (bearer) in-process with the real model: the first render and the median of 10 more.
   Target: <= 300 ms.
   With --postgres, the same on a throwaway PostgreSQL (tests/postgres_harness.py).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import itertools
import json
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import REPO, machine, percentiles  # noqa: E402
from latency import questions_from  # noqa: E402
from throughput import _clients  # noqa: E402

TOKEN = "benchmark-token"


def _post(connection: http.client.HTTPConnection, question: str) -> int:
    connection.request("POST", "/api/ask", body=json.dumps({"question": question}), headers={"content-type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status


def latency(index: Path, scratch: Path, questions: list[str]) -> dict:
    """p50 of POST /api/ask without and with the log, same run, interleaved."""
    servers = {}
    try:
        for name, env in (("off", {"DOCQA_LOG_QUESTIONS": "off"}), ("on", {"DOCQA_DATABASE_URL": f"sqlite:///{scratch / 'latency.sqlite3'}"})):
            port = _server.free_port()
            servers[name] = (_server.start(index, port=port, env=env), port)
        connections = {}
        for name, (process, port) in servers.items():
            _server.wait_answering(f"http://127.0.0.1:{port}", process)
            connections[name] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for q in questions[:20]:
                _post(connections[name], q + " (warm-up)")
        times: dict[str, list[float]] = {"off": [], "on": []}
        errors = 0
        for n, q in enumerate(questions):
            for name in (("off", "on") if n % 2 == 0 else ("on", "off")):
                started = time.perf_counter()
                errors += _post(connections[name], q) != 200
                times[name].append(time.perf_counter() - started)
        for c in connections.values():
            c.close()
    finally:
        for process, _ in servers.values():
            _server.stop(process)
    off, on = percentiles(times["off"]), percentiles(times["on"])
    return {"questions": len(questions), "errors": errors, "off_ms": off, "on_ms": on, "p50_added_ms": round(on["p50"] - off["p50"], 3), "record_us": record_cost(scratch)}


def record_cost(scratch: Path, n: int = 20_000) -> float:
    """Microseconds per logged answer on the request path (id, time, LoggedAnswer, QuestionLog.record), the writer thread running."""
    from docqa.server.questions.log import QuestionLog, new_answer_id
    from docqa.server.questions.store import LoggedAnswer, QuestionStore, utc_now

    log = QuestionLog(lambda: QuestionStore.open(f"sqlite:///{scratch / 'record.sqlite3'}"), capacity=n + 1)
    log.start()
    log.flush()
    started = time.perf_counter()
    for _ in range(n):  # what api.record_answer does per request
        log.record(LoggedAnswer(new_answer_id(), utc_now(), "q?", "q", "en", True, 0.5, "a", None, ("d",), "v", 10.0, None, None))
    elapsed = time.perf_counter() - started
    log.close()
    return round(elapsed / n * 1e6, 2)


def load(index: Path, scratch: Path, seconds: float, questions) -> dict:
    """The logging server at 16 clients: answers vs rows, and what the log says it dropped."""
    from docqa.server.questions.store import QuestionStore

    url = f"sqlite:///{scratch / 'load.sqlite3'}"
    port = _server.free_port()
    process = _server.start(index, port=port, env={"DOCQA_DATABASE_URL": url, "DOCQA_ADMIN_TOKEN": TOKEN})
    try:
        _server.wait_answering(f"http://127.0.0.1:{port}", process)
        latencies, errors, elapsed = asyncio.run(_clients(port, 16, seconds, questions))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/admin/stats", headers={"authorization": f"Bearer {TOKEN}"})
        stats = json.loads(connection.getresponse().read())["question_log"]
        connection.close()
    finally:
        _server.stop(process)  # SIGTERM: graceful, the log writes what it queued
    store = QuestionStore.open(url)
    rows = store.count()
    store.close()
    answered = len(latencies) - errors + 1  # + the readiness probe's question
    return {"requests": len(latencies), "errors": errors, "rps": round(len(latencies) / elapsed, 1), "rows": rows, "answers": answered,
            "stats_before_stop": stats}  # fmt: skip


def fill(url: str, rows: int, *, seed: int = 0, embedder=None) -> float:
    """`rows` logged questions over the last 30 days; seconds taken. With `embedder`, each batch's declined
    questions are embedded and cached as the log's writer thread does after each write."""
    from docqa.server.questions.grouping import cache_unanswered
    from docqa.server.questions.store import LoggedAnswer, QuestionStore, utc_now

    rng = random.Random(seed)
    texts = [p.read_text(errors="ignore") for p in (REPO / "corpus").rglob("*") if p.is_file()]
    distinct = questions_from(texts, 3000, seed=seed)
    weights = [1 / (rank + 1) for rank in range(len(distinct))]  # Zipf-like: a few questions asked often
    store = QuestionStore.open(url)
    now = utc_now()
    started = time.perf_counter()
    batch = []
    for n in range(rows):
        index = rng.choices(range(len(distinct)), weights)[0]
        answered = index % 10 < 7
        asked = now - timedelta(seconds=rng.uniform(0, 30 * 86400))
        batch.append(LoggedAnswer(f"{n:032x}", asked, distinct[index], distinct[index], "en", answered, rng.random(),
                                  "An answer sentence from the documents." if answered else "I could not find this in the documents.",
                                  None, ("personalised-medicine-action-plan.html",), "v1", rng.lognormvariate(3, 0.4),
                                  rng.choice([None, "https://www.example.org", "https://intranet.example.org"]), f"c{n // 5}"))  # fmt: skip
        if len(batch) == 5000:
            store.insert(batch)
            if embedder is not None:
                cache_unanswered(batch, store=store, embedder=embedder)
            batch = []
    store.insert(batch)
    if embedder is not None:
        cache_unanswered(batch, store=store, embedder=embedder)
    for n in range(0, rows, 97):  # some ratings
        store.rate(f"{n:032x}", helpful=n % 3 != 0, comment="not what I asked" if n % 3 == 0 else None)
    store.close()
    return time.perf_counter() - started


def report(index: Path, url: str, rows: int, renders: int = 10) -> dict:
    from fastapi.testclient import TestClient

    from docqa.config import Settings
    from docqa.server import components
    from docqa.server.app import create_app

    settings = Settings(index=index, admin_token=TOKEN, database_url=url)
    assistant = components.open_assistant(settings)
    fill_s = fill(url, rows, embedder=assistant.embedder)
    app = create_app(settings, assistant=assistant)
    bearer = {"authorization": f"Bearer {TOKEN}"}
    times = []
    with TestClient(app) as client:
        for _ in range(renders + 1):
            started = time.perf_counter()
            response = client.get("/admin", headers=bearer)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200 and "What visitors ask" in response.text
    warm = percentiles(times[1:])
    return {"rows": rows, "fill_s": round(fill_s, 1), "first_ms": round(times[0] * 1000, 1), "warm_ms": warm, "page_kb": round(len(response.content) / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true", help="also time the report on a throwaway PostgreSQL")
    parser.add_argument("--skip", action="append", default=[], choices=["latency", "load", "report"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results: dict = {"machine": machine()}
    corpus_texts = [p.read_text(errors="ignore") for p in (REPO / "corpus").rglob("*") if p.is_file()]
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        index = scratch / "index"
        _server.ingest(REPO / "corpus", index, env={"DOCQA_LOG_QUESTIONS": "off"})
        if "latency" not in args.skip:
            results["latency"] = latency(index, scratch, questions_from(corpus_texts, args.questions, seed=3))
        if "load" not in args.skip:
            results["load"] = load(index, scratch, args.load_seconds, itertools.cycle(questions_from(corpus_texts, 20_000, seed=7)))
        if "report" not in args.skip:
            results["report_sqlite"] = report(index, f"sqlite:///{scratch / 'report.sqlite3'}", args.rows)
            if args.postgres:
                from tests.postgres_harness import new_database, server_binaries, throwaway_cluster

                with throwaway_cluster(server_binaries()) as server:
                    results["report_postgresql"] = report(index, new_database(server, "report"), args.rows)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {results['machine']}")
    if "latency" in results:
        r = results["latency"]
        print(f"POST /api/ask, {r['questions']} questions to each server, interleaved ({r['errors']} errors):")
        for name in ("off", "on"):
            m = r[f"{name}_ms"]
            print(f"  log {name:3}  p50 {m['p50']:6.2f} ms  p90 {m['p90']:6.2f}  p99 {m['p99']:6.2f}")
        print(f"  added by the log at p50: {r['p50_added_ms']:+.3f} ms (target <= 0.3 ms); the request path's share {r['record_us']} µs an answer")
    if "load" in results:
        r = results["load"]
        s = r["stats_before_stop"]
        print(f"load, 16 clients: {r['requests']} requests ({r['rps']}/s, {r['errors']} errors); {r['rows']} rows for {r['answers']} answers "
              f"({'none lost' if r['rows'] == r['answers'] else 'LOST ' + str(r['answers'] - r['rows'])}); before the stop: written {s['written']}, "
              f"queued {s['queued']}, dropped {s['dropped_queue_full'] + s['dropped_write_failed']}, batches {s['batches']}")  # fmt: skip
    for name in ("report_sqlite", "report_postgresql"):
        if name in results:
            r = results[name]
            w = r["warm_ms"]
            print(f"GET /admin on {name.split('_')[1]}, {r['rows']:,} rows (filled in {r['fill_s']} s): first {r['first_ms']} ms, "
                  f"then p50 {w['p50']:.1f} ms, p90 {w['p90']:.1f} ms ({r['page_kb']} KB; target <= 300 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
