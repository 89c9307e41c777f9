"""Damage the served index version in place while clients ask questions; then publish a good version.

    python benchmarks/damage_trial.py [--trials 100] [--clients 8] [--dwell 0.5] [--seed 0] [--json]

Builds an index of the bundled corpus with `docqa ingest`, keeps a pristine copy of the version,
starts a real `docqa serve` and runs `--clients` threads asking questions over keep-alive
connections throughout. Each trial truncates (to a random length, 0 included) or overwrites (random
bytes at a random place, same size) one random file of the served version in place, lets the
clients ask for `--dwell` seconds, then publishes the pristine copy as a new version
(`versions.commit_version`, as an ingest does) and waits until the server answers from it.

Counted: process deaths, responses by kind (200; 503 saying "the index is damaged"; anything
else: a 500, another 503, a transport error, a body showing a path or library internals),
seconds from publication to serving the new version, and the server's log lines about damage.
Target (issue 16): 0 deaths, 0 responses of another kind, answers again after each publication
without a restart. Exit status 1 when it is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server  # noqa: E402
from _common import REPO, machine, percentiles  # noqa: E402

QUESTIONS = (
    "when does ERA PerMed start?",
    "How many research activities does the Action Plan list?",
    "Who is the observer in ICPerMed?",
    "How many members does ICPerMed have?",
)
DAMAGED = "index is damaged"
_INTERNALS = re.compile(r"faiss::|traceback|error in |\.py\b|\.cpp\b|errno", re.IGNORECASE)


def classify(status: int | None, body: str, *, secret_paths: tuple[str, ...]) -> str:
    """"ok" (200), "damaged" (503 saying so), else "bad: ..." (what the target forbids)."""
    if status is None:
        return "bad: no response"
    if any(p in body for p in secret_paths) or "/tmp/" in body:
        return "bad: path shown"
    if status == 503 and _INTERNALS.search(body):
        return "bad: internals shown"
    if status == 200:
        return "ok"
    if status == 503 and DAMAGED in body:
        return "damaged"
    return f"bad: {status}"


def damage(folder: Path, rng: random.Random, spec: str | None = None) -> str:
    """Truncate or overwrite one file of `folder` in place (same inode): a random one, or `spec`
    ("truncate NAME": to half its size; "overwrite NAME": 64 random bytes mid-file). Returns what was done."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    how, target = spec.split(" ", 1) if spec else (None, None)
    target = folder / target if target else rng.choice(files)
    size = target.stat().st_size
    name = target.relative_to(folder).as_posix()
    if how == "truncate" or (how is None and (rng.random() < 0.5 or size == 0)):
        keep = size // 2 if how else rng.randrange(0, max(1, size))
        os.truncate(target, keep)
        return f"truncate {name} {size}->{keep}"
    start = size // 2 if how else rng.randrange(0, size)
    length = min(size - start, 64 if how else rng.choice((1, 64, 4096, size)))
    with open(target, "r+b") as handle:
        handle.seek(start)
        handle.write(os.urandom(length))
    return f"overwrite {name} {length} bytes at {start}"


class Clients:
    """`n` threads asking questions until stopped; every response classified."""

    def __init__(self, base: str, n: int, *, secret_paths: tuple[str, ...]) -> None:
        self.base, self.secret_paths = base, secret_paths
        self.kinds: Counter[str] = Counter()
        self.samples: dict[str, str] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(n)]

    def __enter__(self) -> "Clients":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(60)

    def _run(self, seed: int) -> None:
        import httpx

        rng = random.Random(seed)
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                try:
                    response = client.post(f"{self.base}/api/ask", json={"question": rng.choice(QUESTIONS)})
                    status, body = response.status_code, response.text
                except httpx.HTTPError as exc:
                    status, body = None, repr(exc)
                kind = classify(status, body, secret_paths=self.secret_paths)
                with self._lock:
                    self.kinds[kind] += 1
                    if kind != "ok":
                        self.samples.setdefault(kind, body[:300])


def served_version(base: str) -> str | None:
    import httpx

    try:
        return httpx.get(f"{base}/healthz", timeout=10).json().get("version")
    except (httpx.HTTPError, ValueError):
        return None


def run(
    *, trials: int, clients: int = 8, dwell: float = 0.5, seed: int = 0, check_seconds: float = 1.0, work: Path | None = None,
    damages: list[str] | None = None,
) -> dict:
    """Run the trials against a fresh index and server under `work` (a temporary folder by default);
    `damages` gives each trial's damage (see `damage`) instead of random ones."""
    from docqa.index.storage import versions

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="docqa-damage-") as tmp:
        work = Path(work or tmp)
        root = work / "index"
        _server.ingest(REPO / "corpus", root)
        pristine = work / "pristine"
        shutil.copytree(versions.current_version(root), pristine)
        port = _server.free_port()
        base = f"http://127.0.0.1:{port}"
        log_path = work / "server.log"
        env = {**os.environ, "DOCQA_INDEX": str(root), "DOCQA_RATE_LIMIT": "", "HF_HUB_OFFLINE": "1", "DOCQA_RELOAD_CHECK_SECONDS": str(check_seconds)}
        with open(log_path, "wb") as log_file:
            server = subprocess.Popen([sys.executable, "-m", "docqa", "serve", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        recoveries, actions, unrecovered, per_trial = [], Counter(), 0, []
        try:
            _server.wait_answering(base, server, question=QUESTIONS[0])
            with Clients(base, clients, secret_paths=(str(work), str(REPO))) as asking:
                for number in range(trials):
                    served = versions.current_version(root)
                    before = Counter(asking.kinds)
                    done = damage(served, rng, damages[number] if damages else None)
                    actions[done.split(" ", 1)[0]] += 1
                    per_trial.append({"damage": done})
                    time.sleep(dwell)
                    if server.poll() is not None:
                        break
                    published = versions.commit_version(root, lambda folder: shutil.copytree(pristine, folder, dirs_exist_ok=True), keep=3).name
                    started = time.perf_counter()
                    while served_version(base) != published and time.perf_counter() - started < 30:
                        time.sleep(0.02)
                    if served_version(base) == published:
                        recoveries.append(time.perf_counter() - started)
                    else:
                        unrecovered += 1
                    per_trial[-1]["responses"] = dict(Counter(asking.kinds) - before)
        finally:
            alive = server.poll() is None
            _server.stop(server)
        log_text = log_path.read_text(errors="replace")
    bad = {k: v for k, v in asking.kinds.items() if k.startswith("bad")}
    return {
        "machine": machine(),
        "trials": trials,
        "clients": clients,
        "damage": dict(actions),
        "deaths": 0 if alive else 1,  # nothing restarts it: one death ends the run
        "exit_code": None if alive else server.returncode,
        "responses": dict(asking.kinds),
        "bad": sum(bad.values()),
        "bad_samples": {k: v for k, v in asking.samples.items() if k.startswith("bad")},
        "damaged_sample": asking.samples.get("damaged"),
        "recovered": len(recoveries),
        "unrecovered": unrecovered,
        "recovery_ms": percentiles(recoveries) if recoveries else None,
        "per_trial": per_trial,
        "damage_log_lines": sum(1 for line in log_text.splitlines() if "is damaged" in line or "changed on disk" in line),
    }


def met(result: dict) -> bool:
    """The issue-16 target: no death, nothing but 200 or 503 "damaged", served again after every publication."""
    return result["deaths"] == 0 and result["bad"] == 0 and result["recovered"] == result["trials"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--dwell", type=float, default=0.5, help="seconds of questions between damage and publication")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-seconds", type=float, default=1.0, help="DOCQA_RELOAD_CHECK_SECONDS of the server")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(trials=args.trials, clients=args.clients, dwell=args.dwell, seed=args.seed, check_seconds=args.check_seconds)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"machine: {result['machine']}")
        print(f"trials: {result['trials']} ({', '.join(f'{v} {k}' for k, v in result['damage'].items())}), {result['clients']} clients")
        print(f"process deaths: {result['deaths']}")
        print(f"responses: {', '.join(f'{v:,} {k}' for k, v in sorted(result['responses'].items()))}")
        print(f"responses of another kind (500, other 503, path or internals shown, no response): {result['bad']}")
        for kind, sample in result["bad_samples"].items():
            print(f"  {kind}: {sample}")
        print(f"a damaged answer reads: {result['damaged_sample']}")
        recovery = result["recovery_ms"]
        print(
            f"served the newly published version again: {result['recovered']} of {result['trials']}"
            + (f" (after p50 {recovery['p50']:.0f} ms, p99 {recovery['p99']:.0f} ms)" if recovery else "")
        )
        print(f"server log lines about damage: {result['damage_log_lines']}")
        print("target met" if met(result) else "TARGET MISSED")
    return 0 if met(result) else 1


if __name__ == "__main__":
    sys.exit(main())
