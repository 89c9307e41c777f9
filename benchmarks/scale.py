"""Scale: a synthetic index of N chunks (default 1,000,000): build time, disk, server RSS, search latency, recall.

    python benchmarks/scale.py [--chunks 1000000] [--questions 300] [--keep DIR [--reuse]] [--json]

The index is written by docqa's own store (index type chosen by size, BM25 included)
from synthetic texts and clustered 384-d vectors (benchmarks/_synthetic.py). Then:
vector search p50 in-process on the memory-mapped index (queries: stored vectors plus
noise), recall@10 of that index against exact search on the same vectors, and a real
`docqa serve` answering distinct questions over HTTP (end-to-end p50) with its RSS.
Targets at 1M: vector p50 <= 10 ms, end-to-end p50 <= 30 ms, RSS <= 3 GB, recall@10 >= 0.95.
--reuse serves an index kept by an earlier --keep run again (no build, no recall figure).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
import _synthetic  # noqa: E402
from _common import cranfield, machine, percentiles  # noqa: E402
from latency import questions_from  # noqa: E402


def exact_top10(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    import faiss

    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    return flat.search(queries, 10)[1]


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--keep", type=Path, help="write the index here and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: serve the index already there")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from docqa.index.storage import store, versions

    scratch = Path(tempfile.mkdtemp(prefix="docqa-scale-"))
    root = args.keep or scratch / "index"
    result: dict = {"machine": machine(), "chunks": args.chunks}
    try:
        if args.reuse and args.keep:
            loaded = store.load(versions.current_version(root))
            result.update(chunks=len(loaded), index_type=loaded.manifest.index_type, reused=str(root))
            _progress(f"reusing {len(loaded)} chunks in {root}")
        else:
            build_and_check(args, root, result)
        serve_and_ask(args, root, result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    report(args, result)


def build_and_check(args: argparse.Namespace, root: Path, result: dict) -> None:
    """Generate and write the index; recall and vector latency of its FAISS part against exact search."""
    from docqa.index.storage import store, versions

    started = time.perf_counter()
    data = _synthetic.contents(args.chunks)
    result["generate_s"] = round(time.perf_counter() - started, 1)
    _progress(f"generated {args.chunks} chunks in {result['generate_s']} s")
    manifest = store.Manifest(
        model="all-MiniLM-L6-v2",
        dim=384,
        chunking={"max_tokens": 200, "overlap_sentences": 1},
        documents=[{"doc_id": d.doc_id, "hash": d.hash} for d in data.documents],
        counts={"documents": len(data.documents), "chunks": args.chunks, "sentences": len(data.sentence_spans)},
    )
    started = time.perf_counter()
    folder = versions.commit_version(root, lambda tmp: store.save(tmp, data, manifest), keep=1)
    result["build_s"] = round(time.perf_counter() - started, 1)
    result["disk_mb"] = round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 1)
    files = {p.name: round(p.stat().st_size / 2**20, 1) for p in folder.iterdir() if p.is_file()}
    result["largest_files_mb"] = dict(sorted(files.items(), key=lambda kv: -kv[1])[:4])
    _progress(f"written in {result['build_s']} s, {result['disk_mb']} MB")

    loaded = store.load(folder)
    result["index_type"] = loaded.manifest.index_type
    rng = np.random.default_rng(5)
    picks = data.chunk_vectors[rng.choice(args.chunks, 300, replace=False)]
    queries = picks + 0.06 * rng.standard_normal(picks.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    truth = exact_top10(data.chunk_vectors, queries)
    found = loaded.faiss.search(queries, 10)[1]
    result["recall_at_10"] = round(float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found)])), 4)
    timings = []
    for q in queries:
        start = time.perf_counter()
        loaded.faiss.search(q.reshape(1, -1), 10)
        timings.append(time.perf_counter() - start)
    result["vector_search_ms"] = percentiles(timings)
    _progress(f"{result['index_type']}: recall@10 {result['recall_at_10']}, vector search {result['vector_search_ms']}")


def serve_and_ask(args: argparse.Namespace, root: Path, result: dict) -> None:
    """A real `docqa serve` over the index: time to the first answer, end-to-end latency, RSS."""
    import httpx

    from docqa.index.embedding.embedder import get_embedder

    _, cran_texts, cran_queries, _ = cranfield()
    questions = questions_from(cran_texts, args.questions, seed=3, seed_questions=[t for _, t in cran_queries])
    get_embedder().embed(["warm up"])
    port = _server.free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = _server.start(root, port=port)
    try:
        result["server_first_answer_s"] = round(_server.wait_answering(base, server) - started, 1)
        _progress(f"server answering after {result['server_first_answer_s']} s, RSS {_server.rss_mb(server.pid):.0f} MB")
        api, errors = [], 0
        with httpx.Client(timeout=120) as client:
            for q in questions:
                start = time.perf_counter()
                errors += client.post(f"{base}/api/ask", json={"question": q}).status_code != 200
                api.append(time.perf_counter() - start)
                if len(api) % 50 == 0:
                    _progress(f"{len(api)} questions: api {percentiles(api)}, RSS {_server.rss_mb(server.pid):.0f} MB")
        result["api_ms"] = percentiles(api)
        result["api_errors"] = errors
        result["questions"] = len(questions)
        result["server_rss_mb"] = round(_server.rss_mb(server.pid), 1)
    finally:
        _server.stop(server)


def report(args: argparse.Namespace, result: dict) -> None:
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    print(f"{result['chunks']} synthetic chunks, index type {result['index_type']}")
    if "reused" in result:
        print(f"  index reused from {result['reused']} (no build or recall figures)")
    else:
        print(f"  generated in {result['generate_s']} s; written (FAISS + BM25 + stores) in {result['build_s']} s; {result['disk_mb']} MB on disk {result['largest_files_mb']}")
        v = result["vector_search_ms"]
        print(f"  vector search (in-process, mmapped): p50 {v['p50']:.2f} ms, p99 {v['p99']:.2f} ms; recall@10 vs exact {result['recall_at_10']:.3f}")
    a = result["api_ms"]
    print(f"  POST /api/ask end to end: p50 {a['p50']:.1f} ms, p99 {a['p99']:.1f} ms, {result['api_errors']} errors over {result['questions']} questions")
    print(f"  server: first answer {result['server_first_answer_s']} s after launch; RSS {result['server_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
