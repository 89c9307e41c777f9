"""Runs one ingest with the fake embedder, announcing each phase on stdout, for the crash tests to SIGKILL.

    python -m tests.crash_ingest_worker CORPUS INDEX_ROOT [--pause SECONDS]

Phases, in order: load, write (each array file), fsync, rename, publish, prune, done.
`--pause` sleeps inside each phase so a kill can land there; the on-disk steps
themselves are the real ones from index/storage/versions.py and index/storage/store.py.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def announce(phase: str) -> None:
    sys.stdout.write(phase + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("root", type=Path)
    parser.add_argument("--pause", type=float, default=0.0)
    args = parser.parse_args()

    import numpy as np

    from docqa.index.storage import versions
    from docqa.ingest.pipeline import ingest
    from tests.conftest import FakeEmbedder

    pause = args.pause

    def slowed(name: str, real):
        def wrapper(*a, **k):
            announce(name)
            time.sleep(pause)
            result = real(*a, **k)
            time.sleep(pause / 2)
            return result

        return wrapper

    np.save = slowed("write", np.save)  # store.save writes its arrays with np.save
    versions._fsync_tree = slowed("fsync", versions._fsync_tree)
    os.rename = slowed("rename", os.rename)  # the version directory's rename (and prune's)
    versions.set_current = slowed("publish", versions.set_current)
    versions.prune = slowed("prune", versions.prune)
    announce("load")
    report = ingest([args.corpus], index_root=args.root, embedder=FakeEmbedder(), keep_versions=3)
    announce(f"done {report.version}")


if __name__ == "__main__":
    main()
