"""Loopback load test: N concurrent clients ask and search for D seconds against a real `docqa serve`.

    python benchmarks/load.py [--clients 32] [--seconds 60] [--index DIR] [--json]

Starts `docqa serve` (which indexes the bundled corpus if DIR holds no index),
waits until /healthz is ready, warms up, then runs the clients. Prints requests,
errors (anything but 200, and transport failures), p50/p95/p99 latency and the
server's RSS before and after. Exit status 1 when there were errors or RSS grew
by 10% or more.

`--switch-every S` re-indexes while serving: a second version is ingested, and
every S seconds CURRENT flips between the two, so the server hot-reloads under load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "When does ERA PerMed start?",
    "What is personalised medicine?",
    "Who funds the action plan?",
    "What are the goals of the plan?",
    "How are patients involved?",
    "Which countries take part?",
    "What does the plan say about data?",
    "Is there a budget?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def client_loop(client, base: str, deadline: float, rng: random.Random, latencies: list[float], errors: list[str]) -> None:
    while time.monotonic() < deadline:
        question = rng.choice(QUESTIONS)
        started = time.perf_counter()
        try:
            if rng.random() < 0.7:
                history = [{"role": "user", "content": rng.choice(QUESTIONS)}, {"role": "assistant", "content": "An earlier answer."}]
                r = await client.post(f"{base}/api/ask", json={"question": question, "history": history if rng.random() < 0.3 else []})
            else:
                r = await client.get(f"{base}/api/search", params={"q": question, "k": rng.randint(1, 10)})
            if r.status_code != 200:
                errors.append(f"{r.status_code} {r.text[:100]}")
        except Exception as exc:  # a transport failure is an error of the run, not of this script
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append(time.perf_counter() - started)


async def run_clients(base: str, *, clients: int, seconds: float, seed: int = 0) -> tuple[list[float], list[str]]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
        deadline = time.monotonic() + seconds
        await asyncio.gather(
            *(client_loop(client, base, deadline, random.Random(seed + i), latencies, errors) for i in range(clients))
        )
    return latencies, errors


def server_env(index: Path, token: str) -> dict:
    return {**os.environ, "DOCQA_INDEX": str(index), "DOCQA_RATE_LIMIT": "", "DOCQA_ADMIN_TOKEN": token, "HF_HUB_OFFLINE": "1"}


async def flip_current(index: Path, names: list[str], every: float, seconds: float) -> int:
    """Switch CURRENT between `names` every `every` seconds (what an operator's re-index does)."""
    sys.path.insert(0, str(REPO))
    from docqa.index.storage import versions

    flips = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() + every < deadline:
        await asyncio.sleep(every)
        flips += 1
        versions.set_current(index, names[flips % len(names)])
    return flips


def start_server(index: Path, port: int, token: str, log: Path) -> subprocess.Popen:
    env = server_env(index, token)
    with open(log, "wb") as handle:  # the JSON access log (1 line per request) and any warnings
        return subprocess.Popen(
            [sys.executable, "-m", "docqa", "serve", "--port", str(port)], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=handle
        )


def server_warnings(log: Path) -> list[str]:
    """Log lines that are not access-log entries of successful requests."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # uvicorn's own warnings and tracebacks are plain text
            if any(word in line for word in ("WARNING", "ERROR", "Traceback", "Error")):
                found.append(line[:200])
            continue
        if entry.get("status", 200) >= 400 or entry.get("level") in ("warning", "error"):
            found.append(line[:200])
    return found


def wait_ready(base: str, server: subprocess.Popen, timeout: float = 300) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not become ready")


def load_test(
    *, clients: int = 32, seconds: float = 60.0, index: Path | None = None, warmup: float = 5.0, switch_every: float | None = None
) -> dict:
    """Run the whole test; returns the figures."""
    import httpx

    token = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as scratch:
        index = index or Path(scratch) / "index"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = Path(scratch) / "server.log"
        server = start_server(index, port, token, log)
        flips = 0
        try:
            wait_ready(base, server)
            names: list[str] = []
            if switch_every:
                first = httpx.get(f"{base}/healthz").json()["version"]
                subprocess.run([sys.executable, "-m", "docqa", "ingest"], cwd=REPO, env=server_env(index, token), capture_output=True)
                names = [first, (index / "CURRENT").read_text().strip()]
                assert names[0] != names[1], "the second ingest wrote no new version"
            asyncio.run(run_clients(base, clients=clients, seconds=warmup, seed=10_000))
            rss_before = rss_bytes(server.pid)
            started = time.perf_counter()

            async def measured():
                clients_run = run_clients(base, clients=clients, seconds=seconds)
                if not switch_every:
                    return await clients_run, 0
                return await asyncio.gather(clients_run, flip_current(index, names, switch_every, seconds))

            (latencies, errors), flips = asyncio.run(measured())
            elapsed = time.perf_counter() - started
            rss_after = rss_bytes(server.pid)
            stats = httpx.get(f"{base}/admin/stats", headers={"Authorization": f"Bearer {token}"}).json()
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
        warnings = server_warnings(log)
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "rss_before_mb": round(rss_before / 2**20, 1),
        "rss_after_mb": round(rss_after / 2**20, 1),
        "rss_growth_pct": round((rss_after - rss_before) / rss_before * 100, 2),
        "current_flips": flips,
        "server_reloads": stats.get("reloads"),
        "server_statuses": stats.get("requests_by_status"),
        "server_warnings": warnings[:5],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--index", type=Path, default=None, help="Index root to serve [default: a fresh one of the bundled corpus]")
    parser.add_argument("--switch-every", type=float, default=None, help="Flip CURRENT between two versions every S seconds")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures = load_test(clients=args.clients, seconds=args.seconds, index=args.index, switch_every=args.switch_every)
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")
    return 0 if figures["errors"] == 0 and figures["rss_growth_pct"] < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
