"""Replicas behind nginx under load: a version switch and a replica killed, 0 failed requests.

Three `docqa serve` replicas on 127.0.0.1 share one index folder and one PostgreSQL question log; nginx
(configured by `docqa deploy nginx`, Debian's binary) spreads 32 clients' POST /api/ask over them for
--seconds. A new version is published with `docqa ingest` at 1/6 of the run and replica 1 is
SIGKILLed at 1/2 and restarted a second later. Prints the figures (tests/test_replicas.py asserts
them on a 15 s run):

    python benchmarks/replicas.py                   # 60 s, a throwaway PostgreSQL cluster (Debian's postgresql)
    python benchmarks/replicas.py --seconds 15 --database-url postgresql://USER@HOST/DB   # an empty database
    python benchmarks/replicas.py --no-log          # without the question log
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.replica_cluster import figures, logged_answer_ids, run_trial, start_cluster  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--no-log", action="store_true", help="run the replicas without the question log")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        database_url = None if args.no_log else args.database_url or stack.enter_context(throwaway_database())
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="docqa-replicas-")))
        started = time.monotonic()
        cluster = start_cluster(folder, replicas=args.replicas, database_url=database_url)
        print(f"{args.replicas} replicas and nginx ready in {time.monotonic() - started:.1f} s; {args.clients} clients for {args.seconds:.0f} s")
        try:
            trial = run_trial(cluster, seconds=args.seconds, clients=args.clients, publish_at=args.seconds / 6, kill_at=args.seconds / 2)
        finally:
            cluster.stop()  # SIGTERM: the live replicas write their queued rows
        found = figures(trial, logged_ids=None if database_url is None else logged_answer_ids(database_url))
        for line in found.lines():
            print(line)


@contextlib.contextmanager
def throwaway_database():
    from tests.postgres_harness import MISSING, server_binaries, throwaway_cluster

    binaries = server_binaries()
    if binaries is None:
        raise SystemExit(MISSING + " (or pass --database-url, or --no-log)")
    with throwaway_cluster(binaries) as url:
        yield url


if __name__ == "__main__":
    main()
