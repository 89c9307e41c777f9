"""Replicas behind nginx, for tests/test_replicas.py and benchmarks/replicas.py (not a test module).

Three (or N) real `docqa serve` processes on 127.0.0.1 share one index folder and one question log
database; a real nginx, configured by `docqa deploy nginx`, spreads 32 clients' questions over them.
A `Trial` runs the clients for a while, publishes a new index version with `docqa ingest` at one
moment and SIGKILLs (then restarts) one replica at another, and records what every client saw, what
every replica's /healthz said and when CURRENT changed on disk.
"""

from __future__ import annotations

import http.client as http_client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.serve_harness import REPO, Served, free_port, http, start_serve, stop_process, write_nginx_config

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ADMIN_TOKEN = "replica-trial-admin-token"
QUESTIONS = ("when does the museum open on Sundays?", "how much is a ticket?", "where is the library?", "when does the library close?")
FIRST_CORPUS = {
    "museum.txt": "Opening hours\n\nThe museum opens at nine on Sundays. A ticket costs twelve euros.\n",
    "library.txt": "The library\n\nThe library is on Station Road. It closes at six in the evening.\n",
}
SECOND_CORPUS = {**FIRST_CORPUS, "garden.txt": "The garden\n\nThe botanical garden opens in April. Dogs are not allowed.\n"}


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def docqa(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """One `docqa` command (in a fresh process, as an operator runs it)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")}
    environment.update({"HF_HUB_OFFLINE": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "docqa", *args], cwd=REPO, env=environment, capture_output=True, text=True, timeout=timeout)


def current_version(root: Path) -> str:
    return (root / "CURRENT").read_text().strip()


@dataclass
class Nginx:
    process: subprocess.Popen
    port: int
    folder: Path

    def stop(self) -> None:
        stop_process(self.process)


def nginx_command(folder: Path, site: str) -> list[str]:
    """Write `site` inside a minimal nginx.conf of its own in `folder`; the nginx command line that uses it."""
    conf = write_nginx_config(folder, site, worker_connections=1024)
    return [NGINX, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(conf)]


def start_nginx(folder: Path, site: str) -> Nginx:
    """nginx (Debian's binary, in the foreground, its files in `folder`) serving `site`."""
    base = nginx_command(folder, site)
    checked = subprocess.run([*base, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration: {checked.stderr}")
    port = int(site.split("listen 127.0.0.1:", 1)[1].split(";", 1)[0].split()[0])
    process = subprocess.Popen([*base, "-g", "daemon off;"])
    deadline = time.monotonic() + 20
    while True:
        try:
            http(f"http://127.0.0.1:{port}/healthz", timeout=5)
            return Nginx(process, port, folder)
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "error.log").read_text()) from None
            time.sleep(0.1)


@dataclass
class Cluster:
    """N replicas over one index folder (`root`), nginx in front (see `start_cluster`)."""

    folder: Path
    root: Path
    replicas: list[Served]
    nginx: Nginx
    env: dict[str, str]

    def restart(self, n: int) -> Served:
        """Start replica `n` again on its port (returns once it listens; it may still be loading)."""
        old = self.replicas[n]
        self.replicas[n] = start_serve(self.folder / f"replica{n}", self.env, port=old.port, wait_ready=False)
        return self.replicas[n]

    def version_of(self, n: int) -> str | None:
        """What replica `n`'s /healthz says it serves (None: down, not ready or too slow to say)."""
        try:
            status, _, body = http(f"{self.replicas[n].base}/healthz", timeout=2)
        except OSError:
            return None
        return json.loads(body).get("version") if status == 200 else None

    def log_counts(self, n: int) -> dict | None:
        """Replica `n`'s question-log counts from /admin/stats (None: no log, or no answer)."""
        try:
            status, _, body = http(f"{self.replicas[n].base}/admin/stats", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, timeout=2)
        except OSError:
            return None
        return json.loads(body).get("question_log") if status == 200 else None

    def stop(self) -> None:
        self.nginx.stop()
        for replica in self.replicas:
            replica.stop()  # SIGTERM: each writes what its question log still holds


def start_cluster(folder: Path, *, replicas: int = 3, database_url: str | None = None, reload_check_seconds: float = 1.0) -> Cluster:
    """Index FIRST_CORPUS into a shared root, start the replicas and nginx (generated by `docqa deploy nginx`)."""
    root = folder / "shared-index"
    made = docqa("ingest", str(write_corpus(folder / "corpus-1", FIRST_CORPUS)), "--index", str(root))
    if made.returncode != 0:
        raise RuntimeError(made.stderr)
    env = {"DOCQA_INDEX": str(root), "DOCQA_TRUSTED_PROXIES": "127.0.0.1", "DOCQA_RELOAD_CHECK_SECONDS": str(reload_check_seconds),
           "DOCQA_ADMIN_TOKEN": ADMIN_TOKEN}
    if database_url is not None:
        env["DOCQA_DATABASE_URL"] = database_url
    started: list[Served] = []
    try:
        for n in range(replicas):
            started.append(start_serve(folder / f"replica{n}", env))
        upstreams = ",".join(f"127.0.0.1:{r.port}" for r in started)
        # All clients share one address here: a rate limit far above what they send.
        config = docqa("deploy", "nginx", "--upstream", upstreams, "--listen", f"127.0.0.1:{free_port()}", "--rate-limit", "100000r/s", "--burst", "10000")  # fmt: skip
        if config.returncode != 0:
            raise RuntimeError(config.stderr)
        proxy = start_nginx(folder / "nginx", config.stdout)
    except BaseException:
        for replica in started:
            replica.stop()
        raise
    return Cluster(folder, root, started, proxy, env)


@dataclass(frozen=True)
class Reply:
    """One client request as the client saw it."""

    sent: float
    received: float
    status: int  # 0: no HTTP answer (connection refused, reset, timed out)
    version: str | None = None
    answer_id: str | None = None
    error: str | None = None  # status 0: what the client caught ("IncompleteRead: ...")


@dataclass
class Trial:
    """What a run recorded (times are time.monotonic())."""

    replies: list[Reply] = field(default_factory=list)
    published: float | None = None  # CURRENT changed on disk
    old_version: str = ""
    new_version: str = ""
    killed: float | None = None
    victim: int = 0
    restarted_ready: float | None = None
    health: list[tuple[float, int, str | None]] = field(default_factory=list)  # (answered at, replica, version)
    victim_log: dict | None = None  # the victim's question-log counts a moment before the kill

    def agreed(self) -> float | None:
        """When the last replica's /healthz first reported the new version (a replica killed before it did
        is left out: it starts again on the current version)."""
        firsts = []
        for n in sorted({n for _, n, _ in self.health}):
            first = min((t for t, m, v in self.health if m == n and v == self.new_version), default=None)
            if n == self.victim and self.killed is not None and (first is None or first > self.killed):
                continue
            if first is None:
                return None
            firsts.append(first)
        return max(firsts, default=None)

    @property
    def failed(self) -> list[Reply]:
        return [r for r in self.replies if r.status != 200]

    def failures(self) -> list[str]:
        """Each failed request: what the client got, and when it was sent relative to the kill and the publish."""
        def since(moment: float | None, sent: float) -> str:
            return "?" if moment is None else f"{sent - moment:+.3f} s"

        return [f"{r.error or r.status} after {r.received - r.sent:.3f} s, sent {since(self.killed, r.sent)} from the kill, "
                f"{since(self.published, r.sent)} from the publish" for r in self.failed]  # fmt: skip

    def old_answers_after(self, moment: float) -> list[Reply]:
        """Answers from the old version to requests sent after `moment`."""
        return [r for r in self.replies if r.sent > moment and r.status == 200 and r.version == self.old_version]


def ask_loop(port: int, stop: threading.Event, out: list[Reply], lock: threading.Lock, n: int) -> None:
    """One client: POST /api/ask over one keep-alive connection to nginx until `stop`."""
    connection = http_client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    while not stop.is_set():
        body = json.dumps({"question": f"{QUESTIONS[(n + i) % len(QUESTIONS)]}"}).encode()
        i += 1
        sent = time.monotonic()
        try:
            connection.request("POST", "/api/ask", body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            data = response.read()
            reply = Reply(sent, time.monotonic(), response.status)
            if response.status == 200:
                answer = json.loads(data)
                reply = Reply(sent, reply.received, 200, answer.get("index_version"), answer.get("answer_id"))
        except (OSError, http_client.HTTPException) as exc:
            reply = Reply(sent, time.monotonic(), 0, error=f"{type(exc).__name__}: {exc}")
            connection.close()
            connection = http_client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            out.append(reply)
    connection.close()


def watch_health(cluster: Cluster, stop: threading.Event, trial: Trial) -> None:
    """Ask each replica's /healthz in turn, about 10 times a second, until `stop`."""
    while not stop.is_set():
        for n in range(len(cluster.replicas)):
            version = cluster.version_of(n)
            trial.health.append((time.monotonic(), n, version))
        time.sleep(0.1)


def run_trial(cluster: Cluster, *, seconds: float, clients: int = 32, publish_at: float, kill_at: float, restart_after: float = 1.0, victim: int = 1) -> Trial:  # fmt: skip
    """`clients` clients for `seconds` (and until the restarted replica serves again); `docqa ingest` of
    SECOND_CORPUS starts at `publish_at`, replica `victim` gets SIGKILL at `kill_at` and starts again
    `restart_after` later. Meanwhile each replica's /healthz is asked about 10 times a second."""
    trial = Trial(old_version=current_version(cluster.root), victim=victim)
    stop, lock = threading.Event(), threading.Lock()
    threads = [threading.Thread(target=ask_loop, args=(cluster.nginx.port, stop, trial.replies, lock, n), daemon=True) for n in range(clients)]
    threads.append(threading.Thread(target=watch_health, args=(cluster, stop, trial), daemon=True))
    corpus = write_corpus(cluster.folder / "corpus-2", SECOND_CORPUS)
    start = time.monotonic()
    for thread in threads:
        thread.start()
    ingest: subprocess.Popen | None = None
    restarted = False
    try:
        while True:
            now = time.monotonic() - start
            if ingest is None and now >= publish_at:
                environment = {k: v for k, v in os.environ.items() if not k.startswith("DOCQA_")} | {"HF_HUB_OFFLINE": "1"}
                ingest = subprocess.Popen([sys.executable, "-m", "docqa", "ingest", str(corpus), "--index", str(cluster.root)],
                                          cwd=REPO, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            if trial.published is None and ingest is not None and current_version(cluster.root) != trial.old_version:
                # When CURRENT was replaced (its mtime), not when this loop noticed.
                trial.published = time.monotonic() - max(0.0, time.time() - (cluster.root / "CURRENT").stat().st_mtime)
                trial.new_version = current_version(cluster.root)
            if trial.killed is None and now >= kill_at and (trial.published is not None or now >= kill_at + 30):  # one event at a time
                trial.victim_log = cluster.log_counts(victim)
                cluster.replicas[victim].process.send_signal(signal.SIGKILL)
                cluster.replicas[victim].process.wait()
                trial.killed = time.monotonic()
            if trial.killed is not None and not restarted and time.monotonic() >= trial.killed + restart_after:
                cluster.restart(victim)
                restarted = True
            if restarted and trial.restarted_ready is None and cluster.version_of(victim) is not None:
                trial.restarted_ready = time.monotonic()
            if now >= seconds and ((trial.restarted_ready is not None and trial.published is not None) or now >= seconds + 120):
                break
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(90)
        if ingest is not None:
            _, err = ingest.communicate(timeout=300)
            if ingest.returncode != 0:
                raise RuntimeError(f"docqa ingest failed: {err.decode(errors='replace')}")
    return trial


@dataclass(frozen=True)
class Figures:
    """What a trial shows, as the test asserts it and benchmarks/replicas.py prints it."""

    requests: int
    failed: int
    seconds_to_agree: float | None  # CURRENT changed → every replica's /healthz reports the new version
    old_answers_after_5s: int  # answers from the old version to requests sent 5 s after CURRENT changed
    answers_per_second: float
    seconds_kill_to_serving_again: float | None  # SIGKILL → the restarted replica's /healthz is 200 (restart_after included)
    logged: int | None = None  # rows in the question log (None: no log)
    answered_not_logged: int | None = None  # answers a client got whose row is missing (the killed replica's last batch)
    lost_seconds_before_kill: float | None = None  # how long before the kill the oldest of them was answered
    victim_batches: int | None = None  # write batches the killed replica's log had written a moment before the kill
    victim_mean_batch: float | None = None  # rows per batch, on average, until then
    victim_largest_batch: int | None = None  # the most rows one of its batches held
    logged_not_answered: int | None = None  # rows no client got an answer for (a question logged twice)

    def lines(self) -> list[str]:
        return [f"{name}: {value:.2f}" if isinstance(value, float) else f"{name}: {value}" for name, value in vars(self).items()]


def figures(trial: Trial, *, logged_ids: list[str] | None = None) -> Figures:
    answered = [r for r in trial.replies if r.status == 200]
    span = max(r.received for r in trial.replies) - min(r.sent for r in trial.replies) if trial.replies else 1.0
    result = Figures(
        requests=len(trial.replies),
        failed=len(trial.failed),
        seconds_to_agree=None if trial.agreed() is None or trial.published is None else trial.agreed() - trial.published,
        old_answers_after_5s=len(trial.old_answers_after(trial.published + 5.0)) if trial.published is not None else -1,
        answers_per_second=len(answered) / span,
        seconds_kill_to_serving_again=None if trial.killed is None or trial.restarted_ready is None else trial.restarted_ready - trial.killed,
    )
    if logged_ids is None:
        return result
    given = {r.answer_id: r for r in answered}
    logged = set(logged_ids)
    lost = [given[i] for i in given.keys() - logged]
    before = max((trial.killed - r.received for r in lost), default=0.0) if trial.killed is not None else None
    batches = trial.victim_log or {}
    return Figures(**{**vars(result), "logged": len(logged_ids), "answered_not_logged": len(lost),
                      "lost_seconds_before_kill": before, "logged_not_answered": len(logged - given.keys()),
                      "victim_batches": batches.get("batches"), "victim_largest_batch": batches.get("largest_batch"),
                      "victim_mean_batch": batches["written"] / batches["batches"] if batches.get("batches") else None})  # fmt: skip


def logged_answer_ids(database_url: str) -> list[str]:
    """Every answer_id in the question log (duplicates kept, so a test can see them)."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return [row[0] for row in connection.execute("SELECT answer_id FROM questions")]
