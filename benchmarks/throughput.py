"""Throughput under concurrency: POST /api/ask requests per second at 1, 4 and 16 loopback clients.

    python benchmarks/throughput.py [--clients 1,4,16] [--seconds 30] [--workers 1] [--index DIR] [--json]

Starts `docqa serve --workers W` for each W in --workers (comma-separated, e.g. 1,2 to
compare), on the bundled corpus unless --index is given. Every request carries a
different question (no cache can help). Target: rate at 16 clients >= 1.8 x the rate at 1,
with 0 errors.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import REPO, machine, percentiles  # noqa: E402
from latency import questions_from  # noqa: E402


async def _clients(base: str, clients: int, seconds: float, questions) -> tuple[list[float], int, float]:
    import httpx

    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        deadline = time.monotonic() + seconds

        async def loop() -> None:
            nonlocal errors
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.post(f"{base}/api/ask", json={"question": next(questions)})
                    errors += response.status_code != 200
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(loop() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, errors, elapsed


def run(index: Path, *, workers: int, levels: list[int], seconds: float, questions) -> dict:
    port = _server.free_port()
    base = f"http://127.0.0.1:{port}"
    server = _server.start(index, port=port, extra=["--workers", str(workers)] if workers > 1 else [])
    try:
        _server.wait_answering(base, server)
        asyncio.run(_clients(base, max(levels), 3.0, questions))  # warm every worker
        rows = []
        for clients in levels:
            latencies, errors, elapsed = asyncio.run(_clients(base, clients, seconds, questions))
            rows.append({"clients": clients, "requests": len(latencies), "errors": errors, "rps": round(len(latencies) / elapsed, 1), "latency_ms": percentiles(latencies)})
        rss = _server.rss_mb(server.pid)
    finally:
        _server.stop(server)
    base_rate = rows[0]["rps"] or 1.0
    for row in rows:
        row["vs_1"] = round(row["rps"] / base_rate, 2)
    return {"workers": workers, "rows": rows, "rss_mb": round(rss, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", default="1")
    parser.add_argument("--index", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    levels = [int(x) for x in args.clients.split(",")]
    corpus_texts = [p.read_text(errors="ignore") for p in (REPO / "corpus").rglob("*") if p.is_file()]
    questions = itertools.cycle(questions_from(corpus_texts, 20_000, seed=7))
    results = {"machine": machine(), "runs": []}
    with tempfile.TemporaryDirectory() as scratch:
        index = args.index
        if index is None:
            index = Path(scratch) / "index"
            _server.ingest(REPO / "corpus", index)
        for workers in (int(w) for w in args.workers.split(",")):
            results["runs"].append(run(index, workers=workers, levels=levels, seconds=args.seconds, questions=questions))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"machine: {results['machine']}")
    for r in results["runs"]:
        print(f"workers {r['workers']} (RSS of all processes {r['rss_mb']:.0f} MB):")
        for row in r["rows"]:
            lat = row["latency_ms"]
            print(f"  {row['clients']:3d} clients: {row['rps']:7.1f} req/s ({row['vs_1']:.2f}x of 1 client), {row['errors']} errors, p50 {lat['p50']:.1f} ms, p99 {lat['p99']:.1f} ms")
    if len(results["runs"]) > 1:
        best = [max(row["rps"] for row in r["rows"]) for r in results["runs"]]
        print("peak req/s by workers: " + ", ".join(f"{r['workers']}: {b:.1f}" for r, b in zip(results["runs"], best)) + f" ({best[-1] / best[0]:.2f}x)")


if __name__ == "__main__":
    main()
