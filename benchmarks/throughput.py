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


async def _clients(port: int, clients: int, seconds: float, questions) -> tuple[list[float], int, float]:
    """`clients` keep-alive connections, each posting one question after the other until the deadline.

    A minimal HTTP/1.1 client on asyncio streams (as wrk or hey would be): the load generator
    shares the 2 cores with the server, and httpx spends ~1 ms of CPU per request.
    """
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def loop() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                body = json.dumps({"question": next(questions)}).encode()
                head = f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
                started = time.perf_counter()
                try:
                    writer.write(head.encode() + body)
                    status, length = _parse_head(await reader.readuntil(b"\r\n\r\n"))
                    await reader.readexactly(length)
                    errors += status != 200
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
                    errors += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append(time.perf_counter() - started)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(clients)))
    return latencies, errors, time.perf_counter() - started


def _parse_head(head: bytes) -> tuple[int, int]:
    """(status, Content-Length) of a response head."""
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")), None)
    if length is None:
        raise ValueError("a response without Content-Length")
    return int(lines[0].split()[1]), length


def run(index: Path, *, workers: int, levels: list[int], seconds: float, questions) -> dict:
    port = _server.free_port()
    base = f"http://127.0.0.1:{port}"
    server = _server.start(index, port=port, extra=["--workers", str(workers)] if workers > 1 else [])
    try:
        _server.wait_answering(base, server)
        asyncio.run(_clients(port, max(levels), 3.0, questions))  # warm every worker
        rows = []
        for clients in levels:
            latencies, errors, elapsed = asyncio.run(_clients(port, clients, seconds, questions))
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
