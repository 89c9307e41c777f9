"""A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries, a cluster in a temporary folder,
listening on 127.0.0.1 at a free port (and a socket in that folder), stopped and deleted at the end.

Not a test module: tests/conftest.py's `postgres_server` fixture uses it. As root (CI), the server runs
as the `postgres` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

MISSING = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql (.ci/run does)"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian keeps them out of PATH), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    """A running throwaway cluster: its URL, and `stop()` / `start()` to take it down and back up on the same port."""

    url: str
    stop: Callable[..., None]
    start: Callable[[], None]


@contextlib.contextmanager
def throwaway_cluster(binaries: Path) -> Iterator[str]:
    """Start a cluster; yields the URL of its `postgres` database for user `docqa` (trust auth, local only)."""
    with restartable_cluster(binaries) as cluster:
        yield cluster.url


@contextlib.contextmanager
def restartable_cluster(binaries: Path) -> Iterator[Cluster]:
    """As `throwaway_cluster`, yielding a `Cluster` that tests may stop and start again (a database outage)."""
    base = Path(tempfile.mkdtemp(prefix="docqa-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = base / "data", _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            log = (base / "server.log").read_text(errors="replace")[-2000:] if (base / "server.log").exists() else ""
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}{log}")

    def start() -> None:
        options = f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200"
        run(str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "server.log"), "-w", "-t", "60", "start")

    def stop(mode: str = "fast") -> None:  # "immediate" loses the last commits (synchronous_commit=off)
        subprocess.run([*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"], capture_output=True, timeout=60)

    run(str(binaries / "initdb"), "-D", str(data), "-U", "docqa", "--auth=trust", "-E", "UTF8", "--no-sync")
    start()
    try:
        yield Cluster(f"postgresql://docqa@127.0.0.1:{port}/postgres", stop, start)
    finally:
        stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


def new_database(server_url: str, name: str) -> str:
    """Create an empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + f"/{name}"
