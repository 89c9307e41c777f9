"""Start a real `docqa serve` for a benchmark, and read its memory (benchmark helper, not part of docqa)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, *, children: bool = True) -> float:
    """Resident memory of `pid` (and its child processes: uvicorn workers), in MB."""
    pids = [pid]
    if children:
        try:
            pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            pass
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def start(index: Path, *, port: int, extra: list[str] = (), env: dict | None = None) -> subprocess.Popen:
    """`docqa serve` on loopback, rate limit off, logs discarded."""
    environment = {**os.environ, "DOCQA_INDEX": str(index), "DOCQA_RATE_LIMIT": "", "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "docqa", "serve", "--port", str(port), *extra],
        cwd=REPO,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_answering(base: str, server: subprocess.Popen, *, question: str = "What is this about?", timeout: float = 600) -> float:
    """Poll POST /api/ask until it answers 200; returns when (time.perf_counter())."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=30) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with {server.returncode}")
            try:
                if client.post(f"{base}/api/ask", json={"question": question}).status_code == 200:
                    return time.perf_counter()
            except httpx.HTTPError:
                pass
            time.sleep(0.02)
    raise RuntimeError("the server did not answer in time")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def ingest(corpus: Path, index: Path, *, env: dict | None = None) -> None:
    """`docqa ingest` as a user runs it (exit 3, "some files skipped", is fine for a benchmark)."""
    environment = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    done = subprocess.run([sys.executable, "-m", "docqa", "ingest", str(corpus), "--index", str(index)], cwd=REPO, env=environment, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
