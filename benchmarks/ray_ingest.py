"""Ingest on a Ray cluster against the local ingest, side by side in one run, on one machine.

    python benchmarks/ray_ingest.py [--docs 300] [--address HOST:PORT]

The corpus is the first --docs Cranfield abstracts written as .txt files. Without --address, a local
Ray cluster is started for the run (`ray start --head`, every core of this machine) and stopped after it.
Both ingests run `docqa ingest` as a fresh process (the model loads in each: a user's real cost), local
first, then with --ray; joining the cluster, starting the workers and loading the model there are part
of the Ray figure. Target: Ray ≤ 1.2× local. It also checks that both versions hold the same documents
and chunks and vectors within cosine 0.999 (`compare`, used by tests/test_ingest_ray.py too).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
