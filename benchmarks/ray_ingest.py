"""Ingest on a Ray cluster against the local ingest, side by side in one run, on one machine.

    python benchmarks/ray_ingest.py [--docs 1400] [--rounds 3] [--address HOST:PORT]

The corpus is the first --docs Cranfield abstracts (default: all 1,398 that have text) as .txt files.
Without --address, a local Ray cluster is started for the run (`ray start --head`, every core of this
machine) and stopped after it.
Every ingest runs `docqa ingest` as a fresh process (the model loads in each: a user's real cost). The
cluster's first Ray Data job also starts Ray Data's helper actors, which stay: it runs first and is
reported apart. Then --rounds rounds each run a local ingest and a --ray one back to back (joining the
cluster, starting the workers and loading the model there are part of it), so that a noisy machine
slows both sides of a round alike; the figure compared is the median of the rounds' ratios. Each round
also times a Ray Data job that does nothing (`engine_floor`): the engine's fixed cost per ingest. Target:
Ray ≤ 1.2× local. It also checks that both versions hold the same documents and chunks and vectors
within cosine 0.999 (`compare`, used by tests/test_ingest_ray.py too).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

BIN = Path(sys.executable).parent


def write_corpus(folder: Path, docs: int) -> None:
    """The first `docs` Cranfield abstracts as .txt files (title, blank line, text)."""
    from _common import CRANFIELD

    folder.mkdir(parents=True, exist_ok=True)
    for line in (CRANFIELD / "corpus.jsonl").read_text().splitlines()[:docs]:
        doc = json.loads(line)
        if not doc["text"].strip():  # two abstracts are empty: an ingest lists them as skipped and exits 1
            continue
        (folder / f"{doc['_id']}.txt").write_text(f"{doc['title']}\n\n{doc['text']}", encoding="utf-8")


def compare(local_root: Path, ray_root: Path) -> dict[str, float]:
    """Raise AssertionError unless the current versions of both roots hold the same documents, chunks and
    sentences; return the smallest cosine between their chunk vectors and between their sentence vectors."""
    from docqa.index.storage import store, versions

    a, b = (store.load(versions.current_version(root)) for root in (local_root, ray_root))
    assert a.documents == b.documents, "documents differ"
    assert len(a) == len(b), f"{len(a)} chunks locally, {len(b)} on Ray"
    for i in range(len(a)):
        assert a.chunk(i) == b.chunk(i), f"chunk {i} differs"
    assert (a.manifest.model, a.manifest.dim, a.manifest.counts) == (b.manifest.model, b.manifest.dim, b.manifest.counts)
    va, vb = (index.vectors.reconstruct(np.arange(len(index))) for index in (a, b))
    sa, sb = (np.asarray(index.sentence_vectors, dtype=np.float32) for index in (a, b))
    return {"chunks": float(np.min(np.sum(va * vb, axis=1))), "sentences": float(np.min(_cosines(sa, sb)))}


def _cosines(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.sum(x * y, axis=1) / (np.linalg.norm(x, axis=1) * np.linalg.norm(y, axis=1))


def timed_ingest(folder: Path, index: Path, *extra: str) -> float:
    """Seconds for one `docqa ingest` process (nothing else running in the meantime)."""
    started = time.perf_counter()
    done = subprocess.run([str(BIN / "docqa"), "ingest", str(folder), "--index", str(index), *extra], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"docqa ingest {' '.join(extra)} failed: {done.stderr}")
    print("   " + "\n   ".join(line for line in done.stderr.splitlines() if "(" in line and " s)" in line))
    return seconds


FLOOR_JOB = """
import sys, ray
ray.init(address=sys.argv[1], log_to_driver=False, logging_level="ERROR")
ray.data.DataContext.get_current().enable_progress_bars = False
class Same:
    def __call__(self, batch):
        return batch
rows = ray.data.from_items([{"x": n} for n in range(10)]).map_batches(Same, batch_size=5, compute=ray.data.ActorPoolStrategy(size=1))
assert sum(len(b["x"]) for b in rows.iter_batches(batch_size=None)) == 10
"""


def engine_floor(address: str) -> float:
    """Seconds for a fresh process to join the cluster and run a Ray Data job of 10 rows on one actor that
    does nothing: what any job pays before its first batch (a new worker process for the job, and so on)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR_JOB, address], check=True, capture_output=True)
    return time.perf_counter() - started


class LocalCluster:
    """A Ray cluster on 127.0.0.1 for a run (also tests/test_ingest_ray.py's): a head and `workers` more nodes,
    each `ray start --block` in its own process group, which `stop` ends (no `ray stop`: other Ray stays up)."""

    def __init__(self, *, workers: int = 0, cpus: int | None = None) -> None:
        self.temp = tempfile.mkdtemp(prefix="r", dir="/tmp")  # short: Ray's socket paths must stay under 108 bytes
        self.address = f"127.0.0.1:{free_port()}"
        self.nodes: list[subprocess.Popen] = []
        common = ["--block", "--node-ip-address", "127.0.0.1", "--object-store-memory", str(200 * 2**20)]
        common += ["--num-cpus", str(cpus)] if cpus else []
        head = ["--head", "--port", self.address.rsplit(":", 1)[1], "--temp-dir", self.temp, "--include-dashboard", "false"]
        try:
            self._start(head + common)
            self._wait(1)
            for n in range(workers):
                self._start(["--address", self.address] + common)
                self._wait(2 + n)
        except BaseException:
            self.stop()
            raise

    def _start(self, args: list[str]) -> None:
        env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0"}
        self.nodes.append(
            subprocess.Popen([str(BIN / "ray"), "start", *args], env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )

    def _wait(self, nodes: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = subprocess.run([str(BIN / "ray"), "status", "--address", self.address], capture_output=True, text=True)
            if status.stdout.count(" node_") >= nodes:
                return
            time.sleep(1)
        raise RuntimeError(f"the Ray cluster did not reach {nodes} nodes: {status.stdout}{status.stderr}")

    def stop(self) -> None:
        for node in reversed(self.nodes):
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
                try:
                    os.killpg(node.pid, sig)
                    node.wait(timeout=wait)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
        shutil.rmtree(self.temp, ignore_errors=True)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1400, help="the first N Cranfield abstracts (default: all of them)")
    parser.add_argument("--rounds", type=int, default=3, help="local/--ray pairs to time (default 3)")
    parser.add_argument("--address", help="an existing cluster (default: start one on this machine for the run)")
    args = parser.parse_args()
    from _common import machine

    print(machine())
    work, cluster = Path(tempfile.mkdtemp()), None
    try:
        corpus = work / "corpus"
        write_corpus(corpus, args.docs)
        cluster = None if args.address else LocalCluster()
        address = args.address or cluster.address
        print(f"{args.docs} Cranfield documents; backend {os.environ.get('DOCQA_BACKEND', 'auto')}; Ray cluster {address}")
        print("ingest --ray, the cluster's first Ray Data job (its helper actors start with it):")
        first = timed_ingest(corpus, work / "ray-index", "--ray", address)
        ratios, floors = [], []
        for round_ in range(1, args.rounds + 1):
            print(f"round {round_}: local ingest, then --ray:")
            for root in ("local", "ray-index"):  # fresh roots: a local ingest would reuse the last one's vector cache
                shutil.rmtree(work / root, ignore_errors=True)
            local = timed_ingest(corpus, work / "local")
            on_ray = timed_ingest(corpus, work / "ray-index", "--ray", address)
            ratios.append(on_ray / local)
            floors.append(engine_floor(address))
            print(f"round {round_}: local {local:.1f} s, --ray {on_ray:.1f} s: ratio {ratios[-1]:.2f}; a job that does nothing {floors[-1]:.1f} s")
        cosines = compare(work / "local", work / "ray-index")
        print(f"first job {first:.1f} s; median ratio over {args.rounds} rounds {statistics.median(ratios):.2f} (target <= 1.2): " + ", ".join(f"{r:.2f}" for r in ratios))
        print(f"Ray Data's floor (a fresh process running a 10-row job on one actor that does nothing): median {statistics.median(floors):.1f} s")
        print(f"same documents and chunks; smallest cosine local vs Ray: chunks {cosines['chunks']:.5f}, sentences {cosines['sentences']:.5f}")
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
