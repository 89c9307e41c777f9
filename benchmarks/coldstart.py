"""Cold start and memory: from launching `docqa serve` to the first answered POST /api/ask, and RSS after warm-up.

    python benchmarks/coldstart.py [--runs 3] [--index DIR] [--corpus DIR]

Builds the index of the bundled corpus first (not timed) unless --index is given. Each run
starts a fresh server process, polls POST /api/ask every 20 ms until it answers 200, then
asks 30 more distinct questions and reads the server's resident memory. Also reports which
heavy libraries the server process has mapped (torch must not be among them).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import REPO, machine  # noqa: E402

HEAVY = ("libtorch", "onnxruntime", "faiss", "tokenizers")


def mapped_libraries(pid: int) -> list[str]:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return [name for name in HEAVY if name in maps]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--index", type=Path)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    import httpx

    with tempfile.TemporaryDirectory() as scratch:
        index = args.index or Path(scratch) / "index"
        if args.index is None:
            _server.ingest(args.corpus, index)
        runs = []
        for run in range(args.runs):
            port = _server.free_port()
            base = f"http://127.0.0.1:{port}"
            started = time.perf_counter()
            server = _server.start(index, port=port)
            try:
                answered = _server.wait_answering(base, server, question=f"What is the main goal? ({run})")
                with httpx.Client(timeout=30) as client:
                    for n in range(30):
                        client.post(f"{base}/api/ask", json={"question": f"Who takes part in step {n}?"}).raise_for_status()
                runs.append({"first_answer_s": round(answered - started, 3), "rss_mb": round(_server.rss_mb(server.pid), 1), "libraries": mapped_libraries(server.pid)})
            finally:
                _server.stop(server)
    result = {
        "machine": machine(),
        "runs": runs,
        "median_first_answer_s": statistics.median(r["first_answer_s"] for r in runs),
        "max_rss_mb": max(r["rss_mb"] for r in runs),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"machine: {result['machine']}")
    for n, r in enumerate(runs, 1):
        print(f"  run {n}: first answer after {r['first_answer_s']:.2f} s, RSS after 30 questions {r['rss_mb']:.0f} MB, mapped: {', '.join(r['libraries'])}")
    print(f"median cold start {result['median_first_answer_s']:.2f} s (target <= 3 s); max RSS {result['max_rss_mb']:.0f} MB (target <= 300 MB)")


if __name__ == "__main__":
    main()
