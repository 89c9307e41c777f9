"""A real `docqa serve` for the connection and proxy tests: started on a free loopback port over a tiny
corpus it indexes itself, its log in a file (an unread pipe would block it), stopped at the end."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def set_open_files(soft: int, hard: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def http(url: str, *, method: str = "GET", headers: dict | None = None, body: bytes | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request, errors included."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")]

    def stop(self) -> None:
        stop_process(self.process)


def start_serve(
    folder: Path,
    env: dict[str, str] | None = None,
    *,
    wait_ready: bool = True,
    timeout: float = 120,
    open_files: tuple[int, int] | None = None,
    port: int | None = None,
) -> Served:
    """`docqa serve` over a one-document corpus in `folder`, with `env` on top of the defaults
    (and its open-file limit set to `open_files` (soft, hard) before it starts), on `port` (default: a free one).
    With `wait_ready=False`, returns once /healthz answers at all (503 while loading)."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "museum.txt").write_text("Opening hours\n\nThe museum opens at nine on Sundays.\n")
    port = port or free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    environment.update({"DOCQA_INDEX": str(folder / "index"), "DOCQA_CORPUS": str(corpus), "HF_HUB_OFFLINE": "1", **(env or {})})
    log = folder / f"serve-{port}.log"
    with open(log, "ab") as out:  # a restart on the same port appends
        process = subprocess.Popen(
            [sys.executable, "-m", "docqa", "serve", "--port", str(port)],
            cwd=REPO,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=out,
            preexec_fn=None if open_files is None else lambda: set_open_files(*open_files),
        )
    served = Served(process, port, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"docqa serve exited with {process.returncode}: {log.read_text()[-2000:]}")
        try:
            status = http(f"{served.base}/healthz", timeout=5)[0]
            if status == 200 or (status == 503 and not wait_ready):
                return served
        except OSError:
            pass
        if time.monotonic() > deadline:
            served.stop()
            raise RuntimeError("docqa serve did not get ready in time")
        time.sleep(0.2)


def write_nginx_config(folder: Path, site: str, *, worker_connections: int) -> Path:
    """`site` (a server block) as folder/docqa.conf inside a minimal nginx.conf whose files all stay in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    (folder / "docqa.conf").write_text(site)
    main = f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections {worker_connections}; }}
http {{
    # When the replica's answer head and its end arrived, to see an answer cut between the two.
    log_format upstreams '$msec $remote_port $connection:$connection_requests "$request" $status $body_bytes_sent $request_time '
                         'upstream=$upstream_addr status=$upstream_status header=$upstream_header_time end=$upstream_response_time';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/docqa.conf;
}}
"""
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf"


def stop_process(process: subprocess.Popen, *, grace: float = 20) -> None:
    """SIGTERM, then SIGKILL if it has not exited within `grace` seconds."""
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
