"""Query latency: POST /api/ask over HTTP against the in-process floor (embed the question + FAISS search), same run.

    python benchmarks/latency.py [--questions 300] [--synthetic 100000] [--skip-bundled] [--json]

For each corpus (the bundled one, then a synthetic index of --synthetic chunks; 0 skips it)
a real `docqa serve` is started. Each distinct question is timed three times, back to back:
in this process (embedder.embed + index.faiss.search: the floor), in this process through
the whole answer path (Assistant.ask), and over HTTP (keep-alive loopback), so CPU
contention from other processes hits all three alike.
Targets: p50(api) <= 1.2 x p50(floor) + 2 ms; p99(api) <= 3 x p50(api).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
import _synthetic  # noqa: E402
from _common import REPO, cranfield, machine, percentiles  # noqa: E402

TEMPLATES = (
    "What does the document say about {a} and {b}?",
    "How is {a} related to {b}?",
    "Which {a} is used for {b}?",
    "When was the {a} of the {b} decided?",
    "Who is responsible for {a}?",
    "Why does the {a} matter for {b}?",
)


def questions_from(texts: list[str], n: int, *, seed: int = 0, seed_questions: list[str] = ()) -> list[str]:
    """`n` distinct questions: the given ones first, then templates filled with the corpus's own words."""
    rng = random.Random(seed)
    words = sorted({w for t in texts for w in re.findall(r"[a-z]{4,}", t.lower())})
    out: dict[str, None] = dict.fromkeys(q for q in seed_questions if q.strip())
    while len(out) < n:
        out[rng.choice(TEMPLATES).format(a=rng.choice(words), b=rng.choice(words))] = None
    return list(out)[:n]


def measure(index_root: Path, questions: list[str], *, passages: int = 5) -> dict:
    import http.client

    from docqa.index.assistant import Assistant
    from docqa.index.embedding.embedder import get_embedder

    embedder = get_embedder()
    assistant = Assistant.open(index_root, model=embedder.name)  # the same answer path, in-process
    loaded = assistant.index
    assistant.warm_up()
    port = _server.free_port()
    base = f"http://127.0.0.1:{port}"
    server = _server.start(index_root, port=port)
    try:
        _server.wait_answering(base, server)
        floor, in_process, api, errors = [], [], [], 0
        # The standard library's client: ~1 ms lighter per request than httpx, so the figure is the server's.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def post(question: str) -> int:
            connection.request("POST", "/api/ask", body=json.dumps({"question": question}), headers={"content-type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status

        try:
            for q in questions[:10]:  # warm both paths
                post(q + " (warm-up)")
            for q in questions:
                start = time.perf_counter()
                vector = embedder.embed([q])
                loaded.faiss.search(vector, passages)
                floor.append(time.perf_counter() - start)
                start = time.perf_counter()
                assistant.ask(q + " ")  # a different string: no cache can serve the HTTP call below
                in_process.append(time.perf_counter() - start)
                start = time.perf_counter()
                status = post(q)
                api.append(time.perf_counter() - start)
                errors += status != 200
        finally:
            connection.close()
        rss = _server.rss_mb(server.pid)
    finally:
        _server.stop(server)
    f, a = percentiles(floor), percentiles(api)
    return {
        "chunks": len(loaded),
        "questions": len(questions),
        "errors": errors,
        "floor_ms": f,
        "assistant_ask_ms": percentiles(in_process),
        "api_ms": a,
        "server_rss_mb": round(rss, 1),
        "target_p50": round(1.2 * f["p50"] + 2, 2),
        "p50_ok": a["p50"] <= 1.2 * f["p50"] + 2,
        "p99_ok": a["p99"] <= 3 * a["p50"],
    }


def report(label: str, r: dict) -> None:
    f, a = r["floor_ms"], r["api_ms"]
    print(f"{label}: {r['chunks']} chunks, {r['questions']} distinct questions, {r['errors']} errors, server RSS {r['server_rss_mb']:.0f} MB")
    print(f"  floor (embed + FAISS, in-process)  p50 {f['p50']:6.1f} ms  p90 {f['p90']:6.1f}  p99 {f['p99']:6.1f}")
    i = r["assistant_ask_ms"]
    print(f"  Assistant.ask (in-process)         p50 {i['p50']:6.1f} ms  p90 {i['p90']:6.1f}  p99 {i['p99']:6.1f}  (hybrid retrieval + answer selection)")
    print(f"  POST /api/ask (HTTP)               p50 {a['p50']:6.1f} ms  p90 {a['p90']:6.1f}  p99 {a['p99']:6.1f}")
    print(f"  p50 target <= {r['target_p50']:.1f} ms: {'met' if r['p50_ok'] else 'NOT met'}; p99 <= 3 x p50 ({3 * a['p50']:.1f} ms): {'met' if r['p99_ok'] else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--synthetic", type=int, default=100_000, help="chunks in the synthetic index (0: skip)")
    parser.add_argument("--skip-bundled", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    _, cran_texts, cran_queries, _ = cranfield()
    results = {"machine": machine()}
    with tempfile.TemporaryDirectory() as scratch:
        if not args.skip_bundled:
            root = Path(scratch) / "bundled"
            _server.ingest(REPO / "corpus", root)
            # the documents' words, not the question sets' (which differ from one version of the corpus folder to the next)
            corpus_texts = [p.read_text(errors="ignore") for p in (REPO / "corpus").rglob("*") if p.is_file() and p.suffix != ".jsonl"]
            seeds = []
            questions_file = REPO / "corpus" / "questions.jsonl"
            if questions_file.is_file():
                seeds = [json.loads(line).get("question", "") for line in questions_file.read_text().splitlines() if line.strip()]
            results["bundled"] = measure(root, questions_from(corpus_texts, args.questions, seed_questions=seeds))
        if args.synthetic:
            root = Path(scratch) / "synthetic"
            results["synthetic_build"] = _synthetic.build(root, args.synthetic)
            results["synthetic"] = measure(root, questions_from(cran_texts, args.questions, seed=1, seed_questions=[t for _, t in cran_queries]))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {results['machine']}")
    for label in ("bundled", "synthetic"):
        if label in results:
            report(label, results[label])
    if "synthetic_build" in results:
        b = results["synthetic_build"]
        print(f"  (synthetic index: generated in {b['generate_s']} s, built in {b['build_s']} s, {b['disk_mb']} MB on disk)")


if __name__ == "__main__":
    main()
